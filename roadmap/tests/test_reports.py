"""Reports: filed by the executor's people with evidence, returned by the ministry with a comment the executor sees,
refiled, accepted and then locked; evidence files judged by their content; the figures frozen in the report."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notifications.models import Notification
from roadmap.models import Report
from roadmap.services import evidence_file_add, report_accept, report_return, report_save, report_start, report_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


def _start(road, code="3.5", username="operator", org="copp"):
    return report_start(period=road.period(code), organization=road.cast.orgs[org], by=road.cast.user(username))


def test_a_returned_report_shows_the_ministrys_comment_to_its_executor_and_an_accepted_one_is_locked(client, road, media):
    cast = road.cast
    report = _start(road)
    assert report.is_lead and report.state == Report.State.DRAFT
    client.force_login(cast.user("operator"))
    url = reverse("roadmap:report", args=[report.pk])
    upload = SimpleUploadedFile("Приказ.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {"action": "file", "file": upload, "title": "Приказ ЦОПП"}).status_code == 302
    response = client.post(url, {"action": "submit", "execution": "done", "text": "Проведено 12 мероприятий."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    assert Notification.objects.filter(user=cast.user("ministry_admin"), kind="roadmap.report_submitted").exists()

    client.force_login(cast.user("ministry_admin"))
    assert client.post(url, {"action": "return", "comment": ""}).status_code == 400  # a return needs a comment
    assert client.post(url, {"action": "return", "comment": "Приложите список участников."}).status_code == 302

    client.force_login(cast.user("operator"))
    page = client.get(url).content.decode()
    assert "Замечание министерства:</strong> Приложите список участников." in page
    assert Notification.objects.filter(user=cast.user("operator"), kind="roadmap.report_returned").exists()
    assert (
        client.post(url, {"action": "submit", "execution": "done", "text": "Проведено 12 мероприятий, список приложен."}).status_code == 302
    )

    client.force_login(cast.user("ministry_admin"))
    assert client.post(url, {"action": "accept", "comment": ""}).status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.ACCEPTED
    assert [e.action for e in report.events.order_by("at", "pk")] == ["created", "submitted", "returned", "submitted", "accepted"]
    assert report.events.filter(action="returned").get().comment == "Приложите список участников."

    client.force_login(cast.user("operator"))
    assert "Отчёт принят: изменить его нельзя." in client.get(url).content.decode()
    assert client.post(url, {"action": "save", "execution": "partly", "text": "Иначе"}).status_code == 400
    report.refresh_from_db()
    assert report.text == "Проведено 12 мероприятий, список приложен."
    with pytest.raises(ValidationError):
        report_save(report=report, execution="partly", text="Иначе", corrections={}, own_figures=[], by=cast.user("operator"))
    # The evidence file is downloaded by the reader, refused to another school's coordinator.
    evidence = report.evidence.get()
    assert client.get(reverse("roadmap:evidence", args=[report.pk, evidence.pk])).status_code == 200
    client.force_login(cast.user("coordinator_a1"))
    assert client.get(reverse("roadmap:evidence", args=[report.pk, evidence.pk])).status_code == 404


def test_only_the_executor_files_and_only_the_ministry_decides(road):
    cast = road.cast
    with pytest.raises(PermissionDenied):
        _start(road, username="coordinator_a1")
    report = _start(road)
    report_save(report=report, execution="done", text="Сделано.", corrections={}, own_figures=[], by=cast.user("operator"))
    report_submit(report=report, by=cast.user("operator"))
    with pytest.raises(PermissionDenied):
        report_accept(report=report, by=cast.user("operator"))
    with pytest.raises(PermissionDenied):
        report_return(report=report, comment="Нет", by=cast.user("municipal_a"))
    report_accept(report=report, by=cast.user("ministry_admin"))


def _docx_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (60 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.pdf", b"<script>alert(1)</script>", "не похож на документ"),
        ("empty.pdf", b"", "Файл"),
        ("bomb.docx", _docx_bomb(), "при распаковке"),
    ],
)
def test_an_evidence_file_is_judged_by_its_content_not_its_name(road, media, name, content, message):
    report = _start(road)
    with pytest.raises(ValidationError) as error:
        evidence_file_add(report=report, upload=SimpleUploadedFile(name, content), by=road.cast.user("operator"))
    assert message in " ".join(error.value.messages)
    assert not report.evidence.exists()


def test_an_evidence_file_over_10_mb_is_refused(road, media):
    report = _start(road)
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        evidence_file_add(report=report, upload=upload, by=road.cast.user("operator"))
    assert "10 МБ" in " ".join(error.value.messages)


def test_a_file_is_stored_under_the_platforms_own_name(road, media):
    report = _start(road)
    evidence = evidence_file_add(report=report, upload=SimpleUploadedFile("../../evil.php.pdf", PDF), by=road.cast.user("operator"))
    assert evidence.content_kind == "pdf" and evidence.file.name.startswith(f"roadmap/{report.pk}/")
    assert "evil" not in evidence.file.name and evidence.file.name.endswith(".pdf")


def test_the_plans_execution_downloads_as_xlsx_and_pdf(client, road):
    import openpyxl

    cast = road.cast
    report = _start(road)
    report_save(report=report, execution="done", text="Сделано.", corrections={}, own_figures=[], by=cast.user("operator"))
    report_submit(report=report, by=cast.user("operator"))
    client.force_login(cast.user("ministry_admin"))
    response = client.get(reverse("roadmap:plan", args=[road.plan.pk]) + "?format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if row and "№ п/п" in row)
    number, state = header.index("№ п/п"), header.index("Состояние")
    data = [row for row in rows[rows.index(header) + 1 :] if row[number]]
    assert len({row[number] for row in data}) == 45  # 46 items, the doubled «1.3» one number
    assert [row[state] for row in data if row[number] == "3.5"] == ["на проверке"]
    assert sum(1 for row in data if row[number] == "4.8") == 12

    pdf = client.get(reverse("roadmap:plan_pdf", args=[road.plan.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_the_printable_plan_holds_every_item_as_printed_and_each_periods_state(client, road):
    """The PDF itself, read back with pypdf: the order's numbering and spelling, each report's state and text."""
    import pypdf

    cast = road.cast
    report = _start(road)
    report_save(report=report, execution="done", text="Конференция проведена.", corrections={}, own_figures=[], by=cast.user("operator"))
    report_submit(report=report, by=cast.user("operator"))
    client.force_login(cast.user("ministry_admin"))
    response = client.get(reverse("roadmap:plan_pdf", args=[road.plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    for number in ("1.3", "3.6.", "4.5.", "4.21", "5.5"):
        assert f" {number} " in f" {text} "
    assert "на проверке" in text and "Конференция проведена." in text
    assert "В течении года" in text  # the order's own spelling


def test_a_schools_contribution_goes_to_the_lead_executor_who_decides_on_it(client, road):
    """Item 1.2 names «all schools» first and the ЦОПП as the single organisation: the ЦОПП leads, each school files a
    contribution, the ЦОПП's people accept or return it, and the lead's report lists it."""
    cast = road.cast
    period = road.period("1.2")
    contribution = report_start(period=period, organization=cast.orgs["a1"], by=cast.user("coordinator_a1"))
    assert not contribution.is_lead
    report_save(report=contribution, execution="done", text="Приказ о выборе уровня издан.", corrections={}, own_figures=[],
                by=cast.user("coordinator_a1"))  # fmt: skip
    report_submit(report=contribution, by=cast.user("coordinator_a1"))
    assert Notification.objects.filter(user=cast.user("operator"), kind="roadmap.report_submitted").exists()
    with pytest.raises(PermissionDenied):
        report_accept(report=contribution, by=cast.user("coordinator_a2"))
    report_accept(report=contribution, by=cast.user("operator"))
    lead = report_start(period=period, organization=cast.orgs["copp"], by=cast.user("operator"))
    client.force_login(cast.user("operator"))
    page = client.get(reverse("roadmap:report", args=[lead.pk])).content.decode()
    assert "Вклады соисполнителей" in page and cast.orgs["a1"].short_name in page
