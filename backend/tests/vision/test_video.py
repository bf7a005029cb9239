"""Streaming decode: probing, sampling by time or stride, rotation, truncation, median background."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.vision.video import (
    FrameSampler,
    MedianBackground,
    VideoError,
    VideoTooLarge,
    capture_params,
    median_frames,
    prefetch,
    probe_video,
)
from scripts.media import Scene, set_mp4_rotation, write_video


def test_probe(scene_video: Path) -> None:
    info = probe_video(scene_video)
    assert (info.frames_total, info.fps, info.duration_s) == (30, 10.0, 3.0)
    assert info.resolution_wh == (320, 240)
    assert info.rotation == 0


@pytest.mark.parametrize(
    ("sample_fps", "stride", "indices"),
    [
        (5.0, None, list(range(0, 30, 2))),
        (3.0, None, [0, 3, 7, 10, 13, 17, 20, 23, 27]),  # step 3.33: no drift
        (1.0, None, [0, 10, 20]),
        (100.0, None, list(range(30))),  # never more than every frame
        (5.0, 4, list(range(0, 30, 4))),  # an explicit stride wins
        (5.0, 1, list(range(30))),
    ],
)
def test_sampler_indices_times_weights(
    scene_video: Path, sample_fps: float, stride: int | None, indices: list[int]
) -> None:
    sampler = FrameSampler(scene_video, sample_fps=sample_fps, stride=stride)
    samples = list(sampler)
    assert [s.index for s in samples] == indices
    assert [s.t for s in samples] == pytest.approx([i / 10 for i in indices])
    expected_weights = np.diff(indices + [30]) / 10  # up to the next sample, the last one up to the end
    assert [s.weight for s in samples] == pytest.approx(expected_weights.tolist())
    assert sum(s.weight for s in samples) == pytest.approx(3.0)
    assert sampler.frames_decoded == 30 and not sampler.truncated and sampler.message is None


def test_decoding_stops_past_max_frames(scene_video: Path) -> None:
    """The container's frame count may understate the stream: the sampler itself stops at the cap."""
    assert len(list(FrameSampler(scene_video, stride=1, max_frames=30))) == 30
    sampler = FrameSampler(scene_video, stride=1, max_frames=10)
    with pytest.raises(VideoTooLarge, match="more than the 10 frames"):
        list(sampler)
    assert sampler.frames_decoded == 10


def test_sampled_frames_are_the_right_frames(scene: Scene, scene_video: Path) -> None:
    """`grab()` skips frames without losing count: each sample shows the scene at its own index."""
    for sample in FrameSampler(scene_video, sample_fps=3.0):
        errors = [np.abs(sample.frame.astype(int) - scene.frame(i)).mean() for i in range(scene.frames)]
        assert int(np.argmin(errors)) == sample.index


def test_hardware_decoding_is_asked_for_when_set_and_falls_back_to_the_cpu(scene_video: Path) -> None:
    """VIDEO_HW_DECODE asks OpenCV's FFmpeg for any hardware decoder; without one (here) the CPU decodes."""
    assert capture_params(False) == []
    assert capture_params(True) == [cv2.CAP_PROP_HW_ACCELERATION, cv2.VIDEO_ACCELERATION_ANY]
    software, hardware = (list(FrameSampler(scene_video, sample_fps=3.0, hw_decode=flag)) for flag in (False, True))
    assert [s.index for s in hardware] == [s.index for s in software] and len(software) == 9
    assert all(np.array_equal(h.frame, s.frame) for h, s in zip(hardware, software, strict=True))


@pytest.mark.parametrize(
    ("degrees", "rotate"),
    [(90, cv2.ROTATE_90_CLOCKWISE), (180, cv2.ROTATE_180), (270, cv2.ROTATE_90_COUNTERCLOCKWISE)],
)
def test_rotation_metadata_is_honoured(scene_video: Path, tmp_path: Path, degrees: int, rotate: int) -> None:
    """A phone's portrait video: landscape pixels with a display matrix; frames come out as players show them."""
    rotated = tmp_path / "portrait.mp4"
    shutil.copy(scene_video, rotated)
    set_mp4_rotation(rotated, degrees)
    info = probe_video(rotated)
    assert info.rotation == degrees
    assert info.resolution_wh == ((240, 320) if degrees % 180 else (320, 240))
    upright = [s.frame for s in FrameSampler(scene_video, stride=10)]
    frames = [s.frame for s in FrameSampler(rotated, stride=10)]
    assert [f.shape for f in frames] == [(info.height, info.width, 3)] * 3
    for frame, original in zip(frames, upright, strict=True):
        assert np.array_equal(frame, cv2.rotate(original, rotate))


@pytest.mark.parametrize(("fourcc", "suffix"), [("MJPG", ".avi"), ("mp4v", ".mkv")])
def test_truncated_file_processes_what_decodes(tmp_path: Path, fourcc: str, suffix: str) -> None:
    whole = write_video(tmp_path / f"whole{suffix}", Scene(fps=10.0, seconds=3.0), fourcc)
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.6)])
    sampler = FrameSampler(cut, sample_fps=5.0)
    samples = list(sampler)
    assert sampler.info.frames_total == 30
    assert 10 <= sampler.frames_decoded < 25
    assert sampler.truncated
    assert f"after {sampler.frames_decoded} of 30 frames" in (sampler.message or "")
    assert sum(s.weight for s in samples) == pytest.approx(sampler.frames_decoded / 10)


def _zero_frame_video(path: Path) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 10.0, (64, 48))
    writer.release()
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.mp4", "missing"),
        (lambda d: (d / "notes.mp4").write_text("not a video") and d / "notes.mp4", "not a video"),
        (lambda d: (d / "empty.mp4").write_bytes(b"") or d / "empty.mp4", "not a video"),
        (lambda d: _zero_frame_video(d / "zero.avi"), "no"),
    ],
    ids=["missing", "text", "empty-file", "zero-frames"],
)
def test_bad_inputs_raise_readable_errors(tmp_path: Path, make, message: str) -> None:  # noqa: ANN001
    with pytest.raises(VideoError, match=message):
        probe_video(make(tmp_path))


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 8, 9, 16, 17, 31])
def test_median_frames_is_exact(count: int) -> None:
    rng = np.random.default_rng(count)
    frames = [rng.integers(0, 256, (3, 5, 3), dtype=np.uint8) for _ in range(count)]
    expected = np.floor(np.median(np.stack(frames), axis=0) + 0.5).astype(np.uint8)
    assert np.array_equal(median_frames(frames), expected)


def test_median_background_removes_walkers(scene: Scene, scene_video: Path) -> None:
    background = MedianBackground(max_frames=8)
    for sample in FrameSampler(scene_video, sample_fps=10.0):
        background.offer(sample.frame)
    assert len(background._frames) <= 8
    image = background.result()
    assert image.shape == (240, 320, 3) and image.dtype == np.uint8
    error = np.abs(image.astype(int) - scene.background()).max(axis=2)
    assert np.percentile(error[200:, :], 99) < 20  # the bottom walker's whole path is clean
    x, y = scene.walkers[2].start_xy  # the person who stands there all along is part of the background
    assert error[int(y - 40) : int(y - 30), int(x - 3) : int(x + 3)].min() > 40


def test_median_background_is_bounded_and_downscaled() -> None:
    background = MedianBackground(max_frames=6, max_pixels=100)
    for value in range(200):
        background.offer(np.full((20, 40, 3), value, np.uint8))
        assert len(background._frames) < 6
        assert background._frames[-1].shape[0] * background._frames[-1].shape[1] <= 100
    image = background.result()
    assert image.shape == (20, 40, 3)
    assert 80 <= int(image[10, 20, 0]) <= 120  # the middle of what was offered, evenly spread


def test_median_background_rejects_mixed_sizes() -> None:
    background = MedianBackground()
    background.offer(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ValueError, match="differs"):
        background.offer(np.zeros((5, 4, 3), np.uint8))
    with pytest.raises(ValueError, match="no frame"):
        MedianBackground().result()


def test_prefetch_order_errors_and_early_close() -> None:
    assert list(prefetch(range(50), depth=3)) == list(range(50))

    def failing():  # noqa: ANN202
        yield 1
        raise VideoError("boom")

    with pytest.raises(VideoError, match="boom"):
        list(prefetch(failing(), depth=2))

    closed = threading.Event()

    def endless():  # noqa: ANN202
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.set()

    before = threading.active_count()
    stream = prefetch(endless(), depth=2)
    assert [next(stream) for _ in range(5)] == [0, 1, 2, 3, 4]
    stream.close()
    assert closed.wait(2) and threading.active_count() == before
