"""The REST API v1 of Профнавигатор, mounted at /api/v1/ (docs at /api/v1/docs, schema at /api/v1/openapi.json)."""

from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from api.auth import API_AUTH
from api.errors import register_error_handlers
from api.routers import me, students

DESCRIPTION = """
API Профнавигатора для школ, муниципалитетов и региональных систем.

**Вход.** Персональный API-токен из профиля пользователя в заголовке `Authorization: Bearer pn_…`
или сессия браузера, в которой выполнен вход (для изменяющих запросов нужен CSRF-токен).

**Доступ.** Те же права, что и на страницах сервиса: пользователь видит только то, что положено его ролям.
Чужой объект неотличим от несуществующего — ответ 404. Каждое чтение персональных данных записывается в журнал.

**Ошибки** приходят в виде `{"detail": "…"}`: 401 — нет входа или токен недействителен, 404 — не найдено,
422 — неверные параметры запроса (подробности в `errors`).
"""


class RussianJSONRenderer(JSONRenderer):
    # Cyrillic as is, not as \uXXXX escapes: readable in curl and in logs.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Профнавигатор API",
    version="1",
    description=DESCRIPTION.strip(),
    urls_namespace="api",
    auth=API_AUTH,
    renderer=RussianJSONRenderer(),
    # The assets come from ninja's static files ('ninja' is in INSTALLED_APPS), not from a CDN. Swagger UI's
    # validator badge is switched off: it would send the schema's address to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)
register_error_handlers(api)

api.add_router("/me", me.router)
api.add_router("/students", students.router)
