import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fuzz_tests.targets import Target
from notifications.services import notify
from profminimum.models import SchoolLevel
from profminimum.services import school_level_choose
from profminimum.tests.conftest import Profminimum

# A real, tiny, valid PDF (one empty page): what a file field gets, so that the rest of its form is judged.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n163\n%%EOF\n"
)


def pdf_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("order.pdf", PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def world(cast, settings, tmp_path) -> Target:
    """The cast and the профминимум fixture, with what the addresses need: an activity on the year's first
    Thursday, and a level school A1 chose with its order (to approve, and to download)."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    pm = Profminimum(cast)
    activity = pm.activity("a1_8a", week=0)
    SchoolLevel.objects.filter(school=cast.orgs["a1"]).delete()
    school_level = school_level_choose(
        school=cast.orgs["a1"], school_year=cast.year, level=pm.levels["main"], order_file=pdf_file(),
        order_number="12-о", order_date=min(datetime.date.today(), cast.year.starts_on), by=cast.user("coordinator_a1"),
    )  # fmt: skip
    notification = notify(
        users=[cast.user("ministry_admin")], subject="Школа выбрала уровень", text="Проверьте приказ.",
        url=f"/profminimum/schools/{cast.orgs['a1'].pk}/level/", email=False,
    )[0]  # fmt: skip
    # The family pages: a family of school A1 with an export request, an erasure carried out (its act), a breach.
    from privacy.services import breach_register, erasure_execute, request_create
    from privacy.shipped import shipped_data_ensure
    from privacy.tests.conftest import make_family

    shipped_data_ensure()
    family = make_family(cast, age=15, key="fuzz")
    export, _ = request_create(user=family.parent_user, student=family.student, kind="export")
    erased = make_family(cast, age=16, key="fuzzgone")
    erasure, _ = request_create(user=erased.parent_user, student=erased.student, kind="erasure")
    act = erasure_execute(user=cast.user("operator"), request=erasure)
    now = timezone.now()
    breach = breach_register(
        user=cast.user("operator"), detected_at=now - datetime.timedelta(hours=1), description="Проверка.", scope="account",
        scope_user=cast.user("class_teacher_a1"), window_start=now - datetime.timedelta(days=1), window_end=now,
    )  # fmt: skip
    from events.tests.world import events_world

    # The roadmap: the order's plan copied into the year, school A1's contribution to item 1.2 with an evidence file;
    # the monitoring: the year's periods, a programme and an enrolment of school A1.
    from monitoring.models import Period, Programme
    from monitoring.periods import periods_ensure
    from monitoring.services import enrolment_upsert
    from roadmap.services import evidence_file_add, plan_copy, report_start
    from roadmap.source import source_plan_ensure

    plan = plan_copy(plan=source_plan_ensure(), school_year=cast.year, by=cast.user("ministry_admin"))
    item = plan.items.get(code="1.2")
    report = report_start(period=item.periods.first(), organization=cast.orgs["a1"], by=cast.user("coordinator_a1"))
    evidence = evidence_file_add(report=report, upload=pdf_file(), title="Приказ", by=cast.user("coordinator_a1"))
    periods_ensure(school_year=cast.year)
    programme = Programme.objects.create(title="Робототехника", provider=cast.orgs["college"], direction=Programme.Direction.TECHNICAL)
    enrolment, _ = enrolment_upsert(student=cast.students["a1_8a_0"], programme=programme, starts_on=cast.year.starts_on,
                                    by=cast.user("coordinator_a1"))  # fmt: skip
    # An upload of school A1, checked: its preview (with a bad row) and its commit form.
    from imports.services import batch_check, batch_upload
    from imports.tests.conftest import upload_file, xlsx_bytes

    content = xlsx_bytes(["ФИО", "Дата рождения", "Класс"], [["Плиев Георгий", "01.01.2013", "7Б"], ["Бероев Заур", "31.02.2012", "7Б"]])
    import_batch = batch_upload(
        user=cast.user("coordinator_a1"), kind="students", upload=upload_file("spisok.xlsx", content), school=cast.orgs["a1"]
    )
    batch_check(batch_id=import_batch.pk)
    return Target(
        events=events_world(cast), pm=pm, activity=activity, school_level=school_level, reset_user=cast.user("coordinator_a1"), notification=notification,
        privacy_student=family.student, privacy_request=export, privacy_act=act, privacy_breach=breach,
        roadmap_plan=plan, roadmap_report=report, roadmap_evidence=evidence,
        monitoring_period=Period.objects.filter(school_year=cast.year, kind=Period.Kind.COVERAGE).order_by("as_of").first(),
        monitoring_enrolment=enrolment,
        import_batch=import_batch,
        diagnostics=diagnostics_world(cast),
    )  # fmt: skip


def diagnostics_world(cast) -> dict:
    """A student of A1 with both consents, a class assignment finished, an instrument under way, a RIASEC result."""
    from catalog.models import Profession
    from catalog.shipped import catalog_shipped_ensure
    from diagnostics import services
    from diagnostics.shipped import shipped_instruments_ensure
    from diagnostics.tests.conftest import READINESS_ANSWERS, RIASEC_ANSWERS, answer_all, consent_given, version

    catalog_shipped_ensure()
    shipped_instruments_ensure()
    student, user = cast.students["a1_8a_1"], cast.user("student_a1")
    consent_given(student)
    consent_given(student, "guidance")
    today = timezone.localdate()
    assignment = services.assignment_create(
        user=cast.user("coordinator_a1"), school_class=cast.classes["a1_8a"], version=version("choice-readiness"), opens_on=today,
        closes_on=today + datetime.timedelta(days=7),
    )  # fmt: skip
    finished = services.attempt_start(user=user, student=student, assignment=assignment)
    answer_all(finished, READINESS_ANSWERS)
    services.attempt_finish(user=user, attempt=finished)
    riasec = services.attempt_start(user=user, student=student, version=version("riasec-interests"))
    answer_all(riasec, RIASEC_ANSWERS)
    services.attempt_finish(user=user, attempt=riasec)
    running = services.attempt_start(user=user, student=student, version=version("professions-five-types"))
    return {
        "student": student.pk, "assignment": assignment.pk, "finished": finished.pk, "running": running.pk,
        "version": version("riasec-interests").pk, "profession": Profession.objects.order_by("pk").values_list("pk", flat=True).first(),
    }  # fmt: skip
