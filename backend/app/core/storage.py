"""The one module that knows where files live.

Layout (roots are settings, mounted as shared volumes in production):
    depth_maps/<job_id>/<stem>.<ext>, <stem>_depth.png, <stem>_depth16.png, <stem>_depth.npy
    videos/<job_id>/input.<ext>
    heatmaps/<job_id>/heatmap.png, heatmap.npy, tracks.png, heat_slices.npy, recap.mp4, tracks.npz, stats.json,
                      background.png, regions.json, zones.csv, lines.csv (once footfall regions are set)
    <job folder>/.run-<run_id>/: a run's files until it publishes them (see `RunOutput`)
The database stores only names relative to a job's folder; nothing outside these folders is ever served.
"""

from __future__ import annotations

import mimetypes
import os
import re
import shutil
import tempfile
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from pydantic import BaseModel, TypeAdapter

from app import kinds
from app.core.config import settings
from app.models import NAME_LENGTH, Job

VIDEO_INPUT_STEM = "input"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
mimetypes.add_type("application/x-npy", ".npy")
mimetypes.add_type("application/x-npz", ".npz")
mimetypes.add_type("image/webp", ".webp")


def job_dir(job: Job) -> Path:
    """Folder of a job's results (and of its inputs, for depth jobs)."""
    return kinds.spec(job.kind).folder(settings) / str(job.id)


def video_dir(job: Job) -> Path:
    return settings.videos_dir / str(job.id)


def video_input_path(job: Job, extension: str) -> Path:
    return video_dir(job) / f"{VIDEO_INPUT_STEM}{extension}"


def file_path(job: Job, name: str) -> Path:
    """Where the job's file `name` lives. `name` must be a plain file name (checked by the caller
    against the job's own result list; checked here against path tricks)."""
    if name != Path(name).name or name in {"", ".", ".."}:
        raise ValueError(f"not a plain file name: {name!r}")
    if is_video_input(job, name):
        return video_dir(job) / name
    return job_dir(job) / name


def is_video_input(job: Job, name: str) -> bool:
    """Whether the job's result file `name` is its uploaded video."""
    return kinds.spec(job.kind).input_video and Path(name).stem == VIDEO_INPUT_STEM


def delete_video_input(job: Job) -> None:
    """Remove a heatmap job's uploaded video from disk (its results stay)."""
    shutil.rmtree(video_dir(job), ignore_errors=True)


def delete_job_files(job_id: uuid.UUID) -> None:
    """Remove every folder a job may have, whatever its kind (also used after the row is gone)."""
    for root in (settings.depth_maps_dir, settings.heatmaps_dir, settings.videos_dir):
        shutil.rmtree(root / str(job_id), ignore_errors=True)


def job_folders() -> Iterator[tuple[uuid.UUID, Path]]:
    """Every job folder on disk, whatever its kind, with the job id its name is."""
    for root in (settings.depth_maps_dir, settings.heatmaps_dir, settings.videos_dir):
        for folder in root.iterdir() if root.is_dir() else ():
            try:
                yield uuid.UUID(folder.name), folder
            except ValueError:
                continue


RUN_FOLDER_PREFIX = ".run-"


class RunOutput:
    """A run's scratch folder inside a job's folder (`<job folder>/.run-<run_id>/`): the run writes its files
    there, and `publish` moves them into the job's folder only while the run still holds the job (the caller
    checks its fence under the row lock), so a run that lost the job never changes the files it serves.

    A run starting removes the scratch folders of the runs before it: one that was presumed dead, frozen between
    its fence check and its renames, finds its files gone when it wakes up instead of renaming them over the
    files of the run that replaced it."""

    def __init__(self, folder: Path, run_id: uuid.UUID) -> None:
        self.folder = folder
        self.scratch = folder / f"{RUN_FOLDER_PREFIX}{run_id}"
        for other_run, scratch in run_folders(folder):
            if other_run != run_id:
                shutil.rmtree(scratch, ignore_errors=True)

    def publish(self) -> None:
        """Rename each finished file of the scratch folder into the job's folder (half-written `.part` files
        stay until their writer renames them)."""
        try:
            finished = [path for path in self.scratch.iterdir() if path.suffix != ".part"]
        except FileNotFoundError:  # nothing written yet, or removed by the run that replaced this one
            return
        for path in finished:
            try:
                os.replace(path, self.folder / path.name)
            except FileNotFoundError:  # removed by the run that replaced this one: its commit fails too
                continue

    def discard(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


def run_folders(folder: Path) -> Iterator[tuple[uuid.UUID, Path]]:
    """The scratch folders of runs in a job's folder, with the run id each is named after."""
    for scratch in folder.glob(f"{RUN_FOLDER_PREFIX}*"):
        try:
            yield uuid.UUID(scratch.name.removeprefix(RUN_FOLDER_PREFIX)), scratch
        except ValueError:
            continue


def last_written(folder: Path) -> float:
    """The newest modification time of the folder and the files in it (an upload still arriving is recent)."""
    return max([folder.stat().st_mtime, *(path.stat().st_mtime for path in folder.rglob("*"))])


def part_files(folder: Path) -> list[Path]:
    """Temporary files of `atomic_path` in the folder (left behind when a process died mid-write)."""
    return list(folder.glob(".*.part"))


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


@contextmanager
def _temporary(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` (a `.part` file), removed after the block unless renamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
    finally:
        tmp_path.unlink(missing_ok=True)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it into place only if the block succeeds,
    so a half-written file is never served."""
    with _temporary(target) as tmp:
        yield tmp
        os.replace(tmp, target)


def write_bytes(target: Path, data: bytes) -> StoredFile:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return describe(target)


NPY_HEADER_BYTES = 128  # what `np.save` writes before a 2-D array's values


@contextmanager
def written_together(files: dict[Path, bytes]) -> Iterator[list[StoredFile]]:
    """Write every file to a temporary name beside its target and yield their `StoredFile`s; once the block
    succeeds (it commits what lists them), rename them all into place. On any failure, of a write or of the
    block, no target is touched: the previous set stays whole."""
    with ExitStack() as stack:
        written = []
        for target, data in files.items():
            tmp = stack.enter_context(_temporary(target))
            tmp.write_bytes(data)
            written.append((tmp, target))
        yield [describe(tmp, name=target.name) for tmp, target in written]
        for tmp, target in written:
            os.replace(tmp, target)


class _PlainWriter:
    """Hides a real file from numpy, whose fast path reports a full disk as a short write without an errno."""

    def __init__(self, handle: BinaryIO) -> None:
        self.write = handle.write


def write_npy(target: Path, array: np.ndarray) -> StoredFile:
    with atomic_path(target) as tmp, tmp.open("wb") as handle:
        np.save(_PlainWriter(handle), array)
    return describe(target)
