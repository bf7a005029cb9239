"""People detection and tracking over a video: the heatmap job's pipeline up to `Tracks`.

`analyze_video` decodes sampled frames and tests them for motion (in a background thread), runs a detector on
batches of the frames that moved (a still frame reuses the last detections), feeds each frame's detections to
ByteTrack strictly in frame order, builds the median background and the summary figures. The model is passed
in (see `app.vision.models`); ultralytics is imported lazily.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from app.vision.models import set_torch_threads
from app.vision.motion import Motion, MotionGate, gate_samples
from app.vision.tracks import Tracks, summarize
from app.vision.video import (
    FrameSampler,
    MedianBackground,
    Sample,
    VideoError,
    VideoInfo,
    prefetch,
    probe_video,
)

__all__ = [
    "AnalysisCancelled",
    "Detections",
    "Detector",
    "Timing",
    "TrackedBoxes",
    "VideoAnalysis",
    "VideoError",
    "YoloPeopleDetector",
    "analyze_video",
    "make_tracker",
]

#: Detections down to this confidence reach the tracker, for ByteTrack's second (low-score) association;
#: only detections at or above the detector's `conf` start or confirm tracks.
TRACK_LOW_CONF = 0.1
#: Decoded frames buffered ahead of the detector at most, in bytes.
PREFETCH_BYTES = 256 * 1024 * 1024
#: Samples per detector call at most, as a multiple of its batch: still samples ride along with the moving ones
#: (a mostly still video still fills the detector's batches), as far as `PREFETCH_BYTES` allows.
GATED_SAMPLES_PER_BATCH = 8


#: A sampled frame and whether the detector runs on it.
GatedSample = tuple[Sample, bool]


class AnalysisCancelled(Exception):
    """`on_progress` returned False: the caller asked to stop."""


@dataclass(frozen=True)
class Detections:
    """One frame's person detections, in the shape ultralytics' trackers read (`conf`, `cls`, `xywh`).

    Attributes:
        xyxy: (N, 4) float32 boxes in pixels.
        conf: (N,) float32 confidences.
    """

    xyxy: np.ndarray
    conf: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "xyxy", np.asarray(self.xyxy, np.float32).reshape(-1, 4))
        object.__setattr__(self, "conf", np.asarray(self.conf, np.float32).reshape(-1))
        if len(self.xyxy) != len(self.conf):
            raise ValueError(f"{len(self.xyxy)} boxes but {len(self.conf)} confidences")

    @classmethod
    def empty(cls) -> Detections:
        return cls(np.zeros((0, 4), np.float32), np.zeros(0, np.float32))

    def __len__(self) -> int:
        return len(self.conf)

    def __getitem__(self, index: np.ndarray) -> Detections:
        return Detections(self.xyxy[index], self.conf[index])

    @property
    def cls(self) -> np.ndarray:
        """(N,) float32 zeros: one class, person."""
        return np.zeros(len(self), np.float32)

    @property
    def xywh(self) -> np.ndarray:
        """(N, 4) float32 centre x, centre y, width, height."""
        x1, y1, x2, y2 = self.xyxy.T
        return np.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], axis=1)


class Detector(Protocol):
    """Finds people in a batch of frames.

    Attributes:
        batch: Frames per call that suit it best.
        conf: Confidence from which a detection starts or confirms a track.
    """

    batch: int
    conf: float

    def __call__(self, frames: Sequence[np.ndarray]) -> list[Detections]:
        """(H, W, 3) uint8 BGR frames -> one `Detections` per frame, in order."""
        ...


class YoloPeopleDetector:
    """An ultralytics YOLO detection model restricted to its person classes, run on batches of frames.

    Args:
        model: A loaded `ultralytics.YOLO` detection model.
        person_classes: Class names that are people (e.g. `("person",)` or `("Normal", "Fall")`).
        conf: Track confidence; detections down to `min(conf, TRACK_LOW_CONF)` are returned.
        imgsz: Inference size (long side).
        device: `cpu`, `cuda:0`, ...; half precision is used on CUDA.
        batch: Frames per inference call.
        threads: torch intra-op threads to pin after each call (ultralytics lowers them to
            `cpu_count - 1` when its predictor starts); None leaves them alone.

    A class matches by name or by its index written as text (`"0"`). A model without class names (built
    from a YAML: names `"0"`, `"1"`, ...) with COCO's 80 classes is read with COCO's names, so untrained
    `yolov8n.yaml` weights still have a `person` class.

    Raises:
        ValueError: When the model has none of `person_classes`.

    Example:
        >>> loaded = load_yolo("yolov8n.pt", models_dir, "cpu")
        >>> detector = YoloPeopleDetector(loaded.model, person_classes=("person",), device=loaded.device)
        >>> [len(d) for d in detector([frame1, frame2])]
        [3, 4]
    """

    def __init__(
        self,
        model: Any,
        *,
        person_classes: Sequence[str] = ("person",),
        conf: float = 0.25,
        imgsz: int = 640,
        device: str = "cpu",
        batch: int = 4,
        threads: int | None = None,
    ) -> None:
        names = _class_names(model)
        wanted = set(person_classes)
        self.class_ids = [index for index, name in names.items() if name in wanted or str(index) in wanted]
        if not self.class_ids:
            wanted_text, known = ", ".join(person_classes), list(names.values())
            raise ValueError(f"the model has no class named {wanted_text} (it has {known})")
        self.model = model
        self.conf, self.imgsz, self.device, self.batch, self.threads = conf, imgsz, device, max(1, batch), threads

    def __call__(self, frames: Sequence[np.ndarray]) -> list[Detections]:
        results = self.model.predict(
            list(frames),
            imgsz=self.imgsz,
            conf=min(self.conf, TRACK_LOW_CONF),
            classes=self.class_ids,
            device=self.device,
            verbose=False,
            **({"quantize": 16} if self.device.startswith("cuda") else {}),
        )
        if self.threads:
            set_torch_threads(self.threads)
        return [Detections(r.boxes.xyxy.cpu().numpy(), r.boxes.conf.cpu().numpy()) for r in results]


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) IoU of `xyxy` boxes."""
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.clip(bottom_right - top_left, 0, None).prod(axis=2)
    area_a, area_b = (a[:, 2:] - a[:, :2]).prod(axis=1), (b[:, 2:] - b[:, :2]).prod(axis=1)
    iou: np.ndarray = inter / (area_a[:, None] + area_b[None, :] - inter)
    return iou


def boxes_matched(
    found: Sequence[Detections], others: Sequence[Detections], *, iou: float = 0.9, conf: float = 0.3
) -> tuple[int, int]:
    """How many of `found` (per frame, confidence >= `conf`) have a box in `others` (>= `conf` - 0.1) with IoU
    above `iou`, of how many. The band between the two thresholds absorbs detections whose confidence moves
    across one threshold."""
    matched = total = 0
    for mine, theirs in zip(found, others, strict=True):
        mine_xyxy, theirs_xyxy = mine.xyxy[mine.conf >= conf], theirs.xyxy[theirs.conf >= conf - 0.1]
        total += len(mine_xyxy)
        if len(mine_xyxy) and len(theirs_xyxy):
            matched += int((box_iou(mine_xyxy, theirs_xyxy).max(axis=1) > iou).sum())
    return matched, total


@dataclass(frozen=True)
class DetectorAgreement:
    """Whether two versions of a people detector (float, INT8) find the same people on the same frames: each
    one's boxes matched by the other's (`boxes_matched`) for at least `share` of them, in both directions, and as
    many boxes (within `share`) at `track_conf`, the tracker's threshold (an INT8 copy whose confidences all move up
    matches every box yet tracks more people), with at least `min_boxes` boxes to compare, else None
    (`app.vision.models.Calibration.agreement`)."""

    person_classes: tuple[str, ...]
    imgsz: int
    batch: int = 4
    iou: float = 0.9
    share: float = 0.95
    min_boxes: int = 10
    track_conf: float = 0.25

    def __call__(self, model: Any, other: Any, frames: Sequence[np.ndarray]) -> tuple[bool | None, str]:
        found = []
        for candidate in (model, other):
            detector = YoloPeopleDetector(candidate, person_classes=self.person_classes, imgsz=self.imgsz)
            found.append(
                [d for start in range(0, len(frames), self.batch) for d in detector(frames[start : start + self.batch])]
            )
        return self.compare(found[0], found[1])

    def compare(self, found: Sequence[Detections], others: Sequence[Detections]) -> tuple[bool | None, str]:
        """The verdict on two detectors' results on the same frames, with the figures."""
        (ours, total), (theirs, their_total) = (
            boxes_matched(found, others, iou=self.iou),
            boxes_matched(others, found, iou=self.iou),
        )
        tracked = [sum(int((d.conf >= self.track_conf).sum()) for d in detections) for detections in (found, others)]
        figures = (
            f"{ours} of {total} and {theirs} of {their_total} boxes matched (IoU > {self.iou:g}), {tracked[0]} and "
            f"{tracked[1]} boxes at the tracking confidence {self.track_conf:g}, {len(found)} frames"
        )
        if min(total, their_total) < self.min_boxes:
            return None, f"{figures}: too few people to compare"
        as_many_tracked = min(tracked) >= self.share * max(tracked)
        return min(ours / total, theirs / their_total) >= self.share and as_many_tracked, figures


def calibration_frames(
    path: str | Path, count: int, *, span_s: float = 60.0, hw_decode: bool = False
) -> list[np.ndarray]:
    """`count` frames spread evenly over a video's first `span_s` seconds (to quantise a detector on)."""
    info = probe_video(path)
    seconds = min(info.duration_s, span_s) or 1.0
    sampler = FrameSampler(path, sample_fps=count / seconds, info=info, hw_decode=hw_decode)
    frames = []
    for sample in sampler:
        frames.append(sample.frame)
        if len(frames) == count:
            break
    return frames


def _class_names(model: Any) -> dict[int, str]:
    """The model's class names, or COCO's when it has only placeholder names for COCO's 80 classes."""
    names = {int(index): str(name) for index, name in dict(model.names).items()}
    if all(name == str(index) for index, name in names.items()):
        from ultralytics.utils import YAML
        from ultralytics.utils.checks import check_yaml

        coco = YAML.load(check_yaml("coco.yaml"))["names"]
        if len(coco) == len(names):
            return {int(index): str(name) for index, name in coco.items()}
    return names


def make_tracker(*, conf: float, samples_per_second: float, track_seconds: float = 2.0) -> Any:
    """A fresh ultralytics `BYTETracker` tuned for sampled frames.

    Args:
        conf: Confidence from which detections start and confirm tracks.
        samples_per_second: Sampling rate, to express the lost-track memory in samples.
        track_seconds: How long a lost track can be found again.

    Returns:
        The tracker; call `update(detections, frame)` once per sample, in frame order.
    """
    from ultralytics.trackers.byte_tracker import BYTETracker
    from ultralytics.utils import YAML, IterableSimpleNamespace
    from ultralytics.utils.checks import check_yaml

    settings = YAML.load(check_yaml("bytetrack.yaml"))
    settings.update(
        track_high_thresh=conf,
        new_track_thresh=conf,
        track_low_thresh=min(conf, TRACK_LOW_CONF),
        track_buffer=max(1, round(track_seconds * samples_per_second)),
    )
    return BYTETracker(IterableSimpleNamespace(**settings))


@dataclass
class Timing:
    """Where the time went, in seconds.

    Attributes:
        total: Wall time of `analyze_video`.
        inference: Inside the detector (pre/post-processing included).
        tracking: ByteTrack updates.
        decode_wait: The pipeline waiting for decoded frames.
        decode: Decoding itself (in the background thread, overlapping the rest).
        other: Everything else on the pipeline's thread (probe, background median, summary, progress).
    """

    total: float = 0.0
    inference: float = 0.0
    tracking: float = 0.0
    decode_wait: float = 0.0
    decode: float = 0.0
    other: float = 0.0

    @contextmanager
    def measure(self, part: Literal["inference", "tracking", "decode_wait"]) -> Iterator[None]:
        """Add the time spent inside the `with` block to `part`."""
        started = time.perf_counter()
        try:
            yield
        finally:
            setattr(self, part, getattr(self, part) + time.perf_counter() - started)

    def as_dict(self) -> dict[str, float]:
        return {name: round(value, 4) for name, value in asdict(self).items()}


@dataclass(frozen=True)
class VideoAnalysis:
    """Result of `analyze_video`.

    Attributes:
        tracks: Per-sample detections with track ids (`background` set).
        background: (H, W, 3) uint8 BGR median background.
        summary: `frames_total`, `frames_sampled`, `frames_detected`, `frames_reused`, `frames_decoded`,
            `duration_s`, `fps`, `sample_fps`, `width`, `height`, `rotation`, `people_unique`, `people_peak`,
            `people_mean`, `people_per_second`, `truncated`, `message`.
        timing: Where the time went.
    """

    tracks: Tracks
    background: np.ndarray
    summary: dict[str, Any]
    timing: Timing


def analyze_video(
    path: str | Path,
    detector: Detector,
    *,
    sample_fps: float = 5.0,
    stride: int | None = None,
    max_seconds: float | None = None,
    max_pixels: int | None = None,
    max_frames: int | None = None,
    on_progress: Callable[[float], bool] | None = None,
    progress_interval_s: float = 0.5,
    track_seconds: float = 2.0,
    background_frames: int = 32,
    decode_ahead: bool = True,
    hw_decode: bool = False,
    motion: Motion | None = None,
) -> VideoAnalysis:
    """Detect and track people over a video's sampled frames.

    Args:
        path: The video.
        detector: Finds people in batches of frames (e.g. `YoloPeopleDetector`).
        sample_fps: Samples per second of video (ignored when `stride` is given).
        stride: Take every `stride`-th frame instead.
        max_seconds: Longest video accepted.
        max_pixels: Largest frame (width x height) accepted.
        max_frames: Most frames decoded (every frame is decoded, sampled or not).
        on_progress: Called with the fraction of the video read (frames, or the file's bytes when further on),
            at most once per batch and every `progress_interval_s`, and with 1.0 at the end; returning False
            cancels.
        progress_interval_s: Minimum seconds between progress calls.
        track_seconds: How long ByteTrack remembers a lost person.
        background_frames: Frames kept for the median background at most.
        decode_ahead: Decode in a background thread, up to two batches ahead of the detector (and within
            `PREFETCH_BYTES`), so decoding overlaps inference; False decodes on the calling thread.
        hw_decode: Decode on the GPU where OpenCV's FFmpeg can (see `video.capture_params`).
        motion: Run the detector only on the samples that moved by these thresholds (see `MotionGate`); a
            still one reuses the last detections, fed to the tracker again. None detects every sample.

    Returns:
        The `VideoAnalysis`.

    Raises:
        VideoError: Not a video, no decodable frame, or past `max_seconds` / `max_pixels` / `max_frames`.
        AnalysisCancelled: `on_progress` returned False.
    """
    started = time.perf_counter()
    timing = Timing()
    info = _probe_within_limits(path, max_seconds=max_seconds, max_pixels=max_pixels, max_frames=max_frames)
    sampler = FrameSampler(
        path, sample_fps=sample_fps, stride=stride, info=info, max_frames=max_frames, hw_decode=hw_decode
    )
    samples_per_second = info.fps / sampler.step
    tracker = make_tracker(conf=detector.conf, samples_per_second=samples_per_second, track_seconds=track_seconds)
    gate = MotionGate(motion, samples_per_second=samples_per_second) if motion is not None else None
    background = MedianBackground(max_frames=background_frames)
    frames_within = PREFETCH_BYTES // (info.width * info.height * 3)
    per_batch = (
        detector.batch
        if gate is None
        else max(detector.batch, min(GATED_SAMPLES_PER_BATCH * detector.batch, frames_within))
    )
    depth = max(1, min(2 * per_batch, frames_within))
    gated = gate_samples(sampler, gate)  # in the decoding thread when decoding ahead
    batches = _batched(prefetch(gated, depth) if decode_ahead else gated, detector.batch, per_batch)
    progress = _Progress(on_progress, progress_interval_s, sampler)
    collected = _TrackRows()
    try:
        while (batch := _next_batch(batches, timing)) is not None:
            last = batch[-1][0]
            if max_seconds is not None and last.t > max_seconds:
                raise VideoError(f"The video lasts longer than the {max_seconds:.0f} s allowed.")
            _detect_and_track(batch, detector, tracker, collected, timing)
            for sample, _ in batch:
                background.offer(sample.frame)
            progress.report(last)
    finally:
        batches.close()
    if not collected.samples:
        raise VideoError("The video has no decodable frame.")
    tracks = collected.tracks(info, image := background.result())
    summary = _summary(info, sampler, tracks, detected=collected.detected)
    progress.finish()
    timing.decode = sampler.decode_s
    timing.total = time.perf_counter() - started
    timing.other = timing.total - timing.inference - timing.tracking - timing.decode_wait
    return VideoAnalysis(tracks=tracks, background=image, summary=summary, timing=timing)


def _probe_within_limits(
    path: str | Path, *, max_seconds: float | None, max_pixels: int | None, max_frames: int | None
) -> VideoInfo:
    """The video's `VideoInfo`, or `VideoError` when it is larger, longer or has more frames than allowed."""
    info = probe_video(path, max_pixels=max_pixels)
    if max_seconds is not None and info.duration_s > max_seconds:
        raise VideoError(f"The video lasts {info.duration_s:.0f} s, longer than the {max_seconds:.0f} s allowed.")
    if max_frames is not None and info.frames_total > max_frames:
        raise VideoError(f"The video has {info.frames_total:,} frames, more than the {max_frames:,} allowed.")
    return info


def _next_batch(batches: Iterator[list[GatedSample]], timing: Timing) -> list[GatedSample] | None:
    """The next batch of decoded samples (None at the end), the wait counted in `timing.decode_wait`."""
    with timing.measure("decode_wait"):
        return next(batches, None)


def _detect_and_track(
    batch: list[GatedSample], detector: Detector, tracker: Any, collected: _TrackRows, timing: Timing
) -> None:
    """Run the detector on the batch's samples to detect, then feed each sample's detections (a still one: the
    last detected sample's) to the tracker in frame order."""
    frames = [sample.frame for sample, detect in batch if detect]
    with timing.measure("inference"):
        detections = iter(detector(frames) if frames else [])
    with timing.measure("tracking"):
        for sample, detect in batch:
            found = next(detections) if detect else collected.last
            collected.add(sample, found, TrackedBoxes.from_bytetrack(tracker.update(found, sample.frame)), detect)


@dataclass(frozen=True)
class TrackedBoxes:
    """The tracker's output for one frame, by name.

    Attributes:
        track_id: (M,) int64 track id of each tracked detection.
        index: (M,) int64 row of that detection in the frame's `Detections`.
    """

    track_id: np.ndarray
    index: np.ndarray

    @classmethod
    def from_bytetrack(cls, rows: np.ndarray) -> TrackedBoxes:
        """Read `BYTETracker.update` rows: `[x1, y1, x2, y2, track_id, score, cls, index]`."""
        rows = np.asarray(rows, np.float64).reshape(-1, 8)
        return cls(track_id=rows[:, 4].astype(np.int64), index=rows[:, 7].astype(np.int64))


class _TrackRows:
    """Samples and their tracked detections, gathered in frame order and turned into `Tracks` at the end.

    A detection keeps the detector's box and confidence, not the tracker's Kalman estimate. Frames are not
    kept: only each sample's index, time and weight.
    """

    def __init__(self) -> None:
        self.samples: list[tuple[int, float, float]] = []
        self.found: list[tuple[np.ndarray, Detections]] = []  # per sample: track ids, their detections
        self.last = Detections.empty()  # the last detected sample's detections, for the still ones after it
        self.detected = 0

    def add(self, sample: Sample, found: Detections, tracked: TrackedBoxes, detected: bool) -> None:
        self.samples.append((sample.index, sample.t, sample.weight))
        self.found.append((tracked.track_id, found[tracked.index]))
        if detected:
            self.last, self.detected = found, self.detected + 1

    def tracks(self, info: VideoInfo, background: np.ndarray) -> Tracks:
        """The gathered `Tracks` (at least one sample), over `background`."""
        frame, t, weight = (np.array(column) for column in zip(*self.samples, strict=True))
        counts = [len(ids) for ids, _ in self.found]
        return Tracks(
            width=info.width,
            height=info.height,
            sample_t=t,
            sample_frame=frame,
            sample_weight=weight,
            t=np.repeat(t, counts),
            frame=np.repeat(frame, counts),
            track_id=np.concatenate([ids for ids, _ in self.found]),
            xyxy=np.concatenate([kept.xyxy for _, kept in self.found]),
            conf=np.concatenate([kept.conf for _, kept in self.found]),
            background=background,
        )


class _Progress:
    """Calls `on_progress` at most every `interval_s` with the fraction read (`_fraction`), and with 1.0 at the end."""

    def __init__(self, on_progress: Callable[[float], bool] | None, interval_s: float, sampler: FrameSampler) -> None:
        self.on_progress, self.interval_s, self.sampler = on_progress, interval_s, sampler
        self.last = -float("inf")

    def report(self, sample: Sample) -> None:
        now = time.perf_counter()
        if now - self.last >= self.interval_s:
            self.last = now
            self._call(_fraction(sample, self.sampler))

    def finish(self) -> None:
        self._call(1.0)

    def _call(self, fraction: float) -> None:
        if self.on_progress is not None and not self.on_progress(fraction):
            raise AnalysisCancelled("cancelled")


def _summary(info: VideoInfo, sampler: FrameSampler, tracks: Tracks, *, detected: int) -> dict[str, Any]:
    """The video's figures and head counts (see `VideoAnalysis.summary`)."""
    return {
        "frames_total": info.frames_total or sampler.frames_decoded,
        "frames_sampled": len(tracks.sample_t),
        "frames_detected": detected,
        "frames_reused": len(tracks.sample_t) - detected,
        "frames_decoded": sampler.frames_decoded,
        "duration_s": round(tracks.duration_s, 6),
        "fps": round(info.fps, 3),
        "sample_fps": round(info.fps / sampler.step, 3),
        "width": info.width,
        "height": info.height,
        "rotation": info.rotation,
        **summarize(tracks),
        "truncated": sampler.truncated,
        "message": sampler.message,
    }


def _fraction(sample: Sample, sampler: FrameSampler) -> float:
    """Progress after `sample`: frames decoded over the container's count, or the share of the file read when
    that is further on. A truncated file's header overstates its length: by frames alone the bar would stop
    where the file ends (say 48 %) and jump to done."""
    total = sampler.info.frames_total
    by_frames = (sample.index + 1) / total if total else 0.0
    return min(1.0, max(by_frames, sample.read_share))


def _batched(samples: Iterator[GatedSample], size: int, most: int) -> Generator[list[GatedSample]]:
    """Group `samples` into lists holding `size` samples to detect, or `most` samples (the last one shorter);
    closing this closes `samples`."""
    batch: list[GatedSample] = []
    to_detect = 0
    try:
        for sample in samples:
            batch.append(sample)
            to_detect += sample[1]
            if to_detect == size or len(batch) == most:
                yield batch
                batch, to_detect = [], 0
        if batch:
            yield batch
    finally:
        close = getattr(samples, "close", None)
        if close is not None:
            close()
