"""Background work of guidance: a student's recommendations recomputed after a result is finished or withdrawn, every
student's after a change of the catalogue."""

from django.tasks import task


@task
def recommendations_refresh_task(*, student_id: int) -> int:
    from guidance.services import recommendations_refresh

    return len(recommendations_refresh(student_id=student_id))


@task
def recommendations_refresh_all_task() -> int:
    from guidance.services import recommendations_refresh_all

    return recommendations_refresh_all()
