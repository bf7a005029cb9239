"""The file handle (`storage.job_files`) on both storages: local folders, and an S3 bucket of a real S3-protocol
server (moto's standalone server, a process of its own, reached with boto3 over HTTP). Then whole jobs through the
real stack on each: upload through the API, a real Celery worker, downloads (a redirect to a presigned URL on S3),
ZIP archives, delete."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import numpy as np
import pytest

from app.core import storage
from app.core.config import settings
from app.models import Job, JobKind
from scripts import images, media
from scripts.devstack import free_port, wait_until_answers
from tests.conftest import bearer_for_new_user, file_tuple, peak_rss, start_api, start_worker, stop_process

CREDENTIALS = {"S3_ACCESS_KEY_ID": "scenelab-test", "S3_SECRET_ACCESS_KEY": "scenelab-test-secret"}


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """moto's S3 server on a free port: its endpoint URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(f"{endpoint}/moto-api/", process)
        yield endpoint
    finally:
        stop_process(process)


def _client(env: dict[str, str]) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        region_name=env["S3_REGION"],
        aws_access_key_id=env["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["S3_SECRET_ACCESS_KEY"],
    )


@pytest.fixture
def s3_env(s3_server) -> dict[str, str]:
    """The settings of a fresh bucket, as environment variables."""
    env = {
        "STORAGE": "s3",
        "S3_ENDPOINT_URL": s3_server,
        "S3_BUCKET": f"scenelab-{uuid.uuid4().hex[:10]}",
        "S3_REGION": "us-east-1",
        "S3_PREFIX": "team-a/",
        **CREDENTIALS,
    }
    _client(env).create_bucket(Bucket=env["S3_BUCKET"])
    return env


def _keys(env: dict[str, str]) -> list[str]:
    listing = _client(env).list_objects_v2(Bucket=env["S3_BUCKET"])
    return sorted(obj["Key"] for obj in listing.get("Contents", []))


@pytest.fixture(params=["local", "s3"])
def store(request, monkeypatch) -> str:
    """Each test runs on local storage, then on S3 (the settings object pointed at a fresh bucket)."""
    if request.param == "s3":
        for name, value in request.getfixturevalue("s3_env").items():
            monkeypatch.setattr(settings, name.lower(), value)
    else:
        monkeypatch.setattr(settings, "storage", "local")
    return request.param


def _job(kind: JobKind = JobKind.depth) -> Job:
    return Job(id=uuid.uuid4(), kind=kind)


def test_write_read_list_describe_delete(store):
    files = storage.job_files(_job())
    assert files.names() == []
    stored = files.write("a_depth.json", b'{"a": 1}')
    assert (stored.name, stored.media_type, stored.bytes) == ("a_depth.json", "application/json", 8)
    assert files.read("a_depth.json") == b'{"a": 1}' and files.describe("a_depth.json") == stored
    array = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert files.write_npy("a_depth.npy", array).media_type == "application/x-npy"
    assert np.array_equal(files.read_npy("a_depth.npy"), array)
    assert sorted(files.names()) == ["a_depth.json", "a_depth.npy"]
    with files.open("a_depth.json") as opened:
        assert opened.read() == b'{"a": 1}'
    with files.local_input("a_depth.npy") as path:
        assert path.name == "a_depth.npy" and np.array_equal(np.load(path), array)
    files.delete("a_depth.json")
    assert files.names() == ["a_depth.npy"]
    for missing in (files.read, files.describe, files.open):
        with pytest.raises(FileNotFoundError):
            missing("a_depth.json")
    with pytest.raises(FileNotFoundError), files.local_input("a_depth.json"):
        pass
    with pytest.raises(ValueError, match="not a plain file name"):
        files.write("../escape.txt", b"no")


def test_a_failed_write_stores_nothing_and_keeps_the_previous_file(store):
    files = storage.job_files(_job())
    files.write("stats.json", b"old")
    with pytest.raises(RuntimeError), files.writing("stats.json") as tmp:
        tmp.write_bytes(b"half of the new")
        raise RuntimeError("the writer died")
    assert files.read("stats.json") == b"old" and files.names() == ["stats.json"]


def test_files_written_together_are_stored_only_when_the_block_succeeds(store):
    files = storage.job_files(_job())
    files.write("zones.csv", b"old zones")
    with pytest.raises(RuntimeError), files.written_together({"zones.csv": b"new", "lines.csv": b"new"}):
        raise RuntimeError("the commit failed")
    assert files.names() == ["zones.csv"] and files.read("zones.csv") == b"old zones"
    with files.written_together({"zones.csv": b"new zones", "lines.csv": b"new lines"}) as written:
        assert [(f.name, f.bytes) for f in written] == [("zones.csv", 9), ("lines.csv", 9)]
        assert files.read("zones.csv") == b"old zones"  # nothing stored before the block ends
    assert files.read("zones.csv") == b"new zones" and files.read("lines.csv") == b"new lines"


def test_a_runs_scratch_files_are_stored_only_when_published(store):
    files = storage.job_files(_job(JobKind.heatmap))
    scratch = files.scratch(uuid.uuid4())
    scratch.folder.write("heatmap.png", images.png())
    assert scratch.folder.read("heatmap.png") == images.png()
    assert files.names() == []
    scratch.publish()
    assert files.names() == ["heatmap.png"] and files.read("heatmap.png") == images.png()
    scratch.folder.write("tracks.png", b"unpublished")
    scratch.discard()
    scratch.publish()  # a run whose scratch folder went (discarded, or removed by the run that replaced it)
    assert files.names() == ["heatmap.png"]


def test_a_heatmap_jobs_video_and_deleting_a_job(store):
    job = _job(JobKind.heatmap)
    files = storage.job_files(job)
    with files.writing("input.mp4") as tmp:
        tmp.write_bytes(b"video bytes")
    files.write("heatmap.png", images.png())
    assert sorted(files.names()) == ["heatmap.png", "input.mp4"]
    assert job.id in storage.stored_jobs()
    files.delete_video_input()
    assert files.names() == ["heatmap.png"]
    assert storage.remove_orphan(job.id, written_before=time.time() - 3600) == 0  # written lately
    storage.delete_job_files(job.id)
    assert files.names() == [] and job.id not in storage.stored_jobs()
    files.write("heatmap.png", images.png())
    assert storage.remove_orphan(job.id, written_before=time.time() + 60) >= 1
    assert job.id not in storage.stored_jobs()


def test_the_layout_is_the_same_in_the_bucket(s3_env, monkeypatch):
    """Keys mirror the local folders under S3_PREFIX; nothing is written to the local folders."""
    for name, value in s3_env.items():
        monkeypatch.setattr(settings, name.lower(), value)
    job = _job(JobKind.heatmap)
    files = storage.job_files(job)
    files.write("input.mp4", b"video")
    files.write("heatmap.png", images.png())
    assert _keys(s3_env) == [f"team-a/heatmaps/{job.id}/heatmap.png", f"team-a/videos/{job.id}/input.mp4"]
    assert not (settings.heatmaps_dir / str(job.id)).exists() and not (settings.videos_dir / str(job.id)).exists()
    head = _client(s3_env).head_object(Bucket=s3_env["S3_BUCKET"], Key=f"team-a/heatmaps/{job.id}/heatmap.png")
    assert head["ContentType"] == "image/png"


def test_an_s3_download_is_a_short_lived_presigned_redirect(s3_env, monkeypatch):
    for name, value in s3_env.items():
        monkeypatch.setattr(settings, name.lower(), value)
    files = storage.job_files(_job())
    stored = files.write("a_depth.png", images.png())
    response = files.response(stored, inline=True)
    assert response.status_code == 302 and response.headers["cache-control"] == "no-store"
    location = response.headers["location"]
    assert (
        location.startswith(s3_env["S3_ENDPOINT_URL"])
        and f"X-Amz-Expires={settings.s3_url_expires_seconds}" in location
    )
    fetched = httpx.get(location)
    assert fetched.status_code == 200 and fetched.content == images.png()
    assert fetched.headers["content-type"] == "image/png"
    assert fetched.headers["content-disposition"] == 'inline; filename="a_depth.png"'
    monkeypatch.setattr(settings, "s3_public_url", "http://files.example.com:9000")
    assert files.response(stored, inline=False).headers["location"].startswith("http://files.example.com:9000/")
    files.delete("a_depth.png")
    with pytest.raises(FileNotFoundError):
        files.response(stored, inline=True)


def test_an_unreachable_bucket_answers_503_and_keeps_no_job(s3_env, make_user, monkeypatch):
    for name, value in s3_env.items():
        monkeypatch.setattr(settings, name.lower(), value)
    monkeypatch.setattr(settings, "s3_endpoint_url", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    user = make_user()
    answer = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png(), "image/png")])
    assert answer.status_code == 503 and "file storage is unavailable" in answer.json()["detail"], answer.text
    assert user.get("/api/jobs").json()["total"] == 0


def _stored(env: dict[str, str], folder: Path) -> dict[str, int]:
    """Every stored file of the job whose local folder is `folder`, with its size: the objects in the bucket on
    S3, the files in the job's local folders (scratch folders included) otherwise."""
    if env["STORAGE"] == "s3":
        listing = _client(env).list_objects_v2(Bucket=env["S3_BUCKET"]).get("Contents", [])
        return {obj["Key"].rsplit("/", 1)[1]: obj["Size"] for obj in listing}
    files = [path for path in folder.parent.parent.glob(f"*/{folder.name}/**/*") if path.is_file()]
    return {path.name: path.stat().st_size for path in files}


def _finished(client: httpx.Client, job_id: str, timeout: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while (job := client.get(f"/api/jobs/{job_id}").json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.3)
    return job


@pytest.mark.slow
@pytest.mark.parametrize("where", ["local", "s3"])
def test_a_depth_job_through_the_real_stack(where, request):
    """Upload through a real API process, a real worker on a queue of its own, download every result (on S3
    through the redirect, followed to the presigned URL), the ZIP (streamed through the API), then delete."""
    env = request.getfixturevalue("s3_env") if where == "s3" else {"STORAGE": "local"}
    queue = f"storage-{uuid.uuid4().hex[:8]}"
    env = {**env, "DEPTH_QUEUE": queue}
    worker = start_worker(queues=queue, name=f"storage-{where}", **env)
    api, base = start_api(**env)
    try:
        with httpx.Client(base_url=base, headers=bearer_for_new_user(base), timeout=60) as client:
            upload = [("files", ("street.png", images.png(80, 60), "image/png"))]
            created = client.post("/api/jobs/depth", files=upload, data={"point_cloud": "true"})
            assert created.status_code == 202, created.text
            job_id = created.json()["id"]
            done = _finished(client, job_id)
            assert done["status"] == "succeeded", done
            names = {f["name"]: f["bytes"] for f in done["results"]}  # what the quota counts
            suffixes = (".png", "_depth.png", "_depth16.png", "_depth.npy", "_depth.json", "_points.ply")
            assert names.keys() == {f"street{suffix}" for suffix in suffixes}
            local = settings.depth_maps_dir / job_id
            deadline = time.monotonic() + 30  # the run's scratch folder goes once it ends
            while (stored := _stored(env, local)) != names:
                assert time.monotonic() < deadline, (stored, names)
                time.sleep(0.2)
            if where == "s3":
                assert not local.exists()  # nothing on the API's or the worker's disk
            for listed in done["results"]:
                answer = client.get(listed["url"], params={"download": "true"})
                if where == "s3":
                    assert answer.status_code == 302, answer.text
                    answer = httpx.get(answer.headers["location"])
                assert answer.status_code == 200 and len(answer.content) == listed["bytes"], listed
                assert answer.headers["content-type"] == listed["media_type"]
                assert answer.headers["content-disposition"] == f'attachment; filename="{listed["name"]}"'
            npy = client.get(f"/api/jobs/{job_id}/files/street_depth.npy", follow_redirects=True)
            depth = np.load(io.BytesIO(npy.content))
            assert depth.shape == (60, 80) and depth.dtype == np.float32
            archive = client.get(f"/api/jobs/{job_id}/archive")
            assert archive.status_code == 200 and archive.headers["content-type"] == "application/zip"
            with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
                assert set(zipped.namelist()) == names.keys() and zipped.testzip() is None
            assert client.get(f"/api/jobs/{job_id}/files/other.png").status_code == 404
            assert client.delete(f"/api/jobs/{job_id}").status_code == 204
            assert (_keys(env) if where == "s3" else list(local.glob("*"))) == []
    finally:
        stop_process(api)
        stop_process(worker)


@pytest.mark.slow
@pytest.mark.parametrize("where", ["local", "s3"])
def test_a_heatmap_job_through_the_real_stack(where, request, tmp_path):
    """A video: the worker reads it from a local copy (downloaded to its scratch folder on S3), its results are
    published under the job, a redraw rewrites them, and `keep_input=false` removes the video once analysed."""
    env = request.getfixturevalue("s3_env") if where == "s3" else {"STORAGE": "local"}
    queue = f"storage-{uuid.uuid4().hex[:8]}"
    env = {**env, "HEATMAP_QUEUE": queue, "INTERACTIVE_QUEUE": f"{queue}-interactive"}
    worker = start_worker(queues=f"{queue},{queue}-interactive", name=f"storage-{where}", **env)
    api, base = start_api(**env)
    try:
        video = media.write_video(tmp_path / "walk.mp4", media.default_scene(seconds=2.0)).read_bytes()
        with httpx.Client(base_url=base, headers=bearer_for_new_user(base), timeout=60) as client:
            upload = [("file", ("walk.mp4", video, "video/mp4"))]
            created = client.post("/api/jobs/heatmap", files=upload, data={"keep_input": "false", "recap": "false"})
            assert created.status_code == 202, created.text
            job_id = created.json()["id"]
            done = _finished(client, job_id)
            assert done["status"] == "succeeded", done
            names = {f["name"]: f["bytes"] for f in done["results"]}  # what the quota counts
            assert {"heatmap.png", "tracks.npz", "stats.json"} <= names.keys() and "input.mp4" not in names
            deadline = time.monotonic() + 30  # the video goes (keep_input=false) and the scratch folder once it ends
            while (stored := _stored(env, settings.heatmaps_dir / job_id)) != names:
                assert time.monotonic() < deadline, (stored, names)
                time.sleep(0.2)
            redrawn = client.post(f"/api/jobs/{job_id}/render", json={"colormap": "viridis", "opacity": 1.0})
            assert redrawn.status_code == 200 and redrawn.json()["params"]["colormap"] == "viridis", redrawn.text
            listed = {f["name"]: f for f in redrawn.json()["results"]}["heatmap.png"]
            after = client.get(listed["url"], follow_redirects=True)
            assert after.status_code == 200 and len(after.content) == listed["bytes"]
            assert after.content.startswith(b"\x89PNG")
            assert client.delete(f"/api/jobs/{job_id}").status_code == 204
            assert (_keys(env) if where == "s3" else list((settings.heatmaps_dir / job_id).glob("*"))) == []
    finally:
        stop_process(api)
        stop_process(worker)


@pytest.mark.slow
def test_a_large_upload_streams_into_the_bucket(s3_env, tmp_path):
    """A 1 GiB video (a short clip followed by a 1 GiB `free` box, which players skip) goes to the bucket as a
    multipart upload: the API never holds it in memory."""
    queue = f"storage-{uuid.uuid4().hex[:8]}"  # no worker: the job stays queued
    api, base = start_api(**s3_env, HEATMAP_QUEUE=queue)
    try:
        big = media.write_video(tmp_path / "big.mp4", media.default_scene(seconds=1.0))
        with big.open("ab") as out:
            out.write(struct.pack(">I4s", (1 << 30) + 8, b"free"))
            out.truncate(out.tell() + (1 << 30))  # sparse: the box's zeros cost no disk
        before = peak_rss(api.pid)
        headers = bearer_for_new_user(base)
        with big.open("rb") as body:
            started = time.perf_counter()
            created = httpx.post(
                f"{base}/api/jobs/heatmap",
                headers=headers,
                files=[("file", ("big.mp4", body, "video/mp4"))],
                timeout=600,
            )
            seconds = time.perf_counter() - started
        assert created.status_code == 202, created.text
        growth = peak_rss(api.pid) - before
        print(f"1 GiB upload to S3: {seconds:.1f} s, API peak RSS {peak_rss(api.pid) >> 20} MiB (+{growth >> 20} MiB)")
        key = f"team-a/videos/{created.json()['id']}/input.mp4"
        head = _client(s3_env).head_object(Bucket=s3_env["S3_BUCKET"], Key=key)
        assert head["ContentLength"] == big.stat().st_size and "-" in head["ETag"]  # a multipart upload's ETag
        assert growth < 128 << 20
    finally:
        stop_process(api)
