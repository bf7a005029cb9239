"""Benchmark the footfall analysis (zones, lines, dwell) on a 1-hour video's tracks.

Usage (from backend/):
    python scripts/bench_regions.py [--runs 5] [--samples 18000] [--detections 100000]

Generates tracks like a 1280x720 hour at 5 samples/s: random walkers, ~100 detections each, 100,000 in
all. Times `analyze` plus every zone's and line's figures (what `PUT /api/jobs/{id}/regions` computes) for:
- typical: 4 zones (4-8 vertices) and 4 lines;
- largest allowed: 20 zones of 64 vertices and 20 lines.
Baseline, in the same process: OpenCV's `pointPolygonTest` called per detection for the typical zones
(the inside test alone). Prints medians over the runs and the ratio; the target is under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BACKEND))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from app.vision.regions import analyze  # noqa: E402
from app.vision.tracks import Tracks, anchor_points  # noqa: E402

WIDTH, HEIGHT, SAMPLE_FPS = 1280, 720, 5.0


def hour_of_tracks(samples: int, detections: int, rng: np.random.Generator) -> Tracks:
    """Random walkers, each seen on ~100 consecutive samples, `detections` rows over `samples` samples."""
    lengths = rng.integers(50, 150, detections // 100 * 2)
    lengths = lengths[: np.searchsorted(np.cumsum(lengths), detections) + 1]
    lengths[-1] -= lengths.sum() - detections
    first = np.cumsum(lengths) - lengths  # each track's first row
    track_id = np.repeat(np.arange(1, len(lengths) + 1), lengths)
    frame = np.repeat(rng.integers(0, samples - lengths.max(), len(lengths)), lengths)
    frame += np.arange(detections) - np.repeat(first, lengths)
    steps = rng.normal(0, 6, (detections, 2))
    steps[first] = rng.uniform((0, 100), (WIDTH, HEIGHT), (len(lengths), 2))  # where each walk starts
    walked = np.cumsum(steps, axis=0)
    feet = np.clip(walked - np.repeat(walked[first] - steps[first], lengths, axis=0), (20, 100), (WIDTH - 20, HEIGHT))
    sample_frame = np.arange(samples)
    xyxy = np.concatenate([feet - (20, 100), feet + (20, 0)], axis=1)
    return Tracks(
        WIDTH, HEIGHT, sample_frame / SAMPLE_FPS, sample_frame, np.full(samples, 1 / SAMPLE_FPS),
        frame / SAMPLE_FPS, frame, track_id, xyxy, np.full(detections, 0.8),
    )  # fmt: skip


def polygon(rng: np.random.Generator, vertices: int) -> np.ndarray:
    """A star-shaped polygon of `vertices` corners somewhere in the frame."""
    centre = rng.uniform((200, 150), (WIDTH - 200, HEIGHT - 150))
    angles = np.sort(rng.uniform(0, 2 * np.pi, vertices))
    radii = rng.uniform(60, 180, vertices)
    return centre + np.stack([np.cos(angles), np.sin(angles)], axis=1) * radii[:, None]


def segment(rng: np.random.Generator) -> np.ndarray:
    return rng.uniform((0, 0), (WIDTH, HEIGHT), (2, 2))


def run_analysis(tracks: Tracks, zones: list[np.ndarray], lines: list[np.ndarray]) -> float:
    started = time.perf_counter()
    result = analyze(tracks, zones=zones, lines=lines, anchor="feet")
    _ = [result.zone_figures(i) for i in range(len(zones))], [result.line_figures(i) for i in range(len(lines))]
    return time.perf_counter() - started


def run_baseline(tracks: Tracks, zones: list[np.ndarray]) -> float:
    """The inside test alone, one OpenCV call per detection and zone."""
    started = time.perf_counter()
    points = anchor_points(tracks.xyxy, "feet")
    contours = [zone.astype(np.float32).reshape(-1, 1, 2) for zone in zones]
    for contour in contours:
        _ = [cv2.pointPolygonTest(contour, (float(x), float(y)), False) > 0 for x, y in points]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=18_000)
    parser.add_argument("--detections", type=int, default=100_000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    tracks = hour_of_tracks(args.samples, args.detections, rng)
    typical = ([polygon(rng, int(v)) for v in rng.integers(4, 9, 4)], [segment(rng) for _ in range(4)])
    largest = ([polygon(rng, 64) for _ in range(20)], [segment(rng) for _ in range(20)])
    print(
        f"tracks: {len(tracks.sample_t)} samples ({tracks.duration_s / 3600:.2f} h), {len(tracks)} detections, "
        f"{len(np.unique(tracks.track_id))} tracks; median of {args.runs} runs"
    )
    baseline = statistics.median(run_baseline(tracks, typical[0]) for _ in range(args.runs))
    for name, (zones, lines) in (
        ("typical (4 zones, 4 lines)", typical),
        ("largest (20x64-vertex zones, 20 lines)", largest),
    ):
        seconds = statistics.median(run_analysis(tracks, zones, lines) for _ in range(args.runs))
        verdict = "under" if seconds < 1 else "OVER"
        print(f"  {name}: {seconds * 1000:.0f} ms ({verdict} the 1 s target)")
        if zones is typical[0]:
            print(
                f"    baseline, inside test alone with per-detection cv2.pointPolygonTest: {baseline * 1000:.0f} ms "
                f"-> {baseline / seconds:.1f}x"
            )


if __name__ == "__main__":
    main()
