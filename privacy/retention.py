"""Retention: each kind of record is kept for a period written as data (RetentionRule), and what is older is
purged or anonymised by the periodic task (privacy.tasks) — after a dry run that lists exactly the rows it would
touch (`manage.py retention_run --dry-run`).

The kinds are registered in privacy.registry by the app that knows them: the domains in their `personal_data.py`,
and here for the apps below privacy (the read log, sign-in failures, tokens, the graduates' data) and privacy's
own records. A kind gets its rule row, with the default period, the first time it is planned."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, OuterRef, Q
from django.utils import timezone

from access.models import PersonalDataRead
from accounts.models import ApiToken, LoginFailure
from notifications.models import Notification
from people.models import Enrollment, Student
from privacy.models import DestructionAct, PrivacyEvent, RetentionRule, SubjectRequest
from privacy.registry import Purger, cutoff_for, personal_data

# --- the kinds the apps below privacy (and privacy itself) keep for a limited time --------------------------------


@personal_data.purger(
    "access.read_log", title="Журнал чтения персональных данных", days=3 * 365,
    basis="Три года — срок исковой давности: столько семья может спросить, кто читал данные ребёнка.",
    describe=lambda row: f"чтение от {row.at:%d.%m.%Y %H:%M}: {row.subject}",
)  # fmt: skip
def read_log_expired(cutoff):
    return PersonalDataRead.objects.filter(at__lt=cutoff)


@personal_data.purger(
    "accounts.login_failures", title="Неудачные попытки входа", days=30,
    basis="Месяц — для разбора попыток подбора пароля; задержке входа нужен час.",
    describe=lambda row: f"неудачный вход от {row.at:%d.%m.%Y %H:%M}",
)  # fmt: skip
def login_failures_expired(cutoff):
    return LoginFailure.objects.filter(at__lt=cutoff)


try:
    from accounts.models import PasswordResetRequest
except ImportError:  # an accounts app without requests of password resets
    PasswordResetRequest = None

if PasswordResetRequest is not None:

    @personal_data.purger(
        "accounts.password_resets", title="Запросы восстановления пароля", days=30,
        basis="Месяц — для разбора злоупотреблений; пределу писем нужен час.",
        describe=lambda row: f"запрос восстановления пароля от {row.at:%d.%m.%Y %H:%M}",
    )  # fmt: skip
    def password_resets_expired(cutoff):
        return PasswordResetRequest.objects.filter(at__lt=cutoff)


@personal_data.purger(
    "notifications.notifications", title="Уведомления в платформе", days=365,
    basis="Год — уведомления напоминают о событиях учебного года.",
    describe=lambda row: f"уведомление от {row.created_at:%d.%m.%Y}",
)  # fmt: skip
def notifications_expired(cutoff):
    return Notification.objects.filter(created_at__lt=cutoff)


@personal_data.purger(
    "accounts.api_tokens", title="API-токены, которыми не пользовались", days=365,
    basis="Год без использования: токен забыт, а открывает данные.",
    describe=lambda row: f"API-токен {row.prefix}…, создан {row.created_at:%d.%m.%Y}",
)  # fmt: skip
def api_tokens_expired(cutoff):
    return ApiToken.objects.filter(Q(last_used_at__lt=cutoff) | Q(last_used_at__isnull=True, created_at__lt=cutoff))


def _exports_clear(queryset) -> int:
    count = 0
    for request in queryset:
        request.export_file.delete(save=False)
        count += 1
    queryset.update(export_file="")
    return count


@personal_data.purger(
    "privacy.exports", title="Архивы выгрузок данных по запросам", days=30,
    basis="Месяц после исполнения — чтобы семья успела скачать; потом архив не нужен.",
    apply=_exports_clear, describe=lambda row: f"архив выгрузки по запросу № {row.pk}",
)  # fmt: skip
def exports_expired(cutoff):
    return SubjectRequest.objects.exclude(export_file="").filter(completed_at__lt=cutoff)


@personal_data.purger(
    "privacy.destruction_acts", title="Акты об уничтожении персональных данных с выписками из журнала", days=3 * 365,
    basis="Три года с уничтожения — столько хранят акт и выписку (приказ Роскомнадзора от 28.10.2022 № 179).",
    describe=lambda row: f"акт № {row.pk} от {row.made_at:%d.%m.%Y}",
)  # fmt: skip
def acts_expired(cutoff):
    return DestructionAct.objects.filter(made_at__lt=cutoff)


def _graduates_erase(queryset) -> int:
    from privacy.erasure import student_erase

    count = 0
    for student in queryset.select_related("person"):
        student_erase(student=student, by=None, role="система (истёк срок хранения)", reason=DestructionAct.Reason.RETENTION)
        count += 1
    return count


@personal_data.purger(
    "people.graduates", title="Данные выпускников и выбывших обучающихся", days=365,
    basis="Год после выпуска или выбытия: цель — профориентация в школе — достигнута, отчёты за год сданы. "
    "Данные обезличиваются, цифры отчётов остаются.",
    apply=_graduates_erase, describe=lambda row: f"обучающийся № {row.pk}, выбыл {row.left_on:%d.%m.%Y}",
)  # fmt: skip
def graduates_expired(cutoff):
    """Students in no school now, whose last class ended before the cutoff, not erased yet."""
    left = Enrollment.objects.filter(student=OuterRef("pk")).values("student").annotate(last=Max("ended_on")).values("last")
    return (
        Student.objects.filter(current_school__isnull=True, current_class__isnull=True)
        .exclude(enrollments__ended_on__isnull=True)
        .exclude(pk__in=DestructionAct.objects.values("student_id"))
        .annotate(left_on=left)
        .filter(left_on__lt=timezone.localdate(cutoff))
    )


# --- the plan and the run ------------------------------------------------------------------------------------------


@dataclass
class RetentionLine:
    key: str
    title: str
    period_days: int
    cutoff: datetime.datetime
    count: int
    rows: list[tuple[str, int, str]] = field(default_factory=list)  # (model label, pk, description)
    active: bool = True


def retention_rules() -> dict[str, RetentionRule]:
    """The rule of every registered kind, created with its default period the first time."""
    rules = {rule.key: rule for rule in RetentionRule.objects.all()}
    for purger in personal_data.purgers():
        if purger.key not in rules:
            rules[purger.key], _ = RetentionRule.objects.get_or_create(
                key=purger.key, defaults={"title": purger.title, "period_days": purger.days, "basis": purger.basis[:300]}
            )
    return rules


def _describe(purger: Purger, row) -> str:
    return purger.describe(row) if purger.describe else f"{row._meta.verbose_name} № {row.pk}"


def retention_plan(*, now: datetime.datetime | None = None, limit: int | None = None) -> list[RetentionLine]:
    """What a run would purge now, kind by kind: the count and (up to `limit` per kind, all without it) the rows."""
    now = now or timezone.now()
    rules = retention_rules()
    lines = []
    for purger in personal_data.purgers():
        rule = rules[purger.key]
        cutoff = cutoff_for(rule.period_days, now=now)
        expired = purger.expired(cutoff).order_by("pk")
        line = RetentionLine(purger.key, rule.title, rule.period_days, cutoff, expired.count(), active=rule.is_active)
        rows = expired if limit is None else expired[:limit]
        line.rows = [(row._meta.label, row.pk, _describe(purger, row)) for row in rows]
        lines.append(line)
    return lines


def retention_run(*, now: datetime.datetime | None = None) -> list[RetentionLine]:
    """Purge or anonymise what has expired, kind by kind, each in its own transaction; log it."""
    from privacy.services import event_log

    now = now or timezone.now()
    rules = retention_rules()
    lines = []
    for purger in personal_data.purgers():
        rule = rules[purger.key]
        cutoff = cutoff_for(rule.period_days, now=now)
        line = RetentionLine(purger.key, rule.title, rule.period_days, cutoff, 0, active=rule.is_active)
        if rule.is_active:
            with transaction.atomic():
                expired = purger.expired(cutoff)
                if purger.apply is not None:
                    line.count = purger.apply(expired)
                else:
                    line.count = expired.count()
                    expired.delete()
                RetentionRule.objects.filter(pk=rule.pk).update(last_run_at=now, last_run_rows=line.count)
        lines.append(line)
    purged = {line.key: line.count for line in lines if line.count}
    if purged:
        event_log(action=PrivacyEvent.Action.RETENTION_RUN, role="система (сроки хранения)", details=purged)
    return lines
