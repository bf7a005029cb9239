"""One module per job kind: its options (one pydantic model), its summary and the files it writes; and the
registry (`app.kinds.registry`) that ties each kind to its upload, ingest rule, queue, runner and folder.

The rest of the app asks `spec(job.kind)` instead of comparing kinds: a new kind is a new module and a new
entry in the registry. A new option touches the kind's options model, the vision function that uses it, and one
SPA control.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, TypeVar

from pydantic import BaseModel

from app.models import Job, JobKind

if TYPE_CHECKING:
    from app.core.config import Settings

Options = TypeVar("Options", bound=BaseModel)
#: An upload's files: each one's name and contents.
Uploads = list[tuple[str, BinaryIO]]


@dataclass(frozen=True)
class Upload:
    """What a kind's upload route takes."""

    media_types: list[str]
    description: str
    fallback_name: str = "upload"  # the name of a part sent without one (its media type adds the extension)


@dataclass(frozen=True)
class KindSpec(Generic[Options]):
    """Everything the rest of the app knows about one job kind.

    Attributes:
        kind: The kind.
        options: The model of its options (form fields of its upload, the job's `params`).
        summary: The shape of its `summary` (a model, or a union of models over the job's life), as documented
            in the API; `summary_doc` says how it changes.
        upload: Its upload route's files.
        ingest: Stores the upload's files, fills the job's input name, items, summary and results, and returns the
            bytes its results are estimated to take; raises `app.ingest.Rejected` for a refused upload.
        folder: The root of its jobs' folders (`<folder>/<job_id>/`), a setting read when asked.
        queue: The Celery queue its runs go to, a setting read when asked.
        run_seconds: The seconds a run of the job should take (its time limit adds `JOB_TIME_BASE_SECONDS`).
        runner: `module:function(job_id, run)` that processes a job, imported by the worker only (the runners
            build on `app.schemas`, which builds on this registry).
        input_video: The role of its uploaded file among its results: one video kept apart, in
            `videos/<job_id>/input.<ext>` (`app.core.storage`), deleted after `INPUT_RETENTION_HOURS` or
            with `keep_input=false` while the results stay.
        redrawable: Whether its jobs can be redrawn from their stored tracks, get footfall regions and a floor
            calibration, and be compared (`app.worker.heatmap_edits`).
    """

    kind: JobKind
    options: type[Options]
    summary: Any
    summary_doc: str
    upload: Upload
    ingest: Callable[[Job, Uploads, Options], int]
    folder: Callable[[Settings], Path]
    queue: Callable[[Settings], str]
    run_seconds: Callable[[Job], float]
    runner: str
    input_video: bool = False
    redrawable: bool = False

    @property
    def task_name(self) -> str:
        """The name of its Celery task."""
        return f"scenelab.{self.kind.value}"


def spec(kind: JobKind) -> KindSpec[Any]:
    """The spec of `kind`. The registry is imported on first use, not with this package: the kind modules build
    on `app.core.storage`, which looks kinds up here."""
    from app.kinds.registry import KINDS

    return KINDS[kind]


def specs() -> list[KindSpec[Any]]:
    """Every kind's spec."""
    from app.kinds.registry import SPECS

    return list(SPECS)
