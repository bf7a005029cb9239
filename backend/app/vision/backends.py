"""Which runtime runs a model (PyTorch, OpenVINO, ONNX Runtime, TensorRT), and its exported copy.

`INFERENCE_BACKEND=auto` runs PyTorch in FP16 on CUDA when torch sees a GPU, else OpenVINO on the CPU. On
2 cores, OpenVINO runs the YOLOv8s-size people detector and yolo26n-depth 2-5x as fast as PyTorch (in
bfloat16 where the CPU has it: 1.7-1.85x faster than its float32). Measured for the CPU defaults (same process,
`make bench`): ultralytics' LATENCY hint beats THROUGHPUT for its synchronous calls (23 vs 59 ms per 720p frame
at batch 4: THROUGHPUT splits the cores into streams that one call at a time leaves idle), and batches of 4
(as HEATMAP_BATCH and DEPTH_BATCH) are as fast per frame as 8 and 8-13 % faster than 1 or 2.

An export is made once per (weights SHA-256, image size, batch, backend) under `<MODELS_DIR>/.export/`.
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
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

BACKENDS = ("auto", "torch", "openvino", "onnx", "tensorrt")
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
        note: Why the requested backend is not the one planned, if it is not.
    """

    backend: str
    device: str
    half: bool
    note: str | None = None

    @property
    def exported(self) -> bool:
        return self.backend in EXPORT_FORMATS


def plan_inference(backend: str, device: str, *, cuda_available: bool) -> InferencePlan:
    """Pick the runtime, device and precision from the `INFERENCE_BACKEND` and `DEVICE` settings.

    Args:
        backend: `auto`, `torch`, `openvino`, `onnx` or `tensorrt`.
        device: `auto`, `cpu`, `cuda` or `cuda:N`.
        cuda_available: Whether torch sees a CUDA GPU.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown inference backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    if device == "auto":
        device = "cuda:0" if cuda_available else "cpu"
    on_cuda = device.startswith("cuda")
    if backend == "auto":
        backend = "torch" if on_cuda else "openvino"
    if backend == "openvino":
        return InferencePlan("openvino", "cpu", half=False)
    if backend == "tensorrt" and not on_cuda:
        return InferencePlan("torch", device, half=False, note=f"TensorRT needs a CUDA device, not {device}")
    return InferencePlan(backend, device, half=on_cuda)


def batch_size(plan: InferencePlan, *, cpu_batch: int, cuda_batch: int) -> int:
    """Frames or images per inference call: GPUs want large batches (16-64), CPUs small ones."""
    return cuda_batch if plan.device.startswith("cuda") else cpu_batch


def export_name(sha256: str, imgsz: int, batch: int, plan: InferencePlan) -> str:
    return f"{sha256[:16]}-{imgsz}-b{batch}-{plan.backend}{'-fp16' if plan.half else ''}"


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
) -> Path:
    """The exported model for these weights and settings, exported first when no process has done it yet.

    `lock(name)` is held around the export; without it, a file lock beside the export (one host only).

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
            if not target.is_dir():
                _export(weights, target, task=task, plan=plan, imgsz=imgsz, batch=batch)
    return next(target.iterdir())


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        yield


def _export(weights: Path, target: Path, *, task: str, plan: InferencePlan, imgsz: int, batch: int) -> None:
    """Export into a scratch folder beside `target`, then rename its result to `target` in one step."""
    from ultralytics import YOLO

    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        source = scratch / SOURCE_NAME
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
        staged = scratch / "staged"
        staged.mkdir()
        Path(produced).rename(staged / Path(produced).name)
        os.rename(staged, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
