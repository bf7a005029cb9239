"""Zones, lines and dwell time on synthetic tracks with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from app.vision.heat import accumulate
from app.vision.regions import analyze, find_visits, inside_polygon, side_of_line
from app.vision.tracks import Tracks
from tests.vision.conftest import path_distance

W, H = 100, 100
DT = 0.2  # 5 samples per second
SQUARE = np.array([[20, 20], [60, 20], [60, 60], [20, 60]], np.float64)


def walk(track_id: int, times: np.ndarray, feet_xy: np.ndarray) -> list[tuple[float, int, tuple[float, ...]]]:
    """Rows `(t, track_id, xyxy)` of a 4x8 px person whose feet are at `feet_xy` ((N, 2)) at `times`."""
    return [(float(t), track_id, (x - 2, y - 8, x + 2, y)) for t, (x, y) in zip(times, feet_xy, strict=True)]


def make_tracks(rows: list[tuple[float, int, tuple[float, ...]]], *, seconds: float = 10.0) -> Tracks:
    """Tracks on a regular grid of `DT` over `seconds`, detections at the given rows."""
    frames = np.arange(round(seconds / DT))
    return Tracks(
        width=W, height=H, sample_t=frames * DT, sample_frame=frames, sample_weight=np.full(len(frames), DT),
        t=[round(t / DT) * DT for t, _, _ in rows], frame=[round(t / DT) for t, _, _ in rows],
        track_id=[i for _, i, _ in rows], xyxy=np.array([b for _, _, b in rows], np.float32).reshape(-1, 4),
        conf=np.full(len(rows), 0.9),
    )  # fmt: skip


def straight(track_id: int, t0: float, t1: float, start_xy: tuple[float, float], end_xy: tuple[float, float]):
    """A walk at constant speed from `start_xy` at `t0` to `end_xy` at `t1`, one detection per sample."""
    times = np.arange(round(t0 / DT), round(t1 / DT) + 1) * DT
    f = (times - t0) / (t1 - t0)
    return walk(track_id, times, np.outer(1 - f, start_xy) + np.outer(f, end_xy))


POLYGONS = {
    "square": (SQUARE, [(40, 40), (21, 59), (10, 40), (61, 40), (40, 70), (-5, -5)], [1, 1, 0, 0, 0, 0]),
    "triangle": ([[0, 0], [10, 0], [0, 10]], [(1, 1), (4.9, 4.9), (5.1, 5.1), (9, 9)], [1, 1, 0, 0]),
    "concave-L": (
        [[0, 0], [30, 0], [30, 10], [10, 10], [10, 30], [0, 30]],
        [(5, 5), (25, 5), (5, 25), (20, 20), (29, 29)],
        [1, 1, 1, 0, 0],
    ),
    "clockwise-square": (SQUARE[::-1], [(40, 40), (10, 40)], [1, 0]),
    "no-points": (SQUARE, np.zeros((0, 2)), []),
}


@pytest.mark.parametrize("name", POLYGONS)
def test_inside_polygon_table(name: str) -> None:
    polygon, points, expected = POLYGONS[name]
    assert inside_polygon(np.array(points, np.float64).reshape(-1, 2), np.array(polygon)).tolist() == [
        bool(e) for e in expected
    ]


def test_the_right_hand_side_of_a_line_is_the_right_as_seen_on_screen() -> None:
    """Facing along +x on screen (y down), your right hand points down the screen."""
    sides = side_of_line(np.array([[50.0, 60.0], [50.0, 40.0], [80.0, 50.0]]), np.array([[0, 50], [100, 50]]))
    assert sides[0] > 0 > sides[1] and sides[2] == 0


def test_walking_through_a_square_for_4_seconds_dwells_4_seconds() -> None:
    # Feet at x = 10 t + 1: inside (20 < x < 60) for t in (1.9, 5.9), i.e. the samples 2.0 ... 5.8.
    times = np.arange(50) * DT
    tracks = make_tracks(walk(7, times, np.stack([10 * times + 1, np.full(50, 40.0)], axis=1)))
    result = analyze(tracks, zones=[SQUARE], lines=[])
    assert len(result.visits) == 1
    assert result.visits.track_id.tolist() == [7]
    assert result.visits.enter_s[0] == pytest.approx(2.0)
    assert result.visits.exit_s[0] == pytest.approx(5.8)
    assert result.visits.dwell_s[0] == pytest.approx(4.0)
    figures = result.zone_figures(0)
    assert figures["people"] == 1 and figures["visits"] == 1
    assert figures["dwell_s"] == {"mean": 4.0, "median": 4.0, "p95": 4.0, "max": 4.0}
    assert figures["person_seconds"] == pytest.approx(4.0)
    assert figures["occupancy_peak"] == 1
    assert figures["occupancy_mean"] == pytest.approx(0.4)  # 4 s of 10
    assert figures["occupancy_per_second"] == [0, 0, 1, 1, 1, 1, 0, 0, 0, 0]


def test_two_people_crossing_a_line_in_opposite_directions_give_in_1_out_1() -> None:
    door = np.array([[50, 10], [50, 90]])  # pointing down the screen: its right-hand side is x < 50
    rows = straight(1, 0.0, 4.0, (10, 50), (90, 50)) + straight(2, 1.0, 5.0, (90, 30), (10, 30))
    result = analyze(make_tracks(rows), zones=[], lines=[door])
    assert result.line_figures(0) == {"in": 1, "out": 1}
    by_track = dict(zip(result.crossings.track_id.tolist(), result.crossings.direction.tolist(), strict=True))
    assert by_track == {1: -1, 2: 1}  # eastward leaves the right-hand side: out; westward: in
    # Stamped with the first sample on the new side; on the line counts as its left (x = 50 at 2.0 and 3.0).
    assert dict(zip(result.crossings.track_id.tolist(), result.crossings.t_s.tolist(), strict=True)) == pytest.approx(
        {1: 2.0, 2: 3.2}
    )


def test_reversing_the_line_swaps_in_and_out() -> None:
    rows = straight(1, 0.0, 4.0, (10, 50), (90, 50)) + straight(2, 0.0, 4.0, (10, 60), (90, 60))
    tracks = make_tracks(rows)
    result = analyze(tracks, zones=[], lines=[np.array([[50, 10], [50, 90]]), np.array([[50, 90], [50, 10]])])
    assert result.line_figures(0) == {"in": 0, "out": 2}
    assert result.line_figures(1) == {"in": 2, "out": 0}


@pytest.mark.parametrize(
    ("name", "start_xy", "end_xy", "expected"),
    [
        ("along the line and its extension", (0, 50), (100, 50), {"in": 0, "out": 0}),
        ("across the extension beyond the end", (80, 0), (80, 100), {"in": 0, "out": 0}),
        ("across the extension before the start", (20, 100), (20, 0), {"in": 0, "out": 0}),
        ("across the segment", (50, 100), (50, 0), {"in": 0, "out": 1}),
        ("beside the segment, never reaching it", (50, 100), (50, 52), {"in": 0, "out": 0}),
    ],
)
def test_only_the_segment_itself_counts(name: str, start_xy, end_xy, expected) -> None:
    line = np.array([[40, 50], [60, 50]])
    result = analyze(make_tracks(straight(1, 0.0, 5.0, start_xy, end_xy)), zones=[], lines=[line])
    assert result.line_figures(0) == expected, name


def test_touching_the_line_and_turning_back_is_no_crossing() -> None:
    line = np.array([[0, 50], [100, 50]])
    rows = straight(1, 0.0, 2.0, (50, 30), (50, 50)) + straight(1, 2.2, 4.0, (50, 48), (50, 30))
    assert analyze(make_tracks(rows), zones=[], lines=[line]).line_figures(0) == {"in": 0, "out": 0}


def wobble(track_id: int, times: int, *, end_east: bool) -> list[tuple[float, int, tuple[float, ...]]]:
    """Walks east to the door at x = 50 (3 s), steps across it and back `times` times, one sample each side
    (x = 48, 52, 48, ...), then walks away for 3 s: on to the east, or back west when not `end_east`."""
    rows = straight(track_id, 0.0, 3.0, (20, 50), (48, 50))
    t = 3.0 + DT
    for i in range(times):
        rows += walk(track_id, np.array([t]), np.array([[52.0 if i % 2 == 0 else 48.0, 50.0]]))
        t += DT
    x = 52 if times % 2 else 48  # where the wobble ended
    return rows + straight(track_id, t, t + 3.0, (x, 50), (80 if end_east else 20, 50))


DOOR = np.array([[50, 10], [50, 90]])  # pointing down the screen: its right-hand side is x < 50


@pytest.mark.parametrize(("times", "end_east", "expected", "arrived_s"), [
    (40, True, {"in": 0, "out": 1}, 11.4),  # 40 steps across, then on: one crossing, eastward (out)
    (41, True, {"in": 0, "out": 1}, 11.2),
    (40, False, {"in": 0, "out": 0}, None),  # back to where they came from: none
    (0, True, {"in": 0, "out": 1}, 3.4),
])  # fmt: skip
def test_a_person_wobbling_on_a_line_counts_once(times, end_east, expected, arrived_s) -> None:
    result = analyze(make_tracks(wobble(1, times, end_east=end_east), seconds=20), zones=[], lines=[DOOR])
    assert result.line_figures(0) == expected
    if arrived_s is not None:  # stamped with the first sample of the stay on the new side
        assert result.crossings.t_s.tolist() == pytest.approx([arrived_s])


def test_without_a_minimum_stay_every_step_across_counts() -> None:
    """What the hysteresis removes: with `line_min_side_s=0`, each of the 40 steps counts, plus the walk on."""
    result = analyze(make_tracks(wobble(1, 40, end_east=True), seconds=20), zones=[], lines=[DOOR], line_min_side_s=0)
    assert result.line_figures(0) == {"in": 20, "out": 21}


@pytest.mark.parametrize(("samples_after", "crossings"), [(1, 0), (2, 0), (3, 1), (10, 1)])
def test_a_crossing_needs_line_min_side_s_on_the_new_side(samples_after: int, crossings: int) -> None:
    """Seen `samples_after` samples of 0.2 s beyond the door, then lost: 0.6 s (3 samples) reach 0.5 s."""
    rows = straight(1, 0.0, 2.0, (20, 50), (45, 50))
    after = 2.0 + DT * np.arange(1, samples_after + 1)
    rows += walk(1, after, np.stack([np.linspace(55, 60, samples_after), np.full(samples_after, 50.0)], axis=1))
    result = analyze(make_tracks(rows), zones=[], lines=[DOOR])
    assert len(result.crossings) == crossings
    assert len(analyze(make_tracks(rows), zones=[], lines=[DOOR], line_min_side_s=0.2).crossings) == 1


def leave_and_return(gap_s: float, *, seen_outside: bool) -> list[tuple[float, int, tuple[float, ...]]]:
    """Inside the square for 0-2 s, away for `gap_s` (outside it, or undetected), back for 2 s."""
    back = 2.0 + gap_s
    rows = straight(3, 0.0, 1.8, (30, 40), (40, 40)) + straight(3, back, back + 1.8, (40, 40), (30, 40))
    if seen_outside:
        rows += straight(3, 2.0, back - DT, (80, 40), (80, 40))
    return rows


@pytest.mark.parametrize("seen_outside", [True, False], ids=["walked-out", "unseen"])
@pytest.mark.parametrize(("gap_s", "visits"), [(0.8, 1), (1.0, 1), (1.2, 2), (2.0, 2)])
def test_gaps_of_up_to_1_s_are_bridged(gap_s: float, visits: int, seen_outside: bool) -> None:
    result = analyze(make_tracks(leave_and_return(gap_s, seen_outside=seen_outside)), zones=[SQUARE], lines=[])
    figures = result.zone_figures(0)
    assert figures["visits"] == visits and figures["people"] == 1
    assert figures["person_seconds"] == pytest.approx(4.0)  # the gap is not time inside
    if visits == 1:
        assert result.visits.dwell_s.tolist() == pytest.approx([4.0 + gap_s])
    else:
        assert result.visits.dwell_s.tolist() == pytest.approx([2.0, 2.0])


def test_visits_are_per_track() -> None:
    """Two tracks inside at once, one after the other in the sorted rows, are two visits, never merged."""
    track_id = np.array([1, 1, 2, 2])
    t = np.array([0.0, 0.2, 0.4, 0.6])
    tracks, enter, exit_, dwell = find_visits(track_id, t, np.full(4, DT), np.ones(4, bool))
    assert tracks.tolist() == [1, 2] and enter.tolist() == [0.0, 0.4]
    assert exit_.tolist() == [0.2, 0.6] and dwell.tolist() == pytest.approx([0.4, 0.4])


def test_dwell_statistics_and_occupancy_over_several_people() -> None:
    rows = []
    for track, seconds in enumerate([1.0, 2.0, 3.0, 4.0, 10.0], start=1):
        rows += straight(track, 0.0, seconds - DT, (30, 30 + track), (40, 30 + track))
    figures = analyze(make_tracks(rows, seconds=12.0), zones=[SQUARE], lines=[]).zone_figures(0)
    assert figures["people"] == 5 and figures["visits"] == 5
    assert figures["dwell_s"]["mean"] == pytest.approx(4.0)
    assert figures["dwell_s"]["median"] == pytest.approx(3.0)
    assert figures["dwell_s"]["max"] == pytest.approx(10.0)
    assert figures["dwell_s"]["p95"] == pytest.approx(np.percentile([1, 2, 3, 4, 10], 95))
    assert figures["occupancy_peak"] == 5
    assert figures["person_seconds"] == pytest.approx(20.0)
    assert figures["occupancy_per_second"][:5] == [5, 4, 3, 2, 1]


def test_a_zone_nobody_enters_has_no_dwell_figures() -> None:
    tracks = make_tracks(straight(1, 0.0, 2.0, (80, 80), (90, 90)))
    figures = analyze(tracks, zones=[SQUARE], lines=[]).zone_figures(0)
    assert figures["people"] == figures["visits"] == figures["occupancy_peak"] == 0
    assert figures["dwell_s"] == {"mean": None, "median": None, "p95": None, "max": None}


def test_empty_tracks_give_empty_results() -> None:
    tracks = Tracks.empty(width=W, height=H)
    result = analyze(tracks, zones=[SQUARE], lines=[np.array([[0, 0], [10, 10]])])
    assert result.occupancy.shape == (1, 0) and len(result.visits) == len(result.crossings) == 0
    assert result.zone_figures(0)["occupancy_per_second"] == [] and result.line_figures(0) == {"in": 0, "out": 0}
    assert len(analyze(tracks, zones=[], lines=[]).visits) == 0


def test_the_center_anchor_counts_the_box_centre() -> None:
    # Feet at y = 62, below the square; the 8 px tall box's centre at y = 58, inside it.
    tracks = make_tracks(walk(1, np.array([0.0]), np.array([[40.0, 62.0]])))
    assert analyze(tracks, zones=[SQUARE], lines=[], anchor="feet").zone_figures(0)["visits"] == 0
    assert analyze(tracks, zones=[SQUARE], lines=[], anchor="center").zone_figures(0)["visits"] == 1


def heat_inside(tracks: Tracks, polygon: np.ndarray) -> float:
    """Mass of the job's heatmap (the real `accumulate`, feet) over the pixels whose centre is inside."""
    heat = accumulate(tracks, anchor="feet")
    ys, xs = np.mgrid[0:H, 0:W]
    centres = np.stack([xs.ravel() + 0.5, ys.ravel() + 0.5], axis=1)
    return float(heat.ravel()[inside_polygon(centres, polygon)].sum())


def test_person_seconds_equal_the_heat_mass_inside_the_polygon() -> None:
    """The heatmap's mass inside a zone is its person-seconds, up to what the blur moves across the edge:
    exactly for detections away from the edge, and within the weight of those near it otherwise."""
    rng = np.random.default_rng(3)
    rows = []
    for track in range(1, 40):
        start = rng.uniform(0, len(np.arange(0, 10, DT)) - 10)
        times = (np.arange(int(start), int(start) + rng.integers(5, 20))) * DT
        rows += walk(track, times, np.cumsum(rng.normal(0, 3, (len(times), 2)), axis=0) + rng.uniform(5, 95, 2))
    tracks = make_tracks([(t, i, box) for t, i, box in rows if t < 10 - DT / 2])
    polygon = np.array([[10, 15], [70, 10], [85, 60], [45, 40], [15, 80]], np.float64)  # concave
    feet = np.stack([(tracks.xyxy[:, 0] + tracks.xyxy[:, 2]) / 2, tracks.xyxy[:, 3]], axis=1)
    edges = zip(polygon, np.roll(polygon, -1, axis=0), strict=True)
    reach = 4 * 0.3 * 4 + 1  # 4 sigmas of the 4 px wide boxes' splats, and a pixel
    near_edge = np.min([path_distance(feet, tuple(a), tuple(b)) for a, b in edges], axis=0) < reach

    away = tracks.select(~near_edge)
    person_seconds = analyze(away, zones=[polygon], lines=[]).zone_figures(0)["person_seconds"]
    assert 10 < person_seconds < 0.9 * away.weight.sum()  # people inside and outside
    assert heat_inside(away, polygon) == pytest.approx(person_seconds, rel=1e-4)

    person_seconds = analyze(tracks, zones=[polygon], lines=[]).zone_figures(0)["person_seconds"]
    spill = float(tracks.weight[near_edge].sum())
    assert abs(heat_inside(tracks, polygon) - person_seconds) <= spill
