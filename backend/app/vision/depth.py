"""Depth maps: inference over a batch of images and the encodings of each result (PNG: `images.encode_png`).

Depth values grow with distance (the model predicts metres, relative in practice). The 16-bit PNG keeps
that order (0 = nearest, 65535 = farthest); the colour preview flips it so that near is bright
(yellow in magma) and far is dark.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, get_args

import cv2
import numpy as np

Colormap = Literal["magma", "inferno", "viridis", "plasma", "turbo", "jet", "gray"]
#: OpenCV colour maps of every `Colormap` but `gray` (white near, black far).
COLORMAPS: dict[Colormap, int] = {
    name: getattr(cv2, f"COLORMAP_{name.upper()}") for name in get_args(Colormap) if name != "gray"
}


def predict_depth(model: Any, images_rgb: Sequence[np.ndarray], *, imgsz: int, device: str) -> list[np.ndarray]:
    """Run an ultralytics depth model on RGB images in one call.

    Args:
        model: an `ultralytics.YOLO` depth model.
        images_rgb: (H, W, 3) uint8 arrays, each at its own size.

    Returns:
        One (H, W) float32 depth map per image, at that image's resolution.
    """
    bgr = [np.ascontiguousarray(image[:, :, ::-1]) for image in images_rgb]
    results = model.predict(bgr, imgsz=imgsz, device=device, batch=len(bgr), verbose=False)
    return [result.depth.data.float().cpu().numpy().astype(np.float32, copy=False) for result in results]


def relative(depth: np.ndarray) -> np.ndarray:
    """Depth scaled to [0, 1] (0 nearest); non-finite values become 1 (far), a flat map becomes 0."""
    finite = np.isfinite(depth)
    if not finite.any():
        return np.ones(depth.shape, np.float32)
    low, high = float(depth[finite].min()), float(depth[finite].max())
    span = high - low
    scaled = (depth - low) / span if span > 0 else np.zeros(depth.shape, np.float32)
    return np.where(finite, scaled, 1.0).astype(np.float32)


def to_uint16(depth: np.ndarray, *, rel: np.ndarray | None = None) -> np.ndarray:
    """(H, W) uint16 with 0 the nearest and 65535 the farthest point (`rel`: `relative(depth)` if known)."""
    return np.rint((relative(depth) if rel is None else rel) * 65535.0).astype(np.uint16)


def colorize(depth: np.ndarray, colormap: Colormap = "magma", *, rel: np.ndarray | None = None) -> np.ndarray:
    """(H, W, 3) uint8 BGR preview; near is bright. `gray` gives white near, black far."""
    near_bright = np.rint((1.0 - (relative(depth) if rel is None else rel)) * 255.0).astype(np.uint8)
    if colormap == "gray":
        return cv2.cvtColor(near_bright, cv2.COLOR_GRAY2BGR)
    return cv2.applyColorMap(near_bright, COLORMAPS[colormap])


def depth_range(depth: np.ndarray) -> tuple[float, float]:
    finite = depth[np.isfinite(depth)]
    return (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
