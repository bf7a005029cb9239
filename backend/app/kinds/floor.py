"""A heatmap job's floor calibration: frame pixels to floor metres, and what it measures from the stored tracks.

The computation (`calibrate`) reads only the tracks, so it works without the uploaded video. Definitions:
docs/API.md, "Floor calibration".
"""

from __future__ import annotations

import io

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.storage import Folder, JobFiles
from app.kinds.regions import Point
from app.vision.floor import Homography, fit_homography, floor_heatmap, walking
from app.vision.images import encode_png
from app.vision.render import render_floor
from app.vision.tracks import Tracks

CALIBRATION_FILE = "calibration.json"
FLOOR_NPY = "floor_heatmap.npy"
FLOOR_PNG = "floor_heatmap.png"
FILES = (FLOOR_PNG, FLOOR_NPY, CALIBRATION_FILE)
MIN_POINTS, MAX_POINTS = 4, 20
#: Floor grids with more cells than this are refused (a tiny `cell_m` over a large area).
MAX_CELLS = 4_000_000


class Calibration(BaseModel):
    """`PUT /api/jobs/{id}/calibration`: the same floor points in the frame and on the floor."""

    model_config = ConfigDict(extra="forbid")

    image_points: list[Point] = Field(
        min_length=MIN_POINTS, max_length=MAX_POINTS, description="[x, y] frame pixels, origin top-left"
    )
    world_points: list[Point] = Field(
        min_length=MIN_POINTS, max_length=MAX_POINTS, description="[X, Y] metres on the floor, the same points in order"
    )
    cell_m: float = Field(default=0.25, gt=0, le=100, description="side of a floor_heatmap cell, metres")

    @model_validator(mode="after")
    def _same_count(self) -> Calibration:
        if len(self.image_points) != len(self.world_points):
            raise ValueError(
                f"{len(self.image_points)} image points but {len(self.world_points)} world points: one of each"
            )
        return self

    def frame_errors(self, width: int, height: int) -> list[dict[str, object]]:
        """Validation errors (FastAPI's shape) for image points outside the frame; empty when all is well."""
        return [
            {"loc": ("body", "image_points", i), "msg": f"point ({x:g}, {y:g}) is outside the {width}x{height} frame",
             "type": "value_error"}
            for i, (x, y) in enumerate(self.image_points)
            if not (0 <= x <= width and 0 <= y <= height)
        ]  # fmt: skip


class Speed(BaseModel):
    """Walking speed over the tracks seen for at least 1 s (path length in metres / time seen); null without any."""

    median: float | None
    p90: float | None


class CalibrationAnswer(BaseModel):
    """What a calibration measures (`calibration.json` keeps it with the points)."""

    reprojection_error_px: float = Field(
        description="mean distance between the image points and the world points mapped back"
    )
    area_m2: float = Field(description="area of the convex hull of the world points: the calibrated area")
    speed_mps: Speed
    distance_m: float = Field(description="path length walked by the tracks seen for at least 1 s, metres")


class StoredCalibration(BaseModel):
    """`calibration.json`: the points and their answer."""

    calibration: Calibration
    answer: CalibrationAnswer


def calibrate(tracks: Tracks, body: Calibration) -> tuple[CalibrationAnswer, dict[str, bytes]]:
    """Fit the homography (raises `vision.floor.DegenerateCalibration`; `ValueError` for too many cells), measure
    walking from the foot points, and draw the floor: the answer, and the contents of `floor_heatmap.png`,
    `floor_heatmap.npy` and `calibration.json` by file name."""
    homography = homography_of(body)
    span = homography.area.max(axis=0) - homography.area.min(axis=0)
    cells = float(np.prod(np.ceil(span / body.cell_m)))
    if cells > MAX_CELLS:
        raise ValueError(
            f"cell_m={body.cell_m:g} gives {cells:,.0f} floor cells, more than {MAX_CELLS:,}: use larger cells"
        )
    grid = floor_heatmap(tracks, homography, cell_m=body.cell_m)
    speeds = (walked := walking(tracks, homography)).speeds_mps
    answer = CalibrationAnswer(
        reprojection_error_px=round(homography.reprojection_error_px, 4),
        area_m2=round(homography.area_m2, 4),
        speed_mps=Speed(
            median=round(float(np.median(speeds)), 4) if len(speeds) else None,
            p90=round(float(np.percentile(speeds, 90)), 4) if len(speeds) else None,
        ),
        distance_m=round(walked.distance_m, 4),
    )
    image = render_floor(grid.heat, origin_m=grid.origin_m, cell_m=grid.cell_m, area_m=homography.area)
    npy = io.BytesIO()
    np.save(npy, grid.heat)
    return answer, {
        FLOOR_PNG: encode_png(image),
        FLOOR_NPY: npy.getvalue(),
        CALIBRATION_FILE: StoredCalibration(calibration=body, answer=answer).model_dump_json(indent=2).encode(),
    }


def load(folder: Folder) -> StoredCalibration | None:
    """The job's calibration, or None when it has none."""
    try:
        return StoredCalibration.model_validate_json(folder.read(CALIBRATION_FILE))
    except FileNotFoundError:
        return None


def homography_of(body: Calibration) -> Homography:
    return fit_homography(np.array(body.image_points), np.array(body.world_points))


def homography_in(folder: Folder) -> Homography | None:
    """The homography of the job's calibration, or None when it has none."""
    stored = load(folder)
    return homography_of(stored.calibration) if stored is not None else None


def delete(folder: JobFiles) -> None:
    """Remove the calibration's files from the job's folder."""
    for name in FILES:
        folder.delete(name)
