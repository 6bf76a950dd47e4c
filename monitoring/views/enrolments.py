"""A school's enrolments of its students in additional-education programmes: the list (a student's data: every read
is logged with the people shown), a new enrolment, and ending or removing one. Imports go through the same service
(monitoring.services.enrolment_upsert)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from access.policy import students_visible, viewer_for
from access.services import personal_data_read_log
from core.tables import ChoiceFilter, Column, Row, Table, date_cell, text_cell
from monitoring import selectors, services
from monitoring.coverage import GRADES
from monitoring.models import Programme, ProgrammeEnrolment
from monitoring.policy import can_enter_enrolments
from monitoring.views.common import crumbs, respond

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _programmes(school):
    return (
        Programme.objects.filter(is_active=True, grade_to__gte=GRADES[0])
        .filter(Q(municipality__isnull=True) | Q(municipality_id=school.municipality_id))
        .select_related("provider")
        .order_by("direction", "title", "pk")
    )


class EnrolmentForm(forms.Form):
    student = forms.TypedChoiceField(label="Обучающийся", coerce=int, error_messages={"required": "«Обучающийся»: выберите обучающегося.",
                                     "invalid_choice": "«Обучающийся»: выберите обучающегося из списка школы."})  # fmt: skip
    programme = forms.TypedChoiceField(label="Программа", coerce=int, error_messages={"required": "«Программа»: выберите программу.",
                                       "invalid_choice": "«Программа»: выберите программу из списка."})  # fmt: skip
    starts_on = forms.DateField(
        label="Занимается с", input_formats=DATE_FORMATS, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "«Занимается с»: укажите дату.", "invalid": "«Занимается с»: дата в формате ДД.ММ.ГГГГ."},
    )  # fmt: skip
    ends_on = forms.DateField(
        label="По", required=False, input_formats=DATE_FORMATS, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Пусто — занимается и сейчас.", error_messages={"invalid": "«По»: дата в формате ДД.ММ.ГГГГ."},
    )  # fmt: skip

    def __init__(self, *args, students, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        by_class: dict[str, list] = {}
        for student in students:
            label = f"{student.current_class.name} класс" if student.current_class_id else "без класса"
            by_class.setdefault(label, []).append((student.pk, student.person.full_name))
        self.fields["student"].choices = [("", "— выберите —"), *by_class.items()]
        by_direction: dict[str, list] = {}
        for programme in programmes:
            by_direction.setdefault(programme.get_direction_display().capitalize(), []).append(
                (programme.pk, f"{programme.title} — {programme.provider.short_name}, {programme.grades_text}")
            )
        self.fields["programme"].choices = [("", "— выберите —"), *by_direction.items()]
        self.programmes = {p.pk: p for p in programmes}
        self.students = {s.pk: s for s in students}


class EndForm(forms.Form):
    ends_on = forms.DateField(
        label="Занимался по", input_formats=DATE_FORMATS, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "«Занимался по»: укажите дату.", "invalid": "«Занимался по»: дата в формате ДД.ММ.ГГГГ."},
    )  # fmt: skip


SHOW_FILTER = ChoiceFilter("show", "Записи", [("ended", "завершённые"), ("running", "действующие")], any_label="все")


def _table(school, enrolments, today) -> Table:
    columns = [
        Column("student", "Обучающийся"), Column("class", "Класс"), Column("programme", "Программа"),
        Column("direction", "Направленность"), Column("provider", "Организация"), Column("starts", "Занимается с", "date"),
        Column("ends", "По", "date"), Column("source", "Источник"),
    ]  # fmt: skip
    rows = []
    for e in enrolments:
        running = e.ends_on is None or e.ends_on >= today
        url = reverse("monitoring:enrolment", args=[school.pk, e.pk])
        rows.append(
            Row(
                [
                    text_cell(e.student.person.full_name, url=url),
                    text_cell(e.student.current_class.name if e.student.current_class_id else "—"),
                    text_cell(e.programme.title), text_cell(e.programme.get_direction_display()),
                    text_cell(e.programme.provider.short_name), date_cell(e.starts_on),
                    date_cell(e.ends_on) if e.ends_on else text_cell("", note="занимается"), text_cell(e.get_source_display()),
                ],
                facets={"show": {"running" if running else "ended"}}, data=e.student.person_id,
            )
        )  # fmt: skip
    return Table(
        key="enrolments", title="Записи в программы", columns=columns, rows=rows, personal=True, search_label="Обучающийся",
        filters=[SHOW_FILTER], empty="Записей в программы пока нет.",
    )  # fmt: skip


@login_required
def enrolments(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    school = selectors.school_get(viewer=viewer, pk=pk)
    today = timezone.localdate()
    may_enter = can_enter_enrolments(viewer, school)
    form = None
    no_programmes = False
    status = 200
    if may_enter:
        students = list(
            students_visible(viewer).filter(current_school=school, current_class__grade__gte=GRADES[0], current_class__grade__lte=GRADES[1])
            .select_related("person", "current_class").order_by("current_class__grade", "current_class__letter", "person__last_name", "person__first_name")
        )  # fmt: skip
        programmes = list(_programmes(school))
        no_programmes = not programmes
        form = EnrolmentForm(request.POST or None, students=students, programmes=programmes, initial={"starts_on": today})
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    enrolment, created = services.enrolment_upsert(
                        student=form.students[data["student"]], programme=form.programmes[data["programme"]], starts_on=data["starts_on"],
                        ends_on=data["ends_on"], by=request.user, source=ProgrammeEnrolment.Source.ENTERED,
                    )  # fmt: skip
                except ValidationError as error:
                    for field, messages_ in getattr(error, "message_dict", {"__all__": error.messages}).items():
                        form.add_error(field if field in form.fields else None, messages_)
                else:
                    who = enrolment.student.person.full_name
                    messages.success(
                        request, f"{who}: запись в программу «{enrolment.programme.title}» {'добавлена' if created else 'обновлена'}."
                    )
                    return redirect("monitoring:enrolments", school.pk)
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    rows = selectors.school_enrolments(viewer=viewer, school=school, today=today, include_ended=True)
    table = _table(school, rows, today).bind(request)
    if request.GET.get("format") == "xlsx":
        personal_data_read_log(
            user=request.user, subject=f"выгрузка записей в программы ДО ({school.short_name})", channel="export",
            person_ids=[row.data for row in table.matched],
        )  # fmt: skip
        return table.xlsx_response(filename=f"monitoring-enrolments-{school.pk}.xlsx", title="Записи в программы дополнительного образования",
                                   scope=school.short_name, on_date=today)  # fmt: skip
    if table.page_rows:
        personal_data_read_log(
            user=request.user, subject=f"записи в программы ДО ({school.short_name})", channel="page",
            person_ids=[row.data for row in table.page_rows],
        )  # fmt: skip
    context = {
        "school": school, "table": table, "form": form, "today": today, "no_programmes": no_programmes,
        "breadcrumbs": crumbs(viewer, municipality=school.municipality, school=school, last="Записи в программы"),
        "page_title": f"Записи в программы ДО — {school.short_name}",
    }  # fmt: skip
    response = respond(request, "monitoring/enrolments.html", context, [table])
    response.status_code = status if request.method == "POST" else response.status_code
    return response


@login_required
def enrolment(request: HttpRequest, pk: int, enrolment_pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    school = selectors.school_get(viewer=viewer, pk=pk)
    item = selectors.enrolment_get(viewer=viewer, school=school, pk=enrolment_pk)
    may_enter = can_enter_enrolments(viewer, school)
    end_form = EndForm(initial={"ends_on": item.ends_on or timezone.localdate()})
    status = 200
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action == "delete":
            services.enrolment_delete(enrolment=item, by=request.user)
            messages.success(request, f"Запись «{item.programme.title}» ({item.student.person.full_name}) удалена.")
            return redirect("monitoring:enrolments", school.pk)
        end_form = EndForm(request.POST)
        if end_form.is_valid():
            try:
                services.enrolment_end(enrolment=item, ends_on=end_form.cleaned_data["ends_on"], by=request.user)
            except ValidationError as error:
                end_form.add_error(
                    "ends_on", error.message_dict.get("ends_on", error.messages) if hasattr(error, "message_dict") else error.messages
                )
            else:
                messages.success(request, "Дата окончания занятий сохранена.")
                return redirect("monitoring:enrolments", school.pk)
        status = 400
    personal_data_read_log(user=request.user, subject=f"запись в программу ДО ({school.short_name})", channel="page",
                           person_id=item.student.person_id)  # fmt: skip
    context = {
        "school": school, "item": item, "end_form": end_form, "may_enter": may_enter,
        "breadcrumbs": crumbs(viewer, municipality=school.municipality, school=school, last=item.student.person.short_name),
        "page_title": f"Запись в программу — {item.student.person.short_name}",
        "enrolments_url": reverse("monitoring:enrolments", args=[school.pk]),
    }  # fmt: skip
    return render(request, "monitoring/enrolment.html", context, status=status)


urlpatterns = [
    path("schools/<int:pk>/enrolments/", enrolments, name="enrolments"),
    path("schools/<int:pk>/enrolments/<int:enrolment_pk>/", enrolment, name="enrolment"),
]
