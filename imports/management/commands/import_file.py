"""Load a file from the command line as a person would through the pages (the check, then the commit), and print
what happened as one JSON line with the time it took and the process's peak memory: the bench measures an
import in a process of its own with it."""

import json
import resource
import sys
import time

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from imports.models import ImportBatch
from imports.services import batch_check, batch_commit, batch_commit_request, batch_upload


class Command(BaseCommand):
    help = "Загрузить файл (проверка и запись) от имени пользователя; печатает итог одной строкой JSON."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--kind", default="students")
        parser.add_argument("--user", required=True, help="логин того, кто загружает")
        parser.add_argument("--school", type=int, default=None, help="id школы, если файл — одной школы")
        parser.add_argument("--skip-errors", action="store_true")
        parser.add_argument("--rollback", action="store_true", help="всё сделать и откатить (замер без следа в базе)")

    def handle(self, *args, rollback=False, **options):
        if not rollback:
            return self._run(**options)
        with transaction.atomic():
            self._run(**options)
            transaction.set_rollback(True)
        return None

    def _run(self, *, path, kind, user, school, skip_errors, **options):
        try:
            person = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"Нет пользователя «{user}».") from None
        from orgs.models import Organization

        started = time.perf_counter()
        with open(path, "rb") as handle:
            upload = File(handle, name=path.rsplit("/", 1)[-1])
            batch = batch_upload(user=person, kind=kind, upload=upload, school=Organization.objects.get(pk=school) if school else None)
        batch = batch_check(batch_id=batch.pk)
        checked = time.perf_counter()
        if batch.status == ImportBatch.Status.CHECKED:
            batch_commit_request(user=person, batch=batch, skip_errors=skip_errors)
            batch = batch_commit(batch_id=batch.pk)
        finished = time.perf_counter()
        result = {
            "batch": batch.pk, "status": batch.status, "rows": batch.rows_total, "bad": batch.rows_bad, "created": batch.created_count,
            "updated": batch.updated_count, "same": batch.unchanged_count, "accounts": batch.accounts_created,
            "check_s": round(checked - started, 2), "total_s": round(finished - started, 2),
            "peak_mb": peak_mb(), "message": batch.message,
        }  # fmt: skip
        self.stdout.write(json.dumps(result, ensure_ascii=False))


def peak_mb() -> float:
    """This process's peak resident memory, in MB. On Linux the high-water mark of its own memory (VmHWM): the
    rusage figure survives exec, so a process started by a large one (the bench, after building its region) reported
    its parent's peak — 530 MB for an import that peaked at about 300."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024, 1)
