"""The teacher's daily work: a class's schedule of activities, attendance in one screen, creating, moving
and deleting activities, and the search over a school's activities. Access goes through access.policy and
profminimum.policy only; a foreign object is a 404. Reads are in profminimum.selectors, writes in
profminimum.services: a view parses, calls and renders."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from access.policy import (
    Viewer,
    classes_visible,
    organizations_visible,
    schools_visible,
    students_visible,
    viewer_for,
)
from access.services import personal_data_read_log
from core.formatting import count_text, day_text, hours_text, plural_form
from orgs.models import SchoolClass
from people.models import Student
from profminimum import selectors, services
from profminimum.forms import ORGANIZER_KINDS, ActivityForm, ActivityMoveForm
from profminimum.models import Activity, AttendanceCorrection, Direction
from profminimum.policy import (
    activities_visible,
    can_delete_activity,
    can_manage_activities,
    can_mark_attendance,
    can_move_activity,
    coordinates_school,
)
from profminimum.services import Mark


def _class_visible(viewer: Viewer, pk) -> SchoolClass:
    return selectors.school_class_visible(viewer=viewer, pk=pk)


def _markable_class(viewer: Viewer, activity: Activity, class_pk) -> SchoolClass:
    """The class whose attendance of the activity the viewer marks: one they may mark, taking part in it."""
    school_class = _class_visible(viewer, class_pk)
    if not can_mark_attendance(viewer, school_class):
        raise Http404("Класс не найден.")
    takes_part = activity.classes.filter(pk=school_class.pk).exists() or activity.students.filter(current_class=school_class).exists()
    if not takes_part:
        raise Http404("Класс не участвует в этом мероприятии.")
    return school_class


def _first_markable_class(viewer: Viewer, activity: Activity) -> SchoolClass | None:
    # The classes taking part, as ids first: an OR of two IN-subqueries would read every class visible.
    ids = set(activity.classes.values_list("pk", flat=True)) | set(activity.students.values_list("current_class", flat=True))
    candidates = classes_visible(viewer).filter(pk__in=sorted(i for i in ids if i)).select_related("school").order_by("grade", "letter")
    return next((c for c in candidates if can_mark_attendance(viewer, c)), None)


def _activity_visible(viewer: Viewer, pk: int) -> Activity:
    return get_object_or_404(
        activities_visible(viewer).select_related("direction", "course_lesson", "organizer", "school", "school_year"), pk=pk
    )


def _schedule_url(school_class: SchoolClass) -> str:
    return reverse("profminimum:class_schedule", args=[school_class.pk])


def _class_crumbs(school_class: SchoolClass, *, schedule_link: bool) -> list[dict]:
    return [
        {"label": school_class.school.short_name, "url": reverse("directory:organization_detail", args=[school_class.school_id])},
        {"label": f"{school_class.name} класс", "url": reverse("directory:class_detail", args=[school_class.pk])},
        {"label": "Расписание и посещаемость", "url": _schedule_url(school_class) if schedule_link else None},
    ]


# --- the class schedule -------------------------------------------------------------------------------------


@login_required
def class_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    school_class = _class_visible(viewer, pk)
    schedule = selectors.class_schedule(viewer=viewer, school_class=school_class, today=timezone.localdate())
    part = request.GET.get("part", "")
    # The marked history, or the whole rest of the year, asked for by the folded section (htmx) or by its link
    # (without JavaScript, the page again with the section open).
    if part in ("history", "upcoming") and request.htmx:
        return render(
            request,
            f"profminimum/_schedule_{part}.html",
            {"school_class": school_class, "schedule": schedule, "may_mark": schedule.may_mark},
        )
    normative = selectors.normative_for(school_class.school_year)
    coordinator = coordinates_school(viewer, school_class.school)
    has_course = any(row.activity.course_lesson_id for row in schedule.rows)
    may_create = schedule.may_mark and can_manage_activities(viewer, school_class.school)
    return render(
        request,
        "profminimum/class_schedule.html",
        {
            "school_class": school_class,
            "schedule": schedule,
            "may_mark": schedule.may_mark,
            "may_create": may_create,
            "may_generate": coordinator and not has_course and normative is not None and 6 <= school_class.grade <= 11,
            "no_normative": normative is None,
            "breadcrumbs": _class_crumbs(school_class, schedule_link=False),
            "open_part": part,
        },
    )


@login_required
@require_POST
def course_schedule_generate(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    school_class = _class_visible(viewer, pk)
    if not coordinates_school(viewer, school_class.school):
        raise Http404("Класс не найден.")
    if selectors.normative_for(school_class.school_year) is None:
        messages.error(request, "Нормативная версия профминимума на этот учебный год ещё не утверждена: составить расписание нельзя.")
        return redirect(_schedule_url(school_class))
    created = services.course_schedule_generate(school_year=school_class.school_year, schools=[school_class.school], by=request.user)
    if created:
        lessons = count_text(created, "занятие", "занятия", "занятий")
        messages.success(request, f"Расписание курса «Россия — мои горизонты» составлено: {lessons} во всех классах школы.")
    else:
        messages.info(request, "У всех классов школы расписание курса уже есть.")
    return redirect(_schedule_url(school_class))


# --- attendance in one screen -------------------------------------------------------------------------------


@dataclass
class StudentMark:
    student: Student
    present: bool
    excuse: str
    saved: bool


def _correction_text(correction: AttendanceCorrection) -> str:
    def state(present: bool, excuse: str) -> str:
        if present:
            return "присутствовал(а)"
        return f"отсутствовал(а){f' ({excuse})' if excuse else ''}"

    return f"{state(correction.was_present, correction.was_excuse)} → {state(correction.now_present, correction.now_excuse)}"


def _who(user) -> str:
    if user is None:
        return "неизвестно"
    return f"{user.last_name} {user.first_name}".strip() or user.username


def saved_message(*, present: int, absent: int, hours: Decimal, changed: int, unchanged: bool) -> str:
    """«Сохранено: 23 присутствовали, 2 отсутствовали; зачтено 23 ч»."""
    text = (
        f"Сохранено: {present} {plural_form(present, 'присутствовал', 'присутствовали', 'присутствовали')}, "
        f"{absent} {plural_form(absent, 'отсутствовал', 'отсутствовали', 'отсутствовали')}; зачтено {hours_text(hours)}"
    )
    if changed:
        text += f". Исправлено: {count_text(changed, 'отметка', 'отметки', 'отметок')}"
    elif unchanged:
        text += ". Изменений нет"
    return text + "."


@login_required
def activity_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    activity = _activity_visible(viewer, pk)
    class_pk = request.GET.get("class")
    if not class_pk:
        school_class = _first_markable_class(viewer, activity)
        if school_class is None:
            raise Http404("Нет класса, в котором вы отмечаете посещаемость этого мероприятия.")
        return redirect(f"{reverse('profminimum:activity_attendance', args=[activity.pk])}?class={school_class.pk}")
    school_class = _markable_class(viewer, activity, class_pk)
    students = selectors.attendance_students(viewer=viewer, activity=activity, school_class=school_class)
    saved = selectors.attendance_saved(activity=activity, students=students)
    errors: list[str] = []

    if request.method == "POST":
        allowed = {s.pk for s in students}
        posted = []
        for value in request.POST.getlist("student"):
            if value.isdigit() and int(value) in allowed and int(value) not in posted:
                posted.append(int(value))
        present_ids = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        marks = {sid: Mark(present=sid in present_ids, excuse=request.POST.get(f"excuse-{sid}", "")) for sid in posted}
        if not marks:
            errors.append("В форме нет обучающихся этого класса: откройте страницу заново.")
        else:
            # The rules of a save (a lesson that has not happened yet, a deleted one) are the service's: its
            # message is shown above the marks as posted.
            try:
                result = services.attendance_save(activity=activity, marks=marks, by=request.user)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                present = sum(1 for m in marks.values() if m.present)
                messages.success(
                    request,
                    saved_message(
                        present=present, absent=len(marks) - present, hours=activity.duration_hours * present,
                        changed=result.changed, unchanged=bool(saved) and not result.marked and not result.changed,
                    ),
                )  # fmt: skip
                return _after_save(request, viewer, school_class, activity)
        # Show what was posted, with the error above it.
        rows = [StudentMark(s, s.pk in present_ids, request.POST.get(f"excuse-{s.pk}", ""), s.pk in saved) for s in students]
    else:
        rows = [
            StudentMark(s, saved[s.pk].present if s.pk in saved else True, saved[s.pk].excuse if s.pk in saved else "", s.pk in saved)
            for s in students
        ]
        personal_data_read_log(
            user=request.user, subject=f"посещаемость: {activity.title}, {school_class} ({school_class.school})",
            channel="page", person_ids=[student.person_id for student in students],
        )  # fmt: skip

    corrections = selectors.attendance_corrections(activity=activity, students=students)
    crumbs = _class_crumbs(school_class, schedule_link=True) + [{"label": _activity_label(activity), "url": None}]
    return render(
        request,
        "profminimum/attendance_form.html",
        {
            "activity": activity,
            "school_class": school_class,
            "rows": rows,
            "is_marked": bool(saved),
            "present_count": sum(1 for r in rows if r.present),
            "errors": errors,
            "corrections": [(c, _who(c.changed_by), _correction_text(c)) for c in corrections],
            "may_delete": can_delete_activity(viewer, activity),
            "breadcrumbs": crumbs,
        },
        status=400 if errors else 200,
    )


def _attendance_url(activity: Activity, school_class: SchoolClass) -> str:
    return f"{reverse('profminimum:activity_attendance', args=[activity.pk])}?class={school_class.pk}"


def _after_save(request: HttpRequest, viewer: Viewer, school_class: SchoolClass, activity: Activity) -> HttpResponse:
    """After a save the teacher goes on to the next held lesson of the class not yet marked; when none is
    left, back to the schedule."""
    following, left = selectors.next_unmarked(viewer=viewer, school_class=school_class, today=timezone.localdate(), after=activity)
    if following is None:
        messages.info(request, "Все прошедшие занятия класса отмечены.")
        return redirect(_schedule_url(school_class))
    lessons = count_text(left, "занятие", "занятия", "занятий")
    messages.info(request, f"Не отмечено ещё: {lessons}. Открыто следующее — {following.day_text}.")
    return redirect(_attendance_url(following.activity, school_class))


def _activity_label(activity: Activity) -> str:
    if activity.course_lesson_id:
        return f"Занятие {activity.course_lesson.number}"
    return activity.title


# --- moving a lesson ----------------------------------------------------------------------------------------


@login_required
def activity_move(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    activity = _activity_visible(viewer, pk)
    school_class = _markable_class(viewer, activity, request.GET.get("class"))
    if not can_move_activity(viewer, activity):
        raise Http404("Мероприятие не найдено.")
    local = timezone.localtime(activity.starts_at)
    if request.method == "POST":
        form = ActivityMoveForm(request.POST)
        if form.is_valid():
            try:
                services.activity_move(activity=activity, starts_at=form.starts_at(), by=request.user)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                moved = timezone.localtime(form.starts_at())
                messages.success(request, f"«{activity.title}» перенесено на {day_text(moved)}, {moved:%H:%M}.")
                return redirect(_schedule_url(school_class))
    else:
        form = ActivityMoveForm(initial={"date": local.date(), "time": local.time().replace(second=0, microsecond=0)})
    crumbs = _class_crumbs(school_class, schedule_link=True) + [{"label": "Перенос занятия", "url": None}]
    return render(
        request,
        "profminimum/activity_move.html",
        {"activity": activity, "school_class": school_class, "form": form, "when": local, "breadcrumbs": crumbs},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- deleting an activity -----------------------------------------------------------------------------------


@login_required
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    activity = _activity_visible(viewer, pk)
    if not can_delete_activity(viewer, activity):
        raise Http404("Мероприятие не найдено.")
    school_class = None
    if request.GET.get("class"):
        school_class = _class_visible(viewer, request.GET["class"])
    back = _schedule_url(school_class) if school_class else reverse("portal:home")
    if request.method == "POST":
        reversed_hours = services.activity_delete(activity=activity, by=request.user)
        messages.success(request, f"Мероприятие «{activity.title}» удалено; списано {hours_text(reversed_hours)}.")
        return redirect(back)
    hours, students = selectors.activity_credited(activity=activity)
    crumbs = _class_crumbs(school_class, schedule_link=True) if school_class else []
    crumbs.append({"label": "Удаление мероприятия", "url": None})
    return render(
        request,
        "profminimum/activity_delete.html",
        {
            "activity": activity,
            "school_class": school_class,
            "hours": hours,
            "students": students,
            "back": back,
            "breadcrumbs": crumbs,
        },
    )


# --- creating an activity -----------------------------------------------------------------------------------


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    school_pk = request.GET.get("school", "")
    if not school_pk.isdigit():
        raise Http404("Школа не найдена.")
    school = get_object_or_404(schools_visible(viewer), pk=int(school_pk))
    if not can_manage_activities(viewer, school):
        raise Http404("Школа не найдена.")
    school_year = selectors.school_year_current()
    normative = selectors.normative_for(school_year) if school_year else None
    crumbs = [
        {"label": school.short_name, "url": reverse("directory:organization_detail", args=[school.pk])},
        {"label": "Новое мероприятие", "url": None},
    ]
    if normative is None:
        return render(request, "profminimum/activity_form.html", {"school": school, "form": None, "breadcrumbs": crumbs})

    classes = [
        c
        for c in classes_visible(viewer).filter(school=school, school_year=school_year).select_related("school").order_by("grade", "letter")
        if can_mark_attendance(viewer, c)
    ]  # fmt: skip
    if not classes:
        raise Http404("Нет классов, для которых вы проводите мероприятия.")
    class_qs = SchoolClass.objects.filter(pk__in=[c.pk for c in classes]).order_by("grade", "letter")
    student_qs = (
        students_visible(viewer).filter(current_class__in=class_qs).select_related("person", "current_class")
        .order_by("current_class__grade", "current_class__letter", "person__last_name", "person__first_name")
    )  # fmt: skip
    organizers = organizations_visible(viewer).filter(Q(pk=school.pk) | Q(kind__in=ORGANIZER_KINDS, is_active=True))
    organizers = organizers.order_by("kind", "short_name")
    kwargs = {
        "directions": Direction.objects.filter(normative=normative).order_by("position"),
        "organizers": organizers,
        "classes": class_qs,
        "students": student_qs,
    }
    preselected = request.GET.get("class", "")
    back_class = next((c for c in classes if str(c.pk) == preselected), None)
    if request.method == "POST":
        form = ActivityForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = services.activity_create(
                    school=school, school_year=school_year, direction=data["direction"], title=data["title"],
                    starts_at=form.starts_at(), duration_hours=data["duration_hours"], organizer=data["organizer"],
                    place=data["place"], classes=list(data["classes"]), students=list(data["students"]), by=request.user,
                )  # fmt: skip
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Мероприятие «{activity.title}» добавлено в расписание.")
                target = back_class or (list(data["classes"]) or [None])[0]
                if target is None:
                    target = next((s.current_class for s in data["students"]), None)
                return redirect(_schedule_url(target) if target else reverse("portal:home"))
    else:
        form = ActivityForm(
            initial={
                "organizer": school.pk, "classes": [back_class.pk] if back_class else [], "date": timezone.localdate(),
                "time": datetime.time(14, 0), "duration_hours": "1",
            },
            **kwargs,
        )  # fmt: skip
    if back_class:
        crumbs = _class_crumbs(back_class, schedule_link=True) + [{"label": "Новое мероприятие", "url": None}]
    return render(
        request,
        "profminimum/activity_form.html",
        {"school": school, "form": form, "school_year": school_year, "back_class": back_class, "breadcrumbs": crumbs},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- searching a school's activities ------------------------------------------------------------------------


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    found = selectors.activities_search(
        viewer=viewer, query=request.GET.get("q", ""), school_pk=request.GET.get("school"), class_pk=request.GET.get("class"),
        page=request.GET.get("page") or 1, today=timezone.localdate(),
    )  # fmt: skip
    school, school_class = found.school, found.school_class
    crumbs = [{"label": school.short_name, "url": reverse("directory:organization_detail", args=[school.pk])}]
    if school_class is not None:
        crumbs = _class_crumbs(school_class, schedule_link=True)
    crumbs.append({"label": "Мероприятия", "url": None})
    return render(
        request,
        "profminimum/activity_list.html",
        {
            "found": found,
            "school": school,
            "school_class": school_class,
            "may_create": can_manage_activities(viewer, school),
            "breadcrumbs": crumbs,
        },
    )


urlpatterns = [
    path("classes/<int:pk>/schedule/", class_schedule, name="class_schedule"),
    path("activities/", activity_list, name="activity_list"),
    path("classes/<int:pk>/schedule/generate/", course_schedule_generate, name="course_schedule_generate"),
    path("activities/new/", activity_create, name="activity_create"),
    path("activities/<int:pk>/attendance/", activity_attendance, name="activity_attendance"),
    path("activities/<int:pk>/move/", activity_move, name="activity_move"),
    path("activities/<int:pk>/delete/", activity_delete, name="activity_delete"),
]
