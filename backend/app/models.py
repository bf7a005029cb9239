"""Database tables. API shapes live in `app.schemas`; never return these directly."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Enum, Float, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

JsonDict = JSON().with_variant(JSONB(), "postgresql")
#: Length of the columns holding a user's file names (`storage.display_name` cuts names to it).
NAME_LENGTH = 512
TOKEN_NAME_LENGTH = 100
WEBHOOK_URL_LENGTH = 2048


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class JobStage(str, enum.Enum):
    """What a running job is doing now, for the person waiting on it."""

    loading_model = "loading_model"
    detecting = "detecting"
    estimating_depth = "estimating_depth"
    drawing = "drawing"


class JobKind(str, enum.Enum):
    heatmap = "heatmap"
    depth = "depth"


class JobStatus(str, enum.Enum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"

    @property
    def finished(self) -> bool:
        return self in FINISHED


FINISHED = frozenset({JobStatus.succeeded, JobStatus.failed, JobStatus.cancelled})


class ItemStatus(str, enum.Enum):
    queued = "queued"
    succeeded = "succeeded"
    failed = "failed"
    skipped = "skipped"


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    hashed_password: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set by `python -m app.admin disable-user`: no sign-in, and every session of the account stops working.
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Signs the user's webhooks (`whsec_…`); made on first use.
    webhook_secret: Mapped[str | None] = mapped_column(String(64))


class Invite(Base):
    """A single-use sign-up link (`python -m app.admin invite`); only the token's SHA-256 is stored."""

    __tablename__ = "invites"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ApiToken(Base):
    """A token for scripts (`Authorization: Bearer slk_…`); only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_LENGTH))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_user_created", "user_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[JobKind] = mapped_column(Enum(JobKind, name="job_kind"))
    status: Mapped[JobStatus] = mapped_column(Enum(JobStatus, name="job_status"), default=JobStatus.queued)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    # The running job's stage and its estimated seconds left (null until a tenth of the stage is done).
    stage: Mapped[JobStage | None] = mapped_column(Enum(JobStage, native_enum=False, length=32), nullable=True)
    eta_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    processing_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    input_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    params: Mapped[dict[str, Any]] = mapped_column(JsonDict, default=dict)
    summary: Mapped[dict[str, Any]] = mapped_column(JsonDict, default=dict)
    items_total: Mapped[int] = mapped_column(Integer, default=0)
    items_done: Mapped[int] = mapped_column(Integer, default=0)
    items_failed: Mapped[int] = mapped_column(Integer, default=0)
    # Result files of the whole job: [{name, media_type, bytes}], names relative to the job's folder.
    results: Mapped[list[dict[str, Any]]] = mapped_column(JsonDict, default=list)
    # Footfall zones and lines of a heatmap job (`app.kinds.regions.Regions`), null until set.
    regions: Mapped[dict[str, Any] | None] = mapped_column(JsonDict, nullable=True)
    # How many times a worker started this job; the sweeper gives up after a few.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The run that owns the job: each claim sets a new one, and a run's writes apply only while it is still here.
    run_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Bytes the job may store: its inputs plus the estimated size of its results. Until it finishes it counts
    # against its user's quota as the larger of this and the files it lists.
    reserved_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    # Last time a worker wrote progress (or the job was queued): what the sweeper looks at.
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Told when the job ends (Standard Webhooks), or null.
    webhook_url: Mapped[str | None] = mapped_column(String(WEBHOOK_URL_LENGTH))

    items: Mapped[list[JobItem]] = relationship(
        back_populates="job", cascade="all, delete-orphan", order_by="JobItem.position", lazy="selectin"
    )
    webhook_deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="job", cascade="all, delete-orphan", order_by="WebhookDelivery.created_at", lazy="selectin"
    )


class DeliveryStatus(str, enum.Enum):
    pending = "pending"
    delivered = "delivered"
    failed = "failed"


class WebhookDelivery(Base):
    """One webhook message about a job, its body fixed when the job ended, and its latest attempt."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)  # `webhook-id`: msg_<hex>
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(WEBHOOK_URL_LENGTH))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[DeliveryStatus] = mapped_column(
        Enum(DeliveryStatus, name="delivery_status"), default=DeliveryStatus.pending
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)

    job: Mapped[Job] = relationship(back_populates="webhook_deliveries")

    @property
    def msg_id(self) -> str:
        return f"msg_{self.id.hex}"


class JobItem(Base):
    """One input of a depth job (an image, or a skipped ZIP entry)."""

    __tablename__ = "job_items"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))  # what the user called it (ZIP entry path or file name)
    stem: Mapped[str] = mapped_column(String(255))  # unique within the job; prefixes the result files
    input_file: Mapped[str | None] = mapped_column(String(300))  # file name in the job's folder
    status: Mapped[ItemStatus] = mapped_column(Enum(ItemStatus, name="item_status"), default=ItemStatus.queued)
    error: Mapped[str | None] = mapped_column(Text)
    results: Mapped[list[dict[str, Any]]] = mapped_column(JsonDict, default=list)

    job: Mapped[Job] = relationship(back_populates="items")
