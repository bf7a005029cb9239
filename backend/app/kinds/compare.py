"""Comparing two heatmap jobs from their stored tracks, each drawn with its own options: their heat per second of
video (so different durations compare fairly) on one shared scale, and the zones the two share by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from app.core.storage import Folder
from app.kinds import heatmap, regions
from app.vision import compare
from app.vision.heat import accumulate
from app.vision.images import encode_png
from app.vision.render import DEFAULT_COLORMAP, LEGEND_AREA_PX, colour_stops
from app.vision.tracks import Tracks

View = Literal["a", "b", "difference"]


class CompareSide(BaseModel):
    person_seconds: float = Field(description="the job's whole heat: Σ heatmap, person-seconds")
    people_unique: int = Field(description="distinct tracks in the job's time window")
    duration_s: float = Field(description="seconds of video its heat covers (the job's time window)")
    person_seconds_per_s: float = Field(description="person_seconds / duration_s: people in view on average")


class ZoneDelta(BaseModel):
    name: str
    a_person_seconds: float
    b_person_seconds: float
    difference_person_seconds: float = Field(
        description="b - a per second of video: b / b.duration_s - a / a.duration_s"
    )


class Comparison(BaseModel):
    """Two heatmap jobs on one scale; `difference` is always b - a, each job's heat divided by its duration."""

    scale_max: float = Field(description="top of the shared colour scale: person-s per s per 100x100 px")
    a: CompareSide
    b: CompareSide
    difference_person_seconds: float = Field(
        description="b - a per second of video: b.person_seconds_per_s - a.person_seconds_per_s"
    )
    colors: list[str] = Field(description='the a and b views\' colours, "#rrggbb" evenly from 0 to scale_max')
    difference_colors: list[str] = Field(
        description='the difference view\'s colours, "#rrggbb" evenly from -scale_max (blue) to scale_max (red)'
    )
    zones: list[ZoneDelta] | None = Field(
        default=None, description="zones of the same name in both jobs' regions (null unless both have regions)"
    )


@dataclass
class Side:
    """One job, ready to compare: its heat per second of video per pixel, and what stands beside it."""

    rate: np.ndarray
    figures: CompareSide
    background: np.ndarray
    zones: dict[str, float] | None  # zone name -> person-seconds, from `regions.json`


def side(folder: Folder, tracks: Tracks, options: heatmap.HeatmapOptions, *, has_regions: bool) -> Side:
    """The job in `folder` with its `tracks`, drawn with its `options` (anchor, radius, mode, time window)."""
    if tracks.background is None:
        raise ValueError("tracks without a background cannot be drawn")
    shown = tracks.window(options.t_start, options.t_end)
    heat = accumulate(shown, anchor=options.anchor, radius=options.radius, mode=options.mode)
    duration_s = shown.duration_s
    person_seconds = float(heat.sum(dtype=np.float64))
    figures = CompareSide(
        person_seconds=person_seconds,
        people_unique=len(np.unique(shown.track_id)),
        duration_s=duration_s,
        person_seconds_per_s=person_seconds / duration_s if duration_s > 0 else 0.0,
    )
    zones = _zone_seconds(folder) if has_regions else None
    rate = heat / duration_s if duration_s > 0 else np.zeros_like(heat)
    return Side(rate=rate, figures=figures, background=tracks.background, zones=zones)


def _zone_seconds(folder: Folder) -> dict[str, float] | None:
    """Zone name -> person-seconds from the job's `regions.json` (None when it is gone)."""
    try:
        return {zone.name: zone.person_seconds for zone in regions.load_analysis(folder).zones}
    except FileNotFoundError:
        return None


def comparison(a: Side, b: Side) -> Comparison:
    return Comparison(
        scale_max=compare.scale_max(a.rate, b.rate) * LEGEND_AREA_PX,
        a=a.figures,
        b=b.figures,
        difference_person_seconds=b.figures.person_seconds_per_s - a.figures.person_seconds_per_s,
        colors=colour_stops(DEFAULT_COLORMAP),
        difference_colors=compare.difference_stops(),
        zones=_zone_deltas(a, b),
    )


def _zone_deltas(a: Side, b: Side) -> list[ZoneDelta] | None:
    if a.zones is None or b.zones is None:
        return None
    return [
        ZoneDelta(
            name=name,
            a_person_seconds=a.zones[name],
            b_person_seconds=b.zones[name],
            difference_person_seconds=_per_s(b.zones[name], b) - _per_s(a.zones[name], a),
        )
        for name in a.zones
        if name in b.zones
    ]


def _per_s(person_seconds: float, job: Side) -> float:
    return person_seconds / job.figures.duration_s if job.figures.duration_s > 0 else 0.0


def image(a: Side, b: Side, view: View) -> bytes:
    """The PNG of `view` on the shared scale: a's or b's heat per second over its background, or b - a over b's."""
    top = compare.scale_max(a.rate, b.rate)
    if view == "difference":
        return encode_png(compare.render_difference(b.rate - a.rate, b.background, top))
    shown = a if view == "a" else b
    return encode_png(compare.render_rate(shown.rate, shown.background, top))
