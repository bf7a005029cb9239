"""Bad uploads get a clear 4xx before any job exists; nothing is left on disk."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.core.config import settings
from tests import images
from tests.conftest import file_tuple


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
    ("nested zip only", [("outer.zip", images.zip_of({"inner.zip": images.zip_of({"a.png": images.png()})}))], 400,
     "nested ZIP"),
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


def test_multipart_without_files_is_422(user):
    assert user.post("/api/jobs/depth", data={"colormap": "magma"}).status_code == 422
    assert user.post("/api/jobs/depth").status_code == 422


def test_invalid_params_are_422(user):
    response = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())], data={"colormap": "rainbow-unicorn"})
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
