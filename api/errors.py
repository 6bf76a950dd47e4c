"""Error answers of the API, in Russian, in one shape: {"detail": "..."} (plus "errors" for invalid input).

Every error the API gives has this shape, whoever gives it: ninja's handlers (401, 404, 422, 403 CSRF), the
kernel's refusal of control characters (core.input_guard, 422), an address under /api/v1/ that names no
operation (404), a method an operation does not have (405) and an unexpected failure (500, logged with its
request, the answer naming the request's id)."""

import contextlib
import functools
import logging
import math

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from core.input_guard import Refusal

NOT_AUTHENTICATED = "Требуется вход или API-токен."
NOT_FOUND = "Не найдено."
NO_SUCH_OPERATION = "Такого адреса в API нет: список операций — в /api/v1/docs."
METHOD_NOT_ALLOWED = "Этот метод здесь не поддерживается. Допустимые: {allowed}."
INVALID_INPUT = "Проверьте параметры запроса."
CSRF_FAILED = "Запрос отклонён: при входе через сессию нужен CSRF-токен (заголовок X-CSRFToken)."
UNREADABLE_BODY = "Тело запроса не читается: ожидается JSON в кодировке UTF-8."
RATE_LIMITED = "Слишком много запросов. Повторите через {wait} с."
SERVER_ERROR = "На сервере произошла ошибка. Если она повторяется, сообщите в поддержку номер запроса: {request_id}."

# Russian wording for the validation errors a client is likely to meet; others keep pydantic's text.
VALIDATION_MESSAGES = {
    "missing": "обязательный параметр",
    "int_parsing": "ожидается целое число",
    "int_type": "ожидается целое число",
    "int_from_float": "ожидается целое число",
    "greater_than_equal": "значение должно быть не меньше {ge}",
    "less_than_equal": "значение должно быть не больше {le}",
    "date_from_datetime_parsing": "ожидается дата в формате ГГГГ-ММ-ДД",
    "date_from_datetime_inexact": "ожидается дата в формате ГГГГ-ММ-ДД",
    "date_parsing": "ожидается дата в формате ГГГГ-ММ-ДД",
    "date_type": "ожидается дата в формате ГГГГ-ММ-ДД",
    "json_invalid": "некорректный JSON",
    "string_too_long": "не длиннее {max_length} символов",
    "string_type": "ожидается строка",
}

# Where a refused character was, as the first element of an error's "loc" (the same words pydantic's use).
REFUSAL_LOCATIONS = {"path": "path", "query": "query", "form": "form", "body": "body"}

logger = logging.getLogger("django.request")


def error_response(payload: dict, *, status: int) -> HttpResponse:
    """An error answer outside ninja's handlers, rendered as the API renders (Cyrillic as is)."""
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


def register_error_handlers(api: NinjaAPI) -> None:
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(request, {"detail": NOT_AUTHENTICATED}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # A foreign object and a missing one answer alike, so the answer tells nothing about what exists.
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's session auth raises HttpError(403, "CSRF check Failed") in English.
        detail = CSRF_FAILED if exc.status_code == 403 and "CSRF" in str(exc) else str(exc)
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            detail = UNREADABLE_BODY
        if isinstance(exc, Throttled):
            detail = RATE_LIMITED.format(wait=max(1, math.ceil(exc.wait or 1)))
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [validation_error_out(error) for error in exc.errors]
        return api.create_response(request, {"detail": INVALID_INPUT, "errors": errors}, status=422)

    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged as Django logs a 500 (with the request, so the line carries its id), answered in the API's shape.
        logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request})
        detail = SERVER_ERROR.format(request_id=getattr(request, "request_id", "") or "—")
        return api.create_response(request, {"detail": detail}, status=500)

    api.add_exception_handler(AuthenticationError, not_authenticated)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ValidationError, invalid_input)
    api.add_exception_handler(Exception, server_error)


def validation_error_out(error: dict) -> dict:
    """One pydantic error as {"loc": [...], "msg": "...", "type": "..."} with a Russian message."""
    kind = error.get("type", "")
    message = error.get("msg", "")
    if kind in VALIDATION_MESSAGES:
        # A bound the template names may be missing from this error: then pydantic's text stays.
        with contextlib.suppress(KeyError):
            message = VALIDATION_MESSAGES[kind].format(**error.get("ctx", {}))
    return {"loc": list(error.get("loc", [])), "msg": message, "type": kind}


def input_refused(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """core.input_guard's refusal of a control character, as invalid input: 422 with the field named."""
    loc = [REFUSAL_LOCATIONS[refusal.where], *([refusal.field_shown] if refusal.field else [])]
    error = {"loc": loc, "msg": refusal.message, "type": "control_character"}
    return error_response({"detail": INVALID_INPUT, "errors": [error]}, status=422)


def no_such_operation(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """An address under the API that names no operation: 404 in the API's shape, not the site's page."""
    return error_response({"detail": NO_SUCH_OPERATION}, status=404)


def json_method_not_allowed(view):
    """ninja answers a method an operation lacks with a bare «Method not allowed»: say it in the API's shape,
    keeping the Allow header."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            answer = error_response({"detail": METHOD_NOT_ALLOWED.format(allowed=allowed or "—")}, status=405)
            if allowed:
                answer["Allow"] = allowed
            return answer
        return response

    return wrapped
