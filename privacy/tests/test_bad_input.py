"""Bad input never gives a 500 on the personal-data pages: every field of every form and every query parameter
gets NUL bytes, 10 000 characters, huge and negative numbers and far dates (issue 7's finding, for issue 8's
pages)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.models import Breach, ConsentKind, SubjectRequest
from privacy.services import request_create

VALUES = ["текст\x00с нулём", "я" * 10_000, "1" + "0" * 20, "-1" + "0" * 20, "0001-01-01", "9999-12-31", "0001-01-01T00:00",
          "9999-12-31T23:59", ""]  # fmt: skip


def post_each(client, url, base: dict) -> list[str]:
    failures = []
    for field in base:
        for value in VALUES:
            response = client.post(url, {**base, field: value})
            if response.status_code >= 500:
                failures.append(f"{url} {field}={value[:20]!r}: {response.status_code}")
    return failures


def get_each(client, url, params: list[str]) -> list[str]:
    failures = []
    for param in params:
        for value in VALUES:
            response = client.get(url, {param: value})
            if response.status_code >= 500:
                failures.append(f"{url}?{param}={value[:20]!r}: {response.status_code}")
    return failures


@pytest.fixture
def scene(cast, family_of):
    family = family_of(15, key="z")
    request, _ = request_create(user=family.parent_user, student=family.student, kind="erasure")
    breach = Breach.objects.create(
        detected_at=timezone.now(), description="—", scope="role", scope_role="class_teacher", window_start=timezone.now(),
        window_end=timezone.now(),
    )  # fmt: skip
    return family, request, breach


def test_the_familys_forms_survive_bad_input(client, scene):
    family, _, _ = scene
    client.force_login(family.parent_user)
    pk = family.student.pk
    failures = post_each(client, reverse("privacy:consent", args=[pk, "photo_video"]), {"decision": "given", "has_read": "on"})
    failures += post_each(client, reverse("privacy:request_new", args=[pk, "erasure"]), {"confirm": "yes"})
    failures += post_each(client, reverse("privacy:request_new", args=[pk, "export"]), {"x": "1"})
    assert failures == []


def test_the_schools_forms_survive_bad_input(client, cast, scene):
    family, _, _ = scene
    client.force_login(cast.user("coordinator_a1"))
    url = reverse("privacy:staff_student", args=[family.student.pk])
    failures = post_each(client, url, {"action": "confirm", "link": str(family.link.pk), "basis": "birth_certificate"})
    paper = {
        "action": "paper", "kind": str(ConsentKind.objects.get(code="guidance").pk), "decision": "given", "party": "parent",
        "parent_link": str(family.link.pk), "signed_on": timezone.localdate().isoformat(),
    }  # fmt: skip
    failures += post_each(client, url, paper)
    failures += get_each(client, reverse("privacy:school", args=[cast.orgs["a1"].pk]), ["class", "unconfirmed", "page"])
    assert failures == []


def test_the_operators_forms_survive_bad_input(client, cast, scene):
    _, request, breach = scene
    client.force_login(cast.user("operator"))
    form = {
        "detected_at": "2026-11-30T08:00", "description": "Что-то случилось.", "scope": "role", "scope_username": "",
        "scope_organization": "", "scope_role": "class_teacher", "window_start": "2026-11-29T00:00", "window_end": "2026-11-30T00:00",
    }  # fmt: skip
    failures = post_each(client, reverse("privacy:breaches"), form)
    failures += post_each(client, reverse("privacy:request", args=[request.pk]), {"action": "refuse", "reason": "Нет оснований."})
    failures += post_each(client, reverse("privacy:breach", args=[breach.pk]), {"step": "notified"})
    failures += get_each(client, reverse("privacy:breach", args=[breach.pk]), ["page"])
    failures += get_each(client, reverse("privacy:queue"), ["show"])
    for created in Breach.objects.exclude(pk=breach.pk):
        assert client.get(reverse("privacy:breach", args=[created.pk])).status_code == 200
    assert failures == []
    assert SubjectRequest.objects.filter(pk=request.pk).exists()
