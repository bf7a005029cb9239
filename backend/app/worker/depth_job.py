"""The depth job: decode each image, run the depth model in batches, store the three encodings."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from app.core import storage
from app.core.config import settings
from app.core.db import session_scope
from app.core.storage import StoredFile
from app.kinds.depth import DepthOptions, DepthSummary, write_outputs
from app.models import ItemStatus, Job, JobItem, JobStatus
from app.vision import depth as depth_maps
from app.vision.backends import batch_size
from app.vision.images import ImageError, Photo, load_photo
from app.vision.models import LoadedModel, inference_plan, load_for_inference, load_yolo, set_torch_threads
from app.worker.lifecycle import Cancelled, JobRun, db_retry


@db_retry
def _pending_items(job_id: uuid.UUID) -> tuple[Job, list[JobItem]]:
    with session_scope() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise Cancelled()
        pending = [item for item in job.items if item.status == ItemStatus.queued and item.input_file]
        session.expunge_all()
        return job, pending


@dataclass(frozen=True)
class Outcome:
    """What became of one image: its status, the error shown to the user, the files written."""

    status: ItemStatus
    error: str | None = None
    files: list[StoredFile] = field(default_factory=list)


def _summary(job: Job, **changes: Any) -> dict[str, Any]:
    """The job's summary with `changes` (fields of `DepthSummary`), as stored."""
    summary = DepthSummary.model_validate(job.summary)
    return summary.model_copy(update=changes).model_dump(exclude_unset=True)


def _record(outcomes: dict[uuid.UUID, Outcome], low: float | None, high: float | None) -> Callable[[Job], None]:
    """The job update after a batch: item outcomes, counts, progress, results, depth range."""

    def mutate(job: Job) -> None:
        for item in job.items:
            if item.id in outcomes:
                outcome = outcomes[item.id]
                item.status, item.error = outcome.status, outcome.error
                item.results = [*item.results, *storage.dump_files(outcome.files)]
        images = [item for item in job.items if item.input_file]
        job.items_done = sum(item.status != ItemStatus.queued for item in images)
        job.items_failed = sum(item.status == ItemStatus.failed for item in images)
        job.progress = job.items_done / max(1, job.items_total)
        job.results = [stored for item in job.items for stored in item.results]
        job.summary = _summary(job, min_depth=low, max_depth=high)

    return mutate


Decoded = list[tuple[JobItem, Photo]]


def _decode(batch: list[JobItem], folder: Path, outcomes: dict[uuid.UUID, Outcome]) -> Decoded:
    """The batch's photos that decode; the others get a failed `Outcome`."""
    decoded: Decoded = []
    for item in batch:
        try:
            decoded.append((item, load_photo(folder / item.input_file, max_pixels=settings.max_image_pixels)))
        except ImageError as exc:
            outcomes[item.id] = Outcome(ItemStatus.failed, str(exc))
    return decoded


def load_depth_model() -> tuple[LoadedModel, int, int]:
    """The depth model on the configured backend, the image size it runs at (see `depth_imgsz_for`), and the
    images per inference call."""
    plan = inference_plan(settings.inference_backend, settings.device)
    imgsz = settings.depth_imgsz_for(load_yolo(settings.depth_model, settings.models_dir, plan.device).train_imgsz)
    batch = batch_size(plan, cpu_batch=settings.depth_batch, cuda_batch=settings.cuda_batch)
    loaded = load_for_inference(settings.depth_model, settings.models_dir, plan, imgsz=imgsz, batch=batch)
    return loaded, imgsz, batch


def run_depth_job(job_id: uuid.UUID, run: JobRun) -> None:
    job, pending = _pending_items(job_id)
    options = DepthOptions.model_validate(job.params)
    folder = storage.job_dir(job)
    loaded, imgsz, per_call = load_depth_model()
    set_torch_threads(settings.cpu_threads)
    low, high = job.summary.get("min_depth"), job.summary.get("max_depth")

    def store(outcomes: dict[uuid.UUID, Outcome], decoded: Decoded, depths: list[np.ndarray]) -> None:
        """Encode and write a batch's maps, then record the batch (on the writer thread)."""
        nonlocal low, high
        with run.timed("encode"):
            for (item, _), depth in zip(decoded, depths, strict=True):
                files = write_outputs(folder, item.stem, depth, options)
                outcomes[item.id] = Outcome(ItemStatus.succeeded, files=files)
                d_low, d_high = depth_maps.depth_range(depth)
                low = d_low if low is None else min(low, d_low)
                high = d_high if high is None else max(high, d_high)
        with run.timed("status"):
            run.update(force=True, mutate=_record(outcomes, low, high))

    # A batch is encoded, written and recorded while the next one is decoded and inferred (PNG encoding and
    # the database round trip release the GIL); at most one batch waits for the writer.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="depth-writer") as writer:
        stored: Future[None] | None = None
        for start in range(0, len(pending), per_call):
            batch = pending[start : start + per_call]
            outcomes: dict[uuid.UUID, Outcome] = {}
            with run.timed("decode"):
                decoded = _decode(batch, folder, outcomes)
            depths: list[np.ndarray] = []
            if decoded:
                with run.timed("inference"):
                    depths = depth_maps.predict_depth(
                        loaded.model, [photo.rgb for _, photo in decoded], imgsz=imgsz, device=loaded.device,
                        half=loaded.half,
                    )
                set_torch_threads(settings.cpu_threads)
            if stored is not None:
                stored.result()  # raises what the writer raised (Cancelled, a full disk)
            stored = writer.submit(store, outcomes, decoded, depths)
        if stored is not None:
            stored.result()

    def summarize(job: Job) -> None:
        job.summary = _summary(
            job,
            images=sum(item.status == ItemStatus.succeeded for item in job.items),
            model=Path(loaded.weights).name,
            weights_sha256=loaded.sha256,
            device=loaded.device,
            backend=loaded.backend,
            imgsz=imgsz,
            min_depth=low,
            max_depth=high,
            timings_s=run.timings,
        )

    run.finish(JobStatus.succeeded, mutate=summarize)
