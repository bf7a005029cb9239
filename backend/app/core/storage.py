"""The one module that knows where files live, and the only one that opens them.

`job_files(job)` hands out a job's handle (`JobFiles`): read, write atomically, list, delete, open for a ZIP, answer a
download, and local paths for libraries that want one (`local_input`, `scratch`). Callers name files by their plain
names; nothing outside this module builds a path to a stored file.

Layout (roots are settings, mounted as shared volumes in production):
    depth_maps/<job_id>/<stem>.<ext>, <stem>_depth.png, <stem>_depth16.png, <stem>_depth.npy
    videos/<job_id>/input.<ext>
    heatmaps/<job_id>/heatmap.png, heatmap.npy, tracks.png, heat_slices.npy, recap.mp4, tracks.npz, stats.json,
                      background.png, regions.json, zones.csv, lines.csv (once footfall regions are set)
    <job folder>/.run-<run_id>/: a run's files until it publishes them (see `Scratch`)
The database stores only names relative to a job's folder; nothing outside these folders is ever served.
With `STORAGE=s3` the same layout is kept as object keys under `S3_PREFIX` (`S3Files`); the scratch folders of
runs are then on the worker's local disk.
"""

from __future__ import annotations

import mimetypes
import os
import re
import shutil
import tempfile
import threading
import unicodedata
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO
from urllib.parse import quote

import boto3
import numpy as np
from boto3.s3.transfer import TransferConfig
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel, TypeAdapter
from starlette.responses import FileResponse, RedirectResponse, Response

from app import kinds
from app.core.config import MiB, settings
from app.models import NAME_LENGTH, Job

VIDEO_INPUT_STEM = "input"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
CHUNK = 1 << 20
mimetypes.add_type("application/x-npy", ".npy")
mimetypes.add_type("application/x-npz", ".npz")
mimetypes.add_type("image/webp", ".webp")


def job_dir(job: Job) -> Path:
    """Folder of a job's results (and of its inputs, for depth jobs)."""
    return kinds.spec(job.kind).folder(settings) / str(job.id)


def video_dir(job: Job) -> Path:
    return settings.videos_dir / str(job.id)


def _roots() -> tuple[Path, ...]:
    """Every folder that holds job folders, whatever their kind."""
    return (*dict.fromkeys(spec.folder(settings) for spec in kinds.specs()), settings.videos_dir)


def _plain(name: str) -> str:
    """`name`, once it is a plain file name (checked by the caller against the job's own result list; checked here
    against path tricks)."""
    if name != Path(name).name or name in {"", ".", ".."}:
        raise ValueError(f"not a plain file name: {name!r}")
    return name


def file_path(job: Job, name: str) -> Path:
    """Where the job's file `name` lives on local storage."""
    if is_video_input(job, _plain(name)):
        return video_dir(job) / name
    return job_dir(job) / name


def is_video_input(job: Job, name: str) -> bool:
    """Whether the job's result file `name` is its uploaded video."""
    return kinds.spec(job.kind).input_video and Path(name).stem == VIDEO_INPUT_STEM


class TooLarge(Exception):
    """A stream passed the bytes allowed."""


def copy_limited(source: IO[bytes], target: Path, *, limit: int) -> int:
    """Copy a stream into `target` (a path `Folder.writing` handed out) in chunks; `TooLarge` as soon as it passes
    `limit` bytes. Returns the bytes copied."""
    written = 0
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise TooLarge()
            out.write(chunk)
    return written


class _PlainWriter:
    """Hides a real file from numpy, whose fast path reports a full disk as a short write without an errno."""

    def __init__(self, handle: BinaryIO) -> None:
        self.write = handle.write


def _save_npy(target: Path, array: np.ndarray) -> None:
    with target.open("wb") as handle:
        np.save(_PlainWriter(handle), array)


class Folder(ABC):
    """Files named by plain names that are written atomically: a job's stored files (`JobFiles`) or a run's scratch
    folder (`Scratch.folder`). A half-written file is never read nor served."""

    @abstractmethod
    def _temporary(self, name: str) -> AbstractContextManager[Path]:
        """A context yielding a local temporary path for `name`, removed at its end unless stored."""

    @abstractmethod
    def _store(self, tmp: Path, name: str) -> None:
        """Move the finished temporary file `tmp` into place as `name` (the local file is gone after)."""

    @abstractmethod
    def read(self, name: str) -> bytes:
        """The file's bytes; `FileNotFoundError` when it is missing."""

    @abstractmethod
    def local_input(self, name: str) -> AbstractContextManager[Path]:
        """A context yielding a local path holding the file `name` (`FileNotFoundError` when it is missing), for
        libraries that read paths (OpenCV, PyAV, ultralytics)."""

    @contextmanager
    def writing(self, name: str) -> Iterator[Path]:
        """Yield a local temporary path to write `name` into; it is stored only if the block succeeds."""
        with self._temporary(_plain(name)) as tmp:
            yield tmp
            self._store(tmp, name)

    def write_file(self, name: str, write: Callable[[Path], object]) -> StoredFile:
        """Store what `write(path)` writes at a local path as `name`."""
        with self.writing(name) as tmp:
            write(tmp)
            stored = describe(tmp, name=name)
        return stored

    def write(self, name: str, data: bytes) -> StoredFile:
        return self.write_file(name, lambda tmp: tmp.write_bytes(data))

    def write_npy(self, name: str, array: np.ndarray) -> StoredFile:
        return self.write_file(name, lambda tmp: _save_npy(tmp, array))

    def read_npy(self, name: str) -> np.ndarray:
        with self.local_input(name) as path:
            return np.asarray(np.load(path))

    @contextmanager
    def written_together(self, files: dict[str, bytes]) -> Iterator[list[StoredFile]]:
        """Write every file to a temporary name and yield their `StoredFile`s; once the block succeeds (it commits
        what lists them), store them all. On any failure, of a write or of the block, no stored file is touched:
        the previous set stays whole."""
        with ExitStack() as stack:
            written = []
            for name, data in files.items():
                tmp = stack.enter_context(self._temporary(_plain(name)))
                tmp.write_bytes(data)
                written.append((tmp, name))
            yield [describe(tmp, name=name) for tmp, name in written]
            for tmp, name in written:
                self._store(tmp, name)


@contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` (a `.part` file), removed after the block unless renamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
    finally:
        tmp_path.unlink(missing_ok=True)


class _OnDisk(Folder):
    """A folder of local files: each name at `path_of(name)`, written beside it and renamed into place."""

    @abstractmethod
    def path_of(self, name: str) -> Path: ...

    def _temporary(self, name: str) -> AbstractContextManager[Path]:
        return _temporary_beside(self.path_of(name))

    def _store(self, tmp: Path, name: str) -> None:
        os.replace(tmp, self.path_of(name))

    def read(self, name: str) -> bytes:
        return self.path_of(name).read_bytes()

    @contextmanager
    def local_input(self, name: str) -> Iterator[Path]:
        path = self.path_of(name)
        if not path.is_file():
            raise FileNotFoundError(name)
        yield path


class LocalFolder(_OnDisk):
    """A local folder (a run's scratch files)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def path_of(self, name: str) -> Path:
        return self.path / _plain(name)


RUN_FOLDER_PREFIX = ".run-"


class Scratch:
    """A run's scratch folder, on local disk: the run writes its files there, and `publish` stores them as the
    job's only while the run still holds the job (the caller checks its fence under the row lock), so a run that
    lost the job never changes the files it serves."""

    def __init__(self, files: JobFiles, path: Path) -> None:
        self.files = files
        self.folder = LocalFolder(path)

    def publish(self) -> None:
        """Store each finished file of the scratch folder as the job's (half-written `.part` files stay until their
        writer renames them)."""
        try:
            finished = [path for path in self.folder.path.iterdir() if path.suffix != ".part"]
        except FileNotFoundError:  # nothing written yet, or removed by the run that replaced this one
            return
        for path in finished:
            try:
                self.files._store(path, path.name)
            except FileNotFoundError:  # removed by the run that replaced this one: its commit fails too
                continue

    def discard(self) -> None:
        shutil.rmtree(self.folder.path, ignore_errors=True)


class JobFiles(Folder):
    """A job's stored files (its inputs and results), by plain name. `job_files(job)` hands one out."""

    def __init__(self, job: Job) -> None:
        self.job = job

    @abstractmethod
    def names(self) -> list[str]:
        """The names of the job's stored files (temporary and scratch files aside)."""

    @abstractmethod
    def describe(self, name: str) -> StoredFile:
        """The stored file's `StoredFile`; `FileNotFoundError` when it is missing."""

    @abstractmethod
    def delete(self, name: str) -> None:
        """Remove the file (nothing when it is missing)."""

    @abstractmethod
    def delete_video_input(self) -> None:
        """Remove a heatmap job's uploaded video (its results stay)."""

    @abstractmethod
    def open(self, name: str) -> BinaryIO:
        """The file for reading, from its start; `FileNotFoundError` when it is missing."""

    @abstractmethod
    def response(self, stored: StoredFile, *, inline: bool) -> Response:
        """The answer to a download of the file, shown in the browser when `inline`; `FileNotFoundError` when it
        is missing."""

    @abstractmethod
    def scratch(self, run_id: uuid.UUID) -> Scratch:
        """The scratch folder of the job's run `run_id`, on local disk."""

    def delete_all(self) -> None:
        delete_job_files(self.job.id)


class LocalFiles(_OnDisk, JobFiles):
    """A job's files in the local folders (`file_path`)."""

    def path_of(self, name: str) -> Path:
        return file_path(self.job, name)

    def names(self) -> list[str]:
        folders = (job_dir(self.job), video_dir(self.job))
        return [
            path.name
            for folder in folders
            if folder.is_dir()
            for path in sorted(folder.iterdir())
            if path.is_file() and not path.name.startswith(".")
        ]

    def describe(self, name: str) -> StoredFile:
        return describe(self.path_of(name))

    def delete(self, name: str) -> None:
        self.path_of(name).unlink(missing_ok=True)

    def delete_video_input(self) -> None:
        shutil.rmtree(video_dir(self.job), ignore_errors=True)

    def open(self, name: str) -> BinaryIO:
        return self.path_of(name).open("rb")

    def response(self, stored: StoredFile, *, inline: bool) -> Response:
        path = self.path_of(stored.name)
        if not path.is_file():
            raise FileNotFoundError(stored.name)
        disposition = "inline" if inline else "attachment"
        return FileResponse(
            path, media_type=stored.media_type, filename=stored.name, content_disposition_type=disposition
        )

    def scratch(self, run_id: uuid.UUID) -> Scratch:
        """`<job folder>/.run-<run_id>/`, renamed from into place. A run starting removes the scratch folders of
        the runs before it: one that was presumed dead, frozen between its fence check and its renames, finds its
        files gone when it wakes up instead of renaming them over the files of the run that replaced it."""
        folder = job_dir(self.job)
        for other_run, path in run_folders(folder):
            if other_run != run_id:
                shutil.rmtree(path, ignore_errors=True)
        return Scratch(self, folder / f"{RUN_FOLDER_PREFIX}{run_id}")


class Store(ABC):
    """Where every job's files live: local folders (`LocalStore`) or a bucket (`S3Store`), as `STORAGE` says."""

    @abstractmethod
    def job_files(self, job: Job) -> JobFiles: ...

    @abstractmethod
    def delete_job(self, job_id: uuid.UUID) -> None: ...

    @abstractmethod
    def stored_jobs(self) -> set[uuid.UUID]: ...

    @abstractmethod
    def remove_orphan(self, job_id: uuid.UUID, *, written_before: float) -> int: ...

    @abstractmethod
    def remove_leftovers(self, job_id: uuid.UUID, *, live_runs: set[uuid.UUID], written_before: float) -> int: ...


class LocalStore(Store):
    def job_files(self, job: Job) -> JobFiles:
        return LocalFiles(job)

    def delete_job(self, job_id: uuid.UUID) -> None:
        for root in _roots():
            shutil.rmtree(root / str(job_id), ignore_errors=True)

    def stored_jobs(self) -> set[uuid.UUID]:
        found = set()
        for root in _roots():
            for folder in root.iterdir() if root.is_dir() else ():
                try:
                    found.add(uuid.UUID(folder.name))
                except ValueError:
                    continue
        return found

    def remove_orphan(self, job_id: uuid.UUID, *, written_before: float) -> int:
        removed = 0
        for folder in (root / str(job_id) for root in _roots()):
            if folder.is_dir() and _last_written(folder) < written_before:
                shutil.rmtree(folder)
                removed += 1
        return removed

    def remove_leftovers(self, job_id: uuid.UUID, *, live_runs: set[uuid.UUID], written_before: float) -> int:
        removed = 0
        for folder in (root / str(job_id) for root in _roots()):
            for run_id, scratch in run_folders(folder):
                if run_id not in live_runs and _last_written(scratch) < written_before:
                    shutil.rmtree(scratch)
                    removed += 1
            for part in folder.glob(".*.part"):
                if part.stat().st_mtime < written_before:
                    part.unlink()
                    removed += 1
        return removed


@contextmanager
def _temporary_file(name: str) -> Iterator[Path]:
    """A local path named `name` (libraries may read its extension) in a fresh temporary folder, removed after."""
    folder = Path(tempfile.mkdtemp(prefix="scenelab-"))
    try:
        yield folder / name
    finally:
        shutil.rmtree(folder, ignore_errors=True)


#: What a failing bucket raises (unreachable, refusing, ...); a missing file is a `FileNotFoundError` instead.
REMOTE_ERRORS: tuple[type[Exception], ...] = (BotoCoreError, ClientError)
_S3_TRANSFER = TransferConfig(multipart_threshold=8 * MiB, multipart_chunksize=8 * MiB, max_concurrency=4)
_MISSING = {"404", "NoSuchKey", "NotFound"}
_clients: dict[tuple[int, str | None], Any] = {}
_clients_lock = threading.Lock()  # boto3's default session is not safe to create clients from two threads at once


def _s3(endpoint_url: str | None = None) -> Any:
    """A boto3 S3 client for `endpoint_url` (the configured endpoint by default), one per process (clients are not
    shared across a fork)."""
    endpoint_url = endpoint_url or settings.s3_endpoint_url or None  # compose passes unset variables as ""
    key = (os.getpid(), endpoint_url)
    with _clients_lock:
        if key not in _clients:
            _clients[key] = boto3.client(
                "s3",
                endpoint_url=endpoint_url,
                region_name=settings.s3_region,
                aws_access_key_id=settings.s3_access_key_id or None,
                aws_secret_access_key=settings.s3_secret_access_key or None,
                config=BotoConfig(
                    signature_version="s3v4",
                    s3={"addressing_style": "path"} if endpoint_url else {},
                    retries={"mode": "standard", "max_attempts": 3},
                ),
            )
    return _clients[key]


@contextmanager
def _found(name: str) -> Iterator[None]:
    """S3's "no such key" as `FileNotFoundError`."""
    try:
        yield
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in _MISSING:
            raise FileNotFoundError(name) from None
        raise


def _job_prefixes(job_id: uuid.UUID) -> list[str]:
    """The key prefixes of a job's files: one per local root, named as the root folder is."""
    return [f"{settings.s3_prefix}{root.name}/{job_id}/" for root in _roots()]


def _objects(prefix: str) -> Iterator[dict[str, Any]]:
    for page in _s3().get_paginator("list_objects_v2").paginate(Bucket=settings.s3_bucket, Prefix=prefix):
        yield from page.get("Contents", [])


def _delete_keys(keys: list[str]) -> None:
    for start in range(0, len(keys), 1000):  # the most one DeleteObjects request takes
        batch = [{"Key": key} for key in keys[start : start + 1000]]
        _s3().delete_objects(Bucket=settings.s3_bucket, Delete={"Objects": batch, "Quiet": True})


def _content_disposition(name: str, *, inline: bool) -> str:
    """As Starlette's `FileResponse` writes it."""
    kind = "inline" if inline else "attachment"
    quoted = quote(name)
    return f"{kind}; filename*=utf-8''{quoted}" if quoted != name else f'{kind}; filename="{name}"'


class S3Files(JobFiles):
    """A job's files in the bucket, each at `<S3_PREFIX><root folder name>/<job id>/<name>` (the local layout).
    Writes go to a local temporary file first and are uploaded (multipart past 8 MiB) once finished: an object
    exists only whole, and its name reaches the database only after its upload completed."""

    def key(self, name: str) -> str:
        return settings.s3_prefix + "/".join(file_path(self.job, name).parts[-3:])

    def _temporary(self, name: str) -> AbstractContextManager[Path]:
        return _temporary_file(name)

    def _store(self, tmp: Path, name: str) -> None:
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        _s3().upload_file(
            str(tmp), settings.s3_bucket, self.key(name), ExtraArgs={"ContentType": media_type}, Config=_S3_TRANSFER
        )
        tmp.unlink(missing_ok=True)

    def read(self, name: str) -> bytes:
        with _found(name):
            data: bytes = _s3().get_object(Bucket=settings.s3_bucket, Key=self.key(name))["Body"].read()
        return data

    @contextmanager
    def local_input(self, name: str) -> Iterator[Path]:
        with _temporary_file(name) as path:
            with _found(name):
                _s3().download_file(settings.s3_bucket, self.key(name), str(path), Config=_S3_TRANSFER)
            yield path

    def names(self) -> list[str]:
        return [obj["Key"].rsplit("/", 1)[1] for prefix in _job_prefixes(self.job.id) for obj in _objects(prefix)]

    def describe(self, name: str) -> StoredFile:
        with _found(name):
            head = _s3().head_object(Bucket=settings.s3_bucket, Key=self.key(name))
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return StoredFile(name=name, media_type=media_type, bytes=head["ContentLength"])

    def delete(self, name: str) -> None:
        _s3().delete_object(Bucket=settings.s3_bucket, Key=self.key(name))

    def delete_video_input(self) -> None:
        _delete_keys([self.key(name) for name in self.names() if is_video_input(self.job, name)])

    def open(self, name: str) -> BinaryIO:
        with _found(name):
            body: BinaryIO = _s3().get_object(Bucket=settings.s3_bucket, Key=self.key(name))["Body"]
        return body

    def response(self, stored: StoredFile, *, inline: bool) -> Response:
        """A redirect (302) to a presigned URL of the object that lives `S3_URL_EXPIRES_SECONDS`: the bytes never
        pass through the API."""
        self.describe(stored.name)  # FileNotFoundError when it is gone
        url = _s3(settings.s3_public_url).generate_presigned_url(
            "get_object",
            Params={
                "Bucket": settings.s3_bucket,
                "Key": self.key(stored.name),
                "ResponseContentType": stored.media_type,
                "ResponseContentDisposition": _content_disposition(stored.name, inline=inline),
            },
            ExpiresIn=settings.s3_url_expires_seconds,
        )
        return RedirectResponse(url, status_code=302, headers={"Cache-Control": "no-store"})

    def scratch(self, run_id: uuid.UUID) -> Scratch:
        """A temporary folder on the worker's disk, removed when the run ends."""
        return Scratch(self, Path(tempfile.mkdtemp(prefix=f"scenelab-run-{run_id}-")))


class S3Store(Store):
    def job_files(self, job: Job) -> JobFiles:
        return S3Files(job)

    def delete_job(self, job_id: uuid.UUID) -> None:
        _delete_keys([obj["Key"] for prefix in _job_prefixes(job_id) for obj in _objects(prefix)])

    def stored_jobs(self) -> set[uuid.UUID]:
        found = set()
        for root in _roots():
            pages = (
                _s3()
                .get_paginator("list_objects_v2")
                .paginate(Bucket=settings.s3_bucket, Prefix=f"{settings.s3_prefix}{root.name}/", Delimiter="/")
            )
            for page in pages:
                for common in page.get("CommonPrefixes", []):
                    try:
                        found.add(uuid.UUID(common["Prefix"].rstrip("/").rsplit("/", 1)[1]))
                    except ValueError:
                        continue
        return found

    def remove_orphan(self, job_id: uuid.UUID, *, written_before: float) -> int:
        objects = [obj for prefix in _job_prefixes(job_id) for obj in _objects(prefix)]
        if not objects or max(obj["LastModified"].timestamp() for obj in objects) >= written_before:
            return 0
        _delete_keys([obj["Key"] for obj in objects])
        return 1

    def remove_leftovers(self, job_id: uuid.UUID, *, live_runs: set[uuid.UUID], written_before: float) -> int:
        removed = 0
        for prefix in _job_prefixes(job_id):
            uploads = _s3().list_multipart_uploads(Bucket=settings.s3_bucket, Prefix=prefix).get("Uploads", [])
            for upload in uploads:
                if upload["Initiated"].timestamp() < written_before:
                    _s3().abort_multipart_upload(
                        Bucket=settings.s3_bucket, Key=upload["Key"], UploadId=upload["UploadId"]
                    )
                    removed += 1
        return removed


def _active() -> Store:
    return S3Store() if settings.storage == "s3" else LocalStore()


def job_files(job: Job) -> JobFiles:
    """The job's file handle."""
    return _active().job_files(job)


def delete_job_files(job_id: uuid.UUID) -> None:
    """Remove every file a job may have, whatever its kind (also used after the row is gone)."""
    _active().delete_job(job_id)


def stored_jobs() -> set[uuid.UUID]:
    """The ids of the jobs that have stored files (whether or not a job row names them)."""
    return _active().stored_jobs()


def remove_orphan(job_id: uuid.UUID, *, written_before: float) -> int:
    """Remove the files of a job that no row names, once nothing has written to them since `written_before` (an
    upload still arriving has no row yet). Returns how many folders (prefixes on S3) it removed."""
    return _active().remove_orphan(job_id, written_before=written_before)


def remove_leftovers(job_id: uuid.UUID, *, live_runs: set[uuid.UUID], written_before: float) -> int:
    """Remove what unfinished writes of a job left once nothing has written to it since `written_before`: its
    temporary `.part` files and the scratch folders of runs that no longer hold it (a run killed or taken over),
    or on S3 its unfinished multipart uploads. Returns how many."""
    return _active().remove_leftovers(job_id, live_runs=live_runs, written_before=written_before)


def run_folders(folder: Path) -> Iterator[tuple[uuid.UUID, Path]]:
    """The scratch folders of runs in a job's folder, with the run id each is named after."""
    for scratch in folder.glob(f"{RUN_FOLDER_PREFIX}*"):
        try:
            yield uuid.UUID(scratch.name.removeprefix(RUN_FOLDER_PREFIX)), scratch
        except ValueError:
            continue


def _last_written(folder: Path) -> float:
    """The newest modification time of the folder and the files in it (an upload still arriving is recent)."""
    return max([folder.stat().st_mtime, *(path.stat().st_mtime for path in folder.rglob("*"))])


def safe_stem(name: str, *, max_length: int = 80) -> str:
    """A file-system and URL safe stem from a user's file name (`../Été photo.JPG` -> `Ete_photo`)."""
    stem = Path(name.replace("\\", "/")).stem
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("_", ascii_stem).strip("._-")[:max_length]
    return cleaned or "file"


# Bidirectional controls reorder what is shown after them: "photo\u202egnp.exe" reads as "photoexe.png".
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_hidden(character: str) -> bool:
    """A control character (NUL included), a lone surrogate or a bidirectional control: never part of a name."""
    return unicodedata.category(character) in ("Cc", "Cs") or character in BIDI_CONTROLS


def display_name(name: str) -> str:
    """A user's file name as stored and shown: hidden characters (`is_hidden`) dropped, at most `NAME_LENGTH`
    characters (the database column's length). Never used as a path."""
    shown = "".join(c for c in name if not is_hidden(c))
    return shown if len(shown) <= NAME_LENGTH else shown[: NAME_LENGTH - 1] + "…"


def unique_stem(stem: str, taken: set[str]) -> str:
    candidate, n = stem, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}-{n}"
    taken.add(candidate.lower())
    return candidate


class StoredFile(BaseModel):
    """A file of a job as the database keeps it (a job's and an item's `results` list these, dumped to JSON).

    Attributes:
        name: Plain file name, relative to the job's folder (see `file_path`).
        media_type: Its MIME type.
        bytes: Its size.
    """

    name: str
    media_type: str
    bytes: int


#: Reads and dumps the `results` lists of the database (JSON) as `StoredFile`s.
STORED_FILES = TypeAdapter(list[StoredFile])


def stored_files(rows: list[dict[str, Any]]) -> list[StoredFile]:
    """A `results` column read back as `StoredFile`s."""
    return STORED_FILES.validate_python(rows)


def dump_files(files: list[StoredFile]) -> list[dict[str, Any]]:
    """`StoredFile`s as a `results` column stores them."""
    return STORED_FILES.dump_python(files)


def describe(path: Path, *, name: str | None = None) -> StoredFile:
    """The `StoredFile` of a file on disk, listed as `name` (its own by default)."""
    name = name or path.name
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return StoredFile(name=name, media_type=media_type, bytes=path.stat().st_size)


NPY_HEADER_BYTES = 128  # what `np.save` writes before a 2-D array's values
