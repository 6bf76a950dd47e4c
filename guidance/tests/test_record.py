"""The student's record («Выгрузить карточку обучающегося», issue 12 point 3): hours, diagnostics results and the
trajectory as JSON and PDF, reachable from the student's card for the student, the parent and the school's staff,
each seeing what they may; and the record moves with the student to another school.

The cast's student_a1 is a1_8a_1 of school A1 (basic level, 40 h). Hand-computed: a 2-hour lesson of the course in
week 0 and a 3-hour upbringing event in week 1 → 5 hours, course 2, upbringing 3; one RIASEC result R 40, I 30, A 0,
S 20, E 10, C 20 (code RIS); a trajectory with a main goal of two steps (one done) and a backup."""

import datetime
import io
import json

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import PersonalDataRead
from catalog.models import Profession
from catalog.shipped import catalog_shipped_ensure
from diagnostics.models import Attempt, InstrumentVersion
from diagnostics.shipped import shipped_instruments_ensure
from guidance.models import Goal, Step, Trajectory
from people.services import student_transfer
from profminimum.services import Mark, attendance_save
from profminimum.tests.conftest import Profminimum

SCORES = {"R": 40, "I": 30, "A": 0, "S": 20, "E": 10, "C": 20}


@pytest.fixture
def record(cast):
    """student_a1's hours, one result and a trajectory."""
    catalog_shipped_ensure()
    shipped_instruments_ensure()
    pm = Profminimum(cast)
    student = cast.students["a1_8a_1"]
    lesson = pm.activity("a1_8a", hours="2", direction="course", title="Россия индустриальная")
    attendance_save(activity=lesson, marks={student.pk: Mark(True)}, by=None)
    event = pm.activity("a1_8a", hours="3", direction="upbringing", week=1, title="Встреча с инженером")
    attendance_save(activity=event, marks={student.pk: Mark(True)}, by=None)
    version = InstrumentVersion.objects.get(instrument__code="riasec-interests", is_current=True)
    finished = timezone.make_aware(datetime.datetime(2026, 10, 5, 11, 0))
    Attempt.objects.create(
        student=student, version=version, status=Attempt.Status.FINISHED, started_at=finished, shown_at=finished,
        finished_at=finished, scores=SCORES, code="RIS",
    )  # fmt: skip
    trajectory = Trajectory.objects.create(student=student, updated_at=timezone.now())
    engineer, welder = Profession.objects.filter(is_active=True).order_by("title")[:2]
    main = Goal.objects.create(trajectory=trajectory, kind=Goal.Kind.MAIN, position=0, profession=engineer, why="Люблю технику")
    Goal.objects.create(trajectory=trajectory, kind=Goal.Kind.BACKUP, position=1, profession=welder, why="Запасной путь")
    Step.objects.create(goal=main, title="Сдать ОГЭ по физике", due_on=datetime.date(2027, 6, 10), done=False)
    Step.objects.create(goal=main, title="Пройти пробу в колледже", due_on=datetime.date(2026, 11, 20), done=True)
    return student, engineer, welder


def _json(client, student) -> dict:
    response = client.get(reverse("privacy:record", args=[student.pk, "json"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="kartochka-{student.pk}.json"'
    return json.loads(response.content)


def _pdf_text(client, student) -> str:
    response = client.get(reverse("privacy:record", args=[student.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)


def test_the_students_own_record_in_json_has_hours_results_and_trajectory(client, cast, record):
    student, engineer, welder = record
    client.force_login(cast.user("student_a1"))
    data = _json(client, student)
    assert data["format"] == "profnavigator.student-record/1"
    assert data["student"] == {**data["student"], "id": student.pk, "school": "Школа № 1 г. Альфа", "school_class": "8 «А»"}
    hours = data["sections"]["hours"]["data"]
    assert hours["total"] == "5.0"
    assert hours["by_school_year"] == [{"school_year": cast.year.title, "hours": "5.0"}]
    assert {d["code"]: d["hours"] for d in hours["by_direction"]} == {"course": "2.0", "upbringing": "3.0"}
    assert [(a["activity"], a["hours"], a["school"]) for a in hours["activities"]] == [
        ("Россия индустриальная", "2.0", "Школа № 1 г. Альфа"),
        ("Встреча с инженером", "3.0", "Школа № 1 г. Альфа"),
    ]
    results = data["sections"]["results"]["data"]
    assert results["shown"] is True
    [result] = results["items"]
    assert (result["scores"], result["code"]) == (SCORES, "RIS")
    trajectory = data["sections"]["trajectory"]["data"]
    assert [(g["kind"], g["profession"]) for g in trajectory["goals"]] == [("main", engineer.title), ("backup", welder.title)]
    assert [(s["title"], s["done"]) for s in trajectory["goals"][0]["steps"]] == [
        ("Пройти пробу в колледже", True),
        ("Сдать ОГЭ по физике", False),
    ]
    assert data["sections"]["trajectory"]["facts"]["Шагов сделано"] == "1 из 2"


def test_the_pdf_reads_back_with_the_same_figures(client, cast, record):
    student, engineer, _welder = record
    client.force_login(cast.user("psychologist_a1"))
    text = _pdf_text(client, student)
    assert f"Карточка обучающегося: {student.person.full_name}" in text
    assert "Зачтено часов за всё время 5 часов" in text
    assert f"{cast.year.title} учебный год 5 часов" in text
    assert "Встреча с инженером" in text
    assert "R: 40, I: 30, A: 0, S: 20, E: 10, C: 20" in text
    assert engineer.title in text
    assert "Шагов сделано 1 из 2" in text


def test_a_class_teacher_gets_the_hours_but_not_the_results_nor_the_trajectory(client, cast, record):
    student, _engineer, _welder = record
    client.force_login(cast.user("class_teacher_a1"))
    data = _json(client, student)
    assert data["sections"]["hours"]["data"]["total"] == "5.0"
    assert data["sections"]["results"]["data"] == {"shown": False, "items": []}
    assert data["sections"]["trajectory"]["data"] == {"shown": False, "goals": []}
    assert "психолог школы" in data["sections"]["results"]["facts"]["Результаты"]


def test_every_download_is_written_to_the_read_log(client, cast, record):
    student, _engineer, _welder = record
    client.force_login(cast.user("coordinator_a1"))
    _json(client, student)
    _pdf_text(client, student)
    reads = PersonalDataRead.objects.filter(user=cast.user("coordinator_a1"), person=student.person).order_by("pk")
    assert [(r.subject, r.channel) for r in reads] == [
        ("карточка обучающегося (JSON)", "export"),
        ("карточка обучающегося (PDF)", "export"),
    ]


def test_the_record_is_linked_from_the_students_card_for_the_student_the_parent_and_the_staff(client, cast, record):
    student, _engineer, _welder = record
    child = cast.students["a1_8a_0"]
    for user, whom in (("student_a1", student), ("parent_a1", child), ("class_teacher_a1", student), ("coordinator_a1", student)):
        client.force_login(cast.user(user))
        page = client.get(reverse("directory:student_detail", args=[whom.pk])).content.decode()
        assert reverse("privacy:record", args=[whom.pk, "pdf"]) in page, user
        assert "Выгрузить карточку обучающегося (PDF)" in page


@pytest.mark.parametrize("user", ["student_a1", "parent_a1", "class_teacher_a2", "coordinator_b1", "municipal_b", "partner_a"])
def test_someone_who_does_not_see_the_student_gets_a_404(client, cast, record, user):
    student = cast.students["a1_9a_0"]
    client.force_login(cast.user(user))
    assert client.get(reverse("privacy:record", args=[student.pk, "pdf"])).status_code == 404


def test_an_unknown_format_is_a_404(client, cast, record):
    client.force_login(cast.user("student_a1"))
    assert client.get(reverse("privacy:record", args=[record[0].pk, "docx"])).status_code == 404


def test_the_record_moves_with_the_student_to_another_school(client, cast, record):
    student, engineer, _welder = record
    student_transfer(student=student, to_class=cast.classes["a2_8a"], on=timezone.localdate())
    client.force_login(cast.user("psychologist_a2"))
    data = _json(client, student)
    assert data["student"]["school"] == "Школа № 2 г. Альфа"
    # The hours earned at the first school stay in the record, attributed to where they were earned.
    assert data["sections"]["hours"]["data"]["total"] == "5.0"
    assert {a["school"] for a in data["sections"]["hours"]["data"]["activities"]} == {"Школа № 1 г. Альфа"}
    assert data["sections"]["results"]["data"]["items"][0]["code"] == "RIS"
    assert data["sections"]["trajectory"]["data"]["goals"][0]["profession"] == engineer.title
    for user in ("psychologist_a1", "class_teacher_a1", "coordinator_a1"):
        client.force_login(cast.user(user))
        assert client.get(reverse("privacy:record", args=[student.pk, "json"])).status_code == 404, user
