"""Person-second heatmaps on tiny synthetic arrays: splats, anchors, borders, modes, windows, rendering."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from app.vision.heat import _box_size, _impulses, accumulate, splat, still_mask  # private: the cropped blur's reference
from app.vision.render import COLORMAPS, NORMALIZATIONS, normalize, render_heatmap, render_tracks, track_colour
from app.vision.tracks import Tracks, anchor_points, per_second, summarize
from scripts.bench_heatmap import legacy_heatmap

W, H = 64, 48


def make_tracks(
    rows: list[tuple[float, int, tuple[float, float, float, float]]], *, dt: float = 0.5, samples: int | None = None
) -> Tracks:
    """Tracks from `(t, track_id, xyxy)` rows on a regular sample grid of step `dt` (frame = t / dt)."""
    count = samples if samples is not None else int(max([t for t, _, _ in rows], default=0) / dt) + 1
    frames = np.arange(count)
    return Tracks(
        width=W,
        height=H,
        sample_t=frames * dt,
        sample_frame=frames,
        sample_weight=np.full(count, dt),
        t=[t for t, _, _ in rows],
        frame=[round(t / dt) for t, _, _ in rows],
        track_id=[i for _, i, _ in rows],
        xyxy=np.array([b for _, _, b in rows], np.float32).reshape(-1, 4),
        conf=np.full(len(rows), 0.9),
    )


BOXES = {
    "empty": np.zeros((0, 4)),
    "middle": np.array([[20, 10, 30, 40]]),
    "corner-top-left": np.array([[0, 0, 6, 8]]),
    "corner-bottom-right": np.array([[W - 6, H - 20, W, H]]),
    "partly-outside": np.array([[-10, -10, 5, 5], [W - 5, H - 5, W + 10, H + 10]]),
    "zero-width": np.array([[10, 10, 10, 30]]),
    "wider-than-frame": np.array([[-100, 0, W + 100, H]]),
    "many": np.array([[x, 5, x + 8, 30] for x in range(0, W, 4)]),
}


@pytest.mark.parametrize("anchor", ["feet", "center", "box"])
@pytest.mark.parametrize("radius", [0.05, 0.3, 2.0])
@pytest.mark.parametrize("name", list(BOXES))
def test_splat_adds_exactly_the_weights(name: str, anchor: str, radius: float) -> None:
    """Nothing is lost at the borders, whatever the box, anchor or kernel size."""
    boxes = BOXES[name]
    weights = np.linspace(0.5, 2.0, len(boxes))
    heat = np.zeros((H, W), np.float32)
    splat(heat, boxes, weights, anchor=anchor, radius=radius)  # type: ignore[arg-type]
    assert heat.dtype == np.float32 and heat.shape == (H, W)
    assert heat.sum() == pytest.approx(weights.sum(), rel=1e-5, abs=1e-6)
    assert heat.min() >= -1e-6


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [("feet", [[25.0, 40.0], [1.0, 4.0]]), ("center", [[25.0, 25.0], [1.0, 3.0]]), ("box", [[25.0, 25.0], [1.0, 3.0]])],
)
def test_anchor_points(anchor: str, expected: list[list[float]]) -> None:
    boxes = np.array([[20, 10, 30, 40], [0, 2, 2, 4]])
    assert anchor_points(boxes, anchor).tolist() == expected  # type: ignore[arg-type]
    assert anchor_points(np.zeros((0, 4)), anchor).shape == (0, 2)  # type: ignore[arg-type]


@pytest.mark.parametrize(("anchor", "peak_xy"), [("feet", (25, 39)), ("center", (25, 25))])
def test_gaussian_peaks_at_the_anchor(anchor: str, peak_xy: tuple[int, int]) -> None:
    heat = np.zeros((H, W), np.float32)
    splat(heat, np.array([[20.0, 10.0, 30.0, 40.5]]), np.array([1.0]), anchor=anchor, radius=0.3)  # type: ignore[arg-type]
    y, x = np.unravel_index(int(np.argmax(heat)), heat.shape)
    assert abs(x - peak_xy[0]) <= 1 and abs(y - peak_xy[1]) <= 1
    assert heat[y, x] < 1  # spread, not a point


def test_sigma_follows_box_width() -> None:
    narrow, wide = np.zeros((H, W), np.float32), np.zeros((H, W), np.float32)
    splat(narrow, np.array([[28.0, 10, 36, 30]]), np.array([1.0]), radius=0.3)
    splat(wide, np.array([[16.0, 10, 48, 30]]), np.array([1.0]), radius=0.3)
    assert narrow.max() > 4 * wide.max()
    assert (wide > 1e-4).sum() > 4 * (narrow > 1e-4).sum()


@pytest.mark.parametrize("width", [1.0, 6.0, 12.0, 40.0, 200.0])
@pytest.mark.parametrize("seed", [0, 1])
def test_cropped_blur_equals_the_whole_frame_blur(width: float, seed: int) -> None:
    """Splats blur only the region their kernel reaches; that must equal blurring the whole frame."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-10, W + 10, 5)
    y = rng.uniform(-10, H + 10, 5)
    boxes = np.stack([x - width / 2, y - 30, x + width / 2, y], axis=1)
    weights = rng.uniform(0.1, 2, 5)
    heat = np.zeros((H, W), np.float32)
    splat(heat, boxes, weights, radius=0.3)
    sigma = 2 ** (np.round(np.log2(0.3 * width) * 6) / 6)  # the bucket's sigma
    points = np.clip(np.stack([x, y], axis=1), 0, (W, H))
    expected = _impulses((H, W), points, weights)
    if box := _box_size(sigma):
        for _ in range(3):
            expected = cv2.blur(expected, (box, box), borderType=cv2.BORDER_REFLECT)
    elif sigma >= 0.3:
        expected = cv2.GaussianBlur(expected, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)
    assert np.allclose(heat, expected, atol=1e-6)


def test_box_anchor_is_the_old_uniform_box() -> None:
    heat = np.zeros((H, W), np.float32)
    splat(heat, np.array([[10.0, 10.0, 20.0, 30.0]]), np.array([2.0]), anchor="box")
    assert np.allclose(heat[10:30, 10:20], 2.0 / 200)
    assert heat.sum() - heat[10:30, 10:20].sum() == pytest.approx(0, abs=1e-6)


def test_splat_rejects_unknown_anchor() -> None:
    with pytest.raises(ValueError, match="anchor"):
        splat(np.zeros((H, W), np.float32), BOXES["middle"], np.ones(1), anchor="head")  # type: ignore[arg-type]


WALK = [(t * 0.5, 1, (4.0 + 8 * t, 10.0, 12.0 + 8 * t, 40.0)) for t in range(7)]  # 3 s walking right
STAND = [(t * 0.5, 2, (40.0, 5.0, 50.0, 30.0)) for t in range(9)]  # 4 s standing (jitter-free)


@pytest.mark.parametrize(
    ("rows", "people_mean"),
    [([], 0.0), (WALK, 7 / 9), (STAND, 1.0), (WALK + STAND, 16 / 9)],
    ids=["nobody", "walk", "stand", "both"],
)
def test_heat_is_person_seconds(rows: list, people_mean: float) -> None:
    """sum(heat) == people_mean * duration: empty samples count in the mean, not in the heat."""
    tracks = make_tracks(rows, samples=9)
    heat = accumulate(tracks)
    stats = summarize(tracks)
    assert tracks.duration_s == 4.5
    assert stats["people_mean"] == pytest.approx(people_mean)
    assert heat.sum() == pytest.approx(stats["people_mean"] * tracks.duration_s, rel=1e-5, abs=1e-6)


def test_summary_counts() -> None:
    tracks = make_tracks(WALK + STAND, samples=9)
    stats = summarize(tracks)
    assert (stats["people_unique"], stats["people_peak"]) == (2, 2)
    assert stats["people_per_second"] == [2.0, 2.0, 2.0, 1.5, 1.0]  # the walker leaves after 3.5 s
    empty = summarize(Tracks.empty(width=W, height=H))
    assert empty == {"people_unique": 0, "people_peak": 0, "people_mean": 0.0, "people_per_second": []}


@pytest.mark.parametrize(
    ("starts", "weights", "values", "expected"),
    [
        ([], [], [], []),
        ([0.0, 0.5, 1.0, 1.5], [0.5] * 4, [1, 3, 2, 2], [2.0, 2.0]),
        ([0.0, 0.5, 1.0], [0.5, 0.5, 0.25], [1, 1, 4], [1.0, 4.0]),  # a partial last second
        ([0.0, 2.5], [2.5, 0.5], [1, 3], [1.0, 1.0, 2.0]),  # samples sparser than one per second
        ([0.0, 0.4], [0.4, 0.8], [0, 5], [3.0, 5.0]),  # a sample straddling a second boundary
    ],
)
def test_per_second(starts: list, weights: list, values: list, expected: list) -> None:
    assert per_second(np.array(starts), np.array(weights), np.array(values, float)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("t_start", "t_end", "walk_samples", "stand_samples"),
    [(None, None, 7, 9), (1.0, None, 5, 7), (None, 1.0, 2, 2), (1.0, 2.0, 2, 2), (10.0, None, 0, 0)],
)
def test_time_window(t_start: float | None, t_end: float | None, walk_samples: int, stand_samples: int) -> None:
    tracks = make_tracks(WALK + STAND, samples=9)
    heat = accumulate(tracks, t_start=t_start, t_end=t_end)
    assert heat.sum() == pytest.approx(0.5 * (walk_samples + stand_samples), abs=1e-5)


def test_movement_mode_drops_people_standing_still() -> None:
    tracks = make_tracks(WALK + STAND, samples=9)
    everything = accumulate(tracks, mode="all")
    moving = accumulate(tracks, mode="movement", still_seconds=2.0)
    assert moving.sum() == pytest.approx(0.5 * len(WALK), rel=1e-5)
    assert moving[20:33, 38:52].sum() < 0.01 * everything[20:33, 38:52].sum()  # around the stander's feet
    assert accumulate(tracks, mode="movement", still_seconds=10.0).sum() == pytest.approx(everything.sum(), rel=1e-5)
    with pytest.raises(ValueError, match="mode"):
        accumulate(tracks, mode="idle")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("feet_x", "still"),
    [
        ([10, 10, 10, 10, 10, 10, 10], [True] * 7),  # stands 3.5 s
        ([10, 11, 12, 11, 10, 12, 11], [True] * 7),  # fidgets within half a box width
        ([10, 10, 10, 10, 30, 40, 50], [True] * 4 + [False] * 3),  # stands 2 s, then walks away
        ([10, 10, 30, 30, 50, 50, 60], [False] * 7),  # never still for 2 s
        ([10, 20, 30, 40, 50, 50, 50], [False] * 4 + [True] * 3),  # walks in, then stands 1.5 s to the end
    ],
)
def test_still_mask(feet_x: list[int], still: list[bool]) -> None:
    rows = [(i * 0.5, 7, (x - 5.0, 0.0, x + 5.0, 20.0)) for i, x in enumerate(feet_x)]
    mask = still_mask(make_tracks(rows), still_seconds=1.5, still_radius=0.5)
    assert mask.tolist() == still


def _still_reference(xs: np.ndarray, t: np.ndarray, weight: float, still_seconds: float, limit: float) -> list[bool]:
    """The definition, one stretch at a time."""
    still, start = [False] * len(xs), 0
    while start < len(xs):
        stop = start
        while stop < len(xs) and abs(xs[stop] - xs[start]) <= limit:
            stop += 1
        if t[stop - 1] + weight - t[start] >= still_seconds:
            still[start:stop] = [True] * (stop - start)
            start = stop
        else:
            start += 1
    return still


@pytest.mark.parametrize("seed", range(5))
def test_still_mask_matches_its_definition_on_random_walks(seed: int) -> None:
    rng = np.random.default_rng(seed)
    xs = np.cumsum(rng.choice([0, 0, 0, 0, 1, 8], size=120))  # mostly standing, sometimes a stride
    rows = [(i * 0.5, 3, (x - 5.0, 0.0, x + 5.0, 20.0)) for i, x in enumerate(xs)]
    rows += [(i * 0.5, 4, (10.0, 0.0, 20.0, 20.0)) for i in range(0, 120, 2)]  # another track, interleaved
    tracks = make_tracks(rows)
    mask = still_mask(tracks, still_seconds=2.0, still_radius=0.5)
    expected = _still_reference(xs, np.arange(120) * 0.5, 0.5, 2.0, 5.0)
    assert mask[tracks.track_id == 3].tolist() == expected
    assert mask[tracks.track_id == 4].all()


def test_tracks_round_trip(tmp_path: Path) -> None:
    tracks = make_tracks(WALK + STAND, samples=9)
    tracks.background = np.full((H, W, 3), 7, np.uint8)
    tracks.save(tmp_path / "tracks.npz")
    loaded = Tracks.load(tmp_path / "tracks.npz")
    for name in ("sample_t", "sample_frame", "sample_weight", "t", "frame", "track_id", "xyxy", "conf", "background"):
        assert np.array_equal(getattr(loaded, name), getattr(tracks, name)), name
    assert (loaded.width, loaded.height) == (W, H)
    Tracks.empty(width=W, height=H).save(tmp_path / "empty.npz")
    empty = Tracks.load(tmp_path / "empty.npz")
    assert len(empty) == 0 and empty.background is None and empty.xyxy.shape == (0, 4)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"conf": [0.5]}, "same length"),
        ({"sample_weight": [1.0]}, "same length"),
        ({"frame": [99] * 7}, "sample_frame"),
        ({"background": np.zeros((2, 2, 3), np.uint8)}, "background"),
    ],
)
def test_tracks_validation(change: dict, message: str) -> None:
    tracks = make_tracks(WALK)
    values = {name: getattr(tracks, name) for name in tracks.__dataclass_fields__}
    with pytest.raises(ValueError, match=message):
        Tracks(**{**values, **change})


@pytest.mark.parametrize("normalization", NORMALIZATIONS)
def test_normalize_and_its_inverse(normalization: str) -> None:
    heat = np.zeros((H, W), np.float32)
    heat[10:20, 10:20] = np.linspace(0.001, 2.0, 100, dtype=np.float32).reshape(10, 10)
    value, inverse = normalize(heat, normalization)  # type: ignore[arg-type]
    assert value.dtype == np.float32 and 0 <= value.min() and value.max() == pytest.approx(1.0)
    assert inverse(0.0) == 0.0
    assert inverse(1.0) == pytest.approx(2.0 if normalization != "p99" else np.percentile(heat[heat > 0], 99))
    zero, zero_inverse = normalize(np.zeros((H, W), np.float32), normalization)  # type: ignore[arg-type]
    assert not zero.any() and zero_inverse(1.0) == 0.0


@pytest.mark.parametrize("colormap", list(COLORMAPS))
@pytest.mark.parametrize("normalization", NORMALIZATIONS)
def test_render_heatmap_shapes(colormap: str, normalization: str) -> None:
    tracks = make_tracks(WALK + STAND, samples=9)
    background = np.full((H, W, 3), 100, np.uint8)
    image = render_heatmap(accumulate(tracks), background, colormap=colormap, normalization=normalization)  # type: ignore[arg-type]
    assert image.dtype == np.uint8 and image.shape[0] == H and image.shape[1] > W and image.shape[2] == 3
    assert not np.array_equal(image[:, :W], background)
    plain = render_heatmap(accumulate(tracks), background, legend=False, colormap=colormap)
    assert plain.shape == (H, W, 3)


def test_render_nobody_is_the_background_with_a_legend() -> None:
    background = np.random.default_rng(0).integers(0, 256, (240, 320, 3), dtype=np.uint8)
    image = render_heatmap(np.zeros((240, 320), np.float32), background, opacity=1.0)
    assert np.array_equal(image[:, :320], background)
    assert image.shape[1] > 320 and image[:, 320:].std() > 0  # the legend panel has a bar and text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"colormap": "rainbow-unicorn"}, "colormap"), ({"opacity": 1.5}, "opacity"), ({"normalization": "z"}, "norm")],
)
def test_render_heatmap_rejects_bad_params(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_heatmap(np.zeros((H, W), np.float32), np.zeros((H, W, 3), np.uint8), **kwargs)


def test_render_tracks_one_colour_per_track() -> None:
    tracks = make_tracks(WALK + STAND, samples=9)
    background = np.full((H, W, 3), 200, np.uint8)
    image = render_tracks(tracks, background)
    assert image.shape == (H, W, 3) and image.dtype == np.uint8
    assert tuple(image[40, 56]) == track_colour(1)  # end markers at the last feet positions
    assert tuple(image[30, 45]) == track_colour(2)
    assert np.abs(image[40, 20].astype(int) - track_colour(1)).max() < 60  # on the walker's path (y = 40)
    assert tuple(image[5, 5]) == (120, 120, 120)  # dimmed background
    assert track_colour(1) != track_colour(2)
    assert render_tracks(Tracks.empty(width=W, height=H), background).shape == (H, W, 3)


def test_legacy_heatmap(scene_video: Path) -> None:
    calls: list[tuple[int, ...]] = []

    def detect(frame: np.ndarray) -> np.ndarray:
        calls.append(frame.shape)
        return np.array([[10, 20, 30, 60]])

    result = legacy_heatmap(scene_video, detect)
    assert (result.frames_read, result.frames_detected) == (30, 10)
    assert calls == [(240, 320, 3)] * 10  # one frame per call
    assert result.heat[20:60, 10:30].min() == 10 and result.heat.sum() == 10 * 40 * 20
    assert result.overlay.shape == (240, 320, 3)
