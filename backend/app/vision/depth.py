"""Depth maps: inference over a batch of images and the encodings of each result (PNG: `images.encode_png`).

Depth values grow with distance: metres along the optical axis, from the weights' single global calibration
(relative for an unknown camera). The 16-bit PNG keeps that order and maps a stated range linearly:
`metres = min_m + value / 65535 * (max_m - min_m)` (0 = `min_m`, the nearest; 65535 = `max_m`, the farthest).
The colour preview flips it so that near is bright (yellow in magma) and far is dark.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import cv2
import numpy as np

from app.vision.models import precision

PNG16_FAR = 65535  # the 16-bit PNG's farthest value (`max_m`); 0 is the nearest (`min_m`)

Colormap = Literal["magma", "inferno", "viridis", "plasma", "turbo", "jet", "gray"]
#: OpenCV colour maps of every `Colormap` but `gray` (white near, black far).
COLORMAPS: dict[Colormap, int] = {
    name: getattr(cv2, f"COLORMAP_{name.upper()}") for name in get_args(Colormap) if name != "gray"
}
DEFAULT_COLORMAP: Colormap = "magma"


def predict_depth(
    model: Any, images_rgb: Sequence[np.ndarray], *, imgsz: int, device: str, half: bool = False
) -> list[np.ndarray]:
    """Run an ultralytics depth model on RGB images in one call.

    Args:
        model: an `ultralytics.YOLO` depth model (PyTorch or exported).
        images_rgb: (H, W, 3) uint8 arrays, each at its own size.
        half: FP16 inference (CUDA).

    Returns:
        One (H, W) float32 depth map per image, at that image's resolution.
    """
    bgr = [np.ascontiguousarray(image[:, :, ::-1]) for image in images_rgb]
    results = model.predict(bgr, imgsz=imgsz, device=device, batch=len(bgr), verbose=False, **precision(half))
    depths = [result.depth.data.float().cpu().numpy().astype(np.float32, copy=False) for result in results]
    # The predictor keeps its last call's inputs and results (the BGR copies, the full-size maps) until the next
    # call: 7 bytes a pixel that would stay resident while the maps are encoded and the next images decoded.
    predictor = getattr(model, "predictor", None)
    if predictor is not None:
        predictor.batch = predictor.results = predictor.dataset = None
    return depths


@dataclass(frozen=True)
class DepthAgreement:
    """Whether two versions of a depth model (float, INT8) give the same maps on the same BGR images: on every
    image the largest difference is within `tolerance` of the largest depth
    (`app.vision.models.Calibration.agreement`)."""

    imgsz: int
    tolerance: float = 0.02

    def __call__(self, model: Any, other: Any, frames: Sequence[np.ndarray]) -> tuple[bool, str]:
        images = [frame[:, :, ::-1] for frame in frames]
        worst = 0.0
        for start in range(0, len(images), 4):
            batch = images[start : start + 4]
            ours = predict_depth(model, batch, imgsz=self.imgsz, device="cpu")
            theirs = predict_depth(other, batch, imgsz=self.imgsz, device="cpu")
            for want, have in zip(ours, theirs, strict=True):
                worst = max(worst, float(np.abs(have - want).max() / max(float(np.abs(want).max()), 1e-12)))
        figures = f"largest difference {worst:.2%} of the largest depth on {len(images)} images"
        return worst <= self.tolerance, f"{figures}, {self.tolerance:.0%} allowed"


def input_size(model: Any, requested: int) -> int:
    """The square size an ultralytics model last ran at (it rounds `imgsz` up to its stride; an exported model
    may be fixed at its own size); `requested` before any run."""
    size = getattr(getattr(model, "predictor", None), "imgsz", None)
    return int(max(size)) if size else requested


def relative(depth: np.ndarray, *, min_m: float | None = None, max_m: float | None = None) -> np.ndarray:
    """Depth scaled linearly to [0, 1] (0 = `min_m`, nearest) and clipped; the range defaults to the map's own.

    Non-finite values become 1 (far); an empty range (a flat map) gives 0.
    """
    if min_m is None or max_m is None:
        min_m, max_m = depth_range(depth)
    finite = np.isfinite(depth)
    span = max_m - min_m
    scaled = np.clip((depth - min_m) / span, 0.0, 1.0) if span > 0 else np.zeros(depth.shape, np.float32)
    return np.where(finite, scaled, 1.0).astype(np.float32)


def to_uint16(depth: np.ndarray, *, rel: np.ndarray | None = None) -> np.ndarray:
    """(H, W) uint16 with 0 the nearest and 65535 the farthest point (`rel`: `relative(depth)` if known)."""
    scaled: np.ndarray = np.rint((relative(depth) if rel is None else rel) * PNG16_FAR)
    return scaled.astype(np.uint16)


def from_uint16(values: np.ndarray, *, min_m: float, max_m: float) -> np.ndarray:
    """Metres back from a 16-bit PNG written with the range `min_m`..`max_m` (error at most half a step:
    (max_m - min_m) / 131070)."""
    return (min_m + values.astype(np.float64) / PNG16_FAR * (max_m - min_m)).astype(np.float32)


def colorize(depth: np.ndarray, colormap: Colormap = DEFAULT_COLORMAP, *, rel: np.ndarray | None = None) -> np.ndarray:
    """(H, W, 3) uint8 BGR preview; near is bright. `gray` gives white near, black far."""
    near_bright = np.rint((1.0 - (relative(depth) if rel is None else rel)) * 255.0).astype(np.uint8)
    if colormap == "gray":
        return cv2.cvtColor(near_bright, cv2.COLOR_GRAY2BGR)
    return cv2.applyColorMap(near_bright, COLORMAPS[colormap])


# Pixels of a map drawn at a time (`in_bands`): drawing a 64 MP map whole held ~12 float32 bytes a pixel of temporaries.
BAND_PIXELS = 1 << 20


def in_bands(draw: Callable[..., np.ndarray], depth: np.ndarray, *, min_m: float, max_m: float) -> np.ndarray:
    """`draw(rows, rel=relative(rows, min_m=min_m, max_m=max_m))` (e.g. `colorize`, `to_uint16`) over bands of
    `depth`'s rows, assembled: the map drawing it whole gives, with temporaries of one band's size."""
    height, width = depth.shape
    step = max(1, BAND_PIXELS // max(1, width))
    drawn: np.ndarray | None = None
    for top in range(0, height, step):
        rows = depth[top : top + step]
        band = draw(rows, rel=relative(rows, min_m=min_m, max_m=max_m))
        if drawn is None:
            drawn = np.empty((height, *band.shape[1:]), band.dtype)
        drawn[top : top + step] = band
    assert drawn is not None, "an empty depth map"
    return drawn


def depth_range(depth: np.ndarray) -> tuple[float, float]:
    finite = np.isfinite(depth)  # a mask, not a copy of the finite values (4 bytes a pixel more)
    if not finite.any():
        return 0.0, 0.0
    return float(depth.min(where=finite, initial=np.inf)), float(depth.max(where=finite, initial=-np.inf))


@dataclass(frozen=True)
class DepthStats:
    """Metres over the finite values of one depth map (all 0 when it has none)."""

    min_m: float
    median_m: float
    max_m: float


# The median is taken over at most this many evenly spaced pixels: exact up to 1 MP, and beyond it the map is
# an upsampling of the model's quarter-size output, so the sample loses nothing (a 12 MP median took 1 s).
MEDIAN_SAMPLE = 1_000_000


def depth_stats(depth: np.ndarray) -> DepthStats:
    low, high = depth_range(depth)
    step = max(1, math.ceil(math.sqrt(depth.size / MEDIAN_SAMPLE)))
    sample = depth[::step, ::step]
    finite = sample[np.isfinite(sample)]
    return DepthStats(low, float(np.median(finite)) if finite.size else 0.0, high)
