"""The student's record («карточка обучающегося», issue 12 point 3): the hours of the профминимум, the diagnostics
results and the trajectory, as JSON and as PDF. Each domain contributes its section (privacy.registry,
`personal_data.record`) and decides what the viewer may see of it; the record is the student's, not the school's, so
it follows the student to another school.

The JSON (format «profnavigator.student-record/1»):

    {"format": "profnavigator.student-record/1", "made_at": "<ISO 8601>",
     "student": {"id", "full_name", "birth_date" (ГГГГ-ММ-ДД or null), "school" (or null), "school_class" (or null)},
     "sections": {
       "hours": {"title", "facts": {label: text}, "data": {
           "total": "<decimal>", "by_school_year": [{"school_year", "hours"}], "by_direction": [{"code", "name", "hours"}],
           "activities": [{"date", "activity", "direction", "school", "school_year", "hours"}]}},
       "results": {"title", "facts", "data": {"shown": bool, "items": [
           {"finished_at", "instrument", "version", "scores": {scale: score}, "code", "low_confidence"}]}},
       "trajectory": {"title", "facts", "data": {"shown": bool, "confirmed_at" (or null), "goals": [
           {"kind": "main"|"backup", "profession", "profession_code", "okso", "programme", "institution", "why",
            "steps": [{"title", "due_on", "done"}]}]}}}}

Hours are decimal strings («12.5»), moments and dates ISO 8601. `shown: false` says the viewer may not see that part
(a class teacher sees the hours, not the results); its facts say who may."""

import datetime
import json

from django.utils import timezone

from core.formatting import date_text, datetime_text
from privacy.export import pdf_render
from privacy.registry import personal_data

RECORD_FORMAT = "profnavigator.student-record/1"


def student_record(*, student, viewer, now: datetime.datetime | None = None) -> tuple[dict, list]:
    """(the record as data, its sections for the PDF) as this viewer may see it."""
    now = now or timezone.now()
    sections = personal_data.record_sections(student, viewer=viewer)
    person = student.person
    school = student.current_school
    data = {
        "format": RECORD_FORMAT,
        "made_at": now.isoformat(),
        "student": {
            "id": student.pk,
            "full_name": person.full_name,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "school": school.short_name if school else None,
            "school_class": student.current_class.name if student.current_class_id else None,
        },
        "sections": {section.key: {"title": section.title, "facts": dict(section.facts), "data": section.data} for section in sections},
    }
    return data, sections


def student_record_json(*, student, viewer, now: datetime.datetime | None = None) -> bytes:
    data, _ = student_record(student=student, viewer=viewer, now=now)
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def student_record_pdf(*, student, viewer, now: datetime.datetime | None = None) -> bytes:
    now = now or timezone.now()
    data, sections = student_record(student=student, viewer=viewer, now=now)
    person = student.person
    context = {
        "person": person,
        "student": data["student"],
        "birth_text": date_text(person.birth_date) if person.birth_date else "",
        "made_text": datetime_text(now),
        "sections": sections,
    }
    return pdf_render("privacy/print/record.html", context)
