"""The demo database holds the order's 46 items copied into the current school year, item 4.8 with its 12 monthly
periods and 5.5 with two, reports in the states a reviewer meets, and the monitoring's enrolments and forms."""

from io import StringIO

import pytest
from django.core.management import call_command

from monitoring.models import CoverageFigure, ProgrammeEnrolment
from roadmap.models import Plan, Report


@pytest.mark.django_db
def test_the_demo_holds_the_plan_of_the_current_year_with_its_periods_and_reports(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    call_command("seed_demo", "--scale", "300", stdout=StringIO())
    plan = Plan.objects.get(school_year__is_current=True)
    assert plan.items.count() == 46
    assert plan.items.get(code="4.8").periods.count() == 12
    assert plan.items.get(code="5.5").periods.count() == 2
    assert plan.items.get(code="1.3(2)").number == "1.3"
    states = dict(Report.objects.filter(period__item__plan=plan, is_lead=True).values_list("period__item__code", "state"))
    assert states == {"3.5": "accepted", "4.18": "submitted", "3.6": "returned"}
    assert Report.objects.get(period__item__code="3.6", period__item__plan=plan).comment
    assert ProgrammeEnrolment.objects.exists() and CoverageFigure.objects.filter(scope="republic").exists()
