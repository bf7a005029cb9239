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
from plyfile import PlyData

from app.core.config import settings
from scripts import images
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
            file_tuple(
                "batch.zip",
                images.zip_of(
                    {
                        "a/one.png": images.png(40, 30),
                        "notes.txt": b"hello",
                        "__MACOSX/._one.png": b"junk",
                        ".DS_Store": b"junk",
                    }
                ),
                "application/zip",
            ),
        ],
        data={"colormap": "viridis"},
    )
    assert upload.status_code == 202, upload.text
    job = upload.json()
    assert job["status"] == "queued" and job["kind"] == "depth" and job["items_total"] == 3
    assert job["params"] == {"colormap": "viridis", "normalization": "image", "point_cloud": False, "fov_deg": 60.0}

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
        ("street.png", "succeeded"),
        ("rotated.jpg", "succeeded"),
        ("a/one.png", "succeeded"),
        ("notes.txt", "skipped"),
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
    assert user.get("/api/stats").json() == {
        "total": 1,
        "queued": 0,
        "running": 0,
        "succeeded": 1,
        "failed": 0,
        "cancelled": 0,
    }

    folder = settings.depth_maps_dir / job["id"]
    assert folder.is_dir()
    assert user.delete(f"/api/jobs/{job['id']}").status_code == 204
    assert not folder.exists()
    assert user.get(f"/api/jobs/{job['id']}").status_code == 404


def test_one_bad_image_fails_only_its_item(user, worker):
    upload = user.post(
        "/api/jobs/depth",
        files=[
            file_tuple("good.png", images.png()),
            file_tuple("broken.jpg", images.jpeg()[:200]),
            file_tuple("text.png", b"this is not a png"),
        ],
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


DEPTH_JSON_KEYS = {
    "model",
    "weights_sha256",
    "imgsz",
    "units",
    "scale",
    "min_m",
    "max_m",
    "median_m",
    "width",
    "height",
    "exif_orientation_applied",
    "focal_px",
    "focal_source",
    "normalization",
    "png16",
}


def _file(user, job_id: str, name: str) -> bytes:
    response = user.get(f"/api/jobs/{job_id}/files/{name}")
    assert response.status_code == 200, name
    return response.content


def _metres_from_png16(user, job_id: str, stem: str) -> tuple[dict, np.ndarray, np.ndarray]:
    """The JSON, the NPY, and the 16-bit PNG turned back into metres with the JSON's stated range."""
    meta = json.loads(_file(user, job_id, f"{stem}_depth.json"))
    npy = np.load(io.BytesIO(_file(user, job_id, f"{stem}_depth.npy")))
    sixteen = _png_array(_file(user, job_id, f"{stem}_depth16.png"))
    png16 = meta["png16"]
    assert (png16["near"], png16["far"]) == (0, 65535)
    metres = png16["min_m"] + sixteen.astype(np.float64) / 65535 * (png16["max_m"] - png16["min_m"])
    return meta, npy, metres


def test_depth_json_round_trip_and_point_cloud(user, worker):
    """`<stem>_depth.json` states what the numbers mean: the 16-bit PNG turns back into the NPY's metres, the
    focal length comes from EXIF when the photo has one, and the PLY holds the photo's pixels."""
    upload = user.post(
        "/api/jobs/depth",
        files=[
            file_tuple("plain.png", images.png(80, 60)),
            file_tuple("phone.jpg", images.jpeg(64, 48, orientation=6, FocalLengthIn35mmFilm=28)),
        ],
        data={"point_cloud": "true", "fov_deg": "70"},
    )
    assert upload.status_code == 202, upload.text
    job = upload.json()
    assert job["params"] == {"colormap": "magma", "normalization": "image", "point_cloud": True, "fov_deg": 70.0}
    done = wait_for_job(user, job["id"])
    assert done["status"] == "succeeded" and done["items_failed"] == 0, done
    item_files = [r["name"] for r in user.get(f"/api/jobs/{job['id']}/items").json()["items"][0]["results"]]
    assert item_files == [
        "plain.png",
        "plain_depth.png",
        "plain_depth16.png",
        "plain_depth.npy",
        "plain_depth.json",
        "plain_points.ply",
    ]

    per_image = {entry["name"]: entry for entry in done["summary"]["per_image"]}
    for stem, name, shape in (("plain", "plain.png", (60, 80)), ("phone", "phone.jpg", (64, 48))):
        meta, npy, metres = _metres_from_png16(user, job["id"], stem)
        assert set(meta) == DEPTH_JSON_KEYS
        assert meta["units"] == "m" and meta["normalization"] == "image" and "calibration" in meta["scale"]
        assert meta["model"] == done["summary"]["model"] and meta["weights_sha256"] == done["summary"]["weights_sha256"]
        assert meta["imgsz"] == settings.depth_imgsz and (meta["height"], meta["width"]) == shape == npy.shape
        assert meta["png16"]["min_m"] == meta["min_m"] == pytest.approx(float(npy.min()))
        assert meta["png16"]["max_m"] == meta["max_m"] == pytest.approx(float(npy.max()))
        assert meta["median_m"] == pytest.approx(float(np.median(npy)))
        assert np.all(np.abs(metres - npy) <= np.maximum(1e-3, 1e-3 * np.abs(npy)))
        assert per_image[name] == {
            "name": name,
            "min_m": meta["min_m"],
            "median_m": meta["median_m"],
            "max_m": meta["max_m"],
        }

    phone = json.loads(_file(user, job["id"], "phone_depth.json"))
    # FocalLengthIn35mmFilm over the sensor's 64 px width (the photo is turned by its EXIF orientation).
    assert phone["focal_source"] == "exif" and phone["focal_px"] == pytest.approx(28 / 36 * 64)
    assert phone["exif_orientation_applied"] is True
    plain = json.loads(_file(user, job["id"], "plain_depth.json"))
    assert plain["focal_source"] == "fov" and plain["focal_px"] == pytest.approx(40 / np.tan(np.radians(35)))
    assert plain["exif_orientation_applied"] is False

    cloud = PlyData.read(io.BytesIO(_file(user, job["id"], "plain_points.ply")))
    assert cloud.byte_order == "<" and not cloud.text
    vertices = cloud["vertex"].data
    npy = np.load(io.BytesIO(_file(user, job["id"], "plain_depth.npy")))
    kept = np.isfinite(npy) & (npy > 0)
    assert len(vertices) == kept.sum() > 0
    colours = np.stack([vertices["red"], vertices["green"], vertices["blue"]], axis=1)
    assert colours.tolist() == images.gradient_rgb(80, 60)[kept].tolist()
    np.testing.assert_allclose(vertices["z"], npy[kept], rtol=1e-6)


def test_job_normalization_gives_every_image_the_jobs_range(user, worker):
    photos = {"wide.png": images.png(96, 40), "tall.png": images.png(30, 70), "small.jpg": images.jpeg(24, 24)}
    upload = user.post(
        "/api/jobs/depth",
        files=[file_tuple(n, d) for n, d in photos.items()],
        data={"normalization": "job", "colormap": "gray"},
    )
    assert upload.status_code == 202, upload.text
    done = wait_for_job(user, upload.json()["id"])
    assert done["status"] == "succeeded" and done["items_done"] == 3 and done["progress"] == 1.0, done
    summary = done["summary"]
    assert summary["normalization"] == "job"
    assert summary["png16"] == {"near": 0, "far": 65535, "min_m": summary["min_depth"], "max_m": summary["max_depth"]}
    assert [entry["name"] for entry in summary["per_image"]] == list(photos)
    assert summary["min_depth"] == min(e["min_m"] for e in summary["per_image"])
    assert summary["max_depth"] == max(e["max_m"] for e in summary["per_image"])

    for name in photos:
        stem = name.split(".")[0]
        meta, npy, metres = _metres_from_png16(user, done["id"], stem)
        assert meta["normalization"] == "job" and meta["png16"] == summary["png16"]
        assert meta["min_m"] == pytest.approx(float(npy.min())) and meta["max_m"] == pytest.approx(float(npy.max()))
        assert np.all(np.abs(metres - npy) <= np.maximum(1e-3, 1e-3 * np.abs(npy)))
        # The gray preview is drawn over the same range: near white, far black.
        preview = _png_array(_file(user, done["id"], f"{stem}_depth.png"))[:, :, 0].astype(np.float64)
        span = summary["max_depth"] - summary["min_depth"]
        expected = 255 * (1 - (npy - summary["min_depth"]) / span) if span > 0 else np.full(npy.shape, 255.0)
        assert np.abs(preview - expected).max() <= 1


def test_depth_options_are_checked(user):
    for data in ({"normalization": "global"}, {"fov_deg": "5"}, {"fov_deg": "180"}, {"point_cloud": "maybe"}):
        response = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())], data=data)
        assert response.status_code == 422, data


def test_an_input_named_like_another_inputs_result_keeps_its_own_name(user, worker):
    """`a_depth.png` uploaded beside `a.jpg` is not overwritten by a's depth preview (nor the other way)."""
    uploads = {"a.jpg": images.jpeg(64, 48), "a_depth.png": images.png(40, 30), "a_depth16.png": images.png(20, 10)}
    job = user.post("/api/jobs/depth", files=[file_tuple(name, data) for name, data in uploads.items()]).json()
    done = wait_for_job(user, job["id"], timeout=120)
    assert done["status"] == "succeeded" and done["items_done"] == 3 and done["items_failed"] == 0, done
    names = [result["name"] for result in done["results"]]
    assert len(names) == len(set(names)) and {"a.jpg", "a_depth-input.png", "a_depth16-input.png"} <= set(names)
    items = user.get(f"/api/jobs/{job['id']}/items").json()["items"]
    for item in items:
        stored_input = item["results"][0]
        assert user.get(stored_input["url"]).content == uploads[item["name"]], item["name"]
