"""Prometheus metrics, served at `/metrics` (outside `/api`, so the public nginx never exposes it).

- `scenelab_http_request_duration_seconds{method, route, status}`: request latency by route template,
  observed by `app.api.middleware.RequestMetrics` in every API process (multiprocess mode when
  `PROMETHEUS_MULTIPROC_DIR` is set, as in compose where uvicorn runs several workers). Server-sent event
  streams are left out: they last as long as a tab.
- `scenelab_jobs{kind, status}`, `scenelab_job_duration_seconds{kind, status}` and
  `scenelab_queue_depth{queue}` are read at scrape time from PostgreSQL and Redis, the shared truth, so
  they agree whichever API process answers and however many workers there are.
- `scenelab_source_up{source}`: 0 when the database or the broker could not be read for this scrape.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from redis import RedisError
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from app.core.config import settings
from app.core.db import get_engine
from app.core.events import redis_client
from app.kinds.registry import KINDS
from app.models import Job, JobKind, JobStatus

log = logging.getLogger(__name__)

QUEUES = (*(spec.queue(settings) for spec in KINDS.values()), settings.maintenance_queue, settings.interactive_queue)
JOB_DURATION_BUCKETS_S = (0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 2 * 3600, 4 * 3600)

_registry = CollectorRegistry()
REQUEST_SECONDS = Histogram(
    "scenelab_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template.",
    ["method", "route", "status"],
    registry=_registry,
)


class StateCollector(Collector):
    """Jobs by kind and status, finished jobs' durations and broker queue lengths, read at scrape time."""

    def __init__(self, queues: Iterable[str] = QUEUES) -> None:
        self.queues = tuple(queues)

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("scenelab_source_up", "1 when this scrape could read the source.", labels=["source"])
        try:
            families = [*self._jobs()]
        except SQLAlchemyError:
            log.warning("metrics: the database could not be read", exc_info=True)
            families = []
        up.add_metric(["database"], 1.0 if families else 0.0)
        yield from families
        try:
            yield self._queue_depth()
            up.add_metric(["broker"], 1.0)
        except RedisError:
            log.warning("metrics: the broker could not be read", exc_info=True)
            up.add_metric(["broker"], 0.0)
        yield up

    def _jobs(self) -> Iterator[Metric]:
        bounds_ms = [int(seconds * 1000) for seconds in JOB_DURATION_BUCKETS_S]
        with get_engine().connect() as connection:
            counts = connection.execute(select(Job.kind, Job.status, func.count()).group_by(Job.kind, Job.status)).all()
            durations = connection.execute(
                select(
                    Job.kind,
                    Job.status,
                    func.count(),
                    func.coalesce(func.sum(Job.processing_ms), 0),
                    *(func.count().filter(Job.processing_ms <= ms) for ms in bounds_ms),
                )
                .where(Job.processing_ms.is_not(None))
                .group_by(Job.kind, Job.status)
            ).all()

        jobs = GaugeMetricFamily("scenelab_jobs", "Jobs in the database by kind and status.", labels=["kind", "status"])
        by_key = {(kind.value, status.value): count for kind, status, count in counts}
        for kind in JobKind:
            for status in JobStatus:
                jobs.add_metric([kind.value, status.value], by_key.get((kind.value, status.value), 0))
        yield jobs

        histogram = HistogramMetricFamily(
            "scenelab_job_duration_seconds",
            "Processing time of finished jobs (from the database).",
            labels=["kind", "status"],
        )
        for kind, status, total, sum_ms, *cumulative in durations:
            buckets = [(str(float(bound)), n) for bound, n in zip(JOB_DURATION_BUCKETS_S, cumulative, strict=True)]
            histogram.add_metric(
                [kind.value, status.value], [*buckets, ("+Inf", total)], sum_value=(sum_ms or 0) / 1000
            )
        yield histogram

    def _queue_depth(self) -> Metric:
        depth = GaugeMetricFamily("scenelab_queue_depth", "Tasks waiting in each broker queue.", labels=["queue"])
        pipeline = redis_client().pipeline()
        for queue in self.queues:
            pipeline.llen(queue)
        for queue, length in zip(self.queues, pipeline.execute(), strict=True):
            depth.add_metric([queue], length)
        return depth


_registry.register(StateCollector())


def exposition() -> bytes:
    """The text exposition of every metric, gathered across API processes in multiprocess mode."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        return generate_latest(_registry)
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=folder)
    registry.register(StateCollector())
    return generate_latest(registry)
