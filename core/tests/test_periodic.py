import datetime

from django.tasks import task
from django_tasks_db.models import DBTaskResult

from core.periodic import _jobs, periodic, periodic_enqueue_due


@task
def _tick() -> None:
    return None


def test_a_periodic_job_is_enqueued_once_per_period(db):
    periodic(_tick, every=datetime.timedelta(minutes=1), key="test.tick")
    try:
        start = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
        assert "test.tick" in periodic_enqueue_due(now=start)
        assert "test.tick" not in periodic_enqueue_due(now=start + datetime.timedelta(seconds=30))
        assert "test.tick" in periodic_enqueue_due(now=start + datetime.timedelta(seconds=61))
        assert DBTaskResult.objects.filter(task_path__endswith="_tick").count() == 2
    finally:
        _jobs.pop("test.tick", None)
