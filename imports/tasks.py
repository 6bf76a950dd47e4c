"""Background work of the imports: checking an uploaded file (the preview) and writing it (the commit), each in
the task worker, so that a region's file of 50,000 students never holds a request."""

from django.tasks import task


@task
def batch_check_task(*, batch_id: int) -> dict:
    from imports.services import batch_check

    batch = batch_check(batch_id=batch_id)
    return {"batch": batch.pk, "status": batch.status}


@task
def batch_commit_task(*, batch_id: int) -> dict:
    from imports.services import batch_commit

    batch = batch_commit(batch_id=batch_id)
    return {"batch": batch.pk, "status": batch.status}
