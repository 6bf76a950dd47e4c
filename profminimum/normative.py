"""Creating and copying normative versions. The figures are data the ministry edits; the defaults below
are the federal levels (40/60/80 h), the seven directions, the course programme of 34 lessons and the
region's usual holidays, so that a new region starts from something true rather than from nothing."""

import datetime
from decimal import Decimal

from django.db import transaction

from orgs.models import SchoolYear
from profminimum.models import CourseLesson, Direction, DirectionMinimum, Holiday, Level, NormativeVersion

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
    Holiday.objects.bulk_create(
        [Holiday(normative=version, title=t, starts_on=s, ends_on=e) for t, s, e in default_holidays(school_year)]
    )
    return version


@transaction.atomic
def normative_version_copy(*, source: NormativeVersion, school_year: SchoolYear) -> NormativeVersion:
    """A new year starts as a copy of the last one; the holidays move by the difference in years."""
    version = NormativeVersion.objects.create(
        school_year=school_year, title=f"Профориентационный минимум {school_year}", basis=source.basis, copied_from=source
    )
    levels = {level.pk: Level.objects.create(normative=version, code=level.code, min_hours=level.min_hours) for level in source.levels.all()}
    directions = {
        d.pk: Direction.objects.create(normative=version, code=d.code, name=d.name, position=d.position)
        for d in source.directions.all()
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
