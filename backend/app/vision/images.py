"""Decoding user images into RGB arrays (with what their EXIF says about orientation and lens), and encoding
arrays as PNG."""

from __future__ import annotations

import math
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import cv2
import numpy as np
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from app.vision.camera import LensExif

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff")
_WEBP_HEADER = 30  # RIFF header + the first chunk's header and the bytes that hold the canvas size

# Pillow raises DecompressionBombError above twice MAX_IMAGE_PIXELS and only warns above it: `_open` sets
# the limit to half of ours, so Pillow itself refuses exactly what we refuse, wherever the process opens one.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)


class ImageError(ValueError):
    """An image that cannot be used, with a message meant for a person."""


class TooManyPixels(ImageError):
    """The image is larger than the pixel limit (a decompression bomb, perhaps)."""


def image_size(path: Path, *, max_pixels: int) -> tuple[int, int]:
    """(width, height) from the header alone, without decoding pixels (nor, for WebP, reading the file).

    Raises:
        TooManyPixels: more than `max_pixels` pixels.
        ImageError: not a readable image.
    """
    try:
        size = _webp_size(path)
        if size is None:
            with path.open("rb") as raw, _open(_HeaderReader(raw), max_pixels) as image:
                size = image.size
    except ImageError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageError("not a readable image (unknown format or damaged)") from exc
    if size[0] * size[1] > max_pixels:
        raise TooManyPixels(f"{size[0]}x{size[1]} is more than the {max_pixels:,} pixels allowed")
    return size


# Bytes that reading an image's header may take (EXIF, ICC profiles, PNG chunks before the pixels, TIFF tags):
# Pillow keeps what it reads, and a photo's metadata is well under 1 MiB, so a larger header is refused unread.
HEADER_BYTES = 16 * 1024 * 1024


class _HeaderReader:
    """A binary file that raises `ImageError` once more than `HEADER_BYTES` were read from it (seeks are free)."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._left = HEADER_BYTES

    def read(self, size: int | None = -1) -> bytes:
        wanted = self._left + 1 if size is None or size < 0 else min(size, self._left + 1)
        data = self._raw.read(wanted)
        self._left -= len(data)
        if self._left < 0:
            raise ImageError(f"the image's metadata is larger than the {HEADER_BYTES // 2**20} MiB allowed")
        return data

    def __getattr__(self, name: str) -> Any:  # seek, tell, ...
        return getattr(self._raw, name)


ORIENTATION = 0x0112
# FocalPlaneResolutionUnit -> millimetres (2 inch, 3 cm; 4 mm and 5 um are written by some cameras).
RESOLUTION_UNIT_MM = {2: 25.4, 3: 10.0, 4: 1.0, 5: 0.001}


@dataclass(frozen=True)
class Photo:
    """A decoded image.

    Attributes:
        rgb: (H, W, 3) uint8 RGB, EXIF orientation applied.
        exif_orientation_applied: the EXIF orientation turned or flipped the pixels.
        sensor_width_px: the image's width as the sensor saw it (before the EXIF rotation).
        lens: focal length data from EXIF.
    """

    rgb: np.ndarray
    exif_orientation_applied: bool
    sensor_width_px: int
    lens: LensExif


def load_photo(path: Path, *, max_pixels: int) -> Photo:
    """Decode an image to RGB with its EXIF orientation applied, and read its lens EXIF.

    Grayscale, palette, RGBA (composited on white), CMYK and 16-bit or float images are all converted.
    """
    width, height = image_size(path, max_pixels=max_pixels)
    if width == 0 or height == 0:
        raise ImageError("the image is empty (0 pixels)")
    try:
        with _open(path, max_pixels) as image:
            exif = image.getexif()
            orientation = exif.get(ORIENTATION, 1)
            ImageOps.exif_transpose(image, in_place=True)  # a copy only when it turns the picture
            rgb = _to_rgb(image)
            return Photo(
                rgb=rgb,
                exif_orientation_applied=orientation in range(2, 9),
                sensor_width_px=width,
                lens=_lens(exif, width),
            )
    except ImageError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageError("could not decode the image (damaged or truncated)") from exc


def _positive(value: object) -> float | None:
    """A usable EXIF number: EXIF rationals with a 0 denominator read as NaN, and 0 means unknown."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def _lens(exif: Image.Exif, width: int) -> LensExif:
    """Lens data; the sensor width from the focal-plane resolution, which refers to `ExifImageWidth` pixels
    (the original capture's width, which an edited file may no longer have). Damaged EXIF reads as none:
    the picture itself is still good."""
    try:
        tags = exif.get_ifd(ExifTags.IFD.Exif)
    except (struct.error, KeyError, TypeError, ValueError, OSError, SyntaxError):
        return LensExif()
    focal_35mm = _positive(tags.get(ExifTags.Base.FocalLengthIn35mmFilm))
    focal_mm = _positive(tags.get(ExifTags.Base.FocalLength))
    px_per_unit = _positive(tags.get(ExifTags.Base.FocalPlaneXResolution))
    unit_mm = RESOLUTION_UNIT_MM.get(tags.get(ExifTags.Base.FocalPlaneResolutionUnit, 2))
    pixel_width = _positive(tags.get(ExifTags.Base.ExifImageWidth)) or width
    sensor_width_mm = pixel_width / px_per_unit * unit_mm if px_per_unit and unit_mm else None
    return LensExif(focal_35mm=focal_35mm, focal_mm=focal_mm, sensor_width_mm=sensor_width_mm)


@contextmanager
def _open(path: Path | _HeaderReader, max_pixels: int) -> Iterator[Image.Image]:
    # The same value on every call: safe across threads. A float keeps Pillow's error at 2 x it = max_pixels exactly.
    Image.MAX_IMAGE_PIXELS = max_pixels / 2  # type: ignore[assignment]
    try:
        with Image.open(path) as image:
            yield image
    except Image.DecompressionBombError as exc:
        raise TooManyPixels(f"the image is more than the {max_pixels:,} pixels allowed") from exc


def _webp_size(path: Path) -> tuple[int, int] | None:
    """A WebP's canvas size from its first chunk (Pillow reads the whole file to learn it); None if the
    file is not a WebP."""
    with path.open("rb") as handle:
        head = handle.read(_WEBP_HEADER)
    if len(head) < 16 or head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    if len(head) < _WEBP_HEADER:
        raise ImageError("not a readable image (truncated WebP header)")
    chunk = head[12:16]
    if chunk == b"VP8X":  # extended: 24-bit canvas width-1 and height-1
        return 1 + int.from_bytes(head[24:27], "little"), 1 + int.from_bytes(head[27:30], "little")
    if chunk == b"VP8L" and head[20] == 0x2F:  # lossless: 14-bit width-1 and height-1 after the signature
        bits = int.from_bytes(head[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":  # lossy: 14-bit sizes after the start code
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    raise ImageError("not a readable image (unknown WebP chunk)")


def _to_rgb(image: Image.Image) -> np.ndarray:
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float32)
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) * (255.0 / (high - low)) if high > low else np.zeros_like(values)
        gray = scaled.astype(np.uint8)
        return np.repeat(gray[:, :, None], 3, axis=2)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(background, rgba).convert("RGB"))
    return np.asarray(image if image.mode == "RGB" else image.convert("RGB"))  # convert would copy RGB too


def png_size_bound(width: int, height: int, bytes_per_pixel: int) -> int:
    """The most bytes `encode_png` writes for such an image: the raw rows (a filter byte each) when they do not
    compress, plus 1% for zlib's stored blocks and the chunk headers, plus the signature and header chunks."""
    return math.ceil((width * bytes_per_pixel + 1) * height * 1.01) + 1024


def encode_png(image: np.ndarray) -> bytes:
    """PNG bytes of a uint8 BGR or uint16 gray array. Fast settings: depth maps are smooth, so the
    'average' filter with light compression gives small files in about 2 ms for 608x448."""
    options = [cv2.IMWRITE_PNG_COMPRESSION, 1, cv2.IMWRITE_PNG_FILTER, cv2.IMWRITE_PNG_FILTER_AVG]
    ok, buffer = cv2.imencode(".png", image, options)
    if not ok:
        raise ValueError("PNG encoding failed")
    return buffer.tobytes()
