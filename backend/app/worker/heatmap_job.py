"""The heatmap job: detect and track people over the sampled frames, then draw and store the results."""

from __future__ import annotations

import uuid
from pathlib import Path

from app.core import storage
from app.core.config import settings
from app.core.db import session_scope
from app.kinds import heatmap as kind
from app.models import Job, JobStage, JobStatus
from app.vision.backends import batch_size
from app.vision.models import Calibration, inference_plan, load_for_inference
from app.vision.motion import Motion
from app.vision.people import DetectorAgreement, YoloPeopleDetector, analyze_video, calibration_frames
from app.vision.video import VideoError
from app.worker.lifecycle import Cancelled, JobFailed, JobRun, StorageBudget, db_retry


@db_retry
def _load(job_id: uuid.UUID) -> Job:
    with session_scope() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise Cancelled()
        session.expunge(job)
        return job


def _motion() -> Motion:
    return Motion(
        pixel_threshold=settings.motion_gate_pixel_threshold,
        area=settings.motion_gate_area,
        max_skip_s=settings.motion_gate_max_skip_s,
    )


def run_heatmap_job(job_id: uuid.UUID, run: JobRun) -> None:
    job = _load(job_id)
    files = storage.job_files(job)
    video = next((name for name in files.names() if storage.is_video_input(job, name)), None)
    if video is None:
        raise JobFailed("the uploaded video is missing from storage")
    with files.local_input(video) as path:
        _analyze(job, files, video, path, run)
    if not kind.HeatmapOptions.model_validate(job.params).keep_input:
        files.delete_video_input()


def _analyze(job: Job, files: storage.JobFiles, video_name: str, video: Path, run: JobRun) -> None:
    """Detect and track people in the `video` (a local copy of the job's file `video_name`), then draw and store
    the results."""
    options = kind.HeatmapOptions.model_validate(job.params)
    plan = inference_plan(settings.inference_backend, settings.device, settings.inference_precision)
    batch = batch_size(plan, cpu_batch=settings.heatmap_batch, cuda_batch=settings.cuda_batch)
    calibration = Calibration(
        frames=lambda: calibration_frames(video, settings.int8_calibration_frames, hw_decode=settings.video_hw_decode),
        agreement=DetectorAgreement(settings.person_classes, settings.heatmap_imgsz, batch),
        min_speedup=settings.int8_min_speedup,
    )
    run.stage(JobStage.loading_model)
    with run.timed("load"):  # once per worker process; an export the first time
        loaded = load_for_inference(
            settings.heatmap_model,
            settings.models_dir,
            plan,
            imgsz=settings.heatmap_imgsz,
            batch=batch,
            calibration=calibration,
        )
    try:
        detector = YoloPeopleDetector(
            loaded.model,
            person_classes=settings.person_classes,
            conf=options.conf,
            imgsz=settings.heatmap_imgsz,
            device=loaded.device,
            batch=batch,
            threads=settings.cpu_threads,
        )
    except ValueError as exc:  # the configured model has none of the person classes
        raise JobFailed(f"the people detector is misconfigured: {exc}") from None

    def on_progress(fraction: float) -> bool:
        run.update(progress=0.95 * fraction)  # the last 5%: drawing and storing; raises Cancelled
        return True

    run.stage(JobStage.detecting)
    try:
        with run.timed("analysis"):
            analysis = analyze_video(
                video,
                detector,
                sample_fps=options.sample_fps,
                stride=options.stride,
                max_seconds=settings.max_video_seconds,
                max_pixels=settings.max_video_pixels,
                max_frames=settings.max_video_frames,
                on_progress=on_progress,
                hw_decode=settings.video_hw_decode,
                motion=_motion() if options.motion_gate else None,
            )
    except VideoError as exc:
        raise JobFailed(str(exc)) from None

    run.stage(JobStage.drawing)
    folder = run.output(files)
    tracks = kind.hide_people(analysis.tracks) if options.blur_people else analysis.tracks
    with run.timed("render"):
        written = kind.render_files(folder, tracks, options) + kind.save_tracks(folder, tracks)
    if options.recap:
        with run.timed("recap"):
            written.append(kind.write_recap(folder, tracks, options))
    timing = analysis.timing.as_dict()
    summary = kind.HeatmapSummary.model_validate(
        {
            **analysis.summary,
            "model": Path(loaded.weights).name,
            "weights_sha256": loaded.sha256,
            "device": loaded.device,
            "backend": loaded.runtime,
            "video_seconds_per_second": round(analysis.summary["duration_s"] / max(timing["total"], 1e-9), 3),
            "timings_s": {**timing, **run.timings},
        }
    )
    stats = kind.HeatmapStats(
        **dict(summary),
        people_per_second=analysis.summary["people_per_second"],
        slice_s=kind.slice_s(tracks),
        params=options,
    )
    kept = [files.describe(video_name)] if options.keep_input else []
    written = kind.in_order([*written, kind.write_stats(folder, stats), *kept])
    StorageBudget(run, written=0).add(written)  # over it, the run's scratch files go unpublished
    run.finish(JobStatus.succeeded, summary=summary.model_dump(), results=storage.dump_files(written))
