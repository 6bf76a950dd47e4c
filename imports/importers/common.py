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
