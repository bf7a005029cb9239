"""Request and response shapes of the REST API (see docs/API.md)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union
from urllib.parse import quote

import email_validator
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    TypeAdapter,
    WithJsonSchema,
    create_model,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from app.core.config import settings
from app.core.storage import StoredFile
from app.kinds import KindSpec
from app.kinds.registry import KINDS
from app.models import (
    TOKEN_NAME_LENGTH,
    DeliveryStatus,
    ItemStatus,
    Job,
    JobKind,
    JobStage,
    JobStatus,
    WebhookDelivery,
)

MAX_PASSWORD_LENGTH = 256
# The password rules as JSON Schema patterns too, so that the schema admits exactly what the server accepts.
_CHAR = r"[^\x00]"  # bcrypt cannot take NUL
PASSWORD_PATTERN = rf"^{_CHAR}*$"
# Not only digits, not only letters, at least 4 different characters.
STRONG_PASSWORD_PATTERN = (
    rf"^(?={_CHAR}*[^\d\x00])(?={_CHAR}*[\W\d_])(?=(?:{_CHAR}*?({_CHAR})(?!{_CHAR}*\1)){{4}}){_CHAR}*$"
)


def _email_address(value: str) -> str:
    """Pydantic's `EmailStr` check, but a `.test` domain is an address too (no mail is ever sent to it)."""
    try:
        return email_validator.validate_email(value, check_deliverability=False, test_environment=True).normalized
    except email_validator.EmailNotValidError as exc:
        reason = {"reason": str(exc)}
        raise PydanticCustomError("value_error", "value is not a valid email address: {reason}", reason) from None


EmailAddress = Annotated[str, AfterValidator(_email_address), WithJsonSchema({"type": "string", "format": "email"})]


class Credentials(BaseModel):
    email: EmailAddress
    password: str = Field(max_length=MAX_PASSWORD_LENGTH, json_schema_extra={"pattern": PASSWORD_PATTERN})

    @field_validator("password")
    @classmethod
    def _no_nul(cls, password: str) -> str:
        if "\0" in password:  # bcrypt cannot take it
            raise ValueError("password cannot contain a NUL character")
        return password


class UserCreate(Credentials):
    password: str = Field(
        max_length=MAX_PASSWORD_LENGTH,
        json_schema_extra={"minLength": settings.password_min_length, "pattern": STRONG_PASSWORD_PATTERN},
    )
    # The token of an invitation link (`/register?invite=...`); required while REGISTRATION is `invite`.
    invite: str | None = Field(default=None, max_length=128)

    @field_validator("password")
    @classmethod
    def _strong_enough(cls, password: str) -> str:
        if len(password) < settings.password_min_length:
            raise ValueError(f"password must be at least {settings.password_min_length} characters")
        if not re.match(STRONG_PASSWORD_PATTERN, password):
            raise ValueError("password is too weak: mix letters with digits or symbols")
        return password


class Registration(BaseModel):
    """Who may create an account: anyone, holders of an invitation link, or nobody (accounts made by an operator)."""

    mode: Literal["open", "invite", "closed"]


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    created_at: datetime


class ApiTokenCreate(BaseModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TOKEN_NAME_LENGTH)]
    expires_days: int = Field(default=90, ge=1, le=settings.api_token_max_days)


class ApiTokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None


class ApiTokenCreated(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    token: str = Field(description="the token itself, shown this once: send it as `Authorization: Bearer <token>`")
    created_at: datetime
    expires_at: datetime


class ApiTokensPage(BaseModel):
    items: list[ApiTokenPublic]


class ResultFile(StoredFile):
    url: str


def stored_as(shape: Any) -> Any:
    """A JSON column (`dict[str, Any]`) documented in the schema as `shape` (a model or a union of models) but
    returned as stored: re-serializing it through the model would add the fields a depth summary has not got to,
    and the defaults of options added since a job ran, and would refuse an old job's options that break a rule
    made since."""
    shown = TypeAdapter(shape).core_schema
    if "ref" in shown:  # a model: a `$ref` to its definition, as when it is a field's own type, not a copy
        shown = core_schema.definitions_schema(core_schema.definition_reference_schema(shown["ref"]), [shown])

    class Documented:
        @classmethod
        def __get_pydantic_json_schema__(
            cls, _schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
        ) -> JsonSchemaValue:
            return handler(shown)

    return Annotated[dict[str, Any], Documented]


class WebhookDeliveryPublic(BaseModel):
    """One `job.finished` message to the job's webhook and its latest attempt."""

    id: str = Field(description="the message's `webhook-id` (the same on every retry)")
    status: DeliveryStatus
    attempts: int
    last_attempt_at: datetime | None
    last_status_code: int | None = Field(description="the receiver's answer to the latest attempt, if it answered")
    last_error: str | None = Field(description="why the latest attempt failed")
    next_attempt_at: datetime | None
    delivered_at: datetime | None

    @classmethod
    def of(cls, delivery: WebhookDelivery) -> WebhookDeliveryPublic:
        return cls(
            id=delivery.msg_id,
            status=delivery.status,
            attempts=delivery.attempts,
            last_attempt_at=delivery.last_attempt_at,
            last_status_code=delivery.last_status_code,
            last_error=delivery.last_error,
            next_attempt_at=delivery.next_attempt_at,
            delivered_at=delivery.delivered_at,
        )


class WebhookSecret(BaseModel):
    secret: str = Field(description="`whsec_` and the base64 of the key that signs your webhooks")


class JobPublic(BaseModel):
    """The fields of every kind's job; the API answers with its kind's model (`AnyJobPublic`)."""

    id: uuid.UUID
    kind: JobKind
    status: JobStatus
    progress: float
    stage: JobStage | None = Field(description="what a running job is doing now; null when it is not running")
    eta_s: float | None = Field(description="estimated seconds left in the current stage, once a tenth of it is done")
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
    webhook_url: str | None
    webhook_deliveries: list[WebhookDeliveryPublic]

    @classmethod
    def of(cls, job: Job) -> JobPublic:
        """The job as its kind's model."""
        return JOB_MODELS[job.kind](
            id=job.id,
            kind=job.kind,
            status=job.status,
            progress=job.progress,
            stage=job.stage if job.status == JobStatus.running else None,
            eta_s=job.eta_s if job.status == JobStatus.running else None,
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
            webhook_url=job.webhook_url,
            webhook_deliveries=[WebhookDeliveryPublic.of(d) for d in job.webhook_deliveries],
        )


def _kind_model(spec: KindSpec[Any]) -> type[JobPublic]:
    """`<Kind>JobPublic`: a job of the kind, its `params` typed by the kind's options and its `summary` by its
    summary."""
    name = spec.kind.value.capitalize()
    return create_model(
        f"{name}JobPublic",
        __base__=JobPublic,
        __doc__=f"A {spec.kind.value} job.",
        kind=(Literal[spec.kind], ...),  # type: ignore[arg-type]  # a Literal of a value known at run time
        params=(stored_as(spec.options), Field(description="the processing options actually used (after defaults)")),
        summary=(stored_as(spec.summary), Field(description=spec.summary_doc)),
    )


JOB_MODELS = {kind: _kind_model(spec) for kind, spec in KINDS.items()}
if TYPE_CHECKING:  # a union built at run time from the registry: type checkers see the base
    AnyJobPublic = JobPublic
else:
    AnyJobPublic = Annotated[Union[tuple(JOB_MODELS.values())], Field(discriminator="kind")]  # noqa: UP007


def result_files(job_id: uuid.UUID, stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A `results` column (dumped `StoredFile`s) with URLs, as plain dicts for the model they go into to validate
    in one pass (a page of jobs holds hundreds: a `ResultFile` each would double the page's time)."""
    prefix = f"/api/jobs/{job_id}/files/"
    return [{**row, "url": prefix + quote(row["name"])} for row in stored]


class JobsPage(BaseModel):
    items: list[AnyJobPublic]
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
