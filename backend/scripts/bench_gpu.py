"""`make bench` (GPU): the CUDA path's figures, on a machine where torch sees a GPU; elsewhere it says why not.

Usage (from backend/):
    python scripts/bench_gpu.py [--runs 3] [--seconds 30] [--batch CUDA_BATCH]

- heatmap: the worker's pipeline (`analyze_video`, gate off) on a generated 1280x720 50 fps busy clip, PyTorch in
  FP16 on `cuda:0` with batches of `CUDA_BATCH`, decoding with NVDEC where OpenCV's FFmpeg has it
  (`VIDEO_HW_DECODE`) and on the CPU, as video-s per wall-s;
- depth: an untrained yolo26n-depth (the released one's architecture and cost) at 768 in FP16, batches of
  `CUDA_BATCH` photos from ../shared/samples (else generated ones), as images per second of inference.
Medians over the runs, after one warm-up run each.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BACKEND))

import numpy as np  # noqa: E402

from app.core.config import Settings  # noqa: E402
from app.vision.backends import InferencePlan  # noqa: E402
from app.vision.depth import predict_depth  # noqa: E402
from app.vision.models import load_for_inference  # noqa: E402
from app.vision.people import YoloPeopleDetector, analyze_video  # noqa: E402
from scripts import devstack  # noqa: E402
from scripts.bench_depth import photos  # noqa: E402
from scripts.bench_heatmap import EXPORTS  # noqa: E402
from scripts.media import default_scene, write_video  # noqa: E402

DEVICE = "cuda:0"
CUDA = InferencePlan("torch", DEVICE, half=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--batch", type=int, default=Settings().cuda_batch)
    args = parser.parse_args()
    import torch

    if not torch.cuda.is_available():
        print("\nGPU bench skipped: torch sees no CUDA device here (CUDA_BATCH, NVDEC and FP16 not measured)")
        return
    print(f"\nGPU bench on {torch.cuda.get_device_name(0)}, batch {args.batch}, FP16, medians of {args.runs} runs")
    heatmap(args)
    depth(args)


def heatmap(args: argparse.Namespace) -> None:
    weights, classes = devstack.bench_people_detector()
    loaded = load_for_inference(str(weights), EXPORTS, CUDA, imgsz=640, batch=args.batch)
    detector = YoloPeopleDetector(loaded.model, person_classes=classes, device=DEVICE, batch=args.batch)
    with tempfile.TemporaryDirectory() as scratch:
        scene = replace(default_scene((1280, 720), fps=50.0, seconds=args.seconds), noise=3.0)
        video = write_video(Path(scratch) / "busy.mp4", scene)
        for hw_decode in (True, False):
            walls = []
            for _ in range(args.runs + 1):
                started = time.perf_counter()
                analysis = analyze_video(video, detector, hw_decode=hw_decode)
                walls.append(time.perf_counter() - started)
            speed = analysis.summary["duration_s"] / statistics.median(walls[1:])
            decoder = "NVDEC where available" if hw_decode else "CPU decoding"
            print(f"  heatmap 720p, {Path(weights).name}, {decoder}: {speed:.2f} video-s per wall-s")


def depth(args: argparse.Namespace) -> None:
    from PIL import Image

    weights = str(devstack.untrained_weights("yolo26n-depth.yaml"))
    loaded = load_for_inference(weights, EXPORTS, CUDA, imgsz=768, batch=args.batch)
    found = [np.asarray(Image.open(io.BytesIO(data)).convert("RGB")) for _, data in photos(8)]
    images = [found[i % len(found)] for i in range(args.batch)]
    rates = []
    for _ in range(args.runs + 1):
        started = time.perf_counter()
        predict_depth(loaded.model, images, imgsz=768, device=DEVICE, half=True)
        rates.append(len(images) / (time.perf_counter() - started))
    print(f"  depth at 768, batch {len(images)}: {statistics.median(rates[1:]):.1f} images/s (inference)")


if __name__ == "__main__":
    main()
