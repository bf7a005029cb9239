"""Footfall regions of a heatmap job: the zones and lines a user draws, their figures, and the files written.

The figures come from the job's stored tracks (`app.vision.regions`), so drawing new regions never
re-runs detection. Definitions: docs/API.md, "Footfall regions".
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Hashable, Sequence
from typing import Annotated, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.core import storage
from app.core.config import settings
from app.core.storage import Folder, StoredFile
from app.vision import regions as vision_regions
from app.vision.floor import Homography, polygon_area
from app.vision.tracks import Anchor, Tracks

ANALYSIS_FILE = "regions.json"
ZONES_FILE = "zones.csv"
LINES_FILE = "lines.csv"
FILES = (ANALYSIS_FILE, ZONES_FILE, LINES_FILE)
MAX_ZONES = MAX_LINES = 20
MAX_VERTICES = 64

K = TypeVar("K", bound=Hashable)
Coordinate = Annotated[float, Field(allow_inf_nan=False)]
Point = tuple[Coordinate, Coordinate]
Name = Annotated[str, Field(min_length=1, max_length=64)]


class Zone(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    polygon: list[Point] = Field(
        min_length=3, max_length=MAX_VERTICES, description="vertices [x, y] in frame pixels, origin top-left"
    )


class Line(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    points: list[Point] = Field(
        min_length=2, max_length=2, description="[[x1, y1], [x2, y2]]; `in` is toward the right-hand side"
    )


class Regions(BaseModel):
    """`PUT /api/jobs/{id}/regions`: the zones and lines to measure, stored with the job; at least one zone or
    line."""

    # The schema says "at least one zone or line" too: not (no zones and no lines).
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"not": {"properties": {"zones": {"maxItems": 0}, "lines": {"maxItems": 0}}}},
    )

    zones: list[Zone] = Field(default=[], max_length=MAX_ZONES)
    lines: list[Line] = Field(default=[], max_length=MAX_LINES)

    @field_validator("zones")
    @classmethod
    def _zones_drawn_once(cls, zones: list[Zone]) -> list[Zone]:
        seen: dict[tuple[Point, ...], str] = {}
        for zone in zones:
            polygon = np.array(zone.polygon)
            if np.linalg.matrix_rank(polygon - polygon[0]) < 2:  # every vertex on one line
                raise ValueError(f"{zone.name!r}: the polygon has no area")
            if vision_regions.crosses_itself(polygon):  # else (a simple polygon) it has an area
                raise ValueError(f"{zone.name!r}: the polygon crosses itself; draw its outline without crossings")
            _once(seen, _ring(zone.polygon), zone.name, "zones", "polygon")
        return zones

    @field_validator("lines")
    @classmethod
    def _lines_drawn_once(cls, lines: list[Line]) -> list[Line]:
        seen: dict[frozenset[Point], str] = {}
        for line in lines:
            if line.points[0] == line.points[1]:
                raise ValueError(f"{line.name!r}: the line's two points are the same")
            _once(seen, frozenset(line.points), line.name, "lines", "segment (either way)")
        return lines

    @model_validator(mode="after")
    def _named_and_not_empty(self) -> Regions:
        if not self.zones and not self.lines:
            raise ValueError("draw at least one zone or line")
        shapes: list[Zone | Line] = [*self.zones, *self.lines]
        names = [region.name for region in shapes]
        hidden = [name for name in names if any(storage.is_hidden(c) for c in name)]
        if hidden:
            raise ValueError(f"names cannot hold control or bidirectional characters: {', '.join(map(repr, hidden))}")
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"names must be unique; repeated: {', '.join(map(repr, repeated))}")
        return self

    def frame_errors(self, width: int, height: int) -> list[dict[str, object]]:
        """Validation errors (FastAPI's shape) for points outside the `width` x `height` frame; empty when all
        are inside."""
        errors: list[dict[str, object]] = []
        groups: tuple[tuple[str, Sequence[Zone | Line]], ...] = (("zones", self.zones), ("lines", self.lines))
        for group, shapes in groups:
            for index, shape in enumerate(shapes):
                field = "polygon" if isinstance(shape, Zone) else "points"
                for vertex, (x, y) in enumerate(getattr(shape, field)):
                    if not (0 <= x <= width and 0 <= y <= height):
                        message = f"{shape.name!r}: point ({x:g}, {y:g}) is outside the {width}x{height} frame"
                        errors.append({"loc": ("body", group, index, field, vertex), "msg": message,
                                       "type": "value_error"})  # fmt: skip
        return errors


def _once(seen: dict[K, str], shape: K, name: str, group: str, what: str) -> None:
    """Remember `shape` under `name`; a ValueError if another region of `group` drew it already."""
    if shape in seen:
        raise ValueError(f"{group} {seen[shape]!r} and {name!r} are the same {what}: draw each once")
    seen[shape] = name


def _ring(polygon: list[Point]) -> tuple[Point, ...]:
    """The same key for every way of listing one polygon: any first vertex, either winding."""
    forward, backward = list(polygon), list(reversed(polygon))
    return min(tuple(order[i:] + order[:i]) for order in (forward, backward) for i in range(len(order)))


class DwellStats(BaseModel):
    """Seconds per visit; null when the zone had no visit."""

    mean: float | None
    median: float | None
    p95: float | None
    max: float | None


class ZoneFigures(Zone):
    people: int = Field(description="distinct tracks with a visit")
    visits: int = Field(description="runs of inside samples, gaps of up to 1 s bridged")
    person_seconds: float = Field(description="sum over samples of the tracks inside times the sample period")
    dwell_s: DwellStats
    occupancy_peak: int = Field(description="most tracks inside at one sample")
    occupancy_mean: float = Field(description="tracks inside, on average over the video")
    occupancy_per_second: list[float] = Field(description="mean tracks inside during each second of video")
    area_m2: float | None = Field(default=None, description="floor area in m² when the job has a floor calibration")


class LineFigures(Line):
    model_config = ConfigDict(populate_by_name=True)

    in_: int = Field(alias="in", description="crossings toward the right-hand side of points[0] -> points[1]")
    out: int = Field(description="crossings the other way")


class RegionsAnalysis(BaseModel):
    """The figures of every zone and line (`regions.json`)."""

    anchor: Anchor = Field(description="the point of each person's box that counts (the job's anchor)")
    computed_ms: int = Field(description="how long the analysis took")
    zones: list[ZoneFigures]
    lines: list[LineFigures]


def measure(
    tracks: Tracks, regions: Regions, *, anchor: Anchor, homography: Homography | None = None
) -> tuple[RegionsAnalysis, dict[str, bytes]]:
    """The figures of `regions` over `tracks`, and the contents of `regions.json`, `zones.csv` (a row per
    visit) and `lines.csv` (a row per crossing) by file name; with a floor `homography`, zones also get their
    `area_m2`."""
    started = time.perf_counter()
    result = vision_regions.analyze(
        tracks,
        zones=[np.array(zone.polygon) for zone in regions.zones],
        lines=[np.array(line.points) for line in regions.lines],
        anchor=anchor,
        line_min_side_s=settings.line_min_side_s,
    )
    zones = [
        ZoneFigures(**zone.model_dump(), **result.zone_figures(i), area_m2=_floor_area(zone, homography))
        for i, zone in enumerate(regions.zones)
    ]
    lines = [LineFigures(**line.model_dump(), **result.line_figures(i)) for i, line in enumerate(regions.lines)]
    computed_ms = round((time.perf_counter() - started) * 1000)
    analysis = RegionsAnalysis(anchor=anchor, computed_ms=computed_ms, zones=zones, lines=lines)
    return analysis, _files(regions, result, analysis)


def _files(regions: Regions, result: vision_regions.RegionAnalysis, analysis: RegionsAnalysis) -> dict[str, bytes]:
    zone_names = [zone.name for zone in regions.zones]
    line_names = [line.name for line in regions.lines]
    visits, crossings = result.visits, result.crossings
    visit_rows = [
        (int(track), _cell(zone_names[zone]), f"{enter:.3f}", f"{exit_:.3f}", f"{dwell:.3f}")
        for zone, track, enter, exit_, dwell in zip(
            visits.zone, visits.track_id, visits.enter_s, visits.exit_s, visits.dwell_s, strict=True
        )
    ]
    crossing_rows = [
        (int(track), _cell(line_names[line]), f"{t:.3f}", "in" if direction > 0 else "out")
        for line, track, t, direction in zip(
            crossings.line, crossings.track_id, crossings.t_s, crossings.direction, strict=True
        )
    ]
    return {
        ANALYSIS_FILE: analysis.model_dump_json(by_alias=True, indent=2).encode(),
        ZONES_FILE: _csv(("track_id", "zone", "enter_s", "exit_s", "dwell_s"), visit_rows),
        LINES_FILE: _csv(("track_id", "line", "t_s", "direction"), crossing_rows),
    }


def with_files(files: list[StoredFile], written: list[StoredFile]) -> list[StoredFile]:
    """A job's result list with the region files replaced by `written` (appended the first time)."""
    return [f for f in files if f.name not in FILES] + written


def load_analysis(folder: Folder) -> RegionsAnalysis:
    return RegionsAnalysis.model_validate_json(folder.read(ANALYSIS_FILE))


def _floor_area(zone: Zone, homography: Homography | None) -> float | None:
    """The zone's area on the floor, m² (None without a calibration, or when a vertex maps behind the camera)."""
    if homography is None:
        return None
    corners, valid = homography.to_floor(np.array(zone.polygon))
    return round(polygon_area(corners), 4) if valid.all() else None


# A cell that starts with one of these is a formula to a spreadsheet (OWASP, "CSV Injection"), and so is any
# part of a cell after a separator that a spreadsheet may split on (`,` `;` tab `|`), quotes and spaces aside.
_FORMULA_START = re.compile(r"""(^|[,;\t|])([\s"']*)(?=[=+\-@\t\r])""")


def _cell(name: str) -> str:
    """A name as a CSV cell that spreadsheets show as text, never run as a formula, whatever separator they
    split on: each such start gets a leading `'`."""
    return _FORMULA_START.sub(r"\1\2'", name)


def _csv(header: tuple[str, ...], rows: Sequence[tuple[object, ...]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()
