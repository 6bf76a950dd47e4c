"""Signing up: a student for themself, a parent for a parent meeting, a teacher for a group of their class; the
student's places with the ticket (QR code and short code) for the door; taking a place offered from the waiting
list; cancelling; feedback after the visit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from access.policy import viewer_for
from access.services import personal_data_read_log
from core.formatting import count_text, datetime_text
from events.forms import FeedbackForm, form_errors
from events.models import Registration
from events.policy import group_classes, may_cancel, may_sign_up_self
from events.selectors import my_registrations, offer_get, own_registration_get, position_in_line, registration_get
from events.services import feedback_leave, group_signup, registration_accept, registration_cancel, registration_create
from events.tickets import TICKET_TTL, check_in_url, ticket_qr_svg, ticket_token
from people.models import Person, Student
from privacy.policy import EXCURSIONS, Answer, may_process_many

STATUS = Registration.Status


def _refusal(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def signup_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    offer = offer_get(viewer=viewer, pk=pk)
    if not may_sign_up_self(viewer, offer):
        messages.error(request, "Записаться сами могут обучающиеся; на родительское собрание — родители.")
        return redirect("events:offer", pk=offer.pk)
    try:
        if offer.for_parents:
            result = registration_create(offer=offer, parent=Person.objects.get(pk=viewer.person_id), by=request.user)
        else:
            result = registration_create(offer=offer, student=Student.objects.get(pk=viewer.own_student_id), by=request.user)
    except ValidationError as error:
        _refusal(request, error)
        return redirect("events:offer", pk=offer.pk)
    if result.registration.status == STATUS.CONFIRMED:
        messages.success(request, "Вы записаны, место подтверждено. Код для входа — в разделе «Мои записи».")
    else:
        messages.warning(
            request, f"Мест нет: вы в листе ожидания, {result.position}-й по очереди. Если место освободится, придёт уведомление."
        )
    return redirect("events:my")


@login_required
def group_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A teacher picks one of their classes and its students; up to the free places are confirmed, the rest wait."""
    viewer = viewer_for(request.user)
    offer = offer_get(viewer=viewer, pk=pk)
    classes = list(group_classes(viewer, offer))
    if not classes or offer.for_parents:
        raise Http404
    raw = request.POST.get("class") or request.GET.get("class") or ""
    school_class = next((c for c in classes if raw.isdigit() and c.pk == int(raw)), classes[0] if len(classes) == 1 else None)
    students = (
        list(
            Student.objects.filter(current_class=school_class)
            .select_related("person")
            .order_by("person__last_name", "person__first_name", "pk")
        )
        if school_class
        else []
    )
    result, errors = None, []
    if request.method == "POST" and school_class is not None:
        ids = [int(v) for v in request.POST.getlist("students") if v.isdigit() and len(v) < 19]
        try:
            result = group_signup(offer=offer, school_class=school_class, student_ids=ids, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                f"Записано: подтверждено {count_text(len(result.confirmed), 'место', 'места', 'мест')}, "
                f"в листе ожидания {count_text(len(result.waiting), 'обучающийся', 'обучающихся', 'обучающихся')}.",
            )
    if students:
        personal_data_read_log(
            user=request.user,
            subject=f"запись класса {school_class} на «{offer.title}»",
            channel="web",
            person_ids=[s.person_id for s in students],
        )
    consent = may_process_many(student_ids=[s.pk for s in students], purpose=EXCURSIONS) if offer.is_excursion and students else {}
    offer.refresh_from_db(fields=["taken"])
    signed = {}
    if school_class is not None:
        for registration in Registration.objects.filter(offer=offer, student__in=students, status__in=("confirmed", "waiting", "offered")):
            signed[registration.student_id] = registration
    rows = [
        {"student": s, "registration": signed.get(s.pk), "consent": consent.get(s.pk), "no_consent": consent.get(s.pk) == Answer.NO}
        for s in students
    ]
    return render(
        request,
        "events/group.html",
        {
            "offer": offer, "classes": classes, "school_class": school_class, "rows": rows, "result": result, "errors": errors,
            "page_title": f"Записать класс: {offer.title}",
            "breadcrumbs": [{"label": "Мероприятия", "url": reverse("events:catalogue")}, {"label": offer.title, "url": reverse("events:offer", args=[offer.pk])}, {"label": "Записать класс"}],
        },
    )  # fmt: skip


@login_required
def my_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    registrations = my_registrations(viewer=viewer)
    now = timezone.now()
    children = [r.student for r in registrations if r.student_id and r.student_id != viewer.own_student_id]
    if children:
        personal_data_read_log(
            user=request.user, subject="записи детей на мероприятия", channel="web", person_ids=[s.person_id for s in children]
        )
    consent = {}
    excursion_students = [r.student_id for r in registrations if r.student_id and r.offer.is_excursion and r.is_active]
    if excursion_students:
        consent = may_process_many(student_ids=excursion_students, purpose=EXCURSIONS)
    rows = []
    for registration in registrations:
        rows.append(
            {
                "r": registration, "own": registration.student_id == viewer.own_student_id or registration.parent_id == viewer.person_id,
                "upcoming": registration.offer.ends_at >= now, "position": position_in_line(registration),
                "needs_consent": consent.get(registration.student_id) in (Answer.ASK, Answer.NO),
                "may_feedback": registration.attended is True and registration.student_id == viewer.own_student_id,
            }
        )  # fmt: skip
    upcoming = [row for row in rows if row["upcoming"] and row["r"].is_active]
    past = [row for row in rows if row not in upcoming]
    return render(
        request,
        "events/my.html",
        {"upcoming": upcoming, "past": past, "page_title": "Мои записи", "breadcrumbs": [{"label": "Мои записи"}]},
    )


@login_required
def ticket_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The code the student shows at the door: a QR code of a fresh signed token and the short code."""
    viewer = viewer_for(request.user)
    registration = own_registration_get(viewer=viewer, pk=pk)
    if registration.status != STATUS.CONFIRMED:
        messages.info(request, "Код для входа появится, когда место будет подтверждено.")
        return redirect("events:my")
    token = ticket_token(registration)
    url = request.build_absolute_uri(check_in_url(registration, token))
    return render(
        request,
        "events/ticket.html",
        {
            "r": registration, "offer": registration.offer, "qr": ticket_qr_svg(url, title=f"QR-код для входа: {registration.offer.title}"),
            "valid_until": datetime_text(timezone.now() + TICKET_TTL), "page_title": "Код для входа",
            "breadcrumbs": [{"label": "Мои записи", "url": reverse("events:my")}, {"label": "Код для входа"}],
        },
    )  # fmt: skip


@login_required
@require_POST
def accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    registration = own_registration_get(viewer=viewer_for(request.user), pk=pk)
    try:
        registration_accept(registration=registration, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, "Место подтверждено.")
    return redirect("events:my")


@login_required
@require_POST
def cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    registration = registration_get(viewer=viewer, pk=pk)
    if not may_cancel(viewer, registration):
        raise Http404
    try:
        registration_cancel(registration=registration, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, "Запись отменена.")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/events/") and "//" not in back else reverse("events:my"))


@login_required
def feedback_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    registration = own_registration_get(viewer=viewer, pk=pk)
    if registration.student_id != viewer.own_student_id or registration.attended is not True:
        raise Http404
    existing = getattr(registration, "feedback", None)
    initial = {"useful": "1" if existing.useful else "0", "rating": str(existing.rating), "comment": existing.comment} if existing else None
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_leave(registration=registration, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Спасибо за отзыв!")
            return redirect("events:my")
    return render(
        request,
        "events/feedback.html",
        {
            "form": form, "errors": form_errors(form) if form.is_bound else [], "r": registration, "page_title": "Отзыв",
            "breadcrumbs": [{"label": "Мои записи", "url": reverse("events:my")}, {"label": "Отзыв"}],
        },
    )  # fmt: skip


urlpatterns = [
    path("<int:pk>/signup/", signup_view, name="signup"),
    path("<int:pk>/group/", group_view, name="group"),
    path("my/", my_view, name="my"),
    path("my/<int:pk>/ticket/", ticket_view, name="ticket"),
    path("registrations/<int:pk>/accept/", accept_view, name="accept"),
    path("registrations/<int:pk>/cancel/", cancel_view, name="cancel"),
    path("registrations/<int:pk>/feedback/", feedback_view, name="feedback"),
]
