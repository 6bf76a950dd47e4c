"""Periodic jobs on top of the task worker.

A domain app declares in its `tasks.py` the background tasks it needs (`django.tasks.task`) and which of them
run on a schedule:

    @task
    def rollups_maintain_task(): ...

    periodic(rollups_maintain_task, every=datetime.timedelta(minutes=1), key="profminimum.rollups_maintain")

`manage.py run_periodic` (one small process beside `db_worker`; several may run, on PostgreSQL they agree
through row locks) wakes up every few seconds and enqueues each job that is due; a worker runs it. So a
schedule needs no cron, and the work itself is retried, logged and visible like any other task.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone


@dataclass(frozen=True)
class PeriodicJob:
    key: str
    task: object  # a django.tasks Task
    every: datetime.timedelta


_jobs: dict[str, PeriodicJob] = {}


def periodic(task, *, every: datetime.timedelta, key: str) -> None:
    _jobs[key] = PeriodicJob(key, task, every)


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.key)


def periodic_enqueue_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every job whose time has come; returns their keys. Each job's row is locked while it is
    decided, and skipped when another scheduler holds it, so a job is enqueued once per period."""
    from core.models import PeriodicRun

    now = now or timezone.now()
    enqueued = []
    for job in periodic_jobs():
        with transaction.atomic():
            PeriodicRun.objects.get_or_create(key=job.key)
            runs = PeriodicRun.objects.filter(key=job.key)
            runs = runs.select_for_update(skip_locked=True) if connection.features.has_select_for_update_skip_locked else runs
            run = runs.first()
            if run is None or (run.last_enqueued_at is not None and now - run.last_enqueued_at < job.every):
                continue
            job.task.enqueue()
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            enqueued.append(job.key)
    return enqueued
