"""The depth job: decode each image, run the depth model in batches, store the three encodings."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from app.core import storage
from app.core.config import settings
from app.core.db import session_scope
from app.models import ItemStatus, Job, JobItem, JobStatus
from app.vision import depth as depth_maps
from app.vision.images import ImageError, Photo, encode_png, load_photo
from app.vision.models import load_yolo, set_torch_threads
from app.worker.lifecycle import Cancelled, JobRun, db_retry


def write_depth_outputs(folder: Path, stem: str, depth: np.ndarray, colormap: str) -> list[dict[str, Any]]:
    """`<stem>_depth.png`, `<stem>_depth16.png`, `<stem>_depth.npy`, each written atomically."""
    rel = depth_maps.relative(depth)
    preview_png = encode_png(depth_maps.colorize(depth, colormap, rel=rel))
    preview = storage.write_bytes(folder / f"{stem}_depth.png", preview_png)
    sixteen = storage.write_bytes(folder / f"{stem}_depth16.png", encode_png(depth_maps.to_uint16(depth, rel=rel)))
    npy = storage.write_npy(folder / f"{stem}_depth.npy", depth.astype(np.float32, copy=False))
    return [preview, sixteen, npy]


@db_retry
def _pending_items(job_id: uuid.UUID) -> tuple[Job, list[JobItem]]:
    with session_scope() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise Cancelled()
        pending = [item for item in job.items if item.status == ItemStatus.queued and item.input_file]
        session.expunge_all()
        return job, pending


Outcome = tuple[ItemStatus, str | None, list[dict[str, Any]]]


def _record(outcomes: dict[uuid.UUID, Outcome], low: float | None, high: float | None) -> Callable[[Job], None]:
    """The job update after a batch: item outcomes, counts, progress, results, depth range."""

    def mutate(job: Job) -> None:
        for item in job.items:
            if item.id in outcomes:
                status, error, produced = outcomes[item.id]
                item.status, item.error, item.results = status, error, [*item.results, *produced]
        images = [item for item in job.items if item.input_file]
        job.items_done = sum(item.status != ItemStatus.queued for item in images)
        job.items_failed = sum(item.status == ItemStatus.failed for item in images)
        job.progress = job.items_done / max(1, job.items_total)
        job.results = job_results(job)
        job.summary = {**job.summary, "min_depth": low, "max_depth": high}

    return mutate


def job_results(job: Job) -> list[dict[str, Any]]:
    return [described for item in job.items for described in item.results]


def run_depth_job(job_id: uuid.UUID, run: JobRun) -> None:
    job, pending = _pending_items(job_id)
    colormap = job.params.get("colormap", "magma")
    folder = storage.job_dir(job)
    loaded = load_yolo(settings.depth_model, settings.models_dir, settings.device)
    set_torch_threads(settings.cpu_threads)
    low, high = job.summary.get("min_depth"), job.summary.get("max_depth")

    for start in range(0, len(pending), settings.depth_batch):
        batch = pending[start : start + settings.depth_batch]
        outcomes: dict[uuid.UUID, Outcome] = {}
        decoded: list[tuple[JobItem, Photo]] = []
        with run.timed("decode"):
            for item in batch:
                try:
                    decoded.append((item, load_photo(folder / item.input_file, max_pixels=settings.max_image_pixels)))
                except ImageError as exc:
                    outcomes[item.id] = (ItemStatus.failed, str(exc), [])
        if decoded:
            with run.timed("inference"):
                depths = depth_maps.predict_depth(
                    loaded.model, [photo.rgb for _, photo in decoded], imgsz=settings.depth_imgsz, device=loaded.device
                )
            set_torch_threads(settings.cpu_threads)
            with run.timed("encode"):
                for (item, _), depth in zip(decoded, depths):
                    produced = write_depth_outputs(folder, item.stem, depth, colormap)
                    outcomes[item.id] = (ItemStatus.succeeded, None, produced)
                    d_low, d_high = depth_maps.depth_range(depth)
                    low = d_low if low is None else min(low, d_low)
                    high = d_high if high is None else max(high, d_high)
        with run.timed("status"):
            run.update(force=True, mutate=_record(outcomes, low, high))

    def summarize(job: Job) -> None:
        job.summary = {
            **job.summary,
            "images": sum(item.status == ItemStatus.succeeded for item in job.items),
            "model": Path(loaded.weights).name,
            "weights_sha256": loaded.sha256,
            "device": loaded.device,
            "min_depth": low,
            "max_depth": high,
            "timings_s": run.timings,
        }

    run.finish(JobStatus.succeeded, mutate=summarize)
