"""Pages of the regional network: a municipality, organisations, a class, a student's card, student search
and transfers. Thin: parse, call a selector or service, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from access.context import home_context
from access.policy import classes_visible, transfer_targets, viewer_for
from access.services import personal_data_read_log
from core.registry import MenuItem, registry
from directory.breadcrumbs import page_trail, school_trail
from directory.selectors import (
    municipality_get,
    organization_get,
    organization_search,
    school_class_get,
    school_class_list,
    school_list,
    staff_list,
    student_card,
    student_list,
    student_search,
)
from orgs.models import Organization, SchoolClass
from people.services import student_transfer


@login_required
def municipality_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    municipality = municipality_get(viewer=viewer, pk=pk)
    query = request.GET.get("q", "").strip()
    schools = school_list(viewer=viewer, municipality=municipality, query=query)
    context = {
        "municipality": municipality,
        "schools": schools,
        "query": query,
        "breadcrumbs": page_trail([{"label": "Республика", "url": "/"}] if viewer.is_republic else [], municipality.name),
    }
    template = "directory/_school_rows.html" if request.htmx else "directory/municipality_detail.html"
    return render(request, template, context)


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in Organization.Kind.values else ""
    organizations = organization_search(viewer=viewer, query=query, kind=kind)[:200]
    context = {"organizations": organizations, "query": query, "kind": kind, "kinds": Organization.Kind.choices}
    template = "directory/_organization_rows.html" if request.htmx else "directory/organization_list.html"
    return render(request, template, context)


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    organization = organization_get(viewer=viewer, pk=pk)
    trail = school_trail(viewer, organization)[:-1] if organization.is_school else []
    context: dict = {"organization": organization, "breadcrumbs": page_trail(trail, organization.short_name)}
    if organization.is_school:
        classes = list(school_class_list(viewer=viewer, school=organization))
        context.update(classes=classes, staff=staff_list(viewer=viewer, organization=organization))
    context["links"] = registry.object_links(home_context(request), "organization", organization)
    return render(request, "directory/organization_detail.html", context)


@login_required
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    school_class = school_class_get(viewer=viewer, pk=pk)
    students = list(student_list(viewer=viewer, school_class=school_class))
    personal_data_read_log(
        user=request.user, subject=f"список класса {school_class} ({school_class.school})", channel="page",
        people_count=len(students),
    )  # fmt: skip
    crumbs = page_trail(school_trail(viewer, school_class.school), f"{school_class.name} класс")
    return render(
        request,
        "directory/class_detail.html",
        {
            "school_class": school_class,
            "students": students,
            "staff": school_class.assignments.select_related("person").order_by("kind"),
            "breadcrumbs": crumbs,
            "links": registry.object_links(home_context(request), "school_class", school_class),
        },
    )


@login_required
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    card = student_card(viewer=viewer, pk=pk)
    personal_data_read_log(user=request.user, subject="карточка обучающегося", channel="page", person_id=card.student.person_id)
    student = card.student
    crumbs = []
    if student.current_class_id and classes_visible(viewer).filter(pk=student.current_class_id).exists():
        class_crumb = {"label": f"{student.current_class.name} класс", "url": f"/classes/{student.current_class_id}/"}
        crumbs = page_trail([*school_trail(viewer, student.current_school), class_crumb], student.person.short_name)
    can_transfer = student.current_class_id is not None and transfer_targets(viewer, student).exclude(pk=student.current_class_id).exists()
    links = registry.object_links(home_context(request), "student", student)
    if can_transfer:
        links.append(MenuItem("Перевести в другой класс", reverse("directory:student_transfer", args=[student.pk])))
    return render(request, "directory/student_detail.html", {"card": card, "student": student, "breadcrumbs": crumbs, "links": links})


@login_required
def student_search_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    query = request.GET.get("q", "").strip()
    students = student_search(viewer=viewer, query=query)
    if students:
        personal_data_read_log(user=request.user, subject=f"поиск обучающихся «{query}»", channel="page", people_count=len(students))
    template = "directory/_student_rows.html" if request.htmx else "directory/student_search.html"
    return render(request, template, {"students": students, "query": query})


class TransferForm(forms.Form):
    to_class = forms.ModelChoiceField(
        label="В класс",
        queryset=SchoolClass.objects.none(),
        error_messages={"required": "Выберите класс, в который переводится обучающийся."},
    )
    on = forms.DateField(
        label="С какой даты", widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"required": "Укажите дату перевода.", "invalid": "Дата перевода: введите дату в формате ДД.ММ.ГГГГ."},
    )  # fmt: skip

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_class"].queryset = targets.select_related("school").order_by("school__short_name", "grade", "letter")
        self.fields["to_class"].label_from_instance = lambda c: f"{c.school.short_name} — {c.name}"


@login_required
def student_transfer_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    card = student_card(viewer=viewer, pk=pk)
    student = card.student
    targets = transfer_targets(viewer, student).exclude(pk=student.current_class_id)
    if not targets.exists():
        raise Http404
    form = TransferForm(request.POST or None, targets=targets, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            student_transfer(student=student, to_class=form.cleaned_data["to_class"], on=form.cleaned_data["on"])
        except ValidationError as error:
            form.add_error("on", error.messages[0])
        else:
            messages.success(
                request,
                f"{student.person.short_name} переведён(а) в {form.cleaned_data['to_class'].name} класс; часы профминимума сохранены.",
            )
            return redirect("directory:student_detail", pk=student.pk)
    return render(request, "directory/student_transfer.html", {"student": student, "form": form})
