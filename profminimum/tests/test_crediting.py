"""The one crediting service: work done outside a school's schedule (a completed diagnostic, an attended offer)
credits hours through the same ledger and rollups as a lesson."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from profminimum.models import Activity, CreditRule, HoursEntry, StudentYearHours
from profminimum.rollups import rollups_difference
from profminimum.services import hours_credit, hours_withdraw

D = Decimal


def total(student) -> Decimal:
    return StudentYearHours.objects.get(student=student).total_hours


def test_a_source_credits_its_students_once_and_can_take_the_hours_back(pm):
    cast = pm.cast
    alan, dzerassa = cast.students["a1_8a_0"], cast.students["b1_9a_1"]  # two schools, two municipalities
    day = pm.year.starts_on + datetime.timedelta(days=10)
    rule = CreditRule.objects.get(normative=pm.normative, kind=CreditRule.Kind.DIAGNOSTICS)
    assert (rule.direction.code, rule.hours) == ("upbringing", D("1"))  # the default of a new version

    activity = hours_credit(
        source_key="diagnostics:assignment:7", title="Диагностика интересов", direction=rule.direction, hours=rule.hours,
        day=day, student_ids=[alan.pk, dzerassa.pk],
    )  # fmt: skip
    assert (total(alan), total(dzerassa)) == (D("1"), D("1"))
    again = hours_credit(
        source_key="diagnostics:assignment:7", title="Диагностика интересов", direction=rule.direction, hours=rule.hours,
        day=day, student_ids=[alan.pk],
    )  # fmt: skip
    assert again.pk == activity.pk and total(alan) == D("1")  # credited once
    assert Activity.objects.filter(source_key="diagnostics:assignment:7").count() == 1
    assert rollups_difference(school_year_id=pm.year.pk) == {}

    assert hours_withdraw(source_key="diagnostics:assignment:7", student_ids=[alan.pk], reason="слишком быстрые ответы") == D("1")
    assert (total(alan), total(dzerassa)) == (D("0"), D("1"))
    assert list(HoursEntry.objects.filter(student=alan).order_by("pk").values_list("hours", "reason")) == [
        (D("1"), "attended"),
        (D("-1"), "corrected"),
    ]
    assert rollups_difference(school_year_id=pm.year.pk) == {}


def test_a_day_to_come_or_a_changed_source_is_refused(pm):
    rule = CreditRule.objects.get(normative=pm.normative)
    student = pm.cast.students["a1_8a_0"]
    with pytest.raises(ValidationError, match="ещё не состоялось"):
        hours_credit(
            source_key="offer:1", title="Экскурсия", direction=rule.direction, hours=D("2"),
            day=timezone.localdate() + datetime.timedelta(days=3), student_ids=[student.pk],
        )  # fmt: skip
    day = pm.year.starts_on + datetime.timedelta(days=5)
    hours_credit(source_key="offer:2", title="Экскурсия", direction=rule.direction, hours=D("2"), day=day, student_ids=[student.pk])
    with pytest.raises(ValidationError, match="другими часами"):
        hours_credit(source_key="offer:2", title="Экскурсия", direction=rule.direction, hours=D("3"), day=day, student_ids=[student.pk])
    with pytest.raises(ValidationError, match="нет учебного года"):
        hours_credit(
            source_key="offer:3", title="Экскурсия", direction=rule.direction, hours=D("2"),
            day=pm.year.starts_on - datetime.timedelta(days=400), student_ids=[student.pk],
        )  # fmt: skip
