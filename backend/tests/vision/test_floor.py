"""Floor calibration: homographies from point pairs, degenerate points, the floor heatmap's sum, walking speeds."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from app.vision.floor import DegenerateCalibration, fit_homography, floor_heatmap, walking
from app.vision.render import render_floor
from app.vision.tracks import Tracks

# A camera looking down at a 4 m x 3 m floor at an angle: the far edge is shorter in the frame.
WORLD = np.array([[0, 0], [4, 0], [4, 3], [0, 3]], float)
IMAGE = np.array([[100, 60], [220, 60], [300, 230], [20, 230]], float)
TRUE = cv2.getPerspectiveTransform(IMAGE.astype(np.float32), WORLD.astype(np.float32))


def to_image(world_xy: np.ndarray) -> np.ndarray:
    return cv2.perspectiveTransform(np.asarray(world_xy, np.float64).reshape(-1, 1, 2), np.linalg.inv(TRUE)).reshape(
        -1, 2
    )


def tracks_at(feet_by_track: dict[int, np.ndarray], *, dt: float = 0.2) -> Tracks:
    """Tracks whose feet stand at the given image points, one sample per row, every `dt` s."""
    count = max(len(p) for p in feet_by_track.values())
    t, ids, boxes = [], [], []
    for track, feet in feet_by_track.items():
        for i, (x, y) in enumerate(feet):
            t.append(i * dt)
            ids.append(track)
            boxes.append([x - 8, y - 30, x + 8, y])
    frames = np.arange(count)
    return Tracks(
        width=320, height=240, sample_t=frames * dt, sample_frame=frames, sample_weight=np.full(count, dt),
        t=t, frame=np.round(np.array(t) / dt).astype(int), track_id=ids, xyxy=np.array(boxes), conf=np.ones(len(t)),
    )  # fmt: skip


def test_four_exact_points_give_the_camera_homography() -> None:
    fitted = fit_homography(IMAGE, WORLD)
    assert fitted.reprojection_error_px < 1e-6 and fitted.area_m2 == pytest.approx(12.0)
    probe = np.array([[160, 150], [50, 200]], float)
    mapped, valid = fitted.to_floor(probe)
    expected = cv2.perspectiveTransform(probe.reshape(-1, 1, 2), TRUE).reshape(-1, 2)
    assert valid.all() and np.allclose(mapped, expected, atol=1e-6)


def test_pixels_per_square_metre_are_the_calibrated_area_in_the_frame_over_its_metres() -> None:
    """The far edge is 120 px wide, the near one 280 px, 170 px apart: 34,000 px over 12 m²."""
    assert fit_homography(IMAGE, WORLD).px_per_m2 == pytest.approx(34_000 / 12)
    assert fit_homography(IMAGE * 2, WORLD).px_per_m2 == pytest.approx(4 * 34_000 / 12)


def test_more_noisy_points_report_their_reprojection_error() -> None:
    world = np.array([[x, y] for x in (0, 2, 4) for y in (0, 1.5, 3)], float)
    image = to_image(world) + np.random.default_rng(3).normal(0, 1.0, (9, 2))
    fitted = fit_homography(image, world)
    assert 0.2 < fitted.reprojection_error_px < 2.0


@pytest.mark.parametrize(
    "image,world,message",
    [
        (IMAGE[:3], WORLD[:3], "at least 4"),
        (IMAGE, WORLD[:3], "3 world points"),
        (np.array([[0, 0], [10, 10], [20, 20], [30, 30]]), WORLD, "image points are (nearly) on one line"),
        (IMAGE, np.array([[0, 0], [1, 0], [2, 0], [0, 3]]), "world points are (nearly) on one line"),
        (np.array([[0, 0], [0, 0], [50, 0], [0, 50]]), WORLD, "image points"),
    ],
)
def test_degenerate_points_are_refused(image: np.ndarray, world: np.ndarray, message: str) -> None:
    with pytest.raises(DegenerateCalibration, match=message.replace("(", r"\(").replace(")", r"\)")):
        fit_homography(image, world)


def test_the_floor_heatmap_holds_the_person_seconds_inside_the_calibrated_area() -> None:
    rng = np.random.default_rng(7)
    world = rng.uniform(-1, 5, (3, 40, 2))  # some feet off the calibrated 4 x 3 m
    tracks = tracks_at({i + 1: to_image(world[i]) for i in range(3)})
    fitted = fit_homography(IMAGE, WORLD)
    grid = floor_heatmap(tracks, fitted, cell_m=0.25)
    inside = (world[..., 0] >= 0) & (world[..., 0] <= 4) & (world[..., 1] >= 0) & (world[..., 1] <= 3)
    assert 0 < inside.sum() < inside.size
    assert grid.heat.dtype == np.float32 and grid.heat.shape == (12, 16)
    assert grid.heat.sum() * 0.25**2 == pytest.approx(0.2 * inside.sum(), rel=1e-5)
    assert grid.person_seconds == pytest.approx(0.2 * inside.sum())
    cell = np.floor(world[0, 0] / 0.25).astype(int)
    if inside[0, 0]:
        assert grid.heat[min(cell[1], 11), min(cell[0], 15)] > 0
    image = render_floor(grid.heat, origin_m=grid.origin_m, cell_m=0.25, area_m=fitted.area)
    assert image.ndim == 3 and image.shape[1] > image.shape[0]  # 4 m wide plus the legend


def test_walking_speed_comes_from_the_feet_in_metres() -> None:
    seconds = np.arange(11) * 0.2  # 2 s
    brisk = np.column_stack([0.5 + 1.5 * seconds, np.full(11, 1.0)])  # 1.5 m/s across the floor
    slow = np.column_stack([np.full(11, 3.0), 0.2 + 0.5 * seconds])  # 0.5 m/s
    brief = np.column_stack([1.0 + 2 * seconds[:4], np.full(4, 2.0)])  # 0.6 s: no speed
    tracks = tracks_at({1: to_image(brisk), 2: to_image(slow), 3: to_image(brief)})
    walked = walking(tracks, fit_homography(IMAGE, WORLD))
    assert sorted(walked.speeds_mps) == pytest.approx([0.5, 1.5], rel=1e-6)
    assert walked.distance_m == pytest.approx(3.0 + 1.0, rel=1e-6)
