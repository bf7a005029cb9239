"""The depth job kind: its options, its summary, and the three encodings written for each image."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from app.core import storage
from app.core.storage import StoredFile
from app.vision import depth as depth_maps
from app.vision.images import encode_png


class DepthOptions(BaseModel):
    """Options of a depth job, sent as multipart form fields and stored as the job's `params`."""

    colormap: depth_maps.Colormap = Field(default="magma", description="colour preview (gray: white near, black far)")


class SkippedInput(BaseModel):
    name: str
    reason: str | None


class DepthSummary(BaseModel):
    """A depth job's summary; fields appear as the job gets to them (dump with `exclude_unset`)."""

    skipped: list[SkippedInput] = []
    images: int = Field(default=0, description="images that got a depth map")
    model: str = ""
    weights_sha256: str = ""
    device: str = ""
    backend: str = Field(default="", description="the runtime that ran the model: torch, openvino, onnx or tensorrt")
    imgsz: int | None = Field(default=None, description="inference size (pixels, long side)")
    min_depth: float | None = None
    max_depth: float | None = None
    timings_s: dict[str, float] = {}


def write_outputs(folder: Path, stem: str, depth: np.ndarray, options: DepthOptions) -> list[StoredFile]:
    """`<stem>_depth.png` (colour preview), `<stem>_depth16.png` and `<stem>_depth.npy`, each written atomically."""
    rel = depth_maps.relative(depth)
    preview = encode_png(depth_maps.colorize(depth, options.colormap, rel=rel))
    sixteen = encode_png(depth_maps.to_uint16(depth, rel=rel))
    return [
        storage.write_bytes(folder / f"{stem}_depth.png", preview),
        storage.write_bytes(folder / f"{stem}_depth16.png", sixteen),
        storage.write_npy(folder / f"{stem}_depth.npy", depth.astype(np.float32, copy=False)),
    ]
