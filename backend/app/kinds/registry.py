"""The job kinds, each tied to its options, summary, upload, ingest rule, folder, queue and runner. Looked up with
`app.kinds.spec(kind)`; nothing outside `app.kinds` compares a kind with a particular one."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from app import ingest
from app.kinds import KindSpec, Upload, depth, heatmap
from app.models import JobKind

DEPTH = KindSpec(
    kind=JobKind.depth,
    options=depth.DepthOptions,
    summary=depth.DepthSummary,
    summary_doc="`DepthSummary`, with the fields the job has got to",
    upload=Upload(ingest.DEPTH_MEDIA_TYPES, "images (jpg, jpeg, png, webp, bmp, tiff) or ZIPs of them"),
    ingest=ingest.depth_job,
    folder=attrgetter("depth_maps_dir"),
    queue=attrgetter("depth_queue"),
    run_seconds=depth.run_seconds,
    runner="app.worker.depth_job:run_depth_job",
)

HEATMAP = KindSpec(
    kind=JobKind.heatmap,
    options=heatmap.HeatmapOptions,
    summary=heatmap.HeatmapSummary | heatmap.VideoSummary,
    summary_doc="the video's probe (`VideoSummary`) until the job succeeds, then `HeatmapSummary`",
    upload=Upload(ingest.VIDEO_MEDIA_TYPES, "a video: mp4, avi, mov, mkv or webm", fallback_name="video"),
    ingest=ingest.heatmap_job,
    folder=attrgetter("heatmaps_dir"),
    queue=attrgetter("heatmap_queue"),
    run_seconds=heatmap.run_seconds,
    runner="app.worker.heatmap_job:run_heatmap_job",
    input_video=True,
    redrawable=True,
)

SPECS: tuple[KindSpec[Any], ...] = (DEPTH, HEATMAP)
KINDS: dict[JobKind, KindSpec[Any]] = {spec.kind: spec for spec in SPECS}
