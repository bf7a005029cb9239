"""Prometheus /metrics: request latency by route template, jobs, job durations and queue depth."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from app.core.db import session_scope
from app.core.events import redis_client
from app.core.metrics import StateCollector
from app.models import Job, JobKind, JobStatus

BACKEND = Path(__file__).resolve().parents[1]


def _scrape(client) -> dict[str, list]:
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {family.name: family.samples for family in text_string_to_metric_families(response.text)}


def _value(samples: list, name: str, **labels: str) -> float:
    return next(s.value for s in samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))


def test_metrics_expose_the_named_families(app_client, user):
    assert user.get("/api/auth/me").status_code == 200
    metrics = _scrape(app_client)

    latency = metrics["scenelab_http_request_duration_seconds"]
    assert (
        _value(
            latency, "scenelab_http_request_duration_seconds_count", route="/api/auth/me", method="GET", status="200"
        )
        >= 1
    )
    assert {s.labels["route"] for s in latency} >= {"/api/auth/me"}
    assert not any(re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", s.labels["route"]) for s in latency)  # templates, not ids

    jobs = metrics["scenelab_jobs"]
    every = {(kind.value, status.value) for kind in JobKind for status in JobStatus}
    assert {(s.labels["kind"], s.labels["status"]) for s in jobs} == every
    queues = {s.labels["queue"] for s in metrics["scenelab_queue_depth"]}
    assert queues == {"depth", "heatmap", "maintenance", "interactive"}
    assert all(s.value == 1 for s in metrics["scenelab_source_up"])
    assert app_client.get("/api/metrics").status_code == 404  # beside /api, not under it


def test_job_duration_histogram_counts_finished_jobs(app_client, user):
    user_id = uuid.UUID(user.get("/api/auth/me").json()["id"])
    labels = {"kind": "depth", "status": "succeeded"}

    def figures() -> tuple[float, float, float]:
        samples = _scrape(app_client).get("scenelab_job_duration_seconds", [])
        try:
            return (
                _value(samples, "scenelab_job_duration_seconds_bucket", le="1.0", **labels),
                _value(samples, "scenelab_job_duration_seconds_bucket", le="2.0", **labels),
                _value(samples, "scenelab_job_duration_seconds_sum", **labels),
            )
        except StopIteration:
            return 0.0, 0.0, 0.0

    before = figures()
    with session_scope() as session:
        session.add(
            Job(
                user_id=user_id,
                kind=JobKind.depth,
                status=JobStatus.succeeded,
                input_name="x.png",
                processing_ms=1500,
                finished_at=datetime.now(UTC),
            )
        )
    after = figures()
    assert after[0] == before[0] and after[1] == before[1] + 1
    assert abs(after[2] - before[2] - 1.5) < 1e-6


def test_queue_depth_is_the_broker_list_length():
    queue = f"scenelab-test-{uuid.uuid4().hex[:8]}"
    redis_client().rpush(queue, "a", "b", "c")
    try:
        family = next(f for f in StateCollector(queues=[queue]).collect() if f.name == "scenelab_queue_depth")
        assert [(s.labels["queue"], s.value) for s in family.samples] == [(queue, 3)]
    finally:
        redis_client().delete(queue)


def test_request_latency_adds_up_across_api_processes(tmp_path):
    """As under `uvicorn --workers N` in compose: each process writes its own file, any process reports all."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}

    def python(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", f"from app.core import metrics; {code}"],
            cwd=BACKEND,
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        )
        return done.stdout

    for _ in range(2):
        python("metrics.REQUEST_SECONDS.labels('GET', '/api/x', '200').observe(0.01)")
    report = python("print(metrics.exposition().decode())")
    families = {family.name: family.samples for family in text_string_to_metric_families(report)}
    assert (
        _value(
            families["scenelab_http_request_duration_seconds"],
            "scenelab_http_request_duration_seconds_count",
            route="/api/x",
        )
        == 2
    )
    assert "scenelab_jobs" in families and "scenelab_queue_depth" in families
