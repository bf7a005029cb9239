"""`make bench` (depth): ms per image on PyTorch and OpenVINO side by side (and per batch size), and the share
of time spent outside model inference, through the real job code (decode, EXIF, colormap, PNG/16-bit/NPY
encode, file I/O, status writes to PostgreSQL, events to Redis), at the released weights' size (768).

Photos come from ../shared/samples when present, else generated ones. Weights are an untrained yolo26n-depth
(same architecture and cost as the released one, no download needed). Every configuration runs in this one
process, in turn, once per run; medians are reported with the load average around the runs.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

BACKEND = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BACKEND))

from scripts import images as test_images  # noqa: E402
from scripts import servers  # noqa: E402

#: `shared/samples` beside the checkout or above it (a git worktree sits one level deeper than the main checkout).
SAMPLES = next(
    (folder / "shared" / "samples" for folder in BACKEND.parents if (folder / "shared" / "samples").is_dir()),
    BACKEND.parents[1] / "shared" / "samples",
)
EXPORTS = BACKEND.parent / ".cache" / "bench-models"
PARTS = ("load", "decode", "encode", "status", "drain")  # the job's timed steps besides inference


def photos(count: int) -> list[tuple[str, bytes]]:
    found = sorted(p for p in SAMPLES.glob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    if found:
        return [(p.name, p.read_bytes()) for p in found]
    return [(f"generated-{i}.jpg", test_images.jpeg(608, 448)) for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per configuration; medians are reported")
    parser.add_argument("--batch", default="4", help="images per inference call; several (comma-separated) compared")
    parser.add_argument("--backends", default="torch,openvino", help="comma-separated: torch, openvino, onnx")
    parser.add_argument("--imgsz", type=int, default=768)
    parser.add_argument("--rounds", type=int, default=6, help="rounds of the interleaved inference timing")
    args = parser.parse_args()

    keep = servers.configure_environment()
    os.environ.update(
        {
            "DEPTH_IMGSZ": str(args.imgsz),
            "TORCH_THREADS": "0",
            "DEVICE": os.environ.get("BENCH_DEVICE", "auto"),
            "MODELS_DIR": str(EXPORTS),  # exports kept between bench runs
        }
    )
    import subprocess

    from tqdm import tqdm

    from app import crud
    from app.core import storage
    from app.core.config import settings
    from app.core.db import session_scope
    from app.ingest import ingest_depth
    from app.models import Job, JobKind, JobStatus
    from app.worker.depth_job import run_depth_job
    from app.worker.lifecycle import JobRun, claim

    subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], cwd=BACKEND, check=True, capture_output=True)
    inputs = photos(8)
    with session_scope() as session:
        email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
        user = crud.create_user(session=session, email=email, password="bench-pass-1")
        user_id = user.id

    def one_run(backend: str, batch: int) -> dict[str, float]:
        settings.inference_backend, settings.depth_batch = backend, batch
        settings.inference_precision = "fp32"  # the float model (OpenVINO's default float on the CPU)
        job = Job(id=uuid.uuid4(), user_id=user_id, kind=JobKind.depth, params={"colormap": "magma"})
        uploads = [(name, io.BytesIO(data)) for name, data in inputs]
        planned = ingest_depth(uploads, storage.job_files(job))
        with session_scope() as session:
            crud.add_depth_job(session=session, job=job, planned=planned, input_name="bench")
        run_id = claim(job.id)
        assert run_id is not None, "the bench job could not be claimed"
        run = JobRun(job.id, run_id)
        start = time.perf_counter()
        run_depth_job(job.id, run)
        wall = time.perf_counter() - start
        with session_scope() as session:
            done = session.get(Job, job.id)
            assert done.status == JobStatus.succeeded and done.summary["backend"] == backend, done.summary
        return {"wall": wall, **run.timings}

    configurations = [(backend, int(size)) for backend in args.backends.split(",") for size in args.batch.split(",")]
    results: dict[tuple[str, int], list[dict[str, float]]] = {key: [] for key in configurations}
    for key in tqdm(configurations, desc="warm-up (and exporting once)", unit="model"):
        one_run(*key)  # model load, export, first-call allocations
    per_image = interleaved(configurations, settings, inputs, args.imgsz, args.rounds)
    before = load_average()
    with tqdm(total=args.runs * len(configurations), desc="depth bench", unit="run") as bar:
        for _ in range(args.runs):
            for key in configurations:
                results[key].append(one_run(*key))
                bar.update()

    def median(key: tuple[str, int], part: str) -> float:
        return statistics.median(r[part] for r in results[key])

    size = "x".join(map(str, test_images_size(inputs)))
    print(
        f"\nDepth pipeline: {len(inputs)} photos ({size}; {'shared/samples' if SAMPLES.is_dir() else 'generated'}), "
        f"imgsz {args.imgsz}, device {os.environ['DEVICE']}, {settings.cpu_threads} threads, medians of {args.runs} "
        f"runs; load average before {before}, after {load_average()}"
    )
    baseline = configurations[0]
    for key in configurations:
        print(
            f"  {key[0]:>8} batch {key[1]:>2}: inference alone {per_image[key]:6.1f} ms/image, "
            f"x{per_image[baseline] / per_image[key]:.2f} vs {baseline[0]} batch {baseline[1]} "
            f"(interleaved call by call, median of {args.rounds} rounds)"
        )
    for key in configurations:
        wall, inference = median(key, "wall"), median(key, "inference")
        outside = wall - inference
        print(
            f"  {key[0]:>8} batch {key[1]:>2}: {1000 * wall / len(inputs):6.1f} ms/image end to end "
            f"(inference {1000 * inference / len(inputs):6.1f})  x{median(baseline, 'wall') / wall:.2f} vs "
            f"{baseline[0]} batch {baseline[1]}  outside inference: {100 * outside / wall:4.1f}% of wall"
        )
        parts = ", ".join(f"{part} {1000 * median(key, part) / len(inputs):.1f}" for part in PARTS)
        print(f"{'':>21}per image outside inference (ms): {parts}")
    servers.release(keep)


def interleaved(configurations: list, settings: Any, inputs: list[tuple[str, bytes]], imgsz: int, rounds: int) -> dict:
    """Median ms per image of inference alone, the configurations taking turns call by call (so that a noisy
    machine's load weighs on all of them alike)."""
    from PIL import Image
    from tqdm import tqdm

    from app.vision.depth import predict_depth
    from app.vision.models import inference_plan, load_for_inference

    photos_rgb = [np.asarray(Image.open(io.BytesIO(data)).convert("RGB")) for _, data in inputs]
    models = {
        (backend, size): load_for_inference(
            settings.depth_model, settings.models_dir, inference_plan(backend, "cpu", "fp32"), imgsz=imgsz, batch=size
        )
        for backend, size in configurations
    }
    times: dict[tuple[str, int], list[float]] = {key: [] for key in configurations}
    for _ in tqdm(range(rounds), desc="inference, interleaved", unit="round"):
        for (backend, size), loaded in models.items():
            started = time.perf_counter()
            for start in range(0, len(photos_rgb), size):
                predict_depth(loaded.model, photos_rgb[start : start + size], imgsz=imgsz, device=loaded.device)
            times[backend, size].append(1000 * (time.perf_counter() - started) / len(photos_rgb))
    return {key: statistics.median(values) for key, values in times.items()}


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def test_images_size(inputs: list[tuple[str, bytes]]) -> tuple[int, int]:
    import io

    from PIL import Image

    return Image.open(io.BytesIO(inputs[0][1])).size


if __name__ == "__main__":
    main()
