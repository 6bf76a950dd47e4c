"""Control characters never reach a view, a form or the database.

A NUL byte in any text gave a 500 on PostgreSQL (which cannot store it), and the other control characters are
never typed by a person: they come from a broken integration or from someone probing. So one middleware looks
at everything a request carries as text — the address, the query string, a form's fields and a JSON body —
and refuses a request that holds a control character other than tab, CR and LF, with a Russian message that
names the field. The request is refused, not silently cleaned: a value changed behind the sender's back is
worse than a clear «no».

Uploaded files are not looked at here (each upload form checks its own files); neither are bodies of other
kinds (a file sent as the body itself).

Pages get the platform's 400 page. A part of the site that answers in its own format registers a responder
for its address prefix (the API does, in its AppConfig.ready), so the kernel knows no app:

    from core.input_guard import input_refusal_responder_register
    input_refusal_responder_register(prefix="/api/", responder=my_answer)  # my_answer(request, refusal)
"""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

# C0 controls except tab (09), LF (0A) and CR (0D); DEL and the C1 controls; and lone surrogates, which only a
# JSON escape (\ud800) can produce and which no database encoding can store.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Bodies that are read as JSON (ninja parses any body as JSON, whatever its declared type): JSON itself, plain
# text and none declared. Other kinds (a PDF sent as the body) are files, not text.
JSON_TYPES = ("", "application/json", "text/plain")

WHERE_WORDS = {
    "query": "Параметр адреса",
    "form": "Поле формы",
    "body": "Поле",
}


@dataclass(frozen=True)
class Refusal:
    """What was refused: where (path, query, form, body), the field's name (a dotted path in a JSON body, ""
    for the address itself) and the character."""

    where: str
    field: str
    character: str

    @property
    def code(self) -> str:
        return f"U+{ord(self.character):04X}"

    @property
    def field_shown(self) -> str:
        # The name itself may hold the character: it is shown with it replaced.
        return FORBIDDEN.sub("\N{REPLACEMENT CHARACTER}", self.field)

    @property
    def message(self) -> str:
        kind = "недопустимый символ" if 0xD800 <= ord(self.character) <= 0xDFFF else "недопустимый управляющий символ"
        if self.where == "path":
            return f"Адрес страницы содержит {kind} ({self.code}). Проверьте адрес."
        if FORBIDDEN.search(self.field):
            subject = f"Имя параметра «{self.field_shown}»"
        else:
            subject = f"{WHERE_WORDS[self.where]} «{self.field}»"
        return f"{subject} содержит {kind} ({self.code}). Уберите его и отправьте запрос ещё раз."


Responder = Callable[[HttpRequest, Refusal], HttpResponse]
_responders: dict[str, Responder] = {}


def input_refusal_responder_register(*, prefix: str, responder: Responder) -> None:
    """Answer refusals under the address `prefix` with `responder(request, refusal)` instead of the page."""
    _responders[prefix] = responder


def _responder_for(path: str) -> Responder:
    matches = [prefix for prefix in _responders if path.startswith(prefix)]
    return _responders[max(matches, key=len)] if matches else refusal_page


def refusal_page(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    return render(request, "core/input_refused.html", {"refusal": refusal, "page_title": "Запрос не принят"}, status=400)


def text_refusal(text: str, *, where: str, field: str) -> Refusal | None:
    match = FORBIDDEN.search(text)
    return Refusal(where=where, field=field, character=match.group()) if match else None


def _pairs(data: QueryDict) -> Iterator[tuple[str, str]]:
    for key, values in data.lists():
        for value in values:
            yield key, value


def _json_strings(value, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (field path, text) of a JSON document, keys included: `items.2.name`."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, str(key)
            yield from _json_strings(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}.{index}" if path else str(index))


def _field_refusal(pairs: Iterator[tuple[str, str]], where: str) -> Refusal | None:
    for key, value in pairs:
        refusal = text_refusal(key, where=where, field=key) or text_refusal(value, where=where, field=key)
        if refusal is not None:
            return refusal
    return None


def request_refusal(request: HttpRequest) -> Refusal | None:
    """The first control character the request carries as text, or None."""
    refusal = text_refusal(request.path_info, where="path", field="")
    if refusal is None:
        refusal = _field_refusal(_pairs(request.GET), "query")
    if refusal is None and request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
        refusal = _body_refusal(request)
    return refusal


def _body_refusal(request: HttpRequest) -> Refusal | None:
    content_type = (request.content_type or "").lower()
    if content_type in FORM_TYPES:
        if request.method == "POST":
            # Parsed once here and kept by the request for the view; the files are not opened.
            return _field_refusal(_pairs(request.POST), "form")
        if content_type == FORM_TYPES[0]:
            return _field_refusal(_pairs(QueryDict(request.body, encoding=request.encoding)), "form")
        return None
    if content_type in JSON_TYPES or content_type.endswith("+json"):
        body = request.body
        if not body:
            return None
        try:
            document = json.loads(body)
        except ValueError:
            return None  # not JSON: whoever reads it says so
        return _field_refusal(_json_strings(document), "body")
    return None


class InputGuardMiddleware:
    """Refuses a request carrying a control character (see the module's docstring) before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = request_refusal(request)
        if refusal is not None:
            return _responder_for(request.path_info)(request, refusal)
        return self.get_response(request)
