"""Nothing reachable only by typing a URL (issue 6): each role's menu and home link to every page that role
may open, and every link there opens (no link to a page the role is refused)."""

import re

import pytest
from django.urls import reverse

from profminimum.models import SchoolLevel
from profminimum.services import Mark, attendance_save


def links(client, user) -> set[str]:
    client.force_login(user)
    html = client.get("/").content.decode()
    return {href.replace("&amp;", "&") for href in re.findall(r'href="([^"#]+)"', html)}


def expected_pages(cast) -> dict[str, list[str]]:
    a1, eight = cast.orgs["a1"], cast.classes["a1_8a"]
    child, own = cast.students["a1_8a_0"], cast.students["a1_8a_1"]
    republic = [
        reverse("profminimum:dashboard"), reverse("profminimum:level_list"), reverse("profminimum:normative_list"),
        reverse("directory:student_search"), reverse("directory:organization_list"),
        reverse("directory:municipality_detail", args=[cast.municipalities["a"].pk]),
    ]  # fmt: skip
    school = [
        reverse("profminimum:dashboard_school", args=[a1.pk]), reverse("profminimum:school_level", args=[a1.pk]),
        reverse("profminimum:normative_list"), reverse("directory:student_search"), reverse("directory:organization_list"),
        reverse("directory:class_detail", args=[eight.pk]),
    ]  # fmt: skip
    return {
        "ministry_admin": republic + [reverse("admin:index")],
        "operator": republic + [reverse("admin:index")],
        "ministry_analyst": republic,
        "municipal_a": [
            reverse("profminimum:dashboard_municipality", args=[cast.municipalities["a"].pk]),
            reverse("profminimum:level_list"),
            reverse("profminimum:normative_list"),
            reverse("directory:student_search"),
            reverse("directory:organization_list"),
            reverse("directory:organization_detail", args=[a1.pk]),
            reverse("profminimum:school_level", args=[a1.pk]),
            reverse("directory:municipality_detail", args=[cast.municipalities["a"].pk]),
        ],
        "coordinator_a1": school,
        "psychologist_a1": school,
        "class_teacher_a1": [
            reverse("profminimum:dashboard"),
            reverse("profminimum:class_schedule", args=[eight.pk]),
            reverse("directory:class_detail", args=[eight.pk]),
            reverse("profminimum:normative_list"),
            reverse("directory:student_search"),
            reverse("directory:organization_list"),
        ],
        "parent_a1": [
            reverse("directory:student_detail", args=[child.pk]),
            reverse("profminimum:dashboard_student", args=[child.pk]),
            reverse("profminimum:normative_list"),
            reverse("directory:organization_list"),
        ],
        "student_a1": [
            reverse("directory:student_detail", args=[own.pk]),
            reverse("profminimum:dashboard_student", args=[own.pk]),
            reverse("profminimum:normative_list"),
            reverse("directory:organization_list"),
        ],
        "partner_a": [reverse("directory:organization_detail", args=[cast.orgs["employer_a"].pk]), reverse("directory:organization_list")],
        "jury": [reverse("directory:organization_list")],
    }


@pytest.fixture
def history(pm):
    """Something for every attention item to point at: a level waiting, lessons not marked, absences."""
    SchoolLevel.objects.filter(school=pm.cast.orgs["a2"]).update(status=SchoolLevel.Status.CHOSEN)
    pm.activity("a1_8a", week=0)
    lesson = pm.activity("a1_9a", week=0)
    attendance_save(activity=lesson, marks={s.pk: Mark(False, "болел(а)") for s in lesson.classes.get().students.all()}, by=None)
    return pm


ROLES = ["ministry_admin", "operator", "ministry_analyst", "municipal_a", "coordinator_a1", "psychologist_a1", "class_teacher_a1",
         "parent_a1", "student_a1", "partner_a", "jury"]  # fmt: skip


@pytest.mark.parametrize("username", ROLES)
def test_each_roles_home_links_to_every_page_it_may_open_and_each_link_opens(client, history, username):
    cast = history.cast
    found = links(client, cast.user(username))
    missing = [url for url in expected_pages(cast)[username] if url not in found]
    assert not missing, f"{username}: no link to {missing}"
    assert reverse("profminimum:public_levels") in found and reverse("portal:profile") in found
    for url in sorted(url for url in found if url.startswith("/") and not url.startswith("/static/")):
        status = client.get(url).status_code
        assert status in (200, 302), f"{username}: {url} answers {status}"


def test_only_those_who_administer_see_the_administration_link(client, cast):
    for username in ("ministry_analyst", "municipal_a", "coordinator_a1"):
        assert reverse("admin:index") not in links(client, cast.user(username)), username


def test_the_ministry_reaches_the_level_approvals_and_the_normative_settings_from_the_menu(client, cast):
    """Issue 6: «The ministry's level approvals … and the normative settings are in no menu»."""
    client.force_login(cast.user("ministry_admin"))
    html = client.get("/").content.decode()
    menu = html[html.index('aria-label="Основное меню"') :]
    menu = menu[: menu.index("</nav>")]
    assert '<a href="/profminimum/levels/">Уровни школ</a>' in menu
    assert '<a href="/profminimum/normative/">Нормативы</a>' in menu
