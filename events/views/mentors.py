"""The mentors database (seed item 4.14): mentors by direction with their vetting (the fact, date and expiry of the
criminal-record check — never the certificate), mentees, and the log of meetings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from access.policy import students_visible, viewer_for
from access.services import personal_data_read_log
from events.forms import AssignForm, MeetingForm, MentorForm, VettingForm, form_errors, service_errors
from events.policy import (
    assignments_visible,
    may_assign_mentor,
    may_log_meeting,
    may_see_mentors,
    may_vet_mentors,
    mentors_visible,
    providers_for,
)
from events.sectors import SECTORS
from events.services import mentor_assign, mentor_assignment_end, mentor_create, mentor_meeting_log, mentor_vetting_record
from people.models import Person, Role

MAX_STUDENTS = 400  # the students offered for an assignment: one teacher's or one school's


@login_required
def mentors_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    mentors = mentors_visible(viewer).select_related("person", "organization")
    if not may_see_mentors(viewer):
        raise Http404
    sector = request.GET.get("sector", "")
    if sector in dict(SECTORS):
        mentors = mentors.filter(sector=sector)
    vetted_only = request.GET.get("vetted") == "1"
    today = timezone.localdate()
    rows = [{"m": m, "vetted": m.is_vetted(today)} for m in mentors.order_by("person__last_name", "person__first_name")[:500]]
    if vetted_only:
        rows = [row for row in rows if row["vetted"]]
    may_add = may_vet_mentors(viewer) or bool(viewer.partner_org_ids)
    return render(
        request, "events/mentors.html",
        {"rows": rows, "sectors": SECTORS, "sector": sector, "vetted_only": vetted_only, "may_add": may_add,
         "page_title": "Наставники", "breadcrumbs": [{"label": "Наставники"}]},
    )  # fmt: skip


@login_required
def mentor_new_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not (may_vet_mentors(viewer) or viewer.partner_org_ids):
        raise Http404
    form = MentorForm(request.POST or None)
    form.fields["organization"].queryset = providers_for(viewer).order_by("short_name")
    if not may_vet_mentors(viewer):
        form.fields["organization"].required = True
        form.fields["organization"].empty_label = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = Person.objects.create(last_name=data["last_name"], first_name=data["first_name"], middle_name=data["middle_name"])
                mentor = mentor_create(
                    person=person,
                    organization=data["organization"],
                    sector=data["sector"],
                    competencies=data["competencies"],
                    about=data["about"],
                )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, "Наставник внесён в базу. Закрепить его за обучающимися можно после проверки справки.")
            return redirect("events:mentor", pk=mentor.pk)
    return render(
        request, "events/mentor_form.html",
        {"form": form, "errors": form_errors(form) if form.is_bound else [], "page_title": "Новый наставник",
         "breadcrumbs": [{"label": "Наставники", "url": reverse("events:mentors")}, {"label": "Новый наставник"}]},
    )  # fmt: skip


def _assignable_students(viewer):
    return (
        students_visible(viewer)
        .filter(current_class__isnull=False)
        .select_related("person", "current_class")
        .order_by("person__last_name", "person__first_name")[:MAX_STUDENTS]
    )


@login_required
def mentor_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    mentor = get_object_or_404(mentors_visible(viewer).select_related("person", "organization", "vetting_recorded_by"), pk=pk)
    today = timezone.localdate()
    may_vet = may_vet_mentors(viewer)
    may_assign = (
        viewer.has_role(Role.SCHOOL_COORDINATOR, Role.TEACHER_NAVIGATOR, Role.CLASS_TEACHER, Role.PSYCHOLOGIST, Role.MUNICIPAL_COORDINATOR)
        or may_vet
    )
    students = list(_assignable_students(viewer)) if may_assign and mentor.is_vetted(today) else []
    vetting_form = VettingForm(
        initial={
            "vetting": mentor.vetting,
            "record_checked_on": mentor.record_checked_on,
            "record_check_expires_on": mentor.record_check_expires_on,
        }
    )
    assign_form = AssignForm(students=students)
    if request.method == "POST":
        if request.POST.get("form") == "vetting" and may_vet:
            vetting_form = VettingForm(request.POST)
            if vetting_form.is_valid():
                data = vetting_form.cleaned_data
                try:
                    mentor_vetting_record(
                        mentor=mentor,
                        vetting=data["vetting"],
                        checked_on=data["record_checked_on"],
                        expires_on=data["record_check_expires_on"],
                        by=request.user,
                    )
                except ValidationError as error:
                    service_errors(vetting_form, error)
                else:
                    messages.success(request, "Сведения о проверке сохранены.")
                    return redirect("events:mentor", pk=mentor.pk)
        elif request.POST.get("form") == "assign" and may_assign:
            assign_form = AssignForm(request.POST, students=students)
            if assign_form.is_valid():
                student = next((s for s in students if s.pk == assign_form.cleaned_data["student"]), None)
                try:
                    if student is None or not may_assign_mentor(viewer, student):
                        raise ValidationError({"student": "Выберите обучающегося из списка."})
                    mentor_assign(
                        mentor=mentor,
                        student=student,
                        goal=assign_form.cleaned_data["goal"],
                        started_on=assign_form.cleaned_data["started_on"],
                        by=request.user,
                    )
                except ValidationError as error:
                    service_errors(assign_form, error)
                else:
                    messages.success(request, f"Наставник закреплён: {student.person.full_name}.")
                    return redirect("events:mentor", pk=mentor.pk)
    assignments = list(assignments_visible(viewer).filter(mentor=mentor).select_related("student__person", "student__current_class"))
    if assignments:
        personal_data_read_log(
            user=request.user, subject=f"наставляемые: {mentor}", channel="web", person_ids=[a.student.person_id for a in assignments]
        )
    return render(
        request, "events/mentor.html",
        {
            "mentor": mentor, "vetted": mentor.is_vetted(today), "may_vet": may_vet, "may_assign": may_assign and mentor.is_vetted(today),
            "vetting_form": vetting_form, "assign_form": assign_form, "assignments": assignments,
            "vetting_errors": form_errors(vetting_form) if vetting_form.is_bound else [],
            "assign_errors": form_errors(assign_form) if assign_form.is_bound else [],
            "page_title": mentor.person.full_name,
            "breadcrumbs": [{"label": "Наставники", "url": reverse("events:mentors")}, {"label": mentor.person.full_name}],
        },
    )  # fmt: skip


@login_required
def mentorship_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    assignment = get_object_or_404(
        assignments_visible(viewer).select_related("mentor__person", "mentor__organization", "student__person", "student__current_class"),
        pk=pk,
    )
    may_log = may_log_meeting(viewer, assignment)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and may_log and form.is_valid():
        try:
            mentor_meeting_log(assignment=assignment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, "Встреча записана в журнал.")
            return redirect("events:mentorship", pk=assignment.pk)
    personal_data_read_log(user=request.user, subject="журнал встреч с наставником", channel="web", person_id=assignment.student.person_id)
    return render(
        request, "events/mentorship.html",
        {
            "a": assignment, "meetings": list(assignment.meetings.all()), "form": form, "may_log": may_log and assignment.ended_on is None,
            "errors": form_errors(form) if form.is_bound else [], "page_title": f"Наставничество: {assignment.student.person.short_name}",
            "breadcrumbs": [{"label": "Наставники", "url": reverse("events:mentors")}, {"label": assignment.mentor.person.full_name, "url": reverse("events:mentor", args=[assignment.mentor_id])}, {"label": "Журнал встреч"}],
        },
    )  # fmt: skip


@login_required
@require_POST
def mentorship_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    assignment = get_object_or_404(assignments_visible(viewer), pk=pk)
    if not may_log_meeting(viewer, assignment):
        raise Http404
    try:
        mentor_assignment_end(assignment=assignment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Наставничество завершено.")
    return redirect("events:mentorship", pk=assignment.pk)


urlpatterns = [
    path("mentors/", mentors_view, name="mentors"),
    path("mentors/new/", mentor_new_view, name="mentor_new"),
    path("mentors/<int:pk>/", mentor_view, name="mentor"),
    path("mentorships/<int:pk>/", mentorship_view, name="mentorship"),
    path("mentorships/<int:pk>/end/", mentorship_end_view, name="mentorship_end"),
]
