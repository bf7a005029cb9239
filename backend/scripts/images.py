"""Small generated images and archives, for the tests and `bench_depth.py`."""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image


def gradient_rgb(width: int = 64, height: int = 48) -> np.ndarray:
    x = np.linspace(0, 255, width, dtype=np.float32)[None, :, None]
    y = np.linspace(0, 255, height, dtype=np.float32)[:, None, None]
    return np.concatenate(
        [
            np.broadcast_to(x, (height, width, 1)),
            np.broadcast_to(y, (height, width, 1)),
            np.full((height, width, 1), 128, np.float32),
        ],
        axis=2,
    ).astype(np.uint8)


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def write_photo_jpeg(path: Path, width: int, height: int) -> Path:
    """A photo-sized JPEG at `path` (written whole or not at all): gradients under per-pixel noise, so that it
    takes a photo's bytes and decoding time rather than compressing to nothing."""
    pixels = np.empty((height, width, 3), np.uint8)
    pixels[:, :, 0] = np.linspace(0, 230, width, dtype=np.float32).astype(np.uint8)[None, :]
    pixels[:, :, 1] = np.linspace(0, 230, height, dtype=np.float32).astype(np.uint8)[:, None]
    pixels[:, :, 2] = 128
    pixels += np.random.default_rng(0).integers(0, 24, pixels.shape, dtype=np.uint8)
    partial = path.with_name(f".{path.name}.partial")
    Image.fromarray(pixels).save(partial, format="JPEG", quality=90)
    return partial.replace(path)


def png(width: int = 64, height: int = 48) -> bytes:
    return encode(Image.fromarray(gradient_rgb(width, height)), "PNG")


def jpeg(width: int = 64, height: int = 48, *, orientation: int | None = None, **lens: float) -> bytes:
    """A gradient JPEG, with EXIF orientation and lens tags (ExifTags.Base names, e.g. FocalLengthIn35mmFilm)."""
    image = Image.fromarray(gradient_rgb(width, height))
    exif = Image.Exif()
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    for name, value in lens.items():
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base[name]] = value
    return encode(image, "JPEG", exif=exif)


def zip_of(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (a decompression bomb's header)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def zip_directory_only(count: int, *, declared: int | None = None) -> bytes:
    """A ZIP of `count` empty entries that is all central directory (no local headers, ~50 bytes an entry: 9.8 MB
    for 200,000), its end records (ZIP64 ones included) declaring `declared` entries (default: the truth)."""
    return b"".join(zip_directory_chunks(count, declared=declared))


def write_zip_directory_only(path: Path, count: int, *, classic: tuple[int, int] | None = None) -> Path:
    """`zip_directory_only` streamed to `path` (2,000,000 entries: 106 MB, never in memory whole), its classic end
    record declaring `classic` (entries, directory bytes) instead of the ZIP64 sentinels."""
    with path.open("wb") as out:
        for chunk in zip_directory_chunks(count, classic=classic):
            out.write(chunk)
    return path


def zip_directory_chunks(
    count: int, *, declared: int | None = None, classic: tuple[int, int] | None = None
) -> Iterator[bytes]:
    """The central directory of `count` empty entries in chunks of 10,000, then the end records."""
    import string
    import struct

    alphabet = string.ascii_lowercase + string.digits
    width = max(4, math.ceil(math.log(max(count, 2), 36)))
    entry = struct.Struct("<4s4B4HL2L5H2L")
    directory_bytes = 0
    for start in range(0, count, 10_000):
        names = (
            "".join(alphabet[i // 36**k % 36] for k in range(width)).encode()
            for i in range(start, min(count, start + 10_000))
        )
        chunk = b"".join(
            entry.pack(b"PK\x01\x02", 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, len(name), 0, 0, 0, 0, 0, 0) + name
            for name in names
        )
        directory_bytes += len(chunk)
        yield chunk
    yield zip64_end_records(count if declared is None else declared, directory_bytes, classic=classic)


def zip64_end_records(entries: int, directory_bytes: int, *, classic: tuple[int, int] | None = None) -> bytes:
    """What ends a ZIP64 archive whose central directory of `directory_bytes` starts at offset 0; the classic end
    record holds the sentinels that point to the ZIP64 record, or the (entries, directory bytes) `classic` gives."""
    import struct

    classic_entries, classic_bytes, classic_offset = (*classic, 0) if classic else (0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    zip64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, directory_bytes, 0)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, directory_bytes, 1)
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, classic_entries, classic_entries, classic_bytes, classic_offset, 0
    )
    return zip64 + locator + end


# Images whose header holds `metadata` bytes (1 GiB by default) before an 8x8 picture, written sparsely (the
# metadata is holes on disk, never in memory): what a header reader must not keep.
def write_jpeg_with_huge_app_segments(path: Path, metadata: int = 1 << 30) -> Path:
    small = jpeg(8, 8)
    segment = 0xFFFF - 2  # the most an APP segment holds
    with path.open("wb") as out:
        out.write(small[:2])  # SOI
        for _ in range(metadata // segment):
            out.write(b"\xff\xef" + (segment + 2).to_bytes(2, "big"))  # APP15
            out.seek(segment, 1)
        out.write(small[2:])
    return path


def write_png_with_a_huge_private_chunk(path: Path, metadata: int = 1 << 30) -> Path:
    import zlib

    small = png(8, 8)
    header_end = 8 + 25  # the signature and IHDR
    crc = zlib.crc32(b"prIv")
    zeros = bytes(1 << 20)
    for start in range(0, metadata, len(zeros)):
        crc = zlib.crc32(zeros[: metadata - start], crc)
    with path.open("wb") as out:
        out.write(small[:header_end] + metadata.to_bytes(4, "big") + b"prIv")
        out.seek(metadata, 1)
        out.write(crc.to_bytes(4, "big") + small[header_end:])
    return path


def write_tiff_with_a_huge_tag(path: Path, metadata: int = 1 << 30) -> Path:
    """An 8x8 grayscale TIFF whose private tag 50000 holds `metadata` bytes."""
    import struct

    data_at = 4096
    pixels_at = data_at + metadata
    tags = [(256, 3, 1, 8), (257, 3, 1, 8), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1)]
    tags += [(273, 4, 1, pixels_at), (277, 3, 1, 1), (278, 3, 1, 8), (279, 4, 1, 64), (50000, 1, metadata, data_at)]
    directory = struct.pack("<H", len(tags)) + b"".join(struct.pack("<HHII", *tag) for tag in tags) + bytes(4)
    with path.open("wb") as out:
        out.write(b"II*\x00" + struct.pack("<I", 8) + directory)
        out.seek(pixels_at)
        out.write(bytes(range(0, 256, 4)))
    return path
