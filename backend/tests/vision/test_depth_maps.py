"""Depth encodings and image decoding on tiny arrays."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from PIL import Image

from app.vision import depth as depth_maps
from app.vision.images import ImageError, TooManyPixels, encode_png, image_size, load_photo
from scripts import images

RAMP = np.array([[1.0, 2.0], [3.0, 5.0]], np.float32)


@pytest.mark.parametrize(
    "depth,expected",
    [
        (RAMP, [[0.0, 0.25], [0.5, 1.0]]),
        (np.full((2, 2), 7.0, np.float32), [[0, 0], [0, 0]]),  # flat map
        (np.array([[1.0, np.nan], [np.inf, 3.0]], np.float32), [[0.0, 1.0], [1.0, 1.0]]),  # non-finite -> far
        (np.full((2, 2), np.nan, np.float32), [[1, 1], [1, 1]]),
    ],
)
def test_relative(depth, expected):
    np.testing.assert_allclose(depth_maps.relative(depth), expected)


def test_uint16_runs_near_to_far():
    sixteen = depth_maps.to_uint16(RAMP)
    assert sixteen.dtype == np.uint16
    assert sixteen[0, 0] == 0 and sixteen[1, 1] == 65535


@pytest.mark.parametrize("colormap", [*depth_maps.COLORMAPS, "gray"])
def test_colorize_near_takes_the_top_of_the_colormap(colormap):
    preview = depth_maps.colorize(RAMP, colormap)
    assert preview.shape == (2, 2, 3) and preview.dtype == np.uint8
    top, bottom = (depth_maps.colorize(np.array([[0.0, 1.0]], np.float32), colormap)[0, i] for i in (0, 1))
    assert preview[0, 0].tolist() == top.tolist() and preview[1, 1].tolist() == bottom.tolist()


@pytest.mark.parametrize("colormap", ["magma", "inferno", "viridis", "plasma", "gray"])
def test_perceptual_colormaps_show_near_bright(colormap):
    brightness = depth_maps.colorize(RAMP, colormap).astype(int).sum(axis=2)
    assert brightness[0, 0] > brightness[0, 1] > brightness[1, 1]


def test_encode_png_roundtrip(tmp_path):
    path = tmp_path / "d.png"
    path.write_bytes(encode_png(depth_maps.to_uint16(RAMP)))
    assert np.asarray(Image.open(path)).tolist() == depth_maps.to_uint16(RAMP).tolist()


@pytest.mark.parametrize("band_pixels", [1, 7, 40, 1 << 20])  # a row, rows with a short last band, one band
def test_maps_drawn_in_bands_are_the_maps_drawn_whole(monkeypatch, band_pixels):
    depth = np.random.default_rng(1).uniform(0.5, 30.0, (9, 7)).astype(np.float32)
    depth[2, 3], depth[8, 6] = np.nan, np.inf
    monkeypatch.setattr(depth_maps, "BAND_PIXELS", band_pixels)
    rel = depth_maps.relative(depth, min_m=1.0, max_m=20.0)
    preview = depth_maps.in_bands(depth_maps.colorize, depth, min_m=1.0, max_m=20.0)
    assert np.array_equal(preview, depth_maps.colorize(depth, rel=rel)) and preview.shape == (9, 7, 3)
    sixteen = depth_maps.in_bands(depth_maps.to_uint16, depth, min_m=1.0, max_m=20.0)
    assert np.array_equal(sixteen, depth_maps.to_uint16(depth, rel=rel)) and sixteen.dtype == np.uint16


def test_depth_range_ignores_non_finite():
    assert depth_maps.depth_range(np.array([np.nan, 2.0, 4.0], np.float32)) == (2.0, 4.0)
    assert depth_maps.depth_range(np.array([np.nan], np.float32)) == (0.0, 0.0)


@pytest.mark.parametrize(
    "orientation,shape", [(None, (48, 64, 3)), (1, (48, 64, 3)), (3, (48, 64, 3)), (6, (64, 48, 3)), (8, (64, 48, 3))]
)
def test_exif_orientation_is_applied(tmp_path, orientation, shape):
    path = tmp_path / "a.jpg"
    path.write_bytes(images.jpeg(64, 48, orientation=orientation))
    assert load_photo(path, max_pixels=10_000).rgb.shape == shape


@pytest.mark.parametrize("mode", ["L", "RGBA", "P", "I;16", "I", "F", "CMYK", "LA"])
def test_every_mode_becomes_rgb(tmp_path, mode):
    base = Image.fromarray(images.gradient_rgb(16, 12))
    converted = (
        Image.fromarray(images.gradient_rgb(16, 12)[:, :, 0].astype(np.uint16) * 200)
        if mode == "I;16"
        else base.convert(mode)
    )
    path = tmp_path / ("a.tiff" if mode in ("I", "F", "CMYK") else "a.png")
    converted.save(path)
    rgb = load_photo(path, max_pixels=10_000).rgb
    assert rgb.shape == (12, 16, 3) and rgb.dtype == np.uint8
    assert rgb.max() > rgb.min()


def test_pixel_limit_and_unreadable(tmp_path):
    big = tmp_path / "big.png"
    big.write_bytes(images.png_declaring(50_000, 50_000))
    assert image_size(big, max_pixels=50_000 * 50_000) == (50_000, 50_000)
    with pytest.raises(TooManyPixels, match="pixels allowed"):
        image_size(big, max_pixels=1_000_000)
    with pytest.raises(TooManyPixels, match="pixels allowed"):
        load_photo(big, max_pixels=1_000_000)
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"nope")
    with pytest.raises(ImageError):
        image_size(junk, max_pixels=1_000_000)


def test_pillow_itself_refuses_images_over_our_limit(tmp_path):
    """Any code in the process that opens an image with Pillow (not only ours) meets the same limit."""
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(images.png_declaring(2_000, 2_000))
    with pytest.raises(TooManyPixels):
        load_photo(bomb, max_pixels=1_000_000)
    with pytest.raises(Image.DecompressionBombError):
        Image.open(bomb)
    fits = tmp_path / "fits.png"
    fits.write_bytes(images.png_declaring(1_000, 1_000))
    with Image.open(fits) as opened:
        assert opened.size == (1_000, 1_000)


@pytest.mark.parametrize("options", [{"lossless": False}, {"lossless": True}, {"lossless": False, "exif": b"Exif\0\0"}])
def test_webp_size_comes_from_its_header_without_reading_the_file(tmp_path, options):
    """Pillow reads a whole WebP into memory to learn its size; a 64 MiB upload must not cost 64 MiB."""
    image = Image.fromarray(images.gradient_rgb(321, 123))
    data = images.encode(image, "WEBP", **options)
    path = tmp_path / "big.webp"
    path.write_bytes(data + b"\0" * (64 << 20))  # trailing bytes past the RIFF size: padding a reader must not load
    tracemalloc.start()
    try:
        assert image_size(path, max_pixels=1_000_000) == (321, 123)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20
    with pytest.raises(TooManyPixels):
        image_size(path, max_pixels=321 * 122)
    small = tmp_path / "small.webp"
    small.write_bytes(data)
    assert load_photo(small, max_pixels=1_000_000).rgb.shape == (123, 321, 3)
