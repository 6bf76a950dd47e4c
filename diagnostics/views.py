"""The diagnostics pages: a student's tests and results, taking a test one item at a time, a parent's view of their
children, assigning and following a class, a class summary, a territory's aggregates, and the instruments with their
quality. Thin: parse, call a service or a selector, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from access.policy import (
    active_role,
    home_municipality_id,
    home_school_id,
    landing_kind,
    municipalities_visible,
    schools_visible,
    students_visible,
    viewer_for,
)
from access.services import personal_data_read_log
from diagnostics import policy, presenting, selectors, services
from diagnostics.format import compiled
from diagnostics.forms import AssignmentForm, UploadForm, errors_of
from diagnostics.models import Attempt, Instrument
from diagnostics.quality import MIN_RESPONDENTS, PILOT_ALPHA, quality_from_report
from people.models import Student
from privacy.policy import DIAGNOSTICS, Answer, confirmed_parent_ids, may_process


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def guidance_url(student: Student) -> str:
    """The recommendations page («Что мне подходит»), where the guidance app provides one."""
    try:
        return reverse("guidance:student", args=[student.pk])
    except NoReverseMatch:
        return ""


def _crumbs(*items) -> list[dict]:
    return [{"label": label, "url": url} for label, url in items]


# --- the entry: where each role goes ------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    kind = landing_kind(active_role(request, viewer))
    if kind == "student" and viewer.own_student_id:
        return mine(request)
    if kind == "parent" and viewer.child_student_ids:
        return family(request)
    if kind in {"teacher", "school"} and policy.classes_assignable(viewer).exists():
        return redirect("diagnostics:assignments")
    if kind in {"republic", "municipality"} or (kind == "school" and home_school_id(viewer)):
        return redirect("diagnostics:summary")
    if policy.may_see_instruments(viewer):
        return redirect("diagnostics:instruments")
    if viewer.own_student_id:
        return mine(request)
    if viewer.child_student_ids:
        return family(request)
    raise Http404


def mine(request: HttpRequest) -> HttpResponse:
    """The student's own page: the tests to take, those to take on one's own, and every result over the years."""
    viewer = viewer_for(request.user)
    student = get_object_or_404(Student.objects.select_related("person", "current_class"), pk=viewer.own_student_id)
    history = selectors.results_history(student=student)
    latest = selectors.latest_by_instrument(history)
    cards = [presenting.result_card(a, chart_id=f"mine-{a.pk}") for a in latest]
    tasks = selectors.student_tasks(student=student)
    assigned = {task.assignment.version.instrument_id for task in tasks}
    running = selectors.attempts_running(student=student)
    own = [
        (version, running.get(version.pk))
        for version in selectors.versions_offered(audience=Instrument.Audience.STUDENT)
        if version.instrument_id not in assigned
    ]
    parent_view = selectors.parent_view_of(student=student) if policy.may_see_parent_view(viewer, student, policy.SELF) else None
    return render(
        request,
        "diagnostics/mine.html",
        {
            "student": student, "tasks": tasks, "own": own, "cards": cards, "history": history, "parent_view": parent_view,
            "consent": may_process(student=student, purpose=DIAGNOSTICS), "guidance_url": guidance_url(student) if cards else "",
            "breadcrumbs": _crumbs(("Мои опросники", "")), "page_title": "Мои опросники",
        },
    )  # fmt: skip


def family(request: HttpRequest) -> HttpResponse:
    """A parent's page: each child's latest results where the child (or the law) allows, and the parent version."""
    viewer = viewer_for(request.user)
    children = list(Student.objects.filter(pk__in=viewer.child_student_ids).select_related("person").order_by("person__birth_date", "pk"))
    parent_versions = selectors.versions_offered(audience=Instrument.Audience.PARENT)
    rows = []
    for child in children:
        ground = policy.results_ground(viewer, child)
        latest = selectors.latest_by_instrument(selectors.results_history(student=child)) if ground else []
        mine_running = selectors.attempts_running(student=child, respondent_id=viewer.person_id)
        rows.append(
            {
                "student": child, "ground": ground, "latest": latest,
                "confirmed": viewer.person_id in confirmed_parent_ids(child),
                "consent": may_process(student=child, purpose=DIAGNOSTICS),
                "parent_versions": [(v, mine_running.get(v.pk)) for v in parent_versions],
                "parent_done": selectors.results_history(student=child, respondent_id=viewer.person_id),
            }
        )  # fmt: skip
    shown = [row["student"].person_id for row in rows if row["ground"]]
    if shown:
        personal_data_read_log(user=request.user, subject="результаты диагностики детей", channel="page", person_ids=shown)
    return render(
        request,
        "diagnostics/family.html",
        {"rows": rows, "breadcrumbs": _crumbs(("Диагностика", "")), "page_title": "Диагностика детей"},
    )


@login_required
def student_results(request: HttpRequest, pk: int) -> HttpResponse:
    """A student's results and their history, for whoever may see them (the student, the parent, the school's staff)."""
    viewer = viewer_for(request.user)
    student = get_object_or_404(students_visible(viewer).select_related("person", "current_class__school"), pk=pk)
    ground = policy.results_ground(viewer, student)
    if ground is None:
        raise Http404
    history = selectors.results_history(student=student)
    latest = selectors.latest_by_instrument(history)
    cards = []
    for attempt in latest:
        previous = selectors.previous_result(attempt)
        cards.append(presenting.result_card(attempt, reference=previous, chart_id=f"student-{attempt.pk}"))
    parent_view = selectors.parent_view_of(student=student) if policy.may_see_parent_view(viewer, student, ground) else None
    own = selectors.own_riasec(student=student) if parent_view is not None else None
    comparison = presenting.comparison(own, parent_view, reader=ground) if own is not None else None
    if ground != policy.SELF:
        personal_data_read_log(
            user=request.user, subject="результаты диагностики обучающегося", channel="page", person_id=student.person_id
        )
    crumbs = (
        [("Мои опросники", reverse("diagnostics:home")), ("История результатов", "")]
        if ground == policy.SELF
        else [("Диагностика", reverse("diagnostics:home")), (student.person.short_name, "")]
    )
    return render(
        request,
        "diagnostics/student.html",
        {
            "student": student, "ground": ground, "cards": cards, "history": history, "comparison": comparison,
            "parent_view": parent_view, "may_withdraw": policy.may_withdraw(viewer, student),
            "ticket": selectors.ticket_diagnostics_of(student=student),
            "guidance_url": guidance_url(student) if ground in {policy.SELF, policy.PARENT} and cards else "",
            "breadcrumbs": _crumbs(*crumbs), "page_title": f"Результаты диагностики: {student.person.short_name}",
        },
    )  # fmt: skip


# --- taking a test -----------------------------------------------------------------------------------------------------------


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Start or resume: an assignment of one's class, an instrument on one's own, or (a parent) the parent version."""
    viewer = viewer_for(request.user)
    assignment_id, version_id = _int(request.POST.get("assignment")), _int(request.POST.get("version"))
    student_id = _int(request.POST.get("student")) or viewer.own_student_id
    student = Student.objects.filter(pk=student_id).first() if student_id else None
    if student is None or (student.pk != viewer.own_student_id and student.pk not in viewer.child_student_ids):
        raise Http404
    assignment = version = None
    if assignment_id:
        from diagnostics.models import Assignment

        assignment = get_object_or_404(Assignment.objects.select_related("version__instrument"), pk=assignment_id)
    elif version_id:
        from diagnostics.models import InstrumentVersion

        version = get_object_or_404(InstrumentVersion.objects.select_related("instrument"), pk=version_id)
    else:
        messages.error(request, "Выберите опросник.")
        return redirect("diagnostics:home")
    try:
        attempt = services.attempt_start(user=request.user, student=student, version=version, assignment=assignment)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("diagnostics:home")
    return redirect("diagnostics:take", attempt.pk)


def _taker_attempt(request, pk: int) -> Attempt:
    viewer = viewer_for(request.user)
    attempt = get_object_or_404(Attempt.objects.select_related("version__instrument", "student__person", "assignment"), pk=pk)
    mine = attempt.student_id == viewer.own_student_id if attempt.respondent_id is None else attempt.respondent_id == viewer.person_id
    if not mine or (attempt.respondent_id is None and viewer.person_id is None):
        raise Http404
    return attempt


def _next_item(numbers: list[int], answered: set[int], after: int) -> int | None:
    """The first unanswered item after `after`, else the first unanswered one, else None."""
    for number in numbers:
        if number > after and number not in answered:
            return number
    return next((number for number in numbers if number not in answered), None)


@login_required
def take(request: HttpRequest, pk: int) -> HttpResponse:
    """One item at a time: GET shows the item waiting for an answer (or `?item=N`), POST saves the answer and goes on."""
    attempt = _taker_attempt(request, pk)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("diagnostics:result", attempt.pk)
    instrument = compiled(attempt.version)
    numbers = [item.number for item in instrument.items]
    error, status = "", 200
    if request.method == "POST":
        item_raw = request.POST.get("item", "")
        try:
            answer = services.answer_save(
                user=request.user, attempt=attempt, item_number=item_raw, option_key=request.POST.get("option", "")
            )
        except services.ForeignOption as refused:
            error, status = " ".join(refused.messages), 400
            current = _int(item_raw) if _int(item_raw) in numbers else None
        except ValidationError as refused:
            error = " ".join(refused.messages)
            current = _int(item_raw) if _int(item_raw) in numbers else None
        except PermissionDenied:
            raise Http404 from None
        else:
            answered = set(attempt.answers.values_list("item", flat=True))
            following = _next_item(numbers, answered, answer.item)
            url = reverse("diagnostics:take", args=[attempt.pk])
            return redirect(f"{url}?item={following}" if following else f"{url}?review=1")
    else:
        current = _int(request.GET.get("item", ""))
    answers = dict(attempt.answers.values_list("item", "option"))
    if current not in numbers:
        current = None if request.GET.get("review") else _next_item(numbers, set(answers), 0)
    if current is not None:
        services.attempt_shown(attempt=attempt)
    item = instrument.item(current) if current else None
    position = numbers.index(current) if current else len(numbers)
    return render(
        request,
        "diagnostics/take.html",
        {
            "attempt": attempt, "instrument": instrument, "item": item, "chosen": answers.get(current) if current else None,
            "answered": len(answers), "total": len(numbers), "missing": [n for n in numbers if n not in answers],
            "previous": numbers[position - 1] if position > 0 else None, "error": error,
            "percent": round(100 * len(answers) / len(numbers)) if numbers else 0,
            "breadcrumbs": _crumbs(("Мои опросники" if attempt.respondent_id is None else "Диагностика", reverse("diagnostics:home")),
                                   (instrument.short_title, "")),
            "page_title": f"{instrument.short_title}: вопрос {current} из {len(numbers)}" if current else instrument.short_title,
        },
        status=status,
    )  # fmt: skip


@login_required
@require_POST
def finish(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _taker_attempt(request, pk)
    try:
        attempt = services.attempt_finish(user=request.user, attempt=attempt)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('diagnostics:take', args=[attempt.pk])}?review=1")
    if attempt.low_confidence:
        messages.warning(
            request, "Опросник завершён, но ответы похожи на случайные: результат может быть неточным. Его можно пройти ещё раз."
        )
    else:
        messages.success(request, "Опросник завершён. Вот что получилось.")
    return redirect("diagnostics:result", attempt.pk)


@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    """A result: the chart of its scales, their bands, what it means and what it does not."""
    viewer = viewer_for(request.user)
    attempt = get_object_or_404(
        Attempt.objects.select_related("version__instrument", "student__person", "respondent", "assignment").exclude(
            status=Attempt.Status.IN_PROGRESS
        ),
        pk=pk,
    )
    student = attempt.student
    is_taker = attempt.student_id == viewer.own_student_id if attempt.respondent_id is None else attempt.respondent_id == viewer.person_id
    ground = policy.SELF if is_taker else policy.results_ground(viewer, student)
    if ground is None or (attempt.respondent_id and not is_taker and not policy.may_see_parent_view(viewer, student, ground)):
        raise Http404
    compared = None
    if attempt.respondent_id is None:
        reference, reference_label = selectors.previous_result(attempt), "в прошлый раз"
    else:
        # The parent's view beside the child's own answers, for whoever may see the child's results.
        child_ground = policy.results_ground(viewer, student)
        own = selectors.own_riasec(student=student) if policy.may_see_parent_view(viewer, student, child_ground) else None
        reference, reference_label = own, "по ответам обучающегося"
        if own is not None:
            compared = presenting.comparison(own, attempt, reader=child_ground)
    card = presenting.result_card(attempt, reference=reference, reference_label=reference_label)
    if not is_taker:
        personal_data_read_log(user=request.user, subject="результат диагностики", channel="page", person_id=student.person_id)
    may_retake = is_taker and attempt.status == Attempt.Status.FINISHED
    return render(
        request,
        "diagnostics/result.html",
        {
            "attempt": attempt, "card": card, "student": student, "is_taker": is_taker, "ground": ground, "may_retake": may_retake,
            "compared": compared,
            "may_withdraw": attempt.status == Attempt.Status.FINISHED and policy.may_withdraw(viewer, student),
            "guidance_url": guidance_url(student) if is_taker and attempt.respondent_id is None and not attempt.low_confidence else "",
            "breadcrumbs": _crumbs(
                ("Мои опросники" if ground == policy.SELF and attempt.respondent_id is None else "Диагностика", reverse("diagnostics:home")),
                *([] if ground == policy.SELF else [(student.person.short_name, reverse("diagnostics:student", args=[student.pk]))]),
                (card.instrument.short_title, ""),
            ),
            "page_title": f"Результат: {card.instrument.short_title}",
        },
    )  # fmt: skip


@login_required
@require_POST
def retake(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _taker_attempt(request, pk)
    try:
        again = services.attempt_retake(user=request.user, attempt=attempt)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("diagnostics:result", attempt.pk)
    return redirect("diagnostics:take", again.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    attempt = get_object_or_404(Attempt.objects.select_related("student"), pk=pk, student__in=students_visible(viewer))
    try:
        services.attempt_withdraw(user=request.user, attempt=attempt, reason=request.POST.get("reason", ""))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Результат отозван: он больше нигде не учитывается, зачтённые за него часы сняты.")
    return redirect("diagnostics:result", attempt.pk)


# --- assigning and following a class -------------------------------------------------------------------------------------


@login_required
def assignments(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    classes = policy.classes_assignable(viewer).select_related("school").order_by("school__name", "grade", "letter")
    if not classes.exists():
        raise Http404
    today = timezone.localdate()
    rows = selectors.assignment_rows(selectors.assignments_followed(viewer=viewer))
    current = [row for row in rows if row.assignment.closes_on >= today]
    past = [row for row in rows if row.assignment.closes_on < today]
    assigned_classes = {row.assignment.school_class_id for row in current}
    return render(
        request,
        "diagnostics/assignments.html",
        {
            "current": current, "past": past[:50], "past_count": len(past), "today": today,
            "without": [c for c in classes if c.pk not in assigned_classes][:60],
            "breadcrumbs": _crumbs(("Диагностика", "")), "page_title": "Диагностика классов",
        },
    )  # fmt: skip


@login_required
def assignment_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    classes = policy.classes_assignable(viewer).select_related("school").order_by("school__name", "grade", "letter")
    if not classes.exists():
        raise Http404
    versions = selectors.versions_offered(audience=Instrument.Audience.STUDENT)
    today = timezone.localdate()
    initial = {"opens_on": today, "closes_on": today + datetime.timedelta(days=14)}
    if (class_id := _int(request.GET.get("class", ""))) and classes.filter(pk=class_id).exists():
        initial["school_class"] = class_id
    form = AssignmentForm(request.POST or None, classes=classes, versions=versions, initial=initial)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.assignment_create(
                user=request.user, school_class=data["school_class"], version=data["version"], opens_on=data["opens_on"],
                closes_on=data["closes_on"],
            )  # fmt: skip
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            errors = errors_of(error, form)
        else:
            messages.success(
                request,
                f"«{assignment.version.instrument.title}» назначена {assignment.school_class} классу. Обучающимся отправлены уведомления.",
            )
            return redirect("diagnostics:assignment", assignment.pk)
    return render(
        request,
        "diagnostics/assignment_form.html",
        {
            "form": form, "errors": errors, "versions": versions,
            "breadcrumbs": _crumbs(("Диагностика", reverse("diagnostics:assignments")), ("Назначить опросник", "")),
            "page_title": "Назначить опросник",
        },
    )  # fmt: skip


@login_required
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has finished, where each student stands, their results (for the psychologist and the navigator) and the
    class summary."""
    viewer = viewer_for(request.user)
    item = selectors.assignment_get(viewer=viewer, pk=pk)
    rows = selectors.assignment_students(viewer=viewer, assignment=item)
    instrument = compiled(item.version)
    finished = [row for row in rows if row.state == "done"]
    sees_all = all(row.sees_result for row in rows) if rows else False
    dist = presenting.distribution(
        instrument, [row.attempt.normalised for row in finished], min_group=None if sees_all else policy.MIN_GROUP
    )
    charts = []
    if dist.count and not dist.hidden:
        charts = [
            presenting.distribution_chart(dist, chart_id=f"assignment-{item.pk}-leading", title="Ведущая шкала: доля класса"),
            presenting.means_chart(dist, chart_id=f"assignment-{item.pk}-means", title="Средний балл класса"),
        ]
    shown = [row.student.person_id for row in rows if row.sees_result and row.attempt is not None]
    if shown:
        personal_data_read_log(user=request.user, subject="результаты диагностики класса", channel="page", person_ids=shown)
    card_of = {
        row.student.pk: presenting.result_card(row.attempt, chart_id=f"r{row.attempt.pk}")
        for row in finished + [r for r in rows if r.state == "low"]
        if row.sees_result
    }
    return render(
        request,
        "diagnostics/assignment.html",
        {
            "item": item, "instrument": instrument, "rows": rows, "dist": dist, "charts": charts, "card_of": card_of,
            "counts": {state: sum(1 for row in rows if row.state == state) for state in ("none", "running", "done", "low")},
            "refused": sum(1 for row in rows if row.consent == Answer.NO), "asked": sum(1 for row in rows if row.consent == Answer.ASK),
            "min_group": policy.MIN_GROUP, "today": timezone.localdate(),
            "breadcrumbs": _crumbs(("Диагностика", reverse("diagnostics:assignments")), (f"{item.school_class}: {instrument.short_title}", "")),
            "page_title": f"{instrument.short_title}, {item.school_class}",
        },
    )  # fmt: skip


@login_required
def class_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The class's latest reliable results of each profile: its distribution and, for those who may, each student."""
    viewer = viewer_for(request.user)
    school_class = get_object_or_404(policy.classes_followed(viewer).select_related("school"), pk=pk)
    results = selectors.class_results(viewer=viewer, school_class=school_class)
    size = Student.objects.filter(current_class=school_class).count()
    sees_all = len(results) == size and size > 0
    sections = []
    for profile in selectors.SUMMARY_PROFILES:
        version = selectors.profile_instrument(profile)
        if version is None:
            continue
        instrument = compiled(version)
        if sees_all or results:
            normalised = [r.attempts[profile].normalised for r in results if profile in r.attempts]
        else:
            normalised = list(
                selectors.latest_reliable(students=Student.objects.filter(current_class=school_class), profile=profile).values()
            )
        dist = presenting.distribution(instrument, normalised, min_group=None if results else policy.MIN_GROUP)
        sections.append(
            {
                "profile": profile, "instrument": instrument, "dist": dist,
                "charts": [] if dist.hidden or not dist.count else [
                    presenting.distribution_chart(dist, chart_id=f"class-{profile}-leading", title=f"{instrument.short_title}: ведущая шкала"),
                    presenting.means_chart(dist, chart_id=f"class-{profile}-means", title=f"{instrument.short_title}: средний балл"),
                ],
            }
        )  # fmt: skip
    if results:
        personal_data_read_log(
            user=request.user, subject="результаты диагностики класса", channel="page", person_ids=[r.student.person_id for r in results]
        )
    assignments_here = selectors.assignment_rows(selectors.assignments_followed(viewer=viewer).filter(school_class=school_class))
    return render(
        request,
        "diagnostics/class.html",
        {
            "school_class": school_class, "results": results, "sections": sections, "size": size, "assignments": assignments_here,
            "min_group": policy.MIN_GROUP, "code_ru": selectors.code_ru,
            "breadcrumbs": _crumbs(("Диагностика", reverse("diagnostics:assignments")), (f"{school_class}", "")),
            "page_title": f"Диагностика: {school_class}",
        },
    )  # fmt: skip


# --- a territory's aggregates --------------------------------------------------------------------------------------------


@login_required
def summary(request: HttpRequest) -> HttpResponse:
    """Aggregates only: the republic by municipality, a municipality by school, a school by class; no group under 10."""
    viewer = viewer_for(request.user)
    profile = request.GET.get("profile", "riasec")
    if profile not in selectors.SUMMARY_PROFILES:
        profile = "riasec"
    municipality = school = None
    if (school_id := _int(request.GET.get("school", ""))) is not None:
        school = get_object_or_404(schools_visible(viewer), pk=school_id)
    elif (municipality_id := _int(request.GET.get("municipality", ""))) is not None:
        municipality = get_object_or_404(municipalities_visible(viewer), pk=municipality_id)
    elif not viewer.is_republic:
        if (pk := home_municipality_id(viewer)) is not None:
            municipality = get_object_or_404(municipalities_visible(viewer), pk=pk)
        elif (pk := home_school_id(viewer)) is not None:
            school = get_object_or_404(schools_visible(viewer), pk=pk)
        else:
            raise Http404
    version = selectors.profile_instrument(profile)
    if version is None:
        raise Http404
    instrument = compiled(version)
    level, rows = selectors.territory_rows(viewer=viewer, profile=profile, municipality=municipality, school=school)
    table = [(row, presenting.distribution(instrument, row.results)) for row in rows]
    everyone = [normalised for row in rows for normalised in row.results]
    total = presenting.distribution(instrument, everyone)
    charts = []
    if total.count and not total.hidden:
        charts = [
            presenting.distribution_chart(total, chart_id="summary-leading", title=f"{instrument.short_title}: ведущая шкала"),
            presenting.means_chart(total, chart_id="summary-means", title=f"{instrument.short_title}: средний балл"),
        ]
    scope = school.short_name if school else municipality.name if municipality else "Республика Северная Осетия-Алания"
    crumbs = [("Диагностика: сводка", reverse("diagnostics:summary") if (school or municipality) and viewer.is_republic else "")]
    if school is not None and school.municipality_id and municipalities_visible(viewer).filter(pk=school.municipality_id).exists():
        crumbs.append(
            (school.municipality.name, f"{reverse('diagnostics:summary')}?municipality={school.municipality_id}&profile={profile}")
        )
    if school or municipality:
        crumbs.append((scope, ""))
    return render(
        request,
        "diagnostics/summary.html",
        {
            "level": level, "table": table, "total": total, "charts": charts, "scope": scope, "instrument": instrument, "profile": profile,
            "profiles": [(p, compiled(v).short_title) for p in selectors.SUMMARY_PROFILES if (v := selectors.profile_instrument(p))],
            "students": sum(row.students for row in rows), "min_group": policy.MIN_GROUP,
            "query": f"school={school.pk}&" if school else f"municipality={municipality.pk}&" if municipality else "",
            "breadcrumbs": _crumbs(*crumbs), "page_title": f"Диагностика: {scope}",
        },
    )  # fmt: skip


# --- instruments ------------------------------------------------------------------------------------------------------------


@login_required
def instruments(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not policy.may_see_instruments(viewer):
        raise Http404
    return render(
        request,
        "diagnostics/instruments.html",
        {
            "versions": selectors.instrument_versions(), "may_upload": policy.may_upload(viewer), "min_respondents": MIN_RESPONDENTS,
            "breadcrumbs": _crumbs(("Методики диагностики", "")), "page_title": "Методики диагностики",
        },
    )  # fmt: skip


@login_required
def instrument(request: HttpRequest, pk: int) -> HttpResponse:
    """A version: what it is, its scales and bands, its items, and its quality from the answers collected."""
    viewer = viewer_for(request.user)
    if not policy.may_see_instruments(viewer):
        raise Http404
    version = selectors.version_get(pk=pk)
    report = getattr(version, "quality", None)
    quality = quality_from_report(report.figures) if report is not None else None
    item_r = {}
    if quality is not None:
        for scale in quality.scales:
            for number, r in scale.item_total:
                item_r[number] = (scale.code, r)
    hexagon_rows = []
    if quality is not None and quality.hexagon is not None:
        letters = "RIASEC"
        hexagon_rows = [(selectors.code_ru(letters[i]), row) for i, row in enumerate(quality.hexagon.matrix)]
    return render(
        request,
        "diagnostics/instrument.html",
        {
            "version": version, "instrument": compiled(version), "report": report, "quality": quality, "item_r": item_r,
            "hexagon_rows": hexagon_rows, "letters": [selectors.code_ru(c) for c in "RIASEC"], "pilot_alpha": PILOT_ALPHA,
            "min_respondents": MIN_RESPONDENTS, "may_upload": policy.may_upload(viewer),
            "others": version.instrument.versions.exclude(pk=version.pk).order_by("-published_at"),
            "breadcrumbs": _crumbs(("Методики диагностики", reverse("diagnostics:instruments")), (version.instrument.title, "")),
            "page_title": version.instrument.title,
        },
    )  # fmt: skip


@login_required
def instrument_upload(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not policy.may_upload(viewer):
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = services.instrument_upload(
                user=request.user, raw=upload.read(services.MAX_FILE_BYTES + 1), licence_note=form.cleaned_data["licence_note"],
                licence_confirmed=form.cleaned_data["licence_confirmed"],
            )  # fmt: skip
        except ValidationError as error:
            errors = errors_of(error, form)
        else:
            messages.success(request, f"Методика «{version.instrument.title}», версия {version.version}, опубликована.")
            return redirect("diagnostics:instrument", version.pk)
    return render(
        request,
        "diagnostics/instrument_upload.html",
        {
            "form": form, "errors": errors, "status": 400 if errors else 200,
            "breadcrumbs": _crumbs(("Методики диагностики", reverse("diagnostics:instruments")), ("Загрузить методику", "")),
            "page_title": "Загрузить методику",
        },
        status=400 if errors or form.errors else 200,
    )  # fmt: skip


@login_required
@require_POST
def instrument_active(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    version = selectors.version_get(pk=pk)
    if not policy.may_upload(viewer):
        raise Http404
    active = request.POST.get("active") == "1"
    services.instrument_set_active(user=request.user, instrument=version.instrument, active=active)
    messages.success(
        request,
        f"«{version.instrument.title}» {'снова предлагается для назначения' if active else 'больше не предлагается для новых назначений'}.",
    )
    return redirect("diagnostics:instrument", version.pk)
