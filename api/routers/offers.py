"""The offers an organisation hosts (events, professional trials, excursions): a partner's staff read and change
their own organisation's offers; another organisation's offer is a 404, as on the pages."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import P, Path, Query, Router, Schema
from pydantic import Field

from access.policy import viewer_for
from api.schemas import MAX_ID, ErrorOut, PageNumber, ValidationErrorOut
from events.models import Offer, Registration
from events.selectors import offer_managed_get, offers_managed
from events.services import offer_update

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


class OfferPatchIn(Schema):
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
    values = body.dict(exclude_none=True)
    try:
        return offer_update(offer=offer, by=request.user, **values)
    except DjangoValidationError as error:
        return _refused(error)
