"""Issue 7, point 7 («Pages that a shared school computer forgets»): no answer with personal data stays in a
browser's cache, a Content-Security-Policy admits only the platform's own scripts and styles, and a request body
over the limit is refused with the platform's Russian 413 before any view reads it."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts.services import api_token_create
from core.security import TOO_MANY, RequestBodyLimitMiddleware, bad_request

TOO_BIG_BYTES = settings.REQUEST_BODY_MAX_BYTES + 1


def cache_directives(response) -> set[str]:
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",") if part.strip()}


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def signed_in_pages(cast) -> dict[str, list[str]]:
    student = cast.students["a1_8a_0"]
    return {
        "ministry_admin": ["/", "/profminimum/", f"/students/{student.pk}/", "/profile/", "/orgs/"],
        "coordinator_a1": ["/", f"/students/{student.pk}/", f"/classes/{cast.classes['a1_8a'].pk}/"],
        "parent_a1": ["/", f"/profminimum/students/{student.pk}/"],
        "student_a1": ["/", "/profile/"],
    }


# --- Cache-Control ------------------------------------------------------------------------------------------


def test_every_page_a_signed_in_person_sees_says_no_store(client, cast):
    """Issue 7, point 7: `Cache-Control: no-store` on pages with personal data, so that after «Выйти» a shared
    computer's back button and cache have nothing of a child's to show."""
    for username, urls in signed_in_pages(cast).items():
        client.force_login(cast.user(username))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            assert "no-store" in cache_directives(response), (username, url, response.get("Cache-Control"))
        # A refusal and a page that does not exist are answers to a signed-in person too.
        missing = client.get("/students/999999999/")
        assert missing.status_code == 404 and "no-store" in cache_directives(missing)
        client.logout()


def test_every_api_answer_says_no_store_whoever_asks(client, cast):
    """Issue 7, point 7: the API's answers (a token signs in inside the view) are never cached either."""
    _, key = api_token_create(user=cast.user("coordinator_a1"), name="проверка кэша")
    signed = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    student = cast.students["a1_8a_0"]
    for url, headers, status in [
        ("/api/v1/me", signed, 200),
        (f"/api/v1/students/{student.pk}", signed, 200),
        (f"/api/v1/students?class_id={cast.classes['a1_8a'].pk}", signed, 200),
        ("/api/v1/students", signed, 422),
        ("/api/v1/me", {}, 401),
    ]:
        response = client.get(url, **headers)
        assert response.status_code == status, url
        assert "no-store" in cache_directives(response), (url, response.get("Cache-Control"))


def test_static_files_and_public_pages_seen_before_sign_in_keep_their_caching(client, cast):
    """The rule is «signed in, or the API»: the public list of levels and the stylesheet may be cached."""
    public = client.get(reverse("profminimum:public_levels"))
    assert public.status_code == 200 and "no-store" not in cache_directives(public)
    stylesheet = client.get("/static/core/app.css")
    assert stylesheet.status_code == 200 and "no-store" not in cache_directives(stylesheet)
    client.force_login(cast.user("parent_a1"))
    assert "no-store" in cache_directives(client.get(reverse("profminimum:public_levels")))
    assert "no-store" not in cache_directives(client.get("/static/core/app.css"))


def test_after_sign_out_a_childs_page_is_asked_for_again_and_leads_to_the_login(client, cast):
    student = cast.students["a1_8a_0"]
    client.force_login(cast.user("parent_a1"))
    assert student.person.last_name in client.get(f"/profminimum/students/{student.pk}/").content.decode()
    client.post(reverse("accounts:logout"))
    response = client.get(f"/profminimum/students/{student.pk}/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# --- Content-Security-Policy -------------------------------------------------------------------------------


def test_the_policy_admits_only_the_platforms_own_scripts_and_styles(client, cast):
    """Issue 7, point 7: a Content-Security-Policy with no 'unsafe-inline' and no 'unsafe-eval': scripts and
    styles from the platform's own address, the head's one inline script by the request's nonce."""
    response = client.get(reverse("accounts:login"))
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"] and directives["form-action"] == ["'self'"]
    script_src = directives["script-src"]
    assert script_src[0] == "'self'" and len(script_src) == 2 and script_src[1].startswith("'nonce-")
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "*" not in policy
    nonce = script_src[1][len("'nonce-") : -1]
    html = response.content.decode()
    assert f'<script nonce="{nonce}">document.documentElement.setAttribute("data-js", "")</script>' in html
    # htmx comes from the platform's static files (django-htmx's copy), with the page's nonce too.
    assert re.search(rf'<script src="/static/django_htmx/htmx-2\.min\.js" defer nonce="{nonce}"></script>', html)
    # A new nonce for every answer.
    assert csp_directives(client.get(reverse("accounts:login")))["script-src"] != script_src


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b(?![^>]*\bnonce=)", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"\s(on[a-z]+|hx-on[\w:-]*)\s*=", re.IGNORECASE)
EVALUATED = re.compile(r"javascript:|hx-vals=[\"']js:|hx-vars=", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    """What the policy would block in a page or a template: inline scripts without the nonce, <style> elements,
    style attributes, inline event handlers (htmx's hx-on included: htmx evaluates it) and javascript: links."""
    found = []
    for name, pattern in [("inline script", INLINE_SCRIPT), ("<style>", STYLE_ELEMENT), ("style attribute", STYLE_ATTRIBUTE),
                          ("inline handler", HANDLER_ATTRIBUTE), ("evaluated code", EVALUATED)]:  # fmt: skip
        found += [f"{name}: {match.group().strip()}" for match in pattern.finditer(html)]
    return found


def project_templates() -> list[Path]:
    """The platform's own templates that a browser shows. Those in a `print` folder are documents that
    WeasyPrint draws into a PDF on the server: no browser runs them under the policy."""
    root = Path(settings.BASE_DIR)
    skipped = {".venv", "node_modules", "staticfiles", "test-artifacts", "var", "print"}
    return [path for path in root.rglob("*.html") if not skipped & set(path.relative_to(root).parts)]


def test_no_template_holds_code_the_policy_would_block():
    """Issue 7, point 7: nothing in the platform's templates needs 'unsafe-inline' — a new template with a
    style attribute or an onclick fails here, before the browser suite finds it."""
    templates = project_templates()
    assert len(templates) > 50
    found = {str(path.relative_to(settings.BASE_DIR)): inline_code(path.read_text(encoding="utf-8")) for path in templates}
    assert {path: lines for path, lines in found.items() if lines} == {}


def test_the_rendered_pages_hold_no_code_the_policy_would_block(client, cast):
    """The same for what Python writes into the pages (the charts, the tables, the forms' widgets)."""
    for username, urls in signed_in_pages(cast).items():
        client.force_login(cast.user(username))
        for url in urls:
            assert inline_code(client.get(url).content.decode()) == [], (username, url)
        client.logout()
    assert inline_code(client.get(reverse("accounts:login")).content.decode()) == []


def test_the_error_pages_hold_no_code_the_policy_would_block(client):
    for name in ("500.html", "403_csrf.html", "404.html", "403.html", "413.html"):
        text = (Path(settings.BASE_DIR) / "templates" / name).read_text(encoding="utf-8")
        assert inline_code(text) == [], name


# --- Request bodies over the limit --------------------------------------------------------------------------


def test_a_body_declared_over_the_limit_is_refused_before_anything_reads_it():
    """Issue 7, point 7: a request body over the limit is refused before the view (and before the middleware
    below, which would parse it)."""

    def view(request):
        raise AssertionError("the view (or a middleware below) was reached")

    request = RequestFactory().post(
        "/accounts/login/", data=b"x", content_type="application/octet-stream", CONTENT_LENGTH=str(TOO_BIG_BYTES)
    )
    response = RequestBodyLimitMiddleware(view)(request)
    assert response.status_code == 413
    within = RequestFactory().post("/accounts/login/", data=b"x", content_type="application/octet-stream")
    assert RequestBodyLimitMiddleware(lambda request: HttpResponse("прочитано"))(within).status_code == 200


def test_a_page_over_the_limit_gets_the_platforms_russian_413_page(client, cast):
    """Decision: «Oversized bodies get the platform's Russian 413 page»."""
    client.force_login(cast.user("coordinator_a1"))
    response = client.generic("POST", "/profile/", b"x", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(TOO_BIG_BYTES))
    assert response.status_code == 413
    html = response.content.decode()
    assert "<h1>Запрос слишком большой</h1>" in html
    assert "сервер принимает за один раз не больше 12 МБ" in html and "Данные формы не сохранены" in html
    assert '<html lang="ru"' in html and "no-store" in cache_directives(response)
    assert "Content-Security-Policy" in response


def test_the_api_answers_its_own_json_413(client):
    response = client.generic("POST", "/api/v1/me", b"{}", content_type="application/json", CONTENT_LENGTH=str(TOO_BIG_BYTES))
    assert response.status_code == 413 and response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {
        "detail": "Запрос слишком большой: сервер принимает за один раз не больше 12 МБ. Если вы прикладывали файл, уменьшите его "
        "(например, сохраните скан в меньшем разрешении или в PDF) и отправьте форму ещё раз."
    }


def test_form_fields_found_too_large_while_read_are_the_same_413_not_a_400(client, db):
    """Issue 7, point 7: 3 МБ of form fields (over DATA_UPLOAD_MAX_MEMORY_SIZE, within the body limit) were an
    anonymous 400; they are the platform's 413."""
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < 3 * 1024 * 1024 < settings.REQUEST_BODY_MAX_BYTES
    response = client.post(reverse("accounts:login"), {"username": "я" * (3 * 1024 * 1024 // 2), "password": "x"})
    assert response.status_code == 413
    assert "<h1>Запрос слишком большой</h1>" in response.content.decode()


def test_too_many_fields_are_a_413_that_says_so(client, db):
    fields = {f"поле{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("accounts:login"), fields)
    assert response.status_code == 413
    assert TOO_MANY in response.content.decode()


@pytest.mark.parametrize("path, json_answer", [("/api/v1/me", True), ("/accounts/login/", False)])
def test_the_handler_for_a_body_too_large_while_read_answers_as_the_address_does(rf, db, path, json_answer):
    request = rf.post(path)
    request.user = AnonymousUser()
    response = bad_request(request, RequestDataTooBig("слишком много"))
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json") is json_answer
    assert bad_request(request, SuspiciousOperation("другое")).status_code == 400


def test_a_malformed_request_gets_the_platforms_russian_400_page(client, db):
    """Found by the fuzz walk's author: a request Django refuses as suspicious (here, a host it does not serve)
    got Django's English «Bad Request (400)»."""
    response = client.get("/accounts/login/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "Запрос не принят" in response.content.decode()
