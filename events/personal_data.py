"""What the events app holds about a student, for the family's page, the export and erasure (privacy.registry).

Registrations, attendance and trials are the figures the hours and the «Билет в будущее» indicators need: an erasure
keeps them (the student row stays as an anonymous row) and removes the free text that may describe the student —
the host's notes, the student's comments, the notes of mentor meetings. The host's notes and the meetings' notes
are also cleared after their retention period."""

from django.db.models import Q

from core.formatting import date_text
from events.models import Feedback, MentorAssignment, MentorMeeting, Registration, TrialRecord
from privacy.registry import ANONYMISED, Section, SectionTable, personal_data


@personal_data.holder("events", order=60)
def held(student, *, full: bool) -> Section:
    registrations = Registration.objects.filter(student=student)
    section = Section(
        "events",
        "Мероприятия, пробы, экскурсии и наставники",
        facts=[
            ("Записей на мероприятия, пробы и экскурсии", str(registrations.count())),
            ("Из них посещено", str(registrations.filter(attended=True).count())),
            ("Заметок принимающей стороны", str(registrations.exclude(host_note="").count())),
            ("Отзывов", str(Feedback.objects.filter(registration__student=student).count())),
            ("Профессиональных проб", str(TrialRecord.objects.filter(student=student).count())),
            ("Наставников", str(MentorAssignment.objects.filter(student=student).count())),
        ],
    )
    if full:
        rows = list(registrations.select_related("offer__provider", "feedback").order_by("offer__starts_at", "pk"))
        section.tables = [
            SectionTable(
                "Записи",
                ["Дата", "Что", "Организатор", "Статус", "Присутствие", "Заметка принимающей стороны", "Отзыв"],
                [
                    [date_text(r.offer.starts_at), r.offer.title, r.offer.provider.short_name, r.get_status_display(),
                     {True: "был(а)", False: "не был(а)", None: "—"}[r.attended], r.host_note or "—",
                     (f"{r.feedback.rating} из 5. {r.feedback.comment}" if hasattr(r, "feedback") else "—")]
                    for r in rows
                ],
            ),
            SectionTable(
                "Профессиональные пробы",
                ["Дата", "Проба", "Площадка", "Откуда"],
                [[date_text(t.held_on), t.title, t.site_name, t.get_source_display()] for t in TrialRecord.objects.filter(student=student)],
            ),
            SectionTable(
                "Встречи с наставниками",
                ["Дата", "Наставник", "Тема", "Итоги"],
                [
                    [date_text(m.held_on), m.assignment.mentor.person.full_name, m.topic, m.notes or "—"]
                    for m in MentorMeeting.objects.filter(assignment__student=student).select_related("assignment__mentor__person")
                ],
            ),
        ]  # fmt: skip
        section.data = [
            {"date": r.offer.starts_at.isoformat(), "offer": r.offer.title, "status": r.status, "attended": r.attended, "host_note": r.host_note,
             "feedback": ({"useful": r.feedback.useful, "rating": r.feedback.rating, "comment": r.feedback.comment} if hasattr(r, "feedback") else None)}
            for r in rows
        ]  # fmt: skip
    return section


@personal_data.eraser("events", order=60)
def erase(student, act) -> None:
    count = Registration.objects.filter(student=student).exclude(host_note="").update(host_note="")
    act.add("Заметки принимающей стороны о работе обучающегося", Registration, count, ANONYMISED)
    count = Feedback.objects.filter(registration__student=student).exclude(comment="").update(comment="")
    act.add("Тексты отзывов обучающегося", Feedback, count, ANONYMISED)
    count = MentorMeeting.objects.filter(assignment__student=student).exclude(notes="").update(notes="")
    act.add("Итоги встреч с наставником", MentorMeeting, count, ANONYMISED)


def _notes_clear(queryset) -> int:
    return queryset.update(host_note="")


@personal_data.purger(
    "events.host_notes", title="Заметки принимающей стороны об обучающихся", days=3 * 365, apply=_notes_clear,
    basis="Три года — пока обучающийся выбирает профессию и траекторию; посещение и часы остаются.",
    describe=lambda row: f"заметка к записи № {row.pk}",
)  # fmt: skip
def host_notes_expired(cutoff):
    return Registration.objects.filter(~Q(host_note=""), offer__starts_at__lt=cutoff)


def _meeting_notes_clear(queryset) -> int:
    return queryset.update(notes="")


@personal_data.purger(
    "events.mentor_meeting_notes", title="Итоги встреч с наставниками", days=3 * 365, apply=_meeting_notes_clear,
    basis="Три года — срок наставничества с запасом; факт встречи и её продолжительность остаются.",
    describe=lambda row: f"встреча № {row.pk} от {row.held_on:%d.%m.%Y}",
)  # fmt: skip
def meeting_notes_expired(cutoff):
    return MentorMeeting.objects.filter(~Q(notes=""), held_on__lt=cutoff.date())
