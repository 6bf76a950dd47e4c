"""Every operation of the API's OpenAPI document, walked with bad input: NUL bytes, 10,000 characters, huge and
negative numbers, far dates and empty values in each parameter and body field, one at a time, with the tokens
of three roles. Nothing may answer 500, and every error has the API's one shape («Trust» point 4)."""

import json

import pytest
from django.test import Client

from accounts.services import api_token_create
from api.api import api
from fuzz_tests.targets import API_ROLES, values_for

# A valid value for each parameter name the API's operations take, from the cast: what the other parameters
# hold while one is fuzzed. An operation with a required parameter not named here fails the walk.
VALID = {
    "id": lambda world: world.cast.students["a1_8a_0"].pk,
    "class_id": lambda world: world.cast.classes["a1_8a"].pk,
    "page": lambda world: 1,
    "page_size": lambda world: 10,
    "marks": lambda world: [{"student_id": world.cast.students["a1_8a_0"].pk, "present": True}],
}
# Where a parameter of that name means another object than VALID's (an id is a student's there).
VALID_FOR = {
    ("/api/v1/schools/{id}/summary", "id"): lambda world: world.cast.orgs["a1"].pk,
    ("/api/v1/municipalities/{id}/summary", "id"): lambda world: world.cast.municipalities["a"].pk,
    ("/api/v1/activities/{id}/attendance", "id"): lambda world: world.activity.pk,
    ("/api/v1/offers/{id}", "id"): lambda world: world.events.offer.pk,
    ("/api/v1/offers/{id}/signup", "id"): lambda world: world.events.offer.pk,
    ("/api/v1/registrations/{id}", "id"): lambda world: world.events.registration.pk,
    ("/api/v1/catalog/professions/{id}", "id"): lambda world: world.diagnostics["profession"],
}
# Operations for people the three roles are not (a student's own data): walked with that person's token too.
EXTRA_ROLES = {
    "/api/v1/me/hours": ("student_a1",),
    "/api/v1/me/registrations": ("student_a1",),
    "/api/v1/offers/{id}/signup": ("student_a2",),
}


def valid(world, path: str, name: str):
    return VALID_FOR.get((path, name), VALID.get(name))(world)


def operations() -> list[tuple[str, str, dict]]:
    document = api.get_openapi_schema()
    return [
        (path, method, operation)
        for path, methods in sorted(document["paths"].items())
        for method, operation in sorted(methods.items())
        if method in ("get", "post", "put", "patch", "delete")
    ]


def body_fields(document: dict, operation: dict) -> dict[str, dict]:
    """The top-level fields of a JSON body, $refs resolved."""
    media = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if media is None:
        return {}
    schema = media["schema"]
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema.get("properties", {})


def send(client: Client, method: str, path: str, params: dict, query: dict, body: dict | None, headers: dict):
    url = path.format(**params)
    if method == "get":
        return client.get(url, query, **headers)
    payload = json.dumps(body or {})
    return getattr(client, method)(url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""), payload,
                                   content_type="application/json", **headers)  # fmt: skip


@pytest.mark.parametrize("path, method", [(path, method) for path, method, _ in operations()])
def test_no_parameter_of_any_api_operation_gives_a_500(path, method, world):
    """Found by «Trust» point 4: `page=200000000000000000` gave a 500, and NUL bytes in token names and texts gave
    500 on PostgreSQL."""
    document = api.get_openapi_schema()
    operation = document["paths"][path][method]
    parameters = [p for p in operation.get("parameters", []) if p["in"] in ("path", "query")]
    unknown = [
        p["name"] for p in parameters
        if p["name"] not in VALID and (path, p["name"]) not in VALID_FOR and (p.get("required") or p["in"] == "path")
    ]  # fmt: skip
    assert unknown == [], f"{method.upper()} {path}: нет допустимого значения для {unknown} — добавьте его в VALID"
    fields = body_fields(document, operation)
    base_params = {p["name"]: valid(world, path, p["name"]) for p in parameters if p["in"] == "path"}
    base_query = {p["name"]: valid(world, path, p["name"]) for p in parameters if p["in"] == "query" and p["name"] in VALID}
    base_body = {name: valid(world, path, name) for name in fields if name in VALID} if fields else None

    failures, answered = [], set()
    for index, role in enumerate(API_ROLES + EXTRA_ROLES.get(path, ())):
        _, key = api_token_create(user=world.cast.user(role), name="обход API")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        client = Client(raise_request_exception=False)

        def check(response, what: str, role=role) -> None:
            answered.add(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{role}: {what} → {response.status_code}")
            if response.status_code >= 400:
                shape = response.json() if response.get("Content-Type", "").startswith("application/json") else None
                if not (isinstance(shape, dict) and isinstance(shape.get("detail"), str)):
                    failures.append(f"{role}: {what} → {response.status_code} не в форме {{'detail': …}}: {response.content[:200]!r}")

        check(send(client, method, path, base_params, base_query, base_body, headers), "допустимый запрос")
        short = index > 0  # the first role sends every value, the others the short list
        for parameter in parameters:
            name = parameter["name"]
            for label, value in values_for("text", short=short).items():
                params, query = dict(base_params), dict(base_query)
                (params if parameter["in"] == "path" else query)[name] = value
                if parameter["in"] == "path" and value == "":
                    continue  # an empty path segment is another address
                check(send(client, method, path, params, query, base_body, headers), f"{parameter['in']} {name}=<{label}>")
        for name in fields:
            for label, value in values_for("text", short=short).items():
                body = {**(base_body or {}), name: value}
                check(send(client, method, path, base_params, base_query, body, headers), f"body {name}=<{label}>")
    assert failures == [], "\n".join(failures)
    assert answered & {200, 201, 204}, f"{method.upper()} {path}: ни одна роль не получила успешного ответа на допустимый запрос"


def test_the_walk_covers_every_operation_of_the_api():
    """A new operation joins the walk by itself (it is read from the OpenAPI document); this checks that the
    document and the URL configuration agree, so no operation is left out of the document."""
    from fuzz_tests.targets import named_routes

    documented = {operation["operationId"] for _, _, operation in operations()}
    routed = {route.name.split(":", 1)[1] for route in named_routes() if route.name.startswith("api:")}
    plumbing = {"openapi-json", "openapi-view", "api-root", "no-such-operation"}
    assert routed - plumbing, "the API has no operations?"
    for name in routed - plumbing:
        assert any(operation_id.endswith(name) for operation_id in documented), f"api:{name} is not in the OpenAPI document"
