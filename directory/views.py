"""Pages of the regional network: a municipality, organisations, a class, a student's card, student search
and transfers. Thin: parse, call a selector or service, render."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from access.context import home_context
from access.policy import classes_visible, viewer_for
from access.services import personal_data_read_log
from core.registry import MenuItem, registry
from directory.breadcrumbs import page_trail, school_trail
from directory.forms import TransferForm
from directory.paging import page_number, page_of
from directory.selectors import (
    municipality_get,
    organization_get,
    organization_page,
    school_class_get,
    school_class_list,
    school_page,
    staff_list,
    student_card,
    student_list,
    student_search,
    student_search_is_too_short,
    transfer_classes,
    transfer_date_bounds,
    transfer_school_classes,
    transfer_school_get,
    transfer_schools,
)
from orgs.models import Organization
from people.services import student_transfer

QUERY_LENGTH = 100  # longer search text is cut: no name is longer


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
REFUSED = "Запрос не принят: в нём есть служебные символы. Наберите его заново."


def _query(data, name: str = "q") -> tuple[str, bool]:
    """A list's search text, cut to QUERY_LENGTH; one with control characters (a NUL byte, say) is refused:
    ("", True). Nothing is searched for or written to the read log then."""
    value = data.get(name, "")
    if _CONTROL.search(value):
        return "", True
    return value.strip()[:QUERY_LENGTH], False


def _list_params(data, *names: str) -> list[tuple[str, str]]:
    """The list's own query parameters, kept in its page links."""
    return [(name, _query(data, name)[0]) for name in names]


def _pk(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 12 else None


@login_required
def municipality_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    municipality = municipality_get(viewer=viewer, pk=pk)
    query, refused = _query(request.GET)
    page = (
        page_of([], number=1)
        if refused
        else school_page(
            viewer=viewer, municipality=municipality, query=query, number=page_number(request.GET.get("page")), params=_list_params(request.GET, "q")
        )
    )  # fmt: skip
    context = {
        "municipality": municipality,
        "page": page,
        "query": query,
        "refused": REFUSED if refused else "",
        "breadcrumbs": page_trail([{"label": "Республика", "url": "/"}] if viewer.is_republic else [], municipality.name),
    }
    template = "directory/_school_results.html" if request.htmx else "directory/municipality_detail.html"
    return render(request, template, context)


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    query, refused = _query(request.GET)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Organization.Kind.values else ""
    page = (
        page_of([], number=1)
        if refused
        else organization_page(
            viewer=viewer, query=query, kind=kind, number=page_number(request.GET.get("page")), params=[*_list_params(request.GET, "q"), ("kind", kind)]
        )
    )  # fmt: skip
    context = {"page": page, "query": query, "refused": REFUSED if refused else "", "kind": kind, "kinds": Organization.Kind.choices}
    template = "directory/_organization_results.html" if request.htmx else "directory/organization_list.html"
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
        person_ids=[student.person_id for student in students],
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
    can_transfer = student.current_class_id is not None and transfer_classes(viewer=viewer, student=student).exists()
    links = registry.object_links(home_context(request), "student", student)
    if can_transfer:
        links.append(MenuItem("Перевести в другой класс", reverse("directory:student_transfer", args=[student.pk])))
    return render(request, "directory/student_detail.html", {"card": card, "student": student, "breadcrumbs": crumbs, "links": links})


@login_required
def student_search_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    query, refused = _query(request.GET)
    page = student_search(viewer=viewer, query=query, number=page_number(request.GET.get("page")), params=_list_params(request.GET, "q"))
    if page.items:
        personal_data_read_log(
            user=request.user, subject=f"поиск обучающихся «{query}»", channel="page", person_ids=[s.person_id for s in page.items]
        )
    context = {"page": page, "query": query, "refused": REFUSED if refused else "", "too_short": student_search_is_too_short(query)}
    template = "directory/_student_results.html" if request.htmx else "directory/student_search.html"
    return render(request, template, context)


@login_required
def student_transfer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Step one chooses a school (found by name, or among the student's municipality's), step two one of its
    classes and the date. Without JavaScript step one is a plain GET form; with htmx the school list and the
    class list follow the search and the choice as they change. The date's rule is the service's."""
    viewer = viewer_for(request.user)
    student = student_card(viewer=viewer, pk=pk).student
    if student.current_class_id is None or not transfer_classes(viewer=viewer, student=student).exists():
        raise Http404
    if not request.htmx:
        personal_data_read_log(user=request.user, subject="перевод обучающегося", channel="page", person_id=student.person_id)
    data = request.POST if request.method == "POST" else request.GET
    school_query, refused = _query(data, "school_q")
    schools = transfer_schools(viewer=viewer, student=student, query=school_query)
    offered = {school.pk: school for school in schools.page.items}
    chosen = _pk(data.get("school"))
    if chosen in offered:
        school = offered[chosen]
    elif request.method == "POST":
        # A post with the class alone (a script, an older page) is for the class's school.
        school = transfer_school_get(viewer=viewer, student=student, pk=chosen, class_pk=_pk(data.get("to_class")))
    else:
        school = next(iter(offered.values()), None)

    earliest, latest = transfer_date_bounds(student=student)
    form = TransferForm(
        request.POST or None,
        classes=transfer_school_classes(viewer=viewer, student=student, school=school),
        earliest=earliest,
        latest=latest,
        initial={"on": latest},
    )
    if request.method == "POST" and form.is_valid():
        to_class = form.cleaned_data["to_class"]
        try:
            student_transfer(student=student, to_class=to_class, on=form.cleaned_data["on"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{student.person.short_name} переведён(а) в {to_class.name} класс, {to_class.school.short_name}; часы профминимума сохранены.",
            )
            return redirect("directory:student_detail", pk=student.pk)
    # A school chosen from a search stays in the list after a refused post, which carries no search.
    options = list(schools.page.items) if school is None or school.pk in offered else [school, *schools.page.items]
    context = {
        "student": student,
        "form": form,
        "schools": schools,
        "school_options": options,
        "school": school,
        "school_query": school_query,
        "refused": REFUSED if refused else "",
    }
    return render(request, "directory/student_transfer.html", context)
