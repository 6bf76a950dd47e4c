"""The figures of each form, in the order the form lays them out: what each is called, what kind of number it is,
where the platform takes it from, and which checks bind them together. The page, the service, the XLSX and the
rollups all read these lists, so a figure is added in one place.

A figure the platform cannot take from its data yet (`source` empty) is entered by the school; one it can is
prefilled and may be corrected with a reason.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from monitoring.models import Period

MAX_COUNT = 1_000_000
MAX_HOURS = Decimal("100000000")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str = "int"  # int | decimal
    group: str = ""
    source: str = ""  # where the platform takes it from ("" — the school enters it)
    short: str = ""  # a column header where the table has little room

    @property
    def header(self) -> str:
        return self.short or self.label

    def parse(self, raw: str) -> int | Decimal:
        """The typed value as a number; ValueError with a Russian message naming the figure."""
        text = (raw or "").strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if text == "":
            raise ValueError(f"«{self.label}»: укажите число (0, если нет).")
        if self.kind == "int":
            if not text.isdigit():
                raise ValueError(f"«{self.label}»: нужно целое неотрицательное число, например 120.")
            value = int(text)
            if value > MAX_COUNT:
                raise ValueError(f"«{self.label}»: не больше {MAX_COUNT:,}.".replace(",", " "))
            return value
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"«{self.label}»: нужно число, например 1234,5.") from None
        if not value.is_finite() or value < 0 or value > MAX_HOURS:
            raise ValueError(f"«{self.label}»: нужно неотрицательное число не больше 100 000 000.")
        if value != value.quantize(Decimal("0.1")):
            raise ValueError(f"«{self.label}»: не больше одного знака после запятой.")
        return value.quantize(Decimal("0.1"))


def stored(value) -> int | str | None:
    """How a figure is kept in JSON: whole numbers as numbers, hours as text («1234.5»), nothing as None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.1")))
    return int(value)


def loaded(figure: Figure, value) -> int | Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value)) if figure.kind == "decimal" else int(value)


# --- item 4.8: additional-education coverage, monthly ---------------------------------------------------------

COVERAGE = [
    Figure(
        "students", "Обучающихся 6–11 классов", group="Охват",
        source="обучающиеся 6–11 классов школы на последний день месяца (по истории классов)", short="Обучающихся 6–11 кл.",
    ),
    Figure(
        "covered", "Из них занимаются хотя бы в одной программе дополнительного образования", group="Охват",
        source="записи в программы дополнительного образования, действующие на последний день месяца; обучающийся в нескольких программах считается один раз",
        short="Охвачено ДО",
    ),
    Figure(
        "enrolments", "Записей в программы (обучающийся в трёх программах — три записи)", group="Охват",
        source="те же записи в программы, каждая отдельно", short="Записей в программы",
    ),
]  # fmt: skip

# --- item 5.5: the профминимум's implementation, twice a year --------------------------------------------------

PROFMINIMUM = [
    Figure("students", "Обучающихся 6–11 классов", group="Обучающиеся и часы", source="выполнение профминимума на дату", short="Обучающихся"),
    Figure(
        "covered", "Охвачено профминимумом (зачтён хотя бы один час)", group="Обучающиеся и часы",
        source="журнал часов профминимума на дату", short="Охвачено",
    ),
    Figure(
        "hours", "Часов профминимума зачтено всего", "decimal", group="Обучающиеся и часы",
        source="журнал часов профминимума на дату", short="Часов зачтено",
    ),
    Figure(
        "met", "Выполнили минимум уровня школы", group="Обучающиеся и часы",
        source="выполнение профминимума на дату (минимум уровня и минимумы по направлениям)", short="Выполнили минимум",
    ),
    Figure(
        "lessons", "Занятий курса «Россия — мои горизонты» проведено (по классам)", group="Курс «Россия — мои горизонты»",
        source="занятия курса с отмеченной посещаемостью", short="Занятий курса",
    ),
    Figure(
        "course_marks", "Отметок посещения занятий курса", group="Курс «Россия — мои горизонты»",
        source="отметки посещаемости занятий курса", short="Отметок на курсе",
    ),
    Figure(
        "course_present", "Из них присутствовали", group="Курс «Россия — мои горизонты»",
        source="отметки посещаемости занятий курса", short="Присутствовали",
    ),
    Figure("diagnostics", "Диагностик пройдено обучающимися", group="Диагностика и профессиональные пробы", short="Диагностик"),
    Figure("trial_students", "Обучающихся, прошедших профессиональные пробы", group="Диагностика и профессиональные пробы", short="На пробах"),
    Figure("trials", "Профессиональных проб проведено", group="Диагностика и профессиональные пробы", short="Проб"),
    Figure(
        "parent_meetings", "Родительских собраний и встреч по профориентации", group="Родители, экскурсии, профессиональное обучение",
        source="мероприятия направления «работа с родителями» с отмеченной посещаемостью", short="Собраний родителей",
    ),
    Figure(
        "parent_participants", "Обучающихся, чьи родители участвовали", group="Родители, экскурсии, профессиональное обучение",
        source="отметки участия в мероприятиях направления «работа с родителями»", short="Родители участвовали",
    ),
    Figure("excursions", "Экскурсий на предприятия, в колледжи и вузы", group="Родители, экскурсии, профессиональное обучение", short="Экскурсий"),
    Figure(
        "training_students", "Обучающихся в профессиональном обучении", group="Родители, экскурсии, профессиональное обучение",
        source="отметки посещения мероприятий направления «профессиональное обучение»", short="В проф. обучении",
    ),
    Figure("navigators", "Педагогов-навигаторов", group="Кадры", source="педагоги школы с ролью «педагог-навигатор»", short="Навигаторов"),
]  # fmt: skip

# The school's own text of the self-analysis: (key, heading, hint).
PROFMINIMUM_TEXTS = [
    ("achievements", "Что удалось", "Главные результаты периода: что сработало и почему."),
    ("difficulties", "Трудности и их причины", "Что не получилось, чего не хватило: кадров, партнёров, времени, площадок."),
    ("plans", "Планы и предложения", "Что школа сделает в следующем периоде и о чём просит муниципалитет и министерство."),
]
TEXT_LIMIT = 4000

# The levels counted among the schools of a municipality or the republic (their codes, as profminimum's Level).
LEVEL_CODES = ("basic", "main", "advanced")
LEVEL_NAMES = {"basic": "базовый", "main": "основной", "advanced": "продвинутый", "": "не выбран"}


def figures_for(kind: str) -> list[Figure]:
    return COVERAGE if kind == Period.Kind.COVERAGE else PROFMINIMUM


def texts_for(kind: str) -> list[tuple[str, str, str]]:
    return PROFMINIMUM_TEXTS if kind == Period.Kind.PROFMINIMUM else []


def groups(figures: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """The figures in their groups, in order."""
    result: list[tuple[str, list[Figure]]] = []
    for figure in figures:
        if not result or result[-1][0] != figure.group:
            result.append((figure.group, []))
        result[-1][1].append(figure)
    return result


# Figures that cannot exceed another: (the part, the whole). A school's correction that breaks one is refused.
BOUNDS = {
    Period.Kind.COVERAGE: [("covered", "students"), ("covered", "enrolments")],
    Period.Kind.PROFMINIMUM: [
        ("covered", "students"), ("met", "students"), ("course_present", "course_marks"), ("trial_students", "students"),
        ("training_students", "students"), ("parent_participants", "students"),
    ],
}  # fmt: skip


def bound_errors(kind: str, values: dict) -> dict[str, str]:
    """The figures whose value exceeds the one it is a part of: {key: message}."""
    labels = {f.key: f.label for f in figures_for(kind)}
    errors = {}
    for part, whole in BOUNDS[kind]:
        a, b = values.get(part), values.get(whole)
        if a is None or b is None:
            continue
        if part == "covered" and whole == "enrolments":
            if a > b:  # each covered student has at least one enrolment
                errors[whole] = f"«{labels[whole]}»: записей не может быть меньше, чем охваченных обучающихся ({a})."
            continue
        if a > b:
            errors[part] = f"«{labels[part]}»: не может быть больше, чем «{labels[whole].lower()}» ({b})."
    return errors


def share(part, whole) -> Decimal | None:
    """A share in percent with one decimal, or None of nothing."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
