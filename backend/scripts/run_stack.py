"""`make run`: the whole platform on one machine, restarting any process that dies; Ctrl-C stops it all.

Embedded PostgreSQL and Redis start unless DATABASE_URL / REDIS_URL point at real servers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BACKEND))

from app.core.config import settings  # noqa: E402
from scripts import devstack  # noqa: E402


def main() -> int:
    keep = []  # handles that keep embedded servers alive
    redis_server = None
    if not settings.database_url:
        url, handle = devstack.start_postgres(settings.data_dir)
        keep.append(handle)
        os.environ["DATABASE_URL"] = url
        print(f"[run] embedded PostgreSQL: {url}", flush=True)
    if not settings.redis_url:
        redis_server = devstack.start_redis(
            settings.data_dir, port=int(os.environ.get("EMBEDDED_REDIS_PORT", 0)) or None
        )
        os.environ["REDIS_URL"] = redis_server.url
        print(f"[run] embedded Redis: {redis_server.url} (data in {redis_server.log.parent})", flush=True)

    os.environ["SECRET_KEY"] = devstack.local_secret_key(settings)
    subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], cwd=BACKEND, check=True)
    fresh = devstack.service_commands(type(settings)())  # re-read: the URLs are in the environment now
    processes: dict[str, subprocess.Popen] = {}
    restarts: dict[str, float] = {}
    stopping = False

    def start(name: str) -> None:
        env = devstack.flower_environment() if name == "flower" else None
        processes[name] = subprocess.Popen(fresh[name], cwd=BACKEND, env=env)
        restarts[name] = time.monotonic()

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for name in fresh:
        start(name)
    print(
        f"[run] SceneLab on http://{settings.api_host}:{settings.api_port} (API docs /api/docs), "
        f"Flower on http://127.0.0.1:{settings.flower_port} (user {settings.flower_user}). Ctrl-C stops everything.",
        flush=True,
    )
    try:
        while not stopping:
            time.sleep(0.5)
            for name, process in list(processes.items()):
                if process.poll() is not None and not stopping:
                    wait = max(0.0, 2.0 - (time.monotonic() - restarts[name]))  # no tight restart loop
                    print(f"[run] {name} exited with {process.returncode}; restarting in {wait:.0f} s", flush=True)
                    time.sleep(wait)
                    start(name)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        if redis_server:
            redis_server.stop()
        print("[run] stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
