"""Bench cases of the imports (issue 12, «Speed»): one XLSX of 50,000 students with their parents, across the demo
region's schools, loaded as a person loads it (the check, then the commit, in one process of its own so that its
peak memory is its own) — `imports.students_xlsx` (s, target ≤ 60) and `imports.students_xlsx_peak` (MB, ≤ 500);
and the same students exported to XLSX in the template's form, `exports.students_xlsx` (s, ≤ 20).

The import is rolled back when measured (`import_file --rollback`): the cases after it measure the region as built.
The floor of the import is reading the file alone (every cell, no checks); of the export, writing the same rows
from memory."""

import datetime
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook

from core.bench import BenchRun, Measurement, bench_case
from orgs.models import Organization
from orgs.selectors import school_year_current

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "50000"))
SURNAMES = ["Дзагоев", "Гаглоев", "Цаллагов", "Хетагуров", "Кокоев", "Плиев", "Бероев", "Тедеев", "Габуев", "Бестаев", "Калоев", "Басиев"]
NAMES = ["Алан", "Сослан", "Заур", "Тимур", "Георгий", "Азамат", "Давид", "Марат", "Руслан", "Батраз", "Ацамаз", "Хетаг"]
MIDDLE = ["Аланович", "Русланович", "Казбекович", "Таймуразович", "Олегович", "Маратович", "Сосланович", "Батразович"]
HEADER = [
    "№",
    "Школа",
    "Номер в школе",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Класс",
    "ФИО родителя",
    "Кем приходится",
    "Телефон родителя",
]


def _file(path: Path, year) -> int:
    """The region's file: a title row, the header on row 3, dates as Excel dates, classes «7А»."""
    schools = list(
        Organization.objects.filter(kind=Organization.Kind.SCHOOL, is_active=True).order_by("pk").values_list("short_name", flat=True)
    )
    seen, unique = set(), []
    for name in schools:
        if name not in seen:
            seen.add(name)
            unique.append(name)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Обучающиеся")
    sheet.append(["Список обучающихся общеобразовательных организаций республики"])
    sheet.append([])
    sheet.append(HEADER)
    for n in range(ROWS):
        grade = 5 + n % 7
        born = datetime.date(year.starts_on.year - grade - 7, 1 + n % 12, 1 + n % 28)
        surname = SURNAMES[n % len(SURNAMES)]
        sheet.append([
            n + 1, unique[n % len(unique)], f"Б-{n:06d}", surname, NAMES[(n // 12) % len(NAMES)], MIDDLE[(n // 144) % len(MIDDLE)],
            born, f"{grade}А", f"{surname}а Мадина Казбековна", "мать", f"+7 918 {n % 1000:03d}-{(n // 1000) % 100:02d}-{n % 97:02d}",
        ])  # fmt: skip
    book.save(path)
    return len(unique)


def _read_only(path: Path) -> float:
    from imports.reader import open_source

    started = time.perf_counter()
    with open(path, "rb") as handle:
        for _ in open_source(handle, path.name).rows():
            pass
    return round(time.perf_counter() - started, 2)


@bench_case
def students_import(run: BenchRun) -> Iterable[Measurement]:
    year = school_year_current()
    if year is None:
        run.log("Внимание: нет текущего учебного года — замеры загрузки пропущены")
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "obuchayushchiesya.xlsx"
        schools = _file(path, year)
        run.log(f"Файл загрузки: {ROWS} строк, {schools} школ, {path.stat().st_size // 1024} КБ")
        manage_py = str(Path(settings.BASE_DIR) / "manage.py")
        done = subprocess.run(
            [sys.executable, manage_py, "import_file", str(path), "--user", "minobr", "--skip-errors", "--rollback"],
            capture_output=True, text=True, env=os.environ.copy(), check=False,
        )  # fmt: skip
        if done.returncode != 0:
            run.log(f"Внимание: загрузка не удалась: {done.stderr[-2000:]}")
            return
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if result["status"] != "done" or result["bad"]:
            run.log(f"Внимание: загрузка: {result}")
        run.log(f"Загрузка: {result}")
        floor = _read_only(path)
        yield Measurement(
            "imports.students_xlsx", "s", result["total_s"], floor=floor,
            extra={"rows": result["rows"], "created": result["created"], "accounts": result["accounts"], "check_s": result["check_s"]},
        )  # fmt: skip
        yield Measurement("imports.students_xlsx_peak", "MB", result["peak_mb"])
    yield from _export(run)


def _export(run: BenchRun) -> Iterable[Measurement]:
    """The students of the region's schools in the template's form, one sheet, as many rows as the import had."""
    from access.policy import viewer_for
    from accounts.models import User
    from core.xlsx import XlsxColumn, workbook_write
    from imports.importers import IMPORTERS
    from imports.selectors import schools_for_upload, students_export_rows

    viewer = viewer_for(User.objects.get(username="minobr"))
    importer = IMPORTERS["students"]
    columns = [XlsxColumn(importer.column(key).header, "date" if key == "birth_date" else "text") for key in importer.template_columns]

    def rows():
        for school in schools_for_upload(viewer=viewer).iterator():
            yield from students_export_rows(viewer=viewer, school=school)[1]

    with tempfile.TemporaryFile() as target:
        started = time.perf_counter()
        count = workbook_write(
            target,
            title="Обучающиеся и родители",
            scope="республика",
            on_date=year_day(),
            columns=columns,
            rows=itertools.islice(rows(), ROWS),
        )
        seconds = round(time.perf_counter() - started, 2)
    sample = [["Школа", "1", "Фамилия Имя Отчество", year_day(), "7А", "Родитель", "мать", "+7", ""]] * count
    with tempfile.TemporaryFile() as target:
        started = time.perf_counter()
        workbook_write(target, title="Обучающиеся и родители", scope="республика", on_date=year_day(), columns=columns, rows=sample)
        floor = round(time.perf_counter() - started, 2)
    yield Measurement("exports.students_xlsx", "s", seconds, floor=floor, extra={"rows": count})


def year_day() -> datetime.date:
    return timezone.localdate()
