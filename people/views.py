from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.policy import classes_visible, viewer_for
from core.breadcrumbs import page_trail, school_trail
from access.services import personal_data_read_log
from orgs.selectors import school_class_get
from people.selectors import student_card, student_list, student_search


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
        "people/class_detail.html",
        {
            "school_class": school_class,
            "students": students,
            "staff": school_class.assignments.select_related("person").order_by("kind"),
            "breadcrumbs": crumbs,
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
    return render(request, "people/student_detail.html", {"card": card, "student": student, "breadcrumbs": crumbs})


@login_required
def student_search_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    query = request.GET.get("q", "").strip()
    students = student_search(viewer=viewer, query=query)
    if students:
        personal_data_read_log(user=request.user, subject=f"поиск обучающихся «{query}»", channel="page", people_count=len(students))
    template = "people/_student_rows.html" if request.htmx else "people/student_search.html"
    return render(request, template, {"students": students, "query": query})
