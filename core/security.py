"""What a shared school computer must not keep, and how large a request the platform takes.

- `NoStoreMiddleware`: every answer to a signed-in person, and every answer under PROFNAV_JSON_PREFIXES (the
  API, whose tokens sign in inside the view), says `Cache-Control: no-store`. After «Выйти» the browser's back
  button and its cache have nothing of a child's data to show. Static files (WhiteNoise answers them above this
  middleware) and the public pages seen before sign-in keep their caching.
- `RequestBodyLimitMiddleware`: a body whose declared length exceeds REQUEST_BODY_MAX_BYTES is refused with 413
  before anything reads it. Within that bound each upload form keeps its own limit and its own message.
- `bad_request`, the project's handler400: a body that turns out too large only while it is read (form fields or a
  JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE, more fields or files than Django takes) gets a 413 rather than an
  anonymous 400.

Addresses under PROFNAV_JSON_PREFIXES answer the 413 in the API's error shape, `{"detail": "…"}`.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views import defaults

from core.middleware import AccessibilityMiddleware

TOO_BIG = (
    "Запрос слишком большой: сервер принимает за один раз не больше {limit}. Если вы прикладывали файл, уменьшите его "
    "(например, сохраните скан в меньшем разрешении или в PDF) и отправьте форму ещё раз."
)
TOO_MANY = "Запрос слишком большой: в нём больше полей или файлов, чем принимает сервер. Отправьте данные частями."


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} МБ"


def answers_in_json(request: HttpRequest) -> bool:
    return any(request.path_info.startswith(prefix) for prefix in getattr(settings, "PROFNAV_JSON_PREFIXES", ()))


def request_too_big(request: HttpRequest, message: str = "") -> HttpResponse:
    """The 413: the platform's page, or the API's JSON error."""
    message = message or TOO_BIG.format(limit=_megabytes(settings.REQUEST_BODY_MAX_BYTES))
    if answers_in_json(request):
        response = JsonResponse({"detail": message}, status=413, json_dumps_params={"ensure_ascii": False})
    else:
        if not hasattr(request, "high_contrast"):  # refused above the middleware that reads the cookie
            request.high_contrast = request.COOKIES.get(AccessibilityMiddleware.COOKIE) == "contrast"
        response = render(request, "413.html", {"message": message, "page_title": "Запрос слишком большой"}, status=413)
    add_never_cache_headers(response)
    return response


class RequestBodyLimitMiddleware:
    """Refuses a request whose Content-Length is over REQUEST_BODY_MAX_BYTES, before any middleware or view
    reads its body. Keep it above every middleware that reads request.POST or request.body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty too
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return request_too_big(request)
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` (with Django's other never-cache headers) on every answer to a signed-in
    person and every answer under PROFNAV_JSON_PREFIXES. Sits below AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if answers_in_json(request) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a body found too large while it is read is a 413 like one refused by its length."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_big(request)
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return request_too_big(request, TOO_MANY)
    return defaults.bad_request(request, exception)
