"""Reading an image's size (what the API does with every upload) costs bounded memory whatever its header holds:
1 GiB of JPEG APP segments, of PNG private chunks or of TIFF tag data before an 8x8 picture took 1-2 GiB in
Pillow; now they are refused once 16 MiB were read."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from app.vision.images import ImageError, image_size
from scripts import images

GROWTH = 64 << 20


@pytest.mark.parametrize(
    "write",
    [
        images.write_jpeg_with_huge_app_segments,
        images.write_png_with_a_huge_private_chunk,
        images.write_tiff_with_a_huge_tag,
    ],
    ids=["jpeg", "png", "tiff"],
)
def test_a_gigabyte_of_metadata_is_refused_with_bounded_memory(tmp_path: Path, write):
    path = write(tmp_path / "huge")
    assert path.stat().st_size > 1 << 30
    tracemalloc.start()
    try:
        with pytest.raises(ImageError, match="metadata is larger than the 16 MiB allowed"):
            image_size(path, max_pixels=64_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < GROWTH, f"{peak / 2**20:.0f} MiB to read the header"


@pytest.mark.parametrize(
    "write",
    [
        images.write_jpeg_with_huge_app_segments,
        images.write_png_with_a_huge_private_chunk,
        images.write_tiff_with_a_huge_tag,
    ],
    ids=["jpeg", "png", "tiff"],
)
def test_a_modest_header_is_still_read(tmp_path: Path, write):
    assert image_size(write(tmp_path / "small", metadata=1 << 20), max_pixels=64_000_000) == (8, 8)
