"""The heatmap job kind: its options, its summary, and the files drawn from its stored tracks.

The writers are shared by the worker (first drawing) and the render route (redrawing with other options,
without re-running detection).
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, Field, model_validator

from app.core import storage
from app.core.config import settings
from app.core.storage import Folder, StoredFile
from app.kinds.options import partial_model
from app.models import Job
from app.vision.floor import Homography
from app.vision.heat import DEFAULT_MODE, DEFAULT_RADIUS, Mode, accumulate, heat_slices, slice_factor, slice_seconds
from app.vision.images import encode_png, png_size_bound
from app.vision.privacy import blur_people
from app.vision.recap import recap_frames, write_mp4
from app.vision.render import (
    DEFAULT_COLORMAP,
    DEFAULT_NORMALIZATION,
    DEFAULT_OPACITY,
    PER_100_PX,
    Colormap,
    Normalization,
    colour_stops,
    legend_ticks,
    normalize,
    per_square_metre,
    render_heatmap,
    render_tracks,
)
from app.vision.tracks import DEFAULT_ANCHOR, Anchor, Tracks

TRACKS_FILE = "tracks.npz"
BACKGROUND_FILE = "background.png"
STATS_FILE = "stats.json"
SLICES_FILE = "heat_slices.npy"
RECAP_FILE = "recap.mp4"
LEGEND_FILE = "legend.json"
#: The order of a job's result files (the first five are redrawn by `POST /render`).
FILE_ORDER = (
    "heatmap.png", "heatmap.npy", "tracks.png", LEGEND_FILE, SLICES_FILE, RECAP_FILE, STATS_FILE, TRACKS_FILE,
    BACKGROUND_FILE,
)  # fmt: skip


class HeatmapOptions(BaseModel):
    """Options of a heatmap job, sent as multipart form fields and stored as the job's `params`.

    `ANALYSIS_FIELDS` decide how people are found; every other field only decides how the heatmap is drawn
    from the stored tracks, so changing it never re-runs detection (see `RenderUpdate`).
    """

    colormap: Colormap = DEFAULT_COLORMAP
    radius: float = Field(
        default=DEFAULT_RADIUS, gt=0, le=5, description="Gaussian sigma as a multiple of the person's box width"
    )
    anchor: Anchor = Field(default=DEFAULT_ANCHOR, description="feet: bottom-centre of the box")
    mode: Mode = Field(default=DEFAULT_MODE, description="movement: leave out people standing still")
    t_start: float | None = Field(default=None, ge=0, description="seconds; only samples from here")
    t_end: float | None = Field(default=None, ge=0, description="seconds; only samples before here")
    normalization: Normalization = DEFAULT_NORMALIZATION
    opacity: float = Field(
        default=DEFAULT_OPACITY, ge=0, le=1, description="blend weight of the heat colours, redrawn on the server"
    )
    sample_fps: float = Field(
        default_factory=lambda: settings.heatmap_sample_fps,
        gt=0,
        le=60,
        description="frames analysed per second of video",
        json_schema_extra=lambda schema: schema.update(default=settings.heatmap_sample_fps),
    )
    stride: int | None = Field(
        default=None, ge=1, le=10_000, description="analyse every n-th frame instead of sample_fps"
    )
    conf: float = Field(
        default_factory=lambda: settings.heatmap_conf,
        gt=0,
        lt=1,
        description="detection confidence",
        json_schema_extra=lambda schema: schema.update(default=settings.heatmap_conf),
    )
    motion_gate: bool = Field(
        default=True, description="run the detector only on frames that moved; still ones reuse its last detections"
    )
    recap: bool = Field(default=True, description=f"write {RECAP_FILE}: the heat accumulating, at most 30 s")
    blur_people: bool = Field(
        default=True, description="blur people's boxes in the background and every frame image drawn over it"
    )
    keep_input: bool = Field(
        default=True, description="keep the uploaded video with the results (false: delete it once analysed)"
    )

    @model_validator(mode="after")
    def _window_in_order(self) -> HeatmapOptions:
        if self.t_start is not None and self.t_end is not None and self.t_end <= self.t_start:
            raise ValueError("t_end must be after t_start")
        return self


#: The options of the job's run (detection, what it writes once); the others are drawing options.
ANALYSIS_FIELDS = ("sample_fps", "stride", "conf", "motion_gate", "recap", "blur_people", "keep_input")
DRAWING_FIELDS = tuple(name for name in HeatmapOptions.model_fields if name not in ANALYSIS_FIELDS)

if TYPE_CHECKING:  # a class built at run time: type checkers see its base
    RenderUpdate = BaseModel
else:
    RenderUpdate = partial_model(
        HeatmapOptions,
        "RenderUpdate",
        DRAWING_FIELDS,
        "Any subset of the drawing options; the rest keep the job's values.",
    )


class VideoSummary(BaseModel):
    """What the upload's probe says about the video: a heatmap job's summary until it has run."""

    duration_s: float
    fps: float
    width: int
    height: int
    frames_total: int = Field(description="frame count from the container (the decoded count if it has none)")


class HeatmapSummary(VideoSummary):
    """A finished heatmap job's summary."""

    frames_sampled: int = Field(description="frames analysed: detected or reused")
    frames_detected: int = Field(description="sampled frames that went through the detector")
    frames_reused: int = Field(description="sampled frames judged still, given the last detections (motion_gate)")
    frames_decoded: int = Field(description="frames that could be read: fewer than frames_total when truncated")
    people_unique: int
    people_peak: int
    people_mean: float
    truncated: bool
    message: str | None
    model: str
    weights_sha256: str
    device: str
    backend: str = Field(
        description="the runtime that ran the detector: torch, openvino"
        " (openvino-int8: its INT8 copy), onnx or tensorrt",
    )
    video_seconds_per_second: float
    timings_s: dict[str, float]


class HeatmapStats(HeatmapSummary):
    """`stats.json`: the summary with the head count of every second and the options used."""

    people_per_second: list[float]
    slice_s: float = Field(description=f"seconds of video per slice of {SLICES_FILE}")
    params: HeatmapOptions


# `tracks.npz` per sample: its time, frame and weight, and room for 20 people's detections (id, box, score, ...).
TRACKS_BYTES_PER_SAMPLE = 24 + 20 * 64
STATS_BYTES_PER_SECOND = 32  # `stats.json`'s head count of every second


def output_bytes(video: VideoSummary, options: HeatmapOptions) -> int:
    """The bytes a heatmap job's results are expected to take: three PNGs and `tracks.npz`'s background frame at
    the frame's size, the float32 `heatmap.npy`, and the detections of every sample (an allowance per sample)."""
    width, height = video.width, video.height
    frames = video.frames_total / options.stride if options.stride else video.duration_s * options.sample_fps
    samples = min(video.frames_total, math.ceil(frames))
    return (
        3 * png_size_bound(width, height, 3)
        + 2 * storage.NPY_HEADER_BYTES
        + (4 + 3) * width * height
        + samples * TRACKS_BYTES_PER_SAMPLE
        + math.ceil(video.duration_s * STATS_BYTES_PER_SECOND)
        + 64 * 1024
    )


def run_seconds(job: Job) -> float:
    """The seconds a run of the job should take: `HEATMAP_SECONDS_PER_VIDEO_SECOND` per second of its video. A video
    whose container states no frame count has no known duration: its decoding stops at `MAX_VIDEO_SECONDS`, so that
    bounds it."""
    duration = float(job.summary.get("duration_s") or 0) if job.summary.get("frames_total") else 0.0
    return (duration or settings.max_video_seconds) * settings.heatmap_seconds_per_video_second


def save_tracks(folder: Folder, tracks: Tracks) -> list[StoredFile]:
    """`tracks.npz` (per-sample detections, background included) and `background.png`."""
    if tracks.background is None:
        raise ValueError("tracks without a background cannot be redrawn")
    background = encode_png(tracks.background)
    return [folder.write_file(TRACKS_FILE, tracks.save), folder.write(BACKGROUND_FILE, background)]


def hide_people(tracks: Tracks) -> Tracks:
    """The tracks with people's boxes blurred in their background (what every frame image is drawn over)."""
    if tracks.background is None:
        return tracks
    return dataclasses.replace(tracks, background=blur_people(tracks.background, tracks))


def load_tracks(folder: Folder) -> Tracks:
    with folder.local_input(TRACKS_FILE) as path:
        return Tracks.load(path)


class LegendTick(BaseModel):
    position: float = Field(description="0 (bottom of the colour scale) to 1 (top)")
    value: float = Field(description="person-seconds per `unit` at that position")


class HeatmapLegend(BaseModel):
    """`legend.json`: the colour scale of `heatmap.png`, for a legend drawn outside the image."""

    unit: str = Field(
        default=PER_100_PX.name,
        description=f'"{per_square_metre(1).name}" while the job has a floor calibration, else "{PER_100_PX.name}"',
    )
    px_per_m2: float | None = Field(
        default=None,
        description="frame pixels per m² of floor over the calibrated area, which turn heat per pixel into heat per "
        "m²; null without a calibration",
    )
    colormap: Colormap
    colors: list[str] = Field(description='"#rrggbb" stops evenly along the scale, low end first')
    ticks: list[LegendTick]


def render_files(
    folder: Folder, tracks: Tracks, options: HeatmapOptions, homography: Homography | None = None
) -> list[StoredFile]:
    """Draw the files of `render_heat`, `tracks.png` and `heat_slices.npy` (person-seconds per `slice_s(tracks)`
    seconds, on blocks of `slice_factor` pixels)."""
    if tracks.background is None:
        raise ValueError("tracks without a background cannot be drawn")
    window: dict[str, Any] = {"t_start": options.t_start, "t_end": options.t_end}
    trajectories = render_tracks(tracks, tracks.background, anchor=options.anchor, **window)
    slices = heat_slices(
        tracks,
        slice_s=slice_s(tracks),
        factor=slice_factor(tracks.height, tracks.width),
        anchor=options.anchor,
        radius=options.radius,
        mode=options.mode,
        **window,
    )
    return [
        *render_heat(folder, tracks, options, homography),
        folder.write("tracks.png", encode_png(trajectories)),
        folder.write_npy(SLICES_FILE, slices),
    ]


def render_heat(
    folder: Folder, tracks: Tracks, options: HeatmapOptions, homography: Homography | None
) -> list[StoredFile]:
    """Draw `heatmap.png` (overlay with its legend), `heatmap.npy` (person-seconds) and `legend.json` (the colour
    scale). The legends count person-seconds per m² of floor when the job has a calibration (its `homography`),
    else per 100 x 100 px."""
    if tracks.background is None:
        raise ValueError("tracks without a background cannot be drawn")
    window: dict[str, Any] = {"t_start": options.t_start, "t_end": options.t_end}
    heat = accumulate(tracks, anchor=options.anchor, radius=options.radius, mode=options.mode, **window)
    scaled = normalize(heat, options.normalization)
    px_per_m2 = round(homography.px_per_m2, 4) if homography is not None else None
    unit = per_square_metre(px_per_m2) if px_per_m2 is not None else PER_100_PX
    overlay = render_heatmap(
        heat,
        tracks.background,
        colormap=options.colormap,
        opacity=options.opacity,
        normalization=options.normalization,
        scaled=scaled,
        unit=unit,
    )
    legend = HeatmapLegend(
        unit=unit.name,
        px_per_m2=px_per_m2,
        colormap=options.colormap,
        colors=colour_stops(options.colormap),
        ticks=[LegendTick(position=p, value=round(v, 6)) for p, v in legend_ticks(scaled[1], unit)],
    )
    return [
        folder.write("heatmap.png", encode_png(overlay)),
        folder.write_npy("heatmap.npy", heat.astype(np.float32, copy=False)),
        folder.write(LEGEND_FILE, legend.model_dump_json(indent=2).encode()),
    ]


def slice_s(tracks: Tracks) -> float:
    """Seconds of video per slice of `heat_slices.npy` (at most `heat.MAX_SLICES` slices)."""
    return slice_seconds(tracks.end_s)


def write_recap(folder: Folder, tracks: Tracks, options: HeatmapOptions) -> StoredFile:
    """`recap.mp4`: the slices of `heat_slices.npy` (written by `render_files`) accumulating over the background."""
    if tracks.background is None:
        raise ValueError("tracks without a background cannot be drawn")
    frames = recap_frames(
        folder.read_npy(SLICES_FILE),
        tracks.background,
        slice_s=slice_s(tracks),
        end_s=tracks.end_s,
        colormap=options.colormap,
        opacity=options.opacity,
    )
    return folder.write_file(RECAP_FILE, lambda tmp: write_mp4(tmp, frames, threads=settings.cpu_threads))


def write_stats(folder: Folder, stats: HeatmapStats) -> StoredFile:
    return folder.write(STATS_FILE, json.dumps(stats.model_dump(), indent=2).encode())


def in_order(files: list[StoredFile]) -> list[StoredFile]:
    """A job's result files in `FILE_ORDER` (any other file after them)."""
    return sorted(files, key=lambda f: FILE_ORDER.index(f.name) if f.name in FILE_ORDER else len(FILE_ORDER))
