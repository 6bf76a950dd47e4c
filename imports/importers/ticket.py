"""The «Билет в будущее» export (DOMAIN.md §2: муниципалитет, ФИО, дата рождения, образовательная организация, класс
без буквы, буква класса, названия проб, даты прохождения, ответственный педагог-навигатор) as professional trials:
each trial becomes an imported events.TrialRecord, which the indicators count exactly as one marked here. A row may
list several trials and their dates, separated by «;» or line breaks. The student is found by ФИО and birth date
within the school; a re-import finds each trial by the student, its day and its site and changes nothing.

The export's diagnostics status is not read: the platform has no diagnostics domain to keep it yet. The
municipality, the class and the navigator are recognised and not checked (the student's class may have changed
since the trial)."""

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
from imports.values import Problem, birth_date, date_value, text

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
    title = "«Билет в будущее»: пробы"
    description = (
        "Выгрузка региона с федеральной платформы «Билет в будущее»: пройденные профессиональные пробы попадают в показатели "
        "наравне с отмеченными здесь. Ученик находится по ФИО и дате рождения; повторная загрузка ничего не удваивает."
    )
    template_name = "shablon-bilet-v-budushchee.xlsx"
    nouns = ("проба", "пробы", "проб")
    columns = (MUNICIPALITY, NAMES[0], *NAMES[1:], BIRTH, TICKET_SCHOOL, GRADE, LETTER, TRIALS, DATES, SITE, NAVIGATOR)
    template_columns = ("municipality", "full_name", "birth_date", "school", "grade", "letter", "trials", "dates", "navigator")

    def header_problems(self, found: set[str], ctx: Context) -> list[str]:
        problems = []
        if not has_names(found, NAME_KEYS):
            problems.append("Нет столбца «ФИО» (или столбцов «Фамилия» и «Имя»).")
        problems += [missing_column(c.header) for c in (BIRTH, TRIALS, DATES) if c.key not in found]
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
        titles = row.take(ctx, "trials", parts, max_length=300) or []
        if not titles and not row.problems:
            row.problem(ctx, "trials", "не указано название пробы")
        days: list[datetime.date] = []
        for written in row.take(ctx, "dates", parts, max_length=40) or []:
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

    def freeze(self, values: dict) -> dict:
        """The parse's values only: what the plan added is planned again at the commit."""
        school = values.get("school")
        kept = {key: value for key, value in values.items() if key not in {"student_id", "new"}}
        return {**kept, "school": school.pk if school is not None else None}

    def thaw(self, row: Row, ctx: Context) -> None:
        thaw_school(row, ctx)

    def plan(self, rows: list[Row], ctx: Context) -> dict:
        from events.models import TrialRecord

        good = [row for row in rows if row.ok]
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
        seen: dict[tuple, int] = {}
        counts = {"create": 0, "update": 0, "same": 0}
        trials = {"create": 0, "same": 0}
        for row in located:
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
            row.action = "create" if any(new) else "same"
            counts[row.action] += 1
        return {**counts, "bad": sum(1 for row in rows if row.problems), "trials_new": trials["create"], "trials_same": trials["same"]}

    def apply(self, rows: list[Row], ctx: Context) -> dict:
        from events.services import trial_record_import
        from people.models import Student

        students = Student.objects.in_bulk([row.values["student_id"] for row in rows if row.action == "create"])
        created = 0
        for row in rows:
            if row.action != "create":
                continue
            for (title, day), new in zip(row.values["trials"], row.values["new"], strict=True):
                if new:
                    trial_record_import(student=students[row.values["student_id"]], held_on=day, title=title, site_name=row.values["site"])
                    created += 1
        return {"created": created, "updated": 0, "accounts": 0}


IMPORTER = TicketImporter()
