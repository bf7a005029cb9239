"""ZIP uploads are refused from their end records, before Python's zipfile reads the central directory: a ZIP of
200,000 empty entries (9.8 MB, all directory) is a 413 at once, with flat memory, whether its end records tell
the truth about the count or not."""

from __future__ import annotations

import io
import time
import tracemalloc
import uuid
import zipfile
from pathlib import Path

import httpx
import pytest

from app.core import storage
from app.core.config import settings
from app.ingest import Rejected, ingest_depth
from app.models import Job, JobKind
from scripts import images
from tests.conftest import bearer_for_new_user, peak_rss, start_api, stop_process

ENTRIES = 200_000
# The request's own buffers (the 9.8 MB body, the multipart parser's copy of the file part) stay well under this;
# parsing the directory costs more than 60 MiB.
PEAK_MEMORY = 32 << 20


def test_the_crafted_zip_is_what_zipfile_reads():
    archive = zipfile.ZipFile(io.BytesIO(images.zip_directory_only(300)))
    assert len(archive.infolist()) == 300 and len({info.filename for info in archive.infolist()}) == 300


@pytest.mark.parametrize(
    ("declared", "message"), [(None, "has 200,000 entries"), (10, "directory")], ids=["counted", "count understated"]
)
def test_huge_directory_is_refused_before_it_is_parsed(user, declared, message):
    data = images.zip_directory_only(ENTRIES, declared=declared)
    boundary = "zipdirectory"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="many.zip"\r\n'
            f"Content-Type: application/zip\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    tracemalloc.start()
    try:
        response = user.post("/api/jobs/depth", content=body, headers=headers)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 413, response.text
    assert message in response.json()["detail"]
    assert peak < PEAK_MEMORY, f"{peak / 2**20:.0f} MiB allocated to refuse the upload"
    assert user.get("/api/jobs").json()["total"] == 0


def test_two_gib_zip64_directory_is_refused_from_its_end_records(tmp_path: Path):
    """A sparse file: a 2 GiB directory, then ZIP64 records declaring 40 M entries. zipfile would read the whole
    directory into memory (then build a ZipInfo per entry); it is refused without reading it."""
    archive = tmp_path / "huge.zip"
    with archive.open("wb") as out:
        out.truncate(2 << 30)
        out.seek(0, 2)
        out.write(images.zip64_end_records(40_000_000, 2 << 30))
    tracemalloc.start()
    try:
        with archive.open("rb") as stream, pytest.raises(Rejected, match="has 40,000,000 entries"):
            ingest_depth([("huge.zip", stream)], storage.job_files(Job(id=uuid.uuid4(), kind=JobKind.depth)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20
    assert settings.zip_max_entries < 40_000_000


ZIP64_ENTRIES = 2_000_000
# The API's growth in peak memory while it refuses the archive: its own buffers and a few chunks of the body.
API_GROWTH = 64 << 20


def _upload_seconds(base: str, headers: dict[str, str], path: Path, name: str) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    with path.open("rb") as stream:
        response = httpx.post(
            f"{base}/api/jobs/depth", headers=headers, files={"files": (name, stream, "application/zip")}, timeout=120
        )
    return response, time.perf_counter() - started


@pytest.mark.slow
def test_zip64_record_counts_even_when_the_classic_record_holds_small_counts(tmp_path: Path):
    """`zipfile` reads the ZIP64 record whenever a locator is there: 2,000,000 entries behind a classic end record
    that declares 10 entries (not the sentinels) cost 18 s and 924 MiB inside the API before its 413. The time is
    measured beyond what the same 102 MB take to arrive (refused by name, 415)."""
    archive = images.write_zip_directory_only(tmp_path / "many.zip", ZIP64_ENTRIES, classic=(10, 500))
    process, base = start_api()
    try:
        headers = bearer_for_new_user(base)
        arrival = _upload_seconds(base, headers, archive, "many.txt")
        before = peak_rss(process.pid)
        response, elapsed = _upload_seconds(base, headers, archive, "many.zip")
        growth = peak_rss(process.pid) - before
    finally:
        stop_process(process)
    assert arrival[0].status_code == 415
    assert response.status_code == 413, response.text
    assert "has 2,000,000 entries" in response.json()["detail"]
    assert elapsed - arrival[1] < 2.0, f"{elapsed - arrival[1]:.1f} s to refuse the upload once it arrived"
    assert growth < API_GROWTH, f"the API grew by {growth / 2**20:.0f} MiB to refuse the upload"
