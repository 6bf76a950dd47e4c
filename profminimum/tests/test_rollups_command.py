from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from profminimum.models import HoursHistogram, Scope
from profminimum.services import Mark, attendance_save


def test_rollups_rebuild_check_reports_a_corruption_and_the_command_repairs_it(pm):
    """Issue «Trust», point 6: `manage.py rollups_rebuild [--check]` — a check that writes nothing, a repair."""
    student = pm.cast.students["a1_8a_0"]
    attendance_save(activity=pm.activity("a1_8a", hours="2", week=0), marks={student.pk: Mark(True)}, by=None)
    out = StringIO()
    call_command("rollups_rebuild", "--check", stdout=out)
    assert "совпадают" in out.getvalue()

    HoursHistogram.objects.create(
        school_year=pm.year, scope=Scope.REPUBLIC, scope_id=0, level_pk=0, hours=5, directions_met=True, students=7
    )
    out = StringIO()
    with pytest.raises(CommandError, match="расходятся"):
        call_command("rollups_rebuild", "--check", stdout=out)
    assert "HoursHistogram: расхождений 1" in out.getvalue()
    assert HoursHistogram.objects.filter(students=7).exists()  # the check wrote nothing

    call_command("rollups_rebuild", stdout=StringIO())
    out = StringIO()
    call_command("rollups_rebuild", "--check", stdout=out)
    assert "совпадают" in out.getvalue()


def test_a_rebuild_may_think_longer_than_the_minute_after_which_an_idle_transaction_is_ended(pm):
    """The application's connections end a transaction idle for a minute; a rebuild of 250,000 students computes
    for minutes between its statements (found building the 250k bench region), so its own transaction lifts that."""
    from django.db import connection, transaction

    from profminimum.rollups import rollups_rebuild

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with transaction.atomic():
        rollups_rebuild(school_year_id=pm.year.pk)
        with connection.cursor() as cursor:
            cursor.execute("SHOW idle_in_transaction_session_timeout")
            assert cursor.fetchone()[0] == "0"  # SET LOCAL: the next transaction has the minute again
