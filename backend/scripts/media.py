"""Synthetic test media: a static scene with human-like figures walking on known straight paths.

Used by the vision tests (ground truth for where heat must go), `bench_heatmap.py` and `load.py`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np


@dataclass(frozen=True)
class Walker:
    """A figure whose feet move linearly from `start_xy` to `end_xy` between `t0` and `t1` seconds.

    Outside `[t0, t1]` the figure is not in the scene. `height` is the figure's height in pixels.
    """

    start_xy: tuple[float, float]
    end_xy: tuple[float, float]
    height: float
    t0: float = 0.0
    t1: float = float("inf")
    shirt_bgr: tuple[int, int, int] = (40, 40, 200)

    def feet(self, t: float) -> tuple[float, float] | None:
        """Feet position (x, y) at `t` seconds, or None when the figure is absent."""
        if not self.t0 <= t <= self.t1:
            return None
        span = self.t1 - self.t0
        f = 0.0 if not np.isfinite(span) or span == 0 else (t - self.t0) / span
        (x0, y0), (x1, y1) = self.start_xy, self.end_xy
        return x0 + f * (x1 - x0), y0 + f * (y1 - y0)

    def box(self, t: float) -> tuple[float, float, float, float] | None:
        """The figure's `xyxy` box at `t` seconds (feet at the bottom centre), or None when absent."""
        feet = self.feet(t)
        if feet is None:
            return None
        half_w = 0.2 * self.height
        return feet[0] - half_w, feet[1] - self.height, feet[0] + half_w, feet[1]


@dataclass(frozen=True)
class Scene:
    """A scene definition: frame size, frame rate, duration, walkers."""

    size_wh: tuple[int, int] = (320, 240)
    fps: float = 10.0
    seconds: float = 3.0
    walkers: tuple[Walker, ...] = field(default_factory=tuple)
    noise: float = 0.0  # standard deviation of per-frame sensor noise, in grey levels

    @property
    def frames(self) -> int:
        return int(round(self.fps * self.seconds))

    def background(self) -> np.ndarray:
        """The empty scene, (H, W, 3) uint8 BGR: a floor gradient with a few static shapes."""
        w, h = self.size_wh
        ys = np.linspace(90, 170, h, dtype=np.float32)[:, None]
        xs = np.linspace(0, 30, w, dtype=np.float32)[None, :]
        grey = (ys + xs).astype(np.uint8)
        image = cv2.merge([grey, grey, np.clip(grey.astype(np.int16) + 10, 0, 255).astype(np.uint8)])
        cv2.rectangle(image, (w // 20, h // 20), (w // 5, h // 4), (60, 110, 60), -1)
        cv2.rectangle(image, (int(0.45 * w), h // 20), (int(0.65 * w), h // 6), (150, 90, 40), -1)
        return image

    def frame(self, index: int, background: np.ndarray | None = None) -> np.ndarray:
        """Frame `index`, (H, W, 3) uint8 BGR, with every present walker drawn."""
        image = (self.background() if background is None else background).copy()
        t = index / self.fps
        for walker in self.walkers:
            feet = walker.feet(t)
            if feet is not None:
                phase = index if walker.start_xy != walker.end_xy else 0  # someone standing keeps still
                draw_figure(image, feet, walker.height, walker.shirt_bgr, phase=phase)
        if self.noise:
            noise = np.empty(image.shape, np.int16)
            cv2.randn(noise, 0, self.noise)
            image = cv2.add(image, noise, dtype=cv2.CV_8U)
        return image


def draw_figure(
    image: np.ndarray, feet_xy: tuple[float, float], height: float, shirt_bgr: tuple[int, int, int], phase: int = 0
) -> None:
    """Draw a simple standing/walking person (legs, torso, arms, head) with feet at `feet_xy`, in place."""
    x, y = feet_xy
    h = height
    skin, trousers = (140, 170, 220), (70, 45, 35)
    swing = 0.08 * h * (1 if phase % 4 < 2 else -1)
    hip = (x, y - 0.47 * h)
    thick = max(2, int(0.09 * h))
    cv2.line(image, _px(*hip), _px(x - swing, y), trousers, thick, cv2.LINE_AA)
    cv2.line(image, _px(*hip), _px(x + swing, y), trousers, thick, cv2.LINE_AA)
    torso_top = (x, y - 0.8 * h)
    cv2.ellipse(
        image,
        _px(x, y - 0.63 * h),
        (max(2, int(0.13 * h)), max(3, int(0.19 * h))),
        0,
        0,
        360,
        shirt_bgr,
        -1,
        cv2.LINE_AA,
    )
    arm = max(1, int(0.05 * h))
    cv2.line(image, _px(x - 0.12 * h, y - 0.76 * h), _px(x - 0.16 * h + swing / 2, y - 0.45 * h), shirt_bgr, arm)
    cv2.line(image, _px(x + 0.12 * h, y - 0.76 * h), _px(x + 0.16 * h - swing / 2, y - 0.45 * h), shirt_bgr, arm)
    cv2.circle(image, _px(torso_top[0], y - 0.9 * h), max(2, int(0.09 * h)), skin, -1, cv2.LINE_AA)


def _px(x: float, y: float) -> tuple[int, int]:
    return int(round(x)), int(round(y))


def write_video(path: Path, scene: Scene, fourcc: str = "mp4v") -> Path:
    """Encode `scene` to `path` with OpenCV's writer and return the path."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*fourcc), scene.fps, scene.size_wh)
    if not writer.isOpened():
        raise RuntimeError(f"OpenCV cannot write {fourcc} to {path}")
    background = scene.background()
    try:
        for index in range(scene.frames):
            writer.write(scene.frame(index, background))
    finally:
        writer.release()
    return path


def set_mp4_rotation(path: Path, degrees: int) -> None:
    """Write a display rotation (0/90/180/270 clockwise) into every `tkhd` matrix of an MP4, in place.

    This is how phones record portrait video: the pixels stay landscape and players rotate them.
    """
    cos, sin = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}[degrees % 360]
    matrix = struct.pack(">9i", cos << 16, sin << 16, 0, -sin << 16, cos << 16, 0, 0, 0, 1 << 30)  # 16.16 fixed
    data = bytearray(path.read_bytes())
    start = 0
    while (at := data.find(b"tkhd", start)) != -1:
        version = data[at + 4]
        offset = at + 4 + 4 + (32 if version == 1 else 20) + 8 + 8  # flags, times/ids, reserved, layer..volume
        data[offset : offset + 36] = matrix
        start = at + 4
    path.write_bytes(bytes(data))


def default_scene(size_wh: tuple[int, int] = (320, 240), fps: float = 10.0, seconds: float = 3.0) -> Scene:
    """Three figures: one walking left to right near the bottom, one walking down the right side, one standing."""
    w, h = size_wh
    return Scene(
        size_wh=size_wh,
        fps=fps,
        seconds=seconds,
        walkers=(
            Walker((0.12 * w, 0.92 * h), (0.55 * w, 0.92 * h), 0.4 * h, 0, seconds, shirt_bgr=(40, 40, 200)),
            Walker((0.8 * w, 0.5 * h), (0.8 * w, 0.95 * h), 0.35 * h, 0, seconds, shirt_bgr=(200, 60, 40)),
            Walker((0.4 * w, 0.45 * h), (0.4 * w, 0.45 * h), 0.3 * h, 0, seconds, shirt_bgr=(40, 160, 40)),
        ),
    )


def still_then_walking_scene(
    size_wh: tuple[int, int] = (320, 240),
    fps: float = 10.0,
    seconds: float = 12.0,
    still: float = 0.5,
    noise: float = 1.5,
) -> Scene:
    """A camera's quiet hour in short: one figure standing throughout, then two walking through in the last
    `1 - still` of the time (two crossings one after the other), over sensor noise of `noise` grey levels."""
    w, h = size_wh
    start = still * seconds
    half = (seconds - start) / 2
    return Scene(
        size_wh=size_wh,
        fps=fps,
        seconds=seconds,
        noise=noise,
        walkers=(
            Walker((0.4 * w, 0.45 * h), (0.4 * w, 0.45 * h), 0.3 * h, 0, seconds, shirt_bgr=(40, 160, 40)),
            Walker((0.1 * w, 0.92 * h), (0.6 * w, 0.92 * h), 0.4 * h, start, start + half, shirt_bgr=(40, 40, 200)),
            Walker((0.8 * w, 0.5 * h), (0.8 * w, 0.95 * h), 0.35 * h, start + half, seconds, shirt_bgr=(200, 60, 40)),
        ),
    )
