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


def write_known_tracks(path: Path) -> None:
    background = Tracks.load(path).background
    if background is None or background.shape[:2] != (HEIGHT, WIDTH):
        raise ValueError(f"{path} is not a {WIDTH}x{HEIGHT} job's tracks")
    frames = np.arange(50)
    t1 = frames * DT
    feet1 = np.stack([50 * t1 + 51, np.full(50, 150.0)], axis=1)
    seen1 = feet1[:, 0] < WIDTH
    t2 = frames[:20] * DT
    feet2 = np.stack([300 - 20 * t2, np.full(20, 60.0)], axis=1)
    t = np.concatenate([t1[seen1], t2])
    feet = np.concatenate([feet1[seen1], feet2])
    Tracks(
        width=WIDTH, height=HEIGHT, sample_t=frames * DT, sample_frame=frames, sample_weight=np.full(50, DT),
        t=t, frame=np.round(t / DT).astype(np.int64), track_id=[1] * int(seen1.sum()) + [2] * len(t2),
        xyxy=np.concatenate([feet - (10, 40), feet + (10, 0)], axis=1), conf=np.full(len(t), 0.9),
        background=background,
    ).save(path)  # fmt: skip


if __name__ == "__main__":
    write_known_tracks(Path(sys.argv[1]))
