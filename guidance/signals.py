"""What guidance follows: a student's result finished or withdrawn (diagnostics.signals.results_changed) recomputes
their recommendations in the background. The database task backend writes the task in the result's transaction: the
worker sees it with the result, and a result rolled back enqueues nothing. A queue that refuses loses nothing: the
recommendations page recomputes whatever is stale when it is opened."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def on_results_changed(sender, student_id: int, **kwargs) -> None:
    from guidance.tasks import recommendations_refresh_task

    try:
        with transaction.atomic():
            recommendations_refresh_task.enqueue(student_id=student_id)
    except Exception:
        logger.exception("Не удалось поставить в очередь пересчёт рекомендаций обучающегося %s", student_id)


def connect() -> None:
    from diagnostics.signals import results_changed

    results_changed.connect(on_results_changed, dispatch_uid="guidance.results_changed")
