"""The normative version of each school year: levels and their minima, the directions that count, the
per-direction minima, the course programme «Россия — мои горизонты» and the region's holidays. The ministry
edits them; every signed-in person may read them."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from access.policy import viewer_for
from orgs.models import SchoolYear
from profminimum.forms_normative import (
    DirectionsForm,
    HolidayFormSet,
    LessonFormSet,
    LevelsForm,
    MinimaForm,
    VersionForm,
    formset_error_lines,
    hours_words,
    version_initial,
)
from profminimum.models import CourseLesson, DirectionMinimum, Level, NormativeVersion
from profminimum.normative import (
    DirectionRow,
    HolidayRow,
    LessonRow,
    course_programme_save,
    direction_minima_grid_set,
    directions_save,
    holidays_save,
    level_minima_set,
    next_school_year_dates,
    normative_in_use,
    normative_version_create_default,
    normative_version_create_next,
    normative_version_update,
)
from profminimum.policy import can_edit_normative

SECTIONS = {
    "levels": "Уровни",
    "directions": "Направления",
    "minima": "Минимумы по направлениям",
    "lessons": "Программа курса",
    "holidays": "Каникулы и праздники",
    "version": "Сведения о версии",
}


# --- reads --------------------------------------------------------------------------------------------------


@dataclass
class VersionData:
    version: NormativeVersion
    levels: list[Level]
    directions: list
    minima: dict[tuple[int, int], object]
    lessons: list[CourseLesson]
    holidays: list
    in_use: bool


def _version_data(version: NormativeVersion) -> VersionData:
    levels = list(version.levels.order_by("min_hours"))
    return VersionData(
        version=version,
        levels=levels,
        directions=list(version.directions.order_by("position", "pk")),
        minima={
            (level_id, direction_id): hours
            for level_id, direction_id, hours in DirectionMinimum.objects.filter(level__normative=version).values_list(
                "level_id", "direction_id", "min_hours"
            )
        },
        lessons=list(version.course_lessons.order_by("number")),
        holidays=list(version.holidays.order_by("starts_on")),
        in_use=normative_in_use(version),
    )


def _version_rows() -> list[tuple[NormativeVersion, list[tuple[Level, str]]]]:
    versions = (
        NormativeVersion.objects.select_related("school_year", "copied_from__school_year")
        .annotate(lesson_count=Count("course_lessons", distinct=True), holiday_count=Count("holidays", distinct=True))
        .order_by("-school_year__starts_on")
    )
    levels: dict[int, list[tuple[Level, str]]] = {}
    for level in Level.objects.filter(normative__in=versions).order_by("min_hours"):
        levels.setdefault(level.normative_id, []).append((level, hours_words(level.min_hours)))
    return [(version, levels.get(version.pk, [])) for version in versions]


# --- pages --------------------------------------------------------------------------------------------------


@login_required
def normative_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    rows = _version_rows()
    current_year = SchoolYear.objects.filter(is_current=True).first()
    next_title = next_school_year_dates(rows[0][0].school_year)[0] if rows else None
    context = {
        "rows": rows,
        "can_edit": can_edit_normative(viewer),
        "next_title": next_title,
        "current_year_missing": current_year
        if current_year and not NormativeVersion.objects.filter(school_year=current_year).exists()
        else None,
        "breadcrumbs": [{"label": "Нормативы профминимума"}],
    }
    return render(request, "profminimum/normative_list.html", context)


@login_required
@require_POST
def normative_next(request: HttpRequest) -> HttpResponse:
    """«Создать следующий учебный год»: the next school year (if missing) with a copy of the last version."""
    if not can_edit_normative(viewer_for(request.user)):
        raise PermissionDenied
    try:
        version = normative_version_create_next(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("profminimum:normative_list")
    source = version.copied_from
    messages.success(
        request,
        f"Создана нормативная версия на {version.school_year} учебный год — копия версии {source.school_year}. "
        "Проверьте минимумы, программу курса и даты каникул.",
    )
    return redirect("profminimum:normative_detail", pk=version.pk)


@login_required
@require_POST
def normative_default(request: HttpRequest) -> HttpResponse:
    """The first version of the current school year, from the federal norms (40/60/80 h, seven directions,
    34 lessons, the usual holidays)."""
    if not can_edit_normative(viewer_for(request.user)):
        raise PermissionDenied
    year = SchoolYear.objects.filter(is_current=True).first()
    if year is None or NormativeVersion.objects.filter(school_year=year).exists():
        messages.error(request, "Версия на текущий учебный год уже есть или текущий учебный год не задан.")
        return redirect("profminimum:normative_list")
    version = normative_version_create_default(school_year=year)
    messages.success(request, f"Создана нормативная версия на {year} учебный год по федеральным нормам.")
    return redirect("profminimum:normative_detail", pk=version.pk)


@login_required
def normative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    version = get_object_or_404(NormativeVersion.objects.select_related("school_year", "copied_from__school_year"), pk=pk)
    can_edit = can_edit_normative(viewer)
    data = _version_data(version)
    bound: dict = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        section = request.POST.get("section", "")
        handler = HANDLERS.get(section)
        if handler is None:
            return HttpResponse("Неизвестный раздел.", status=400)
        form, lines, done = handler(request, data)
        if not lines:
            messages.success(request, done)
            return redirect(reverse("profminimum:normative_detail", args=[version.pk]) + f"#{section}")
        bound[section], errors[section] = form, lines
    forms = _forms(data, bound) if can_edit else {}
    context = {
        "version": version,
        "data": data,
        "can_edit": can_edit,
        "forms": forms,
        "errors": errors,
        "sections": SECTIONS,
        "levels": [(level, hours_words(level.min_hours)) for level in data.levels],
        "minima_rows": [(direction, [data.minima.get((level.pk, direction.pk)) for level in data.levels]) for direction in data.directions],
        "breadcrumbs": [
            {"label": "Нормативы профминимума", "url": reverse("profminimum:normative_list")},
            {"label": f"{version.school_year} учебный год"},
        ],
    }
    return render(request, "profminimum/normative_detail.html", context, status=400 if errors else 200)


def _forms(data: VersionData, bound: dict) -> dict:
    version = data.version
    forms = {
        "version": VersionForm(initial=version_initial(version)),
        "levels": LevelsForm(levels=data.levels),
        "directions": DirectionsForm(directions=data.directions),
        "minima": MinimaForm(levels=data.levels, directions=data.directions, minima=data.minima),
        "lessons": LessonFormSet(
            prefix="lessons",
            initial=[
                {"lesson_id": lesson.pk, "number": lesson.number, "topic": lesson.topic, "kind": lesson.kind, "sector": lesson.sector}
                for lesson in data.lessons
            ],
        ),
        "holidays": HolidayFormSet(
            prefix="holidays",
            initial=[{"title": h.title, "starts_on": h.starts_on, "ends_on": h.ends_on} for h in data.holidays],
        ),
    }
    forms.update(bound)
    return forms


# --- the sections' handlers: (bound form, error lines naming field and row, success message) -----------------


def _service_errors(form, error: ValidationError, field_for=lambda key: key) -> list[str]:
    """Put a service's errors on the form (so the inputs are marked) and return them as lines."""
    lines = []
    if hasattr(error, "error_dict"):
        for key, messages_ in error.message_dict.items():
            name = field_for(key)
            for message in messages_:
                if form is not None and name in getattr(form, "fields", {}):
                    form.add_error(name, message)
                lines.append(message)
    else:
        lines.extend(error.messages)
    return lines


def _form_lines(form) -> list[str]:
    lines = [str(e) for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            lines.extend(f"{form.fields[name].label}: {e}" for e in errors)
    return lines


def _version_section(request, data: VersionData):
    form = VersionForm(request.POST)
    if not form.is_valid():
        return form, _form_lines(form), ""
    try:
        normative_version_update(version=data.version, title=form.cleaned_data["title"], basis=form.cleaned_data["basis"], by=request.user)
    except ValidationError as error:
        return form, _service_errors(form, error), ""
    return form, [], "Сведения о версии сохранены."


def _levels_section(request, data: VersionData):
    form = LevelsForm(request.POST, levels=data.levels)
    if not form.is_valid():
        return form, _form_lines(form), ""
    try:
        level_minima_set(normative=data.version, minima=form.cleaned_data, by=request.user)
    except ValidationError as error:
        return form, _service_errors(form, error), ""
    return form, [], "Минимумы уровней сохранены. Сводки уже судят по новым минимумам."


def _directions_section(request, data: VersionData):
    form = DirectionsForm(request.POST, directions=data.directions)
    if not form.is_valid():
        return form, _form_lines(form), ""
    rows = [DirectionRow(d.pk, form.cleaned_data[f"name_{d.pk}"], form.cleaned_data[f"position_{d.pk}"]) for d in data.directions]
    codes = {d.code: d.pk for d in data.directions}
    try:
        directions_save(normative=data.version, rows=rows, by=request.user)
    except ValidationError as error:
        return form, _service_errors(form, error, lambda code: f"name_{codes.get(code)}"), ""
    return form, [], "Направления сохранены."


def _minima_section(request, data: VersionData):
    form = MinimaForm(request.POST, levels=data.levels, directions=data.directions, minima=data.minima)
    if not form.is_valid():
        return form, _form_lines(form), ""
    levels = {level.code: level for level in data.levels}
    directions = {d.code: d for d in data.directions}

    def field_for(key: str) -> str:
        level_code, _, direction_code = key.partition(":")
        if level_code in levels and direction_code in directions:
            return MinimaForm.key(levels[level_code], directions[direction_code])
        return "__all__"

    try:
        changed = direction_minima_grid_set(normative=data.version, grid=form.grid(), by=request.user)
    except ValidationError as error:
        return form, _service_errors(form, error, field_for), ""
    if not changed:
        return form, [], "Минимумы по направлениям не изменились."
    return form, [], "Минимумы по направлениям сохранены; выполнение норм всех обучающихся года пересчитано."


def _lessons_section(request, data: VersionData):
    formset = LessonFormSet(request.POST, prefix="lessons")
    if not formset.is_valid():
        return formset, formset_error_lines(formset), ""
    known = {lesson.pk for lesson in data.lessons}
    rows = []
    for form in formset.forms:
        values = form.cleaned_data
        lesson_id = values.get("lesson_id")
        if lesson_id is not None and lesson_id not in known:
            return formset, ["Таблица устарела: обновите страницу и внесите изменения снова."], ""
        if not values or (lesson_id is None and values.get("DELETE")):
            # An empty or dropped new row: passed as deleted, so that rows keep their numbers in messages.
            rows.append(LessonRow(lesson_id=None, number=None, topic="", kind="", delete=True))
            continue
        rows.append(
            LessonRow(
                lesson_id=lesson_id,
                number=values.get("number"),
                topic=values.get("topic", ""),
                kind=values.get("kind", ""),
                sector=values.get("sector", ""),
                delete=bool(values.get("DELETE")),
            )
        )
    try:
        course_programme_save(normative=data.version, rows=rows, by=request.user)
    except ValidationError as error:
        return formset, _service_errors(None, error), ""
    return formset, [], "Программа курса «Россия — мои горизонты» сохранена."


def _holidays_section(request, data: VersionData):
    formset = HolidayFormSet(request.POST, prefix="holidays")
    if not formset.is_valid():
        return formset, formset_error_lines(formset), ""
    # An empty new row is passed as deleted, so that rows keep their numbers in messages.
    rows = [
        HolidayRow(title=v.get("title", ""), starts_on=v.get("starts_on"), ends_on=v.get("ends_on"), delete=not v or bool(v.get("DELETE")))
        for v in (form.cleaned_data for form in formset.forms)
    ]
    try:
        holidays_save(normative=data.version, rows=rows, by=request.user)
    except ValidationError as error:
        return formset, _service_errors(None, error), ""
    return formset, [], "Каникулы и праздники сохранены. Уже поставленные в расписание занятия не переносятся."


HANDLERS = {
    "version": _version_section,
    "levels": _levels_section,
    "directions": _directions_section,
    "minima": _minima_section,
    "lessons": _lessons_section,
    "holidays": _holidays_section,
}


urlpatterns = [
    path("normative/", normative_list, name="normative_list"),
    path("normative/next/", normative_next, name="normative_next"),
    path("normative/default/", normative_default, name="normative_default"),
    path("normative/<int:pk>/", normative_detail, name="normative_detail"),
]
