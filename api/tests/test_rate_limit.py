"""The API's rate limit: past the allowed requests a minute a person gets 429 in the API's error shape, in Russian,
with Retry-After; another person is not held back; the OpenAPI document names the 429."""

import pytest
from django.core.cache import cache


@pytest.fixture
def three_a_minute(settings):
    settings.API_RATE_LIMIT = "3/m"
    cache.clear()
    yield
    cache.clear()


def test_the_fourth_request_in_a_minute_is_refused_and_another_person_is_not(client, cast, token_headers, three_a_minute):
    headers = token_headers(cast.user("coordinator_a1"))
    assert [client.get("/api/v1/me", **headers).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/me", **headers)
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Слишком много запросов. Повторите через ")
    assert int(refused["Retry-After"]) >= 1
    assert client.get("/api/v1/me", **token_headers(cast.user("municipal_a"))).status_code == 200


def test_every_operation_documents_the_429(client, cast):
    document = client.get("/api/v1/openapi.json").json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            assert "429" in operation["responses"], f"{method.upper()} {path}"
