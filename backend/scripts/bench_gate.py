"""`make bench` (Speed III): the heatmap pipeline as the worker now runs it (motion gate on, INFERENCE_PRECISION=auto)
against the float model without the gate, on a busy and a mostly still clip.

Usage (from backend/):
    python scripts/bench_gate.py [--runs 3] [--seconds 30] [--still 0.9] [--imgsz 640] [--batch 4]

Two generated 1280x720 50 fps clips with sensor noise: (a) busy: three figures in view and walking throughout
(`bench_heatmap.py`'s scene); (b) still: one figure standing throughout, two walking through in the last 10 %.
The real people detector (fetched once) on OpenVINO. Three configurations run in this one process, in turn, once
per run: the baseline (float, every sample detected), float with the gate, and the worker's default (the gate, and
the INT8 copy when `auto` finds it agrees with the float model on 30 frames of the busy clip, else float). Prints
medians: video-s per wall-s, ratios against the baseline, frames detected and reused, and the person-seconds and
unique people of each gated configuration against the baseline (the bar: within 2 % and 1 person).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BACKEND))

import numpy as np  # noqa: E402
from tqdm import tqdm  # noqa: E402

from app.core.config import Settings  # noqa: E402
from app.vision.backends import plan_inference  # noqa: E402
from app.vision.heat import accumulate  # noqa: E402
from app.vision.models import Calibration, load_for_inference  # noqa: E402
from app.vision.motion import Motion  # noqa: E402
from app.vision.people import DetectorAgreement, YoloPeopleDetector, analyze_video, calibration_frames  # noqa: E402
from app.vision.video import probe_video  # noqa: E402
from scripts import devstack  # noqa: E402
from scripts.bench_heatmap import EXPORTS, load, load_average  # noqa: E402
from scripts.media import default_scene, still_then_walking_scene, write_video  # noqa: E402

#: Sensor noise of the generated clips, grey levels (as `bench_heatmap.py`'s).
NOISE = 3.0


@dataclass(frozen=True)
class Run:
    wall: float
    person_seconds: float
    people: int
    detected: int
    reused: int


def run(video: Path, detector: YoloPeopleDetector, motion: Motion | None, sample_fps: float) -> Run:
    started = time.perf_counter()
    analysis = analyze_video(video, detector, sample_fps=sample_fps, motion=motion)
    wall = time.perf_counter() - started
    summary = analysis.summary
    return Run(
        wall,
        float(accumulate(analysis.tracks).sum()),
        summary["people_unique"],
        summary["frames_detected"],
        summary["frames_reused"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each generated clip")
    parser.add_argument("--still", type=float, default=0.9, help="still share of the still clip")
    parser.add_argument("--imgsz", type=int, default=640)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--sample-fps", type=float, default=5.0)
    args = parser.parse_args()

    defaults = Settings()
    motion = Motion(
        pixel_threshold=defaults.motion_gate_pixel_threshold,
        area=defaults.motion_gate_area,
        max_skip_s=defaults.motion_gate_max_skip_s,
    )
    weights, classes = devstack.bench_people_detector()
    with tempfile.TemporaryDirectory() as scratch:
        size = (1280, 720)
        clips = {
            "busy": replace(default_scene(size, fps=50.0, seconds=args.seconds), noise=NOISE),
            "still": still_then_walking_scene(size, fps=50.0, seconds=args.seconds, still=args.still, noise=NOISE),
        }
        videos = {name: write_video(Path(scratch) / f"{name}.mp4", scene) for name, scene in tqdm(clips.items())}
        agreement = DetectorAgreement(classes, args.imgsz, args.batch)
        calibration = Calibration(
            lambda: calibration_frames(videos["busy"], 30), agreement, min_speedup=defaults.int8_min_speedup
        )
        auto = plan_inference("auto", "cpu", cuda_available=False, precision="auto")
        models = {
            "float": load(str(weights), "openvino", args.imgsz, args.batch),
            "default": load_for_inference(
                str(weights), EXPORTS, auto, imgsz=args.imgsz, batch=args.batch, calibration=calibration
            ),
        }
        detectors = {
            name: YoloPeopleDetector(loaded.model, person_classes=classes, imgsz=args.imgsz, batch=args.batch)
            for name, loaded in models.items()
        }
        for detector in detectors.values():
            detector([np.zeros((size[1], size[0], 3), np.uint8)] * args.batch)  # compiling
        configurations = {
            "float, ungated (baseline)": (detectors["float"], None),
            "float, gated": (detectors["float"], motion),
            f"default ({'INT8' if models['default'].int8 else 'float'}), gated": (detectors["default"], motion),
        }
        before = load_average()
        results: dict[tuple[str, str], list[Run]] = {(clip, name): [] for clip in videos for name in configurations}
        for _ in tqdm(range(args.runs), desc="runs", unit="run"):
            for clip, name in results:
                detector, gate = configurations[name]
                results[clip, name].append(run(videos[clip], detector, gate, args.sample_fps))
        duration = {name: probe_video(video).duration_s for name, video in videos.items()}
    print(
        f"\nSpeed III: {Path(weights).name} on OpenVINO, imgsz {args.imgsz}, batch {args.batch}, "
        f"{args.sample_fps:g} samples/s, 1280x720 50 fps clips of {args.seconds:g} s, {os.cpu_count()} cores, medians "
        f"of {args.runs} runs; load average before {before}, after {load_average()}"
    )
    print(f"  INT8: {models['default'].precision_note}")
    baseline_name = next(iter(configurations))
    for clip in videos:
        baseline = results[clip, baseline_name]
        baseline_speed = duration[clip] / statistics.median(r.wall for r in baseline)
        baseline_seconds = statistics.median(r.person_seconds for r in baseline)
        print(f"  {clip}: {baseline_name} {baseline_speed:.2f} video-s per wall-s, person-s {baseline_seconds:.2f}")
        for name in list(configurations)[1:]:
            runs = results[clip, name]
            speed = duration[clip] / statistics.median(r.wall for r in runs)
            seconds = statistics.median(r.person_seconds for r in runs)
            difference = 100 * (seconds - baseline_seconds) / max(baseline_seconds, 1e-9)
            print(
                f"    {name}: {speed:.2f} video-s per wall-s (x{speed / baseline_speed:.2f}); detected "
                f"{runs[0].detected} of {runs[0].detected + runs[0].reused} samples; person-s {seconds:.2f} "
                f"({difference:+.2f} %), unique people {runs[0].people} vs {baseline[0].people}"
            )


if __name__ == "__main__":
    main()
