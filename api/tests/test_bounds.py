"""Every number and date the API accepts is bounded, bad bytes are refused, and every error has one shape
(«Trust» point 4)."""

import datetime
import json
import logging

import pytest
from pydantic import TypeAdapter, ValidationError

from api.schemas import MAX_ID, BoundedDate


def openapi(client) -> dict:
    return json.loads(client.get("/api/v1/openapi.json").content)


def inputs(document: dict):
    """(operation, name, schema) of every parameter and body field of the document, $refs resolved."""

    def resolve(schema: dict) -> dict:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = document["components"]["schemas"][name]
        return schema

    def leaves(schema: dict, name: str):
        schema = resolve(schema)
        for variant in schema.get("anyOf", []):
            yield from leaves(variant, name)
        if schema.get("type") == "object":
            for key, child in schema.get("properties", {}).items():
                yield from leaves(child, f"{name}.{key}")
        elif schema.get("type") == "array":
            yield from leaves(schema.get("items", {}), f"{name}[]")
        elif "type" in schema:
            yield name, schema

    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                for name, schema in leaves(parameter["schema"], parameter["name"]):
                    yield f"{method.upper()} {path}", name, schema
            for media in operation.get("requestBody", {}).get("content", {}).values():
                for name, schema in leaves(media["schema"], "body"):
                    yield f"{method.upper()} {path}", name, schema


def test_every_integer_and_date_the_api_reads_is_bounded_in_the_openapi_document(client, db):
    """Found by «Trust» point 4: `page=200000000000000000` gave a 500. A new parameter without bounds fails here."""
    seen = 0
    for operation, name, schema in inputs(openapi(client)):
        if schema["type"] == "integer":
            seen += 1
            assert "minimum" in schema and "maximum" in schema, f"{operation}: «{name}» без границ"
            assert schema["maximum"] <= MAX_ID, f"{operation}: «{name}» шире 64 бит"
        if schema.get("format") in ("date", "date-time"):
            assert "x-earliest" in schema and "x-latest" in schema, f"{operation}: дата «{name}» без границ (BoundedDate)"
    assert seen >= 4  # id, class_id, page, page_size


def test_a_page_number_past_64_bits_is_refused_in_russian_not_a_500(client, cast, token_headers):
    """Found by «Trust» point 4: `page=200000000000000000` in the API gave a 500 (an OFFSET past 64 bits)."""
    headers = token_headers(cast.user("ministry_admin"))
    response = client.get("/api/v1/students", {"class_id": cast.classes["a1_8a"].pk, "page": 200000000000000000}, **headers)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Проверьте параметры запроса.",
        "errors": [{"loc": ["query", "page"], "msg": "значение должно быть не больше 100000", "type": "less_than_equal"}],
    }
    assert client.get("/api/v1/students", {"class_id": cast.classes["a1_8a"].pk, "page": 100000}, **headers).json()["items"] == []


@pytest.mark.parametrize(
    "url, loc, message",
    [
        ("/api/v1/students?class_id=100000000000000000000", ["query", "class_id"], f"значение должно быть не больше {MAX_ID}"),
        ("/api/v1/students?class_id=-100000000000000000000", ["query", "class_id"], "значение должно быть не меньше 1"),
        ("/api/v1/students?class_id=0", ["query", "class_id"], "значение должно быть не меньше 1"),
        ("/api/v1/students/100000000000000000000", ["path", "id"], f"значение должно быть не больше {MAX_ID}"),
        ("/api/v1/students/-1", ["path", "id"], "значение должно быть не меньше 1"),
        ("/api/v1/students/1.5", ["path", "id"], "ожидается целое число"),
    ],
)
def test_ids_are_positive_and_within_64_bits(client, cast, token_headers, url, loc, message):
    response = client.get(url, **token_headers(cast.user("ministry_admin")))
    assert response.status_code == 422
    assert [(error["loc"], error["msg"]) for error in response.json()["errors"]] == [(loc, message)]


def test_far_dates_are_refused_with_a_russian_message():
    adapter = TypeAdapter(BoundedDate)
    assert adapter.validate_python("2026-09-01") == datetime.date(2026, 9, 1)
    for far in ("0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"):
        with pytest.raises(ValidationError) as refused:
            adapter.validate_python(far)
        assert refused.value.errors()[0]["msg"] == "дата должна быть в пределах с 01.01.2000 по 31.12.2100"


def test_a_nul_byte_in_a_query_parameter_is_refused_in_the_apis_error_shape(client, cast, token_headers):
    """Found by «Trust» point 4: NUL bytes gave a 500 on PostgreSQL; the API answers the kernel's refusal in its own shape."""
    response = client.get("/api/v1/students", {"class_id": "1\x00"}, **token_headers(cast.user("ministry_admin")))
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Проверьте параметры запроса.",
        "errors": [
            {
                "loc": ["query", "class_id"],
                "msg": "Параметр адреса «class_id» содержит недопустимый управляющий символ (U+0000). Уберите его и отправьте запрос ещё раз.",
                "type": "control_character",
            }
        ],
    }


def test_an_unknown_address_and_a_wrong_method_answer_in_the_apis_shape(client, cast, token_headers):
    headers = token_headers(cast.user("ministry_admin"))
    for url in ("/api/v1/nothing", "/api/v1/", "/api/v1/students/1/extra"):
        response = client.get(url, **headers)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Такого адреса в API нет: список операций — в /api/v1/docs."}
    response = client.delete("/api/v1/me", **headers)
    assert response.status_code == 405 and response["Allow"] == "GET"
    assert response.json() == {"detail": "Этот метод здесь не поддерживается. Допустимые: GET."}


def test_an_unexpected_failure_is_logged_with_its_request_and_answered_in_the_apis_shape(client, cast, token_headers, monkeypatch, caplog):
    import api.routers.me

    def broken(**kwargs):
        raise RuntimeError("поломка для теста")

    monkeypatch.setattr(api.routers.me, "me_get", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/me", headers={"X-Request-ID": "req-42"}, **token_headers(cast.user("ministry_admin")))
    assert response.status_code == 500
    assert response.json() == {"detail": "На сервере произошла ошибка. Если она повторяется, сообщите в поддержку номер запроса: req-42."}
    record = next(r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR)
    assert record.exc_info[0] is RuntimeError and record.request.path == "/api/v1/me"
