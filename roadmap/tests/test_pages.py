"""Every page of the roadmap opens for every role of the cast: 200 where the role may look, 403 or 404 where it may
not, never a 500."""

from django.urls import reverse

from roadmap.services import report_start

ROLES = [
    "ministry_admin", "ministry_analyst", "operator", "jury", "municipal_a", "partner_a", "coordinator_a1", "psychologist_a1",
    "class_teacher_a1", "navigator_a1", "parent_a1", "student_a1",
]  # fmt: skip


def test_each_role_opens_the_roadmap_pages_without_an_error(client, road):
    cast = road.cast
    item = road.item("1.1")
    period = item.periods.first()
    report = report_start(period=period, organization=cast.orgs["ministry"], by=cast.user("ministry_admin"))
    urls = [
        reverse("roadmap:home"), reverse("roadmap:plans"), reverse("roadmap:plan", args=[road.plan.pk]),
        reverse("roadmap:plan", args=[road.source.pk]), reverse("roadmap:executors", args=[road.plan.pk]),
        reverse("roadmap:plan", args=[road.plan.pk]) + "?format=xlsx", reverse("roadmap:item", args=[item.pk]),
        reverse("roadmap:item_edit", args=[item.pk]), reverse("roadmap:item_new", args=[road.plan.pk]),
        reverse("roadmap:period", args=[period.pk]), reverse("roadmap:report", args=[report.pk]),
        reverse("roadmap:period", args=[road.period("4.8").pk]), reverse("roadmap:item", args=[road.item("5.5").pk]),
    ]  # fmt: skip
    seen = {}
    for role in ROLES:
        client.force_login(cast.user(role))
        for url in urls:
            status = client.get(url).status_code
            assert status in (200, 302, 403, 404), (role, url, status)
            seen[(role, url)] = status
        client.logout()
    assert seen[("ministry_admin", reverse("roadmap:report", args=[report.pk]))] == 200
    assert seen[("ministry_admin", reverse("roadmap:item_edit", args=[item.pk]))] == 200
    assert seen[("coordinator_a1", reverse("roadmap:plan", args=[road.plan.pk]))] == 200
    assert seen[("student_a1", reverse("roadmap:plan", args=[road.plan.pk]))] == 403
    assert seen[("coordinator_a1", reverse("roadmap:report", args=[report.pk]))] == 404  # the ministry's own report
    assert seen[("coordinator_a1", reverse("roadmap:item_edit", args=[item.pk]))] == 403
