"""Personal data in the demo region: parents confirmed by their schools, consents in bulk for every student, and
the demo family (`roditel` and the two children, `uchenik` one of them) with a consent in every state — given,
withdrawn, never asked, asked again after a new wording, lapsed at 14, waiting for the other party. `uchenik`
has withdrawn the consent to share results with the parent, so `roditel` no longer sees his профминимум. The
operator's queue has requests with their deadlines and a suspected leak with its 24- and 72-hour deadlines.

Everything goes into the tables in bulk; deterministic for a seed, like the region."""

import datetime
import random
import time

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from access.models import PersonalDataRead
from accounts.models import User
from core.bulk import insert_model_rows
from core.formatting import thousands
from people.models import ParentLink, Person, Student
from privacy.models import (
    Breach,
    ConsentKind,
    ConsentRecord,
    ConsentText,
    ParentConfirmation,
    PrivacyEvent,
    SubjectRequest,
)
from privacy.policy import CHILD_ALONE_FROM, GUIDANCE, SHARE_WITH_PARENT, age_on, birthday, parties_required
from privacy.services import request_deadline
from privacy.shipped import shipped_data_ensure

PARENT = ConsentRecord.Party.PARENT
STUDENT = ConsentRecord.Party.STUDENT
GIVEN = ConsentRecord.Decision.GIVEN
WITHDRAWN = ConsentRecord.Decision.WITHDRAWN
PLATFORM = ConsentRecord.Channel.PLATFORM
PAPER = ConsentRecord.Channel.PAPER

UNCONFIRMED_SHARE = 0.03  # parents whose school has not seen the documents yet
NONE_SHARE = 0.06  # students with no decision on a bulk consent yet («ask»)
HALF_SHARE = 0.04  # of those from 14: the parent decided, the student not yet
CONFIRMATION_FIELDS = ("link_id", "basis", "confirmed_at")
RECORD_FIELDS = ("student_id", "kind_id", "text_id", "party", "decision", "by_person_id", "channel", "decided_on", "at")
# A scan for the paper consent of the demo: a minimal valid PDF.
DEMO_SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def build_privacy_demo(*, seed: int, stdout=None) -> dict[str, int]:
    started = time.perf_counter()
    rng = random.Random(seed * 7919 + 8)
    today = timezone.localdate()
    # Every reference is made from rows just read (as the region's builder does): checking each on insert would cost
    # more than the insert.
    shipped_data_ensure()
    with connection.constraint_checks_disabled(), transaction.atomic():
        counts = _Builder(rng, today).build()
    if stdout is not None:
        stdout.write(
            f"Согласия: {thousands(counts['records'])} решений, родителей подтверждено: {thousands(counts['confirmed'])} "
            f"за {time.perf_counter() - started:.1f} с\n".replace(".", ",")
        )
        stdout.flush()
    return counts


class _Builder:
    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng = rng
        self.today = today
        self.kinds = {kind.code: kind for kind in ConsentKind.objects.all()}
        self.texts = {text.kind_id: text for text in ConsentText.objects.filter(version=1)}
        self.counts = {"records": 0, "confirmed": 0}

    def build(self) -> dict[str, int]:
        family = self._demo_family()
        self._confirm_parents()
        self._bulk_consents(skip={s.pk for s in family})
        if family:
            self._family_consents(*family)
            self._reads(*family)
        self._requests(skip={s.pk for s in family})
        self._breach()
        return self.counts

    # --- who is who ---------------------------------------------------------------------------------------------

    def _demo_family(self) -> list[Student]:
        """`uchenik` (8 «А») and the younger child of `roditel` (6 «А»); uchenik is made 14 if the region drew him 13,
        so the rules for 14–17 show whatever the day the demo is built."""
        pupil = Student.objects.filter(person__user__username="uchenik").select_related("person").first()
        parent = Person.objects.filter(user__username="roditel").first()
        if pupil is None or parent is None:
            return []
        age = age_on(pupil.person.birth_date, self.today)
        if age is None or age < CHILD_ALONE_FROM:
            fourteenth_ago = self.today - datetime.timedelta(days=60)
            born = fourteenth_ago.replace(year=fourteenth_ago.year - CHILD_ALONE_FROM)
            Person.objects.filter(pk=pupil.person_id).update(birth_date=born)
            pupil.person.birth_date = born
        younger = Student.objects.filter(parent_links__parent=parent).exclude(pk=pupil.pk).select_related("person").order_by("pk").first()
        return [pupil, younger] if younger else [pupil]

    def _confirm_parents(self) -> None:
        stored_now = connection.ops.adapt_datetimefield_value(timezone.now())
        rows = []
        demo_parent_links = set(ParentLink.objects.filter(parent__user__username="roditel").values_list("pk", flat=True))
        for link_id, kind in ParentLink.objects.values_list("pk", "kind").order_by("pk").iterator():
            if link_id not in demo_parent_links and self.rng.random() < UNCONFIRMED_SHARE:
                continue
            basis = (
                ParentConfirmation.Basis.GUARDIANSHIP if kind == ParentLink.Kind.GUARDIAN else ParentConfirmation.Basis.BIRTH_CERTIFICATE
            )
            rows.append((link_id, basis, stored_now))
        self.counts["confirmed"] = insert_model_rows(ParentConfirmation, CONFIRMATION_FIELDS, rows)

    # --- every student: the two consents the region asked for at the start of the year -------------------------

    def _bulk_consents(self, *, skip: set[int]) -> None:
        year_start = datetime.date(self.today.year if self.today.month >= 9 else self.today.year - 1, 9, 1)
        span = max(1, (self.today - year_start).days)
        parents: dict[int, int] = {}
        for student_id, parent_id in (
            ParentLink.objects.filter(confirmation__isnull=False)
            .order_by("student_id", "pk")
            .values_list("student_id", "parent_id")
            .iterator()
        ):
            parents.setdefault(student_id, parent_id)
        kinds = [self.kinds[GUIDANCE], self.kinds[SHARE_WITH_PARENT]]
        # Values as the database stores them, adapted once rather than per row (a tenth of the step on SQLite).
        adapt_day, now = connection.ops.adapt_datefield_value, connection.ops.adapt_datetimefield_value(timezone.now())
        days = {}
        rows = []
        students = Student.objects.order_by("pk").values_list("pk", "person_id", "person__birth_date")
        for student_id, person_id, birth_date in students.iterator():
            if student_id in skip:
                continue
            age = age_on(birth_date, self.today)
            for kind in kinds:
                draw = self.rng.random()
                if draw < NONE_SHARE:
                    continue
                day = year_start + datetime.timedelta(days=self.rng.randrange(min(span, 40)))
                for party in parties_required(age):
                    decided_on = day
                    if party == PARENT:
                        parent_id = parents.get(student_id)
                        if parent_id is None:
                            continue
                        if age is not None and age >= CHILD_ALONE_FROM:
                            decided_on = max(day, birthday(birth_date, CHILD_ALONE_FROM))
                        by = parent_id
                    else:
                        if draw < NONE_SHARE + HALF_SHARE:
                            continue
                        by = person_id
                    decided_on = min(decided_on, self.today)
                    if decided_on not in days:
                        days[decided_on] = adapt_day(decided_on)
                    rows.append((student_id, kind.pk, self.texts[kind.pk].pk, party, GIVEN, by, PLATFORM, days[decided_on], now))
        self.counts["records"] += insert_model_rows(ConsentRecord, RECORD_FIELDS, rows)

    # --- the demo family: a consent in every state ---------------------------------------------------------------

    def _record(self, student: Student, code: str, party: str, decision: str, by: int, day: datetime.date, *, text=None, channel=PLATFORM):
        kind = self.kinds[code]
        record = ConsentRecord(
            student=student, kind=kind, text=text or self.texts[kind.pk], party=party, decision=decision, by_person_id=by,
            channel=channel, decided_on=min(day, self.today),
        )  # fmt: skip
        if channel == PAPER:
            record.paper_file.save("scan.pdf", ContentFile(DEMO_SCAN), save=False)
        record.save()
        PrivacyEvent.objects.create(
            action=PrivacyEvent.Action.CONSENT_GIVEN if decision == GIVEN else PrivacyEvent.Action.CONSENT_WITHDRAWN,
            actor_role="обучающийся" if party == STUDENT else "родитель (законный представитель)", student=student,
            details={"consent": code, "version": record.text.version, "party": party, "channel": channel, "record": record.pk},
        )  # fmt: skip
        self.counts["records"] += 1

    def _family_consents(self, pupil: Student, younger: Student | None = None) -> None:
        parent_id = Person.objects.get(user__username="roditel").pk
        start = datetime.date(self.today.year if self.today.month >= 9 else self.today.year - 1, 9, 3)
        fourteenth = birthday(pupil.person.birth_date, CHILD_ALONE_FROM)
        before_fourteen = min(start, fourteenth - datetime.timedelta(days=30))
        # A new wording of the diagnostics consent, in force for a few days: consents to the first one are asked again.
        diagnostics = self.kinds["diagnostics"]
        first = self.texts[diagnostics.pk]
        second, _ = ConsentText.objects.get_or_create(
            kind=diagnostics, version=2,
            defaults={"text": first.text.replace("Результаты видят", "Результаты и рекомендации по ним видят"),
                      "effective_from": self.today - datetime.timedelta(days=3)},
        )  # fmt: skip

        me = pupil.person_id
        # uchenik, 14: the parent and the student both decide.
        self._record(pupil, "guidance", PARENT, GIVEN, parent_id, before_fourteen)  # lapsed at 14: asked again
        self._record(
            pupil, "diagnostics", PARENT, GIVEN, parent_id, self.today - datetime.timedelta(days=1), text=second
        )  # the student not yet
        self._record(pupil, SHARE_WITH_PARENT, PARENT, GIVEN, parent_id, max(start, fourteenth))
        self._record(pupil, SHARE_WITH_PARENT, STUDENT, GIVEN, me, max(start, fourteenth))
        self._record(pupil, SHARE_WITH_PARENT, STUDENT, WITHDRAWN, me, self.today - datetime.timedelta(days=2))  # roditel sees no hours
        for party, by in ((PARENT, parent_id), (STUDENT, me)):
            self._record(pupil, "photo_video", party, GIVEN, by, max(start, fourteenth))
            self._record(pupil, "excursions", party, GIVEN, by, max(start, fourteenth))
        if younger is None:
            return
        # The younger child, under 14: the parent decides alone.
        self._record(younger, "guidance", PARENT, GIVEN, parent_id, start)
        self._record(younger, "diagnostics", PARENT, GIVEN, parent_id, start)  # the first wording: asked again
        self._record(younger, SHARE_WITH_PARENT, PARENT, GIVEN, parent_id, start)
        self._record(younger, "photo_video", PARENT, GIVEN, parent_id, start)
        self._record(younger, "photo_video", PARENT, WITHDRAWN, parent_id, self.today - datetime.timedelta(days=20))
        self._record(younger, "excursions", PARENT, GIVEN, parent_id, start + datetime.timedelta(days=7), channel=PAPER)

    def _reads(self, *family: Student) -> None:
        """Who read the family's data over the last weeks: their teachers, the coordinator, the mother."""
        names = ["klruk", "navigator", "koordinator", "psiholog", "roditel"]
        users = {user.username: user for user in User.objects.filter(username__in=names)}
        now = timezone.now()
        reads = (
            ("klruk", 21, "профминимум обучающегося"), ("navigator", 9, "карточка обучающегося"),
            ("koordinator", 5, "профминимум обучающегося"), ("psiholog", 3, "карточка обучающегося"), ("roditel", 1, "профминимум обучающегося"),
        )  # fmt: skip
        for student in family:
            for username, days, subject in reads:
                if username not in users:
                    continue
                row = PersonalDataRead.objects.create(
                    user=users[username], username=username, person_id=student.person_id, subject=subject, channel="page"
                )
                # auto_now_add gave it «now»: put it on its day
                PersonalDataRead.objects.filter(pk=row.pk).update(at=now - datetime.timedelta(days=days, hours=student.pk % 5))

    # --- the operator's queue and a suspected leak ---------------------------------------------------------------

    def _requests(self, *, skip: set[int]) -> None:
        demo_school = Student.objects.filter(person__user__username="uchenik").values_list("current_school_id", flat=True).first()
        candidates = list(
            ParentLink.objects.filter(student__current_school_id=demo_school, confirmation__isnull=False)
            .exclude(student_id__in=skip)
            .select_related("student", "parent")
            .order_by("pk")[:40]
        )
        now = timezone.now()
        for link, kind, days_ago in zip(
            self.rng.sample(candidates, min(3, len(candidates))),
            (SubjectRequest.Kind.EXPORT, SubjectRequest.Kind.ERASURE, SubjectRequest.Kind.EXPORT),
            (2, 20, 16),
        ):
            received = now - datetime.timedelta(days=days_ago)
            deadline = request_deadline(kind, timezone.localdate(received))
            request = SubjectRequest.objects.create(
                kind=kind,
                student=link.student,
                party=PARENT,
                received_at=received,
                deadline=deadline.day,
                deadline_estimated=deadline.estimated,
            )
            PrivacyEvent.objects.create(
                action=PrivacyEvent.Action.REQUEST_RECEIVED, actor_role="родитель (законный представитель)", student=link.student,
                request=request, details={"kind": kind, "deadline": deadline.day.isoformat()},
            )  # fmt: skip

    def _breach(self) -> None:
        # The demo's class teacher: the demo family's reads of the last weeks fall in the window.
        teacher = User.objects.filter(username="klruk").first()
        if teacher is None:
            return
        now = timezone.now()
        breach = Breach.objects.create(
            detected_at=now - datetime.timedelta(hours=5),
            description=(
                "Классный руководитель сообщил, что входил в платформу с компьютера в общей учительской и не вышел из учётной записи; "
                "утром обнаружил, что в ней открывали списки класса."
            ),
            scope=Breach.Scope.ACCOUNT, scope_user=teacher, window_start=now - datetime.timedelta(days=7), window_end=now,
        )  # fmt: skip
        PrivacyEvent.objects.create(
            action=PrivacyEvent.Action.BREACH_REGISTERED, actor_role="сотрудник регионального оператора (ЦОПП)", breach=breach,
            details={"scope": breach.scope},
        )  # fmt: skip
