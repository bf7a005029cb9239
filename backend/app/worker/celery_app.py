"""The Celery application: Redis broker, no result backend (the database holds every status)."""

from __future__ import annotations

from celery import Celery, signals

from app.core.config import settings
from app.kinds.registry import KINDS
from app.worker import task_logging

celery_app = Celery(
    "scenelab",
    broker=settings.broker_url,
    include=["app.worker.tasks", "app.worker.heatmap_edits", "app.worker.webhooks"],
)
celery_app.conf.update(
    task_acks_late=True,  # a task is acknowledged once it ends, so a killed worker's task is delivered again
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    worker_max_memory_per_child=settings.worker_max_memory_per_child or None,
    task_ignore_result=True,
    task_default_queue=settings.depth_queue,
    task_routes={
        **{spec.task_name: {"queue": spec.queue(settings)} for spec in KINDS.values()},
        "scenelab.sweep": {"queue": settings.maintenance_queue},
        "scenelab.interactive": {"queue": settings.interactive_queue},
        "scenelab.webhook": {"queue": settings.maintenance_queue},
    },
    broker_connection_retry_on_startup=True,
    broker_transport_options={"visibility_timeout": 6 * 3600},
    worker_send_task_events=True,  # for Flower
    task_send_sent_event=True,
    beat_schedule={  # a sweep not run within its interval expires: the next one does its work
        "sweep-stale-jobs": {
            "task": "scenelab.sweep",
            "schedule": float(settings.sweep_interval_seconds),
            "options": {"expires": settings.sweep_interval_seconds},
        }
    },
    timezone="UTC",
)

# JSON/readable logs from app.core.logging instead of Celery's; job id and user id on every task line.
signals.setup_logging.connect(task_logging.celery_setup_logging)
signals.task_prerun.connect(task_logging.bind_task_job)
signals.task_postrun.connect(task_logging.unbind_task_job)


@signals.worker_init.connect
def _import_frameworks(**_: object) -> None:
    """torch, ultralytics and the database driver imported once in the main process, before the pool forks:
    a pool process starts within its 4 s alive timeout, and no task's time limit can interrupt an import
    (which leaves torch unusable in that process for good)."""
    import psycopg  # noqa: F401

    from app.core.db import celery_process
    from app.vision.models import import_frameworks

    celery_process()  # the pool processes fork from here and keep the size

    import_frameworks()


@signals.worker_init.connect
def _share_exports_across_hosts(**_: object) -> None:
    """Exports wait on a lock in PostgreSQL, which every host sharing `models/` sees (before the pool forks)."""
    from app.core.db import named_lock
    from app.vision.models import share_exports

    share_exports(named_lock)


@signals.worker_process_init.connect
def _open_engine(**_: object) -> None:
    from app.core.db import get_engine

    get_engine()
