"""Tracks with known footfall answers, written over a heatmap job's stored ones (the test detector is
untrained and finds nobody). Used by the API tests and, from the command line, by the SPA's e2e test:

    python -m tests.footfall HEATMAPS_DIR/<job_id>/tracks.npz

Over 10 s at 5 samples/s in a 320x240 frame (the frame's background is kept):
- track 1 walks east along y = 150 (feet at x = 50 t + 51): inside ENTRANCE for the samples 1.0 ... 2.8
  (one visit of 2.0 s), then across DOOR at 4.0 s, eastward: `out`;
- track 2 walks west along y = 60 (x = 300 - 20 t) across DOOR at 2.6 s: `in`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from app.vision.tracks import Tracks

WIDTH, HEIGHT, DT = 320, 240, 0.2
ENTRANCE = {"name": "Entrance", "polygon": [[100, 100], [200, 100], [200, 200], [100, 200]]}
DOOR = {"name": "Door", "points": [[250, 20], [250, 220]]}  # pointing down the screen: `in` is westward


def write_tracks(path: Path, t: np.ndarray, track_id: np.ndarray, feet: np.ndarray, *, seconds: float = 10.0) -> None:
    """Replace the job's stored tracks with people of 20x40 px boxes whose feet are at `feet` ((N, 2)) at the
    times `t` (multiples of DT), keeping the frame's background."""
    background = Tracks.load(path).background
    if background is None or background.shape[:2] != (HEIGHT, WIDTH):
        raise ValueError(f"{path} is not a {WIDTH}x{HEIGHT} job's tracks")
    frames = np.arange(round(seconds / DT))
    Tracks(
        width=WIDTH, height=HEIGHT, sample_t=frames * DT, sample_frame=frames, sample_weight=np.full(len(frames), DT),
        t=t, frame=np.round(t / DT).astype(np.int64), track_id=track_id,
        xyxy=np.concatenate([feet - (10, 40), feet + (10, 0)], axis=1), conf=np.full(len(t), 0.9),
        background=background,
    ).save(path)  # fmt: skip


def write_known_tracks(path: Path) -> None:
    frames = np.arange(50)
    t1 = frames * DT
    feet1 = np.stack([50 * t1 + 51, np.full(50, 150.0)], axis=1)
    seen1 = feet1[:, 0] < WIDTH
    t2 = frames[:20] * DT
    feet2 = np.stack([300 - 20 * t2, np.full(20, 60.0)], axis=1)
    track_id = np.array([1] * int(seen1.sum()) + [2] * len(t2))
    write_tracks(path, np.concatenate([t1[seen1], t2]), track_id, np.concatenate([feet1[seen1], feet2]))


def write_wobbling_tracks(path: Path, *, steps: int = 40) -> None:
    """One person walks west at y = 120 up to DOOR (x = 250), steps across it and back `steps` times, one sample
    each side (x = 248 and 252 in turn, starting at 248), then walks on west: one crossing, `in`."""
    approach = np.arange(10) * DT  # x = 290 ... 254
    wobble = 2.0 + np.arange(steps) * DT
    away = 2.0 + steps * DT + np.arange(10) * DT  # x = 246 ... 210
    t = np.concatenate([approach, wobble, away])
    x = np.concatenate([290 - 20 * approach, np.where(np.arange(steps) % 2, 252.0, 248.0), 246 - 4 * np.arange(10)])
    write_tracks(path, t, np.ones(len(t), np.int64), np.stack([x, np.full(len(t), 120.0)], axis=1), seconds=t[-1] + 1)


def write_crowd_tracks(path: Path, people: int, *, seconds: float = 10.0) -> None:
    """`people` tracks, each walking east along its own row across DOOR (x = 250) over the whole video: one
    `out` crossing each."""
    frames = np.arange(round(seconds / DT))
    t = np.tile(frames * DT, people)
    track_id = np.repeat(np.arange(1, people + 1), len(frames))
    x = np.tile(np.linspace(150, 310, len(frames)), people)
    y = np.repeat(np.linspace(60, 210, people), len(frames))  # the door spans 20 ... 220, with either anchor
    write_tracks(path, t, track_id, np.stack([x, y], axis=1), seconds=seconds)


if __name__ == "__main__":
    write_known_tracks(Path(sys.argv[1]))
