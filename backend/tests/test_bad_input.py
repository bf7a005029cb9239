"""The bad-input corpus: each bad upload gets a clear 4xx before any job exists, leaving nothing on disk, or an
accepted job that ends clearly; the API and the worker go on serving normal jobs afterwards."""

from __future__ import annotations

import io
import zipfile

import cv2
import numpy as np
import pytest

from app.core.config import settings
from scripts import images, media
from tests.conftest import file_tuple, wait_for_job


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("huge.png", b"\0" * (64 << 20))
    return buffer.getvalue()


def _zip_with_raw_name(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name), images.png())
    return buffer.getvalue()


CASES = [
    ("unsupported type", [("movie.gif", b"GIF89a")], 415, "not a supported type"),
    ("no extension", [("README", b"hello")], 415, "not a supported type"),
    ("empty file", [("empty.png", b"")], 400, "no usable image"),
    ("text named png", [("notes.png", b"just text")], 400, "no usable image"),
    ("corrupt jpeg", [("bad.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 50)], 400, "no usable image"),
    ("pixel bomb", [("huge.png", images.png_declaring(50_000, 50_000))], 413, "pixels allowed"),
    ("zip slip", [("evil.zip", _zip_with_raw_name("../../etc/evil.png"))], 400, "unsafe path"),
    ("absolute zip path", [("evil.zip", _zip_with_raw_name("/tmp/evil.png"))], 400, "unsafe path"),
    ("zip bomb", [("bomb.zip", _bomb())], 413, "ZIP bomb"),
    ("zip of non-images", [("docs.zip", images.zip_of({"a.txt": b"a", "b.pdf": b"%PDF"}))], 400, "no usable image"),
    (
        "nested zip only",
        [("outer.zip", images.zip_of({"inner.zip": images.zip_of({"a.png": images.png()})}))],
        400,
        "nested ZIP",
    ),
    ("not a zip", [("fake.zip", b"PK not really")], 400, "not a readable ZIP"),
    ("zero-pixel image", [("zero.png", images.png_declaring(0, 0))], 400, "no usable image"),
]


@pytest.mark.parametrize("case,files,status,message", CASES, ids=[c[0] for c in CASES])
def test_bad_depth_uploads(user, case, files, status, message):
    before = set(settings.depth_maps_dir.glob("*")) if settings.depth_maps_dir.exists() else set()
    response = user.post("/api/jobs/depth", files=[file_tuple(name, data) for name, data in files])
    assert response.status_code == status, response.text
    assert message in response.json()["detail"]
    after = set(settings.depth_maps_dir.glob("*")) if settings.depth_maps_dir.exists() else set()
    assert after == before, "a refused upload left files behind"
    assert user.get("/api/jobs").json()["total"] == 0


def test_too_many_zip_entries(user, monkeypatch):
    monkeypatch.setattr(settings, "zip_max_entries", 50)
    many = images.zip_of({f"img{i}.png": b"x" for i in range(51)}, compression=zipfile.ZIP_STORED)
    response = user.post("/api/jobs/depth", files=[file_tuple("many.zip", many)])
    assert response.status_code == 413 and "entries" in response.json()["detail"]


def test_zip_expanding_too_far(user, monkeypatch):
    monkeypatch.setattr(settings, "zip_max_expanded_bytes", 100)
    response = user.post("/api/jobs/depth", files=[file_tuple("a.zip", images.zip_of({"a.png": images.png(200, 200)}))])
    assert response.status_code == 413 and "expands to" in response.json()["detail"]


def test_too_many_images(user, monkeypatch):
    monkeypatch.setattr(settings, "max_images_per_job", 2)
    response = user.post("/api/jobs/depth", files=[file_tuple(f"{i}.png", images.png(8, 8)) for i in range(3)])
    assert response.status_code == 413 and "more than 2 images" in response.json()["detail"]


def test_oversized_upload_is_cut_off(user, monkeypatch):
    monkeypatch.setattr(settings, "max_upload_bytes", 100_000)
    big = images.png(8, 8) + b"\0" * 2_000_000
    response = user.post("/api/jobs/depth", files=[file_tuple("big.png", big)])
    assert response.status_code == 413 and "larger than" in response.json()["detail"]


def test_oversized_upload_without_content_length_is_cut_off_while_streaming(user, monkeypatch):
    monkeypatch.setattr(settings, "max_upload_bytes", 100_000)
    body, content_type = _multipart([("files", "big.png", "image/png", images.png(8, 8) + b"\0" * 3_000_000)])
    chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))  # chunked: no Content-Length to refuse early
    response = user.post("/api/jobs/depth", content=chunks, headers={"Content-Type": content_type})
    assert response.status_code == 413 and "larger than" in response.json()["detail"]
    assert user.get("/api/jobs").json()["total"] == 0


def test_very_long_names_inside_a_zip_are_shortened_for_display(user):
    name = "é" * 1000 + ".png"
    response = user.post("/api/jobs/depth", files=[file_tuple("long.zip", images.zip_of({name: images.png(8, 8)}))])
    assert response.status_code == 202, response.text
    item = user.get(f"/api/jobs/{response.json()['id']}/items").json()["items"][0]
    assert len(item["name"]) == 512 and item["name"].endswith("…") and item["stem"] == "e" * 80
    user.post(f"/api/jobs/{response.json()['id']}/cancel")


def test_multipart_without_files_is_422(user):
    assert user.post("/api/jobs/depth", data={"colormap": "magma"}).status_code == 422
    assert user.post("/api/jobs/depth").status_code == 422


def test_invalid_params_are_422(user):
    response = user.post(
        "/api/jobs/depth", files=[file_tuple("a.png", images.png())], data={"colormap": "rainbow-unicorn"}
    )
    assert response.status_code == 422


def test_hostile_file_names_are_made_safe(user):
    names = ["../../../etc/passwd.png", "Été à Zürich 😀.png", "$(rm -rf ~);`x`.png", "a" * 300 + ".png"]
    response = user.post("/api/jobs/depth", files=[file_tuple(name, images.png(8, 8)) for name in names])
    assert response.status_code == 202, response.text
    items = user.get(f"/api/jobs/{response.json()['id']}/items").json()["items"]
    assert [i["name"] for i in items] == names
    stems = [i["stem"] for i in items]
    assert stems[:3] == ["passwd", "Ete_a_Zurich", "rm_-rf_x"] and len(stems[3]) <= 80
    for item in items:
        assert all("/" not in r["name"] for r in item["results"])
    user.post(f"/api/jobs/{response.json()['id']}/cancel")


def test_bidirectional_controls_are_dropped_from_shown_names(user):
    """U+202E (right-to-left override) would show "invoice\u202egnp.exe" as "invoiceexe.png"."""
    names = ["invoice\u202egnp.exe.png", "\u2067isolate\u2069 \u200fmark\u200e.png"]
    response = user.post("/api/jobs/depth", files=[file_tuple(name, images.png(8, 8)) for name in names])
    assert response.status_code == 202, response.text
    items = user.get(f"/api/jobs/{response.json()['id']}/items").json()["items"]
    assert [i["name"] for i in items] == ["invoicegnp.exe.png", "isolate mark.png"]
    user.post(f"/api/jobs/{response.json()['id']}/cancel")


def test_errors_quote_no_library_exceptions(user):
    """What a person reads says what is wrong with their file, never Pillow's or zipfile's own words."""
    text = user.post("/api/jobs/depth", files=[file_tuple("notes.png", b"just text")])
    assert text.status_code == 400
    unreadable = "not a readable image (unknown format or damaged)"
    assert text.json()["detail"] == f"no usable image in the upload (notes.png: {unreadable})"
    good, damaged = images.png(8, 8), images.png(9, 9)
    archive = bytearray(images.zip_of({"good.png": good, "damaged.png": damaged}, compression=zipfile.ZIP_STORED))
    at = archive.rindex(damaged) + len(damaged) // 2
    archive[at] ^= 0xFF  # a CRC mismatch when zipfile reads it
    response = user.post("/api/jobs/depth", files=[file_tuple("mixed.zip", bytes(archive))])
    assert response.status_code == 202, response.text
    items = {i["name"]: i for i in user.get(f"/api/jobs/{response.json()['id']}/items").json()["items"]}
    assert items["damaged.png"]["error"] == (
        "could not extract from the ZIP (damaged, encrypted or an unsupported compression)"
    )
    user.post(f"/api/jobs/{response.json()['id']}/cancel")


# --- the rest of the corpus: videos, default limits, Content-Type, names, parameters -------------------------


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, bytes]:
    """Generated videos: containers with no frames, a one-frame video and a normal short one."""
    folder = tmp_path_factory.mktemp("clips")
    made = {}
    for name, fourcc in (("empty.avi", "MJPG"), ("empty.mp4", "mp4v")):
        writer = cv2.VideoWriter(str(folder / name), cv2.VideoWriter.fourcc(*fourcc), 10, (64, 48))
        writer.release()  # a container with a video stream and not a single frame
        made[name] = (folder / name).read_bytes()
    made["one.mp4"] = media.write_video(folder / "one.mp4", media.default_scene(seconds=0.1)).read_bytes()
    made["walk.mp4"] = media.write_video(folder / "walk.mp4", media.default_scene(seconds=1.0)).read_bytes()
    return made


def _video(name: str, data: bytes, content_type: str = "video/mp4") -> dict:
    return {"file": (name, io.BytesIO(data), content_type)}


@pytest.mark.parametrize(
    "name,status,message", [("empty.avi", 400, "no frames"), ("empty.mp4", 400, "not a decodable video")]
)
def test_videos_without_frames_are_refused(user, clips, name, status, message):
    response = user.post("/api/jobs/heatmap", files=_video(name, clips[name]))
    assert response.status_code == status, response.text
    assert message in response.json()["detail"]
    assert user.get("/api/jobs").json()["total"] == 0


def test_ten_thousand_entry_zip_at_default_limits(user):
    assert settings.zip_max_entries < 10_000
    many = images.zip_of({f"{i}.png": b"" for i in range(10_000)}, compression=zipfile.ZIP_STORED)
    response = user.post("/api/jobs/depth", files=[file_tuple("many.zip", many)])
    assert response.status_code == 413 and "has 10,000 entries" in response.json()["detail"]


def test_huge_batch_at_default_limits(user):
    count = settings.max_images_per_job + 1
    response = user.post("/api/jobs/depth", files=[file_tuple(f"{i}.png", images.png(4, 4)) for i in range(count)])
    assert response.status_code == 413 and f"more than {count - 1} images" in response.json()["detail"]
    assert user.get("/api/jobs").json()["total"] == 0


def _multipart(parts: list[tuple[str, str, str | None, bytes]]) -> tuple[bytes, str]:
    """A multipart body by hand, so that a part can have no Content-Type header at all."""
    boundary = "scenelab-corpus-boundary"
    body = b""
    for field, filename, content_type, data in parts:
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'.encode()
        if content_type is not None:
            body += f"Content-Type: {content_type}\r\n".encode()
        body += b"\r\n" + data + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    "content_type,status,message",
    [
        ("application/json", 422, "files"),  # a JSON body where multipart belongs
        ("multipart/form-data", 400, "boundary"),  # no boundary
        ("text/plain", 422, "files"),
        (None, 422, "files"),
    ],
)
def test_requests_that_are_not_multipart(user, content_type, status, message):
    headers = {"Content-Type": content_type} if content_type else {}
    response = user.post("/api/jobs/depth", content=images.png(), headers=headers)
    assert response.status_code == status, response.text
    assert message in str(response.json()["detail"])


# Accepted inputs: the part's declared type is not trusted either way, the content decides. They run last,
# with the normal jobs that prove the worker kept serving.
HOSTILE_VIDEO_NAMES = [
    "$(rm -rf ~); `reboot` & echo 'x' | nc evil 1 > /dev/sda.mp4",
    "Été à Zürich 😀 vidéo.mp4",
    "../../../etc/cron.d/evil.mp4",
    "a" * 1000 + ".mp4",
    "nul\0in the middle.mp4",
]


@pytest.mark.slow
def test_parts_with_wrong_or_missing_content_type_are_judged_by_content(user, worker, clips):
    body, content_type = _multipart(
        [("files", "a.png", None, images.png()), ("files", "b.png", "application/x-msdownload", images.png())]
    )
    depth = user.post("/api/jobs/depth", content=body, headers={"Content-Type": content_type})
    assert depth.status_code == 202, depth.text
    text_as_png = user.post("/api/jobs/depth", files=[file_tuple("c.png", b"just text", "image/png")])
    assert text_as_png.status_code == 400 and "no usable image" in text_as_png.json()["detail"]
    body, content_type = _multipart([("file", "walk.mp4", None, clips["one.mp4"])])
    video = user.post("/api/jobs/heatmap", content=body, headers={"Content-Type": content_type})
    assert video.status_code == 202, video.text
    declared_image = user.post("/api/jobs/heatmap", files=_video("walk.mp4", clips["one.mp4"], "image/png"))
    assert declared_image.status_code == 202, declared_image.text
    for job in (depth.json(), video.json(), declared_image.json()):
        done = wait_for_job(user, job["id"], timeout=120)
        assert done["status"] == "succeeded", done


@pytest.mark.slow
def test_hostile_video_names_are_kept_for_display_only(user, worker, clips):
    for name in HOSTILE_VIDEO_NAMES:
        body, content_type = _multipart([("file", name, "video/mp4", clips["one.mp4"])])  # sent as is, NUL included
        response = user.post("/api/jobs/heatmap", content=body, headers={"Content-Type": content_type})
        assert response.status_code == 202, (name[:40], response.text)
        job = response.json()
        shown = name.replace("\0", "")
        assert job["input_name"] == (shown if len(shown) <= 512 else shown[:511] + "…")
        done = wait_for_job(user, job["id"], timeout=120)
        assert done["status"] == "succeeded", done
        assert {r["name"] for r in done["results"]} >= {"heatmap.png", "input.mp4"}
        assert [p.name for p in (settings.videos_dir / job["id"]).iterdir()] == ["input.mp4"]


@pytest.mark.slow
def test_one_frame_video_makes_a_heatmap(user, worker, clips):
    response = user.post("/api/jobs/heatmap", files=_video("one.mp4", clips["one.mp4"]))
    assert response.status_code == 202, response.text
    done = wait_for_job(user, response.json()["id"], timeout=120)
    assert done["status"] == "succeeded", done
    assert done["summary"]["frames_total"] == 1 and done["summary"]["frames_sampled"] == 1
    heat = np.load(io.BytesIO(user.get(f"/api/jobs/{done['id']}/files/heatmap.npy").content))
    assert heat.shape == (240, 320)


@pytest.mark.parametrize(
    "field,value",
    [
        ("sample_fps", "-5"),
        ("sample_fps", "0"),
        ("sample_fps", "nan"),
        ("sample_fps", "inf"),
        ("sample_fps", "1e308"),
        ("stride", "-1"),
        ("stride", "99999999999999999999"),
        ("stride", "1.5"),
        ("conf", "-0.1"),
        ("radius", "1e9"),
        ("anchor", "../../etc/passwd"),
        ("opacity", "nan"),
    ],
)
def test_invalid_video_params_are_422(user, clips, field, value):
    response = user.post("/api/jobs/heatmap", files=_video("walk.mp4", clips["walk.mp4"]), data={field: value})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == field


@pytest.mark.slow
def test_after_the_corpus_normal_jobs_still_succeed(user, worker, clips):
    depth = user.post("/api/jobs/depth", files=[file_tuple("ok.png", images.png())])
    heat = user.post("/api/jobs/heatmap", files=_video("walk.mp4", clips["walk.mp4"]))
    for response in (depth, heat):
        assert response.status_code == 202, response.text
        assert wait_for_job(user, response.json()["id"], timeout=120)["status"] == "succeeded"
    health = user.get("/api/health").json()
    assert (health["status"], health["database"], health["broker"]) == ("ok", "ok", "ok")
