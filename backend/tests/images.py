"""Small generated images and archives for the tests."""

from __future__ import annotations

import io
import zipfile

import numpy as np
from PIL import ExifTags, Image


def gradient_rgb(width: int = 64, height: int = 48) -> np.ndarray:
    x = np.linspace(0, 255, width, dtype=np.float32)[None, :, None]
    y = np.linspace(0, 255, height, dtype=np.float32)[:, None, None]
    return np.concatenate([np.broadcast_to(x, (height, width, 1)), np.broadcast_to(y, (height, width, 1)),
                           np.full((height, width, 1), 128, np.float32)], axis=2).astype(np.uint8)


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


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
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
