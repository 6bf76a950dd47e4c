"""A student's (or a parent's) registrations for events, trials and excursions: the list of one's own, and
cancelling one through events.services (a freed place goes to the first on the waiting list)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import P, Path, Query, Router, Schema
from pydantic import Field

from access.policy import viewer_for
from api.routers.offers import RegistrationOut
from api.schemas import MAX_ID, ErrorOut, PageNumber, ValidationErrorOut
from events.policy import may_cancel
from events.selectors import my_registrations, registration_get
from events.services import registration_cancel

router = Router(tags=["Мероприятия и пробы"])
PAGE_SIZE = 50


class RegistrationPageOut(Schema):
    items: list[RegistrationOut]
    count: int = Field(description="Сколько всего записей.")


class PageParams(Schema):
    page: PageNumber = Field(1, description="Номер страницы (по 50 записей).")


@router.get("/me/registrations", response={200: RegistrationPageOut, 401: ErrorOut, 422: ValidationErrorOut}, summary="Мои записи")
def registrations_mine(request: HttpRequest, params: Query[PageParams]):
    """Записи пользователя на мероприятия, пробы и экскурсии (у родителя — и записи его детей), новые первыми;
    отменённые на прошедшие мероприятия не показываются."""
    registrations = my_registrations(viewer=viewer_for(request.user))
    start = (params.page - 1) * PAGE_SIZE
    return {"items": registrations[start : start + PAGE_SIZE], "count": len(registrations)}


@router.delete(
    "/registrations/{id}",
    response={200: RegistrationOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Отменить запись",
)
def registration_delete(
    request: HttpRequest, registration_id: Path[int, P(alias="id", ge=1, le=MAX_ID, description="Идентификатор записи.")]
):
    """Отменить свою запись или выйти из листа ожидания; освободившееся место предлагается первому в очереди.
    Мероприятие уже началось, посещаемость отмечена, запись уже не действует — 422 с причиной. Чужая запись — 404
    (родитель видит записи детей, но меняют их сами дети или школа)."""
    viewer = viewer_for(request.user)
    registration = registration_get(viewer=viewer, pk=registration_id)
    if not may_cancel(viewer, registration):
        raise Http404
    try:
        registration = registration_cancel(registration=registration, by=request.user)
    except DjangoValidationError as error:
        message = " ".join(error.messages)
        return 422, {"detail": message, "errors": [{"loc": ["path", "id"], "msg": message, "type": "refused"}]}
    return 200, registration
