from django.http import HttpRequest
from ninja import Router

from api.schemas import ErrorOut, MeOut
from api.selectors import me_get

router = Router(tags=["Пользователь"])


@router.get("", response={200: MeOut, 401: ErrorOut}, summary="Текущий пользователь")
def me(request: HttpRequest):
    """Кто вошёл: имя, роли и организации, в которых он состоит."""
    return me_get(user=request.user)
