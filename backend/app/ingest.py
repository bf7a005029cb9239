"""Turning uploads into stored files and job items, with every limit checked on the way; each kind's ingest rule
(`depth_job`, `heatmap_job`) is named in its `KindSpec`.

Raises `Rejected(status, message)` for the whole upload; a single unreadable image inside a batch
becomes a failed item instead.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from app.core import storage
from app.core.config import settings
from app.core.storage import JobFiles, StoredFile
from app.kinds import Uploads, depth, heatmap
from app.kinds.depth import DepthOptions, DepthSummary, SkippedInput, input_stem
from app.kinds.heatmap import HeatmapOptions, VideoSummary
from app.models import ItemStatus, Job, JobItem
from app.vision.images import IMAGE_EXTENSIONS, ImageError, TooManyPixels, image_size
from app.vision.video import VideoError, VideoInfo, VideoTooLarge, probe_video

ZIP_EXTENSION = ".zip"
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
# End of central directory: the record, its ZIP64 locator and the ZIP64 record (APPNOTE 4.3.14-4.3.16).
_EOCD = struct.Struct("<4s4H2LH")
_EOCD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_EOCD_SEARCH = _EOCD.size + 0xFFFF  # the record, then a comment of up to 64 KiB
# Bytes of central directory allowed per permitted entry: the 46-byte header plus a generous name.
DIRECTORY_BYTES_PER_ENTRY = 46 + 512


class Rejected(Exception):
    def __init__(self, status_code: int, detail: str) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail


@dataclass
class PlannedItem:
    name: str
    stem: str
    input_file: StoredFile | None
    status: ItemStatus = ItemStatus.queued
    error: str | None = None
    width: int = 0
    height: int = 0

    def __post_init__(self) -> None:
        self.name = storage.display_name(self.name)


def extension_of(filename: str) -> str:
    return PurePosixPath(filename.replace("\\", "/")).suffix.lower()


def _copy_limited(source: IO[bytes], target: Path, *, limit: int, what: str) -> None:
    """Copy a stream to `target` in chunks; 413 as soon as it passes `limit` bytes."""
    try:
        storage.copy_limited(source, target, limit=limit)
    except storage.TooLarge:
        raise Rejected(413, f"{what} is larger than the {limit:,} bytes allowed") from None


class _DepthIngest:
    def __init__(self, files: JobFiles) -> None:
        self.files = files
        self.items: list[PlannedItem] = []
        self.stems: set[str] = set()
        self.expanded_left = settings.zip_max_expanded_bytes

    def add_upload(self, filename: str, stream: BinaryIO) -> None:
        ext = extension_of(filename)
        if ext == ZIP_EXTENSION:
            self._add_zip(filename, stream)
        elif ext in IMAGE_EXTENSIONS:
            self._add_image(filename, ext, stream, limit=settings.max_upload_bytes)
        else:
            raise Rejected(
                415,
                f"'{filename}' is not a supported type: upload images "
                f"({', '.join(e[1:] for e in IMAGE_EXTENSIONS)}) or ZIP archives of them",
            )

    def _add_image(self, name: str, ext: str, stream: IO[bytes], *, limit: int) -> None:
        if sum(item.input_file is not None for item in self.items) >= settings.max_images_per_job:
            raise Rejected(413, f"more than {settings.max_images_per_job} images in one job")
        stem = input_stem(name, self.stems)
        with self.files.writing(f"{stem}{ext}") as target:
            _copy_limited(stream, target, limit=limit, what=f"'{name}'")
            item = PlannedItem(name=name, stem=stem, input_file=storage.describe(target, name=f"{stem}{ext}"))
            try:
                width, height = image_size(target, max_pixels=settings.max_image_pixels)
            except TooManyPixels as exc:
                raise Rejected(413, f"'{name}': {exc}") from None
            except ImageError as exc:
                item.status, item.error = ItemStatus.failed, str(exc)
            else:
                item.width, item.height = width, height
                if width == 0 or height == 0:
                    item.status, item.error = ItemStatus.failed, "the image is empty (0 pixels)"
        self.items.append(item)

    def _skip(self, name: str, reason: str) -> None:
        stem = input_stem(name, self.stems)
        self.items.append(PlannedItem(name=name, stem=stem, input_file=None, status=ItemStatus.skipped, error=reason))

    def _add_zip(self, filename: str, stream: BinaryIO) -> None:
        _check_directory_size(filename, stream)
        try:
            archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise Rejected(400, f"'{filename}' is not a readable ZIP archive") from exc
        with archive:
            entries = archive.infolist()
            if len(entries) > settings.zip_max_entries:
                raise Rejected(
                    413, f"'{filename}' has {len(entries):,} entries; at most {settings.zip_max_entries:,} are allowed"
                )
            expanded = sum(entry.file_size for entry in entries)
            if expanded > settings.zip_max_expanded_bytes:
                raise Rejected(
                    413,
                    f"'{filename}' expands to {expanded:,} bytes; "
                    f"at most {settings.zip_max_expanded_bytes:,} are allowed",
                )
            for entry in entries:
                self._check_entry_safe(filename, entry)
            for entry in entries:
                self._add_zip_entry(archive, entry)

    @staticmethod
    def _check_entry_safe(filename: str, entry: zipfile.ZipInfo) -> None:
        path = PurePosixPath(entry.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
            raise Rejected(400, f"'{filename}' contains an unsafe path '{entry.filename}' (absolute or with '..')")
        if (
            entry.compress_size
            and entry.file_size > storage.CHUNK
            and entry.file_size / entry.compress_size > settings.zip_max_ratio
        ):
            raise Rejected(
                413,
                f"'{filename}' entry '{entry.filename}' is compressed {entry.file_size / entry.compress_size:,.0f}:1 "
                f"(more than {settings.zip_max_ratio:,.0f}:1 is refused as a ZIP bomb)",
            )

    def _add_zip_entry(self, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
        path = PurePosixPath(entry.filename.replace("\\", "/"))
        if entry.is_dir() or "__MACOSX" in path.parts or any(part.startswith(".") for part in path.parts):
            return
        if path.name.lower() in _JUNK_NAMES:
            return
        ext = path.suffix.lower()
        if ext == ZIP_EXTENSION:
            self._skip(entry.filename, "nested ZIP archives are not opened")
        elif ext not in IMAGE_EXTENSIONS:
            self._skip(entry.filename, "not an image")
        else:
            try:
                with archive.open(entry) as member:
                    self._add_image(entry.filename, ext, member, limit=self.expanded_left)
                self.expanded_left -= entry.file_size
            # zipfile's errors for a damaged, encrypted or oddly compressed entry; their text is not shown to users.
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
                self.items.append(
                    PlannedItem(
                        name=entry.filename,
                        stem=input_stem(entry.filename, self.stems),
                        input_file=None,
                        status=ItemStatus.failed,
                        error="could not extract from the ZIP (damaged, encrypted or an unsupported compression)",
                    )
                )


def _zip_directory(stream: BinaryIO) -> tuple[int, int] | None:
    """(declared entries, central directory bytes) from the end records, found where `zipfile` finds them
    (`_EndRecData`); None when there is no end record (not a ZIP). `zipfile` reads the ZIP64 record whenever a
    ZIP64 locator precedes the end record, whatever the end record says: the larger of both records' figures."""
    size = stream.seek(0, 2)
    tail_start = max(0, size - _EOCD_SEARCH)
    stream.seek(tail_start)
    tail = stream.read()
    at = len(tail) - _EOCD.size  # a record at the very end, without a comment
    if at < 0 or not (tail.startswith(_EOCD_SIGNATURE, at) and tail.endswith(b"\0\0")):
        at = tail.rfind(_EOCD_SIGNATURE)
        if at < 0 or len(tail) - at < _EOCD.size:
            return None
    *_, this_disk, total, directory_bytes, _offset, _comment = _EOCD.unpack_from(tail, at)
    counts, sizes = [this_disk, total], [directory_bytes]
    zip64 = _zip64_directory(stream, tail_start + at)
    if zip64 is not None:  # then the end record's sentinels (0xFFFF, 0xFFFFFFFF) only mean "see the ZIP64 record"
        counts = [*zip64[0], *(count for count in counts if count != 0xFFFF)]
        sizes = [zip64[1], *(size for size in sizes if size != 0xFFFFFFFF)]
    stream.seek(0)
    return max(counts), max(sizes)


def _zip64_directory(stream: BinaryIO, end_record_at: int) -> tuple[list[int], int] | None:
    """(entry counts, directory bytes) of the ZIP64 record `zipfile` reads (`_EndRecData64`): a locator right
    before the end record, and the record right before the locator; None when either is missing."""
    record_at = end_record_at - _ZIP64_LOCATOR.size - _ZIP64_EOCD.size
    if record_at < 0:
        return None
    stream.seek(record_at)
    found = stream.read(_ZIP64_EOCD.size + _ZIP64_LOCATOR.size)
    if len(found) < _ZIP64_EOCD.size + _ZIP64_LOCATOR.size or not found.startswith(b"PK\x06\x07", _ZIP64_EOCD.size):
        return None
    signature, *_, this_disk, total, directory_bytes, _offset = _ZIP64_EOCD.unpack_from(found)
    return ([this_disk, total], directory_bytes) if signature == b"PK\x06\x06" else None


def _check_directory_size(filename: str, stream: BinaryIO) -> None:
    """413 from the end records alone, before `zipfile` reads and parses the central directory: its cost grows
    with the directory, whatever the entry limit."""
    found = _zip_directory(stream)
    if found is None:
        raise Rejected(400, f"'{filename}' is not a readable ZIP archive")
    entries, directory_bytes = found
    if entries > settings.zip_max_entries:
        raise Rejected(413, f"'{filename}' has {entries:,} entries; at most {settings.zip_max_entries:,} are allowed")
    if directory_bytes > settings.zip_max_entries * DIRECTORY_BYTES_PER_ENTRY:
        raise Rejected(
            413,
            f"'{filename}' has a {directory_bytes:,}-byte directory: too large for the {settings.zip_max_entries:,} "
            "entries allowed",
        )


def ingest_depth(uploads: Uploads, files: JobFiles) -> list[PlannedItem]:
    """Store uploaded images and ZIP contents as the job's `files`; the job's items in upload order.

    Raises:
        Rejected: 400 when nothing usable remains, 413/415 as named in the API contract.
    """
    ingest = _DepthIngest(files)
    try:
        for filename, stream in uploads:
            ingest.add_upload(filename, stream)
        if not any(item.status == ItemStatus.queued for item in ingest.items):
            reasons = "; ".join(f"{item.name}: {item.error}" for item in ingest.items[:5]) or "no files"
            raise Rejected(400, f"no usable image in the upload ({reasons})")
    except BaseException:
        files.delete_all()
        raise
    return ingest.items


VIDEO_EXTENSIONS = (".mp4", ".avi", ".mov", ".mkv", ".webm")
MEDIA_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".bmp": "image/bmp",
    ".tif": "image/tiff", ".tiff": "image/tiff", ZIP_EXTENSION: "application/zip", ".mp4": "video/mp4",
    ".avi": "video/x-msvideo", ".mov": "video/quicktime", ".mkv": "video/x-matroska", ".webm": "video/webm",
}  # fmt: skip
DEPTH_MEDIA_TYPES = sorted({MEDIA_TYPES[ext] for ext in (*IMAGE_EXTENSIONS, ZIP_EXTENSION)})
VIDEO_MEDIA_TYPES = sorted({MEDIA_TYPES[ext] for ext in VIDEO_EXTENSIONS})


def upload_name(filename: str | None, media_type: str | None, fallback: str) -> str:
    """The upload's file name; one without an extension gets the one its part's media type stands for
    (generated clients and fuzzers may name a part after its field)."""
    name = filename or fallback
    if extension_of(name):
        return name
    declared = (media_type or "").split(";")[0].strip().lower()
    return name + next((ext for ext, known in MEDIA_TYPES.items() if known == declared), "")


def ingest_video(filename: str, stream: BinaryIO, files: JobFiles) -> tuple[StoredFile, VideoInfo]:
    """Store an uploaded video as the job's `input.<extension>` once it can be decoded and is within limits; the
    stored file, and what it holds.

    Raises:
        Rejected: 415 unsupported type, 413 too large / too long / too many pixels, 400 not decodable.
    """
    ext = extension_of(filename)
    if ext not in VIDEO_EXTENSIONS:
        raise Rejected(
            415, f"'{filename}' is not a supported video: upload {', '.join(e[1:] for e in VIDEO_EXTENSIONS)}"
        )
    name = f"{storage.VIDEO_INPUT_STEM}{ext}"
    try:
        with files.writing(name) as target:
            info = _probed_video(filename, stream, target)
            stored = storage.describe(target, name=name)
    except BaseException:
        files.delete_all()
        raise
    return stored, info


def _probed_video(filename: str, stream: BinaryIO, target: Path) -> VideoInfo:
    """Copy the upload to `target`; what it holds once it is a decodable video within the limits."""
    _copy_limited(stream, target, limit=settings.max_upload_bytes, what=f"'{filename}'")
    if _is_image(target):  # FFmpeg would read a still image as a one-frame "video"
        raise Rejected(400, f"'{filename}' is not a decodable video: it is a still image")
    try:
        info = probe_video(target, max_pixels=settings.max_video_pixels)
    except VideoTooLarge as exc:
        raise Rejected(413, f"'{filename}': {exc}") from None
    except VideoError as exc:
        raise Rejected(400, f"'{filename}' is not a decodable video: {exc}") from None
    if info.duration_s > settings.max_video_seconds:
        raise Rejected(
            413,
            f"the video lasts {info.duration_s:,.0f} s: longer than the {settings.max_video_seconds:,.0f} s allowed",
        )
    if info.frames_total > settings.max_video_frames:
        raise Rejected(
            413, f"the video has {info.frames_total:,} frames: more than the {settings.max_video_frames:,} allowed"
        )
    return info


def _is_image(path: Path) -> bool:
    try:
        image_size(path, max_pixels=settings.max_image_pixels)
    except TooManyPixels:
        return True
    except ImageError:
        return False
    return True


def depth_job(job: Job, uploads: Uploads, options: DepthOptions) -> int:
    """Store a depth job's images (ZIPs unpacked) as its files and add its items, summary and input name; the bytes
    its results are estimated to take."""
    planned = ingest_depth(uploads, storage.job_files(job))
    images = [p for p in planned if p.input_file]
    job.input_name = storage.display_name(uploads[0][0]) if len(uploads) == 1 else f"{len(uploads)} files"
    job.items_total = len(images)
    job.items_failed = job.items_done = sum(p.status == ItemStatus.failed for p in images)
    skipped = [SkippedInput(name=p.name, reason=p.error) for p in planned if p.status == ItemStatus.skipped]
    job.summary = DepthSummary(skipped=skipped).model_dump(exclude_unset=True)
    for position, p in enumerate(planned):
        job.items.append(
            JobItem(
                position=position,
                name=p.name,
                stem=p.stem,
                input_file=p.input_file.name if p.input_file else None,
                status=p.status,
                error=p.error,
                results=storage.dump_files([p.input_file] if p.input_file else []),
            )
        )
    job.results = [stored for item in job.items for stored in item.results]
    queued = [p for p in planned if p.status == ItemStatus.queued]
    return sum(depth.output_bytes(p.width, p.height, point_cloud=options.point_cloud) for p in queued)


def heatmap_job(job: Job, uploads: Uploads, options: HeatmapOptions) -> int:
    """Store a heatmap job's video as its input (kept apart: `storage.job_files`), probe it, and list it as the
    job's first result with the probe as its summary; the bytes its results are estimated to take."""
    ((filename, stream),) = uploads
    video, info = ingest_video(filename, stream, storage.job_files(job))
    job.input_name = storage.display_name(filename)
    summary = VideoSummary(
        duration_s=round(info.duration_s, 3),
        fps=round(info.fps, 3),
        width=info.width,
        height=info.height,
        frames_total=info.frames_total,
    )
    job.summary = summary.model_dump()
    job.results = storage.dump_files([video])  # the input; the worker adds the results
    return heatmap.output_bytes(summary, options)
