"""The профминимум through the API: a student's own hours (and a parent's children's), and the compliance figures
of a school, a municipality and the republic, as the dashboards show them. Every figure comes from
profminimum's selectors (the rollups and the compliance rule), narrowed by the access policy: nothing is
recounted here."""

import datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import P, Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from access.policy import viewer_for
from access.services import personal_data_read_log
from api.schemas import MAX_ID, BoundedDate, ErrorOut, ValidationErrorOut
from orgs.models import SchoolYear
from orgs.selectors import school_year_current
from privacy.policy import Answer, parent_sharing
from profminimum import selectors
from profminimum.models import Scope
from profminimum.selectors import Compliance, State

router = Router(tags=["Профминимум"])

NO_YEAR = "Текущий учебный год не заведён."
NOT_A_STUDENT = "Эта операция — для обучающегося: у пользователя нет записи обучающегося."
WITHHELD = "Результаты обучающегося не передаются родителю: согласие на передачу результатов родителям не дано."
OUT_OF_YEAR = "дата должна быть в пределах учебного года {year}: с {starts} по {ends}"


class OnParams(Schema):
    on: BoundedDate | None = Field(None, description="На дату (ГГГГ-ММ-ДД) в пределах текущего учебного года; по умолчанию — сегодня.")


class DirectionHoursOut(Schema):
    code: str = Field(description="Код направления.")
    name: str = Field(description="Направление.")
    hours: float = Field(description="Зачтено часов.")
    min_hours: float | None = Field(description="Минимум по направлению для уровня школы (null — минимума нет).")


class StudentHoursOut(Schema):
    student_id: int = Field(description="Идентификатор обучающегося.")
    full_name: str = Field(description="Фамилия, имя, отчество.")
    school_year: str = Field(description="Учебный год.")
    on: datetime.date = Field(description="Дата, на которую даны часы.")
    level: str | None = Field(description="Уровень профминимума школы (код), null — уровень не выбран.")
    min_hours: float | None = Field(description="Годовой минимум часов уровня школы.")
    expected_hours: float | None = Field(description="Сколько часов ожидается к этой дате (пропорционально учебному году).")
    total_hours: float = Field(description="Зачтено часов всего.")
    state: str = Field(description="Состояние (код): met, on_track, behind, at_risk, no_level.")
    state_label: str = Field(description="Состояние по-русски.")
    directions: list[DirectionHoursOut] = Field(description="Часы по направлениям против минимумов.")


class StateCountOut(Schema):
    state: str = Field(description="Состояние (код).")
    label: str = Field(description="Состояние по-русски.")
    students: int = Field(description="Обучающихся в этом состоянии.")
    percent: int = Field(description="Доля от всех обучающихся, %.")


class DirectionTotalOut(Schema):
    code: str = Field(description="Код направления.")
    name: str = Field(description="Направление.")
    hours: float = Field(description="Часов по направлению у всех обучающихся вместе.")


class FiguresOut(Schema):
    students: int = Field(description="Обучающихся 6–11 классов.")
    states: list[StateCountOut] = Field(description="Обучающиеся по состояниям выполнения.")
    total_hours: float = Field(description="Часов зачтено всего.")
    average_hours: float = Field(description="В среднем часов на обучающегося.")
    lessons_held: int = Field(description="Проведено занятий.")


class SummaryRowOut(FiguresOut):
    id: int = Field(description="Идентификатор муниципалитета, школы или класса.")
    name: str = Field(description="Название.")


class SummaryOut(FiguresOut):
    scope: str = Field(description="Область: republic, municipality или school.")
    id: int = Field(description="Идентификатор муниципалитета или школы (0 — республика).")
    name: str = Field(description="Название.")
    school_year: str = Field(description="Учебный год.")
    on: datetime.date = Field(description="Дата, на которую даны цифры.")
    directions: list[DirectionTotalOut] = Field(description="Часы по направлениям.")
    rows: list[SummaryRowOut] = Field(description="Муниципалитеты республики, школы муниципалитета или классы школы.")


def _school_year() -> SchoolYear:
    year = school_year_current()
    if year is None:
        raise HttpError(404, NO_YEAR)
    return year


def _day(year: SchoolYear, on: datetime.date | None) -> datetime.date | tuple[int, dict]:
    """The date the figures are for: the given one inside the school year (else a 422 in the API's shape), or
    today, kept inside the year as the dashboards keep it."""
    if on is None:
        return min(max(timezone.localdate(), year.starts_on), year.ends_on)
    if not year.starts_on <= on <= year.ends_on:
        message = OUT_OF_YEAR.format(year=year, starts=year.starts_on.strftime("%d.%m.%Y"), ends=year.ends_on.strftime("%d.%m.%Y"))
        return 422, {
            "detail": f"Неверная дата: {message}.",
            "errors": [{"loc": ["query", "on"], "msg": message, "type": "date_out_of_year"}],
        }
    return on


def _hours(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _student_hours(request: HttpRequest, *, student_pk: int, on: datetime.date | None):
    viewer = viewer_for(request.user)
    year = _school_year()
    day = _day(year, on)
    if isinstance(day, tuple):
        return day
    compliance = selectors.student_compliance(viewer=viewer, student_pk=student_pk, school_year=year, on=day, with_entries=False)
    row = compliance.row
    if parent_sharing(viewer, row.student) == Answer.NO:
        return 403, {"detail": WITHHELD}
    personal_data_read_log(user=request.user, subject="профминимум обучающегося (API)", channel="api", person_id=row.student.person_id)
    hours = row.hours
    return 200, {
        "student_id": row.student.pk, "full_name": row.student.person.full_name, "school_year": str(year), "on": day,
        "level": hours.level.code if hours is not None and hours.level is not None else None,
        "min_hours": _hours(row.min_hours), "expected_hours": _hours(row.expected),
        "total_hours": float(hours.total_hours) if hours is not None else 0.0,
        "state": row.state, "state_label": State.LABELS[row.state],
        "directions": [
            {"code": direction.code, "name": direction.name, "hours": float(value), "min_hours": _hours(minimum)}
            for direction, value, minimum in compliance.by_direction
        ],
    }  # fmt: skip


HOURS_RESPONSES = {200: StudentHoursOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


@router.get("/me/hours", response=HOURS_RESPONSES, summary="Мои часы профминимума")
def my_hours(request: HttpRequest, params: Query[OnParams]):
    """Часы профминимума вошедшего обучающегося за текущий учебный год: всего и по направлениям, против минимумов
    уровня его школы, и состояние выполнения. Пользователь без записи обучающегося — 404."""
    student_pk = viewer_for(request.user).own_student_id
    if not student_pk:
        raise HttpError(404, NOT_A_STUDENT)
    return _student_hours(request, student_pk=student_pk, on=params.on)


@router.get("/students/{id}/hours", response=HOURS_RESPONSES, summary="Часы профминимума обучающегося")
def student_hours(
    request: HttpRequest,
    student_id: Path[int, P(alias="id", ge=1, le=MAX_ID, description="Идентификатор обучающегося.")],
    params: Query[OnParams],
):
    """Часы профминимума обучающегося, которого пользователю положено видеть (свой ребёнок, ученик своего класса
    или школы, …), как на его странице профминимума. Чужой — 404; родителю без согласия на передачу результатов —
    403. Каждое чтение записывается в журнал чтения персональных данных."""
    return _student_hours(request, student_pk=student_id, on=params.on)


# --- aggregates ---------------------------------------------------------------------------------------------


def _figures(figures: Compliance) -> dict:
    return {
        "students": figures.students,
        "states": [
            {"state": state, "label": State.LABELS[state], "students": figures.by_state[state], "percent": figures.share(state)}
            for state in State.ORDER
        ],
        "total_hours": float(figures.total_hours),
        "average_hours": float(figures.average_hours),
        "lessons_held": figures.lessons_held,
    }


def _summary(request: HttpRequest, *, scope: str, pk: int, on: datetime.date | None):
    viewer = viewer_for(request.user)
    place = selectors.scope_place_get(viewer=viewer, scope=scope, pk=pk)
    year = place.school_year or _school_year()
    day = _day(year, on)
    if isinstance(day, tuple):
        return day
    figures = selectors.scope_compliance(school_year=year, scope=scope, scope_ids=[place.scope_id], on=day)[place.scope_id]
    if scope == Scope.REPUBLIC:
        rows, name = selectors.municipality_rows(viewer=viewer, school_year=year, on=day), "Республика"
    elif scope == Scope.MUNICIPALITY:
        rows = [(s, f) for s, f, _level in selectors.school_rows(viewer=viewer, school_year=year, municipality=place.municipality, on=day)]
        name = place.municipality.name
    else:
        rows = [(c, f) for c, f in selectors.class_rows(viewer=viewer, school_year=year, school=place.school, on=day)]
        name = place.school.short_name
    directions = selectors.direction_list(school_year=year)
    return 200, {
        "scope": scope, "id": place.scope_id, "name": name, "school_year": str(year), "on": day, **_figures(figures),
        "directions": [
            {"code": d.code, "name": d.name, "hours": float(figures.hours_by_direction.get(d.pk, 0))} for d in directions
        ],
        "rows": [
            {"id": obj.pk, "name": getattr(obj, "short_name", "") or getattr(obj, "name", str(obj)), **_figures(row_figures)}
            for obj, row_figures in rows
        ],
    }  # fmt: skip


SUMMARY_RESPONSES = {200: SummaryOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


@router.get("/schools/{id}/summary", response=SUMMARY_RESPONSES, summary="Профминимум школы")
def school_summary(
    request: HttpRequest, school_id: Path[int, P(alias="id", ge=1, le=MAX_ID, description="Идентификатор школы.")], params: Query[OnParams]
):
    """Выполнение профминимума в школе на дату, как на её панели: обучающиеся по состояниям, часы по направлениям,
    проведённые занятия и те же цифры по классам. Школа, которую пользователю не положено видеть, — 404."""
    return _summary(request, scope=Scope.SCHOOL, pk=school_id, on=params.on)


@router.get("/municipalities/{id}/summary", response=SUMMARY_RESPONSES, summary="Профминимум муниципалитета")
def municipality_summary(
    request: HttpRequest,
    municipality_id: Path[int, P(alias="id", ge=1, le=MAX_ID, description="Идентификатор муниципалитета.")],
    params: Query[OnParams],
):
    """Выполнение профминимума в муниципалитете на дату и те же цифры по его школам, которые пользователю положено
    видеть. Чужой муниципалитет — 404."""
    return _summary(request, scope=Scope.MUNICIPALITY, pk=municipality_id, on=params.on)


@router.get("/republic/summary", response=SUMMARY_RESPONSES, summary="Профминимум республики")
def republic_summary(request: HttpRequest, params: Query[OnParams]):
    """Выполнение профминимума в республике на дату и те же цифры по муниципалитетам. Только для министерства и
    регионального оператора; остальным — 404."""
    if not viewer_for(request.user).is_republic:
        raise Http404
    return _summary(request, scope=Scope.REPUBLIC, pk=0, on=params.on)
