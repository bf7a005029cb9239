"""People detection and tracking over a video: the heatmap job's pipeline up to `Tracks`.

`analyze_video` decodes sampled frames (in a background thread), runs a detector on batches of them,
feeds each frame's detections to ByteTrack strictly in frame order, builds the median background and the
summary figures. The model is passed in (see `app.vision.models`); ultralytics is imported lazily.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from app.vision.heatmap import Tracks, summarize
from app.vision.models import set_torch_threads
from app.vision.video import FrameSampler, MedianBackground, Sample, VideoError, prefetch, probe_video

__all__ = [
    "AnalysisCancelled",
    "Detections",
    "Detector",
    "Timing",
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

    def as_dict(self) -> dict[str, float]:
        return {name: round(value, 4) for name, value in asdict(self).items()}


@dataclass(frozen=True)
class VideoAnalysis:
    """Result of `analyze_video`.

    Attributes:
        tracks: Per-sample detections with track ids (`background` set).
        background: (H, W, 3) uint8 BGR median background.
        summary: `frames_total`, `frames_sampled`, `frames_decoded`, `duration_s`, `fps`, `sample_fps`, `width`,
            `height`, `rotation`, `people_unique`, `people_peak`, `people_mean`, `people_per_second`,
            `truncated`, `message`.
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
    on_progress: Callable[[float], bool] | None = None,
    progress_interval_s: float = 0.5,
    track_seconds: float = 2.0,
    background_frames: int = 32,
    decode_ahead: bool = True,
) -> VideoAnalysis:
    """Detect and track people over a video's sampled frames.

    Args:
        path: The video.
        detector: Finds people in batches of frames (e.g. `YoloPeopleDetector`).
        sample_fps: Samples per second of video (ignored when `stride` is given).
        stride: Take every `stride`-th frame instead.
        max_seconds: Longest video accepted.
        max_pixels: Largest frame (width x height) accepted.
        on_progress: Called with the fraction of frames decoded, at most once per batch and every
            `progress_interval_s`, and with 1.0 at the end; returning False cancels.
        progress_interval_s: Minimum seconds between progress calls.
        track_seconds: How long ByteTrack remembers a lost person.
        background_frames: Frames kept for the median background at most.
        decode_ahead: Decode in a background thread, up to two batches ahead of the detector (and within
            `PREFETCH_BYTES`), so decoding overlaps inference; False decodes on the calling thread.

    Returns:
        The `VideoAnalysis`.

    Raises:
        VideoError: Not a video, no decodable frame, or past `max_seconds` / `max_pixels`.
        AnalysisCancelled: `on_progress` returned False.
    """
    started = time.perf_counter()
    timing = Timing()
    info = probe_video(path)
    if max_pixels is not None and info.width * info.height > max_pixels:
        raise VideoError(
            f"The video is {info.width}x{info.height} pixels, "
            f"larger than the {max_pixels / 1e6:.1f} megapixels allowed."
        )
    if max_seconds is not None and info.duration_s > max_seconds:
        raise VideoError(f"The video lasts {info.duration_s:.0f} s, longer than the {max_seconds:.0f} s allowed.")
    sampler = FrameSampler(path, sample_fps=sample_fps, stride=stride, info=info)
    tracker = make_tracker(conf=detector.conf, samples_per_second=info.fps / sampler.step, track_seconds=track_seconds)
    background = MedianBackground(max_frames=background_frames)
    depth = max(1, min(2 * detector.batch, PREFETCH_BYTES // (info.width * info.height * 3)))
    samples: list[tuple[int, float, float]] = []
    rows: list[tuple[int, float, int, np.ndarray, float]] = []
    last_progress = -float("inf")

    batches = _batched(prefetch(sampler, depth) if decode_ahead else iter(sampler), detector.batch)
    try:
        while True:
            waited = time.perf_counter()
            batch = next(batches, None)
            timing.decode_wait += time.perf_counter() - waited
            if batch is None:
                break
            if max_seconds is not None and batch[-1].t > max_seconds:
                raise VideoError(f"The video lasts longer than the {max_seconds:.0f} s allowed.")
            inferred = time.perf_counter()
            detections = detector([sample.frame for sample in batch])
            timing.inference += time.perf_counter() - inferred
            tracked = time.perf_counter()
            for sample, found in zip(batch, detections, strict=True):
                samples.append((sample.index, sample.t, sample.weight))
                for track in tracker.update(found, sample.frame):  # [x1, y1, x2, y2, id, score, cls, index]
                    i = int(track[7])  # keep the detector's box and confidence, not the Kalman estimate
                    rows.append((sample.index, sample.t, int(track[4]), found.xyxy[i], float(found.conf[i])))
            timing.tracking += time.perf_counter() - tracked
            for sample in batch:
                background.offer(sample.frame)
            now = time.perf_counter()
            if on_progress is not None and now - last_progress >= progress_interval_s:
                last_progress = now
                if not on_progress(_fraction(batch[-1], sampler)):
                    raise AnalysisCancelled("cancelled")
    finally:
        batches.close()
    if not samples:
        raise VideoError("The video has no decodable frame.")

    image = background.result()
    frame_index, sample_t, sample_weight = (np.array(column) for column in zip(*samples, strict=True))
    tracks = Tracks(
        width=info.width,
        height=info.height,
        sample_t=sample_t,
        sample_frame=frame_index,
        sample_weight=sample_weight,
        t=np.array([row[1] for row in rows], np.float64),
        frame=np.array([row[0] for row in rows], np.int64),
        track_id=np.array([row[2] for row in rows], np.int64),
        xyxy=np.array([row[3] for row in rows], np.float32).reshape(-1, 4),
        conf=np.array([row[4] for row in rows], np.float32),
        background=image,
    )
    summary = {
        "frames_total": info.frames_total or sampler.frames_decoded,
        "frames_sampled": len(samples),
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
    if on_progress is not None and not on_progress(1.0):
        raise AnalysisCancelled("cancelled")
    timing.decode = sampler.decode_s
    timing.total = time.perf_counter() - started
    timing.other = timing.total - timing.inference - timing.tracking - timing.decode_wait
    return VideoAnalysis(tracks=tracks, background=image, summary=summary, timing=timing)


def _fraction(sample: Sample, sampler: FrameSampler) -> float:
    """Progress after `sample`: frames decoded over the container's count (0 when it has none)."""
    total = sampler.info.frames_total
    return min(1.0, (sample.index + 1) / total) if total else 0.0


def _batched(samples: Iterator[Sample], size: int) -> Iterator[list[Sample]]:
    """Group `samples` into lists of `size` (the last one shorter); closing this closes `samples`."""
    batch: list[Sample] = []
    try:
        for sample in samples:
            batch.append(sample)
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            yield batch
    finally:
        close = getattr(samples, "close", None)
        if close is not None:
            close()
