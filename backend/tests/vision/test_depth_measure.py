"""Depth you can measure with: the 16-bit PNG's linear range, focal lengths from EXIF or a FOV, point clouds."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image
from plyfile import PlyData

from app.vision import depth as depth_maps
from app.vision.camera import DEFAULT_FOV_DEG, LensExif, focal_from_fov, focal_length_px
from app.vision.images import encode_png, load_photo
from app.vision.pointcloud import MAX_POINTS, back_project, encode_ply, subsample_step
from scripts import images


@pytest.mark.parametrize("low,high", [(0.5, 80.0), (1.2, 1.3), (3.0, 3.0), (0.0, 130.0)])
def test_png16_round_trip_within_a_millimetre_or_a_thousandth(low, high):
    """A step is (max_m - min_m) / 65535: the 1 mm bound holds for ranges up to 131 m."""
    depth = np.random.default_rng(0).uniform(low, high, (37, 53)).astype(np.float32)
    depth[0, :2] = low, high
    stats = depth_maps.depth_stats(depth)
    png = encode_png(depth_maps.to_uint16(depth, rel=depth_maps.relative(depth, min_m=stats.min_m, max_m=stats.max_m)))
    values = np.asarray(Image.open(io.BytesIO(png)))
    assert values.dtype == np.uint16 and values[0, 0] == 0 and values[0, 1] == (65535 if high > low else 0)
    metres = depth_maps.from_uint16(values, min_m=stats.min_m, max_m=stats.max_m)
    tolerance = np.maximum(1e-3, 1e-3 * np.abs(depth))
    assert np.all(np.abs(metres - depth) <= tolerance)


def test_a_job_range_wider_than_the_map_keeps_the_mapping_and_clips_outside():
    depth = np.array([[2.0, 4.0], [6.0, 11.0]], np.float32)
    sixteen = depth_maps.to_uint16(depth, rel=depth_maps.relative(depth, min_m=1.0, max_m=10.0))
    assert sixteen.tolist() == [[7282, 21845], [36408, 65535]]
    np.testing.assert_allclose(depth_maps.from_uint16(sixteen, min_m=1.0, max_m=10.0), [[2, 4], [6, 10]], atol=1e-4)


def test_depth_stats_in_metres_ignore_non_finite():
    stats = depth_maps.depth_stats(np.array([[np.nan, 1.0, 2.0], [9.0, np.inf, 3.0]], np.float32))
    assert (stats.min_m, stats.median_m, stats.max_m) == (1.0, 2.5, 9.0)
    assert depth_maps.depth_stats(np.full((2, 3), np.nan, np.float32)) == depth_maps.DepthStats(0.0, 0.0, 0.0)


def test_depth_stats_median_of_a_large_map_from_an_even_sample():
    depth = np.add.outer(np.linspace(1, 2, 1500), np.linspace(0, 8, 2000)).astype(np.float32)  # 3 MP
    stats = depth_maps.depth_stats(depth)
    assert (stats.min_m, stats.max_m) == (1.0, 10.0)
    assert stats.median_m == pytest.approx(float(np.median(depth)), abs=0.01)


@pytest.mark.parametrize(
    "lens,fov_deg,expected,source",
    [
        (LensExif(focal_35mm=36.0), DEFAULT_FOV_DEG, 400.0, "exif"),  # f35 / 36 * width
        (LensExif(focal_35mm=26.0, focal_mm=4.2, sensor_width_mm=5.6), 90.0, 26 / 36 * 400, "exif"),
        (LensExif(focal_mm=4.2, sensor_width_mm=5.6), DEFAULT_FOV_DEG, 4.2 / 5.6 * 400, "exif"),
        (LensExif(focal_mm=4.2), DEFAULT_FOV_DEG, 200 / math.tan(math.radians(30)), "default"),  # no sensor size
        (LensExif(), DEFAULT_FOV_DEG, 200 / math.tan(math.radians(30)), "default"),
        (LensExif(), 90.0, 200.0, "fov"),
        # Implausible 35 mm equivalents (8-1200 mm allowed) are ignored, each on its own.
        (LensExif(focal_35mm=7.9), DEFAULT_FOV_DEG, 200 / math.tan(math.radians(30)), "default"),
        (LensExif(focal_35mm=5000.0), 90.0, 200.0, "fov"),
        (LensExif(focal_35mm=8.0), DEFAULT_FOV_DEG, 8 / 36 * 400, "exif"),
        (LensExif(focal_35mm=1200.0), DEFAULT_FOV_DEG, 1200 / 36 * 400, "exif"),
        (LensExif(focal_mm=0.001, sensor_width_mm=5.6), DEFAULT_FOV_DEG, 200 / math.tan(math.radians(30)), "default"),
        (LensExif(focal_mm=400.0, sensor_width_mm=5.6), DEFAULT_FOV_DEG, 200 / math.tan(math.radians(30)), "default"),
        (LensExif(focal_35mm=1e6, focal_mm=4.2, sensor_width_mm=5.6), DEFAULT_FOV_DEG, 4.2 / 5.6 * 400, "exif"),
    ],
)
def test_focal_length_px(lens, fov_deg, expected, source):
    focal, got = focal_length_px(width=400, sensor_width_px=400, lens=lens, fov_deg=fov_deg)
    assert got == source and focal == pytest.approx(expected)


def test_focal_from_a_jpeg_with_focal_length_in_35mm_film(tmp_path):
    path = tmp_path / "phone.jpg"
    path.write_bytes(images.jpeg(64, 48, orientation=6, FocalLengthIn35mmFilm=28))
    photo = load_photo(path, max_pixels=10_000)
    assert photo.rgb.shape == (64, 48, 3) and photo.exif_orientation_applied and photo.sensor_width_px == 64
    assert photo.lens.focal_35mm == 28.0
    # The 35 mm frame's 36 mm side is the sensor's width (64 px), not the turned picture's (48 px).
    focal, source = focal_length_px(width=48, sensor_width_px=photo.sensor_width_px, lens=photo.lens)
    assert source == "exif" and focal == pytest.approx(28 / 36 * 64)


def test_focal_from_focal_length_and_the_focal_plane_resolution(tmp_path):
    path = tmp_path / "camera.jpg"
    # 100 px per cm on the focal plane over a 64 px wide capture: a 6.4 mm sensor.
    path.write_bytes(images.jpeg(64, 48, FocalLength=4.0, FocalPlaneXResolution=100.0, FocalPlaneResolutionUnit=3))
    photo = load_photo(path, max_pixels=10_000)
    assert photo.lens.sensor_width_mm == pytest.approx(6.4) and not photo.exif_orientation_applied
    focal, source = focal_length_px(width=64, sensor_width_px=64, lens=photo.lens)
    assert source == "exif" and focal == pytest.approx(4.0 / 6.4 * 64)


def test_an_implausible_exif_focal_length_falls_back_to_the_fov(tmp_path):
    path = tmp_path / "odd.jpg"
    path.write_bytes(images.jpeg(64, 48, FocalLengthIn35mmFilm=5000))
    photo = load_photo(path, max_pixels=10_000)
    assert photo.lens.focal_35mm == 5000.0
    assert focal_length_px(width=64, sensor_width_px=64, lens=photo.lens) == (focal_from_fov(64, 60.0), "default")


def test_without_exif_the_fov_gives_the_focal(tmp_path):
    path = tmp_path / "plain.png"
    path.write_bytes(images.png(64, 48))
    photo = load_photo(path, max_pixels=10_000)
    assert photo.lens == LensExif() and not photo.exif_orientation_applied
    assert focal_length_px(width=64, sensor_width_px=64, lens=photo.lens) == (focal_from_fov(64, 60.0), "default")
    assert focal_length_px(width=64, sensor_width_px=64, lens=photo.lens, fov_deg=90.0) == (pytest.approx(32.0), "fov")


def _parse(ply: bytes) -> np.ndarray:
    parsed = PlyData.read(io.BytesIO(ply))
    assert parsed.text is False and parsed.byte_order == "<"
    vertex = parsed["vertex"]
    assert [(p.name, p.val_dtype) for p in vertex.properties] == [
        ("x", "f4"),
        ("y", "f4"),
        ("z", "f4"),
        ("red", "u1"),
        ("green", "u1"),
        ("blue", "u1"),
    ]
    return vertex.data


def test_point_cloud_ply_parses_with_the_pixels_colours():
    rgb = images.gradient_rgb(30, 20)
    depth = np.linspace(1.0, 5.0, 600, dtype=np.float32).reshape(20, 30)
    cloud = back_project(depth, rgb, focal_px=25.0, max_points=100)
    step = subsample_step(20, 30, 100)
    assert step == 3 and len(cloud) == 10 * 7
    vertices = _parse(encode_ply(cloud))
    assert len(vertices) == 70
    colours = np.stack([vertices["red"], vertices["green"], vertices["blue"]], axis=1)
    assert colours.tolist() == rgb[::3, ::3].reshape(-1, 3).tolist()
    np.testing.assert_allclose(vertices["z"], depth[::3, ::3].ravel())
    # Pixel (row 3, column 6): x = (6 - 14.5) z / f, y = (3 - 9.5) z / f.
    z = depth[3, 6]
    np.testing.assert_allclose(
        [vertices["x"][12], vertices["y"][12]], [(6 - 14.5) * z / 25, (3 - 9.5) * z / 25], rtol=1e-6
    )


def test_point_cloud_skips_unknown_depths_and_caps_the_count():
    depth = np.ones((4, 4), np.float32)
    depth[0, 0], depth[1, 1], depth[2, 2] = np.nan, 0.0, np.inf
    assert len(back_project(depth, np.zeros((4, 4, 3), np.uint8), focal_px=2.0)) == 13
    big = np.ones((1000, 1001), np.float32)
    cloud = back_project(big, np.zeros((1000, 1001, 3), np.uint8), focal_px=500.0)
    assert len(cloud) <= MAX_POINTS and len(cloud) == 500 * 501
    assert len(_parse(encode_ply(cloud))) == len(cloud)


def test_point_cloud_refuses_mismatched_sizes():
    with pytest.raises(ValueError, match="differ"):
        back_project(np.ones((4, 4), np.float32), np.zeros((4, 5, 3), np.uint8), focal_px=2.0)
