"""What several importers share: finding a row's school, its class, and the people's names in one column or three."""

import datetime

from imports.framework import Column, Context, Row
from imports.policy import import_schools
from imports.values import Problem, class_name, class_value, grade_value, letter_value, name_key, person_name, split_full_name, text

SCHOOL = Column(
    "school", "Школа",
    ("Образовательная организация", "ОО", "Наименование ОО", "Наименование образовательной организации", "Учреждение",
     "Общеобразовательная организация", "Школа краткое название", "Организация"),
    example="МБОУ СОШ № 1 г. Владикавказа",
    help="Краткое или полное название школы, как в платформе. Можно не заполнять, если загружаете список одной школы.",
)  # fmt: skip
CLASS = Column(
    "class", "Класс", ("Класс обучения", "Класс с буквой", "Класс буква"), example="7Б",
    help="Номер и буква: «7Б», «7 б», «7-Б». Или два столбца: «Параллель» и «Буква класса».",
)  # fmt: skip
GRADE = Column(
    "grade", "Параллель", ("Класс без буквы", "Номер класса", "Класс цифра", "Год обучения"), example="7",
    help="Номер класса от 1 до 11 — если буква в отдельном столбце.",
)  # fmt: skip
LETTER = Column(
    "letter", "Буква класса", ("Литера", "Литера класса", "Буква"), example="Б", help="Буква класса — если номер в отдельном столбце."
)


def name_columns(
    key: str = "", prefix: str = "", *, who: str = "", aliases_for: tuple[str, ...] = ()
) -> tuple[Column, Column, Column, Column]:
    """ФИО in one column, or surname, name and patronymic in three; `key` and `prefix` («parent», «Родитель: ») name
    another person's than the row's own."""
    keys = [f"{key}_{part}" if key else part for part in ("full_name", "last_name", "first_name", "middle_name")]

    def names(base: str) -> tuple[str, ...]:
        found = [f"{base} {alias}" for alias in aliases_for] + [f"{alias} {base}" for alias in aliases_for]
        return tuple(found)

    full = Column(
        keys[0], f"{prefix}ФИО",
        (*names("ФИО"), *(f"Фамилия имя отчество {a}" for a in aliases_for), *(("Фамилия имя отчество", "Фамилия, имя, отчество") if not prefix else ())),
        help=f"Фамилия, имя и отчество {who} через пробел — если они в одном столбце.",
    )  # fmt: skip
    last = Column(keys[1], f"{prefix}Фамилия", names("Фамилия"), example="", help=f"Фамилия {who}.")
    first = Column(keys[2], f"{prefix}Имя", names("Имя"), example="", help=f"Имя {who}.")
    middle = Column(keys[3], f"{prefix}Отчество", names("Отчество"), example="", help=f"Отчество {who}, если есть.")
    return full, last, first, middle


def take_names(row: Row, ctx: Context, keys: tuple[str, str, str, str], *, required: bool = True) -> tuple[str, str, str] | None:
    """(surname, name, patronymic) from the row: from the three columns when the file has them, else from ФИО."""
    full_key, last_key, first_key, middle_key = keys
    if ctx.has_column(last_key) or ctx.has_column(first_key):
        last = row.take(ctx, last_key, person_name, what="фамилия", required=required)
        first = row.take(ctx, first_key, person_name, what="имя", required=required)
        middle = row.take(ctx, middle_key, person_name, what="отчество", required=False) if ctx.has_column(middle_key) else ""
        if last is None or first is None or middle is None:
            return None
        return last, first, middle
    if not ctx.has_column(full_key):
        return None
    if not required and not row.has(full_key):
        return "", "", ""
    parts = row.take(ctx, full_key, split_full_name)
    if parts is None:
        return None
    cleaned = []
    for part, what in zip(parts, ("фамилия", "имя", "отчество")):
        try:
            cleaned.append(person_name(part, what=what, required=what != "отчество", max_length=100))
        except Problem as problem:
            row.problem(ctx, full_key, f"{what}: {problem}")
            return None
    return cleaned[0], cleaned[1], cleaned[2]


def has_names(found: set[str], keys: tuple[str, str, str, str]) -> bool:
    full_key, last_key, first_key, _ = keys
    return full_key in found or (last_key in found and first_key in found)


def schools_by_name(ctx: Context) -> dict[str, list]:
    """The schools the importer may load into, by each of their names folded."""
    if "schools" not in ctx.cache:
        found: dict[str, list] = {}
        for school in import_schools(ctx.viewer).select_related("municipality"):
            for name in {name_key(school.short_name), name_key(school.name)}:
                if name:
                    found.setdefault(name, []).append(school)
        ctx.cache["schools"] = found
    return ctx.cache["schools"]


def take_school(row: Row, ctx: Context):
    """The row's school: the one the import is for, or the one its «Школа» names among those the importer may load into."""
    if ctx.school is not None:
        if ctx.has_column("school") and row.has("school"):
            written = row.take(ctx, "school", text)
            if written and name_key(written) not in {name_key(ctx.school.short_name), name_key(ctx.school.name)}:
                row.problem(ctx, "school", f"«{written}» — не та школа, в которую идёт загрузка («{ctx.school.short_name}»)")
                return None
        return ctx.school
    written = row.take(ctx, "school", text)
    if written is None:
        return None
    if not written:
        row.problem(ctx, "school", "не указана школа")
        return None
    found = schools_by_name(ctx).get(name_key(written), [])
    if not found:
        row.problem(
            ctx, "school", f"школы «{written}» нет среди тех, куда вы можете загружать данные; напишите её название, как в платформе"
        )
        return None
    if len({s.pk for s in found}) > 1:
        places = ", ".join(f"«{s.short_name}» ({s.municipality or 'без муниципалитета'})" for s in found[:3])
        row.problem(ctx, "school", f"«{written}» — так называются несколько школ: {places}; напишите полное название")
        return None
    return found[0]


def take_class(row: Row, ctx: Context) -> tuple[int, str] | None:
    if ctx.has_column("class"):
        return row.take(ctx, "class", class_value)
    grade = row.take(ctx, "grade", grade_value)
    letter = row.take(ctx, "letter", letter_value)
    if grade is None or letter is None:
        return None
    return grade, letter


def has_class(found: set[str]) -> bool:
    return "class" in found or ("grade" in found and "letter" in found)


def class_label(grade: int, letter: str) -> str:
    return class_name(grade, letter)


def september_first(ctx: Context) -> datetime.date:
    """The day ages are counted on for a grade: the first of September of the current school year."""
    year = ctx.year.starts_on.year if ctx.year is not None else ctx.today.year - (ctx.today.month < 8)
    return datetime.date(year, 9, 1)


def thaw_school(row: Row, ctx: Context) -> None:
    """A kept row's school back by its id, among those the importer may load into now."""
    from imports.importers.students import IMPORTER as STUDENTS

    STUDENTS.thaw(row, ctx)


def students_found(rows: list[Row], ctx: Context) -> dict[tuple, list[int]]:
    """The students of the rows' schools, by («code», school, number) — the school's own student number — and by
    («name», school, ФИО and birth date folded): how a file that names students finds them."""
    from imports.models import StudentSchoolId
    from people.models import Student

    school_ids = {row.values["school"].pk for row in rows if row.ok}
    found: dict[tuple, list[int]] = {}
    for student_id, school_id, code in StudentSchoolId.objects.filter(school_id__in=school_ids).values_list(
        "student_id", "school_id", "code"
    ):
        found.setdefault(("code", school_id, code), []).append(student_id)
    for pk, school_id, last, first, middle, born in Student.objects.filter(current_school_id__in=school_ids).values_list(
        "pk", "current_school_id", "person__last_name", "person__first_name", "person__middle_name", "person__birth_date"
    ):
        found.setdefault(("name", school_id, person_key((last, first, middle), born)), []).append(pk)
    return found


def person_key(names: tuple[str, str, str], born) -> str:
    return f"{name_key(*names)}|{born.isoformat() if born else ''}"


def student_of(row: Row, ctx: Context, found: dict[tuple, list[int]], *, names_column: str) -> int | None:
    """The row's student: by the school's number when the row has one, else by ФИО and birth date within the school;
    None with the problem noted when there is none or more than one."""
    school, code, names, born = row.values["school"], row.values.get("code"), row.values["names"], row.values.get("birth_date")
    if code:
        ids = found.get(("code", school.pk, code), [])
        if ids:
            return ids[0]
    if born is None:
        row.problem(ctx, "code", f"в школе нет обучающегося с номером «{code}»")
        return None
    ids = found.get(("name", school.pk, person_key(names, born)), [])
    if len(ids) > 1:
        row.problem(ctx, names_column, "в школе несколько обучающихся с такими ФИО и датой рождения: укажите номер в школе")
        return None
    if not ids:
        row.problem(
            ctx, names_column,
            f"в школе «{school.short_name}» нет обучающегося с такими ФИО и датой рождения: проверьте их или загрузите сначала список обучающихся",
        )  # fmt: skip
        return None
    return ids[0]


def names_column(ctx: Context, keys: tuple[str, str, str, str]) -> str:
    return keys[1] if ctx.has_column(keys[1]) else keys[0]
