"""The REST API v1 of Профнавигатор, mounted at /api/v1/ (docs at /api/v1/docs, schema at /api/v1/openapi.json)."""

from django.urls import re_path
from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from api.auth import API_AUTH
from api.errors import json_method_not_allowed, no_such_operation, register_error_handlers
from api.routers import attendance, catalog, me, offers, profminimum, registrations, students
from api.throttle import PersonRateThrottle

DESCRIPTION = """
API Профнавигатора для школ, муниципалитетов и региональных систем.

**Вход.** Персональный API-токен из профиля пользователя в заголовке `Authorization: Bearer pn_…`
или сессия браузера, в которой выполнен вход (для изменяющих запросов нужен CSRF-токен).

**Доступ.** Те же права, что и на страницах сервиса: пользователь видит только то, что положено его ролям.
Чужой объект неотличим от несуществующего — ответ 404. Каждое чтение персональных данных записывается в журнал.
Каталог профессий, колледжей, вузов и программ (`/catalog/…`) одинаков для всех: он открыт любому вошедшему
пользователю, как и страницы каталога; персональных данных в нём нет.

**Ошибки** приходят в виде `{"detail": "…"}`: 401 — нет входа или токен недействителен, 404 — не найдено,
405 — метод не поддерживается, 422 — неверные параметры запроса (подробности в `errors`: где и что не так;
так же отклоняются управляющие символы, кроме табуляции и перевода строки, в любом параметре или поле),
429 — слишком много запросов (заголовок `Retry-After` говорит, через сколько секунд повторить),
500 — ошибка сервера (с номером запроса для поддержки). Адрес запроса длиннее 8 КБ сервер приложений отклоняет
сам, ответом 414 без тела в этом формате.

**Частота.** Не больше 600 запросов в минуту от одного пользователя (до входа — с одного адреса).

**Границы.** Идентификаторы — целые от 1 до 2^63−1, номер страницы — от 1 до 100 000, даты — с 01.01.2000
по 31.12.2100; значение за границей — ответ 422.
"""


class RussianJSONRenderer(JSONRenderer):
    # Cyrillic as is, not as \uXXXX escapes: readable in curl and in logs.
    json_dumps_params = {"ensure_ascii": False}


class ProfnavAPI(NinjaAPI):
    """Every answer of the API in its one error shape: an address that names no operation is a JSON 404, and
    a method an operation lacks a JSON 405 (see api.errors)."""

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            # The root only tells ninja where the API is mounted; its own answer is an HTML 404.
            pattern.callback = no_such_operation if pattern.name == "api-root" else json_method_not_allowed(pattern.callback)
        return [*urls, re_path(r"^.*$", no_such_operation, name="no-such-operation")]

    def get_openapi_schema(self, **kwargs):
        """Every operation may answer 429 (the rate limit, api.throttle), and one with a body 400 (a body that is not
        JSON at all): the document says so, in the error shape. A request line over gunicorn's limit (8 KB,
        gunicorn.conf.py) never reaches the application: gunicorn answers 414 itself, in plain HTML, so that answer
        is documented without a body schema."""
        schema = super().get_openapi_schema(**kwargs)
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["responses"].setdefault(429, {"description": "Слишком много запросов", **error})
                    operation["responses"].setdefault(414, {"description": "Адрес запроса длиннее 8 КБ (отвечает сервер приложений)"})
                    if "requestBody" in operation:
                        operation["responses"].setdefault(400, {"description": "Тело запроса не читается как JSON", **error})
        return schema


api = ProfnavAPI(
    title="Профнавигатор API",
    version="1",
    description=DESCRIPTION.strip(),
    urls_namespace="api",
    auth=API_AUTH,
    renderer=RussianJSONRenderer(),
    throttle=[PersonRateThrottle()],
    # The assets come from ninja's static files ('ninja' is in INSTALLED_APPS), not from a CDN. Swagger UI's
    # validator badge is switched off: it would send the schema's address to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)
register_error_handlers(api)

api.add_router("/me", me.router)
api.add_router("/students", students.router)
api.add_router("/offers", offers.router)
api.add_router("/catalog", catalog.router)
api.add_router("", profminimum.router)
api.add_router("", attendance.router)
api.add_router("", registrations.router)
