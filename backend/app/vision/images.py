"""Decoding user images into RGB arrays (with what their EXIF says about orientation and lens), and encoding
arrays as PNG."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from app.vision.camera import LensExif

# Pixel limits are the caller's (a setting), checked from the header before any decoding.
Image.MAX_IMAGE_PIXELS = None

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff")


class ImageError(ValueError):
    """An image that cannot be used, with a message meant for a person."""


def image_size(path: Path) -> tuple[int, int]:
    """(width, height) from the header alone, without decoding pixels."""
    try:
        with Image.open(path) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageError("not a readable image (unknown format or damaged)") from exc


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
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width == 0 or height == 0:
                raise ImageError("the image is empty (0 pixels)")
            if width * height > max_pixels:
                raise ImageError(f"{width}x{height} is more than the {max_pixels:,} pixels allowed")
            exif = image.getexif()
            orientation = exif.get(ORIENTATION, 1)
            rgb = _to_rgb(ImageOps.exif_transpose(image))
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
    (the original capture's width, which an edited file may no longer have)."""
    tags = exif.get_ifd(ExifTags.IFD.Exif)
    focal_35mm = _positive(tags.get(ExifTags.Base.FocalLengthIn35mmFilm))
    focal_mm = _positive(tags.get(ExifTags.Base.FocalLength))
    px_per_unit = _positive(tags.get(ExifTags.Base.FocalPlaneXResolution))
    unit_mm = RESOLUTION_UNIT_MM.get(tags.get(ExifTags.Base.FocalPlaneResolutionUnit, 2))
    pixel_width = _positive(tags.get(ExifTags.Base.ExifImageWidth)) or width
    sensor_width_mm = pixel_width / px_per_unit * unit_mm if px_per_unit and unit_mm else None
    return LensExif(focal_35mm=focal_35mm, focal_mm=focal_mm, sensor_width_mm=sensor_width_mm)


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
    return np.asarray(image.convert("RGB"))


def encode_png(image: np.ndarray) -> bytes:
    """PNG bytes of a uint8 BGR or uint16 gray array. Fast settings: depth maps are smooth, so the
    'average' filter with light compression gives small files in about 2 ms for 608x448."""
    options = [cv2.IMWRITE_PNG_COMPRESSION, 1, cv2.IMWRITE_PNG_FILTER, cv2.IMWRITE_PNG_FILTER_AVG]
    ok, buffer = cv2.imencode(".png", image, options)
    if not ok:
        raise ValueError("PNG encoding failed")
    return buffer.tobytes()
