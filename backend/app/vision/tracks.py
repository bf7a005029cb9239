"""Per-sample person tracks of one video (everything a re-render needs) and the head counts drawn from them.

Pure numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np

Anchor = Literal["feet", "center", "box"]
ANCHORS: tuple[Anchor, ...] = get_args(Anchor)
DEFAULT_ANCHOR: Anchor = "feet"


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
    def end_s(self) -> float:
        """Second at which the last sample's span ends (0 without samples)."""
        return float((self.sample_t + self.sample_weight).max(initial=0.0))

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


def anchor_points(xyxy: np.ndarray, anchor: Anchor = DEFAULT_ANCHOR) -> np.ndarray:
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
