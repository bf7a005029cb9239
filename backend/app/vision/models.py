"""Finding and loading model weights: the only module that imports torch and ultralytics at load time.

A weights setting is a path (used as is), a file name present in the `models/` folder, or a name that
ultralytics resolves itself (downloading the official weights in production).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# OpenMP threads that spin while they wait (libgomp's default) stall whenever anything else wants a core:
# the heatmap's decoding thread, the API, the database. yolov8n at 640 with 2 threads on 2 cores: 35 ms per
# frame on an idle machine either way (38 sleeping); on a busy one 55-850 ms spinning, 40-120 ms sleeping,
# and only sleeping waits let the decoding thread overlap inference. libgomp reads this once, when torch
# loads, hence here, before any torch import; an operator's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def resolve_weights(name_or_path: str, models_dir: Path) -> str:
    """Return what to hand to `YOLO(...)`: an existing path, a file from `models_dir`, or the bare name."""
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return str(path.resolve())
    in_models = models_dir / path.name
    if in_models.is_file():
        return str(in_models.resolve())
    return name_or_path


def pick_device(device: str) -> str:
    """`auto` means the first CUDA device when torch sees one, else the CPU."""
    if device != "auto":
        return device
    import torch

    return "cuda:0" if torch.cuda.is_available() else "cpu"


def set_torch_threads(threads: int) -> None:
    """Pin torch's intra-op threads. ultralytics lowers them to `cpu_count - 1` when a predictor starts,
    so callers set them again after the first prediction too."""
    import torch

    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


@dataclass(frozen=True)
class LoadedModel:
    model: Any  # ultralytics.YOLO
    weights: str
    sha256: str | None
    device: str


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
    """Load a YOLO model once per process (cached by weights and device)."""
    from ultralytics import YOLO

    weights = resolve_weights(name_or_path, models_dir)
    model = YOLO(weights)
    chosen = pick_device(device)
    model.to(chosen)
    # ultralytics downloads a bare name to the working directory; hash whatever file it used.
    sha = file_sha256(weights) or file_sha256(getattr(model, "ckpt_path", "") or "")
    return LoadedModel(model=model, weights=weights, sha256=sha, device=chosen)
