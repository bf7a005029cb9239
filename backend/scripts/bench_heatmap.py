"""Benchmark the heatmap pipeline against the old algorithm on the same model and video.

Usage (from backend/):
    python scripts/bench_heatmap.py [VIDEO] [--runs 3] [--seconds 12] [--imgsz 640] [--batch 4] [--threads 0]

Without VIDEO, a 1280x720 scene with walking figures is generated. Both sides use the same weights
(untrained `yolov8n.yaml` unless `--weights`): the old one as it ran (every 3rd frame, one frame per call,
ultralytics' own `cpu_count - 1` torch threads, +1 over boxes, blur over the mean frame), the new one as
the worker runs it (sampling at 5 fps, batched, tracked, splatted, rendered, written to disk). Prints
medians over the runs: wall seconds, video-seconds per wall-second, the share of time outside model
inference, and the new/old speed ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
from tqdm import tqdm

BACKEND = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BACKEND))

from app.vision.heatmap import accumulate, legacy_heatmap, render_heatmap, render_tracks  # noqa: E402
from app.vision.models import load_yolo, set_torch_threads  # noqa: E402
from app.vision.people import YoloPeopleDetector, analyze_video  # noqa: E402
from app.vision.video import probe_video  # noqa: E402
from tests.media import default_scene, write_video  # noqa: E402


def run_old(video: Path, detector: YoloPeopleDetector, threads: int) -> tuple[float, float]:
    """The old service, its output written: returns (wall seconds, seconds inside the model)."""
    started = time.perf_counter()
    set_torch_threads(threads)
    detector.threads = threads

    def detect(frame: np.ndarray) -> np.ndarray:
        found = detector([frame])[0]
        return found.xyxy[found.conf >= detector.conf]

    result = legacy_heatmap(video, detect)
    with tempfile.TemporaryDirectory() as out:
        cv2.imwrite(str(Path(out) / "heatmap.png"), result.overlay)
    return time.perf_counter() - started, result.inference_s


def run_new(video: Path, detector: YoloPeopleDetector, threads: int, sample_fps: float) -> tuple[float, float]:
    """The new pipeline end to end, outputs written: returns (wall seconds, seconds inside the model)."""
    started = time.perf_counter()
    set_torch_threads(threads)
    detector.threads = threads
    analysis = analyze_video(video, detector, sample_fps=sample_fps, on_progress=lambda _: True)
    heat = accumulate(analysis.tracks)
    with tempfile.TemporaryDirectory() as out:
        folder = Path(out)
        cv2.imwrite(str(folder / "heatmap.png"), render_heatmap(heat, analysis.background))
        cv2.imwrite(str(folder / "tracks.png"), render_tracks(analysis.tracks, analysis.background))
        np.save(folder / "heatmap.npy", heat)
        analysis.tracks.save(folder / "tracks.npz")
    return time.perf_counter() - started, analysis.timing.inference


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("video", nargs="?", type=Path, help="a video to use instead of the generated 720p scene")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=12.0, help="length of the generated video")
    parser.add_argument("--fps", type=float, default=30.0, help="frame rate of the generated video")
    parser.add_argument("--weights", default="", help="a .pt to use instead of untrained yolov8n.yaml")
    parser.add_argument("--classes", default="person", help="person class names, comma-separated")
    parser.add_argument("--imgsz", type=int, default=640)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--sample-fps", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=0, help="torch threads for the new pipeline; 0: every core")
    args = parser.parse_args()

    cores = os.cpu_count() or 1
    threads = args.threads or cores
    with tempfile.TemporaryDirectory() as scratch:
        video = args.video
        if video is None:
            scene = replace(default_scene((1280, 720), fps=args.fps, seconds=args.seconds), noise=3.0)
            video = write_video(Path(scratch) / "bench-720p.mp4", scene)
        weights = args.weights
        if not weights:
            from ultralytics import YOLO

            weights = str(Path(scratch) / "yolov8n-untrained.pt")
            YOLO("yolov8n.yaml").save(weights)
        info = probe_video(video)
        loaded = load_yolo(weights, Path(scratch), "cpu")
        detector = YoloPeopleDetector(
            loaded.model, person_classes=tuple(args.classes.split(",")), imgsz=args.imgsz, batch=args.batch
        )
        detector([np.zeros((info.height, info.width, 3), np.uint8)] * args.batch)  # imports, model fusing
        print(
            f"video: {video.name} {info.width}x{info.height} {info.fps:g} fps {info.duration_s:.1f} s; "
            f"model: {Path(weights).name} imgsz {args.imgsz}; {cores} cores"
        )
        old: list[tuple[float, float]] = []
        new: list[tuple[float, float]] = []
        for _ in tqdm(range(args.runs), desc="runs (old + new)", unit="run"):
            old.append(run_old(video, detector, max(1, cores - 1)))
            new.append(run_new(video, detector, threads, args.sample_fps))

    def report(name: str, runs: list[tuple[float, float]], detail: str) -> float:
        wall = statistics.median(w for w, _ in runs)
        outside = statistics.median((w - i) / w for w, i in runs)
        print(
            f"{name}: {wall:6.2f} s wall, {info.duration_s / wall:5.2f} video-s per wall-s, "
            f"{outside:5.1%} outside model inference  ({detail})"
        )
        return wall

    old_wall = report("old", old, f"every 3rd frame, 1 frame per call, {max(1, cores - 1)} torch threads")
    new_wall = report(
        "new", new, f"{args.sample_fps:g} samples/s, batch {args.batch}, {threads} torch threads, outputs written"
    )
    print(f"new/old speed: {old_wall / new_wall:.2f}x  (medians of {args.runs} runs)")


if __name__ == "__main__":
    main()
