"""Webhook deliveries (Standard Webhooks): one signed POST per attempt, retried with exponential backoff for up
to `WEBHOOK_RETRY_WINDOW_SECONDS` on a non-2xx answer, a timeout or a refused address."""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from app import crud
from app.core import events, webhooks
from app.core.config import settings
from app.core.db import session_scope
from app.models import DeliveryStatus, Job, WebhookDelivery
from app.schemas import JobPublic
from app.worker.celery_app import celery_app

log = logging.getLogger(__name__)
MAX_REDIRECTS = 3
ERROR_LENGTH = 300


@celery_app.task(name="scenelab.webhook")
def deliver_task(delivery_id: str) -> None:
    delay = attempt(uuid.UUID(delivery_id))
    if delay is not None:
        enqueue(uuid.UUID(delivery_id), countdown=delay)


def enqueue(delivery_id: uuid.UUID, *, countdown: float = 0) -> None:
    """Send the delivery's next attempt to a worker; if the broker is away the sweeper sends it later."""
    try:
        deliver_task.apply_async(args=[str(delivery_id)], countdown=countdown, queue=settings.maintenance_queue)
    except Exception:
        log.warning("could not enqueue webhook delivery %s; the sweeper will retry", delivery_id, exc_info=True)


def attempt(delivery_id: uuid.UUID) -> float | None:
    """One attempt at a pending delivery (its row locked meanwhile: a duplicate message skips it); the seconds
    until the next attempt, or None once it is delivered or given up."""
    with session_scope() as session:
        delivery = session.scalar(
            select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update(skip_locked=True)
        )
        if delivery is None or delivery.status != DeliveryStatus.pending:
            return None
        job = delivery.job
        secret = crud.webhook_secret(session=session, user_id=job.user_id)
        status_code, error = post(delivery.url, msg_id=delivery.msg_id, body=delivery.body.encode(), secret=secret)
        delay = _record(delivery, status_code, error)
        shown = JobPublic.of(job)
    events.publish_job(job.user_id, shown)  # once committed
    return delay


def _record(delivery: WebhookDelivery, status_code: int | None, error: str | None) -> float | None:
    now = datetime.now(UTC)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = status_code
    delivery.last_error = error
    delivery.next_attempt_at = None
    if error is None:
        delivery.status = DeliveryStatus.delivered
        delivery.delivered_at = now
        return None
    delay = settings.webhook_retry_base_seconds * 2 ** (delivery.attempts - 1)
    if now + timedelta(seconds=delay) > delivery.created_at + timedelta(seconds=settings.webhook_retry_window_seconds):
        delivery.status = DeliveryStatus.failed
        return None
    delivery.next_attempt_at = now + timedelta(seconds=delay)
    return delay


def post(url: str, *, msg_id: str, body: bytes, secret: str) -> tuple[int | None, str | None]:
    """POST the signed message to `url`, following up to `MAX_REDIRECTS` redirects (each target checked as the
    first): the last status code, and None when it was a 2xx, else why the attempt failed."""
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "user-agent": "SceneLab-Webhooks",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": webhooks.signature(secret, msg_id=msg_id, timestamp=timestamp, body=body),
    }
    for _ in range(MAX_REDIRECTS + 1):
        try:
            target = webhooks.resolve(url)
        except webhooks.RefusedUrl as exc:
            return None, str(exc)
        request = httpx.Request(
            "POST",
            target.url,
            content=body,
            headers={**headers, "host": target.netloc},
            extensions={"sni_hostname": target.host},
        )
        try:  # no proxy from the environment: it would resolve the host itself, past the check
            with httpx.Client(timeout=settings.webhook_timeout_seconds, trust_env=False) as client:
                response = client.send(request, stream=True)
                start = _start_of_body(response)
        except httpx.TimeoutException:
            return None, f"no answer within {settings.webhook_timeout_seconds:g} s"
        except httpx.HTTPError as exc:
            return None, f"could not connect: {type(exc).__name__}"
        if not response.has_redirect_location:
            return response.status_code, None if response.is_success else f"answered {response.status_code}: {start}"
        url = str(httpx.URL(url).join(response.headers["location"]))
    return response.status_code, f"more than {MAX_REDIRECTS} redirects"


def _start_of_body(response: httpx.Response) -> str:
    """The first `ERROR_LENGTH` characters of an answer, without reading the rest (it may be huge)."""
    start = b""
    for chunk in response.iter_bytes():
        start += chunk
        if len(start) >= ERROR_LENGTH:
            break
    response.close()
    return start[:ERROR_LENGTH].decode("utf-8", "replace")


def resend_overdue(*, late_by: timedelta = timedelta(minutes=5)) -> int:
    """Enqueue pending deliveries whose attempt is overdue (the broker lost or never got their message)."""
    with session_scope() as session:
        overdue = crud.overdue_deliveries(session=session, due_before=datetime.now(UTC) - late_by)
    for delivery_id in overdue:
        enqueue(delivery_id)
    return len(overdue)


def message(job: Job, *, at: datetime) -> str:
    """The `job.finished` message's body: the event's time and the job as GET /api/jobs/{id} shows it."""
    data = JobPublic.of(job).model_dump(mode="json")
    return json.dumps({"type": "job.finished", "timestamp": at.isoformat(), "data": data}, separators=(",", ":"))
