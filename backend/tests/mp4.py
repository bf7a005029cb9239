"""What a browser needs of an MP4, read back from the file: codec, pixel format, size, duration, box order."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

import av


@dataclass
class Mp4Facts:
    codec: str
    pix_fmt: str
    width: int
    height: int
    duration_s: float
    frames: int
    top_boxes: list[str]  # the file's top-level boxes in order: `moov` before `mdat` is `+faststart`


def mp4_facts(data: bytes) -> Mp4Facts:
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        boxes.append(kind.decode("latin-1"))
        if size < 8:
            break
        offset += size
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        duration = float(container.duration or 0) / av.time_base
        return Mp4Facts(
            stream.codec_context.name, stream.codec_context.pix_fmt or "", stream.width, stream.height,
            duration, frames, boxes,
        )  # fmt: skip
