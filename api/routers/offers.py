"""The offers an organisation hosts (events, professional trials, excursions): a partner's staff read and change
their own organisation's offers; another organisation's offer is a 404, as on the pages."""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import P, Path, Query, Router, Schema
from pydantic import BaseModel, Field

from access.policy import viewer_for
from api.schemas import MAX_ID, BoundedDate, ErrorOut, ObjectId, PageNumber, ValidationErrorOut
from events.models import Offer, Registration
from events.policy import may_sign_up_self
from events.sectors import SECTORS
from events.selectors import catalogue, offer_get, offer_managed_get, offers_managed
from events.services import offer_update, registration_create, waiting_position
from people.models import Person, Student

router = Router(tags=["Мероприятия и пробы"])
PAGE_SIZE = 50


class OfferOut(Schema):
    id: int = Field(description="Идентификатор предложения.")
    kind: str = Field(description="Вид (код), например «trial» — профессиональная проба.")
    kind_label: str = Field(description="Вид по-русски.")
    title: str = Field(description="Название.")
    status: str = Field(description="Статус: draft, published или cancelled.")
    provider_id: int = Field(description="Идентификатор организации-организатора.")
    starts_at: datetime.datetime = Field(description="Начало.")
    ends_at: datetime.datetime = Field(description="Окончание.")
    place: str = Field(description="Место проведения.")
    grade_min: int = Field(description="С класса.")
    grade_max: int = Field(description="По класс.")
    capacity: int = Field(description="Мест всего.")
    taken: int = Field(description="Мест занято (подтверждённые и предложенные из листа ожидания).")
    waiting: int = Field(description="В листе ожидания.")
    hours: float = Field(description="Засчитывается академических часов профминимума.")
    direction: str = Field(description="Направление профминимума (код).")

    @staticmethod
    def resolve_kind_label(offer: Offer) -> str:
        return offer.get_kind_display()

    @staticmethod
    def resolve_waiting(offer: Offer) -> int:
        waiting = getattr(offer, "waiting_count", None)
        if waiting is None:
            waiting = Registration.objects.filter(offer=offer, status=Registration.Status.WAITING).count()
        return waiting


class OfferPageOut(Schema):
    items: list[OfferOut]
    count: int = Field(description="Сколько всего предложений.")


class OfferListParams(Schema):
    page: PageNumber = Field(1, description="Номер страницы (по 50 предложений).")
    past: bool = Field(False, description="Прошедшие вместо предстоящих.")


class PublishedParams(Schema):
    page: PageNumber = Field(1, description="Номер страницы (по 50 предложений).")
    q: str | None = Field(None, max_length=100, description="Поиск по названию, организатору, профессиям.")
    municipality: ObjectId | None = Field(None, description="Муниципалитет (и предложения для всей республики).")
    grade: int | None = Field(None, ge=6, le=11, description="Для класса (6–11).")
    kind: Literal[tuple(Offer.Kind.values)] | None = Field(None, description="Вид предложения (код).")
    sector: Literal[tuple(code for code, _label in SECTORS)] | None = Field(None, description="Отрасль (код).")
    date_from: BoundedDate | None = Field(None, description="С даты (ГГГГ-ММ-ДД); без дат — ещё не начавшиеся.")
    date_to: BoundedDate | None = Field(None, description="По дату включительно (ГГГГ-ММ-ДД).")
    free: bool = Field(False, description="Только со свободными местами.")


class RegistrationOut(Schema):
    id: int = Field(description="Идентификатор записи.")
    offer_id: int = Field(description="Идентификатор предложения.")
    offer_title: str = Field(description="Название предложения.")
    starts_at: datetime.datetime = Field(description="Начало.")
    student_id: int | None = Field(description="Обучающийся (null — запись родителя на собрание).")
    attendee: str = Field(description="Кто записан: фамилия и инициалы.")
    status: str = Field(description="Статус (код): confirmed, waiting, offered, cancelled, expired.")
    status_label: str = Field(description="Статус по-русски.")
    waiting_position: int = Field(description="Место в листе ожидания (0 — не в листе ожидания).")

    @staticmethod
    def resolve_offer_title(registration: Registration) -> str:
        return registration.offer.title

    @staticmethod
    def resolve_starts_at(registration: Registration) -> datetime.datetime:
        return registration.offer.starts_at

    @staticmethod
    def resolve_attendee(registration: Registration) -> str:
        return registration.attendee.short_name

    @staticmethod
    def resolve_status_label(registration: Registration) -> str:
        return registration.get_status_display()

    @staticmethod
    def resolve_waiting_position(registration: Registration) -> int:
        return waiting_position(registration)


SIGN_UP_REFUSED = "Записаться сами могут обучающиеся; на родительское собрание — родители."


class OfferPatchIn(BaseModel):
    # A pydantic model, not a ninja Schema: a Schema reads its fields as attributes of whatever it is given, so a
    # JSON array («[null, null]») passed as an empty change; a model refuses anything but an object (422).

    title: str | None = Field(None, min_length=1, max_length=300, description="Название.")
    description: str | None = Field(None, max_length=5000, description="Описание.")
    place: str | None = Field(None, max_length=300, description="Место проведения.")
    capacity: int | None = Field(None, ge=1, le=5000, description="Мест (не меньше уже занятых).")


def _refused(error: DjangoValidationError) -> tuple[int, dict]:
    fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    errors = [
        {"loc": ["body", name] if name and name != "__all__" else ["body"], "msg": message, "type": "refused"}
        for name, messages in fields.items()
        for message in messages
    ]
    return 422, {"detail": errors[0]["msg"] if errors else "Изменение отклонено.", "errors": errors}


@router.get("", response={200: OfferPageOut, 401: ErrorOut, 422: ValidationErrorOut}, summary="Предложения моей организации")
def offers_list(request: HttpRequest, params: Query[OfferListParams]):
    """Мероприятия, пробы и экскурсии, которые пользователь ведёт: сотрудник партнёра — своей организации,
    региональный оператор — все. Предстоящие (или прошедшие), по 50 на странице."""
    offers = offers_managed(viewer=viewer_for(request.user), upcoming=not params.past)
    count = offers.count()
    start = (params.page - 1) * PAGE_SIZE
    return {"items": list(offers[start : start + PAGE_SIZE]), "count": count}


@router.get("/published", response={200: OfferPageOut, 401: ErrorOut, 422: ValidationErrorOut}, summary="Каталог предложений")
def offers_published(request: HttpRequest, params: Query[PublishedParams]):
    """Опубликованные мероприятия, пробы и экскурсии, как в каталоге: ближайшие первыми, по 50 на странице, с
    фильтрами по муниципалитету, классу, виду, отрасли, датам и свободным местам. Без дат — ещё не начавшиеся."""
    filters = params.dict(exclude={"page"})
    offers = catalogue(filters).annotate(waiting_count=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)))
    count = offers.count()
    start = (params.page - 1) * PAGE_SIZE
    return {"items": list(offers[start : start + PAGE_SIZE]), "count": count}


@router.post(
    "/{id}/signup",
    response={201: RegistrationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Записаться на предложение",
)
def offer_signup(request: HttpRequest, offer_id: Path[int, P(alias="id", ge=1, le=MAX_ID, description="Идентификатор предложения.")]):
    """Записать себя: обучающегося — на мероприятие, пробу или экскурсию для его класса, родителя — на родительское
    собрание. Свободное место подтверждается сразу, иначе — лист ожидания (статус waiting и место в очереди).
    Запись закрыта, класс не подходит, уже записан, нет согласия на экскурсии — 422 с причиной; неопубликованное
    чужое предложение — 404; пользователю, который не может записаться сам, — 403."""
    viewer = viewer_for(request.user)
    offer = offer_get(viewer=viewer, pk=offer_id)
    if not may_sign_up_self(viewer, offer):
        return 403, {"detail": SIGN_UP_REFUSED}
    try:
        if offer.for_parents:
            result = registration_create(offer=offer, parent=Person.objects.get(pk=viewer.person_id), by=request.user)
        else:
            result = registration_create(offer=offer, student=Student.objects.get(pk=viewer.own_student_id), by=request.user)
    except DjangoValidationError as error:
        message = " ".join(error.messages)
        return 422, {"detail": message, "errors": [{"loc": ["path", "id"], "msg": message, "type": "refused"}]}
    return 201, result.registration


@router.get("/{id}", response={200: OfferOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}, summary="Предложение")
def offer_detail(request: HttpRequest, offer_id: Path[int, P(alias="id", ge=1, le=MAX_ID, description="Идентификатор предложения.")]):
    """Одно предложение организации пользователя с занятыми местами и листом ожидания. Чужое — 404."""
    return offer_managed_get(viewer=viewer_for(request.user), pk=offer_id)


@router.patch("/{id}", response={200: OfferOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}, summary="Изменить предложение")
def offer_change(
    request: HttpRequest, offer_id: Path[int, P(alias="id", ge=1, le=MAX_ID, description="Идентификатор предложения.")], body: OfferPatchIn
):
    """Изменить название, описание, место или число мест. Записавшимся сообщается о новом месте; новые места
    предлагаются листу ожидания; меньше мест, чем занято, нельзя. Чужое предложение — 404."""
    offer = offer_managed_get(viewer=viewer_for(request.user), pk=offer_id)
    values = body.model_dump(exclude_none=True)
    try:
        return offer_update(offer=offer, by=request.user, **values)
    except DjangoValidationError as error:
        return _refused(error)
