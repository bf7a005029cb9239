"""People heatmaps in person-seconds: tracks accumulated into a (H, W) matrix.

Pure numpy/OpenCV. The unit: each detection in a sample adds the sample's time share (seconds) to the
matrix, spread by a kernel that sums to one, so a cell holds person-seconds and the whole matrix sums to
`people_mean * duration_s` (mass that would fall outside the frame is reflected back in, so nothing is lost
at the borders).
"""

from __future__ import annotations

import math
from typing import Literal, get_args

import cv2
import numpy as np

from app.vision.tracks import ANCHORS, DEFAULT_ANCHOR, Anchor, Tracks, anchor_points

Mode = Literal["all", "movement"]
MODES: tuple[Mode, ...] = get_args(Mode)
DEFAULT_MODE: Mode = "all"
#: Gaussian sigma of a splat, in box widths.
DEFAULT_RADIUS = 0.3

#: Splat widths are grouped into buckets this far apart (6 per octave, at most ~6% off the exact sigma).
SIGMA_RATIO = 2 ** (1 / 6)
#: Below this sigma (pixels) the kernel is an exact Gaussian; above, three box passes (same variance).
BOX_BLUR_FROM_SIGMA = 3.0


def splat(
    heat: np.ndarray,
    xyxy: np.ndarray,
    weights: np.ndarray,
    *,
    anchor: Anchor = DEFAULT_ANCHOR,
    radius: float = DEFAULT_RADIUS,
) -> None:
    """Add each box's weight to `heat`, in place, as a kernel that sums to exactly that weight.

    `feet`/`center`: a Gaussian at the anchor with sigma `radius * box width`; the anchor is placed with
    sub-pixel (bilinear) precision. Sigmas are grouped in buckets of `SIGMA_RATIO`; above
    `BOX_BLUR_FROM_SIGMA` pixels the Gaussian is three box-filter passes of the same variance. Borders
    reflect the kernel's overflow back into the frame, so no weight is lost. `box`: the weight spread
    evenly over the box (the old behaviour, normalised), `radius` unused.

    Args:
        heat: (H, W) float32 accumulator.
        xyxy: (N, 4) boxes in pixels; N may be 0.
        weights: (N,) weights (seconds).
        anchor: `feet`, `center` or `box`.
        radius: Gaussian sigma as a multiple of the box width.
    """
    if anchor not in ANCHORS:
        raise ValueError(f"anchor must be one of {ANCHORS}, got {anchor!r}")
    xyxy = np.asarray(xyxy, np.float64).reshape(-1, 4)
    weights = np.broadcast_to(np.asarray(weights, np.float64), (len(xyxy),))
    if not len(xyxy):
        return
    if anchor == "box":
        heat += box_fill(heat.shape, xyxy, weights, spread=True)
        return
    points = np.clip(anchor_points(xyxy, anchor), 0, heat.shape[::-1])  # off-frame anchors land on the edge
    sigmas = radius * np.maximum(xyxy[:, 2] - xyxy[:, 0], 1.0)
    buckets = np.round(np.log(np.maximum(sigmas, 1e-3)) / math.log(SIGMA_RATIO)).astype(np.int64)
    for bucket in np.unique(buckets):
        chosen = buckets == bucket
        _splat_gaussians(heat, points[chosen], weights[chosen], SIGMA_RATIO ** float(bucket))


def _splat_gaussians(heat: np.ndarray, points: np.ndarray, weights: np.ndarray, sigma: float) -> None:
    """Add Gaussians of one sigma at `points` ((N, 2) x, y) to `heat`, in place, blurring only where they reach.

    The impulses are blurred inside the frame region that the kernel can reach from them; on sides where
    that region meets the frame's edge, the reflection is the same as over the whole frame, and elsewhere
    the margin keeps every pass zero at the region's edge, so the result is exact.
    """
    height, width = heat.shape
    box = _box_size(sigma)
    reach = (3 * (box // 2) if box else int(4 * sigma) + 1) + 4
    x0, y0 = (max(0, int(np.floor(points[:, i].min())) - reach) for i in (0, 1))
    x1 = min(width, int(np.ceil(points[:, 0].max())) + reach)
    y1 = min(height, int(np.ceil(points[:, 1].max())) + reach)
    region = _impulses((y1 - y0, x1 - x0), points - (x0, y0), weights)
    if box:
        for _ in range(3):
            region = cv2.blur(region, (box, box), borderType=cv2.BORDER_REFLECT)
    elif sigma >= 0.3:
        region = cv2.GaussianBlur(region, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)
    heat[y0:y1, x0:x1] += region


def _box_size(sigma: float) -> int:
    """Odd width of the three box passes with the variance of `sigma` (0: use an exact Gaussian)."""
    if sigma < BOX_BLUR_FROM_SIGMA:
        return 0
    return int(round(math.sqrt(4 * sigma * sigma + 1))) | 1  # 3 passes of width w: variance (w^2 - 1) / 4


def _impulses(shape: tuple[int, int], points: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(H, W) float32 image with each weight split bilinearly over the 4 pixels around its point.

    Pixel (i, j) covers [j, j+1) x [i, i+1); points outside the image go to its edge pixels.
    """
    height, width = shape
    u, v = points[:, 0] - 0.5, points[:, 1] - 0.5
    x0, y0 = np.floor(u), np.floor(v)
    fx, fy = u - x0, v - y0
    xs = np.clip(np.stack([x0, x0 + 1, x0, x0 + 1]), 0, width - 1).astype(np.int64)
    ys = np.clip(np.stack([y0, y0, y0 + 1, y0 + 1]), 0, height - 1).astype(np.int64)
    shares = np.stack([(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy]) * weights
    image = np.bincount((ys * width + xs).ravel(), shares.ravel(), minlength=height * width)
    return image.reshape(height, width).astype(np.float32)


def box_fill(shape: tuple[int, ...], xyxy: np.ndarray, values: np.ndarray, *, spread: bool = False) -> np.ndarray:
    """(H, W) float32: each box's value added to every pixel it touches (clipped, at least one), or with
    `spread` divided evenly over them (so each box adds exactly its value to the total)."""
    height, width = shape
    x1 = np.clip(np.floor(xyxy[:, 0]), 0, width - 1).astype(np.int64)
    y1 = np.clip(np.floor(xyxy[:, 1]), 0, height - 1).astype(np.int64)
    x2 = np.clip(np.ceil(xyxy[:, 2]), x1 + 1, width).astype(np.int64)
    y2 = np.clip(np.ceil(xyxy[:, 3]), y1 + 1, height).astype(np.int64)
    density = values / ((x2 - x1) * (y2 - y1)) if spread else values
    corners = np.zeros((height + 1, width + 1), np.float64)
    for ys, xs, sign in ((y1, x1, 1), (y1, x2, -1), (y2, x1, -1), (y2, x2, 1)):
        np.add.at(corners, (ys, xs), sign * density)
    return corners.cumsum(0).cumsum(1)[:height, :width].astype(np.float32)


def still_mask(
    tracks: Tracks, *, anchor: Anchor = DEFAULT_ANCHOR, still_seconds: float = 3.0, still_radius: float = 0.5
) -> np.ndarray:
    """Detections that belong to a stretch where their track stayed put.

    A stretch starts at a detection and runs while the track's anchor stays within `still_radius` box
    widths of where it started; it is still when it lasts at least `still_seconds`.

    Args:
        tracks: The tracks.
        anchor: Anchor whose motion counts.
        still_seconds: Minimum duration of a still stretch.
        still_radius: Distance, in box widths (of the stretch's first box), that still counts as standing.

    Returns:
        (N,) bool, true for detections in a still stretch.
    """
    still = np.zeros(len(tracks), bool)
    points = anchor_points(tracks.xyxy, anchor)
    limits = still_radius * np.maximum(tracks.xyxy[:, 2] - tracks.xyxy[:, 0], 1.0)
    order = np.lexsort((tracks.t, tracks.track_id))
    for rows in np.split(order, np.flatnonzero(np.diff(tracks.track_id[order])) + 1):
        p, limit, count = points[rows], limits[rows], len(rows)
        # horizon[i]: the first row by which a stretch starting at row i would have lasted long enough.
        horizon = np.searchsorted(tracks.t[rows] + tracks.weight[rows], tracks.t[rows] + still_seconds)
        reachable = horizon < count
        moved = np.zeros(count, bool)  # some row up to the horizon is too far from row i
        for step in range(1, int((horizon - np.arange(count))[reachable].max(initial=0)) + 1):
            later = np.minimum(np.arange(count) + step, count - 1)
            moved |= (np.arange(count) + step <= horizon) & (np.hypot(*(p[later] - p).T) > limit)
        stop = 0
        for start in np.flatnonzero(reachable & ~moved):
            if start < stop:
                continue
            away = np.hypot(*(p[horizon[start] + 1 :] - p[start]).T) > limit[start]
            stop = horizon[start] + 1 + (int(np.argmax(away)) if away.any() else len(away))
            still[rows[start:stop]] = True
    return still


def accumulate(
    tracks: Tracks,
    *,
    anchor: Anchor = DEFAULT_ANCHOR,
    radius: float = DEFAULT_RADIUS,
    mode: Mode = DEFAULT_MODE,
    t_start: float | None = None,
    t_end: float | None = None,
    still_seconds: float = 3.0,
    still_radius: float = 0.5,
) -> np.ndarray:
    """The heatmap: person-seconds per pixel.

    Args:
        tracks: Per-sample detections.
        anchor: `feet` (default), `center` or `box`; see `splat`.
        radius: Gaussian sigma as a multiple of the box width.
        mode: `all`, or `movement` to leave out detections in still stretches (see `still_mask`).
        t_start: Only samples at or after this second.
        t_end: Only samples before this second.
        still_seconds: For `movement`: how long standing counts as still.
        still_radius: For `movement`: how far, in box widths, standing may wander.

    Returns:
        (H, W) float32; its sum is the weighted detection count, i.e. `people_mean * duration_s` of the
        window (less the still detections in `movement` mode).

    Example:
        >>> heat = accumulate(tracks, anchor="feet", radius=0.3, t_start=10, t_end=20)
        >>> heat.shape, heat.dtype
        ((720, 1280), dtype('float32'))
    """
    selected = _counted(tracks, anchor, mode, t_start, t_end, still_seconds, still_radius)
    heat = np.zeros((tracks.height, tracks.width), np.float32)
    splat(heat, selected.xyxy, selected.weight, anchor=anchor, radius=radius)
    return heat


def _counted(
    tracks: Tracks,
    anchor: Anchor,
    mode: Mode,
    t_start: float | None,
    t_end: float | None,
    still_seconds: float,
    still_radius: float,
) -> Tracks:
    """The detections that a heatmap counts: those of the window, less the still ones in `movement` mode."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    selected = tracks.window(t_start, t_end)
    if mode == "movement" and len(selected):
        still = still_mask(selected, anchor=anchor, still_seconds=still_seconds, still_radius=still_radius)
        selected = selected.select(~still)
    return selected


#: `heat_slices` cuts a video in at most this many slices, each a whole number of these seconds long.
MAX_SLICES = 120
SLICE_STEPS_S = (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600)
#: The slices are at most a quarter of the frame on each side, and at most this many cells on the longer one.
SLICE_MAX_SIDE = 160


def slice_seconds(duration_s: float, *, max_slices: int = MAX_SLICES) -> float:
    """The shortest step of `SLICE_STEPS_S` (or a whole number of hours) that cuts `duration_s` in at most
    `max_slices` slices."""
    needed = duration_s / max_slices
    step = next((s for s in SLICE_STEPS_S if s >= needed), 3600 * math.ceil(needed / 3600))
    return float(step)


def slice_factor(height: int, width: int) -> int:
    """The side of the square blocks of frame pixels that make one slice cell (at least 4)."""
    return max(4, math.ceil(max(height, width) / SLICE_MAX_SIDE))


def block_sum(heat: np.ndarray, factor: int) -> np.ndarray:
    """(H, W) -> (ceil(H / factor), ceil(W / factor)) float32: each cell the sum of its block (edge blocks
    padded with zeros), so the total is kept."""
    height, width = heat.shape
    rows, cols = -(-height // factor), -(-width // factor)
    padded = cv2.copyMakeBorder(
        heat.astype(np.float32, copy=False), 0, rows * factor - height, 0, cols * factor - width, cv2.BORDER_CONSTANT
    )
    # INTER_AREA at a whole factor is the block mean (4x faster than a numpy reshape-sum on 1280x720)
    blocks: np.ndarray = cv2.resize(padded, (cols, rows), interpolation=cv2.INTER_AREA) * np.float32(factor * factor)
    return blocks


def heat_slices(
    tracks: Tracks,
    *,
    slice_s: float,
    factor: int,
    anchor: Anchor = DEFAULT_ANCHOR,
    radius: float = DEFAULT_RADIUS,
    mode: Mode = DEFAULT_MODE,
    t_start: float | None = None,
    t_end: float | None = None,
    still_seconds: float = 3.0,
    still_radius: float = 0.5,
) -> np.ndarray:
    """The heatmap of each `slice_s` seconds of video, summed over `factor` x `factor` pixel blocks.

    Each slice is `accumulate`'s heat of the detections in `[k * slice_s, (k + 1) * slice_s)` with the same
    options, so the slices sum to `block_sum(accumulate(...), factor)` (to float32 rounding).

    Returns:
        (T, ceil(H / factor), ceil(W / factor)) float32 person-seconds, T = ceil(video end / slice_s) (at
        least 1); slices outside `t_start`..`t_end` are zero.
    """
    selected = _counted(tracks, anchor, mode, t_start, t_end, still_seconds, still_radius)
    count = max(1, math.ceil(tracks.end_s / slice_s - 1e-9))
    index = np.minimum((selected.t // slice_s).astype(np.int64), count - 1)
    weights = selected.weight
    rows, cols = -(-tracks.height // factor), -(-tracks.width // factor)
    slices = np.zeros((count, rows, cols), np.float32)
    heat = np.zeros((tracks.height, tracks.width), np.float32)
    for k in np.unique(index):
        chosen = index == k
        heat.fill(0)
        splat(heat, selected.xyxy[chosen], weights[chosen], anchor=anchor, radius=radius)
        slices[k] = block_sum(heat, factor)
    return slices
