"""The focal length, in pixels, that back-projects a depth map: from EXIF when the photo states it, else a FOV.

`focal_source` says where it came from:
- `exif`: the photo's EXIF (`FocalLengthIn35mmFilm`, or `FocalLength` with the sensor width when known), when its
  35 mm equivalent is plausible (`PLAUSIBLE_FOCAL_35MM`);
- `fov`: a horizontal field of view the job set (`fov_deg` other than the default);
- `default`: nothing known, so the default 60° horizontal field of view (a typical phone's main camera).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

DEFAULT_FOV_DEG = 60.0
FULL_FRAME_WIDTH_MM = 36.0  # the long side of a 35 mm film frame, which `FocalLengthIn35mmFilm` refers to
# 35 mm equivalent focal lengths taken from EXIF, mm: a fisheye to a long telephoto. Outside, EXIF is wrong
# (a 0.001 mm or 50 m "focal length" would flatten or stretch the point cloud beyond use) and the FOV is used.
PLAUSIBLE_FOCAL_35MM = (8.0, 1200.0)

FocalSource = Literal["exif", "fov", "default"]


@dataclass(frozen=True)
class LensExif:
    """What a photo's EXIF says about its lens; None where it says nothing usable.

    Attributes:
        focal_35mm: `FocalLengthIn35mmFilm`, mm.
        focal_mm: `FocalLength`, mm.
        sensor_width_mm: the sensor's width from `FocalPlaneXResolution` and its unit.
    """

    focal_35mm: float | None = None
    focal_mm: float | None = None
    sensor_width_mm: float | None = None


def focal_from_fov(width: int, fov_deg: float) -> float:
    """Focal length in pixels for a horizontal field of view over `width` pixels."""
    return (width / 2.0) / math.tan(math.radians(fov_deg) / 2.0)


def focal_length_px(
    *, width: int, sensor_width_px: int, lens: LensExif, fov_deg: float = DEFAULT_FOV_DEG
) -> tuple[float, FocalSource]:
    """The focal length in pixels and where it came from.

    Args:
        width: the width of the image as shown (EXIF orientation applied); the FOV spans it.
        sensor_width_px: the width of the image as the sensor saw it (before EXIF rotation), the side EXIF's
            35 mm equivalent and sensor width describe.
        lens: the photo's EXIF lens data.
        fov_deg: horizontal field of view used when EXIF says nothing.
    """
    equivalents = [lens.focal_35mm]  # 35 mm equivalent focal lengths, most direct first
    if lens.focal_mm and lens.sensor_width_mm:
        equivalents.append(lens.focal_mm / lens.sensor_width_mm * FULL_FRAME_WIDTH_MM)
    for focal_35mm in equivalents:
        if focal_35mm and PLAUSIBLE_FOCAL_35MM[0] <= focal_35mm <= PLAUSIBLE_FOCAL_35MM[1]:
            return focal_35mm / FULL_FRAME_WIDTH_MM * sensor_width_px, "exif"
    return focal_from_fov(width, fov_deg), "default" if fov_deg == DEFAULT_FOV_DEG else "fov"
