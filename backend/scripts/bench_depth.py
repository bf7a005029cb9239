"""`make bench` (depth): images/s with one image per inference call vs batched, and the share of time
spent outside model inference, through the real job code (decode, EXIF, colormap, PNG/16-bit/NPY encode,
file I/O, status writes to PostgreSQL, events to Redis).

Photos come from ../shared/samples when present, else generated ones. Weights are `DEPTH_MODEL` if it
resolves to a file, else an untrained yolo26n-depth (same architecture and cost, no download needed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BACKEND))

from tests import images as test_images  # noqa: E402
from tests import servers  # noqa: E402

SAMPLES = BACKEND.parents[1] / "shared" / "samples"


def photos(count: int) -> list[tuple[str, bytes]]:
    found = sorted(p for p in SAMPLES.glob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png")) if SAMPLES.is_dir() else []
    if found:
        return [(p.name, p.read_bytes()) for p in found]
    return [(f"generated-{i}.jpg", test_images.jpeg(608, 448)) for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per configuration; medians are reported")
    parser.add_argument("--batch", type=int, default=4, help="images per inference call in the batched run")
    parser.add_argument("--imgsz", type=int, default=640)
    args = parser.parse_args()

    keep = servers.configure_environment()
    os.environ.update({"DEPTH_IMGSZ": str(args.imgsz), "TORCH_THREADS": "0", "DEVICE": os.environ.get("BENCH_DEVICE", "auto")})
    import subprocess

    from tqdm import tqdm

    from app import crud
    from app.core.config import settings
    from app.core.db import session_scope
    from app.ingest import ingest_depth
    from app.models import Job, JobKind, JobStatus
    from app.worker.depth_job import run_depth_job
    from app.worker.lifecycle import JobRun, claim

    subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], cwd=BACKEND, check=True, capture_output=True)
    inputs = photos(8)
    with session_scope() as session:
        user = crud.create_user(session=session, email=f"bench-{uuid.uuid4().hex[:8]}@example.com", password="bench-pass-1")
        user_id = user.id

    def one_run(batch: int) -> dict[str, float]:
        settings.depth_batch = batch
        job = Job(id=uuid.uuid4(), user_id=user_id, kind=JobKind.depth, params={"colormap": "magma"})
        import io

        planned = ingest_depth([(name, io.BytesIO(data)) for name, data in inputs], settings.depth_maps_dir / str(job.id))
        with session_scope() as session:
            crud.add_depth_job(session=session, job=job, planned=planned, input_name="bench")
        claim(job.id)
        run = JobRun(job.id)
        start = time.perf_counter()
        run_depth_job(job.id, run)
        wall = time.perf_counter() - start
        with session_scope() as session:
            assert session.get(Job, job.id).status == JobStatus.succeeded
        return {"wall": wall, **run.timings}

    one_run(1)  # warm-up: model load, first-call allocations
    results: dict[int, list[dict[str, float]]] = {1: [], args.batch: []}
    with tqdm(total=args.runs * 2, desc="depth bench", unit="run") as bar:
        for _ in range(args.runs):
            for batch in results:
                results[batch].append(one_run(batch))
                bar.update()

    def median(batch: int, key: str) -> float:
        return statistics.median(r[key] for r in results[batch])

    size = "x".join(map(str, test_images_size(inputs)))
    print(f"\nDepth pipeline: {len(inputs)} photos ({size}; {'shared/samples' if SAMPLES.is_dir() else 'generated'}), "
          f"imgsz {args.imgsz}, device {os.environ['DEVICE']}, {settings.cpu_threads} threads, medians of {args.runs} runs")
    base_rate = len(inputs) / median(1, "wall")
    for batch in results:
        wall, inference = median(batch, "wall"), median(batch, "inference")
        rate = len(inputs) / wall
        outside = wall - inference
        print(f"  batch {batch:>2}: {rate:6.2f} images/s  ({1000 * wall / len(inputs):6.1f} ms/image, "
              f"inference {1000 * inference / len(inputs):6.1f} ms/image)  x{rate / base_rate:.2f} vs batch 1  "
              f"outside inference: {100 * outside / wall:4.1f}% of wall = {100 * outside / inference:4.1f}% of inference")
        parts = ", ".join(f"{key} {1000 * median(batch, key) / len(inputs):.1f}" for key in ("decode", "encode", "status"))
        print(f"            per image outside inference (ms): {parts}")
    servers.release(keep)


def test_images_size(inputs: list[tuple[str, bytes]]) -> tuple[int, int]:
    import io

    from PIL import Image

    return Image.open(io.BytesIO(inputs[0][1])).size


if __name__ == "__main__":
    main()
