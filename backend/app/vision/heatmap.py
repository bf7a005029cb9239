"""People heatmaps in person-seconds: per-sample tracks, accumulation, rendering and summary figures.

Pure numpy/OpenCV. The unit: each detection in a sample adds the sample's time share (seconds) to the
matrix, spread by a kernel that sums to one, so a cell holds person-seconds and the whole matrix sums to
`people_mean * duration_s` (mass that would fall outside the frame is reflected back in, so nothing is lost
at the borders).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

import cv2
import numpy as np

Anchor = Literal["feet", "center", "box"]
Mode = Literal["all", "movement"]
Normalization = Literal["max", "p99", "log"]

ANCHORS: tuple[str, ...] = ("feet", "center", "box")
MODES: tuple[str, ...] = ("all", "movement")
NORMALIZATIONS: tuple[str, ...] = ("max", "p99", "log")
COLORMAPS: dict[str, int] = {
    name: getattr(cv2, f"COLORMAP_{name.upper()}")
    for name in ("turbo", "jet", "magma", "inferno", "plasma", "viridis", "cividis", "hot", "parula", "twilight")
}

#: Splat widths are grouped into buckets this far apart (6 per octave, at most ~6% off the exact sigma).
SIGMA_RATIO = 2 ** (1 / 6)
#: Below this sigma (pixels) the kernel is an exact Gaussian; above, three box passes (same variance).
BOX_BLUR_FROM_SIGMA = 3.0
#: In `log` normalisation the colour scale spans this many decades below the maximum.
LOG_DECADES = 3.0


@dataclass
class Tracks:
    """Per-sample person detections of one video, with their track ids: everything a re-render needs.

    Samples are the frames that went through the detector, in order; each stands for `sample_weight`
    seconds of video, so samples with nobody in them still count in time averages.

    Attributes:
        width: Frame width in pixels.
        height: Frame height in pixels.
        sample_t: (S,) float64 seconds of each sample.
        sample_frame: (S,) int64 frame index of each sample, increasing.
        sample_weight: (S,) float64 seconds of video each sample stands for.
        t: (N,) float64 seconds of each detection (its sample's time).
        frame: (N,) int64 frame index of each detection (one of `sample_frame`).
        track_id: (N,) int64 track id (>= 1).
        xyxy: (N, 4) float32 boxes in pixels.
        conf: (N,) float32 detector confidence.
        background: (H, W, 3) uint8 BGR background image, or None.

    Example:
        >>> tracks = Tracks.empty(width=320, height=240)
        >>> tracks.save("tracks.npz"); len(Tracks.load("tracks.npz"))
        0
    """

    width: int
    height: int
    sample_t: np.ndarray
    sample_frame: np.ndarray
    sample_weight: np.ndarray
    t: np.ndarray
    frame: np.ndarray
    track_id: np.ndarray
    xyxy: np.ndarray
    conf: np.ndarray
    background: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.sample_t = np.asarray(self.sample_t, np.float64).reshape(-1)
        self.sample_frame = np.asarray(self.sample_frame, np.int64).reshape(-1)
        self.sample_weight = np.asarray(self.sample_weight, np.float64).reshape(-1)
        self.t = np.asarray(self.t, np.float64).reshape(-1)
        self.frame = np.asarray(self.frame, np.int64).reshape(-1)
        self.track_id = np.asarray(self.track_id, np.int64).reshape(-1)
        self.xyxy = np.asarray(self.xyxy, np.float32).reshape(-1, 4)
        self.conf = np.asarray(self.conf, np.float32).reshape(-1)
        if not len(self.sample_t) == len(self.sample_frame) == len(self.sample_weight):
            raise ValueError("sample_t, sample_frame and sample_weight must have the same length")
        if not len(self.t) == len(self.frame) == len(self.track_id) == len(self.xyxy) == len(self.conf):
            raise ValueError("t, frame, track_id, xyxy and conf must have the same length")
        if np.any(np.diff(self.sample_frame) <= 0):
            raise ValueError("sample_frame must be strictly increasing")
        if len(self.frame) and not np.isin(self.frame, self.sample_frame).all():
            raise ValueError("every detection's frame must be one of sample_frame")
        if self.background is not None and self.background.shape != (self.height, self.width, 3):
            raise ValueError(f"background must be ({self.height}, {self.width}, 3), got {self.background.shape}")

    @classmethod
    def empty(cls, *, width: int, height: int) -> Tracks:
        """Tracks with no sample and no detection."""
        none = np.zeros(0)
        return cls(width, height, none, none, none, none, none, none, np.zeros((0, 4)), none)

    def __len__(self) -> int:
        return len(self.t)

    @property
    def duration_s(self) -> float:
        """Seconds of video the samples stand for."""
        return float(self.sample_weight.sum())

    @property
    def weight(self) -> np.ndarray:
        """(N,) float64 seconds each detection stands for (its sample's weight)."""
        return self.sample_weight[np.searchsorted(self.sample_frame, self.frame)]

    @property
    def counts(self) -> np.ndarray:
        """(S,) int64 detections in each sample."""
        return np.bincount(np.searchsorted(self.sample_frame, self.frame), minlength=len(self.sample_frame))

    def select(self, mask: np.ndarray) -> Tracks:
        """These tracks with only the detections where `mask` ((N,) bool) is true; all samples kept."""
        return Tracks(
            self.width, self.height, self.sample_t, self.sample_frame, self.sample_weight,
            self.t[mask], self.frame[mask], self.track_id[mask], self.xyxy[mask], self.conf[mask], self.background,
        )  # fmt: skip

    def window(self, t_start: float | None = None, t_end: float | None = None) -> Tracks:
        """Samples (and their detections) with `t_start <= t < t_end`; None means open-ended."""
        lo = -math.inf if t_start is None else t_start
        hi = math.inf if t_end is None else t_end
        keep = (self.sample_t >= lo) & (self.sample_t < hi)
        det = (self.t >= lo) & (self.t < hi)
        return Tracks(
            self.width, self.height, self.sample_t[keep], self.sample_frame[keep], self.sample_weight[keep],
            self.t[det], self.frame[det], self.track_id[det], self.xyxy[det], self.conf[det], self.background,
        )  # fmt: skip

    def save(self, path: str | Path) -> None:
        """Write every field to an `.npz` (`background` only when set; uncompressed: a photo barely shrinks)."""
        arrays = {f.name: getattr(self, f.name) for f in fields(self)}
        if arrays["background"] is None:
            del arrays["background"]
        with Path(path).open("wb") as handle:
            np.savez(handle, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> Tracks:
        """Read tracks written by `save`."""
        with np.load(path) as data:
            values: dict[str, Any] = {name: data[name] for name in data.files}
        values["width"], values["height"] = int(values["width"]), int(values["height"])
        return cls(**values)


def anchor_points(xyxy: np.ndarray, anchor: Anchor = "feet") -> np.ndarray:
    """Anchor point of each box.

    Args:
        xyxy: (N, 4) boxes.
        anchor: `feet` (bottom centre) or `center`; `box` gives the centre too.

    Returns:
        (N, 2) float64 `(x, y)` points.
    """
    xyxy = np.asarray(xyxy, np.float64).reshape(-1, 4)
    x = (xyxy[:, 0] + xyxy[:, 2]) / 2
    y = xyxy[:, 3] if anchor == "feet" else (xyxy[:, 1] + xyxy[:, 3]) / 2
    return np.stack([x, y], axis=1)


def splat(
    heat: np.ndarray, xyxy: np.ndarray, weights: np.ndarray, *, anchor: Anchor = "feet", radius: float = 0.3
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
        heat += _box_density(heat.shape, xyxy, weights)
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


def _box_density(shape: tuple[int, ...], xyxy: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(H, W) float32: each weight spread evenly over its box (pixels it touches, clipped, at least one)."""
    height, width = shape
    x1 = np.clip(np.floor(xyxy[:, 0]), 0, width - 1).astype(np.int64)
    y1 = np.clip(np.floor(xyxy[:, 1]), 0, height - 1).astype(np.int64)
    x2 = np.clip(np.ceil(xyxy[:, 2]), x1 + 1, width).astype(np.int64)
    y2 = np.clip(np.ceil(xyxy[:, 3]), y1 + 1, height).astype(np.int64)
    density = weights / ((x2 - x1) * (y2 - y1))
    corners = np.zeros((height + 1, width + 1), np.float64)
    for ys, xs, sign in ((y1, x1, 1), (y1, x2, -1), (y2, x1, -1), (y2, x2, 1)):
        np.add.at(corners, (ys, xs), sign * density)
    return corners.cumsum(0).cumsum(1)[:height, :width].astype(np.float32)


def still_mask(
    tracks: Tracks, *, anchor: Anchor = "feet", still_seconds: float = 3.0, still_radius: float = 0.5
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
    anchor: Anchor = "feet",
    radius: float = 0.3,
    mode: Mode = "all",
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
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    selected = tracks.window(t_start, t_end)
    if mode == "movement" and len(selected):
        still = still_mask(selected, anchor=anchor, still_seconds=still_seconds, still_radius=still_radius)
        selected = selected.select(~still)
    heat = np.zeros((tracks.height, tracks.width), np.float32)
    splat(heat, selected.xyxy, selected.weight, anchor=anchor, radius=radius)
    return heat


def summarize(tracks: Tracks) -> dict[str, Any]:
    """Head counts over the sampled frames.

    Returns:
        `people_unique` (distinct track ids), `people_peak` (most at once in a sample), `people_mean` (mean
        in view, weighted by time share), `people_per_second` (mean in view during each second of video,
        a list of `ceil(duration)` floats; a second counts the samples' time spans that overlap it).
    """
    counts = tracks.counts.astype(np.float64)
    duration = tracks.duration_s
    people_mean = float(counts @ tracks.sample_weight / duration) if duration > 0 else 0.0
    return {
        "people_unique": int(len(np.unique(tracks.track_id))),
        "people_peak": int(counts.max()) if len(counts) else 0,
        "people_mean": round(people_mean, 6),
        "people_per_second": per_second(tracks.sample_t, tracks.sample_weight, counts),
    }


def per_second(starts: np.ndarray, weights: np.ndarray, values: np.ndarray) -> list[float]:
    """Time-weighted mean of a piecewise-constant series over each whole second.

    Args:
        starts: (S,) start of each span, seconds, increasing.
        weights: (S,) length of each span, seconds.
        values: (S,) value during each span.

    Returns:
        One mean per second from 0 to the end of the last span (a partial last second averages what it has).
    """
    if not len(starts):
        return []
    ends = starts + weights
    seconds = np.arange(0, math.ceil(ends[-1] - 1e-9) + 1, dtype=np.float64)
    # Integrals from 0 of the covered time and of the value, both piecewise linear between span edges.
    edges = np.concatenate([starts[:1], ends])
    covered = np.interp(seconds, edges, np.concatenate([[0.0], np.cumsum(weights)]))
    integral = np.interp(seconds, edges, np.concatenate([[0.0], np.cumsum(weights * values)]))
    time_in, value_in = np.diff(covered), np.diff(integral)
    means = np.divide(value_in, time_in, out=np.zeros_like(value_in), where=time_in > 0)
    return [round(float(m), 4) for m in means]


def normalize(heat: np.ndarray, normalization: Normalization = "p99") -> tuple[np.ndarray, Callable[[float], float]]:
    """Map heat to [0, 1] for colouring.

    Args:
        heat: (H, W) person-seconds.
        normalization: `max` (linear to the maximum), `p99` (linear to the 99th percentile of the heated
            pixels, brighter ones saturate) or `log` (logarithmic over `LOG_DECADES` below the maximum).

    Returns:
        (H, W) float32 in [0, 1], and the inverse: scale position -> person-seconds (for the legend).
    """
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"normalization must be one of {NORMALIZATIONS}, got {normalization!r}")
    peak = float(heat.max()) if heat.size else 0.0
    if peak <= 0:
        return np.zeros(heat.shape, np.float32), lambda _: 0.0
    if normalization == "log":
        floor = peak * 10**-LOG_DECADES
        scale = math.log1p(peak / floor)
        value = np.log1p(np.maximum(heat, 0) / floor) / scale
        return np.clip(value, 0, 1).astype(np.float32), lambda p: floor * math.expm1(p * scale)
    top = peak if normalization == "max" else float(np.percentile(heat[heat > 0], 99))
    return np.clip(heat / top, 0, 1).astype(np.float32), lambda p: p * top


def render_heatmap(
    heat: np.ndarray,
    background: np.ndarray,
    *,
    colormap: str = "turbo",
    opacity: float = 0.6,
    normalization: Normalization = "p99",
    legend: bool = True,
) -> np.ndarray:
    """Colour the heat over the background, with a legend in person-seconds per pixel on the right.

    A pixel's colour blends in with `opacity` times its scale position, ramped over the lowest 10% of the
    scale, so empty areas show the plain background.

    Args:
        heat: (H, W) person-seconds.
        background: (H, W, 3) uint8 BGR.
        colormap: A key of `COLORMAPS`.
        opacity: Blend weight of the colours, 0-1.
        normalization: See `normalize`.
        legend: Append the colour bar panel.

    Returns:
        (H, W + legend width, 3) uint8 BGR (legend width 0 without the legend).
    """
    if colormap not in COLORMAPS:
        raise ValueError(f"colormap must be one of {tuple(COLORMAPS)}, got {colormap!r}")
    if not 0 <= opacity <= 1:
        raise ValueError("opacity must be between 0 and 1")
    if heat.shape != background.shape[:2]:
        raise ValueError(f"heat {heat.shape} and background {background.shape[:2]} sizes differ")
    value, inverse = normalize(heat, normalization)
    colours = cv2.applyColorMap((value * 255).astype(np.uint8), COLORMAPS[colormap])
    alpha = opacity * np.clip(value * 10, 0, 1)
    image = cv2.blendLinear(colours, background, alpha, 1 - alpha)
    if not legend:
        return image
    return np.hstack([image, _legend(background.shape[0], colormap, inverse)])


def _legend(height: int, colormap: str, inverse: Callable[[float], float]) -> np.ndarray:
    """(H, w, 3) uint8 panel: a vertical colour bar with 5 ticks labelled in person-seconds per pixel."""
    font, scale = cv2.FONT_HERSHEY_SIMPLEX, max(0.3, height / 900)
    thickness = max(1, round(scale * 1.5))
    ticks = [(p, f"{inverse(p):.3g}") for p in (1.0, 0.75, 0.5, 0.25, 0.0)]
    titles = ("person-s", "per pixel")
    text_w = max(cv2.getTextSize(text, font, scale, thickness)[0][0] for text in [t for _, t in ticks] + list(titles))
    text_h = cv2.getTextSize("0", font, scale, thickness)[0][1]
    margin, bar_w = max(4, height // 60), max(8, height // 30)
    top, bottom = margin * 2 + 2 * (text_h + margin), height - margin - text_h
    panel = np.full((height, 3 * margin + bar_w + text_w + 2, 3), 32, np.uint8)
    if bottom - top < 2:
        return panel
    ramp = np.linspace(255, 0, bottom - top).astype(np.uint8)[:, None].repeat(bar_w, 1)
    panel[top:bottom, margin : margin + bar_w] = cv2.applyColorMap(ramp, COLORMAPS[colormap])
    for row, title in enumerate(titles):
        y = margin + (row + 1) * (text_h + margin // 2)
        cv2.putText(panel, title, (margin, y), font, scale, (235, 235, 235), thickness, cv2.LINE_AA)
    for position, label in ticks:
        y = round(bottom - 1 - position * (bottom - top - 1))
        cv2.line(panel, (margin + bar_w, y), (margin + bar_w + margin // 2, y), (235, 235, 235), 1)
        origin = (2 * margin + bar_w + 2, y + text_h // 2)
        cv2.putText(panel, label, origin, font, scale, (235, 235, 235), thickness, cv2.LINE_AA)
    return panel


def track_colour(track_id: int) -> tuple[int, int, int]:
    """A stable, well-spread BGR colour for a track id (golden-ratio hues)."""
    hue = int((track_id * 0.618033988749895 % 1.0) * 180)
    bgr = cv2.cvtColor(np.array([[[hue, 220, 255]]], np.uint8), cv2.COLOR_HSV2BGR)[0, 0]
    return int(bgr[0]), int(bgr[1]), int(bgr[2])


def render_tracks(
    tracks: Tracks,
    background: np.ndarray,
    *,
    anchor: Anchor = "feet",
    t_start: float | None = None,
    t_end: float | None = None,
) -> np.ndarray:
    """Draw each track's anchor path over the dimmed background, one colour per track id.

    Args:
        tracks: Per-sample detections.
        background: (H, W, 3) uint8 BGR.
        anchor: Which point of the box to follow (`box` follows the centre).
        t_start: Only detections at or after this second.
        t_end: Only detections before this second.

    Returns:
        (H, W, 3) uint8 BGR.
    """
    image = (background * 0.6).astype(np.uint8)
    selected = tracks.window(t_start, t_end)
    points = anchor_points(selected.xyxy, anchor)
    thickness = max(1, round(background.shape[0] / 360))
    for track in np.unique(selected.track_id):
        rows = np.flatnonzero(selected.track_id == track)
        path = np.round(points[rows[np.argsort(selected.t[rows], kind="stable")]]).astype(np.int32)
        colour = track_colour(int(track))
        cv2.polylines(image, [path.reshape(-1, 1, 2)], False, colour, thickness, cv2.LINE_AA)
        cv2.circle(image, (int(path[-1, 0]), int(path[-1, 1])), 2 * thickness + 1, colour, -1, cv2.LINE_AA)
    return image


@dataclass(frozen=True)
class LegacyResult:
    """Output of the old algorithm: (H, W) float32 hit counts, the (H, W, 3) overlay, frames read/detected."""

    heat: np.ndarray
    overlay: np.ndarray
    frames_read: int
    frames_detected: int
    inference_s: float
    total_s: float


def legacy_heatmap(
    path: str | Path, detect: Callable[[np.ndarray], np.ndarray], *, every: int = 3, blur_sigma: float = 15.0
) -> LegacyResult:
    """The previous service's algorithm, kept as a benchmark baseline.

    Reads every frame, runs `detect` on every `every`-th one (one frame per call), adds +1 over each person
    box, blurs, min-max normalises and blends JET colours over the mean of the detected frames.

    Args:
        path: The video.
        detect: One (H, W, 3) BGR frame -> (N, 4) person boxes `xyxy`.
        every: Frame stride.
        blur_sigma: Gaussian blur sigma in pixels.

    Returns:
        The `LegacyResult`.
    """
    started = time.perf_counter()
    cap = cv2.VideoCapture(str(path))
    heat: np.ndarray | None = None
    total: np.ndarray | None = None
    read = detected = 0
    inference = 0.0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        if read % every == 0:
            t0 = time.perf_counter()
            boxes = np.asarray(detect(frame)).reshape(-1, 4).astype(np.int64)
            inference += time.perf_counter() - t0
            if heat is None or total is None:
                heat, total = np.zeros(frame.shape[:2], np.float32), np.zeros(frame.shape, np.float64)
            for x1, y1, x2, y2 in np.clip(boxes, 0, None):
                heat[y1:y2, x1:x2] += 1
            total += frame
            detected += 1
        read += 1
    cap.release()
    if heat is None or total is None:
        raise ValueError(f"no frame could be read from {path}")
    blurred = cv2.GaussianBlur(heat, (0, 0), blur_sigma)
    scaled = cv2.normalize(blurred, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    mean = (total / detected).astype(np.uint8)
    overlay = cv2.addWeighted(mean, 0.5, cv2.applyColorMap(scaled, cv2.COLORMAP_JET), 0.5, 0)
    return LegacyResult(heat, overlay, read, detected, inference, time.perf_counter() - started)
