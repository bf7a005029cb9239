"""ZIP uploads are refused from their end records, before Python's zipfile reads the central directory: a ZIP of
200,000 empty entries (9.8 MB, all directory) is a 413 at once, with flat memory, whether its end records tell
the truth about the count or not."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from app.core.config import settings
from app.ingest import Rejected, ingest_depth
from scripts import images

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
            ingest_depth([("huge.zip", stream)], tmp_path / "job")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20
    assert settings.zip_max_entries < 40_000_000
