"""Request and response shapes of the REST API (see shared/API.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from app.core.config import settings
from app.core.storage import StoredFile
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


class ResultFile(StoredFile):
    url: str


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


def result_files(job_id: uuid.UUID, stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A `results` column (dumped `StoredFile`s) with URLs, as plain dicts for the model they go into to validate
    in one pass (a page of jobs holds hundreds: a `ResultFile` each would double the page's time)."""
    prefix = f"/api/jobs/{job_id}/files/"
    return [{**row, "url": prefix + quote(row["name"])} for row in stored]


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
