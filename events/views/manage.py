"""A provider's side: its offers (a partner's staff see their own organisation's only; a foreign one is a 404),
creating and changing them, the list of people signed up, attendance from the list or at the door by QR code or
short code, notes about students, and new excursion routes."""

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
from core.formatting import count_text, hours_text
from directory.paging import Page, page_number
from events.forms import CancelForm, CodeForm, OfferForm, form_errors, service_errors
from events.models import Offer
from events.policy import may_manage_offers, providers_for
from events.selectors import offer_managed_get, offer_registrations, offers_managed
from events.services import attendance_mark, check_in, offer_cancel, offer_create, offer_publish, offer_update
from events.tickets import registration_for_code, registration_for_token
from privacy.policy import EXCURSIONS, may_process_many

PER_PAGE = 30


def _require_manager(request: HttpRequest):
    viewer = viewer_for(request.user)
    if not may_manage_offers(viewer):
        raise Http404
    return viewer


@login_required
def manage_view(request: HttpRequest) -> HttpResponse:
    viewer = _require_manager(request)
    past = request.GET.get("past") == "1"
    offers = offers_managed(viewer=viewer, upcoming=not past)
    number = page_number(request.GET.get("page"))
    total = offers.count()
    number = min(number, max((total + PER_PAGE - 1) // PER_PAGE, 1))
    page = Page(
        list(offers[(number - 1) * PER_PAGE : number * PER_PAGE]), number, total, PER_PAGE,
        params=(("past", "1"),) if past else (), noun=("предложение", "предложения", "предложений"),
    )  # fmt: skip
    return render(
        request, "events/manage.html",
        {"page": page, "past": past, "page_title": "Мои мероприятия и пробы", "breadcrumbs": [{"label": "Мои мероприятия и пробы"}]},
    )  # fmt: skip


def _offer_form_page(request: HttpRequest, *, offer: Offer | None) -> HttpResponse:
    viewer = _require_manager(request)
    providers = providers_for(viewer)
    initial = OfferForm.initial_from(offer) if offer else {"provider": next(iter(viewer.partner_org_ids), None)}
    form = OfferForm(request.POST or None, initial=initial, providers=providers)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data.items())
        values["sector"] = values.get("sector") or ""
        try:
            if offer is None:
                saved = offer_create(by=request.user, **values)
                messages.success(request, "Предложение сохранено как черновик. Проверьте его и опубликуйте.")
            else:
                saved = offer_update(offer=offer, by=request.user, **values)
                messages.success(request, "Изменения сохранены.")
        except ValidationError as error:
            service_errors(form, error)
        else:
            return redirect("events:people", pk=saved.pk)
    title = f"Изменить: {offer.title}" if offer else "Новое мероприятие, проба или экскурсия"
    return render(
        request, "events/offer_form.html",
        {
            "form": form, "errors": form_errors(form) if form.is_bound else [], "offer": offer, "page_title": title,
            "breadcrumbs": [{"label": "Мои мероприятия и пробы", "url": reverse("events:manage")}, {"label": title}],
        },
    )  # fmt: skip


@login_required
def offer_new_view(request: HttpRequest) -> HttpResponse:
    return _offer_form_page(request, offer=None)


@login_required
def offer_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _offer_form_page(request, offer=offer_managed_get(viewer=viewer_for(request.user), pk=pk))


@login_required
@require_POST
def offer_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    offer = offer_managed_get(viewer=viewer_for(request.user), pk=pk)
    try:
        offer_publish(offer=offer, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Опубликовано: предложение видно в каталоге и календаре.")
    return redirect("events:people", pk=offer.pk)


@login_required
def offer_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    offer = offer_managed_get(viewer=viewer_for(request.user), pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer_cancel(offer=offer, reason=form.cleaned_data["cancel_reason"], by=request.user)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, "Предложение отменено; записавшиеся получили уведомление.")
            return redirect("events:people", pk=offer.pk)
    return render(
        request, "events/offer_cancel.html",
        {
            "form": form, "errors": form_errors(form) if form.is_bound else [], "offer": offer, "page_title": f"Отменить: {offer.title}",
            "breadcrumbs": [{"label": "Мои мероприятия и пробы", "url": reverse("events:manage")}, {"label": offer.title, "url": reverse("events:people", args=[offer.pk])}, {"label": "Отмена"}],
        },
    )  # fmt: skip


@login_required
def people_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The host's list: confirmed places (to mark present or absent, with a note), places held, the waiting list."""
    viewer = viewer_for(request.user)
    offer = offer_managed_get(viewer=viewer, pk=pk)
    result = None
    if request.method == "POST":
        marks, notes = {}, {}
        for key, value in request.POST.items():
            if key.startswith("mark-") and key[5:].isdigit() and len(key) < 25 and value in ("present", "absent"):
                marks[int(key[5:])] = value == "present"
            if key.startswith("note-") and key[5:].isdigit() and len(key) < 25:
                notes[int(key[5:])] = value[:1000]
        notes = {pk_: note for pk_, note in notes.items() if pk_ in marks}
        try:
            result = attendance_mark(offer=offer, marks=marks, by=request.user, notes=notes)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            text = f"Сохранено отметок: {result.marked}."
            if result.credited_students:
                text += f" Зачтено {hours_text(offer.hours)} — {count_text(result.credited_students, 'обучающемуся', 'обучающимся', 'обучающимся')}."
            messages.success(request, text)
            for problem in result.problems:
                messages.warning(request, problem)
            return redirect("events:people", pk=offer.pk)
    lists = offer_registrations(viewer=viewer, offer=offer)
    if lists.person_ids:
        personal_data_read_log(user=request.user, subject=f"список записавшихся: {offer.title}", channel="web", person_ids=lists.person_ids)
    consent = {}
    if offer.is_excursion:
        ids = [r.student_id for r in lists.confirmed if r.student_id]
        consent = may_process_many(student_ids=ids, purpose=EXCURSIONS) if ids else {}
        for registration in lists.confirmed:
            registration.consent_answer = consent.get(registration.student_id, "")
    now = timezone.now()
    return render(
        request, "events/people.html",
        {
            "offer": offer, "lists": lists,
            "started": offer.starts_at <= now, "code_form": CodeForm(), "page_title": offer.title,
            "breadcrumbs": [{"label": "Мои мероприятия и пробы", "url": reverse("events:manage")}, {"label": offer.title}],
        },
    )  # fmt: skip


@login_required
def check_in_view(request: HttpRequest, pk: int) -> HttpResponse:
    """At the door: a scanned QR code (its address opens this page with the token) or a typed short code."""
    viewer = viewer_for(request.user)
    offer = offer_managed_get(viewer=viewer, pk=pk)
    token = (request.GET.get("t") or "")[:2000]
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            value = form.cleaned_data["code"].strip()
            try:
                if len(value) <= 8:
                    registration = registration_for_code(offer=offer, code=value)
                else:
                    registration = registration_for_token(offer=offer, token=value)
                check_in(offer=offer, registration=registration, by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                personal_data_read_log(
                    user=request.user, subject=f"отметка на входе: {offer.title}", channel="web", person_id=registration.attendee.pk
                )
                hours = f" Зачтено {hours_text(offer.hours)}." if offer.hours else ""
                messages.success(request, f"{registration.attendee.full_name} отмечен(а): присутствует.{hours}")
        else:
            for line in form_errors(form):
                messages.error(request, line)
        return redirect("events:people", pk=offer.pk)
    found, problem = None, ""
    if token:
        try:
            found = registration_for_token(offer=offer, token=token)
        except ValidationError as error:
            problem = error.messages[0]
        else:
            personal_data_read_log(user=request.user, subject=f"код на входе: {offer.title}", channel="web", person_id=found.attendee.pk)
    return render(
        request, "events/check_in.html",
        {
            "offer": offer, "found": found, "problem": problem, "token": token, "page_title": f"Отметка на входе: {offer.title}",
            "breadcrumbs": [{"label": "Мои мероприятия и пробы", "url": reverse("events:manage")}, {"label": offer.title, "url": reverse("events:people", args=[offer.pk])}, {"label": "Отметка на входе"}],
        },
    )  # fmt: skip


urlpatterns = [
    path("manage/", manage_view, name="manage"),
    path("manage/new/", offer_new_view, name="offer_new"),
    path("manage/<int:pk>/", people_view, name="people"),
    path("manage/<int:pk>/edit/", offer_edit_view, name="offer_edit"),
    path("manage/<int:pk>/publish/", offer_publish_view, name="offer_publish"),
    path("manage/<int:pk>/cancel/", offer_cancel_view, name="offer_cancel"),
    path("manage/<int:pk>/check-in/", check_in_view, name="check_in"),
]
