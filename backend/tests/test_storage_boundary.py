"""Only `app/core/storage.py` knows where job files live: routes, tasks, kinds, crud and ingest reach them through
a job's handle (`storage.job_files`), never by a path of their own (like an import-boundary rule, on file access)."""

from __future__ import annotations

import re
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
CHECKED = ["api", "worker", "kinds", "crud.py", "ingest.py"]
# Building a path, opening, reading, writing, listing or removing a file, and the local layout's own functions.
FILE_ACCESS = re.compile(
    r"settings\.(videos|heatmaps|depth_maps)_dir|\bPath\(|(^|[^\w])open\(|"
    r"\.(read_bytes|write_bytes|read_text|write_text|unlink|iterdir|r?glob|mkdir|is_file|exists|stat)\(|"
    r"np\.(save|savez|load)\b|cv2\.(imwrite|imread)|FileResponse|shutil\.|os\.(replace|remove|unlink|rename)|"
    r"tempfile\.|storage\.(job_dir|video_dir|file_path|run_folders)\b"
)
# Lines that touch no stored file, each with why.
ALLOWED = {
    ("api/docs.py", "ASSETS = Path(fastapi_offline.__file__)"): "Swagger UI's bundled assets, from the library",
    ("worker/depth_job.py", "Path(loaded.weights).name"): "the model weights' file name, for the summary",
    ("worker/heatmap_job.py", "Path(loaded.weights).name"): "the model weights' file name, for the summary",
    ("kinds/floor.py", "np.save(npy, grid.heat)"): "encodes an array into an in-memory buffer",
    ("ingest.py", "archive.open(entry)"): "a member of the uploaded ZIP being read",
}


def _sources() -> list[Path]:
    paths: list[Path] = []
    for name in CHECKED:
        target = APP / name
        paths += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    return paths


def file_access_outside_storage() -> list[str]:
    found = []
    for path in _sources():
        relative = path.relative_to(APP).as_posix()
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if not FILE_ACCESS.search(line.split("#", 1)[0]):
                continue
            if any(relative == where and snippet in line for where, snippet in ALLOWED):
                continue
            found.append(f"app/{relative}:{number}: {line.strip()}")
    return found


def test_only_storage_builds_paths_or_opens_stored_files():
    assert _sources() and all(path.is_file() for path in _sources())
    assert file_access_outside_storage() == []


def test_the_check_sees_file_access():
    """The pattern catches each way the old code reached files (a check that matches nothing guards nothing)."""
    old_lines = [
        "root = settings.depth_maps_dir if job.kind == JobKind.depth else settings.heatmaps_dir",
        "video = next(storage.video_dir(job).glob(f'{storage.VIDEO_INPUT_STEM}.*'), None)",
        "with target.open('wb') as out:",
        "return RegionsAnalysis.model_validate_json((folder / ANALYSIS_FILE).read_bytes())",
        "return np.asarray(np.load(folder / f'{stem}_depth.npy'), dtype=np.float32)",
        "shutil.rmtree(folder, ignore_errors=True)",
        "return FileResponse(path, media_type=media_type)",
        "path = storage.file_path(job, name)",
        "(folder / name).unlink(missing_ok=True)",
    ]
    assert [line for line in old_lines if not FILE_ACCESS.search(line)] == []
