"""ZIP archives streamed chunk by chunk: the whole archive is never held in memory."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

CHUNK = 1 << 20


class _Sink(io.RawIOBase):
    """A write-only, non-seekable buffer that the generator drains after each write."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def stream_zip(files: Iterable[tuple[str, Callable[[], BinaryIO]]]) -> Iterator[bytes]:
    """Yield a ZIP (stored, zip64-ready) of `(name in archive, opener)` pairs; files whose opener raises
    `FileNotFoundError` (missing) are left out."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for arcname, opener in files:
            try:
                source = opener()
            except FileNotFoundError:
                continue
            with source, archive.open(arcname, "w", force_zip64=True) as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield sink.drain()
            yield sink.drain()
    yield sink.drain()
