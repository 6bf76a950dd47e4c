"""The personal-data pages: the family's own page (what is held, who read it, consents, requests), a consent's text
and decision, the school's page of a student's consents, the operator's queue of requests with acts of destruction,
breaches and retention. Thin: parse, call a service or a selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from access.policy import viewer_for
from access.services import personal_data_read_log
from core.formatting import count_text, date_text
from people.models import ParentLink
from privacy import selectors, services
from privacy.export import PdfUnavailable, act_pdf
from privacy.forms import (
    BreachForm,
    ConsentDecisionForm,
    PaperConsentForm,
    ParentConfirmForm,
    RefuseForm,
    form_error_lines,
    validation_lines,
)
from privacy.models import SubjectRequest
from privacy.policy import STUDENT, acting_party, family_party, may_operate
from privacy.record import student_record_json, student_record_pdf
from privacy.retention import retention_plan, retention_run
from privacy.services import DEADLINES

PAGE_SIZE = 50


def _int(value, default: int = 1) -> int:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 9 else default


def _crumbs_family(student=None, *, extra: str = "") -> list[dict]:
    crumbs = [{"label": "Персональные данные", "url": reverse("privacy:home")}]
    if student is not None:
        crumbs.append({"label": student.person.short_name, "url": reverse("privacy:student", args=[student.pk]) if extra else ""})
    if extra:
        crumbs.append({"label": extra})
    return crumbs


# --- the family's own pages ----------------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The family's entry: the one student's page, or a choice of children. The operator goes to the queue."""
    viewer = viewer_for(request.user)
    students = selectors.family_students(viewer=viewer)
    if not students:
        if may_operate(viewer):
            return redirect("privacy:queue")
        raise Http404
    if len(students) == 1:
        return redirect("privacy:student", students[0].pk)
    return render(request, "privacy/family_home.html", {"students": students, "breadcrumbs": [{"label": "Персональные данные"}]})


@login_required
def student_page(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    student = selectors.family_student_get(viewer=viewer, pk=pk)
    personal_data_read_log(
        user=request.user, subject="свои персональные данные (страница семьи)", channel="page", person_id=student.person_id
    )
    today = timezone.localdate()
    party = family_party(viewer, student)
    acting = acting_party(viewer, student, today=today)
    return render(
        request,
        "privacy/student.html",
        {
            "student": student,
            "own": party == STUDENT,
            "acting": acting,
            "refusal": services.decide_refusal(viewer, student, today=today),
            "request_refusal": services.decide_refusal(viewer, student, today=today, about="request"),
            "sections": selectors.held_sections(student=student),
            "readers": selectors.readers_summary(student),
            "consents": selectors.consent_rows(viewer=viewer, student=student, today=today),
            "requests": selectors.family_requests(student=student, today=today),
            "deadlines": {kind: text for kind, (_, _, text) in DEADLINES.items()},
            "breadcrumbs": _crumbs_family(student),
            "page_title": f"Персональные данные: {student.person.short_name}",
        },
    )


@login_required
def consent(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A consent's text, where it stands, and the viewer's decision on it."""
    viewer = viewer_for(request.user)
    student = selectors.family_student_get(viewer=viewer, pk=pk)
    kind = selectors.consent_kind_get(code=code)
    rows = {row.kind.code: row for row in selectors.consent_rows(viewer=viewer, student=student)}
    row = rows.get(kind.code)
    if row is None:
        raise Http404
    errors: list[str] = []
    form = ConsentDecisionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.consent_decide(
                    user=request.user, student=student, kind_code=kind.code, decision=form.cleaned_data["decision"],
                    has_read=form.cleaned_data["has_read"],
                )  # fmt: skip
            except ValidationError as error:
                errors = validation_lines(error)
            else:
                given = form.cleaned_data["decision"] == "given"
                messages.success(request, f"Согласие «{kind.title}» {'дано' if given else 'отозвано'}.")
                return redirect(f"{reverse('privacy:student', args=[student.pk])}#consent-{kind.code}")
        else:
            errors = form_error_lines(form)
    return render(
        request,
        "privacy/consent.html",
        {
            "student": student,
            "row": row,
            "kind": kind,
            "form": form,
            "errors": errors,
            "refusal": services.decide_refusal(viewer, student, today=timezone.localdate()),
            "breadcrumbs": _crumbs_family(student, extra=kind.title),
            "page_title": kind.title,
        },
        status=400 if errors else 200,
    )


@login_required
def request_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Ask for an export (a POST from the family's page) or for erasure (confirmed on this page first)."""
    viewer = viewer_for(request.user)
    student = selectors.family_student_get(viewer=viewer, pk=pk)
    if kind not in SubjectRequest.Kind.values:
        raise Http404
    errors: list[str] = []
    if request.method == "GET" and kind == SubjectRequest.Kind.ERASURE:
        personal_data_read_log(user=request.user, subject="что будет удалено (страница семьи)", channel="page", person_id=student.person_id)
    if request.method == "POST":
        if kind == SubjectRequest.Kind.ERASURE and request.POST.get("confirm") != "yes":
            errors = ["«Подтверждение»: отметьте, что понимаете: удалённые данные не восстановить."]
        else:
            try:
                subject_request, created = services.request_create(user=request.user, student=student, kind=kind)
            except ValidationError as error:
                errors = validation_lines(error)
            else:
                what = subject_request.get_kind_display()
                if created:
                    messages.success(
                        request, f"Запрос № {subject_request.pk} ({what}) принят. Срок исполнения — {date_text(subject_request.deadline)}."
                    )
                else:
                    messages.info(
                        request,
                        f"Запрос ({what}) уже принят {date_text(subject_request.received_at)}; срок — {date_text(subject_request.deadline)}.",
                    )
                return redirect(f"{reverse('privacy:student', args=[student.pk])}#requests")
    return render(
        request,
        "privacy/request_new.html",
        {
            "student": student,
            "kind": kind,
            "kind_label": SubjectRequest.Kind(kind).label,
            "deadline_text": DEADLINES[kind][2],
            "sections": selectors.held_sections(student=student) if kind == SubjectRequest.Kind.ERASURE else [],
            "errors": errors,
            "refusal": services.decide_refusal(viewer, student, today=timezone.localdate(), about="request"),
            "breadcrumbs": _crumbs_family(student, extra=SubjectRequest.Kind(kind).label.capitalize()),
            "page_title": SubjectRequest.Kind(kind).label.capitalize(),
        },
        status=400 if errors else 200,
    )


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    viewer = viewer_for(request.user)
    subject_request = selectors.download_request_get(viewer=viewer, pk=pk)
    services.export_downloaded(user=request.user, request=subject_request)
    return FileResponse(subject_request.export_file.open("rb"), as_attachment=True, filename=f"personalnye-dannye-{subject_request.pk}.zip")


# --- the student's record ---------------------------------------------------------------------------------------------------

RECORD_FORMATS = {"pdf": ("application/pdf", student_record_pdf), "json": ("application/json; charset=utf-8", student_record_json)}


@login_required
def record(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """«Выгрузить карточку обучающегося»: hours, diagnostics results and trajectory as PDF or JSON."""
    if fmt not in RECORD_FORMATS:
        raise Http404
    viewer = viewer_for(request.user)
    student = selectors.record_student_get(viewer=viewer, pk=pk)
    content_type, build = RECORD_FORMATS[fmt]
    try:
        content = build(student=student, viewer=viewer)
    except PdfUnavailable as error:
        messages.error(request, str(error))
        return redirect("directory:student_detail", student.pk)
    personal_data_read_log(
        user=request.user, subject=f"карточка обучающегося ({fmt.upper()})", channel="export", person_id=student.person_id
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="kartochka-{student.pk}.{fmt}"'
    return response


# --- the school's page of a student's consents -------------------------------------------------------------------------------


@login_required
def staff_student(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    student = selectors.staff_student_get(viewer=viewer, pk=pk)
    parents = selectors.parent_rows(student=student)
    paper_form = PaperConsentForm(parents=parents)
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in {"confirm", "unconfirm"}:
            link = get_object_or_404(ParentLink, pk=_int(request.POST.get("link"), 0), student=student)
            if action == "confirm":
                confirm_form = ParentConfirmForm(request.POST)
                if confirm_form.is_valid():
                    services.parent_link_confirm(user=request.user, link=link, basis=confirm_form.cleaned_data["basis"])
                    messages.success(request, f"{link.parent.full_name}: подтверждено, что это {link.get_kind_display()}.")
                    return redirect("privacy:staff_student", student.pk)
                errors = form_error_lines(confirm_form)
            else:
                services.parent_link_unconfirm(user=request.user, link=link)
                messages.info(request, f"{link.parent.full_name}: подтверждение снято.")
                return redirect("privacy:staff_student", student.pk)
        elif action == "paper":
            paper_form = PaperConsentForm(request.POST, request.FILES, parents=parents)
            if paper_form.is_valid():
                data = paper_form.cleaned_data
                try:
                    record = services.consent_paper_record(
                        user=request.user, student=student, kind_code=data["kind"].code, party=data["party"], decision=data["decision"],
                        signed_on=data["signed_on"], file=data["file"], parent_link_id=data["parent_link"],
                    )  # fmt: skip
                except ValidationError as error:
                    errors = validation_lines(error, paper_form)
                else:
                    messages.success(
                        request, f"Записано: «{record.kind.title}» — {record.get_decision_display()} ({record.get_party_display()})."
                    )
                    return redirect("privacy:staff_student", student.pk)
            else:
                errors = form_error_lines(paper_form)
        else:
            errors = ["Непонятно, что сделать: обновите страницу и попробуйте ещё раз."]
    personal_data_read_log(user=request.user, subject="согласия обучающегося (страница школы)", channel="page", person_id=student.person_id)
    return render(
        request,
        "privacy/staff_student.html",
        {
            "student": student,
            "consents": selectors.consent_rows(viewer=viewer, student=student),
            "parents": parents,
            "confirm_form": ParentConfirmForm(),
            "paper_form": paper_form,
            "errors": errors,
            "breadcrumbs": [
                {"label": student.person.short_name, "url": reverse("directory:student_detail", args=[student.pk])},
                {"label": "Согласия"},
            ],
            "page_title": f"Согласия: {student.person.short_name}",
        },
        status=400 if errors else 200,
    )


# --- the operator: requests, acts ----------------------------------------------------------------------------------------------


def _operator(request: HttpRequest):
    viewer = viewer_for(request.user)
    if not may_operate(viewer):
        raise Http404
    return viewer


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    viewer = _operator(request)
    show = "closed" if request.GET.get("show") == "closed" else "open"
    rows = selectors.request_queue(viewer=viewer, show=show)
    personal_data_read_log(
        user=request.user, subject="очередь запросов о персональных данных", channel="page",
        person_ids=[row.request.student.person_id for row in rows],
    )  # fmt: skip
    return render(
        request,
        "privacy/queue.html",
        {
            "rows": rows,
            "show": show,
            "count_text": count_text(len(rows), "запрос", "запроса", "запросов"),
            "breadcrumbs": [{"label": "Запросы о персональных данных"}],
        },
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _operator(request)
    subject_request = selectors.operator_request_get(viewer=viewer, pk=pk)
    refuse_form = RefuseForm()
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "build" and subject_request.kind == SubjectRequest.Kind.EXPORT:
                services.export_build(request_id=subject_request.pk, by=request.user)
                messages.success(request, f"Выгрузка по запросу № {subject_request.pk} сформирована: семья может её скачать.")
                return redirect("privacy:request", subject_request.pk)
            if action == "erase" and subject_request.kind == SubjectRequest.Kind.ERASURE:
                if request.POST.get("confirm") != "yes":
                    raise ValidationError("«Подтверждение»: отметьте, что проверили: закон не требует хранить эти данные дальше.")
                act = services.erasure_execute(user=request.user, request=subject_request)
                messages.success(request, f"Данные уничтожены. Составлен акт № {act.pk}.")
                return redirect("privacy:act", act.pk)
            if action == "refuse":
                refuse_form = RefuseForm(request.POST)
                if refuse_form.is_valid():
                    services.request_refuse(user=request.user, request=subject_request, reason=refuse_form.cleaned_data["reason"])
                    messages.info(request, f"Запрос № {subject_request.pk} отклонён.")
                    return redirect("privacy:queue")
                errors = form_error_lines(refuse_form)
            elif not errors:
                errors = ["Непонятно, что сделать: обновите страницу и попробуйте ещё раз."]
        except ValidationError as error:
            errors = validation_lines(error, refuse_form)
        except PdfUnavailable as error:
            errors = [str(error)]
        subject_request.refresh_from_db()
    today = timezone.localdate()
    row = selectors.RequestRow(
        subject_request, selectors.working_days_between(today, subject_request.deadline) if subject_request.is_open else None
    )
    personal_data_read_log(
        user=request.user,
        subject=f"запрос о персональных данных № {subject_request.pk}",
        channel="page",
        person_id=subject_request.student.person_id,
    )
    act = getattr(subject_request, "act", None) if subject_request.kind == SubjectRequest.Kind.ERASURE else None
    return render(
        request,
        "privacy/request_detail.html",
        {
            "row": row,
            "req": subject_request,
            "student": subject_request.student,
            "sections": selectors.held_sections(student=subject_request.student) if subject_request.is_open else [],
            "refuse_form": refuse_form,
            "errors": errors,
            "act": act,
            "deadline_text": DEADLINES[subject_request.kind][2],
            "breadcrumbs": [
                {"label": "Запросы о персональных данных", "url": reverse("privacy:queue")},
                {"label": f"Запрос № {subject_request.pk}"},
            ],
            "page_title": f"Запрос № {subject_request.pk}",
        },
        status=400 if errors else 200,
    )


@login_required
def act(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _operator(request)
    destruction = selectors.act_get(viewer=viewer, pk=pk)
    if request.GET.get("format") == "pdf":
        try:
            pdf = act_pdf(destruction)
        except PdfUnavailable as error:
            messages.error(request, str(error))
            return redirect("privacy:act", destruction.pk)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="akt-unichtozheniya-{destruction.pk}.pdf"'
        return response
    context = selectors.act_context(destruction)
    context.update(
        breadcrumbs=[{"label": "Запросы о персональных данных", "url": reverse("privacy:queue")}, {"label": f"Акт № {destruction.pk}"}],
        page_title=f"Акт об уничтожении № {destruction.pk}",
    )
    return render(request, "privacy/act.html", context)


# --- breaches ----------------------------------------------------------------------------------------------------------------------


@login_required
def breaches(request: HttpRequest) -> HttpResponse:
    viewer = _operator(request)
    form = BreachForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                breach = services.breach_register(
                    user=request.user, detected_at=data["detected_at"], description=data["description"], scope=data["scope"],
                    window_start=data["window_start"], window_end=data["window_end"], scope_user=data.get("scope_user"),
                    scope_organization=data.get("scope_organization"), scope_role=data.get("scope_role") or "",
                )  # fmt: skip
            except ValidationError as error:
                errors = validation_lines(error, form)
            else:
                messages.warning(request, f"Инцидент № {breach.pk} зарегистрирован. Сроки: 24 и 72 часа с момента обнаружения.")
                return redirect("privacy:breach", breach.pk)
        else:
            errors = form_error_lines(form)
    items = [
        (breach, selectors.breach_deadlines(breach), selectors.breach_scope_text(breach)) for breach in selectors.breach_list(viewer=viewer)
    ]
    return render(
        request,
        "privacy/breaches.html",
        {"items": items, "form": form, "errors": errors, "breadcrumbs": [{"label": "Инциденты с персональными данными"}]},
        status=400 if errors else 200,
    )


@login_required
def breach(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _operator(request)
    item = selectors.breach_get(viewer=viewer, pk=pk)
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step in {"notified", "reported"}:
            services.breach_mark(user=request.user, breach=item, step=step)
            messages.success(request, "Отмечено.")
        return redirect("privacy:breach", item.pk)
    affected = selectors.breach_affected(breach=item, page=_int(request.GET.get("page")), per_page=PAGE_SIZE)
    personal_data_read_log(
        user=request.user,
        subject=f"затронутые инцидентом № {item.pk}",
        channel="page",
        person_ids=[row["person_id"] for row in affected.rows],
    )
    return render(
        request,
        "privacy/breach.html",
        {
            "breach": item,
            "deadlines": selectors.breach_deadlines(item),
            "scope_text": selectors.breach_scope_text(item),
            "affected": affected,
            "breadcrumbs": [{"label": "Инциденты", "url": reverse("privacy:breaches")}, {"label": f"Инцидент № {item.pk}"}],
            "page_title": f"Инцидент № {item.pk}",
        },
    )


# --- retention ----------------------------------------------------------------------------------------------------------------------


@login_required
def retention(request: HttpRequest) -> HttpResponse:
    _operator(request)
    if request.method == "POST":
        lines = retention_run()
        total = sum(line.count for line in lines)
        messages.success(request, f"Удалено или обезличено записей: {total}.")
        return redirect("privacy:retention")
    return render(
        request,
        "privacy/retention.html",
        {"lines": retention_plan(limit=10), "breadcrumbs": [{"label": "Сроки хранения"}]},
    )


# --- the school's consents --------------------------------------------------------------------------------------------------


@login_required
def school(request: HttpRequest, pk: int) -> HttpResponse:
    from orgs.models import SchoolClass
    from orgs.selectors import school_year_current

    viewer = viewer_for(request.user)
    item = selectors.school_get(viewer=viewer, pk=pk)
    year = school_year_current()
    classes = list(SchoolClass.objects.filter(school=item, school_year=year).order_by("grade", "letter")) if year else []
    class_id = _int(request.GET.get("class"), 0)
    if class_id not in {c.pk for c in classes}:
        class_id = 0
    unconfirmed = request.GET.get("unconfirmed") == "1"
    data = selectors.school_consents(
        school=item, class_id=class_id or None, unconfirmed=unconfirmed, page=_int(request.GET.get("page")), per_page=PAGE_SIZE
    )
    personal_data_read_log(
        user=request.user, subject="согласия обучающихся школы", channel="page", person_ids=[row.student.person_id for row in data.rows]
    )
    keep = f"class={class_id}&" if class_id else ""
    keep += "unconfirmed=1&" if unconfirmed else ""
    return render(
        request,
        "privacy/school.html",
        {
            "school": item,
            "classes": classes,
            "class_id": class_id,
            "unconfirmed": unconfirmed,
            "data": data,
            "keep": keep,
            "count_text": count_text(data.total, "обучающийся", "обучающихся", "обучающихся"),
            "breadcrumbs": [
                {"label": item.short_name, "url": reverse("directory:organization_detail", args=[item.pk])},
                {"label": "Согласия"},
            ],
            "page_title": f"Согласия: {item.short_name}",
        },
    )
