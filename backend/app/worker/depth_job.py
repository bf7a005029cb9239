"""The depth job: decode each image, run the depth model in batches, store its encodings and metadata.

With `normalization=job` the previews and 16-bit PNGs need the whole job's depth range: the first pass
stores each image's NPY (and point cloud), the second draws the maps from the NPYs with the job's range.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import psutil

from app.core import storage
from app.core.config import settings
from app.core.db import session_scope
from app.core.storage import JobFiles, StoredFile
from app.kinds.depth import (
    DepthMetadata,
    DepthOptions,
    DepthSummary,
    ImageDepth,
    Png16Range,
    read_depth,
    write_depth,
    write_maps,
    write_point_cloud,
)
from app.models import ItemStatus, Job, JobItem, JobStage, JobStatus
from app.vision import depth as depth_maps
from app.vision.backends import batch_size
from app.vision.camera import focal_length_px
from app.vision.images import ImageError, Photo, image_size, load_photo
from app.vision.models import (
    Calibration,
    LoadedModel,
    inference_plan,
    load_for_inference,
    load_yolo,
    set_torch_threads,
)
from app.worker.lifecycle import Cancelled, JobRun, OverQuota, StorageBudget, db_retry

# Resident bytes a depth image may take per pixel while it is decoded, inferred and encoded: a 63.7 MP photo peaked
# ~0.7 GiB (11 B/px) over the loaded model (decoding's copies, then the RGB, BGR and float32 depth held while its
# metadata is computed); 40 was measured before those copies were cut and is kept as the margin.
DEPTH_BYTES_PER_PIXEL = 40

# How far an image is through its work once the model has run and only its maps wait for the job's range:
# the model takes most of an image's time (drawing two PNGs from the stored NPY is the rest).
MEASURED_SHARE = 0.8


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
    """What became of one image: its status, the error shown to the user, the files written, its depth."""

    status: ItemStatus
    error: str | None = None
    files: list[StoredFile] = field(default_factory=list)
    depth: ImageDepth | None = None


@dataclass(frozen=True)
class Measured:
    """An image through the model whose maps wait for the job's range (`normalization=job`)."""

    item: JobItem
    metadata: DepthMetadata
    stored: list[StoredFile]  # the NPY and, when asked for, the point cloud


def _summary(job: Job, **changes: Any) -> dict[str, Any]:
    """The job's summary with `changes` (fields of `DepthSummary`), as stored."""
    summary = DepthSummary.model_validate(job.summary)
    return summary.model_copy(update=changes).model_dump(exclude_unset=True)


def _record(
    outcomes: dict[uuid.UUID, Outcome], low: float | None, high: float | None, *, measured: int
) -> Callable[[Job], None]:
    """The job update after a batch: item outcomes, counts, progress, results, depth range, per-image depth.

    `measured`: images through the model whose maps still wait for the job's range (`MEASURED_SHARE` done each).
    """

    def mutate(job: Job) -> None:
        per_image = DepthSummary.model_validate(job.summary).per_image
        for item in job.items:
            if item.id in outcomes:
                outcome = outcomes[item.id]
                item.status, item.error = outcome.status, outcome.error
                item.results = [*item.results, *storage.dump_files(outcome.files)]
                per_image += [outcome.depth] if outcome.depth else []
        images = [item for item in job.items if item.input_file]
        job.items_done = sum(item.status != ItemStatus.queued for item in images)
        job.items_failed = sum(item.status == ItemStatus.failed for item in images)
        job.progress = (job.items_done + MEASURED_SHARE * measured) / max(1, job.items_total)
        job.results = [stored for item in job.items for stored in item.results]
        job.summary = _summary(job, min_depth=low, max_depth=high, per_image=per_image)

    return mutate


Decoded = list[tuple[JobItem, Photo]]
#: Local paths of the job's pending input images, by file name (`JobFiles.local_input`).
Inputs = dict[str, Path]


def _pixels(item: JobItem, inputs: Inputs) -> int:
    """The image's pixels from its header (0 when unreadable: decoding will fail it)."""
    assert item.input_file is not None  # pending items are the ones with an input file
    try:
        width, height = image_size(inputs[item.input_file], max_pixels=settings.max_image_pixels)
    except ImageError:
        return 0
    return width * height


def _batches(
    pending: list[JobItem], inputs: Inputs, *, per_call: int, max_pixels: int
) -> Iterator[tuple[list[JobItem], int]]:
    """Consecutive items in batches of at most `per_call` images and `max_pixels` pixels (an image larger than that
    goes alone), each with its pixels."""
    batch: list[JobItem] = []
    pixels = 0
    for item in pending:
        size = _pixels(item, inputs)
        if batch and (len(batch) == per_call or pixels + size > max_pixels):
            yield batch, pixels
            batch, pixels = [], 0
        batch.append(item)
        pixels += size
    if batch:
        yield batch, pixels


def _pixel_budget() -> int:
    """Pixels this process may hold in flight (decoded, inferred or being encoded) within `WORKER_JOB_MEMORY`,
    given what it already holds (the model and the runtime)."""
    held = psutil.Process().memory_info().rss
    return max(0, settings.worker_job_memory - held) // DEPTH_BYTES_PER_PIXEL


def _decode(batch: list[JobItem], inputs: Inputs, outcomes: dict[uuid.UUID, Outcome]) -> Decoded:
    """The batch's photos that decode; the others get a failed `Outcome`."""
    decoded: Decoded = []
    for item in batch:
        assert item.input_file is not None  # pending items are the ones with an input file
        try:
            decoded.append((item, load_photo(inputs[item.input_file], max_pixels=settings.max_image_pixels)))
        except ImageError as exc:
            outcomes[item.id] = Outcome(ItemStatus.failed, str(exc))
    return decoded


def _metadata(photo: Photo, depth: np.ndarray, options: DepthOptions, model: dict[str, Any]) -> DepthMetadata:
    """`<stem>_depth.json` of one image, its 16-bit range its own (the job's replaces it with `job`)."""
    stats = depth_maps.depth_stats(depth)
    height, width = depth.shape
    focal_px, focal_source = focal_length_px(
        width=width, sensor_width_px=photo.sensor_width_px, lens=photo.lens, fov_deg=options.fov_deg
    )
    return DepthMetadata(
        **model,
        min_m=stats.min_m,
        max_m=stats.max_m,
        median_m=stats.median_m,
        width=width,
        height=height,
        exif_orientation_applied=photo.exif_orientation_applied,
        focal_px=focal_px,
        focal_source=focal_source,
        normalization=options.normalization,
        png16=Png16Range.spanning(stats.min_m, stats.max_m),
    )


def _succeeded(item: JobItem, maps: list[StoredFile], stored: list[StoredFile], metadata: DepthMetadata) -> Outcome:
    """Files in their order: preview, 16-bit PNG, NPY, JSON, then the point cloud."""
    preview, sixteen, described = maps
    depth = ImageDepth(name=item.name, min_m=metadata.min_m, median_m=metadata.median_m, max_m=metadata.max_m)
    return Outcome(ItemStatus.succeeded, files=[preview, sixteen, stored[0], described, *stored[1:]], depth=depth)


def _without_results(files: JobFiles) -> Callable[[Job], None]:
    """The job update, and the removals from storage, of a run that passed the storage quota: every file but the
    inputs removed, the images that had results failed."""

    def mutate(job: Job) -> None:
        inputs = {item.input_file for item in job.items if item.input_file}
        for name in files.names():  # published files; the run's scratch folder goes when the run ends
            if name not in inputs:
                files.delete(name)
        for item in job.items:
            kept = [stored for stored in item.results if stored["name"] == item.input_file]
            if len(kept) < len(item.results):
                item.status, item.error = (
                    ItemStatus.failed,
                    "its results were removed: the job passed the storage quota",
                )
            item.results = kept
        job.results = [stored for item in job.items for stored in item.results]

    return mutate


def load_depth_model(pending: list[JobItem], inputs: Inputs) -> tuple[LoadedModel, int, int]:
    """The depth model on the configured backend and precision (an INT8 copy calibrated on the job's images), the
    image size it runs at (see `depth_imgsz_for`), and the images per inference call."""
    plan = inference_plan(settings.inference_backend, settings.device, settings.inference_precision)
    imgsz = settings.depth_imgsz_for(load_yolo(settings.depth_model, settings.models_dir, plan.device).train_imgsz)
    batch = batch_size(plan, cpu_batch=settings.depth_batch, cuda_batch=settings.cuda_batch)
    calibration = Calibration(
        frames=lambda: _calibration_images(pending, inputs, imgsz),
        agreement=depth_maps.DepthAgreement(imgsz),
        min_speedup=settings.int8_min_speedup,
    )
    loaded = load_for_inference(
        settings.depth_model, settings.models_dir, plan, imgsz=imgsz, batch=batch, calibration=calibration
    )
    return loaded, imgsz, batch


def _calibration_images(pending: list[JobItem], inputs: Inputs, imgsz: int) -> list[np.ndarray]:
    """Up to `INT8_CALIBRATION_FRAMES` of the job's images that decode, BGR, their long side at most `imgsz`."""
    images: list[np.ndarray] = []
    for item in pending[: settings.int8_calibration_frames]:
        outcomes: dict[uuid.UUID, Outcome] = {}
        for _, photo in _decode([item], inputs, outcomes):
            scale = min(1.0, imgsz / max(photo.rgb.shape[:2]))
            images.append(cv2.resize(photo.rgb[:, :, ::-1], None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    return images


def run_depth_job(job_id: uuid.UUID, run: JobRun) -> None:
    job, pending = _pending_items(job_id)
    files = storage.job_files(job)
    with ExitStack() as stack:
        inputs = {name: stack.enter_context(files.local_input(name)) for item in pending if (name := item.input_file)}
        _estimate(job, pending, files, inputs, run)


def _estimate(job: Job, pending: list[JobItem], files: JobFiles, inputs: Inputs, run: JobRun) -> None:
    """Estimate the depth of the `pending` items from their local copies (`inputs`) and store the results."""
    options = DepthOptions.model_validate(job.params)
    out = run.output(files)
    run.stage(JobStage.loading_model)
    with run.timed("load"):  # once per worker process; an export the first time
        loaded, imgsz, per_call = load_depth_model(pending, inputs)
    run.stage(JobStage.estimating_depth)
    set_torch_threads(settings.cpu_threads)
    model: dict[str, Any] = {"model": Path(loaded.weights).name, "weights_sha256": loaded.sha256, "imgsz": imgsz}
    low, high = job.summary.get("min_depth"), job.summary.get("max_depth")
    waiting: list[Measured] = []
    budget = StorageBudget(run, written=sum(stored["bytes"] for stored in job.results))

    def store(outcomes: dict[uuid.UUID, Outcome], decoded: Decoded, depths: list[np.ndarray]) -> None:
        """Write a batch's files and record the batch (on the writer thread); with `normalization=job` the
        maps wait for the job's range."""
        nonlocal low, high
        budget.refresh()
        with run.timed("encode"):
            for (item, photo), depth in zip(decoded, depths, strict=True):
                metadata = _metadata(photo, depth, options, model)
                stored = [write_depth(out, item.stem, depth)]
                if options.point_cloud:
                    stored.append(write_point_cloud(out, item.stem, depth, photo.rgb, metadata.focal_px))
                budget.add(stored)
                if options.normalization == "job":
                    waiting.append(Measured(item, metadata, stored))
                else:
                    maps = write_maps(out, item.stem, depth, metadata, options.colormap)
                    budget.add(maps)
                    outcomes[item.id] = _succeeded(item, maps, stored, metadata)
                low = metadata.min_m if low is None else min(low, metadata.min_m)
                high = metadata.max_m if high is None else max(high, metadata.max_m)
        with run.timed("status"):
            run.update(force=True, mutate=_record(outcomes, low, high, measured=len(waiting)))

    try:
        # A batch is encoded, written and recorded while the next one is decoded and inferred (PNG encoding and
        # the database round trip release the GIL); at most one batch waits for the writer.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="depth-writer") as writer:
            pending_write: Future[None] | None = None
            writing = 0  # pixels the writer holds
            budget_px = _pixel_budget()
            for batch, pixels in _batches(pending, inputs, per_call=per_call, max_pixels=budget_px // 2):
                if pending_write is not None and writing + pixels > budget_px:  # no overlap with the writer
                    pending_write.result()
                    pending_write = None
                outcomes: dict[uuid.UUID, Outcome] = {}
                with run.timed("decode"):
                    decoded = _decode(batch, inputs, outcomes)
                depths: list[np.ndarray] = []
                if decoded:
                    with run.timed("inference"):
                        depths = depth_maps.predict_depth(
                            loaded.model,
                            [photo.rgb for _, photo in decoded],
                            imgsz=imgsz,
                            device=loaded.device,
                            half=loaded.half,
                        )
                    set_torch_threads(settings.cpu_threads)
                    model["imgsz"] = depth_maps.input_size(loaded.model, imgsz)  # what it ran at, stride-rounded
                if pending_write is not None:
                    pending_write.result()  # raises what the writer raised (Cancelled, a full disk)
                pending_write, writing = writer.submit(store, outcomes, decoded, depths), pixels
                del decoded, depths  # the writer holds them now
            with run.timed("drain"):
                if pending_write is not None:
                    pending_write.result()

        job_range = None
        if options.normalization == "job" and low is not None and high is not None:
            job_range = Png16Range.spanning(low, high)
            if waiting:
                run.stage(JobStage.drawing)
                _draw_with_job_range(waiting, job_range, files, options, run, budget, low=low, high=high)
    except OverQuota:
        run.update(force=True, mutate=_without_results(files))
        raise

    def summarize(job: Job) -> None:
        job.summary = _summary(
            job,
            images=sum(item.status == ItemStatus.succeeded for item in job.items),
            model=model["model"],
            weights_sha256=model["weights_sha256"],
            device=loaded.device,
            backend=loaded.runtime,
            imgsz=model["imgsz"],
            min_depth=low,
            max_depth=high,
            normalization=options.normalization,
            png16=job_range,
            timings_s=run.timings,
        )

    run.finish(JobStatus.succeeded, mutate=summarize)


def _draw_with_job_range(
    waiting: list[Measured],
    job_range: Png16Range,
    files: JobFiles,
    options: DepthOptions,
    run: JobRun,
    budget: StorageBudget,
    *,
    low: float,
    high: float,
) -> None:
    """The second pass of `normalization=job`: every map drawn from its NPY over the job's range."""
    for start in range(0, len(waiting), settings.depth_batch):
        outcomes: dict[uuid.UUID, Outcome] = {}
        with run.timed("encode"):
            for measured in waiting[start : start + settings.depth_batch]:
                metadata = measured.metadata.model_copy(update={"png16": job_range})
                depth = read_depth(files, measured.item.stem)  # published with the first pass's record
                maps = write_maps(run.output(files), measured.item.stem, depth, metadata, options.colormap)
                budget.add(maps)
                outcomes[measured.item.id] = _succeeded(measured.item, maps, measured.stored, metadata)
        with run.timed("status"):
            left = len(waiting) - start - len(outcomes)
            run.update(force=True, mutate=_record(outcomes, low, high, measured=left))
