"""Depth batches are sized by pixels (read from the headers), not only by count: eight 64 MP photos never share a
batch under the 2 GiB `WORKER_JOB_MEMORY`, while small photos still fill `DEPTH_BATCH`."""

from __future__ import annotations

from pathlib import Path

from app.models import JobItem
from app.worker.depth_job import DEPTH_BYTES_PER_PIXEL, _batches
from scripts import images


def _items(folder: Path, sizes: list[tuple[int, int]]) -> list[JobItem]:
    items = []
    for i, (width, height) in enumerate(sizes):
        (folder / f"p{i}.png").write_bytes(images.png_declaring(width, height))  # a header alone
        items.append(JobItem(name=f"p{i}.png", stem=f"p{i}", input_file=f"p{i}.png", position=i))
    return items


def _inputs(folder: Path, items: list[JobItem]) -> dict[str, Path]:
    """The items' local copies, as `run_depth_job` hands them to `_batches`."""
    return {item.input_file: folder / item.input_file for item in items if item.input_file}


def _grouped(folder: Path, sizes: list[tuple[int, int]], **limits: int) -> list[list[int]]:
    items = _items(folder, sizes)
    return [[item.position for item in batch] for batch, _ in _batches(items, _inputs(folder, items), **limits)]


def test_large_photos_go_alone_and_small_ones_fill_the_batch(tmp_path: Path):
    half_of_2_gib = (2 << 30) // DEPTH_BYTES_PER_PIXEL // 2
    assert _grouped(tmp_path, [(8000, 8000)] * 8, per_call=4, max_pixels=half_of_2_gib) == [[i] for i in range(8)]
    assert _grouped(tmp_path, [(640, 480)] * 6, per_call=4, max_pixels=half_of_2_gib) == [[0, 1, 2, 3], [4, 5]]
    mixed = [(4000, 3000), (4000, 3000), (8000, 8000), (640, 480), (4000, 3000)]
    assert _grouped(tmp_path, mixed, per_call=4, max_pixels=20_000_000) == [[0], [1], [2], [3, 4]]


def test_batches_carry_their_pixels_and_unreadable_images_count_none(tmp_path: Path):
    items = _items(tmp_path, [(100, 10), (20, 10)])
    (tmp_path / "bad.png").write_bytes(b"not an image")
    items.append(JobItem(name="bad.png", stem="bad", input_file="bad.png", position=2))
    batches = _batches(items, _inputs(tmp_path, items), per_call=4, max_pixels=10**6)
    assert [(len(batch), pixels) for batch, pixels in batches] == [(3, 1200)]
