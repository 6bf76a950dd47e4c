"""Every page and form of the platform, walked with bad input: NUL bytes, 10,000 characters, huge and negative
numbers, far dates and empty values in each field, one field at a time, as three roles and as a visitor.
Nothing may answer 500 («Trust» point 4)."""

from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from fuzz_tests.conftest import pdf_file
from fuzz_tests.targets import (
    EXCLUDED,
    MORE_PATH_ARGS,
    MORE_ROLES,
    PATH_ARGS,
    ROLES,
    Form,
    FormField,
    Route,
    excluded_reason,
    forms_of,
    link_params,
    named_routes,
    one_of_each,
    params_read_by,
    read_page,
    values_for,
    walked_routes,
)

# The htmx variant of a query parameter gets the values that reach a query: a number and a date.
HTMX_VALUES = ("huge", "far-future")
# Django's CSRF token: the test client does not check it, so there is nothing behind it to reach.
NOT_FUZZED = {"csrfmiddlewaretoken"}

# Answers that show the request got past the address and the role to the view's own judgement.
REACHED = {200, 201, 204, 301, 302, 303, 400, 409, 413, 422}


class Walk:
    def __init__(self, route: Route, url: str):
        self.route, self.url, self.path = route, url, urlsplit(url).path
        self.failures: list[str] = []
        self.reached = False
        self.fuzzed = False
        self.requests = 0

    def check(self, response, role, what: str) -> None:
        self.requests += 1
        login = reverse(settings.LOGIN_URL)
        redirected_to_login = response.status_code == 302 and response.get("Location", "").startswith(login)
        if response.status_code in REACHED and not redirected_to_login:
            self.reached = True
        if response.status_code >= 500:
            self.failures.append(f"{role or 'посетитель'}: {what} → {response.status_code}")


def client_for(world, role) -> Client:
    client = Client(raise_request_exception=False)
    if role is not None:
        client.force_login(world.cast.user(role))
    return client


def post(client: Client, url: str, form: Form, data: dict[str, list[str]], files: list[FormField], headers: dict):
    if form.enctype == "multipart/form-data" or files:
        payload = dict(data)
        for f in files:
            payload[f.name] = pdf_file()
        return client.post(url, payload, headers=headers)
    return client.post(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded", headers=headers)


def walk_get_params(walk: Walk, client: Client, role, names: dict[str, str], base: dict, hx_target: str, *, short: bool) -> None:
    for name in one_of_each(sorted(names)):
        for label, value in values_for(names[name], short=short).items():
            query = {**base, name: value}
            walk.check(client.get(walk.url, query), role, f"GET ?{name}=<{label}>")
        for label in HTMX_VALUES:
            # The same through htmx: the views answer a part of the page then.
            value = values_for(names[name])[label]
            headers = {"HX-Request": "true", **({"HX-Target": hx_target} if hx_target else {})}
            walk.check(client.get(walk.url, {**base, name: value}, headers=headers), role, f"GET (htmx) ?{name}=<{label}>")


def walk_form(walk: Walk, client: Client, role, form: Form, *, short: bool) -> None:
    files = [f for f in form.fields if f.kind == "file"]
    base = form.defaults()
    kinds = {f.name: f.kind for f in form.fields if f.kind != "file" and f.name not in NOT_FUZZED}
    headers = {"HX-Request": "true"} if form.hx_target else {}
    for name in one_of_each(sorted(kinds)):
        for label, value in values_for(kinds[name], short=short).items():
            data = {**base, name: [value]}
            walk.check(post(client, walk.url, form, data, files, headers), role, f"POST {name}=<{label}>")


def walk_route(route: Route, world, variant: int = 0) -> Walk:
    """Walk the address with PATH_ARGS (variant 0) or with the variant-th of MORE_PATH_ARGS."""
    if variant:
        args = MORE_PATH_ARGS[route.name][variant - 1](world)
    else:
        args = PATH_ARGS[route.name](world) if route.has_args else {}
    url = reverse(route.name, kwargs=args)
    walk = Walk(route, url)
    reads = params_read_by(route)
    for role in [*ROLES, *MORE_ROLES]:
        if role in MORE_ROLES and walk.fuzzed:
            break
        client = client_for(world, role)
        response = client.get(url)
        walk.check(response, role, "GET")
        forms: list[Form] = []
        links: dict[str, str] = {}
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            page = read_page(response.content.decode())
            forms, links = forms_of(page, walk.path), link_params(page, walk.path)
        if response.status_code in (403, 404) or (response.status_code == 302 and role is not None):
            continue  # not this role's page: another role walks it
        short = walk.fuzzed  # the first role that gets here sends everything
        walk.fuzzed = True
        # The query parameters: of the page's GET forms (with their other fields as the form sends them), of
        # its links to itself, and those its view reads by name.
        get_forms = [form for form in forms if form.method == "get"]
        for form in get_forms:
            fields = {f.name: f.kind for f in form.fields if f.kind != "file" and f.name not in NOT_FUZZED}
            base = {k: v[0] for k, v in form.defaults().items()}
            walk_get_params(walk, client, role, fields, base, form.hx_target, short=short)
        seen = {f.name for form in get_forms for f in form.fields}
        extra = {name: "text" for name in [*links, *reads["GET"]] if name not in seen}
        walk_get_params(walk, client, role, extra, {}, "", short=short)
        # The forms that post here; a view that only takes POST is posted the fields its code reads.
        post_forms = [form for form in forms if form.method == "post"]
        if not post_forms and response.status_code == 405 and reads["POST"]:
            post_forms = [Form("post", url, "", fields=[FormField(name, "", "text") for name in sorted(reads["POST"])])]
        for form in post_forms:
            walk_form(walk, client, role, form, short=short)
    return walk


WALKS = [
    *[(route.name, 0) for route in walked_routes()],
    *[(name, variant) for name, more in MORE_PATH_ARGS.items() for variant in range(1, len(more) + 1)],
]


@pytest.mark.parametrize(("name", "variant"), WALKS, ids=[f"{name}#{variant}" if variant else name for name, variant in WALKS])
def test_no_field_of_any_page_gives_a_500(name, variant, world):
    """Found by «Trust» point 4: NUL bytes in the attendance excuse and the search box, and far dates, gave a
    500. Every page of the URL configuration, every field of its forms and every parameter it reads."""
    route = next(route for route in named_routes() if route.name == name)
    walk = walk_route(route, world, variant)
    assert walk.failures == [], "\n".join(walk.failures)
    assert walk.reached, f"{name}: ни одна роль не дошла до страницы {walk.url} — проверьте данные обхода (PATH_ARGS)"


def test_every_named_address_is_walked_or_excluded_with_a_reason():
    """A new page without the ids its address needs fails here: add it to PATH_ARGS (or to EXCLUDED, with why)."""
    routes = named_routes()
    names = {route.name for route in routes}
    missing = [r.name for r in routes if excluded_reason(r.name) is None and r.has_args and r.name not in PATH_ARGS]
    assert missing == [], f"Адреса без данных для обхода: {missing}"
    assert set(EXCLUDED) <= names, f"Исключены несуществующие адреса: {set(EXCLUDED) - names}"
    assert set(PATH_ARGS) <= names, f"Данные для несуществующих адресов: {set(PATH_ARGS) - names}"
