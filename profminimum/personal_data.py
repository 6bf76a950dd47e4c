"""What the профминимум holds about a student, for the family's page, the export and erasure (privacy.registry).

The ledger and the rollups are the figures reports need: an erasure keeps them (the student row stays as an
anonymous row), and removes the free text that may name or describe the student — the reasons of absences."""

from django.db.models import Count, Q, Sum

from core.formatting import date_text, hours_text, number
from privacy.registry import ANONYMISED, Section, SectionTable, personal_data
from profminimum.models import Attendance, AttendanceCorrection, HoursEntry


@personal_data.holder("profminimum", order=50)
def held(student, *, full: bool) -> Section:
    figures = Attendance.objects.filter(student=student).aggregate(
        marks=Count("pk"), absences=Count("pk", filter=Q(present=False)), excuses=Count("pk", filter=~Q(excuse=""))
    )
    hours = HoursEntry.objects.filter(student=student).aggregate(total=Sum("hours"), lines=Count("pk"))
    section = Section(
        "profminimum",
        "Профминимум",
        facts=[
            ("Отметок посещения", str(figures["marks"])),
            ("Из них пропусков", str(figures["absences"])),
            ("Причин пропусков записано", str(figures["excuses"])),
            ("Записей в журнале часов", str(hours["lines"])),
            ("Зачтено часов за всё время", hours_text(hours["total"] or 0)),
        ],
    )
    if full:
        attendances = list(Attendance.objects.filter(student=student).select_related("activity").order_by("activity__starts_at", "pk"))
        section.tables = [
            SectionTable(
                "Посещение мероприятий",
                ["Дата", "Мероприятие", "Присутствие", "Причина пропуска", "Зачтено часов"],
                [
                    [date_text(a.activity.starts_at), a.activity.title, "был(а)" if a.present else "не был(а)", a.excuse or "—",
                     number(a.credited_hours)]
                    for a in attendances
                ],
            )
        ]  # fmt: skip
        section.data = [
            {
                "date": a.activity.starts_at.isoformat(), "activity": a.activity.title, "present": a.present, "excuse": a.excuse,
                "credited_hours": str(a.credited_hours),
            }
            for a in attendances
        ]  # fmt: skip
    return section


@personal_data.eraser("profminimum", order=50)
def erase(student, act) -> None:
    attendances = Attendance.objects.filter(student=student)
    count = attendances.exclude(excuse="").update(excuse="")
    act.add("Причины пропусков занятий", Attendance, count, ANONYMISED)
    corrections = AttendanceCorrection.objects.filter(attendance__student=student).filter(~Q(was_excuse="") | ~Q(now_excuse=""))
    count = corrections.update(was_excuse="", now_excuse="")
    act.add("Причины пропусков в истории исправлений отметок", AttendanceCorrection, count, ANONYMISED)
