"""The depth job kind: its options, its summary, and the files written for each image (colour preview,
16-bit PNG, NPY, `<stem>_depth.json`, and the point cloud when asked for)."""

from __future__ import annotations

import functools
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from app.core import storage
from app.core.config import settings
from app.core.storage import Folder, StoredFile
from app.models import Job
from app.vision import depth as depth_maps
from app.vision.camera import DEFAULT_FOV_DEG, FocalSource
from app.vision.images import encode_png, png_size_bound
from app.vision.pointcloud import back_project, encode_ply, ply_size_bound

SCALE = (
    "metres from the weights' single global calibration (no calibration per photo): "
    "for an unknown camera, read them as relative depth"
)

Normalization = Literal["image", "job"]


class DepthOptions(BaseModel):
    """Options of a depth job, sent as multipart form fields and stored as the job's `params`."""

    colormap: depth_maps.Colormap = Field(
        default=depth_maps.DEFAULT_COLORMAP, description="colour preview (gray: white near, black far)"
    )
    normalization: Normalization = Field(
        default="image",
        description="image: each image's preview and 16-bit PNG span its own depth range; "
        "job: all of the job's share one range (the job's min and max)",
    )
    point_cloud: bool = Field(default=False, description="also write `<stem>_points.ply` (binary PLY, metres)")
    fov_deg: float = Field(
        default=DEFAULT_FOV_DEG,
        ge=10,
        le=160,
        description="horizontal field of view in degrees, for photos whose EXIF gives no focal length",
    )


class Png16Range(BaseModel):
    """How `<stem>_depth16.png` maps to metres, linearly: metres = min_m + value / 65535 * (max_m - min_m)."""

    near: int
    far: int
    min_m: float
    max_m: float

    @classmethod
    def spanning(cls, min_m: float, max_m: float) -> Png16Range:
        return cls(near=0, far=depth_maps.PNG16_FAR, min_m=min_m, max_m=max_m)


class DepthMetadata(BaseModel):
    """`<stem>_depth.json`: what one image's depth numbers mean."""

    model: str
    weights_sha256: str | None = Field(description="of the weights file (null when none was found)")
    imgsz: int = Field(description="the square size the model ran at (the image is stretched to it)")
    units: Literal["m"] = "m"
    scale: str = SCALE
    min_m: float
    max_m: float
    median_m: float
    width: int
    height: int
    exif_orientation_applied: bool
    focal_px: float
    focal_source: FocalSource
    normalization: Normalization
    png16: Png16Range


class ImageDepth(BaseModel):
    """One image's depth in metres, as the job's summary lists it."""

    name: str
    min_m: float
    median_m: float
    max_m: float


class SkippedInput(BaseModel):
    name: str
    reason: str | None


class DepthSummary(BaseModel):
    """A depth job's summary; fields appear as the job gets to them (dump with `exclude_unset`)."""

    skipped: list[SkippedInput] = []
    images: int = Field(default=0, description="images that got a depth map")
    model: str = ""
    weights_sha256: str | None = Field(default="", description="of the weights file (null when none was found)")
    device: str = ""
    backend: str = Field(
        default="",
        description="the runtime that ran the model: torch, openvino (openvino-int8: its INT8 copy), onnx or tensorrt",
    )
    imgsz: int | None = Field(default=None, description="inference size (pixels, long side)")
    min_depth: float | None = None
    max_depth: float | None = None
    per_image: list[ImageDepth] = Field(default=[], description="each image's depth in metres, in upload order")
    normalization: Normalization = "image"
    png16: Png16Range | None = Field(default=None, description="with `job` normalization: the range all images share")
    timings_s: dict[str, float] = {}


# Results are named `<stem><suffix>.<ext>`. No input's stem ends with a suffix, so no input (stored as
# `<stem>.<ext>`) can be named like another input's result: `a.jpg` and `a_depth.png` in one upload.
OUTPUT_SUFFIXES = ("_depth", "_depth16", "_points")


def input_stem(name: str, taken: set[str]) -> str:
    """A stem for the input `name` that no other input of the job has and no result can be named after."""
    stem = storage.safe_stem(name)
    if stem.lower().endswith(OUTPUT_SUFFIXES):
        stem += "-input"
    return storage.unique_stem(stem, taken)


def run_seconds(job: Job) -> float:
    """The seconds a run of the job should take: `DEPTH_SECONDS_PER_IMAGE` per image."""
    return job.items_total * settings.depth_seconds_per_image


METADATA_BYTES = 4096  # `<stem>_depth.json`, generously


def output_bytes(width: int, height: int, *, point_cloud: bool) -> int:
    """The most bytes one image's results take: float32 NPY, 16-bit and colour PNGs, JSON, and the point cloud."""
    npy = storage.NPY_HEADER_BYTES + 4 * width * height
    maps = png_size_bound(width, height, 2) + png_size_bound(width, height, 3)
    ply = ply_size_bound(width * height) if point_cloud else 0
    return npy + maps + METADATA_BYTES + ply


def write_depth(folder: Folder, stem: str, depth: np.ndarray) -> StoredFile:
    """`<stem>_depth.npy`: float32 metres at the image's resolution."""
    return folder.write_npy(f"{stem}_depth.npy", depth.astype(np.float32, copy=False))


def read_depth(folder: Folder, stem: str) -> np.ndarray:
    return folder.read_npy(f"{stem}_depth.npy").astype(np.float32, copy=False)


def write_maps(
    folder: Folder, stem: str, depth: np.ndarray, metadata: DepthMetadata, colormap: depth_maps.Colormap
) -> list[StoredFile]:
    """`<stem>_depth.png` (colour preview), `<stem>_depth16.png` and `<stem>_depth.json`, both maps over
    `metadata.png16`'s range."""
    span = {"min_m": metadata.png16.min_m, "max_m": metadata.png16.max_m}
    preview = functools.partial(depth_maps.colorize, colormap=colormap)
    return [  # drawn in bands, one map at a time: a 64 MP map's temporaries stay small
        folder.write(f"{stem}_depth.png", encode_png(depth_maps.in_bands(preview, depth, **span))),
        folder.write(f"{stem}_depth16.png", encode_png(depth_maps.in_bands(depth_maps.to_uint16, depth, **span))),
        folder.write(f"{stem}_depth.json", metadata.model_dump_json(indent=2).encode()),
    ]


def write_point_cloud(folder: Folder, stem: str, depth: np.ndarray, rgb: np.ndarray, focal_px: float) -> StoredFile:
    """`<stem>_points.ply`: binary little-endian, float32 x y z in metres (camera frame), uchar RGB."""
    return folder.write(f"{stem}_points.ply", encode_ply(back_project(depth, rgb, focal_px=focal_px)))
