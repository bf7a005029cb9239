"""Depth jobs end to end: upload -> real Celery worker -> results, archives, events, cancel, delete."""

from __future__ import annotations

import io
import json
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.core.config import settings
from tests import images
from tests.conftest import file_tuple, wait_for_job

pytestmark = pytest.mark.slow


def _png_array(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)))


def test_depth_job_end_to_end(user, worker):
    upload = user.post(
        "/api/jobs/depth",
        files=[
            file_tuple("street.png", images.png(80, 60), "image/png"),
            file_tuple("rotated.jpg", images.jpeg(64, 48, orientation=6), "image/jpeg"),
            file_tuple("batch.zip", images.zip_of({"a/one.png": images.png(40, 30), "notes.txt": b"hello",
                                                   "__MACOSX/._one.png": b"junk", ".DS_Store": b"junk"}), "application/zip"),
        ],
        data={"colormap": "viridis"},
    )
    assert upload.status_code == 202, upload.text
    job = upload.json()
    assert job["status"] == "queued" and job["kind"] == "depth" and job["items_total"] == 3
    assert job["params"] == {"colormap": "viridis"}

    done = wait_for_job(user, job["id"])
    assert done["status"] == "succeeded", done
    assert done["progress"] == 1.0 and done["items_done"] == 3 and done["items_failed"] == 0
    assert done["processing_ms"] > 0 and done["started_at"] and done["finished_at"]
    assert done["summary"]["images"] == 3 and done["summary"]["model"].endswith(".pt")
    assert done["summary"]["min_depth"] <= done["summary"]["max_depth"]
    # INFERENCE_BACKEND=auto without a GPU: OpenVINO, at DEPTH_IMGSZ (set to 128 for the tests)
    assert (done["summary"]["backend"], done["summary"]["device"], done["summary"]["imgsz"]) == ("openvino", "cpu", 128)
    assert done["summary"]["skipped"] == [{"name": "notes.txt", "reason": "not an image"}]

    names = {r["name"] for r in done["results"]}
    for stem, ext in (("street", ".png"), ("rotated", ".jpg"), ("one", ".png")):
        assert {f"{stem}{ext}", f"{stem}_depth.png", f"{stem}_depth16.png", f"{stem}_depth.npy"} <= names

    # Full resolution, EXIF orientation applied (orientation 6 turns 64x48 into 48x64).
    for stem, shape in (("street", (60, 80)), ("rotated", (64, 48)), ("one", (30, 40))):
        npy = user.get(f"/api/jobs/{job['id']}/files/{stem}_depth.npy")
        assert npy.status_code == 200 and "attachment" in npy.headers["content-disposition"]
        depth = np.load(io.BytesIO(npy.content))
        assert depth.dtype == np.float32 and depth.shape == shape
        sixteen = _png_array(user.get(f"/api/jobs/{job['id']}/files/{stem}_depth16.png").content)
        assert sixteen.dtype == np.uint16 and sixteen.shape == shape
        preview = user.get(f"/api/jobs/{job['id']}/files/{stem}_depth.png")
        assert preview.headers["content-type"] == "image/png" and "inline" in preview.headers["content-disposition"]
        assert _png_array(preview.content).shape == (*shape, 3)

    items = user.get(f"/api/jobs/{job['id']}/items").json()["items"]
    assert [(i["name"], i["status"]) for i in items] == [
        ("street.png", "succeeded"), ("rotated.jpg", "succeeded"), ("a/one.png", "succeeded"), ("notes.txt", "skipped")
    ]
    assert all(r["url"].startswith(f"/api/jobs/{job['id']}/files/") for r in items[0]["results"])

    archive = user.get(f"/api/jobs/{job['id']}/archive")
    assert archive.status_code == 200 and archive.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.content)) as z:
        assert set(z.namelist()) == names and z.testzip() is None

    everything = user.get("/api/jobs/archive", params={"kind": "depth"})
    with zipfile.ZipFile(io.BytesIO(everything.content)) as z:
        assert f"{job['id']}/street_depth.npy" in z.namelist()

    listing = user.get("/api/jobs", params={"kind": "depth", "status": "succeeded"}).json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == job["id"] and listing["next"] is None
    assert user.get("/api/stats").json() == {"total": 1, "queued": 0, "running": 0, "succeeded": 1, "failed": 0, "cancelled": 0}

    folder = settings.depth_maps_dir / job["id"]
    assert folder.is_dir()
    assert user.delete(f"/api/jobs/{job['id']}").status_code == 204
    assert not folder.exists()
    assert user.get(f"/api/jobs/{job['id']}").status_code == 404


def test_one_bad_image_fails_only_its_item(user, worker):
    upload = user.post(
        "/api/jobs/depth",
        files=[file_tuple("good.png", images.png()), file_tuple("broken.jpg", images.jpeg()[:200]),
               file_tuple("text.png", b"this is not a png")],
    )
    assert upload.status_code == 202, upload.text
    done = wait_for_job(user, upload.json()["id"])
    assert done["status"] == "succeeded" and done["items_failed"] == 2 and done["items_done"] == 3
    items = {i["name"]: i for i in user.get(f"/api/jobs/{done['id']}/items").json()["items"]}
    assert items["good.png"]["status"] == "succeeded"
    for bad in ("broken.jpg", "text.png"):
        assert items[bad]["status"] == "failed" and items[bad]["error"]


@pytest.mark.parametrize(
    "name,data",
    [
        ("gray.png", images.encode(Image.fromarray(images.gradient_rgb()[:, :, 0]), "PNG")),
        ("rgba.png", images.encode(Image.fromarray(images.gradient_rgb()).convert("RGBA"), "PNG")),
        ("palette.png", images.encode(Image.fromarray(images.gradient_rgb()).convert("P"), "PNG")),
        ("sixteen.png", images.encode(Image.fromarray(images.gradient_rgb()[:, :, 0].astype(np.uint16) * 250), "PNG")),
        ("picture.webp", images.encode(Image.fromarray(images.gradient_rgb()), "WEBP")),
        ("picture.bmp", images.encode(Image.fromarray(images.gradient_rgb()), "BMP")),
        ("picture.tiff", images.encode(Image.fromarray(images.gradient_rgb()), "TIFF")),
    ],
)
def test_image_modes_and_formats(user, worker, name, data):
    upload = user.post("/api/jobs/depth", files=[file_tuple(name, data)])
    assert upload.status_code == 202, upload.text
    done = wait_for_job(user, upload.json()["id"])
    assert done["status"] == "succeeded" and done["items_failed"] == 0, done


def test_events_stream_reports_progress(user, worker):
    """The SSE stream delivers the job's changes as the worker makes them (through Redis pub/sub)."""
    seen: list[dict] = []
    opened = threading.Event()

    def listen() -> None:
        with user.stream("GET", "/api/jobs/events") as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            for line in response.iter_lines():
                opened.set()
                if line.startswith("data: "):
                    seen.append(json.loads(line[6:]))
                    if seen[-1]["status"] in ("succeeded", "failed"):
                        return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert opened.wait(10)
    job_id = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())]).json()["id"]
    listener.join(60)
    statuses = [event["status"] for event in seen if event["id"] == job_id]
    assert statuses[0] == "queued" and "running" in statuses and statuses[-1] == "succeeded"


def test_cancel_a_queued_job_and_conflicts(user, worker):
    job_id = user.post("/api/jobs/depth", files=[file_tuple(f"p{i}.png", images.png()) for i in range(12)]).json()["id"]
    cancelled = user.post(f"/api/jobs/{job_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert user.post(f"/api/jobs/{job_id}/cancel").status_code == 409
    final = wait_for_job(user, job_id)
    assert final["status"] == "cancelled" and final["items_done"] < 12


def test_archive_of_an_unfinished_job_is_409(user, monkeypatch):
    monkeypatch.setattr(settings, "depth_queue", "nobody-serves-this")  # it stays queued whatever workers run
    job_id = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())]).json()["id"]
    unfinished = user.get(f"/api/jobs/{job_id}/archive")
    assert unfinished.status_code == 409 and "not finished" in unfinished.json()["detail"]
    assert user.get(f"/api/jobs/{job_id}").json()["status"] == "queued"
    user.post(f"/api/jobs/{job_id}/cancel")
    assert user.get(f"/api/jobs/{job_id}/archive").status_code == 200  # cancelled is finished
    assert user.delete(f"/api/jobs/{job_id}").status_code == 204


def test_pagination_newest_first(user):
    ids = [user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png(8, 8))]).json()["id"] for _ in range(5)]
    first = user.get("/api/jobs", params={"limit": 2}).json()
    assert first["total"] == 5 and [j["id"] for j in first["items"]] == ids[::-1][:2]
    second = user.get("/api/jobs", params={"limit": 2, "cursor": first["next"]}).json()
    assert [j["id"] for j in second["items"]] == ids[::-1][2:4]
    by_offset = user.get("/api/jobs", params={"limit": 2, "offset": 4}).json()
    assert [j["id"] for j in by_offset["items"]] == ids[:1] and by_offset["next"] is None
    for job_id in ids:
        user.post(f"/api/jobs/{job_id}/cancel")
        assert user.delete(f"/api/jobs/{job_id}").status_code == 204
    assert not any(Path(settings.depth_maps_dir / job_id).exists() for job_id in ids)
