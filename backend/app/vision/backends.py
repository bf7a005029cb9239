"""Which runtime runs a model (PyTorch, OpenVINO, ONNX Runtime, TensorRT), and its exported copy.

`INFERENCE_BACKEND=auto` runs PyTorch in FP16 on CUDA when torch sees a GPU, else OpenVINO on the CPU. On
2 cores, OpenVINO runs the YOLOv8s-size people detector and yolo26n-depth 2-5x as fast as PyTorch (in
bfloat16 where the CPU has it: 1.7-1.85x faster than its float32). Measured for the CPU defaults (same process,
`make bench`): ultralytics' LATENCY hint beats THROUGHPUT for its synchronous calls (23 vs 59 ms per 720p frame
at batch 4: THROUGHPUT splits the cores into streams that one call at a time leaves idle), and batches of 4
(as HEATMAP_BATCH and DEPTH_BATCH) are as fast per frame as 8 and 8-13 % faster than 1 or 2.

`INFERENCE_PRECISION` (auto | fp32 | fp16 | int8): on CUDA, auto and fp16 run FP16. On the CPU, OpenVINO's float
is its default (bfloat16 where the CPU has it, else float32) for fp32 and fp16 alike; int8 runs a copy quantised
by NNCF (post-training, calibrated on frames of the job's own kind), and auto runs that copy only when it agrees
with the float model on the calibration set (see `app.vision.models.Calibration`), else the float model.

An export is made once per (weights SHA-256, image size, batch, backend, precision) under `<MODELS_DIR>/.export/`;
an INT8 copy is quantised from the float export, once, with the frames of the job that first needed it.
Processes starting together take a lock: one exports into a scratch folder and renames it into place
(atomic), the others wait and then load the finished copy; a half-written export is never visible. Workers
take a lock in PostgreSQL, which holds across hosts sharing `models/` (a file lock may not: NFS without
locking, SMB, object-store mounts); a process without the database takes a file lock, which holds on one host.
Exports have dynamic shapes: letterboxing keeps a frame's aspect (640x384 for 16:9 video instead of 640x640,
40 % less work); `batch` is the largest batch (TensorRT's profile).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

BACKENDS = ("auto", "torch", "openvino", "onnx", "tensorrt")
PRECISIONS = ("auto", "fp32", "fp16", "int8")
#: ultralytics' export format per exported backend.
EXPORT_FORMATS = {"openvino": "openvino", "onnx": "onnx", "tensorrt": "engine"}
#: The name the weights take in the scratch folder, hence the export's name (`model_openvino_model/`, ...).
SOURCE_NAME = "model.pt"
#: A lock by name around an export (see `exported_model`).
ExportLock = Callable[[str], AbstractContextManager[object]]


@dataclass(frozen=True)
class InferencePlan:
    """How a model runs.

    Attributes:
        backend: `torch`, `openvino`, `onnx` or `tensorrt`.
        device: `cpu` or `cuda:N` (OpenVINO: always `cpu`).
        half: FP16 (on CUDA).
        note: Why the requested backend or precision is not the one planned, if it is not.
        int8: Run OpenVINO's INT8 copy of the model.
        verify_int8: Run the INT8 copy only if it agrees with the float model (`INFERENCE_PRECISION=auto`).
    """

    backend: str
    device: str
    half: bool
    note: str | None = None
    int8: bool = False
    verify_int8: bool = False

    @property
    def exported(self) -> bool:
        return self.backend in EXPORT_FORMATS

    @property
    def float(self) -> InferencePlan:
        """This plan without INT8."""
        return replace(self, int8=False, verify_int8=False)


def plan_inference(backend: str, device: str, *, cuda_available: bool, precision: str = "auto") -> InferencePlan:
    """Pick the runtime, device and precision from the `INFERENCE_BACKEND`, `DEVICE` and `INFERENCE_PRECISION`
    settings.

    Args:
        backend: `auto`, `torch`, `openvino`, `onnx` or `tensorrt`.
        device: `auto`, `cpu`, `cuda` or `cuda:N`.
        cuda_available: Whether torch sees a CUDA GPU.
        precision: `auto`, `fp32`, `fp16` or `int8`.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown inference backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    if precision not in PRECISIONS:
        raise ValueError(f"unknown inference precision {precision!r}; expected one of {', '.join(PRECISIONS)}")
    if device == "auto":
        device = "cuda:0" if cuda_available else "cpu"
    on_cuda = device.startswith("cuda")
    if backend == "auto":
        backend = "torch" if on_cuda else "openvino"
    if backend == "openvino":  # fp32 and fp16 alike: OpenVINO's default float on the CPU
        return InferencePlan(
            "openvino", "cpu", False, int8=precision in ("auto", "int8"), verify_int8=precision == "auto"
        )
    if backend == "tensorrt" and not on_cuda:
        return InferencePlan(
            "torch", device, False, note=f"TensorRT needs a CUDA device, not {device}; running PyTorch"
        )
    note = f"INT8 runs on OpenVINO only, not {backend}; running float" if precision == "int8" else None
    return InferencePlan(backend, device, half=on_cuda and precision != "fp32", note=note)


def batch_size(plan: InferencePlan, *, cpu_batch: int, cuda_batch: int) -> int:
    """Frames or images per inference call: GPUs want large batches (16-64), CPUs small ones."""
    return cuda_batch if plan.device.startswith("cuda") else cpu_batch


def export_name(sha256: str, imgsz: int, batch: int, plan: InferencePlan) -> str:
    return f"{sha256[:16]}-{imgsz}-b{batch}-{plan.backend}{'-fp16' if plan.half else ''}{'-int8' if plan.int8 else ''}"


def exported_model(
    weights: Path,
    sha256: str,
    *,
    task: str,
    plan: InferencePlan,
    imgsz: int,
    batch: int,
    export_dir: Path,
    lock: ExportLock | None = None,
    calibration: Callable[[], Sequence[np.ndarray]] | None = None,
) -> Path:
    """The exported model for these weights and settings, exported first when no process has done it yet.

    `lock(name)` is held around the export; without it, a file lock beside the export (one host only). An INT8
    plan quantises the float export (exported first if need be) on `calibration()`'s BGR frames (required then).

    Returns:
        What to hand to `YOLO(..., task=task)`: an `*_openvino_model/` folder, a `.onnx` or an `.engine` file.

    Raises:
        Exception: Whatever the export raised (a missing package, an unsupported layer, no GPU); nothing is
            left behind.
    """
    target = export_dir / export_name(sha256, imgsz, batch, plan)
    if not target.is_dir():
        export_dir.mkdir(parents=True, exist_ok=True)
        with lock(target.name) if lock else _file_lock(export_dir / f"{target.name}.lock"):
            if target.is_dir():
                pass
            elif plan.int8:
                if calibration is None:
                    raise ValueError("an INT8 model needs calibration frames")
                exported = exported_model(
                    weights,
                    sha256,
                    task=task,
                    plan=plan.float,
                    imgsz=imgsz,
                    batch=batch,
                    export_dir=export_dir,
                    lock=lock,
                )
                _quantize(exported, target, calibration(), imgsz=imgsz)
            else:
                _export(weights, target, task=task, plan=plan, imgsz=imgsz, batch=batch)
    return next(target.iterdir())


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        yield


@contextmanager
def _stage(target: Path) -> Iterator[Path]:
    """A scratch folder beside `target` to put the export in, renamed to `target` in one step on success."""
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        staged = scratch / "staged"
        staged.mkdir()
        yield staged
        os.rename(staged, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _quantize(exported: Path, target: Path, frames: Sequence[np.ndarray], *, imgsz: int) -> None:
    """NNCF post-training INT8 quantisation of the OpenVINO model folder `exported` into `target`, calibrated on
    BGR `frames` letterboxed as ultralytics does. A detector's head (its boxes and scores) stays in float, as in
    ultralytics' own INT8 export."""
    import nncf
    import openvino as ov
    from ultralytics.data.augment import LetterBox

    if not frames:
        raise ValueError("no calibration frames")
    letterbox = LetterBox((imgsz, imgsz), auto=False)

    def tensor(frame: np.ndarray) -> np.ndarray:
        image = letterbox(image=frame)[:, :, ::-1].transpose(2, 0, 1)
        return np.ascontiguousarray(image, dtype=np.float32)[None] / 255

    xml = next(exported.glob("*.xml"))
    model = ov.Core().read_model(xml)
    operations = model.get_ordered_ops()
    sigmoids = [op.get_friendly_name() for op in operations if op.get_type_name() == "Sigmoid"]
    ignored = None
    if sigmoids:  # a detection head: ultralytics names its ops `<head>/...` and `<head>.dfl...`
        head = sigmoids[-1].split("/", 1)[0]
        names = [op.get_friendly_name() for op in operations]
        ignored = nncf.IgnoredScope(
            names=[n for n in names if n in sigmoids or n.startswith((f"{head}/", f"{head}.dfl"))], validate=False
        )
    quantized = nncf.quantize(
        model,
        nncf.Dataset(list(frames), tensor),
        preset=nncf.QuantizationPreset.MIXED,
        subset_size=len(frames),
        ignored_scope=ignored,
    )
    with _stage(target) as staged:
        folder = staged / exported.name
        folder.mkdir()
        ov.save_model(quantized, folder / xml.name, compress_to_fp16=False)
        shutil.copyfile(exported / "metadata.yaml", folder / "metadata.yaml")


def _export(weights: Path, target: Path, *, task: str, plan: InferencePlan, imgsz: int, batch: int) -> None:
    """Export into a scratch folder beside `target`, then rename its result to `target` in one step."""
    from ultralytics import YOLO

    with _stage(target) as staged:
        source = staged.parent / SOURCE_NAME
        shutil.copyfile(weights, source)
        produced = YOLO(str(source), task=task).export(
            format=EXPORT_FORMATS[plan.backend],
            imgsz=imgsz,
            batch=batch,
            dynamic=True,
            quantize=16 if plan.half else None,
            device=plan.device,
            verbose=False,
        )
        Path(produced).rename(staged / Path(produced).name)
