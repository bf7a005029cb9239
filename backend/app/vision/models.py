"""Finding and loading model weights: the only module that imports torch and ultralytics at load time.

A weights setting is a path (used as is), a file name present in the `models/` folder, or a name that
ultralytics resolves itself (downloading the official weights in production). `load_for_inference` then
runs it on the planned backend (see `app.vision.backends`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

# OpenMP threads that spin while they wait (libgomp's default) stall whenever anything else wants a core:
# the heatmap's decoding thread, the API, the database. yolov8n at 640 with 2 threads on 2 cores: 35 ms per
# frame on an idle machine either way (38 sleeping); on a busy one 55-850 ms spinning, 40-120 ms sleeping,
# and only sleeping waits let the decoding thread overlap inference. libgomp reads this once, when torch
# loads, hence here, before any torch import; an operator's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# A worker never pip-installs at run time (ultralytics would, for a missing export package): what a backend
# needs ships in requirements.txt, and a missing one fails the export, which falls back to PyTorch.
os.environ.setdefault("YOLO_AUTOINSTALL", "false")

from app.vision.backends import ExportLock, InferencePlan, exported_model, plan_inference  # noqa: E402

logger = logging.getLogger(__name__)
#: The lock around exports (see `share_exports`); None: a file lock, which holds on one host.
_export_lock: ExportLock | None = None


def share_exports(lock: ExportLock) -> None:
    """Take `lock` around exports from now on: one that holds across the hosts sharing `MODELS_DIR` (a worker
    passes `app.core.db.named_lock`), so that they export each model once between them."""
    global _export_lock
    _export_lock = lock


def import_frameworks() -> None:
    """Import torch and ultralytics now (a worker, before its first task)."""
    import torch  # noqa: F401
    import ultralytics  # noqa: F401


def resolve_weights(name_or_path: str, models_dir: Path) -> str:
    """Return what to hand to `YOLO(...)`: an existing path, a file from `models_dir`, or the bare name."""
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return str(path.resolve())
    in_models = models_dir / path.name
    if in_models.is_file():
        return str(in_models.resolve())
    return name_or_path


def inference_plan(backend: str, device: str, precision: str = "auto") -> InferencePlan:
    """`plan_inference` for the `INFERENCE_BACKEND`, `DEVICE` and `INFERENCE_PRECISION` settings on this machine."""
    import torch

    return plan_inference(backend, device, cuda_available=torch.cuda.is_available(), precision=precision)


def set_torch_threads(threads: int) -> None:
    """Pin torch's intra-op threads. ultralytics lowers them to `cpu_count - 1` when a predictor starts,
    so callers set them again after the first prediction too."""
    import torch

    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


@dataclass(frozen=True)
class LoadedModel:
    """A model ready to predict.

    Attributes:
        model: The `ultralytics.YOLO`, on PyTorch or an exported runtime.
        weights: The weights as resolved (path, or the bare name ultralytics downloaded).
        sha256: Of the weights file, when one was found.
        device: `cpu` or `cuda:N`; pass it to `predict`.
        backend: `torch`, `openvino`, `onnx` or `tensorrt`: what actually runs.
        half: FP16 inference.
        train_imgsz: The image size the weights were trained at, when the checkpoint records it.
        file: The weights file, when one was found.
        int8: The INT8 copy runs.
        precision_note: Why the INT8 copy runs or not, when one was considered.
        settled: False while INT8 waits for a job whose frames can decide it (none decoded, or too few people in
            them to compare): the float model runs meanwhile.
    """

    model: Any
    weights: str
    sha256: str | None
    device: str
    backend: str = "torch"
    half: bool = False
    train_imgsz: int | None = None
    file: Path | None = None
    int8: bool = False
    precision_note: str | None = None
    settled: bool = True

    @property
    def runtime(self) -> str:
        """What the job summaries call the backend: `openvino-int8` for the INT8 copy."""
        return f"{self.backend}-int8" if self.int8 else self.backend


@dataclass(frozen=True)
class Calibration:
    """What an INT8 plan quantises on and checks with.

    Attributes:
        frames: Returns BGR frames of the job's own kind (video frames, photos); called only when needed.
        agreement: `agreement(float_model, int8_model, frames)`: whether the INT8 model gives the float one's
            results on `frames` (None: the frames cannot tell), and a sentence with the figures
            (`INFERENCE_PRECISION=auto` runs INT8 only when True). Hashable, equal for equal checks (a frozen
            dataclass).
        min_speedup: `auto` also runs INT8 only when it is at least this many times as fast as the float model on
            the calibration frames, timed here (`INT8_MIN_SPEEDUP`; 0: agreement alone decides). On CPUs whose
            float already runs in bfloat16 (AMX), yolov8n's INT8 copy is no faster.
    """

    frames: Callable[[], Sequence[np.ndarray]]
    agreement: Callable[[Any, Any, Sequence[np.ndarray]], tuple[bool | None, str]]
    min_speedup: float = 0.0


class NoCalibrationFrames(Exception):
    """The job's calibration frames could not be had."""


def file_sha256(path: str) -> str | None:
    file = Path(path)
    if not file.is_file():
        return None
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@lru_cache(maxsize=4)
def load_yolo(name_or_path: str, models_dir: Path, device: str) -> LoadedModel:
    """Load a YOLO model on PyTorch once per process (cached by weights and device; `device` may be `auto`)."""
    from ultralytics import YOLO

    weights = resolve_weights(name_or_path, models_dir)
    model = YOLO(weights)
    chosen = inference_plan("torch", device).device
    model.to(chosen)
    # ultralytics downloads a bare name to the working directory; hash whatever file it used.
    file = next((Path(p) for p in (weights, getattr(model, "ckpt_path", "") or "") if p and Path(p).is_file()), None)
    return LoadedModel(
        model=model,
        weights=weights,
        sha256=file_sha256(str(file)) if file else None,
        device=chosen,
        half=chosen.startswith("cuda"),
        train_imgsz=trained_imgsz(model.ckpt),
        file=file,
    )


def trained_imgsz(checkpoint: Any) -> int | None:
    """The training image size a checkpoint records (`train_args.imgsz`; the long side if it is a pair)."""
    imgsz = ((checkpoint or {}).get("train_args") or {}).get("imgsz") if isinstance(checkpoint, dict) else None
    if isinstance(imgsz, (list, tuple)) and imgsz:
        imgsz = max(imgsz)
    return int(imgsz) if isinstance(imgsz, (int, float)) and imgsz > 0 else None


#: Models loaded by `load_for_inference`, oldest first.
_loaded: dict[tuple[Any, ...], LoadedModel] = {}
LOADED_KEPT = 4


def load_for_inference(
    name_or_path: str,
    models_dir: Path,
    plan: InferencePlan,
    *,
    imgsz: int,
    batch: int,
    calibration: Calibration | None = None,
) -> LoadedModel:
    """Load a model as `plan` says (see `inference_plan`), exporting it first when needed (cached per process, by
    the arguments and `calibration`'s checks: the first calibration frames that can decide INT8 decide it for
    the process; until then each call tries its own).

    Falls back to PyTorch, with one warning, when the export or its loading fails, or the weights file
    is unknown (nothing to key an export on). An INT8 plan without `calibration`, or whose quantisation
    fails, runs the float export; with `plan.verify_int8`, so does one whose INT8 copy disagrees with it.
    """
    checks = (calibration.agreement, calibration.min_speedup) if calibration else None
    key = (name_or_path, models_dir, plan, imgsz, batch, checks)
    loaded = _loaded.get(key)
    if loaded is None:
        loaded = _load_for_inference(name_or_path, models_dir, plan, imgsz=imgsz, batch=batch, calibration=calibration)
    elif not loaded.settled:
        loaded = _choose_int8(loaded, plan, models_dir, imgsz=imgsz, batch=batch, calibration=calibration)
    _loaded[key] = loaded
    while len(_loaded) > LOADED_KEPT:
        del _loaded[next(iter(_loaded))]
    return loaded


def _load_for_inference(
    name_or_path: str, models_dir: Path, plan: InferencePlan, *, imgsz: int, batch: int, calibration: Calibration | None
) -> LoadedModel:
    loaded = load_yolo(name_or_path, models_dir, plan.device)
    if plan.note:
        logger.warning("%s", plan.note)
    if not plan.exported:
        return loaded
    if loaded.file is None or loaded.sha256 is None:
        logger.warning("no weights file for %s to export to %s; running PyTorch", name_or_path, plan.backend)
        return loaded
    try:
        exported = _load_exported(loaded, plan.float, models_dir, imgsz=imgsz, batch=batch)
    except Exception as exc:  # any failure of a third-party exporter or runtime: PyTorch still works
        logger.warning("%s export of %s failed (%s); running PyTorch", plan.backend, loaded.weights, exc)
        return loaded
    if not plan.int8:
        return exported
    return _choose_int8(exported, plan, models_dir, imgsz=imgsz, batch=batch, calibration=calibration)


def _choose_int8(
    exported: LoadedModel,
    plan: InferencePlan,
    models_dir: Path,
    *,
    imgsz: int,
    batch: int,
    calibration: Calibration | None,
) -> LoadedModel:
    """The INT8 copy of the float `exported` when `plan` and the calibration set allow it, else `exported`; either
    way with a note saying why, logged."""
    chosen = _int8_or_float(exported, plan, models_dir, imgsz=imgsz, batch=batch, calibration=calibration)
    logger.info("%s: %s", Path(exported.weights).name, chosen.precision_note)
    return chosen


def _int8_or_float(
    exported: LoadedModel,
    plan: InferencePlan,
    models_dir: Path,
    *,
    imgsz: int,
    batch: int,
    calibration: Calibration | None,
) -> LoadedModel:
    if calibration is None:
        return replace(exported, precision_note="float: no calibration frames to quantise on", settled=False)
    frames: list[np.ndarray] = []

    def calibration_frames() -> list[np.ndarray]:
        if not frames:
            try:
                frames.extend(calibration.frames())
            except Exception as exc:  # an undecodable video or image: the job itself says so
                raise NoCalibrationFrames(str(exc)) from exc
            if not frames:
                raise NoCalibrationFrames("none decoded")
        return frames

    try:
        int8 = _load_exported(exported, plan, models_dir, imgsz=imgsz, batch=batch, calibrate=calibration_frames)
        if not plan.verify_int8:
            return replace(int8, precision_note="INT8: INFERENCE_PRECISION=int8", settled=True)
        agrees, figures = calibration.agreement(exported.model, int8.model, calibration_frames())
    except NoCalibrationFrames as exc:
        return replace(exported, precision_note=f"float for now: no calibration frames ({exc})", settled=False)
    except Exception as exc:  # NNCF or OpenVINO failing on this model: the float export still works
        return replace(exported, precision_note=f"float: INT8 quantisation failed ({exc})", settled=True)
    if agrees is None:
        return replace(exported, precision_note=f"float for now: {figures}", settled=False)
    if not agrees:
        return replace(exported, precision_note=f"float: the INT8 model disagrees with it ({figures})", settled=True)
    if calibration.min_speedup:
        speedup = int8_speedup(exported, int8, calibration_frames(), imgsz=imgsz, batch=batch)
        if speedup < calibration.min_speedup:
            note = (
                f"float: the INT8 model agrees with it ({figures}) but runs at x{speedup:.2f} its speed on this CPU "
                f"(below the x{calibration.min_speedup:g} asked for)"
            )
            return replace(exported, precision_note=note, settled=True)
        figures = f"{figures}; x{speedup:.2f} its speed"
    return replace(int8, precision_note=f"INT8: it agrees with the float model ({figures})", settled=True)


def int8_speedup(
    exported: LoadedModel, int8: LoadedModel, frames: Sequence[np.ndarray], *, imgsz: int, batch: int, rounds: int = 5
) -> float:
    """How many times as fast as the float model the INT8 one predicts a batch of `frames`: calls of the two taking
    turns (fair on a busy machine), after one warm-up call each; the ratio of the medians."""
    chunk = list(frames[:batch])
    seconds: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(rounds + 1):
        for loaded in (exported, int8):
            started = time.perf_counter()
            loaded.model.predict(chunk, imgsz=imgsz, device=loaded.device, verbose=False)
            seconds[loaded.int8].append(time.perf_counter() - started)
    return statistics.median(seconds[False][1:]) / statistics.median(seconds[True][1:])


def _load_exported(
    loaded: LoadedModel,
    plan: InferencePlan,
    models_dir: Path,
    *,
    imgsz: int,
    batch: int,
    calibrate: Callable[[], Sequence[np.ndarray]] | None = None,
) -> LoadedModel:
    from ultralytics import YOLO

    assert loaded.file is not None and loaded.sha256 is not None
    task = loaded.model.task
    path = exported_model(
        loaded.file,
        loaded.sha256,
        task=task,
        plan=plan,
        imgsz=imgsz,
        batch=batch,
        export_dir=export_dir(models_dir),
        lock=_export_lock,
        calibration=calibrate,
    )
    model = YOLO(str(path), task=task)
    # One prediction sets the runtime up now (a model it cannot run fails here, not in a job), and leaves
    # ultralytics' predictor in place, so that `model.names` does not compile another copy.
    blank = np.zeros((32, 32, 3), np.uint8)
    model.predict(blank, imgsz=imgsz, device=plan.device, verbose=False, **precision(plan.half))
    return replace(loaded, model=model, device=plan.device, backend=plan.backend, half=plan.half, int8=plan.int8)


def precision(half: bool) -> dict[str, Any]:
    """`predict` keyword arguments for FP16 or the model's own precision."""
    return {"quantize": 16} if half else {}


def export_dir(models_dir: Path) -> Path:
    return models_dir / ".export"
