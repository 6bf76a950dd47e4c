"""Error answers of the API, in Russian, in one shape: {"detail": "..."} (plus "errors" for invalid input)."""

import contextlib

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

NOT_AUTHENTICATED = "Требуется вход или API-токен."
NOT_FOUND = "Не найдено."
INVALID_INPUT = "Проверьте параметры запроса."
CSRF_FAILED = "Запрос отклонён: при входе через сессию нужен CSRF-токен (заголовок X-CSRFToken)."

# Russian wording for the validation errors a client is likely to meet; others keep pydantic's text.
VALIDATION_MESSAGES = {
    "missing": "обязательный параметр",
    "int_parsing": "ожидается целое число",
    "int_type": "ожидается целое число",
    "greater_than_equal": "значение должно быть не меньше {ge}",
    "less_than_equal": "значение должно быть не больше {le}",
    "date_from_datetime_parsing": "ожидается дата в формате ГГГГ-ММ-ДД",
    "date_parsing": "ожидается дата в формате ГГГГ-ММ-ДД",
    "json_invalid": "некорректный JSON",
}


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
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [validation_error_out(error) for error in exc.errors]
        return api.create_response(request, {"detail": INVALID_INPUT, "errors": errors}, status=422)

    api.add_exception_handler(AuthenticationError, not_authenticated)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ValidationError, invalid_input)


def validation_error_out(error: dict) -> dict:
    """One pydantic error as {"loc": [...], "msg": "...", "type": "..."} with a Russian message."""
    kind = error.get("type", "")
    message = error.get("msg", "")
    if kind in VALIDATION_MESSAGES:
        # A bound the template names may be missing from this error: then pydantic's text stays.
        with contextlib.suppress(KeyError):
            message = VALIDATION_MESSAGES[kind].format(**error.get("ctx", {}))
    return {"loc": list(error.get("loc", [])), "msg": message, "type": kind}
