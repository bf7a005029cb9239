"""Request and response shapes of the REST API (see shared/API.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from app.core.config import settings
from app.models import ItemStatus, Job, JobKind, JobStatus

MAX_PASSWORD_LENGTH = 256


class Credentials(BaseModel):
    email: EmailStr
    password: str = Field(max_length=MAX_PASSWORD_LENGTH)

    @field_validator("password")
    @classmethod
    def _no_nul(cls, password: str) -> str:
        if "\0" in password:  # bcrypt cannot take it
            raise ValueError("password cannot contain a NUL character")
        return password


class UserCreate(Credentials):
    @field_validator("password")
    @classmethod
    def _strong_enough(cls, password: str) -> str:
        if len(password) < settings.password_min_length:
            raise ValueError(f"password must be at least {settings.password_min_length} characters")
        if password.isdigit() or password.isalpha() or len(set(password)) < 4:
            raise ValueError("password is too weak: mix letters with digits or symbols")
        return password


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    created_at: datetime


class ResultFile(BaseModel):
    name: str
    url: str
    media_type: str
    bytes: int


class JobPublic(BaseModel):
    id: uuid.UUID
    kind: JobKind
    status: JobStatus
    progress: float
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    processing_ms: int | None
    error: str | None
    input_name: str
    params: dict[str, Any]
    summary: dict[str, Any]
    items_total: int
    items_done: int
    items_failed: int
    results: list[ResultFile]

    @classmethod
    def of(cls, job: Job) -> JobPublic:
        return cls(
            id=job.id,
            kind=job.kind,
            status=job.status,
            progress=job.progress,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            processing_ms=job.processing_ms,
            error=job.error,
            input_name=job.input_name,
            params=job.params or {},
            summary=job.summary or {},
            items_total=job.items_total,
            items_done=job.items_done,
            items_failed=job.items_failed,
            results=result_files(job.id, job.results or []),
        )


def result_files(job_id: uuid.UUID, described: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored file descriptions with their URLs, as plain dicts for the model they go into to validate in
    one pass (a page of jobs holds hundreds: a `ResultFile` each would double the page's time)."""
    prefix = f"/api/jobs/{job_id}/files/"
    return [{**d, "url": prefix + quote(d["name"])} for d in described]


class JobsPage(BaseModel):
    items: list[JobPublic]
    total: int
    next: str | None = Field(description="cursor for the next page, or null on the last page")


class ItemPublic(BaseModel):
    name: str
    stem: str
    status: ItemStatus
    error: str | None
    results: list[ResultFile]


class ItemsPage(BaseModel):
    items: list[ItemPublic]


class Stats(BaseModel):
    total: int
    queued: int
    running: int
    succeeded: int
    failed: int
    cancelled: int


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: str
    broker: str
    workers: int


DepthColormap = Literal["magma", "inferno", "viridis", "plasma", "turbo", "jet", "gray"]


class DepthParams(BaseModel):
    """Options of a depth job, sent as multipart form fields."""

    model_config = ConfigDict(extra="forbid")

    colormap: DepthColormap = "magma"


HeatmapColormap = Literal["turbo", "jet", "magma", "inferno", "plasma", "viridis", "cividis", "hot", "parula", "twilight"]


class RenderParams(BaseModel):
    """How a heatmap is drawn from the stored tracks; changing these never re-runs detection."""

    model_config = ConfigDict(extra="forbid")

    colormap: HeatmapColormap = "turbo"
    radius: float = Field(default=0.3, gt=0, le=5, description="Gaussian sigma as a multiple of the person's box width")
    anchor: Literal["feet", "center", "box"] = Field(default="feet", description="feet: bottom-centre of the box")
    mode: Literal["all", "movement"] = Field(default="all", description="movement: leave out people standing still")
    t_start: float | None = Field(default=None, ge=0, description="seconds; only samples from here")
    t_end: float | None = Field(default=None, ge=0, description="seconds; only samples before here")
    normalization: Literal["max", "p99", "log"] = "p99"
    opacity: float = Field(default=0.6, ge=0, le=1)

    @model_validator(mode="after")
    def _window_in_order(self) -> RenderParams:
        if self.t_start is not None and self.t_end is not None and self.t_end <= self.t_start:
            raise ValueError("t_end must be after t_start")
        return self


class RenderUpdate(BaseModel):
    """Any subset of `RenderParams`; the rest keep the job's current values."""

    model_config = ConfigDict(extra="forbid")

    colormap: HeatmapColormap | None = None
    radius: float | None = Field(default=None, gt=0, le=5)
    anchor: Literal["feet", "center", "box"] | None = None
    mode: Literal["all", "movement"] | None = None
    t_start: float | None = Field(default=None, ge=0)
    t_end: float | None = Field(default=None, ge=0)
    normalization: Literal["max", "p99", "log"] | None = None
    opacity: float | None = Field(default=None, ge=0, le=1)


class HeatmapParams(RenderParams):
    """Options of a heatmap job, sent as multipart form fields."""

    sample_fps: float = Field(default_factory=lambda: settings.heatmap_sample_fps, gt=0, le=60,
                              description="frames analysed per second of video")
    stride: int | None = Field(default=None, ge=1, le=10_000, description="analyse every n-th frame instead of sample_fps")
    conf: float = Field(default_factory=lambda: settings.heatmap_conf, gt=0, lt=1, description="detection confidence")
