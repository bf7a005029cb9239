"""`make bench` (motion gate): the heatmap pipeline with and without the motion gate, on a busy and a mostly still clip.

Usage (from backend/):
    python scripts/bench_gate.py [--runs 3] [--seconds 30] [--still 0.9] [--imgsz 640] [--batch 4]

Two generated 1280x720 50 fps clips with sensor noise: (a) busy: three figures in view and walking throughout
(`bench_heatmap.py`'s scene); (b) still: one figure standing throughout, two walking through in the last 10 %.
The real people detector (once the vision tests have fetched it) on OpenVINO in float (the worker's CPU default);
the baseline is the same model without the gate, run in this one process, in turn with the gated run, once per
run. Prints medians: video-s per wall-s, the ratio, frames detected and reused, and the person-seconds and unique
people of the gated run against the ungated one (the bar: within 2 % and 1 person).
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
from app.vision.heat import accumulate  # noqa: E402
from app.vision.motion import Motion  # noqa: E402
from app.vision.people import YoloPeopleDetector, analyze_video  # noqa: E402
from app.vision.video import probe_video  # noqa: E402
from scripts import devstack  # noqa: E402
from scripts.bench_heatmap import load, load_average  # noqa: E402
from scripts.devstack import FALL_CLASSES, FALL_WEIGHTS  # noqa: E402
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
    real = FALL_WEIGHTS.is_file()
    weights = str(FALL_WEIGHTS if real else devstack.untrained_weights("yolov8n.yaml"))
    classes = FALL_CLASSES if real else ("person",)
    loaded = load(weights, "openvino", args.imgsz, args.batch)
    detector = YoloPeopleDetector(loaded.model, person_classes=classes, imgsz=args.imgsz, batch=args.batch)
    with tempfile.TemporaryDirectory() as scratch:
        size = (1280, 720)
        clips = {
            "busy": replace(default_scene(size, fps=50.0, seconds=args.seconds), noise=NOISE),
            "still": still_then_walking_scene(size, fps=50.0, seconds=args.seconds, still=args.still, noise=NOISE),
        }
        videos = {name: write_video(Path(scratch) / f"{name}.mp4", scene) for name, scene in tqdm(clips.items())}
        detector([np.zeros((size[1], size[0], 3), np.uint8)] * args.batch)  # compiling
        before = load_average()
        results: dict[tuple[str, bool], list[Run]] = {(name, gated): [] for name in videos for gated in (False, True)}
        for _ in tqdm(range(args.runs), desc="runs", unit="run"):
            for name, gated in results:
                results[name, gated].append(run(videos[name], detector, motion if gated else None, args.sample_fps))
        duration = {name: probe_video(video).duration_s for name, video in videos.items()}
    print(
        f"\nMotion gate: {Path(weights).name} on OpenVINO float, imgsz {args.imgsz}, batch {args.batch}, "
        f"{args.sample_fps:g} samples/s, 1280x720 50 fps clips of {args.seconds:g} s, {os.cpu_count()} cores, medians "
        f"of {args.runs} runs; load average before {before}, after {load_average()}"
    )
    for name in videos:
        off, on = results[name, False], results[name, True]
        speed = {gated: duration[name] / statistics.median(r.wall for r in runs) for gated, runs in ((0, off), (1, on))}
        seconds_off, seconds_on = (statistics.median(r.person_seconds for r in runs) for runs in (off, on))
        difference = 100 * (seconds_on - seconds_off) / max(seconds_off, 1e-9)
        print(
            f"  {name:>5}: ungated {speed[0]:6.2f} video-s per wall-s, gated {speed[1]:6.2f} "
            f"(x{speed[1] / speed[0]:.2f}); detected {on[0].detected} of {on[0].detected + on[0].reused} samples; "
            f"person-seconds {seconds_on:.2f} vs {seconds_off:.2f} ({difference:+.2f} %), "
            f"unique people {on[0].people} vs {off[0].people}"
        )


if __name__ == "__main__":
    main()
