"""The demo (issue 8, «The demo shows consents in every state, including a withdrawn one whose effect is visible»)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from access.policy import viewer_for
from demo.region import build_demo_region
from privacy.demo import build_privacy_demo
from privacy.models import Breach, ConsentRecord, ParentConfirmation, SubjectRequest
from privacy.policy import Answer, Reason, consent_statuses
from profminimum.demo import build_profminimum_demo


@pytest.fixture
def demo(db, media, settings):
    settings.DEMO_MODE = True  # the demo logins sign in only in demo mode
    build_demo_region(seed=1, scale=400)
    build_profminimum_demo(seed=1)
    return build_privacy_demo(seed=1)


def user(name):
    return get_user_model().objects.get(username=name)


def test_the_demo_family_has_a_consent_in_every_state(demo):
    children = sorted(viewer_for(user("roditel")).child_student_ids)
    statuses = consent_statuses(student_ids=children)
    answers = {status.answer for status in statuses.values()}
    reasons = {state.reason for status in statuses.values() for state in status.states}
    assert answers == {Answer.YES, Answer.NO, Answer.ASK}
    assert {Reason.GIVEN, Reason.WITHDRAWN, Reason.NONE, Reason.OUTDATED, Reason.LAPSED} <= reasons
    waiting_for_the_other = [s for s in statuses.values() if s.answer == Answer.ASK and s.waiting_for == ("student",)]
    assert waiting_for_the_other  # the parent gave it, the student has not yet
    pupil = viewer_for(user("uchenik")).own_student_id
    assert statuses[(pupil, "share_with_parent")].answer == Answer.NO
    assert ConsentRecord.objects.filter(channel="paper").exclude(paper_file="").exists()


def test_the_withdrawn_consent_hides_ucheniks_hours_from_roditel(client, demo):
    pupil = viewer_for(user("uchenik")).own_student_id
    client.force_login(user("roditel"))
    home = client.get("/").content.decode()
    assert "Результаты скрыты: согласие «Передача результатов родителям» отозвано" in home
    assert f'id="child-hours-{pupil}"' not in home and 'id="child-hours-' in home  # the younger child's hours stay
    assert "Результаты скрыты" in client.get(reverse("profminimum:dashboard_student", args=[pupil])).content.decode()


def test_the_region_has_consents_in_bulk_and_the_operator_has_a_queue(client, demo):
    assert demo["records"] > 400 and ParentConfirmation.objects.count() == demo["confirmed"]
    assert SubjectRequest.objects.filter(status="received").count() == 3 and Breach.objects.count() == 1
    client.force_login(user("copp"))
    html = client.get(reverse("privacy:queue")).content.decode()
    assert html.count("privacy-row--") == 3
    home = client.get("/").content.decode()
    assert "3 запроса о персональных данных ждут исполнения" in home and "Инцидент № " in home
