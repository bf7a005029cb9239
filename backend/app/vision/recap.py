"""The recap video: the heat of a video's time slices accumulating over its background, with a clock.

`recap_frames` is pure numpy/OpenCV; `write_mp4` encodes frames with PyAV (libx264, yuv420p, `+faststart`:
an MP4 that browsers play while it downloads).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from pathlib import Path

import av
import cv2
import numpy as np

from app.vision.render import DEFAULT_COLORMAP, DEFAULT_OPACITY, Colormap, colour_over

#: The recap lasts at most this long (and no longer than the video).
RECAP_MAX_SECONDS = 30.0
RECAP_FPS = 10
#: Longer frame side of the recap, in pixels (the background is scaled down to it, never up).
RECAP_MAX_SIDE = 960


def recap_size(width: int, height: int, *, max_side: int = RECAP_MAX_SIDE) -> tuple[int, int]:
    """(width, height) of the recap: the frame's aspect scaled to at most `max_side`, both even (H.264's
    4:2:0 needs them even)."""
    scale = min(1.0, max_side / max(width, height))
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def recap_frames(
    slices: np.ndarray,
    background: np.ndarray,
    *,
    slice_s: float,
    end_s: float,
    colormap: Colormap = DEFAULT_COLORMAP,
    opacity: float = DEFAULT_OPACITY,
    fps: int = RECAP_FPS,
    max_seconds: float = RECAP_MAX_SECONDS,
) -> Iterator[np.ndarray]:
    """Frames of the heat building up slice by slice over the background, with the video's clock.

    Each slice is faded in over an equal share of the recap's frames; every frame shares the scale of the
    finished heatmap (its 99th percentile), so the colours only grow.

    Args:
        slices: (T, h, w) person-seconds per slice (`heat.heat_slices`).
        background: (H, W, 3) uint8 BGR.
        slice_s: Seconds of video per slice.
        end_s: Seconds of video in all (the clock's last reading).
        colormap: A key of `render.COLORMAPS`.
        opacity: Blend weight of the colours.
        fps: Frames per second of the recap.
        max_seconds: The recap lasts at most this long, and at most `end_s`.

    Yields:
        (H', W', 3) uint8 BGR frames, `recap_size` of the background; `len(slices) * hold` of them with
        `hold = max(1, floor(min(max_seconds, end_s) * fps / T))`.
    """
    width, height = recap_size(background.shape[1], background.shape[0])
    scene = cv2.resize(background, (width, height), interpolation=cv2.INTER_AREA)
    total = slices.sum(axis=0)
    top = float(np.percentile(total[total > 0], 99)) if (total > 0).any() else 1.0
    hold = max(1, math.floor(min(max_seconds, end_s) * fps / len(slices)))
    done = np.zeros(slices.shape[1:], np.float32)
    for k, current in enumerate(slices):
        for step in range(1, hold + 1):
            heat = done + current * (step / hold)
            value = cv2.resize(np.clip(heat / top, 0, 1), (width, height), interpolation=cv2.INTER_LINEAR)
            frame = colour_over(value, scene, colormap=colormap, opacity=opacity)
            yield _with_clock(frame, min(end_s, (k + step / hold) * slice_s))
        done += current


def _with_clock(frame: np.ndarray, seconds: float) -> np.ndarray:
    """The frame with `h:mm:ss` (or `m:ss`) of the video in its top-left corner, on a dark box."""
    whole = int(seconds)
    hours, minutes, secs = whole // 3600, whole // 60 % 60, whole % 60
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    font, scale = cv2.FONT_HERSHEY_SIMPLEX, max(0.4, frame.shape[0] / 500)
    thickness = max(1, round(scale * 1.5))
    (text_w, text_h), baseline = cv2.getTextSize(text, font, scale, thickness)
    margin = max(4, frame.shape[0] // 60)
    cv2.rectangle(frame, (0, 0), (text_w + 2 * margin, text_h + baseline + 2 * margin), (24, 24, 24), -1)
    cv2.putText(frame, text, (margin, margin + text_h), font, scale, (240, 240, 240), thickness, cv2.LINE_AA)
    return frame


def write_mp4(path: Path, frames: Iterable[np.ndarray], *, fps: int = RECAP_FPS, threads: int = 0) -> int:
    """Encode BGR frames of one even size into an H.264 MP4 (yuv420p, moov atom first) at `path`.

    Args:
        path: The file to write (its name need not end in `.mp4`).
        frames: (H, W, 3) uint8 BGR frames, H and W even.
        fps: Frames per second.
        threads: Encoder threads (0: the encoder's choice).

    Returns:
        The number of frames written.
    """
    count = 0
    with av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"}) as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "23", "preset": "veryfast"}
        stream.codec_context.thread_count = threads
        for frame in frames:
            if count == 0:
                stream.width, stream.height = frame.shape[1], frame.shape[0]
            container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="bgr24")))
            count += 1
        container.mux(stream.encode(None))
    return count
