"""A report is prefilled with what the platform holds (4.8: the monitoring's coverage; 4.2 and 4.9: the trials; 4.3:
the diagnostics), keeps a frozen copy of it, and takes a correction only with a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from monitoring.models import Programme
from monitoring.periods import periods_ensure
from monitoring.rollups import coverage_recompute
from monitoring.services import enrolment_upsert
from roadmap.services import report_refresh, report_save, report_start


def _enrol(cast, student_key, programme):
    enrolment_upsert(student=cast.students[student_key], programme=programme, starts_on=cast.year.starts_on, by=cast.user("coordinator_a1"))


def test_the_48_report_is_prefilled_with_coverage_counting_a_student_in_three_programmes_once(client, road):
    cast = road.cast
    periods_ensure(school_year=cast.year)
    programmes = [
        Programme.objects.create(title=title, provider=cast.orgs["college"], direction=Programme.Direction.TECHNICAL)
        for title in ("Робототехника", "Шахматы", "Театр")
    ]
    for programme in programmes:
        _enrol(cast, "a1_8a_0", programme)
    _enrol(cast, "b1_9a_2", programmes[0])
    september = road.period("4.8", 0)
    coverage_recompute(month=september.starts_on)

    ministry = cast.user("ministry_admin")
    report = report_start(period=september, organization=cast.orgs["ministry"], by=ministry)
    figures = {figure["key"]: figure["value"] for figure in report.prefilled}
    # 18 students of grades 8–9 in three schools; two of them covered (the one in three programmes once); 4 enrolments.
    assert (figures["students"], figures["covered"], figures["enrolments"]) == (18, 2, 4)
    assert figures["coverage"] == "11.1"  # 2 ÷ 18 × 100

    # A correction needs a reason; with one it is kept beside the frozen platform figure.
    with pytest.raises(ValidationError) as error:
        report_save(report=report, execution="done", text="Свод.", corrections={"covered": ("3", "")}, own_figures=[], by=ministry)
    assert "укажите причину" in " ".join(error.value.messages)
    report_save(report=report, execution="done", text="Свод.", corrections={"covered": ("3", "Один ученик в кружке вне платформы")},
                own_figures=[], by=ministry)  # fmt: skip
    report.refresh_from_db()
    assert report.corrections == {"covered": {"value": 3, "reason": "Один ученик в кружке вне платформы"}}

    # Later data do not move the frozen copy; refreshing (a draft only) takes them.
    _enrol(cast, "a2_8a_0", programmes[1])
    coverage_recompute(month=september.starts_on)
    report.refresh_from_db()
    assert {f["key"]: f["value"] for f in report.prefilled}["covered"] == 2
    report = report_refresh(report=report, by=ministry)
    assert {f["key"]: f["value"] for f in report.prefilled}["covered"] == 3

    client.force_login(ministry)
    page = client.get(reverse("roadmap:report", args=[report.pk])).content.decode()
    assert "Охват дополнительным образованием, %" in page and "16,7 %" in page  # 3 ÷ 18


def test_the_trials_and_diagnostics_reports_are_prefilled_from_the_events_and_diagnostics_domains(client, road):
    """4.2 and 4.9 from the trials (imported from «Билет в будущее» here, counted as if marked at the host), 4.3 from
    the diagnostics: three students, one of them at two trials; two sites; no diagnostics finished yet — a zero,
    not «нет данных», since the platform now keeps that count."""
    import datetime

    from events.services import trial_record_import

    cast = road.cast
    day = cast.year.starts_on + datetime.timedelta(days=10)
    for key, site in (("a1_8a_0", "Агрофирма «Нива»"), ("a1_8a_0", "Колледж"), ("a1_8a_1", "Агрофирма «Нива»"), ("b1_9a_2", "Колледж")):
        trial_record_import(student=cast.students[key], held_on=day, title="Проба агронома", site_name=site)

    students = report_start(period=road.period("4.2"), organization=cast.orgs["copp"], by=cast.user("operator"))
    assert [(f["key"], f["value"]) for f in students.prefilled] == [("trial_students", 3), ("trial_sites", 2)]
    trials = report_start(period=road.period("4.9"), organization=cast.orgs["copp"], by=cast.user("operator"))
    assert [(f["key"], f["value"]) for f in trials.prefilled] == [("trials", 2)]  # one trial a day at each site
    diagnostics = report_start(period=road.period("4.3"), organization=cast.orgs["copp"], by=cast.user("operator"))
    assert [(f["key"], f["value"]) for f in diagnostics.prefilled] == [("diagnostics", 0), ("diagnostics_students", 0)]
    client.force_login(cast.user("operator"))
    page = client.get(reverse("roadmap:report", args=[students.pk])).content.decode()
    assert "Обучающихся, прошедших профессиональные пробы" in page


def test_the_412_report_counts_students_with_a_justified_backup_and_recommendations_at_each_scope(road):
    """Hand-made trajectories: in A1 a student with a backup and recommendations (confirmed), one with a backup but
    no recommendations, one whose backup says no why; in A2 one with a backup and recommendations; in B1 one with
    only a main goal. Each school has 6 students of grades 8–9; the municipality of A1 and A2 has 12, the republic 18."""
    import datetime

    from django.utils import timezone

    from catalog.models import Profession
    from catalog.shipped import catalog_shipped_ensure
    from guidance.models import Goal, Recommendation, Trajectory
    from roadmap.figures import figure_providers
    from roadmap.services import figure_context

    catalog_shipped_ensure()
    cast = road.cast
    welder, fitter = Profession.objects.get(code="welder"), Profession.objects.get(code="fitter")
    now = timezone.now()

    def trajectory(key, *, backup_why=None, recommended=False, confirmed=False):
        student = cast.students[key]
        made = Trajectory.objects.create(student=student, updated_at=now, confirmed_at=now if confirmed else None)
        Goal.objects.create(trajectory=made, kind="main", profession=welder, why="нравится работать руками")
        if backup_why is not None:
            Goal.objects.create(trajectory=made, kind="backup", profession=fitter, why=backup_why, position=1)
        if recommended:
            Recommendation.objects.create(
                student=student, profession=welder, rank=1, score=0.8, correlation=0.8, iachan=28, brown_gore=18,
                reason="высокие баллы по шкале R", basis="test", computed_at=now,
            )  # fmt: skip

    trajectory("a1_8a_0", backup_why="тоже техника, колледж рядом", recommended=True, confirmed=True)
    trajectory("a1_8a_1", backup_why="на всякий случай")
    trajectory("a1_9a_0", backup_why="", recommended=True)
    trajectory("a2_9a_2", backup_why="запасной колледж", recommended=True)
    trajectory("b1_9a_1", recommended=True)

    def figures(organization):
        period = road.period("4.12")
        context = figure_context(period, organization, today=period.due_on + datetime.timedelta(days=1))
        return {f.key: f.value for f in figure_providers.figures(context)}

    keys = ("students", "trajectories", "backup", "backup_and_recommendations", "confirmed")
    assert [figures(cast.orgs["a1"])[k] for k in keys] == [6, 3, 2, 1, 1]
    assert [figures(cast.orgs["dept_a"])[k] for k in keys] == [12, 4, 3, 2, 1]
    assert [figures(cast.orgs["dept_b"])[k] for k in keys] == [6, 1, 0, 0, 0]
    republic = figures(cast.orgs["copp"])
    assert [republic[k] for k in keys] == [18, 5, 3, 2, 1]
    assert str(republic["backup_share"]) == "11.1"  # 2 of 18

    report = report_start(period=road.period("4.12"), organization=cast.orgs["copp"], by=cast.user("operator"))
    assert ("backup_and_recommendations", 2) in [(f["key"], f["value"]) for f in report.prefilled]
