"""What the профминимум holds about a student, for the family's page, the export and erasure (privacy.registry).

The ledger and the rollups are the figures reports need: an erasure keeps them (the student row stays as an
anonymous row), and removes the free text that may name or describe the student — the reasons of absences."""

from decimal import Decimal

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


def _hours(value: Decimal) -> str:
    # The same «5.0» on every database: SQLite's sum of decimals comes back as «5».
    return str(Decimal(value).quantize(Decimal("0.1")))


@personal_data.record("profminimum", order=50)
def record(student, *, viewer) -> Section:
    """The hours of the student's record: every activity that credited hours (the ledger's net per activity, so a
    corrected mark leaves what stands), where the student studied then, totals by school year and by direction. Whoever
    sees the student sees their hours, as on the pages of the профминимум."""
    rows = list(
        HoursEntry.objects.filter(student=student)
        .values(
            "activity_id",
            "activity__title",
            "occurred_on",
            "direction__code",
            "direction__name",
            "school__short_name",
            "school_year__title",
        )
        .annotate(net=Sum("hours"))
        .exclude(net=0)
        .order_by("occurred_on", "activity_id")
    )
    by_year: dict[str, Decimal] = {}
    by_direction: dict[str, tuple[str, Decimal]] = {}
    for row in rows:
        by_year[row["school_year__title"]] = by_year.get(row["school_year__title"], Decimal(0)) + row["net"]
        name, hours = by_direction.get(row["direction__code"], (row["direction__name"], Decimal(0)))
        by_direction[row["direction__code"]] = (name, hours + row["net"])
    total = sum((row["net"] for row in rows), Decimal(0))
    return Section(
        "hours",
        "Часы профминимума",
        facts=[("Зачтено часов за всё время", hours_text(total)), *((f"{year} учебный год", hours_text(h)) for year, h in by_year.items())],
        tables=[
            SectionTable("По направлениям", ["Направление", "Часов"], [[name, number(h)] for name, h in by_direction.values()]),
            SectionTable(
                "Мероприятия",
                ["Дата", "Мероприятие", "Направление", "Школа", "Часов"],
                [[date_text(r["occurred_on"]), r["activity__title"], r["direction__name"], r["school__short_name"], number(r["net"])] for r in rows],
            ),
        ],
        data={
            "total": _hours(total),
            "by_school_year": [{"school_year": year, "hours": _hours(h)} for year, h in by_year.items()],
            "by_direction": [{"code": code, "name": name, "hours": _hours(h)} for code, (name, h) in by_direction.items()],
            "activities": [
                {"date": r["occurred_on"].isoformat(), "activity": r["activity__title"], "direction": r["direction__code"],
                 "school": r["school__short_name"], "school_year": r["school_year__title"], "hours": _hours(r["net"])}
                for r in rows
            ],
        },
    )  # fmt: skip
