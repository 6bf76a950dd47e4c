"""The roadmap exactly as order No. 866 prints it, and what the platform reads out of its free text.

`source_parse` reads the plan table of the order's text (roadmap/data/prikaz-866-2023.txt): sections, the items
with their numbers as printed (the doubled «1.3», «3.6.» and «4.5.» with their trailing dots), activity,
executors, expected result and deadline, each cell exactly as printed, a cell that wraps onto a later line joined
to its start (with a space, or without one after a word broken at a hyphen: «РСО-» + «Алания»).

Two things are read out of the free text, and kept beside it (the text itself is never changed):
- the deadline as a schedule (`deadline_schedule`): a month, a calendar year, during the year, every year, every
  month, twice a year — from which each plan makes its due periods (`schedule_periods`);
- the executors as links (`executors_parse`): the one organisation («Минобрнауки РСО-Алания», «ЦОПП РСО-Алания»)
  or every organisation of a kind («Общеобразовательные организации РСО-Алания», «Управления образования
  муниципальных районов республики»). Executors the network does not hold («Экспертные советы») stay text only.

The loader takes the model classes as arguments so that the data migration can pass its historical ones.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

SOURCE_FILE = Path(__file__).resolve().parent / "data" / "prikaz-866-2023.txt"

ITEM_NUMBER = re.compile(r"^\d+\.\d+\.?$")
SECTION_HEADING = re.compile(r"^(\d+)\.\s+(\S.*)$")
PLAN_TITLE_START = "План – мероприятий"
TABLE_HEADER = "№ п/п"
ORDER_NUMBER = re.compile(r"^№\s*(\d+)\s*$")
ORDER_DATE = re.compile(r"от\s*«\s*(\d{1,2})\s*»\s*(\w+)\s+(\d{4})")
PLAN_YEARS = re.compile(r"на\s+(\d{4})\s*-\s*(\d{4})\s+учебный год")
HYPHEN_BREAK = re.compile(r"\S-$")

MONTHS_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря")
MONTH_STEMS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр")


# --- the schedule read out of a deadline ----------------------------------------------------------------------


class Schedule:
    MONTH = "month"
    YEAR = "year"
    DURING_YEAR = "during_year"
    EVERY_YEAR = "every_year"
    EVERY_MONTH = "every_month"
    TWICE_A_YEAR = "twice_a_year"

    CHOICES = [
        (MONTH, "месяц"),
        (YEAR, "календарный год"),
        (DURING_YEAR, "в течение года"),
        (EVERY_YEAR, "ежегодно"),
        (EVERY_MONTH, "ежемесячно"),
        (TWICE_A_YEAR, "два раза в год"),
    ]
    # Schedules tied to a date of their own (a month, a year), which a copy for another year moves along.
    ANCHORED = (MONTH, YEAR)


# The two periods of a twice-yearly item (5.5): December and May (the Decision), as the months their
# reports cover up to. A plan's editor may move them.
TWICE_A_YEAR_MONTHS = (12, 5)

_MONTH_DEADLINE = re.compile(r"^\s*(" + "|".join(MONTH_STEMS) + r")\w*\s+(\d{4})", re.IGNORECASE)
_YEAR_DEADLINE = re.compile(r"^\s*(\d{4})\s*г(?:од|\.)?", re.IGNORECASE)
_DURING_YEAR = re.compile(r"в\s+течени[еия]\s+(учебного\s+)?года", re.IGNORECASE)
_EVERY_YEAR = re.compile(r"ежегодно", re.IGNORECASE)
_EVERY_MONTH = re.compile(r"ежемесячно", re.IGNORECASE)
_TWICE_A_YEAR = re.compile(r"(2|два)\s+раза\s+в\s+год|дважды\s+в\s+год|раз\s+в\s+полугодие", re.IGNORECASE)


def deadline_schedule(deadline: str) -> tuple[str, datetime.date | None] | None:
    """The schedule a deadline says, with its anchor (a month's first day, a year's 1 January), or None for a
    text the platform cannot read (the plan's editor then chooses the schedule)."""
    if match := _MONTH_DEADLINE.match(deadline):
        stem = match.group(1).lower()
        month = next(index for index, candidate in enumerate(MONTH_STEMS, start=1) if stem == candidate)
        return Schedule.MONTH, datetime.date(int(match.group(2)), month, 1)
    if match := _YEAR_DEADLINE.match(deadline):
        return Schedule.YEAR, datetime.date(int(match.group(1)), 1, 1)
    if _EVERY_MONTH.search(deadline):
        return Schedule.EVERY_MONTH, None
    if _TWICE_A_YEAR.search(deadline):
        return Schedule.TWICE_A_YEAR, None
    if _EVERY_YEAR.search(deadline):
        return Schedule.EVERY_YEAR, None
    if _DURING_YEAR.search(deadline):
        return Schedule.DURING_YEAR, None
    return None


def month_end(day: datetime.date) -> datetime.date:
    following = day.replace(day=28) + datetime.timedelta(days=4)
    return following - datetime.timedelta(days=following.day)


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


MONTH_NAMES = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь")


def month_label(day: datetime.date) -> str:
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class PeriodSpec:
    label: str
    starts_on: datetime.date
    due_on: datetime.date


def schedule_periods(schedule: str, anchor: datetime.date | None, *, plan_starts_on: datetime.date, plan_ends_on: datetime.date,
                     year_title: str) -> list[PeriodSpec]:  # fmt: skip
    """The due periods of a schedule in a plan's year (1 September to 31 August): what each report covers, from
    when, and the day it is due (the period's last day)."""
    if schedule == Schedule.MONTH:
        start = anchor or plan_starts_on
        return [PeriodSpec(month_label(start), start, month_end(start))]
    if schedule == Schedule.YEAR:
        year = (anchor or plan_starts_on).year
        return [PeriodSpec(f"{year} год", datetime.date(year, 1, 1), datetime.date(year, 12, 31))]
    if schedule == Schedule.EVERY_MONTH:
        periods, month = [], plan_starts_on.replace(day=1)
        while month <= plan_ends_on:
            periods.append(PeriodSpec(month_label(month), month, month_end(month)))
            month = month_end(month) + datetime.timedelta(days=1)
        return periods
    if schedule == Schedule.TWICE_A_YEAR:
        periods, start = [], plan_starts_on
        for month in TWICE_A_YEAR_MONTHS:
            year = plan_starts_on.year if month >= plan_starts_on.month else plan_ends_on.year
            end = month_end(datetime.date(year, month, 1))
            periods.append(PeriodSpec(month_label(end), start, end))
            start = end + datetime.timedelta(days=1)
        return periods
    # During the year and every year: one report on the plan's year.
    return [PeriodSpec(f"{year_title} учебный год", plan_starts_on, plan_ends_on)]


# --- executors read out of their cell -------------------------------------------------------------------------

ONE, EVERY = False, True
SCHOOL, MUNICIPAL, MINISTRY, OPERATOR = "school", "municipal_department", "ministry", "regional_operator"
COLLEGE, UNIVERSITY, EMPLOYER, ADDITIONAL = "college", "university", "employer", "additional_education"

# (pattern, kinds of organisation, every one of them?) in the order they are tried: a longer phrase before a
# phrase it contains («дошкольные и общеобразовательные учреждения» before «общеобразовательные учреждения»).
EXECUTOR_PATTERNS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    (r"Минобрнауки РСО-Алания", (MINISTRY,), ONE),
    (r"ЦОПП РСО-Алания", (OPERATOR,), ONE),
    (r"дошкольные и общеобразовательные учреждения", (SCHOOL,), EVERY),
    (r"[Оо]бщеобразовательные (?:организации|учреждения)(?: РСО-Алания)?", (SCHOOL,), EVERY),
    (r"Управления образования муниципальных районов(?: республики)?", (MUNICIPAL,), EVERY),
    (r"АМС МО РСО-Алания", (MUNICIPAL,), EVERY),
    (r"Организации среднего профессионального и высшего профессионального образования", (COLLEGE, UNIVERSITY), EVERY),
    (r"образовательные организации среднего профессионального образования", (COLLEGE,), EVERY),
    (r"Предприятия и организации региона", (EMPLOYER,), EVERY),
    (r"(?:представители|предприятия) реального сектора экономики", (EMPLOYER,), EVERY),
    (r"организации дополнительного образования", (ADDITIONAL,), EVERY),
    # Named in the plan, not organisations of the network: kept as text.
    (r"Экспертные советы", (), EVERY),
    (r"научные организации", (), EVERY),
    (r"медицинские организации", (), EVERY),
)
_PARENTHESES = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class ExecutorSpec:
    text: str  # the executor as printed, with its «(по согласованию с …)»
    kinds: tuple[str, ...]  # organisation kinds (orgs.models.Organization.Kind); empty: not in the network
    every: bool  # every organisation of the kinds, or the one (the ministry, the ЦОПП)
    leads: bool = False


def executors_parse(cell: str) -> list[ExecutorSpec]:
    """The executors a cell names, in the order it names them, the one that leads marked. A remark in
    parentheses («по согласованию с Минобрнауки РСО-Алания») belongs to the executor before it and names no
    executor of its own. The first executor named leads; where the first is a kind of organisation (all
    schools), the first single organisation named after it leads and consolidates their contributions; a cell
    with none leaves the lead to the plan's owner, the ministry (`leads` on none)."""
    masked = _PARENTHESES.sub(lambda match: " " * len(match.group(0)), cell)
    found: list[tuple[int, int, tuple[str, ...], bool]] = []
    for pattern, kinds, every in EXECUTOR_PATTERNS:
        for match in re.finditer(pattern, masked):
            start, end = match.span()
            masked = masked[:start] + " " * (end - start) + masked[end:]
            found.append((start, end, kinds, every))
    found.sort()
    specs = []
    for start, end, kinds, every in found:
        remark = re.match(r"\s*\([^()]*\)", cell[end:])
        text = cell[start : end + (remark.end() if remark else 0)]
        specs.append(ExecutorSpec(text=text, kinds=kinds, every=every))
    lead = next((index for index, spec in enumerate(specs) if spec.kinds and not spec.every), None)
    if lead is not None:
        specs[lead] = ExecutorSpec(text=specs[lead].text, kinds=specs[lead].kinds, every=specs[lead].every, leads=True)
    return specs


# --- the order's plan table -----------------------------------------------------------------------------------


@dataclass
class SourceItem:
    number: str
    activity: str
    executors: str
    result: str
    deadline: str
    line: int  # where it starts in the file, for error messages


@dataclass
class SourceSection:
    number: str
    title: str
    items: list[SourceItem] = field(default_factory=list)


@dataclass
class SourcePlan:
    title: str
    basis: str
    starts_year: int
    sections: list[SourceSection]

    @property
    def items(self) -> list[SourceItem]:
        return [item for section in self.sections for item in section.items]

    @property
    def year_title(self) -> str:
        return f"{self.starts_year}/{self.starts_year + 1}"


def cell_join(start: str, continuation: str) -> str:
    """A cell's start and its wrapped continuation, as one text."""
    if not start:
        return continuation
    if not continuation:
        return start
    return start + continuation if HYPHEN_BREAK.search(start) else f"{start} {continuation}"


def source_parse(text: str) -> SourcePlan:
    lines = text.replace("\r\n", "\n").split("\n")
    order_number = next((m.group(1) for line in lines if (m := ORDER_NUMBER.match(line.strip()))), "")
    date_match = next((m for line in lines if (m := ORDER_DATE.search(line))), None)
    try:
        title_at = next(index for index, line in enumerate(lines) if line.strip().startswith(PLAN_TITLE_START))
        header_at = next(index for index, line in enumerate(lines) if line.startswith(TABLE_HEADER))
    except StopIteration:
        raise ValueError("В тексте приказа не найдена таблица плана мероприятий.") from None
    title_lines = []
    for line in lines[title_at:header_at]:
        if not line.strip():
            break
        title_lines.append(line.strip())
    title = " ".join(title_lines)
    years = PLAN_YEARS.search(title)
    if years is None:
        raise ValueError("В названии плана не указан учебный год.")
    basis = "Приказ Министерства образования и науки Республики Северная Осетия-Алания"
    if date_match is not None:
        day, month, year = date_match.groups()
        basis += f" от {int(day)} {month} {year} г."
    if order_number:
        basis += f" № {order_number}"

    sections: list[SourceSection] = []
    item: SourceItem | None = None
    for index in range(header_at + 1, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        cells += [""] * (5 - len(cells))
        first = cells[0]
        if first and set(first) <= set("12345") and cells[:5] == ["1", "2", "3", "4", "5"]:
            continue  # the row of column numbers under the header
        if ITEM_NUMBER.match(first):
            if not sections:
                raise ValueError(f"Строка {index + 1}: пункт {first} стоит до первого раздела.")
            item = SourceItem(number=first, activity=cells[1], executors=cells[2], result=cells[3], deadline=cells[4], line=index + 1)
            sections[-1].items.append(item)
        elif not first and any(cells[1:]):
            if item is None:
                raise ValueError(f"Строка {index + 1}: продолжение ячейки без пункта.")
            item.activity = cell_join(item.activity, cells[1])
            item.executors = cell_join(item.executors, cells[2])
            item.result = cell_join(item.result, cells[3])
            item.deadline = cell_join(item.deadline, cells[4])
        elif (heading := SECTION_HEADING.match(first)) and not any(cells[1:]):
            sections.append(SourceSection(number=heading.group(1), title=heading.group(2).strip()))
            item = None
        else:
            raise ValueError(f"Строка {index + 1}: не удалось разобрать «{line[:60]}».")
    return SourcePlan(title=title, basis=basis, starts_year=int(years.group(1)), sections=sections)


def source_plan() -> SourcePlan:
    return source_parse(SOURCE_FILE.read_text(encoding="utf-8"))


def item_codes(numbers: list[str]) -> list[str]:
    """A stable code per item, the key figure providers register under: the number without its trailing dot, a
    repeated number with its occurrence («1.3», then «1.3(2)»)."""
    seen: dict[str, int] = {}
    codes = []
    for number in numbers:
        base = number.rstrip(".")
        seen[base] = seen.get(base, 0) + 1
        codes.append(base if seen[base] == 1 else f"{base}({seen[base]})")
    return codes


# --- loading it -----------------------------------------------------------------------------------------------


def plan_year_bounds(starts_year: int) -> tuple[datetime.date, datetime.date]:
    """A plan's year: 1 September to 31 August, the twelve months of a school year (item 4.8 reports on each)."""
    return datetime.date(starts_year, 9, 1), datetime.date(starts_year + 1, 8, 31)


def source_plan_load(*, plan_model, section_model, item_model, executor_model, period_model) -> object:
    """Load the order's plan as the source plan (read-only, `is_source`), with its executors and due periods;
    returns it. Does nothing but return the plan if it is there already. The models are passed in so that the
    data migration can use its historical ones."""
    existing = plan_model.objects.filter(is_source=True).first()
    if existing is not None:
        return existing
    source = source_plan()
    starts_on, ends_on = plan_year_bounds(source.starts_year)
    plan = plan_model.objects.create(
        title=source.title, basis=source.basis, year_title=source.year_title, starts_on=starts_on, ends_on=ends_on, is_source=True
    )
    codes = iter(item_codes([item.number for item in source.items]))
    position = 0
    for section_position, source_section in enumerate(source.sections, start=1):
        section = section_model.objects.create(
            plan=plan, number=source_section.number, title=source_section.title, position=section_position
        )
        for source_item in source_section.items:
            position += 1
            read = deadline_schedule(source_item.deadline)
            if read is None:
                raise ValueError(f"Строка {source_item.line}: срок «{source_item.deadline}» не распознан.")
            schedule, anchor = read
            item = item_model.objects.create(
                plan=plan, section=section, position=position, number=source_item.number, code=next(codes),
                activity=source_item.activity, executors_text=source_item.executors, expected_result=source_item.result,
                deadline_text=source_item.deadline, schedule=schedule, anchor=anchor,
            )  # fmt: skip
            executor_model.objects.bulk_create(
                executor_model(item=item, position=index, text=spec.text, kinds=list(spec.kinds), every=spec.every, leads=spec.leads)
                for index, spec in enumerate(executors_parse(source_item.executors))
            )
            periods = schedule_periods(schedule, anchor, plan_starts_on=starts_on, plan_ends_on=ends_on, year_title=source.year_title)
            period_model.objects.bulk_create(
                period_model(item=item, position=index, label=spec.label, starts_on=spec.starts_on, due_on=spec.due_on)
                for index, spec in enumerate(periods)
            )
    return plan


def source_plan_ensure():
    """The source plan, loaded again if the database lost it (a test database emptied by a transactional test)."""
    from roadmap.models import Executor, Item, Period, Plan, Section

    return source_plan_load(plan_model=Plan, section_model=Section, item_model=Item, executor_model=Executor, period_model=Period)
