"""Running the task queue inside a test, as `manage.py db_worker` would, without its process and connection
handling (which would close the test's transaction)."""

from django_tasks_db.models import DBTaskResult


def run_queued_tasks(*, limit: int = 100) -> list:
    """Run the tasks waiting in the database queue, including those they enqueue; returns their results.
    A task that raises is marked failed, as the worker marks it, and the run goes on."""
    results = []
    for _ in range(limit):
        queued = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if queued is None:
            return results
        queued.claim("tests")
        try:
            value = queued.task.call(*queued.task_result.args, **queued.task_result.kwargs)
        except Exception as error:
            queued.set_failed(error)
            results.append(error)
        else:
            queued.set_successful(value)
            results.append(value)
    raise AssertionError(f"Больше {limit} задач подряд: задача ставит в очередь сама себя?")
