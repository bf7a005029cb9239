"""Footfall figures from stored tracks: time in zones (polygons) and crossings of lines.

Pure numpy, vectorised over every detection at once (a 1-hour video's 100,000 detections take a few
milliseconds per zone or line). Coordinates are frame pixels, origin top-left, y down.

Definitions (the API's docs repeat them):
- A track is inside a zone at a sample when its anchor point is inside the polygon (even-odd rule).
- A visit is a run of a track's inside samples; gaps of up to `MAX_GAP_S` seconds between them are
  bridged. Its dwell is exit - enter + the exit sample's period.
- Occupancy is the number of tracks inside at each sample; person-seconds its sum weighted by the samples'
  periods, which is the heat mass `heatmap.accumulate` puts inside the polygon (up to the blur's spill).
- A crossing is a change of side of the anchor between two stays of one track on either side that last at
  least `min_side_s` each (shorter ones are jitter), through the segment itself. `in` (+1) is toward the
  right-hand side of the directed line as seen on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.vision.tracks import DEFAULT_ANCHOR, Anchor, Tracks, anchor_points, per_second

#: Gaps (seconds outside, or unseen) of up to this much between inside samples do not end a visit.
MAX_GAP_S = 1.0
#: A line crossing counts once the track has stayed this long on the new side (the `LINE_MIN_SIDE_S` setting).
LINE_MIN_SIDE_S = 0.5
DWELL_STATS = ("mean", "median", "p95", "max")
#: Slack for float time comparisons (sample times are sums of periods).
_EPS = 1e-6


@dataclass(frozen=True)
class Visits:
    """Runs of inside samples, one row per visit, sorted by zone, then track, then time.

    Attributes:
        zone: (V,) int64 index of the zone.
        track_id: (V,) int64.
        enter_s: (V,) float64 time of the first inside sample.
        exit_s: (V,) float64 time of the last inside sample.
        dwell_s: (V,) float64 `exit_s - enter_s` + the last sample's period.
    """

    zone: np.ndarray
    track_id: np.ndarray
    enter_s: np.ndarray
    exit_s: np.ndarray
    dwell_s: np.ndarray

    def __len__(self) -> int:
        return len(self.zone)


@dataclass(frozen=True)
class Crossings:
    """Line crossings, one row each, sorted by line, then track, then time.

    Attributes:
        line: (C,) int64 index of the line.
        track_id: (C,) int64.
        t_s: (C,) float64 time of the first detection on the new side.
        direction: (C,) int64 +1 for `in` (toward the right-hand side), -1 for `out`.
    """

    line: np.ndarray
    track_id: np.ndarray
    t_s: np.ndarray
    direction: np.ndarray

    def __len__(self) -> int:
        return len(self.line)


@dataclass(frozen=True)
class RegionAnalysis:
    """Everything the figures are drawn from.

    Attributes:
        sample_t: (S,) float64 seconds of each sample.
        sample_weight: (S,) float64 period of each sample.
        occupancy: (Z, S) int64 tracks inside each zone at each sample.
        visits: Every visit of every zone.
        crossings: Every crossing of every line.
    """

    sample_t: np.ndarray
    sample_weight: np.ndarray
    occupancy: np.ndarray
    visits: Visits
    crossings: Crossings

    def zone_figures(self, zone: int) -> dict[str, object]:
        """`people`, `visits`, `person_seconds`, `dwell_s` {mean, median, p95, max} (None without visits),
        `occupancy_peak`, `occupancy_mean` and `occupancy_per_second` of one zone."""
        occupancy = self.occupancy[zone].astype(np.float64)
        duration = float(self.sample_weight.sum())
        person_seconds = float(np.sum(occupancy * self.sample_weight))  # not `@`: BLAS threads cost ~20 ms here
        mine = self.visits.zone == zone
        dwell = self.visits.dwell_s[mine]
        stats = [np.mean(dwell), np.median(dwell), np.percentile(dwell, 95), np.max(dwell)] if len(dwell) else None
        return {
            "people": int(len(np.unique(self.visits.track_id[mine]))),
            "visits": int(mine.sum()),
            "person_seconds": round(person_seconds, 4),
            "dwell_s": dict(
                zip(DWELL_STATS, [round(float(v), 4) for v in stats] if stats else [None] * 4, strict=True)
            ),
            "occupancy_peak": int(occupancy.max(initial=0)),
            "occupancy_mean": round(person_seconds / duration, 4) if duration > 0 else 0.0,
            "occupancy_per_second": per_second(self.sample_t, self.sample_weight, occupancy),
        }

    def line_figures(self, line: int) -> dict[str, int]:
        """`in` and `out` counts of one line."""
        direction = self.crossings.direction[self.crossings.line == line]
        return {"in": int((direction > 0).sum()), "out": int((direction < 0).sum())}


def inside_polygon(points_xy: np.ndarray, polygon_xy: np.ndarray) -> np.ndarray:
    """Which points lie inside a polygon (even-odd rule; self-intersecting polygons allowed).

    Args:
        points_xy: (N, 2) points.
        polygon_xy: (V, 2) vertices, V >= 3, in order (either winding); the last joins the first.

    Returns:
        (N,) bool.
    """
    points_xy = np.asarray(points_xy, np.float64).reshape(-1, 2)
    polygon_xy = np.asarray(polygon_xy, np.float64).reshape(-1, 2)
    inside = np.zeros(len(points_xy), bool)
    low, high = polygon_xy.min(axis=0), polygon_xy.max(axis=0)
    candidates = np.flatnonzero(np.all((points_xy >= low) & (points_xy <= high), axis=1))
    x, y = points_xy[candidates, 0], points_xy[candidates, 1]
    odd = np.zeros(len(candidates), bool)
    for (x1, y1), (x2, y2) in zip(polygon_xy, np.roll(polygon_xy, -1, axis=0), strict=True):
        if y1 == y2:
            continue  # a horizontal edge never crosses a horizontal ray
        spans = (y1 > y) != (y2 > y)
        odd ^= spans & (x < x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    inside[candidates] = odd
    return inside


def crosses_itself(polygon_xy: np.ndarray) -> bool:
    """Whether a polygon's boundary meets itself: two edges that are not neighbours touch or cross, or two
    neighbours fold back over each other.

    Args:
        polygon_xy: (V, 2) vertices, V >= 3, in order; the last joins the first.
    """
    vertices = [(float(x), float(y)) for x, y in np.asarray(polygon_xy, np.float64).reshape(-1, 2)]
    count = len(vertices)
    edges = [(vertices[i], vertices[(i + 1) % count]) for i in range(count)]
    for i, (a, b) in enumerate(edges):
        following = edges[(i + 1) % count][1]
        if _cross(b, a, following) == 0 and _dot(b, a, following) > 0:
            return True  # the next edge runs back along this one
        for j in range(i + 2, count - (i == 0)):
            if _segments_meet(a, b, *edges[j]):
                return True
    return False


Vertex = tuple[float, float]


def _cross(origin: Vertex, a: Vertex, b: Vertex) -> float:
    return (a[0] - origin[0]) * (b[1] - origin[1]) - (a[1] - origin[1]) * (b[0] - origin[0])


def _dot(origin: Vertex, a: Vertex, b: Vertex) -> float:
    return (a[0] - origin[0]) * (b[0] - origin[0]) + (a[1] - origin[1]) * (b[1] - origin[1])


def _segments_meet(a: Vertex, b: Vertex, c: Vertex, d: Vertex) -> bool:
    """Whether the closed segments a-b and c-d have a point in common."""

    def within(p: Vertex, q: Vertex, r: Vertex) -> bool:  # r, collinear with p-q, lies on it
        return min(p[0], q[0]) <= r[0] <= max(p[0], q[0]) and min(p[1], q[1]) <= r[1] <= max(p[1], q[1])

    d1, d2, d3, d4 = _cross(c, d, a), _cross(c, d, b), _cross(a, b, c), _cross(a, b, d)
    if d1 * d2 < 0 and d3 * d4 < 0:
        return True
    return any(
        side == 0 and within(p, q, r)
        for side, (p, q, r) in zip((d1, d2, d3, d4), ((c, d, a), (c, d, b), (a, b, c), (a, b, d)), strict=True)
    )


def side_of_line(points_xy: np.ndarray, line_xy: np.ndarray) -> np.ndarray:
    """(N,) float64 cross product of the directed line with each point: > 0 on its right-hand side on
    screen (y down), < 0 on its left, 0 on the line or its extension."""
    (ax, ay), (bx, by) = np.asarray(line_xy, np.float64).reshape(2, 2)
    side: np.ndarray = (bx - ax) * (points_xy[:, 1] - ay) - (by - ay) * (points_xy[:, 0] - ax)
    return side


def find_visits(
    track_id: np.ndarray, t: np.ndarray, period: np.ndarray, inside: np.ndarray, *, max_gap_s: float = MAX_GAP_S
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Visits from per-detection inside flags.

    Args:
        track_id: (N,) track of each detection, detections sorted by track then time.
        t: (N,) time of each detection.
        period: (N,) seconds each detection's sample stands for.
        inside: (N,) bool.
        max_gap_s: Longest gap between one inside sample's end and the next one's time that is bridged.

    Returns:
        (V,) track_id, enter_s, exit_s, dwell_s of each visit, in input order.
    """
    rows = np.flatnonzero(inside)
    tracks, times, ends = track_id[rows], t[rows], t[rows] + period[rows]
    starts = np.ones(len(rows), bool)
    starts[1:] = (tracks[1:] != tracks[:-1]) | (times[1:] - ends[:-1] > max_gap_s + _EPS)
    stops = np.empty_like(starts)
    stops[:-1], stops[-1:] = starts[1:], True
    first, last = np.flatnonzero(starts), np.flatnonzero(stops)
    return tracks[first], times[first], times[last], ends[last] - times[first]


def find_crossings(
    track_id: np.ndarray,
    t: np.ndarray,
    period: np.ndarray,
    points_xy: np.ndarray,
    line_xy: np.ndarray,
    *,
    min_side_s: float = LINE_MIN_SIDE_S,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Crossings of one segment by a track, counted once the track has settled on the new side.

    A track's detections fall into runs on one side of the line (a point on the line or its extension counts
    as the left-hand side). A run lasting at least `min_side_s` (first detection to the last one's end) is
    settled; shorter runs are jitter. A crossing is a change of side between two consecutive settled runs of
    a track, when at least one step between them goes through the segment itself (not its extension). So a
    person wobbling on the line counts once, or not at all when they step back to where they came from.

    Args:
        track_id: (N,) track of each detection, detections sorted by track then time.
        t: (N,) time of each detection.
        period: (N,) seconds each detection's sample stands for.
        points_xy: (N, 2) anchor of each detection.
        line_xy: (2, 2) the directed segment, from `[0]` to `[1]`.
        min_side_s: Shortest stay on a side that counts.

    Returns:
        (C,) track_id, time of the first detection of the settled run on the new side, direction (+1 in,
        -1 out).
    """
    if len(t) == 0:
        return track_id[:0], t[:0], np.zeros(0, np.int64)
    right = side_of_line(points_xy, line_xy) > 0
    same_track = track_id[1:] == track_id[:-1]
    step = np.flatnonzero(same_track & (right[1:] != right[:-1]))
    a, b = np.asarray(line_xy, np.float64).reshape(2, 2)
    start, end = points_xy[step], points_xy[step + 1]
    # Through the segment: its end points lie on different sides of (or on) the step's own line.
    dx, dy = end[:, 0] - start[:, 0], end[:, 1] - start[:, 1]
    side_a = dx * (a[1] - start[:, 1]) - dy * (a[0] - start[:, 0])
    side_b = dx * (b[1] - start[:, 1]) - dy * (b[0] - start[:, 0])
    through_before = np.zeros(len(t) + 1, np.int64)  # through_before[i]: through-steps from detections before i
    through_before[step[side_a * side_b <= 0] + 1] = 1
    through_before = np.cumsum(through_before)
    # Runs of one track on one side, and the settled ones.
    first = np.flatnonzero(np.concatenate([[True], ~same_track | (right[1:] != right[:-1])]))
    last = np.append(first[1:] - 1, len(t) - 1)
    settled = t[last] + period[last] - t[first] >= min_side_s - _EPS
    first, last = first[settled], last[settled]
    # Consecutive settled runs of a track on different sides, with a through-step between them.
    change = (track_id[first[1:]] == track_id[last[:-1]]) & (right[first[1:]] != right[last[:-1]])
    crossed = change & (through_before[first[1:]] > through_before[last[:-1]])
    arrive = first[1:][crossed]
    return track_id[arrive], t[arrive], np.where(right[arrive], 1, -1)


def analyze(
    tracks: Tracks,
    *,
    zones: list[np.ndarray],
    lines: list[np.ndarray],
    anchor: Anchor = DEFAULT_ANCHOR,
    line_min_side_s: float = LINE_MIN_SIDE_S,
) -> RegionAnalysis:
    """Occupancy, visits and crossings of every zone and line.

    Args:
        tracks: Per-sample detections.
        zones: (V, 2) polygon of each zone, in frame pixels.
        lines: (2, 2) directed segment of each line, in frame pixels.
        anchor: The point of each box that counts (`feet`, `center`; `box` counts the centre).
        line_min_side_s: The stay on a side of a line that a crossing needs on both sides (`find_crossings`).

    Returns:
        The `RegionAnalysis`.

    Example:
        >>> result = analyze(tracks, zones=[np.array([[0, 0], [100, 0], [100, 100]])], lines=[], anchor="feet")
        >>> result.zone_figures(0)["person_seconds"]
        12.4
    """
    order = np.lexsort((tracks.t, tracks.track_id))
    track_id, t = tracks.track_id[order], tracks.t[order]
    sample = np.searchsorted(tracks.sample_frame, tracks.frame[order])
    period = tracks.sample_weight[sample]
    points = anchor_points(tracks.xyxy[order], anchor)
    samples = len(tracks.sample_t)
    occupancy = np.zeros((len(zones), samples), np.int64)
    visit_parts = []
    for index, polygon in enumerate(zones):
        inside = inside_polygon(points, polygon)
        occupancy[index] = np.bincount(sample[inside], minlength=samples)
        found = find_visits(track_id, t, period, inside)
        visit_parts.append((np.full(len(found[0]), index), *found))
    crossing_parts = []
    for index, line in enumerate(lines):
        crossed = find_crossings(track_id, t, period, points, line, min_side_s=line_min_side_s)
        crossing_parts.append((np.full(len(crossed[0]), index), *crossed))
    return RegionAnalysis(
        sample_t=tracks.sample_t,
        sample_weight=tracks.sample_weight,
        occupancy=occupancy,
        visits=Visits(*_concatenate(visit_parts, 5)),
        crossings=Crossings(*_concatenate(crossing_parts, 4)),
    )


def _concatenate(parts: Sequence[tuple[np.ndarray, ...]], columns: int) -> list[np.ndarray]:
    """Column-wise concatenation of per-region result tuples (empty int64/float64 columns when none)."""
    if not parts:
        return [np.zeros(0, np.int64), np.zeros(0, np.int64), *[np.zeros(0) for _ in range(columns - 2)]]
    return [np.concatenate(column) for column in zip(*parts, strict=True)]
