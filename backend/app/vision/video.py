"""Streaming video decoding with OpenCV: probing, time-based frame sampling and a median background.

A video is never held in memory whole: frames are decoded one at a time, the ones between samples are only
`grab()`bed (decoded, never converted to BGR), and the background keeps a bounded set of frames.

Rotation: OpenCV's FFmpeg backend reads the display matrix (`CAP_PROP_ORIENTATION_META`, degrees) and, with
`CAP_PROP_ORIENTATION_AUTO` on (the default, set explicitly here), rotates every retrieved frame and reports
`CAP_PROP_FRAME_WIDTH/HEIGHT` after rotation. Frames yielded here are therefore upright.
"""

from __future__ import annotations

import math
import os
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import cv2
import numpy as np

T = TypeVar("T")

#: A container's frame count is an estimate for some formats: a shortfall within this many frames
#: (or 1% of the count, whichever is more) is not reported as truncation.
TRUNCATION_TOLERANCE = 2
#: FFmpeg reads a file in blocks of this many bytes (its AVIO buffer): its position runs ahead of the frame just
#: decoded by up to one block.
FFMPEG_READ_BLOCK = 32 * 1024


class VideoError(ValueError):
    """The input cannot be processed as a video; the message is meant for the person who uploaded it."""


class VideoTooLarge(VideoError):
    """The video is past a limit (frame size, length or frame count)."""


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a video, with the size of an actual decoded (upright) frame.

    Attributes:
        frames_total: Frame count from the container (0 when it does not say).
        fps: Frames per second.
        duration_s: `frames_total / fps` (0 when the count is unknown).
        width: Frame width in pixels after rotation.
        height: Frame height in pixels after rotation.
        rotation: Display rotation from the metadata, degrees (0, 90, 180 or 270).
    """

    frames_total: int
    fps: float
    duration_s: float
    width: int
    height: int
    rotation: int

    @property
    def resolution_wh(self) -> tuple[int, int]:
        return self.width, self.height


@dataclass(frozen=True)
class Sample:
    """One sampled frame.

    Attributes:
        index: Frame index in the file (0-based, decode order).
        t: Presentation time in seconds (`index / fps`).
        weight: Seconds of video this sample stands for: up to the next sample, or to the last decoded frame.
        frame: (H, W, 3) uint8 BGR, upright.
        read_share: Share of the file's bytes read up to this frame, 0-1 (0 where that is not known: no
            /proc): unlike `index`, it does not depend on the container's frame count being right.
    """

    index: int
    t: float
    weight: float
    frame: np.ndarray
    read_share: float = 0.0


def capture_params(hw_decode: bool) -> list[int]:
    """`VideoCapture` open parameters: hardware decoding (NVDEC, VAAPI, ...) where OpenCV's FFmpeg has one,
    else the CPU (OpenCV falls back by itself)."""
    return [cv2.CAP_PROP_HW_ACCELERATION, cv2.VIDEO_ACCELERATION_ANY] if hw_decode else []


def open_capture(path: str | Path, *, hw_decode: bool = False) -> cv2.VideoCapture:
    """Open `path` with the FFmpeg backend and automatic rotation, or raise `VideoError`."""
    if not Path(path).is_file():
        raise VideoError("The video file is missing.")
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG, capture_params(hw_decode))
    if not cap.isOpened():
        cap.release()
        raise VideoError("This file is not a video that can be opened (unknown format or damaged container).")
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    return cap


def probe_video(path: str | Path, *, max_pixels: int | None = None) -> VideoInfo:
    """Read a video's metadata and decode its first frame.

    Args:
        path: The video file.
        max_pixels: Largest frame accepted, checked against the container's frame size before the first
            frame is decoded (decoding an 8K frame costs 100 MB).

    Returns:
        The video's `VideoInfo`; width and height are those of the first decoded frame (upright).

    Raises:
        VideoTooLarge: The frame has more than `max_pixels` pixels.
        VideoError: Not a video, no frame rate, or no decodable frame (empty or zero-length videos included).
    """
    cap = open_capture(path)
    try:
        declared = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        if max_pixels is not None:
            _check_pixels(*declared, max_pixels)
        fps = float(cap.get(cv2.CAP_PROP_FPS))
        frames_total = max(0, int(cap.get(cv2.CAP_PROP_FRAME_COUNT)))
        rotation = int(cap.get(cv2.CAP_PROP_ORIENTATION_META)) % 360
        ok, frame = cap.read()
    finally:
        cap.release()
    if not ok or frame is None:
        if frames_total == 0:
            raise VideoError("The video is empty: it has no frames.")
        raise VideoError("The video has no decodable frame (its video stream is damaged or uses an unsupported codec).")
    if not math.isfinite(fps) or fps <= 0 or fps > 1000:
        raise VideoError("The video has no valid frame rate.")
    height, width = frame.shape[:2]
    if max_pixels is not None:  # the decoded frame, in case the container understated it
        _check_pixels(width, height, max_pixels)
    return VideoInfo(
        frames_total=frames_total,
        fps=fps,
        duration_s=frames_total / fps,
        width=width,
        height=height,
        rotation=rotation,
    )


def _check_pixels(width: int, height: int, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise VideoTooLarge(
            f"The video is {width}x{height} pixels, larger than the {max_pixels / 1e6:.1f} megapixels allowed."
        )


def _descriptors(path: Path) -> set[int]:
    """This process's open file descriptors on `path` (Linux's /proc/self/fd; none where there is no /proc)."""
    target = os.path.realpath(path)
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return set()
    found = set()
    for name in names:
        try:
            if os.readlink(f"/proc/self/fd/{name}") == target:
                found.add(int(name))
        except OSError:  # closed meanwhile
            continue
    return found


class _ReadShare:
    """How far into a file FFmpeg has read, as a share of its size (the way `pv -d` watches another process):
    the offset of the descriptor that opening the capture added, less the block FFmpeg reads ahead. Call it from
    the thread that reads the capture only (lseek by 0 from SEEK_CUR reads the offset without moving it)."""

    def __init__(self, path: Path, added: set[int]) -> None:
        self.descriptor = next(iter(added)) if len(added) == 1 else None
        self.size = path.stat().st_size

    def __call__(self) -> float:
        """The share read so far, 0-1; 0 when the capture's descriptor is not known."""
        if self.descriptor is None or self.size <= 0:
            return 0.0
        try:
            position = os.lseek(self.descriptor, 0, os.SEEK_CUR)
        except OSError:
            return 0.0
        return min(1.0, max(0, position - FFMPEG_READ_BLOCK) / self.size)


class FrameSampler:
    """Iterate over a video's sampled frames, by time (`sample_fps`) or every `stride`-th frame.

    Frames between samples are skipped with `grab()`; only sampled ones are `retrieve()`d. Decoding stops
    at the first frame that does not decode; `truncated` and `message` then say how much was read. Iterating
    raises `VideoTooLarge` past `max_frames` decoded frames.

    Attributes:
        info: The probed `VideoInfo`.
        step: Frames between consecutive samples (fractional when sampling by time).
        frames_decoded: Frames decoded so far (all of them once iteration has ended).
        decode_s: Seconds spent in `grab()`/`retrieve()`.

    Example:
        >>> sampler = FrameSampler("walk.mp4", sample_fps=5)
        >>> for sample in sampler:
        ...     sample.frame.shape, sample.t, sample.weight
        ((720, 1280, 3), 0.0, 0.2)
    """

    def __init__(
        self,
        path: str | Path,
        *,
        sample_fps: float = 5.0,
        stride: int | None = None,
        info: VideoInfo | None = None,
        max_frames: int | None = None,
        hw_decode: bool = False,
    ) -> None:
        if stride is not None and stride < 1:
            raise ValueError("stride must be at least 1")
        if stride is None and sample_fps <= 0:
            raise ValueError("sample_fps must be positive")
        self.path = Path(path)
        self.info = info or probe_video(path)
        self.max_frames, self.hw_decode = max_frames, hw_decode
        self.step = float(stride) if stride is not None else max(1.0, self.info.fps / sample_fps)
        self.frames_decoded = 0
        self.decode_s = 0.0
        self._finished = False

    @property
    def duration_s(self) -> float:
        """Seconds of video decoded (`frames_decoded / fps`)."""
        return self.frames_decoded / self.info.fps

    @property
    def truncated(self) -> bool:
        """Whether decoding stopped well before the container's frame count."""
        expected = self.info.frames_total
        return self._finished and self.frames_decoded < expected - max(TRUNCATION_TOLERANCE, expected // 100)

    @property
    def message(self) -> str | None:
        """A sentence about truncation for the person who uploaded the video, or None."""
        if not self.truncated:
            return None
        return (
            f"The video is truncated or damaged: decoding stopped after {self.frames_decoded} of "
            f"{self.info.frames_total} frames ({self.duration_s:.1f} s of {self.info.duration_s:.1f} s); "
            "the decoded part was processed."
        )

    def __iter__(self) -> Iterator[Sample]:
        fps = self.info.fps
        before = _descriptors(self.path)
        cap = open_capture(self.path, hw_decode=self.hw_decode)
        read_share = _ReadShare(self.path, _descriptors(self.path) - before)
        pending: tuple[int, np.ndarray, float] | None = None  # the last sample, waiting for the next one (its weight)
        taken, next_index, index = 0, 0, 0
        try:
            while True:
                started = time.perf_counter()
                ok, frame = cap.grab(), None
                if ok and index == next_index:
                    ok, frame = cap.retrieve()
                self.decode_s += time.perf_counter() - started
                if not ok:
                    break
                if self.max_frames is not None and index >= self.max_frames:  # the container understated its length
                    raise VideoTooLarge(f"The video has more than the {self.max_frames:,} frames allowed.")
                self.frames_decoded = index + 1
                if frame is not None:
                    if pending is not None:
                        yield Sample(pending[0], pending[0] / fps, (index - pending[0]) / fps, pending[1], pending[2])
                    pending = (index, frame, read_share())
                    taken += 1
                    next_index = round(taken * self.step)
                index += 1
        finally:
            cap.release()
        self._finished = True
        if pending is not None:
            yield Sample(pending[0], pending[0] / fps, (self.frames_decoded - pending[0]) / fps, pending[1], pending[2])


class MedianBackground:
    """Per-pixel median of a bounded, evenly spread subset of the frames offered to it.

    Every `every`-th offered frame is kept; when `2 * max_frames // 2` are kept, every other one is dropped
    and `every` doubles, so the kept frames stay evenly spread over the stream without knowing its length.
    Kept frames are downscaled to at most `max_pixels`; the median is scaled back to the full size.

    Example:
        >>> background = MedianBackground()
        >>> for sample in FrameSampler("walk.mp4"):
        ...     background.offer(sample.frame)
        >>> background.result().shape
        (720, 1280, 3)
    """

    def __init__(self, *, max_frames: int = 32, max_pixels: int = 1280 * 720) -> None:
        self.max_frames = max(2, max_frames)
        self.max_pixels = max_pixels
        self.every = 1
        self._offered = 0
        self._frames: list[np.ndarray] = []
        self._shape: tuple[int, ...] | None = None

    def offer(self, frame: np.ndarray) -> None:
        """Consider one (H, W, 3) uint8 frame; all frames must have the same shape."""
        if self._shape is None:
            self._shape = frame.shape
        elif frame.shape != self._shape:
            raise ValueError(f"frame shape {frame.shape} differs from the first one {self._shape}")
        if self._offered % self.every == 0:
            height, width = frame.shape[:2]
            scale = math.sqrt(self.max_pixels / (height * width))
            if scale < 1:
                size = (max(1, round(width * scale)), max(1, round(height * scale)))
                frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
            self._frames.append(frame)
            if len(self._frames) >= self.max_frames:
                self._frames = self._frames[::2]
                self.every *= 2
        self._offered += 1

    def result(self) -> np.ndarray:
        """The median frame, (H, W, 3) uint8 at the offered frames' size.

        Raises:
            ValueError: When no frame was offered.
        """
        if self._shape is None:
            raise ValueError("no frame was offered")
        median = median_frames(self._frames)
        height, width = self._shape[:2]
        if median.shape[:2] != (height, width):
            median = cv2.resize(median, (width, height), interpolation=cv2.INTER_LINEAR)
        return median


def median_frames(frames: list[np.ndarray]) -> np.ndarray:
    """Exact per-pixel median of same-shape uint8 images (mean of the two middle values for an even count).

    Uses a bitonic sorting network of element-wise min/max, about 10x faster than `np.median` over a
    stack; the list is padded to a power of two with 255s, which sort last and leave the low ranks alone.

    Args:
        frames: n >= 1 arrays of one shape, uint8.

    Returns:
        An array of that shape, uint8.
    """
    n = len(frames)
    size = 1 << (n - 1).bit_length()
    values = [frame.copy() for frame in frames] + [np.full_like(frames[0], 255) for _ in range(size - n)]
    spare = np.empty_like(frames[0])
    for low, high in _bitonic_pairs(size):
        np.minimum(values[low], values[high], out=spare)
        np.maximum(values[low], values[high], out=values[high])
        values[low], spare = spare, values[low]
    middle = (n - 1) // 2
    if n % 2:
        return np.asarray(values[middle])
    mean: np.ndarray = (values[middle].astype(np.uint16) + values[middle + 1] + 1) // 2
    return mean.astype(np.uint8)


def _bitonic_pairs(size: int) -> Iterator[tuple[int, int]]:
    """Compare-exchange pairs `(low, high)` of a bitonic sorting network for a power-of-two `size`."""
    block = 2
    while block <= size:
        distance = block // 2
        while distance:
            for i in range(size):
                j = i ^ distance
                if j > i:
                    yield (i, j) if i & block == 0 else (j, i)
            distance //= 2
        block *= 2


def prefetch(items: Iterable[T], depth: int) -> Iterator[T]:
    """Iterate over `items` in a background thread, up to `depth` ahead of the consumer.

    OpenCV releases the GIL while decoding, so decoding overlaps with the caller's work (model inference).
    Exceptions raised by `items` re-raise in the consumer; closing the returned generator stops the thread.

    Args:
        items: Any iterable; it is consumed in the background thread only.
        depth: Items buffered at most (>= 1).

    Yields:
        The items, in order.
    """
    buffer: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def put(message: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                buffer.put(message, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        iterator = iter(items)
        try:
            for item in iterator:
                if not put(("item", item)):
                    return
            put(("end", None))
        except BaseException as error:  # noqa: BLE001  re-raised in the consumer
            put(("error", error))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=produce, name="video-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            kind, payload = buffer.get()
            if kind == "end":
                return
            if kind == "error":
                raise payload
            yield payload
    finally:
        stop.set()
        worker.join()
