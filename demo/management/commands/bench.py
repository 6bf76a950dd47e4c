import json
import os
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.module_loading import autodiscover_modules

from core.bench import BenchRun, Measurement, registered_cases
from demo.region import DEMO_SCALE, build_demo_region, refresh_planner_statistics
from orgs.models import Municipality
from people.models import Student
from profminimum.demo import build_profminimum_demo


class Command(BaseCommand):
    help = (
        "Замеры производительности: строит демо-регион (BENCH_SCALE обучающихся) в отдельной базе и печатает "
        "по строке JSON на каждый замер. База — DATABASE_URL (будет очищена) или var/bench.sqlite3."
    )

    def handle(self, *args, **options):
        if not os.environ.get("DATABASE_URL"):
            self._restart_on_bench_sqlite()
        scale = int(os.environ.get("BENCH_SCALE", DEMO_SCALE))
        database = connection.vendor

        call_command("migrate", interactive=False, verbosity=0)
        if os.environ.get("BENCH_REUSE") == "1" and Municipality.objects.exists():
            # A region built earlier (seed_demo --scale N): a million pupils take long to build, not to measure.
            scale = Student.objects.count()
            self.log(f"Использую уже построенный регион: {scale} обучающихся")
        else:
            self.log(f"Очищаю базу {connection.settings_dict['NAME']} ({database})")
            call_command("flush", interactive=False, verbosity=0)
            started = time.perf_counter()
            build_demo_region(seed=1, scale=scale, stdout=self.stderr)
            self.emit(Measurement("demo.seed_demo", "s", round(time.perf_counter() - started, 1)), scale, database)
            started = time.perf_counter()
            built = build_profminimum_demo(seed=1, stdout=self.stderr)
            self.emit(Measurement("profminimum.seed_demo", "s", round(time.perf_counter() - started, 1)), scale, database)
            # The seeder's last step, the repair tool: part of the first `make run`, budgeted on its own.
            self.emit(Measurement("profminimum.rollups_rebuild", "s", built["rollups_seconds"]), scale, database)
        # Fresh tables have no planner statistics until autovacuum gets to them (on SQLite, until someone runs
        # ANALYZE); a live database has them.
        refresh_planner_statistics()

        autodiscover_modules("bench")
        run = BenchRun(scale=scale, log=self.log)
        # BENCH_ONLY=attendance_save,dashboards runs the cases whose function name contains one of the words.
        only = [word for word in os.environ.get("BENCH_ONLY", "").split(",") if word]
        for case in registered_cases():
            if only and not any(word in f"{case.__module__}.{case.__name__}" for word in only):
                continue
            for measurement in case(run):
                self.emit(measurement, scale, database)

    def _restart_on_bench_sqlite(self) -> None:
        """Settings are read once per process, so the bench's own SQLite file needs a fresh process."""
        path = Path(settings.VAR_DIR).resolve() / "bench.sqlite3"
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
        manage_py = str(Path(settings.BASE_DIR) / "manage.py")
        sys.stdout.flush()
        os.execve(sys.executable, [sys.executable, manage_py, "bench"], env)

    def log(self, line: str) -> None:
        self.stderr.write(line)
        self.stderr.flush()

    def emit(self, measurement: Measurement, scale: int, database: str) -> None:
        line = {
            "case": measurement.case, "scale": scale, "db": database, "unit": measurement.unit,
            "median": measurement.median, "floor": measurement.floor, **measurement.extra,
        }  # fmt: skip
        self.stdout.write(json.dumps(line, ensure_ascii=False))
        self.stdout.flush()
