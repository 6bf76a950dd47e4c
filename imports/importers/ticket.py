"""The «Билет в будущее» export (DOMAIN.md §2: муниципалитет, ФИО, дата рождения, образовательная организация, класс
без буквы, буква класса, названия проб, даты прохождения, ответственный педагог-навигатор) as professional trials:
each trial becomes an imported events.TrialRecord, which the indicators count exactly as one marked here. A row may
list several trials and their dates, separated by «;» or line breaks. The student is found by ФИО and birth date
within the school; a re-import finds each trial by the student, its day and its site and changes nothing.

The export's status of the platform's online diagnostics («Статус диагностики»: пройдена, начата, не начата; with
«Дата диагностики» if the file has it) becomes the student's diagnostics.TicketDiagnostics of the current school
year, shown on the student's diagnostics page and counted by the indicators; a re-import updates it in place. With
that column a row may have no trials, and the trials' columns may be absent. The municipality, the class and the
navigator are recognised and not checked (the student's class may have changed since the trial)."""

import datetime
import re

from core.formatting import date_short
from core.search import normalize_search_text
from imports.framework import Column, Context, Importer, Row, missing_column
from imports.importers.common import (
    SCHOOL,
    has_names,
    name_columns,
    names_column,
    student_of,
    students_found,
    take_names,
    take_school,
    thaw_school,
)
from imports.values import Problem, birth_date, choice, date_value, name_key, text

NAMES = name_columns(who="обучающегося", aliases_for=("обучающегося", "ученика", "участника"))
NAME_KEYS = tuple(c.key for c in NAMES)
MUNICIPALITY = Column("municipality", "Муниципалитет", ("Муниципальное образование", "Район"), example="г. Владикавказ")
TICKET_SCHOOL = Column(
    "school", "Образовательная организация", ("Школа", "ОО", "Наименование ОО", "Организация", "Учреждение"),
    example="МБОУ СОШ № 1 г. Владикавказа", help=SCHOOL.help,
)  # fmt: skip
BIRTH = Column("birth_date", "Дата рождения", ("ДР", "Дата рождения участника"), required=True, example="05.03.2010", help="ДД.ММ.ГГГГ.")
GRADE = Column("grade", "Класс (без буквы)", ("Класс", "Параллель", "Класс без буквы"), example="9", help="Не проверяется.")
LETTER = Column("letter", "Буква класса", ("Литера", "Буква"), example="А", help="Не проверяется.")
TRIALS = Column(
    "trials", "Названия проб", ("Название пробы", "Проба", "Пробы", "Профессиональная проба", "Профессиональные пробы"),
    required=True, example="Инженер-робототехник", help="Одна или несколько проб через «;».",
)  # fmt: skip
DATES = Column(
    "dates", "Даты прохождения", ("Дата прохождения", "Дата пробы", "Даты проб", "Дата прохождения пробы"), required=True,
    example="15.10.2025", help="Дата каждой пробы через «;», в том же порядке; одна дата — для всех проб строки.",
)  # fmt: skip
SITE = Column("site", "Площадка", ("Площадка проведения", "Место проведения"), example="", help="Если в выгрузке есть.")
NAVIGATOR = Column(
    "navigator", "Ответственный педагог-навигатор", ("Педагог-навигатор", "Ответственный педагог", "Навигатор"), example="",
    help="Не проверяется.",
)  # fmt: skip
DIAGNOSTICS = Column(
    "diagnostics", "Статус диагностики", ("Диагностика", "Онлайн-диагностика", "Статус онлайн-диагностики", "Прохождение диагностики"),
    example="пройдена", help="«пройдена», «начата» или «не начата»; пусто — не менять.",
)  # fmt: skip
DIAGNOSTICS_DATE = Column(
    "diagnostics_date", "Дата диагностики", ("Дата прохождения диагностики", "Дата онлайн-диагностики"), example="01.10.2025",
    help="ДД.ММ.ГГГГ, если диагностика пройдена.",
)  # fmt: skip
STATUS_SPELLINGS = {
    "passed": ("пройдена", "пройдено", "прошёл", "прошла", "да", "завершена", "завершено", "пройдена полностью"),
    "started": ("начата", "начато", "в процессе", "не завершена", "не завершено", "пройдена частично", "частично"),
    "not_started": ("не начата", "не начато", "не пройдена", "не пройдено", "не проходил", "не проходила", "нет"),
}
STATUS_OPTIONS = {name_key(spelling): status for status, spellings in STATUS_SPELLINGS.items() for spelling in spellings}
STATUS_LABELS = ("пройдена", "начата", "не начата")
FIRST_TRIALS = datetime.date(2018, 1, 1)  # the federal project began in 2018
SEPARATORS = re.compile(r"[;\n]+")


def parts(value, *, max_length: int) -> list[str]:
    written = text(value, max_length=max_length * 10)
    return [part.strip() for part in SEPARATORS.split(written) if part.strip()]


def site_key(site_name: str) -> str:
    """As events.services.trial_record_import keys a site it knows by name."""
    return "name:" + normalize_search_text(site_name)[:300]


class TicketImporter(Importer):
    kind = "ticket"
    title = "«Билет в будущее»: пробы и диагностика"
    description = (
        "Выгрузка региона с федеральной платформы «Билет в будущее»: пройденные профессиональные пробы попадают в показатели "
        "наравне с отмеченными здесь, статус онлайн-диагностики — на страницу результатов обучающегося и в показатели. "
        "Ученик находится по ФИО и дате рождения; повторная загрузка ничего не удваивает."
    )
    template_name = "shablon-bilet-v-budushchee.xlsx"
    nouns = ("проба", "пробы", "проб")
    columns = (
        MUNICIPALITY, NAMES[0], *NAMES[1:], BIRTH, TICKET_SCHOOL, GRADE, LETTER, TRIALS, DATES, SITE, NAVIGATOR, DIAGNOSTICS, DIAGNOSTICS_DATE,
    )  # fmt: skip
    template_columns = (
        "municipality", "full_name", "birth_date", "school", "grade", "letter", "trials", "dates", "navigator", "diagnostics", "diagnostics_date",
    )  # fmt: skip

    def header_problems(self, found: set[str], ctx: Context) -> list[str]:
        problems = []
        if not has_names(found, NAME_KEYS):
            problems.append("Нет столбца «ФИО» (или столбцов «Фамилия» и «Имя»).")
        # Without the diagnostics' status the file is about trials: their columns are then a must.
        needed = (BIRTH,) if "diagnostics" in found else (BIRTH, TRIALS, DATES)
        problems += [missing_column(c.header) for c in needed if c.key not in found]
        if ctx.school is None and "school" not in found:
            problems.append(
                "Нет столбца «Образовательная организация»: выберите школу на странице загрузки или укажите её в каждой строке."
            )
        return problems

    def parse(self, row: Row, ctx: Context) -> None:
        values = row.values
        values["school"] = take_school(row, ctx)
        values["names"] = take_names(row, ctx, NAME_KEYS)
        values["birth_date"] = row.take(ctx, "birth_date", birth_date, today=ctx.today)
        values["site"] = row.take(ctx, "site", text, max_length=300) if ctx.has_column("site") else ""
        self.parse_diagnostics(row, ctx)
        values.setdefault("trials", [])
        titles = (row.take(ctx, "trials", parts, max_length=300) or []) if ctx.has_column("trials") else []
        if not titles and not row.problems and values["diagnostics"] is None:
            if ctx.has_column("diagnostics"):
                row.problem(ctx, "trials", "не указаны ни проба, ни статус диагностики")
            else:
                row.problem(ctx, "trials", "не указано название пробы")
        days: list[datetime.date] = []
        for written in (row.take(ctx, "dates", parts, max_length=40) or []) if ctx.has_column("dates") else []:
            try:
                day = date_value(written, today=ctx.today)
            except Problem as problem:
                row.problem(ctx, "dates", str(problem), value=written)
                return
            if not FIRST_TRIALS <= day <= ctx.today:
                row.problem(ctx, "dates", f"дата пробы {date_short(day)} — должна быть между {date_short(FIRST_TRIALS)} и сегодняшним днём")
                return
            days.append(day)
        if titles and not days:
            row.problem(ctx, "dates", "не указана дата прохождения пробы")
        elif titles and len(days) not in {1, len(titles)}:
            row.problem(ctx, "dates", f"проб в строке {len(titles)}, а дат {len(days)}: укажите одну дату или дату каждой пробы через «;»")
        elif titles:
            values["trials"] = list(zip(titles, days * len(titles) if len(days) == 1 else days, strict=True))

    def parse_diagnostics(self, row: Row, ctx: Context) -> None:
        values = row.values
        values["diagnostics"], values["diagnostics_on"] = None, None
        if not ctx.has_column("diagnostics"):
            return
        status = row.take(ctx, "diagnostics", choice, STATUS_OPTIONS, what="статус диагностики", labels=STATUS_LABELS, default="")
        values["diagnostics"] = status or None
        if status != "passed" or not ctx.has_column("diagnostics_date"):
            return
        day = row.take(ctx, "diagnostics_date", date_value, today=ctx.today)
        if day is not None and not FIRST_TRIALS <= day <= ctx.today:
            row.problem(
                ctx, "diagnostics_date", f"дата {date_short(day)} — должна быть между {date_short(FIRST_TRIALS)} и сегодняшним днём"
            )
            return
        values["diagnostics_on"] = day

    def freeze(self, values: dict) -> dict:
        """The parse's values only: what the plan added is planned again at the commit."""
        school = values.get("school")
        kept = {key: value for key, value in values.items() if key not in {"student_id", "new", "diagnostics_action"}}
        return {**kept, "school": school.pk if school is not None else None}

    def thaw(self, row: Row, ctx: Context) -> None:
        thaw_school(row, ctx)

    def plan(self, rows: list[Row], ctx: Context) -> dict:
        from diagnostics.models import TicketDiagnostics
        from events.models import TrialRecord

        good = [row for row in rows if row.ok]
        if ctx.year is None and any(row.values["diagnostics"] for row in good):
            for row in good:
                if row.values["diagnostics"]:
                    row.problem(ctx, "diagnostics", "текущий учебный год не задан: статус диагностики не к чему отнести")
            good = [row for row in good if row.ok]
        found = students_found(good, ctx)
        names_col = names_column(ctx, NAME_KEYS)
        located = []
        for row in good:
            if row.values["school"].municipality_id is None:
                row.problem(ctx, "school", "у школы не указан муниципалитет: пробы не к чему отнести")
                continue
            student_id = student_of(row, ctx, found, names_column=names_col)
            if student_id is not None:
                row.values["student_id"] = student_id
                located.append(row)
        existing = set(
            TrialRecord.objects.filter(student_id__in={row.values["student_id"] for row in located}).values_list(
                "student_id", "held_on", "site_key"
            )
        )
        statuses = {
            student_id: (status, passed_on)
            for student_id, status, passed_on in TicketDiagnostics.objects.filter(
                student_id__in={row.values["student_id"] for row in located}, school_year=ctx.year
            ).values_list("student_id", "status", "passed_on")
        } if ctx.year is not None else {}  # fmt: skip
        seen: dict[tuple, int] = {}
        seen_status: dict[int, int] = {}
        counts = {"create": 0, "update": 0, "same": 0}
        trials = {"create": 0, "same": 0}
        diagnostics = {"create": 0, "update": 0, "same": 0}
        for row in located:
            student_id = row.values["student_id"]
            if row.values["diagnostics"] and student_id in seen_status:
                row.problem(
                    ctx, "diagnostics", f"повтор строки {seen_status[student_id]}: статус диагностики этого обучающегося уже указан"
                )
                continue
            keys = [(row.values["student_id"], day, site_key(row.values["site"])) for _, day in row.values["trials"]]
            repeated = next((seen[key] for key in keys if key in seen), None)
            if repeated is not None or len(set(keys)) < len(keys):
                where = f"строки {repeated}" if repeated is not None else "в той же строке"
                row.problem(ctx, "dates", f"повтор {where}: у обучающегося уже есть проба в этот день на той же площадке")
                continue
            seen.update(dict.fromkeys(keys, row.number))
            new = [key not in existing for key in keys]
            row.values["new"] = new
            trials["create"] += sum(new)
            trials["same"] += len(new) - sum(new)
            status_action = ""
            if row.values["diagnostics"]:
                seen_status[student_id] = row.number
                wanted = (row.values["diagnostics"], row.values["diagnostics_on"] if row.values["diagnostics"] == "passed" else None)
                held = statuses.get(student_id)
                status_action = "create" if held is None else "same" if held == wanted else "update"
                diagnostics[status_action] += 1
            row.values["diagnostics_action"] = status_action
            row.action = "create" if any(new) or status_action == "create" else "update" if status_action == "update" else "same"
            counts[row.action] += 1
        return {
            **counts, "bad": sum(1 for row in rows if row.problems), "trials_new": trials["create"], "trials_same": trials["same"],
            "diagnostics_new": diagnostics["create"], "diagnostics_changed": diagnostics["update"],
        }  # fmt: skip

    def apply(self, rows: list[Row], ctx: Context) -> dict:
        from diagnostics.services import ticket_diagnostics_import
        from events.services import trial_record_import
        from people.models import Student

        students = Student.objects.in_bulk([row.values["student_id"] for row in rows if row.action in {"create", "update"}])
        created = updated = statuses = 0
        for row in rows:
            if row.action not in {"create", "update"}:
                continue
            student = students[row.values["student_id"]]
            for (title, day), new in zip(row.values["trials"], row.values["new"], strict=True):
                if new:
                    trial_record_import(student=student, held_on=day, title=title, site_name=row.values["site"])
                    created += 1
            if row.values.get("diagnostics_action") in {"create", "update"}:
                done = ticket_diagnostics_import(
                    student=student, school_year=ctx.year, school=row.values["school"], status=row.values["diagnostics"],
                    passed_on=row.values["diagnostics_on"],
                )  # fmt: skip
                statuses, updated = statuses + (done == "create"), updated + (done == "update")
        # «Новых: N проб» counts trials; the new statuses are said apart, the changed ones are «обновлено».
        extra = f"новых статусов онлайн-диагностики: {statuses}" if statuses else ""
        return {"created": created, "updated": updated, "accounts": 0, "extra": extra}


IMPORTER = TicketImporter()
