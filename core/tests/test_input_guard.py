"""The kernel's guard: a control character in the address, the query string, a form or a JSON body is refused
before any view runs, with a Russian message naming the field; files are not looked at."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse, JsonResponse
from django.urls import include, path

from core import input_guard
from core.input_guard import request_refusal
from people.models import Person

CALLS: list[dict] = []


def _echo(request):
    """Stores what it was given, the way a search box or a form would (a NUL reaches PostgreSQL and fails)."""
    values = {**request.GET.dict(), **request.POST.dict()}
    if request.content_type == "application/json" and request.body:
        values.update(json.loads(request.body))
    CALLS.append(values)
    Person.objects.filter(last_name__in=[str(v) for v in values.values()]).exists()
    return HttpResponse("ok")


def _upload(request):
    CALLS.append({"file": request.FILES["document"].read()})
    return HttpResponse("ok")


urlpatterns = [
    path("guard/echo/", _echo),
    path("guard/upload/", _upload),
    path("", include("config.urls")),  # the error page's menu and links
]


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()


pytestmark = [pytest.mark.urls("core.tests.test_input_guard"), pytest.mark.django_db]


def test_a_nul_byte_in_the_query_string_is_refused_with_a_russian_page_naming_the_field(client):
    """Found by «Trust» point 4: a NUL byte in the search box gave a 500 on PostgreSQL."""
    response = client.get("/guard/echo/", {"q": "Петров\x00"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<h1>Запрос не принят</h1>" in page
    assert "Параметр адреса «q» содержит недопустимый управляющий символ (U+0000)." in page
    assert CALLS == []  # the view never ran


def test_a_nul_byte_in_a_form_field_is_refused_before_the_view(client):
    """Found by «Trust» point 4: a NUL byte in the attendance excuse gave a 500 on PostgreSQL."""
    response = client.post("/guard/echo/", {"excuse": "болел\x00", "present": "on"})
    assert response.status_code == 400
    assert "Поле формы «excuse» содержит недопустимый управляющий символ (U+0000)." in response.content.decode()
    assert CALLS == []


@pytest.mark.parametrize(
    "character, code",
    [("\x01", "U+0001"), ("\x1b", "U+001B"), ("\x7f", "U+007F"), ("\x85", "U+0085"), ("\x0b", "U+000B"), ("\x0c", "U+000C")],
)
def test_every_control_character_but_tab_cr_and_lf_is_refused(client, character, code):
    response = client.post("/guard/echo/", {"name": f"Школа{character}№ 1"})
    assert response.status_code == 400
    assert f"({code})" in response.content.decode()


def test_tab_line_breaks_and_any_printable_text_pass(client):
    text = "Строка 1\r\nСтрока 2\tи табуляция; «кавычки», ё, № 5, emoji 🙂, zero-width\u200bjoiner"
    assert client.post("/guard/echo/", {"comment": text}).status_code == 200
    assert client.get("/guard/echo/", {"q": text}).status_code == 200
    assert [{"comment": text}, {"q": text}] == CALLS


def test_a_control_character_in_a_parameters_name_is_refused_and_not_echoed(client):
    response = client.get("/guard/echo/?a%00b=1")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Имя параметра «a\N{REPLACEMENT CHARACTER}b» содержит недопустимый управляющий символ (U+0000)." in page
    assert "\x00" not in page


def test_a_control_character_in_the_address_itself_is_refused(client):
    response = client.get("/guard/echo%00/")
    assert response.status_code == 400
    assert "Адрес страницы содержит недопустимый управляющий символ (U+0000)." in response.content.decode()


def test_json_bodies_are_read_whole_escapes_and_nesting_included(client):
    def post(document):
        response = client.post("/guard/echo/", json.dumps(document), content_type="application/json")
        return response

    assert post({"name": "Иванов", "items": [{"note": "ок"}]}).status_code == 200
    response = post({"name": "Иванов", "items": [{"note": "ок"}, {"note": "\u0000"}]})
    assert response.status_code == 400
    assert "Поле «items.1.note» содержит недопустимый управляющий символ (U+0000)." in response.content.decode()
    # A lone surrogate only a JSON escape can make: no database encoding stores it.
    response = client.post("/guard/echo/", '{"name": "\\ud800"}', content_type="application/json")
    assert response.status_code == 400
    assert "Поле «name» содержит недопустимый символ (U+D800)." in response.content.decode()
    assert len(CALLS) == 1


def test_a_body_that_is_not_json_is_left_to_whoever_reads_it(rf):
    request = rf.post("/guard/echo/", b"{not json \x00", content_type="application/json")
    assert request_refusal(request) is None


def test_uploaded_files_are_not_inspected_but_the_forms_text_fields_are(client):
    document = SimpleUploadedFile("order.pdf", b"%PDF-1.4\x00\x01\x02 binary", content_type="application/pdf")
    assert client.post("/guard/upload/", {"document": document, "number": "12-о"}).status_code == 200
    assert CALLS == [{"file": b"%PDF-1.4\x00\x01\x02 binary"}]
    document = SimpleUploadedFile("order.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post("/guard/upload/", {"document": document, "number": "12\x00"})
    assert response.status_code == 400 and "Поле формы «number»" in response.content.decode()


def test_a_part_of_the_site_with_its_own_format_answers_the_refusal_itself(client, monkeypatch):
    monkeypatch.setattr(input_guard, "_responders", {})
    input_guard.input_refusal_responder_register(
        prefix="/guard/", responder=lambda request, refusal: JsonResponse({"detail": refusal.message}, status=422)
    )
    response = client.get("/guard/echo/", {"q": "\x00"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Параметр адреса «q» содержит недопустимый управляющий символ (U+0000). Уберите его и отправьте запрос ещё раз."
    }
    assert client.get("/guard-elsewhere/?q=%00").status_code == 400  # other addresses keep the page
