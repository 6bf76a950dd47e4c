"""Creating and copying normative versions. The figures are data the ministry edits; the defaults below
are the federal levels (40/60/80 h), the seven directions, the course programme of 34 lessons and the
region's usual holidays, so that a new region starts from something true rather than from nothing."""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from core.formatting import date_short, hours_text
from orgs.models import SchoolYear
from profminimum.models import (
    Activity,
    CourseLesson,
    CreditRule,
    Direction,
    DirectionMinimum,
    Holiday,
    Level,
    NormativeVersion,
    SchoolLevel,
)

LEVEL_MINIMA = {Level.Code.BASIC: Decimal("40"), Level.Code.MAIN: Decimal("60"), Level.Code.ADVANCED: Decimal("80")}

# The course «Россия — мои горизонты»: topic, kind, sector.
_C, _P, _I = CourseLesson.Kind.CAREER_GUIDANCE, CourseLesson.Kind.PRACTICE, CourseLesson.Kind.INDUSTRY
COURSE_PROGRAMME = [
    ("Вводный урок «Моя Россия — мои горизонты»", _C, ""),
    ("Тематический профориентационный урок «Открой своё будущее»", _C, ""),
    ("Профориентационное занятие «Познаю себя»", _C, ""),
    ("Россия аграрная: растениеводство, садоводство", _I, "сельское хозяйство"),
    ("Россия индустриальная: атомная промышленность", _I, "промышленность"),
    ("Практико-ориентированное занятие", _P, ""),
    ("Россия аграрная: пищевая промышленность и общественное питание", _I, "пищевая промышленность"),
    ("Россия здоровая: биотехнологии, экология", _I, "здравоохранение"),
    ("Россия безопасная: полиция, противопожарная служба, служба спасения, охрана", _I, "безопасность"),
    ("Практико-ориентированное занятие", _P, ""),
    ("Россия комфортная: транспорт", _I, "транспорт"),
    ("Россия здоровая: медицина и фармация", _I, "здравоохранение"),
    ("Россия деловая: предпринимательство", _I, "предпринимательство"),
    ("Россия комфортная: энергетика", _I, "энергетика"),
    ("Проектное занятие", _P, ""),
    ("Профориентационное тематическое занятие «Моё будущее»", _C, ""),
    ("Россия индустриальная: добыча и переработка", _I, "промышленность"),
    ("Россия индустриальная: лёгкая промышленность", _I, "промышленность"),
    ("Россия умная: наука и образование", _I, "наука и образование"),
    ("Практико-ориентированное занятие", _P, ""),
    ("Россия индустриальная: тяжёлая промышленность, машиностроение", _I, "промышленность"),
    ("Россия безопасная: военно-промышленный комплекс", _I, "безопасность"),
    ("Практико-ориентированное занятие", _P, ""),
    ("Россия умная: программирование и телекоммуникации", _I, "информационные технологии"),
    ("Россия комфортная: строительство и архитектура", _I, "строительство"),
    ("Практико-ориентированное занятие", _P, ""),
    ("Россия социальная: сервис и туризм", _I, "туризм"),
    ("Россия креативная: искусство и дизайн", _I, "креативные индустрии"),
    ("Практико-ориентированное занятие", _P, ""),
    ("Россия аграрная: животноводство, селекция и генетика", _I, "сельское хозяйство"),
    ("Россия безопасная: вооружённые силы, гражданская оборона", _I, "безопасность"),
    ("Практико-ориентированное занятие", _P, ""),
    ("Россия здоровая: спорт и здоровье", _I, "здравоохранение"),
    ("Рефлексивное занятие «Моё будущее — моя страна»", _C, ""),
]

DIRECTION_ORDER = [
    Direction.Code.PROFILE_CLASSES, Direction.Code.LESSONS, Direction.Code.COURSE, Direction.Code.UPBRINGING,
    Direction.Code.ADDITIONAL_EDUCATION, Direction.Code.PROFESSIONAL_TRAINING, Direction.Code.PARENTS,
]  # fmt: skip


def default_holidays(school_year: SchoolYear) -> list[tuple[str, datetime.date, datetime.date]]:
    """The usual breaks of the republic's schools for a year starting in September of `y`."""
    y = school_year.starts_on.year
    return [
        ("Осенние каникулы", datetime.date(y, 10, 27), datetime.date(y, 11, 4)),
        ("Зимние каникулы", datetime.date(y, 12, 29), datetime.date(y + 1, 1, 11)),
        ("День защитника Отечества", datetime.date(y + 1, 2, 23), datetime.date(y + 1, 2, 23)),
        ("Международный женский день", datetime.date(y + 1, 3, 8), datetime.date(y + 1, 3, 8)),
        ("Весенние каникулы", datetime.date(y + 1, 3, 23), datetime.date(y + 1, 3, 31)),
        ("Праздник Весны и Труда", datetime.date(y + 1, 5, 1), datetime.date(y + 1, 5, 1)),
        ("День Победы", datetime.date(y + 1, 5, 9), datetime.date(y + 1, 5, 9)),
    ]


@transaction.atomic
def normative_version_create_default(*, school_year: SchoolYear) -> NormativeVersion:
    version = NormativeVersion.objects.create(
        school_year=school_year,
        title=f"Профориентационный минимум {school_year}",
        basis="Федеральные методические рекомендации по реализации профориентационного минимума; "
        "приказ Минобрнауки РСО-Алания от 04.09.2023 № 866.",
    )
    Level.objects.bulk_create([Level(normative=version, code=code, min_hours=hours) for code, hours in LEVEL_MINIMA.items()])
    labels = dict(Direction.Code.choices)
    Direction.objects.bulk_create(
        [Direction(normative=version, code=code, name=labels[code], position=i) for i, code in enumerate(DIRECTION_ORDER, 1)]
    )
    CourseLesson.objects.bulk_create(
        [
            CourseLesson(normative=version, number=n, topic=topic, kind=kind, sector=sector)
            for n, (topic, kind, sector) in enumerate(COURSE_PROGRAMME, 1)
        ]
    )
    Holiday.objects.bulk_create([Holiday(normative=version, title=t, starts_on=s, ends_on=e) for t, s, e in default_holidays(school_year)])
    # A completed diagnostic: one hour of upbringing work (the diagnostics of interests are part of it), editable.
    CreditRule.objects.create(
        normative=version, kind=CreditRule.Kind.DIAGNOSTICS, direction=version.directions.get(code=Direction.Code.UPBRINGING), hours=1
    )
    return version


@transaction.atomic
def normative_version_copy(*, source: NormativeVersion, school_year: SchoolYear) -> NormativeVersion:
    """A new year starts as a copy of the last one; the holidays move by the difference in years."""
    version = NormativeVersion.objects.create(
        school_year=school_year, title=f"Профориентационный минимум {school_year}", basis=source.basis, copied_from=source
    )
    levels = {
        level.pk: Level.objects.create(normative=version, code=level.code, min_hours=level.min_hours) for level in source.levels.all()
    }
    directions = {
        d.pk: Direction.objects.create(normative=version, code=d.code, name=d.name, position=d.position) for d in source.directions.all()
    }
    DirectionMinimum.objects.bulk_create(
        [
            DirectionMinimum(level=levels[m.level_id], direction=directions[m.direction_id], min_hours=m.min_hours)
            for m in DirectionMinimum.objects.filter(level__normative=source)
        ]
    )
    CourseLesson.objects.bulk_create(
        [CourseLesson(normative=version, number=l.number, topic=l.topic, kind=l.kind, sector=l.sector) for l in source.course_lessons.all()]
    )
    CreditRule.objects.bulk_create(
        [CreditRule(normative=version, kind=r.kind, direction=directions[r.direction_id], hours=r.hours) for r in source.credit_rules.all()]
    )
    years = school_year.starts_on.year - source.school_year.starts_on.year
    Holiday.objects.bulk_create(
        [
            Holiday(normative=version, title=h.title, starts_on=_shift_years(h.starts_on, years), ends_on=_shift_years(h.ends_on, years))
            for h in source.holidays.all()
        ]
    )
    return version


def _shift_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- editing a version: the ministry's writes, each validated whole before anything is written ---------------


def _lock(normative: NormativeVersion) -> NormativeVersion:
    """Two ministry editors saving the same version at once: one waits for the other."""
    return NormativeVersion.objects.select_for_update(of=("self",)).select_related("school_year").get(pk=normative.pk)


HOURS_STEP = Decimal("0.5")
HOURS_MAX = Decimal("1000")
LEVEL_ORDER = [Level.Code.BASIC, Level.Code.MAIN, Level.Code.ADVANCED]


def hours_problem(value) -> str | None:
    """Why a number of hours is not acceptable, or None: at least 0, at most 1000, in steps of 0.5."""
    if value is None:
        return "укажите число часов"
    value = Decimal(value)
    if value < 0:
        return "число часов не может быть меньше 0"
    if value > HOURS_MAX:
        return "число часов не может быть больше 1000"
    if value % HOURS_STEP != 0:
        return "часы указываются с шагом 0,5 (например, 45 или 45,5)"
    return None


def _level_label(level: Level) -> str:
    return f"уровня «{level.get_code_display()}»"


def _direction_minima_sums(normative: NormativeVersion) -> dict[int, Decimal]:
    sums: dict[int, Decimal] = {}
    for level_id, hours in DirectionMinimum.objects.filter(level__normative=normative).values_list("level_id", "min_hours"):
        sums[level_id] = sums.get(level_id, Decimal("0")) + hours
    return sums


@transaction.atomic
def normative_version_update(*, version: NormativeVersion, title: str, basis: str, by) -> NormativeVersion:
    title, basis = (title or "").strip(), (basis or "").strip()
    if not title:
        raise ValidationError({"title": "Укажите название нормативной версии."})
    if len(title) > 300:
        raise ValidationError({"title": "Название — не длиннее 300 символов."})
    version.title, version.basis = title, basis
    version.save(update_fields=["title", "basis", "updated_at"])
    return version


@transaction.atomic
def level_minima_set(*, normative: NormativeVersion, minima: dict[str, Decimal], by) -> list[Level]:
    """Set the year's minimum hours of the levels ({level code: hours}). Dashboards judge students against
    the minimum at read time, so a change shows everywhere at once; nothing else needs recomputing."""
    normative = _lock(normative)
    levels = {level.code: level for level in Level.objects.select_for_update().filter(normative=normative)}
    errors: dict[str, list[str]] = {}
    new = {code: level.min_hours for code, level in levels.items()}
    for code, value in minima.items():
        level = levels.get(code)
        if level is None:
            raise ValidationError("Такого уровня нет в этой нормативной версии.")
        problem = hours_problem(value)
        if problem:
            errors[code] = [f"Минимум {_level_label(level)}: {problem}."]
        else:
            new[code] = Decimal(value)
    if not errors:
        sums = _direction_minima_sums(normative)
        for code, level in levels.items():
            total = sums.get(level.pk)
            if total is not None and new[code] < total:
                errors[code] = [
                    (
                        f"Минимум {_level_label(level)} ({hours_text(new[code])}) меньше суммы его минимумов по направлениям "
                        f"({hours_text(total)}): сначала уменьшите минимумы по направлениям."
                    )
                ]
        ordered = [code for code in LEVEL_ORDER if code in levels]
        for lower, higher in itertools.pairwise(ordered):
            if new[higher] <= new[lower] and higher not in errors:
                errors[higher] = [
                    (
                        f"Минимум {_level_label(levels[higher])} ({hours_text(new[higher])}) должен быть больше минимума "
                        f"{_level_label(levels[lower])} ({hours_text(new[lower])})."
                    )
                ]
    if errors:
        raise ValidationError(errors)
    changed = [level for code, level in levels.items() if level.min_hours != new[code]]
    for level in changed:
        level.min_hours = new[level.code]
    Level.objects.bulk_update(changed, ["min_hours"])
    if changed:
        normative.save(update_fields=["updated_at"])
    return list(levels.values())


@dataclass(frozen=True)
class DirectionRow:
    direction_id: int
    name: str
    position: int


@transaction.atomic
def directions_save(*, normative: NormativeVersion, rows: list[DirectionRow], by) -> None:
    """Rename the directions that count and set their order (1, 2, 3 … without repeats)."""
    normative = _lock(normative)
    directions = {d.pk: d for d in Direction.objects.select_for_update().filter(normative=normative)}
    errors: dict[str, list[str]] = {}
    positions: dict[int, str] = {}
    for row in rows:
        direction = directions.get(row.direction_id)
        if direction is None:
            raise ValidationError("Такого направления нет в этой нормативной версии.")
        label = f"Направление «{direction.get_code_display()}»"
        name = (row.name or "").strip()
        problems = []
        if not name:
            problems.append(f"{label}: укажите название.")
        elif len(name) > 200:
            problems.append(f"{label}: название — не длиннее 200 символов.")
        if row.position is None or row.position < 1:
            problems.append(f"{label}: порядок — целое число от 1.")
        elif row.position in positions:
            problems.append(f"{label}: порядок {row.position} уже у направления «{positions[row.position]}».")
        else:
            positions[row.position] = name or direction.name
        if problems:
            errors[direction.code] = problems
    if errors:
        raise ValidationError(errors)
    changed = []
    for row in rows:
        direction = directions[row.direction_id]
        name = row.name.strip()
        if (direction.name, direction.position) != (name, row.position):
            direction.name, direction.position = name, row.position
            changed.append(direction)
    Direction.objects.bulk_update(changed, ["name", "position"])
    if changed:
        normative.save(update_fields=["updated_at"])


def _direction_minima_apply(*, level: Level, minima: dict[int, Decimal | None], new_total: Decimal | None = None) -> bool:
    """Validate and write one level's per-direction minima; True if anything changed. Raises
    ValidationError keyed by the direction code (and «__all__» for the level's sum)."""
    directions = {d.pk: d for d in Direction.objects.filter(normative_id=level.normative_id)}
    existing = {m.direction_id: m for m in DirectionMinimum.objects.select_for_update().filter(level=level)}
    errors: dict[str, list[str]] = {}
    wanted: dict[int, Decimal | None] = {direction_id: m.min_hours for direction_id, m in existing.items()}
    for direction_id, value in minima.items():
        direction = directions.get(direction_id)
        if direction is None:
            raise ValidationError("Такого направления нет в этой нормативной версии.")
        if value is None or value == "":
            wanted[direction_id] = None
            continue
        problem = hours_problem(value)
        if problem:
            errors[direction.code] = [f"Минимум {_level_label(level)} по направлению «{direction.name}»: {problem}."]
        else:
            wanted[direction_id] = Decimal(value)
    if errors:
        raise ValidationError(errors)
    total = sum((v for v in wanted.values() if v is not None), Decimal("0"))
    level_total = level.min_hours if new_total is None else new_total
    if total > level_total:
        raise ValidationError(
            {
                "__all__": [
                    (
                        f"Сумма минимумов по направлениям {_level_label(level)} ({hours_text(total)}) больше минимума "
                        f"уровня ({hours_text(level_total)})."
                    )
                ]
            }
        )
    changed = False
    for direction_id, value in wanted.items():
        row = existing.get(direction_id)
        if value is None:
            if row is not None:
                row.delete()
                changed = True
        elif row is None:
            DirectionMinimum.objects.create(level=level, direction_id=direction_id, min_hours=value)
            changed = True
        elif row.min_hours != value:
            row.min_hours = value
            row.save(update_fields=["min_hours"])
            changed = True
    return changed


def _rejudge_year(normative: NormativeVersion) -> None:
    # A change of the per-direction minima re-judges StudentYearHours.directions_met and the histogram of
    # every student of the year. It is a rare ministry action, so the simple and certainly correct way is
    # taken: rebuild the year's rollups from the ledger, inside the same transaction.
    from profminimum.rollups import rollups_rebuild

    rollups_rebuild(school_year_id=normative.school_year_id)


@transaction.atomic
def direction_minima_set(*, level: Level, minima: dict[int, Decimal | None], by) -> bool:
    """Set one level's minimum hours per direction ({direction id: hours, or None for no minimum}); the
    students of the year are judged again at once. Returns whether anything changed."""
    _lock(level.normative)
    level = Level.objects.select_for_update(of=("self",)).select_related("normative").get(pk=level.pk)
    changed = _direction_minima_apply(level=level, minima=minima)
    if changed:
        level.normative.save(update_fields=["updated_at"])
        _rejudge_year(level.normative)
    return changed


@transaction.atomic
def direction_minima_grid_set(*, normative: NormativeVersion, grid: dict[int, dict[int, Decimal | None]], by) -> bool:
    """The whole grid level × direction at once: every level validated (errors keyed «<level code>:<direction
    code>»), then written, then one re-judging of the year."""
    normative = _lock(normative)
    levels = {level.pk: level for level in Level.objects.select_for_update().filter(normative=normative)}
    errors: dict[str, list[str]] = {}
    changed = False
    for level_id, minima in grid.items():
        level = levels.get(level_id)
        if level is None:
            raise ValidationError("Такого уровня нет в этой нормативной версии.")
        try:
            with transaction.atomic():
                changed = _direction_minima_apply(level=level, minima=minima) or changed
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors[f"{level.code}:{key}"] = messages
    if errors:
        raise ValidationError(errors)
    if changed:
        normative.save(update_fields=["updated_at"])
        _rejudge_year(normative)
    return changed


@dataclass(frozen=True)
class LessonRow:
    lesson_id: int | None
    number: int | None
    topic: str
    kind: str
    sector: str = ""
    delete: bool = False


@transaction.atomic
def course_programme_save(*, normative: NormativeVersion, rows: list[LessonRow], by) -> None:
    """Save the programme of «Россия — мои горизонты» in one go: edit lessons, add new ones, remove those
    not yet in any class's schedule. The numbers must run 1…N without gaps or repeats. Errors are keyed by
    the row's place in the table (1, 2, …) and name it."""
    normative = _lock(normative)
    lessons = {lesson.pk: lesson for lesson in CourseLesson.objects.select_for_update().filter(normative=normative)}
    kinds = dict(CourseLesson.Kind.choices)
    scheduled = set(Activity.objects.filter(course_lesson__normative=normative).values_list("course_lesson_id", flat=True).distinct())
    errors: dict[str, list[str]] = {}
    kept: list[tuple[int, LessonRow]] = []
    seen_ids = set()
    for index, row in enumerate(rows, 1):
        label = f"Строка {index}"
        if row.lesson_id is not None:
            if row.lesson_id not in lessons or row.lesson_id in seen_ids:
                raise ValidationError("Занятие не относится к этой нормативной версии.")
            seen_ids.add(row.lesson_id)
        if row.delete:
            if row.lesson_id is not None and row.lesson_id in scheduled:
                errors[str(index)] = [
                    (
                        f"{label}: занятие «{lessons[row.lesson_id].topic}» уже стоит в расписании классов — удалить его "
                        "нельзя; измените тему или тип."
                    )
                ]
            continue
        problems = []
        topic, sector = (row.topic or "").strip(), (row.sector or "").strip()
        if row.number is None or row.number < 1:
            problems.append(f"{label}, «Номер»: укажите номер занятия — целое число от 1.")
        if not topic:
            problems.append(f"{label}, «Тема»: укажите тему занятия.")
        elif len(topic) > 300:
            problems.append(f"{label}, «Тема»: не длиннее 300 символов.")
        if row.kind not in kinds:
            problems.append(f"{label}, «Тип занятия»: выберите тип из списка.")
        if len(sector) > 200:
            problems.append(f"{label}, «Отрасль»: не длиннее 200 символов.")
        elif row.kind == CourseLesson.Kind.INDUSTRY and not sector:
            problems.append(f"{label}, «Отрасль»: у отраслевого занятия укажите отрасль.")
        if problems:
            errors[str(index)] = problems
        kept.append((index, row))
    if set(lessons) - seen_ids:
        # Every lesson of the programme comes back as a row; one missing means the page was opened before
        # someone else changed the programme (saving it would clash with the lesson added meanwhile).
        raise ValidationError("Программа курса изменилась, пока страница была открыта: обновите страницу и внесите правки снова.")
    if not errors:
        by_number: dict[int, int] = {}
        for index, row in kept:
            if row.number in by_number:
                errors[str(index)] = [f"Строка {index}, «Номер»: номер {row.number} уже у строки {by_number[row.number]}."]
            else:
                by_number[row.number] = index
        total = len(kept)
        if not errors:
            if total == 0:
                errors["__all__"] = ["В программе курса должно быть хотя бы одно занятие."]
            else:
                missing = [n for n in range(1, total + 1) if n not in by_number]
                beyond = [index for index, row in kept if row.number > total]
                if missing:
                    where = ", ".join(f"строка {i}" for i in beyond) or "номера повторяются"
                    errors["__all__"] = [
                        f"Номера занятий должны идти подряд от 1 до {total}: нет номера {', '.join(map(str, missing))} ({where})."
                    ]
            regional = sum(1 for _, row in kept if row.kind == CourseLesson.Kind.REGIONAL)
            if regional * 2 > total:
                errors.setdefault("__all__", []).append(f"Региональный компонент — не больше половины занятий: {regional} из {total}.")
    if errors:
        raise ValidationError(errors)
    removed = [row.lesson_id for row in rows if row.delete and row.lesson_id is not None]
    CourseLesson.objects.filter(pk__in=removed).delete()
    # Two steps, so that swapping two numbers never meets the unique constraint half-way.
    kept_existing = [lessons[row.lesson_id] for _, row in kept if row.lesson_id is not None]
    for lesson in kept_existing:
        lesson.number = lesson.number + 10000
    CourseLesson.objects.bulk_update(kept_existing, ["number"])
    new_lessons = []
    for _, row in kept:
        values = {"number": row.number, "topic": row.topic.strip(), "kind": row.kind, "sector": row.sector.strip()}
        if row.lesson_id is None:
            new_lessons.append(CourseLesson(normative=normative, **values))
        else:
            lesson = lessons[row.lesson_id]
            for name, value in values.items():
                setattr(lesson, name, value)
    CourseLesson.objects.bulk_update(kept_existing, ["number", "topic", "kind", "sector"])
    CourseLesson.objects.bulk_create(new_lessons)
    normative.save(update_fields=["updated_at"])


@dataclass(frozen=True)
class HolidayRow:
    title: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    delete: bool = False


@transaction.atomic
def holidays_save(*, normative: NormativeVersion, rows: list[HolidayRow], by) -> None:
    """Replace the region's holidays of the year. Each must end on or after its start and lie within the
    school year. Lessons already put into the schedule stay where they are."""
    normative = _lock(normative)
    year = normative.school_year
    errors: dict[str, list[str]] = {}
    kept = []
    for index, row in enumerate(rows, 1):
        if row.delete:
            continue
        label = f"Строка {index}" + (f" («{row.title.strip()}»)" if (row.title or "").strip() else "")
        problems = []
        title = (row.title or "").strip()
        if not title:
            problems.append(f"{label}, «Название»: укажите название.")
        elif len(title) > 200:
            problems.append(f"{label}, «Название»: не длиннее 200 символов.")
        if row.starts_on is None:
            problems.append(f"{label}, «С»: укажите дату начала.")
        if row.ends_on is None:
            problems.append(f"{label}, «По»: укажите дату окончания.")
        if row.starts_on and row.ends_on:
            if row.ends_on < row.starts_on:
                problems.append(f"{label}, «По»: окончание ({date_short(row.ends_on)}) раньше начала ({date_short(row.starts_on)}).")
            if row.starts_on < year.starts_on or row.ends_on > year.ends_on:
                problems.append(
                    f"{label}: даты должны лежать в пределах учебного года {year} ({date_short(year.starts_on)}–{date_short(year.ends_on)})."
                )
        if problems:
            errors[str(index)] = problems
        else:
            kept.append(Holiday(normative=normative, title=title, starts_on=row.starts_on, ends_on=row.ends_on))
    if errors:
        raise ValidationError(errors)
    Holiday.objects.filter(normative=normative).delete()
    Holiday.objects.bulk_create(kept)
    normative.save(update_fields=["updated_at"])


def next_school_year_dates(school_year: SchoolYear) -> tuple[str, datetime.date, datetime.date]:
    y = school_year.starts_on.year + 1
    return f"{y}/{y + 1}", datetime.date(y, 9, 1), datetime.date(y + 1, 5, 31)


@transaction.atomic
def normative_version_create_next(*, by) -> NormativeVersion:
    """«Создать следующий учебный год»: the school year after the last version's (1 September – 31 May),
    created if missing, with a copy of the last version."""
    source = NormativeVersion.objects.select_related("school_year").order_by("-school_year__starts_on").first()
    if source is None:
        raise ValidationError("Нет ни одной нормативной версии, которую можно скопировать.")
    source = _lock(source)  # a double click waits here, then finds the year already made
    title, starts_on, ends_on = next_school_year_dates(source.school_year)
    school_year = (
        SchoolYear.objects.filter(starts_on__year=starts_on.year).order_by("starts_on").first()
        or SchoolYear.objects.filter(title=title).first()
    )
    if school_year is None:
        school_year = SchoolYear.objects.create(title=title, starts_on=starts_on, ends_on=ends_on, is_current=False)
    elif NormativeVersion.objects.filter(school_year=school_year).exists():
        raise ValidationError(f"Нормативная версия на {school_year} учебный год уже есть.")
    return normative_version_copy(source=source, school_year=school_year)


def normative_in_use(normative: NormativeVersion) -> bool:
    """Whether schools already work by this version (a level chosen or hours recorded)."""
    return (
        SchoolLevel.objects.filter(level__normative=normative).exists()
        or Activity.objects.filter(school_year_id=normative.school_year_id, marked_at__isnull=False).exists()
    )
