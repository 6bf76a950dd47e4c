"""What the monitoring holds about a student, for the family's page, the export and erasure (privacy.registry): the
student's enrolments in additional-education programmes. They carry no free text; an erasure keeps them as the
anonymous rows coverage (item 4.8) is counted from, the student row itself anonymised by the privacy app."""

from core.formatting import date_text
from monitoring.models import ProgrammeEnrolment
from privacy.registry import ANONYMISED, Section, SectionTable, personal_data


def _enrolments(student):
    return list(ProgrammeEnrolment.objects.filter(student=student).select_related("programme__provider").order_by("starts_on", "pk"))


@personal_data.holder("monitoring", order=60)
def held(student, *, full: bool) -> Section | None:
    enrolments = _enrolments(student)
    if not enrolments:
        return None
    section = Section(
        "monitoring", "Дополнительное образование",
        facts=[("Записей в программы дополнительного образования", str(len(enrolments)))],
    )  # fmt: skip
    if full:
        section.tables = [
            SectionTable(
                "Записи в программы",
                ["Программа", "Организация", "С", "По"],
                [[e.programme.title, e.programme.provider.short_name, date_text(e.starts_on), date_text(e.ends_on) if e.ends_on else "—"]
                 for e in enrolments],
            )
        ]  # fmt: skip
        section.data = [
            {"programme": e.programme.title, "provider": e.programme.provider.short_name, "starts_on": e.starts_on.isoformat(),
             "ends_on": e.ends_on.isoformat() if e.ends_on else None}
            for e in enrolments
        ]  # fmt: skip
    return section


@personal_data.eraser("monitoring", order=60)
def erase(student, act) -> None:
    count = ProgrammeEnrolment.objects.filter(student=student).count()
    act.add("Записи в программы дополнительного образования (остаются для счёта охвата, без имени)", ProgrammeEnrolment, count, ANONYMISED)
