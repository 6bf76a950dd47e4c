"""What the walk found, each pinned by a test of its own («Trust» point 4: no 500 anywhere)."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from fuzz_tests.targets import forms_of, read_page
from profminimum.models import CourseLesson


@pytest.mark.parametrize("target", ["0001-01-01", "portal:home", "x", "", "//evil.example/", "https://evil.example/"])
def test_the_accessibility_switch_goes_back_only_to_a_path_of_the_site(client, db, target):
    """Found by the walk: `next=0001-01-01` on the switch of the version for the visually impaired gave a 500
    (redirect() read the word as the name of a URL pattern)."""
    response = client.post(reverse("core:accessibility"), {"next": target})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.post(reverse("core:accessibility"), {"next": "/orgs/?kind=school"})["Location"] == "/orgs/?kind=school"


def test_a_stale_course_programme_form_is_refused_with_a_message_not_a_500(client, world):
    """Found by the walk: the programme of the course saved from a page opened before another lesson was added
    (a row without its lesson's id) clashed with that lesson's number: a 500. Now it is refused, saying why."""
    pm = world.pm
    client.force_login(world.cast.user("ministry_admin"))
    url = reverse("profminimum:normative_detail", args=[pm.normative.pk])
    lessons_form = next(
        f for f in forms_of(read_page(client.get(url).content.decode()), url) if any(x.name == "lessons-TOTAL_FORMS" for x in f.fields)
    )
    data = lessons_form.defaults()
    data["lessons-0-lesson_id"] = [""]  # the first row as if its lesson did not exist yet
    before = list(CourseLesson.objects.filter(normative=pm.normative).values_list("pk", "number", "topic"))
    response = client.post(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400)
    assert "Программа курса изменилась, пока страница была открыта: обновите страницу и внесите правки снова." in response.content.decode()
    assert list(CourseLesson.objects.filter(normative=pm.normative).values_list("pk", "number", "topic")) == before
