"""Inference backends: the selection logic (CUDA paths included, checked on the CPU), the export cache shared
by worker processes, the PyTorch fallback, and OpenVINO giving the same results as PyTorch."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from app.core.config import Settings
from app.core.db import named_lock
from app.vision.backends import InferencePlan, batch_size, export_name, plan_inference
from app.vision.depth import predict_depth
from app.vision.models import export_dir, file_sha256, load_for_inference, load_yolo, trained_imgsz
from app.vision.people import YoloPeopleDetector
from scripts import devstack
from scripts.devstack import FALL_CLASSES
from scripts.media import default_scene
from tests.vision.conftest import CACHE

BACKEND = Path(__file__).resolve().parents[2]
#: Exports of the fixed test weights, kept between sessions (keyed by the weights' SHA-256).
EXPORT_CACHE = CACHE / "test-models"


@pytest.mark.parametrize(
    ("backend", "device", "cuda", "expected"),
    [
        ("auto", "auto", True, InferencePlan("torch", "cuda:0", half=True)),
        ("auto", "auto", False, InferencePlan("openvino", "cpu", half=False)),
        ("auto", "cpu", True, InferencePlan("openvino", "cpu", half=False)),
        ("auto", "cuda:1", True, InferencePlan("torch", "cuda:1", half=True)),
        ("torch", "auto", False, InferencePlan("torch", "cpu", half=False)),
        ("torch", "auto", True, InferencePlan("torch", "cuda:0", half=True)),
        ("openvino", "auto", True, InferencePlan("openvino", "cpu", half=False)),
        ("onnx", "auto", True, InferencePlan("onnx", "cuda:0", half=True)),
        ("onnx", "cpu", True, InferencePlan("onnx", "cpu", half=False)),
        ("tensorrt", "auto", True, InferencePlan("tensorrt", "cuda:0", half=True)),
    ],
)
def test_backend_device_and_precision_are_chosen_from_the_settings(backend, device, cuda, expected) -> None:
    assert plan_inference(backend, device, cuda_available=cuda) == expected


def test_tensorrt_without_a_gpu_runs_pytorch_and_says_why() -> None:
    plan = plan_inference("tensorrt", "auto", cuda_available=False)
    assert (plan.backend, plan.device, plan.half) == ("torch", "cpu", False) and "CUDA" in plan.note
    with pytest.raises(ValueError, match="unknown inference backend"):
        plan_inference("tflite", "auto", cuda_available=False)


def test_gpus_get_large_batches_cpus_small_ones() -> None:
    cuda, cpu = InferencePlan("tensorrt", "cuda:0", half=True), InferencePlan("openvino", "cpu", half=False)
    assert batch_size(cuda, cpu_batch=4, cuda_batch=32) == 32 and batch_size(cpu, cpu_batch=4, cuda_batch=32) == 4
    assert Settings().cuda_batch in range(16, 65)


def test_depth_runs_at_the_released_training_size_unless_the_checkpoint_or_setting_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DEPTH_IMGSZ")  # the tests' 128
    assert Settings().depth_imgsz_for(None) == 768
    assert Settings().depth_imgsz_for(trained_imgsz({"train_args": {"imgsz": 512}})) == 512
    assert Settings().depth_imgsz_for(trained_imgsz({"train_args": {"imgsz": [384, 640]}})) == 640
    assert Settings(depth_imgsz=640).depth_imgsz_for(512) == 640  # an explicit DEPTH_IMGSZ wins
    assert trained_imgsz({"model": None}) is None and trained_imgsz(None) is None
    assert load_yolo(str(devstack.untrained_weights("yolo26n-depth.yaml")), CACHE, "cpu").train_imgsz is None


EXPORT_ONCE = """
import json, os, sys, time
from pathlib import Path
import numpy as np
from app.vision.backends import InferencePlan, exported_model
from app.vision.models import file_sha256
import ultralytics.engine.exporter  # the slow imports done before signalling ready
weights, export_dir, go = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
(go.parent / f"ready-{os.getpid()}").touch()
while not go.exists():
    time.sleep(0.01)
path = exported_model(weights, file_sha256(str(weights)), task="detect", plan=InferencePlan("openvino", "cpu", False),
                      imgsz=160, batch=2, export_dir=export_dir)
from ultralytics import YOLO
result = YOLO(str(path), task="detect").predict(np.full((120, 160, 3), 100, np.uint8), imgsz=160, verbose=False)[0]
print(json.dumps({"path": str(path), "boxes": len(result.boxes)}))
"""


def test_two_workers_starting_together_export_once_and_never_read_a_partial_export(tmp_path: Path) -> None:
    weights = devstack.untrained_weights("yolov8n.yaml")
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", EXPORT_ONCE, str(weights), str(tmp_path / "export"), str(go)],
            cwd=BACKEND,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    deadline = time.monotonic() + 180
    while len(list(tmp_path.glob("ready-*"))) < 2 and time.monotonic() < deadline:  # both have imported torch
        time.sleep(0.05)
    go.touch()
    outputs = [worker.communicate(timeout=300) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), [err[-2000:] for _, err in outputs]
    results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert results[0] == results[1] and Path(results[0]["path"]).name == "model_openvino_model"
    exports = "".join(out + err for out, err in outputs).count("export success")
    assert exports == 1, "both processes exported"
    left = sorted(path.name for path in (tmp_path / "export").iterdir())
    assert len(left) == 2 and left[1] == f"{left[0]}.lock", left  # the export and its lock, no scratch folder


EXPORT_SHARED = EXPORT_ONCE.replace("export_dir=export_dir)", "export_dir=export_dir, lock=named_lock)").replace(
    "import numpy as np", "import numpy as np\nfrom app.core.db import named_lock"
)


def test_a_worker_waits_for_an_export_under_way_on_another_host(tmp_path: Path) -> None:
    """This test stands for a host exporting the model into the shared folder: it holds the PostgreSQL lock and no
    file lock (a file lock need not hold across hosts). Two worker processes starting meanwhile wait for it, write
    nothing, then one of them exports (it is not there yet) and the other loads that export."""
    weights = devstack.untrained_weights("yolov8n.yaml")
    name = export_name(file_sha256(str(weights)), 160, 2, InferencePlan("openvino", "cpu", False))
    go, shared = tmp_path / "go", tmp_path / "export"
    with named_lock(name):
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", EXPORT_SHARED, str(weights), str(shared), str(go)],
                cwd=BACKEND,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        deadline = time.monotonic() + 180
        while len(list(tmp_path.glob("ready-*"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        go.touch()
        time.sleep(3)
        assert [worker.poll() for worker in workers] == [None, None]
        assert not shared.exists() or not list(shared.iterdir())  # no export begun, no lock file
    outputs = [worker.communicate(timeout=300) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), [err[-2000:] for _, err in outputs]
    results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert results[0] == results[1] and Path(results[0]["path"]).parent.name == name
    assert "".join(out + err for out, err in outputs).count("export success") == 1, "both processes exported"
    assert [path.name for path in shared.iterdir()] == [name]  # no scratch folder, no lock file


def test_a_failed_export_warns_once_and_runs_pytorch(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """TensorRT cannot be exported here (no GPU, no tensorrt/onnx packages): the job still runs, on PyTorch."""
    weights = str(devstack.untrained_weights("yolov8n.yaml"))
    with caplog.at_level(logging.WARNING, logger="app.vision.models"):
        loaded = load_for_inference(weights, tmp_path, InferencePlan("tensorrt", "cpu", half=False), imgsz=160, batch=2)
    assert (loaded.backend, loaded.device) == ("torch", "cpu")
    warnings = [r for r in caplog.records if r.name == "app.vision.models"]
    assert len(warnings) == 1 and "tensorrt export" in warnings[0].getMessage()
    assert [p.name for p in export_dir(tmp_path).iterdir()] == [p.name for p in export_dir(tmp_path).glob("*.lock")]


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) IoU of `xyxy` boxes."""
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.clip(bottom_right - top_left, 0, None).prod(axis=2)
    area_a, area_b = (a[:, 2:] - a[:, :2]).prod(axis=1), (b[:, 2:] - b[:, :2]).prod(axis=1)
    return inter / (area_a[:, None] + area_b[None, :] - inter)


def _matched(boxes: list, others: list) -> tuple[int, int]:
    """How many of `boxes` (per frame, confidence >= 0.3) have a box in `others` (>= 0.2) with IoU > 0.9, of how many.

    The band between the two thresholds absorbs detections whose confidence moves across one threshold."""
    matched = total = 0
    for mine, theirs in zip(boxes, others, strict=True):
        mine, theirs = mine[mine.conf >= 0.3], theirs[theirs.conf >= 0.2]
        total += len(mine)
        if len(mine) and len(theirs):
            matched += int((_iou(mine.xyxy, theirs.xyxy).max(axis=1) > 0.9).sum())
    return matched, total


def test_openvino_finds_the_same_people_as_pytorch(fall_weights: Path) -> None:
    """The real detector: the boxes PyTorch finds, OpenVINO finds too, and the other way round (IoU > 0.9 for
    >= 95 % of them; OpenVINO computes in bfloat16 on CPUs that have it, as here)."""
    scene = default_scene((320, 240), fps=10.0, seconds=3.0)  # figures at the size this detector finds them
    frames = [scene.frame(index) for index in range(0, 30, 2)]
    plan = InferencePlan("openvino", "cpu", half=False)
    torch_model = load_yolo(str(fall_weights), CACHE, "cpu")
    openvino = load_for_inference(str(fall_weights), EXPORT_CACHE, plan, imgsz=320, batch=4)
    assert openvino.backend == "openvino"
    found = []
    for loaded in (torch_model, openvino):
        detector = YoloPeopleDetector(loaded.model, person_classes=FALL_CLASSES, imgsz=320, threads=2)
        found.append([d for start in range(0, len(frames), 4) for d in detector(frames[start : start + 4])])
    for boxes, others in (found, found[::-1]):
        matched, total = _matched(boxes, others)
        assert total >= 2 * len(frames)  # the drawn figures are found at all
        assert matched >= 0.95 * total, f"{matched} of {total} boxes matched"


#: Largest difference between OpenVINO's and PyTorch's depth, relative to the largest depth. OpenVINO computes in
#: bfloat16 on CPUs that have it (this one: 1.7-1.85x faster than its float32), whose 8-bit mantissa rounds to
#: 2^-8 = 0.39 % of a value: measured 0.38 % on the untrained yolo26n-depth's raw output at 768 (2026-11-26).
DEPTH_TOLERANCE = 0.01


def test_openvino_depth_maps_agree_with_pytorch() -> None:
    weights = str(devstack.untrained_weights("yolo26n-depth.yaml"))
    rng = np.random.default_rng(7)
    scene = default_scene((608, 448)).frame(5)[:, :, ::-1]  # RGB
    images = [scene, np.clip(scene + rng.normal(0, 20, scene.shape), 0, 255).astype(np.uint8)]
    torch_model = load_yolo(weights, CACHE, "cpu")
    openvino = load_for_inference(weights, EXPORT_CACHE, InferencePlan("openvino", "cpu", False), imgsz=768, batch=2)
    assert openvino.backend == "openvino"
    expected = predict_depth(torch_model.model, images, imgsz=768, device="cpu")
    got = predict_depth(openvino.model, images, imgsz=768, device="cpu")
    for want, have in zip(expected, got, strict=True):
        assert have.shape == want.shape == (448, 608)
        difference = float(np.abs(have - want).max() / np.abs(want).max())
        assert difference <= DEPTH_TOLERANCE, f"max difference {difference:.2e} of the largest depth"
