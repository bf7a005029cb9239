"""Keeping people out of the frame images SceneLab writes: their boxes blurred in the background.

Pure numpy/OpenCV. A per-pixel median of the sampled frames keeps whoever stood in one place for about half
the samples; people passing through leave no trace in it. So the pixels blurred are those inside some
person's box for at least `MIN_SHARE` of the video (with a margin), which covers everyone the median can show.
"""

from __future__ import annotations

import cv2
import numpy as np

from app.vision.heat import box_fill
from app.vision.tracks import Tracks

#: A pixel is blurred when people's boxes covered it for at least this share of the video's time.
MIN_SHARE = 0.1
#: The blur: the image shrunk this many times on each side, then scaled back (pixelated, then smoothed).
PIXELATE = 12


def people_mask(tracks: Tracks, *, min_share: float = MIN_SHARE) -> np.ndarray:
    """(H, W) bool: pixels inside detected boxes for at least `min_share` of the video, grown by 5% of the frame's
    shorter side (box edges are loose).

    Coverage adds each detection's seconds over its box (overlapping people in one sample count twice,
    which only widens the mask).
    """
    height, width = tracks.height, tracks.width
    if not len(tracks) or tracks.duration_s <= 0:
        return np.zeros((height, width), bool)
    coverage = box_fill((height, width), tracks.xyxy.astype(np.float64), tracks.weight) / tracks.duration_s
    mask = (coverage >= min_share - 1e-9).astype(np.uint8)
    grow = max(1, round(0.05 * min(height, width)))
    return cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1))) > 0


def blur_people(image: np.ndarray, tracks: Tracks, *, min_share: float = MIN_SHARE) -> np.ndarray:
    """A copy of `image` ((H, W, 3) uint8 BGR, the tracks' frame size) with `people_mask` pixelated and smoothed."""
    mask = people_mask(tracks, min_share=min_share)
    if not mask.any():
        return image.copy()
    height, width = image.shape[:2]
    small = cv2.resize(image, (max(1, width // PIXELATE), max(1, height // PIXELATE)), interpolation=cv2.INTER_AREA)
    coarse = cv2.resize(small, (width, height), interpolation=cv2.INTER_NEAREST)
    blurred = cv2.GaussianBlur(coarse, (0, 0), PIXELATE / 2)
    out = image.copy()
    out[mask] = blurred[mask]
    return out
