"""What diagnostics adds to the portal (core.registry): the menu entry of each role, links on the pages of a student and
of a class, and each home's part — the tests a student has to take, a parent's children's results, the tests a
teacher-navigator or a school has to assign and the results to discuss, a territory's aggregates. Each hook costs a few
indexed queries."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from access.policy import home_municipality_id, home_school_id
from core.formatting import count_text, date_text, plural_form
from core.registry import Attention, MenuItem, Panel, registry
from diagnostics import policy
from diagnostics.models import Assignment, Attempt
from people.models import Student

PATHS = r"^/diagnostics/"
SOON = datetime.timedelta(days=3)
# A version's definition (the questions, some 40 KB of JSON) is never shown on a home: decoding it for each row
# was a tenth of the student's home.
UNSHOWN = ("version__definition", "version__licence_note")
RECENT = datetime.timedelta(days=30)


def _memo(ctx, key: str, compute):
    cache = ctx.request.__dict__.setdefault("_diagnostics_home", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _assignable(ctx) -> list[int]:
    """The classes the viewer may give tests to (a teacher-navigator's own; a school's coordinator or psychologist's)."""
    return _memo(ctx, "assignable", lambda: list(policy.classes_assignable(ctx.viewer).values_list("pk", flat=True)))


def _open_tasks(ctx) -> list[tuple[Assignment, str | None]]:
    """The student's assignments open now and not finished: (assignment, the status of their attempt or None)."""

    def compute():
        viewer = ctx.viewer
        student = Student.objects.filter(pk=viewer.own_student_id).values_list("current_class_id", flat=True).first()
        if student is None:
            return []
        assignments = list(
            Assignment.objects.filter(school_class_id=student, opens_on__lte=ctx.today, closes_on__gte=ctx.today)
            .select_related("version__instrument")
            .defer(*UNSHOWN)
            .order_by("closes_on", "pk")
        )
        statuses: dict[int, set] = {}
        for assignment_id, status in Attempt.objects.filter(
            student_id=viewer.own_student_id, respondent__isnull=True, assignment__in=assignments
        ).values_list("assignment_id", "status"):
            statuses.setdefault(assignment_id, set()).add(status)
        return [
            (a, Attempt.Status.IN_PROGRESS if Attempt.Status.IN_PROGRESS in statuses.get(a.pk, set()) else None)
            for a in assignments
            if Attempt.Status.FINISHED not in statuses.get(a.pk, set())
        ]

    return _memo(ctx, "tasks", compute)


# --- the menu and links ------------------------------------------------------------------------------------------------


@registry.menu("diagnostics", order=15)
def menu(ctx) -> MenuItem | None:
    viewer, kind = ctx.viewer, ctx.kind
    if kind == "student" and viewer.own_student_id:
        return MenuItem("Мои опросники", reverse("diagnostics:home"), current_on=PATHS)
    if kind == "parent" and viewer.child_student_ids:
        return MenuItem("Диагностика", reverse("diagnostics:home"), current_on=PATHS)
    if kind in {"teacher", "school"} and _assignable(ctx):
        return MenuItem("Диагностика", reverse("diagnostics:assignments"), current_on=PATHS)
    if kind in {"republic", "municipality"} and (viewer.is_republic or viewer.municipality_ids):
        return MenuItem("Диагностика", reverse("diagnostics:summary"), current_on=PATHS)
    return None


@registry.links("diagnostics", order=40)
def object_links(ctx, subject: str, obj) -> list[MenuItem]:
    if subject == "student" and policy.results_ground(ctx.viewer, obj):
        return [MenuItem("Результаты диагностики", reverse("diagnostics:student", args=[obj.pk]))]
    if subject == "school_class" and obj.pk in _assignable(ctx):
        return [MenuItem("Диагностика класса", reverse("diagnostics:class", args=[obj.pk]))]
    if subject == "organization" and getattr(obj, "is_school", False) and policy.summary_schools(ctx.viewer).filter(pk=obj.pk).exists():
        return [MenuItem("Диагностика: сводка школы", f"{reverse('diagnostics:summary')}?school={obj.pk}")]
    return []


# --- what needs attention --------------------------------------------------------------------------------------------------


@registry.attention("diagnostics.student", order=20)
def student_attention(ctx) -> list[Attention]:
    if ctx.kind != "student" or not ctx.viewer.own_student_id:
        return []
    items = []
    for assignment, status in _open_tasks(ctx):
        title = assignment.version.instrument.title
        verb = "Продолжите" if status == Attempt.Status.IN_PROGRESS else "Пройдите"
        items.append(
            Attention(
                f"{verb} опросник «{title}»", reverse("diagnostics:home"),
                "warning" if assignment.closes_on - ctx.today <= SOON else "info", f"Срок — до {date_text(assignment.closes_on)}.",
            )
        )  # fmt: skip
    return items


@registry.attention("diagnostics.school", order=45)
def staff_attention(ctx) -> list[Attention]:
    """Tests closing soon that part of a class has not taken; low-confidence results to discuss (for those who see them)."""
    if ctx.kind not in {"teacher", "school"} or not _assignable(ctx):
        return []
    from diagnostics.selectors import assignment_rows

    closing = (
        Assignment.objects.filter(
            school_class_id__in=_assignable(ctx), opens_on__lte=ctx.today, closes_on__gte=ctx.today, closes_on__lte=ctx.today + SOON
        )
        .select_related("version__instrument", "school_class")
        .defer(*UNSHOWN)
    )
    items = []
    for row in assignment_rows(closing[:6]):
        if row.finished < row.students:
            items.append(
                Attention(
                    f"{row.assignment.school_class}: «{row.assignment.version.instrument.title}» прошли {row.finished} из {row.students}",
                    reverse("diagnostics:assignment", args=[row.assignment.pk]), "warning",
                    f"Срок — до {date_text(row.assignment.closes_on)}.",
                )
            )  # fmt: skip
    low = _low_confidence(ctx)
    if low:
        items.append(
            Attention(
                f"{count_text(low, 'результат', 'результата', 'результатов')} с низкой достоверностью — обсудить с обучающимися",
                reverse("diagnostics:assignments"), "info", "Ответы даны слишком быстро или одинаково: предложите пройти опросник ещё раз.",
            )
        )  # fmt: skip
    return items


def _recent_results(ctx):
    """The students' own finished results of the last 30 days among those whose results the viewer sees. Started
    from those students (a school's, a navigator's classes: their index) and read through the attempts' index by
    student, status and time — not from every attempt of the region joined to its student (300 ms at 48,000
    students with a result each)."""
    students = Student.objects.filter(policy.staff_results_condition(ctx.viewer)).values("pk")
    since = timezone.make_aware(datetime.datetime.combine(ctx.today - RECENT, datetime.time.min))
    return Attempt.objects.filter(student_id__in=students, status=Attempt.Status.FINISHED, finished_at__gte=since, respondent__isnull=True)


def _low_confidence(ctx) -> int:
    """Low-confidence results of the last 30 days among the students whose results the viewer sees."""

    def compute():
        return _recent_results(ctx).filter(low_confidence=True).count()

    return _memo(ctx, "low", compute)


# --- the homes' panels ------------------------------------------------------------------------------------------------------


@registry.panel("diagnostics.student", order=25)
def student_panel(ctx) -> Panel | None:
    if ctx.kind != "student" or not ctx.viewer.own_student_id:
        return None
    latest = (
        Attempt.objects.filter(student_id=ctx.viewer.own_student_id, respondent__isnull=True, status=Attempt.Status.FINISHED)
        .select_related("version__instrument")
        .defer(*UNSHOWN)
        .order_by("-finished_at")
        .first()
    )
    return Panel("Опросники", "diagnostics/panels/student.html", {"tasks": _open_tasks(ctx), "latest": latest})


@registry.panel("diagnostics.parent", order=35)
def parent_panel(ctx) -> Panel | None:
    if ctx.kind != "parent" or not ctx.viewer.child_student_ids:
        return None
    children = list(Student.objects.filter(pk__in=ctx.viewer.child_student_ids).select_related("person").order_by("pk"))
    rows = []
    for child in children:
        ground = policy.results_ground(ctx.viewer, child)
        latest = None
        if ground:
            latest = (
                Attempt.objects.filter(student=child, respondent__isnull=True, status=Attempt.Status.FINISHED, low_confidence=False)
                .select_related("version__instrument")
                .defer(*UNSHOWN)
                .order_by("-finished_at")
                .first()
            )
        compared = (
            bool(ground)
            and policy.may_see_parent_view(ctx.viewer, child, ground)
            and (Attempt.objects.filter(student=child, respondent_id=ctx.viewer.person_id, status=Attempt.Status.FINISHED).exists())
        )
        rows.append({"student": child, "ground": ground, "latest": latest, "compared": compared})
    return Panel("Диагностика детей", "diagnostics/panels/parent.html", {"rows": rows})


@registry.panel("diagnostics.staff", order=45)
def staff_panel(ctx) -> Panel | None:
    """A teacher-navigator's or a school's part: tests running, classes with nothing assigned, results to discuss."""
    if ctx.kind not in {"teacher", "school"} or not _assignable(ctx):
        return None
    classes = _assignable(ctx)
    running = Assignment.objects.filter(school_class_id__in=classes, opens_on__lte=ctx.today, closes_on__gte=ctx.today)
    covered = set(running.values_list("school_class_id", flat=True))
    recent = _recent_results(ctx).aggregate(n=Count("pk"), low=Count("pk", filter=Q(low_confidence=True)))
    return Panel(
        "Диагностика",
        "diagnostics/panels/staff.html",
        {
            "running": running.count(), "without": len(set(classes) - covered), "classes": len(classes), "recent": recent["n"],
            "low": recent["low"], "sees_results": bool(policy.psychologist_school_ids(ctx.viewer) or policy.navigator_class_ids(ctx.viewer)),
        },
    )  # fmt: skip


@registry.panel("diagnostics.territory", order=55)
def territory_panel(ctx) -> Panel | None:
    """A municipality's or the republic's part: how many students have a reliable result of a class assignment this
    year (aggregates only). Read from the attempts and the assignments' classes, never by counting the students table
    (the homes of the territories stay cheap, portal's test)."""
    viewer = ctx.viewer
    if ctx.kind == "republic" and viewer.is_republic:
        scope, condition = "республики", {}
    elif ctx.kind == "municipality" and (pk := home_municipality_id(viewer)):
        scope, condition = "муниципалитета", {"assignment__school_class__school__municipality_id": pk}
    elif ctx.kind == "school" and (pk := home_school_id(viewer)):
        scope, condition = "школы", {"assignment__school_class__school_id": pk}
    else:
        return None
    from orgs.selectors import school_year_current

    year = school_year_current()
    since = year.starts_on if year else ctx.today - datetime.timedelta(days=365)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time()))
    reached = (
        Attempt.objects.filter(
            status=Attempt.Status.FINISHED, low_confidence=False, respondent__isnull=True, assignment__isnull=False, finished_at__gte=start,
            **condition,
        )
        .values("student_id")
        .distinct()
        .count()
    )  # fmt: skip
    return Panel(
        "Диагностика",
        "diagnostics/panels/territory.html",
        {"reached": reached, "scope": scope,
         "reached_text": f"{count_text(reached, 'обучающийся', 'обучающихся', 'обучающихся')} {scope} {plural_form(reached, 'прошёл', 'прошли', 'прошли')}"},
    )  # fmt: skip
