"""Reads of the teacher's daily work: a class's schedule (this week's lesson first, then the lessons left
unmarked, the future and the history), the next lesson to mark after a save, the attendance screen's rows,
and the search over a school's activities."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from access.policy import Viewer, classes_visible, home_school_id, schools_visible, students_visible
from core.formatting import day_text, month_year
from core.search import filter_by_search, matches_search, normalize_search_text, query_terms, search_rank, search_rank_expression
from orgs.models import Organization, SchoolClass, SchoolYear
from orgs.selectors import school_year_current
from people.models import Student
from profminimum.models import Activity, Attendance, AttendanceCorrection
from profminimum.policy import activities_visible, can_delete_activity, can_mark_attendance, can_move_activity

__all__ = [
    "ACTIVITIES_PER_PAGE",
    "RECENT_DAYS",
    "ActivityListPage",
    "ActivityListRow",
    "ClassSchedule",
    "ScheduleRow",
    "activities_search",
    "activity_credited",
    "attendance_corrections",
    "attendance_saved",
    "attendance_students",
    "class_activities",
    "class_schedule",
    "next_unmarked",
    "school_class_visible",
]

# The lesson «of this week» is the one held in the last seven days (today included): with one lesson a week,
# exactly the one just held, or today's.
RECENT_DAYS = 7
ACTIVITIES_PER_PAGE = 25


def school_class_visible(*, viewer: Viewer, pk) -> SchoolClass:
    """A class the viewer sees, with its school and year; anything else (a foreign class, not a number) is a 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("Класс не найден.") from None
    return get_object_or_404(classes_visible(viewer).select_related("school", "school_year"), pk=pk)


# --- the class's activities ---------------------------------------------------------------------------------


def class_activities(*, viewer: Viewer, school_class: SchoolClass, with_classes: bool = True) -> list[Activity]:
    """The activities of a class the viewer sees (fetched through school_class_visible), in date order: its own
    (the class takes part whole) and those where chosen students of the class take part.

    Two indexed selections merged here. One query with `id IN (…class…) OR id IN (…chosen…)` cannot use an
    index on PostgreSQL, which then reads every activity of the region to answer for one class."""
    own = Activity.objects.filter(classes=school_class, deleted_at__isnull=True)
    related = ("direction", "course_lesson", "school")
    merged = {activity.pk: activity for activity in own.select_related(*related)}
    # Chosen students: the students of the class (indexed), their rows of the m2m table (indexed by student);
    # then the policy over those few ids only, so that its conditions never drive a scan of all activities.
    chosen_ids = set(Activity.students.through.objects.filter(student__current_class=school_class).values_list("activity_id", flat=True))
    chosen_ids -= set(merged)
    if chosen_ids:
        for activity in activities_visible(viewer).filter(pk__in=sorted(chosen_ids)).select_related(*related):
            merged.setdefault(activity.pk, activity)
    activities = sorted(merged.values(), key=lambda a: (a.starts_at, a.pk))
    if with_classes:
        # The policy decides who may move an activity by its classes: fetched once for all rows.
        prefetch_related_objects(activities, "classes")
    return activities


@dataclass
class ScheduleRow:
    activity: Activity
    marked: int  # attendance rows of this class
    present: int
    day: datetime.date  # local date
    is_past: bool  # held (today included): its attendance may be marked
    may_move: bool = False
    may_delete: bool = False

    @property
    def is_marked(self) -> bool:
        return self.marked > 0

    @property
    def is_unmarked_past(self) -> bool:
        return self.is_past and not self.is_marked

    @property
    def day_text(self) -> str:
        return day_text(self.day)

    @property
    def month(self) -> str:
        return month_year(self.day)

    @property
    def label(self) -> str:
        activity = self.activity
        if activity.course_lesson_id:
            return f"занятие {activity.course_lesson.number}"
        return activity.title


# How many future lessons the schedule shows at once: a month or so ahead. The page stays the same size however
# long the year's plan is; the rest, and the marked history, come when asked for.
UPCOMING_SHOWN = 6


@dataclass
class ClassSchedule:
    """A class's schedule in the order a teacher needs it: this week's lesson, what is left unmarked, the
    future, and the lessons already marked."""

    school_class: SchoolClass
    today: datetime.date
    rows: list[ScheduleRow]  # every activity, in date order
    current: ScheduleRow | None  # this week's lesson, else the next one to come
    unmarked: list[ScheduleRow]  # held and not marked, in date order
    upcoming: list[ScheduleRow]  # after today, in date order
    history: list[ScheduleRow]  # held and marked, the most recent first
    may_mark: bool = False

    @property
    def current_heading(self) -> str:
        if self.current is None:
            return ""
        if self.current.day == self.today:
            return "Сегодняшнее занятие"
        if self.current.is_past:
            return "Последнее занятие"
        return "Ближайшее занятие"

    @property
    def held(self) -> int:
        return len(self.unmarked) + len(self.history)

    @property
    def upcoming_soon(self) -> list[ScheduleRow]:
        """The future a teacher plans with: the next few lessons; the rest of the year on request."""
        return self.upcoming[:UPCOMING_SHOWN]

    @property
    def upcoming_later(self) -> int:
        return max(len(self.upcoming) - UPCOMING_SHOWN, 0)


def _current(rows: list[ScheduleRow], today: datetime.date) -> ScheduleRow | None:
    """This week's lesson: of those held in the last RECENT_DAYS days, the latest one still unmarked, else the
    latest one; when none was held lately (holidays, the first week), the next one to come."""
    since = today - datetime.timedelta(days=RECENT_DAYS - 1)
    recent = [row for row in rows if since <= row.day <= today]
    unmarked = [row for row in recent if not row.is_marked]
    if unmarked or recent:
        return (unmarked or recent)[-1]
    return next((row for row in rows if row.day > today), None)


def class_schedule(*, viewer: Viewer, school_class: SchoolClass, today: datetime.date, with_actions: bool = True) -> ClassSchedule:
    """The schedule of a class the viewer sees (fetched through school_class_visible) as of `today`; with what
    the viewer may do to each activity unless `with_actions` is off."""
    activities = class_activities(viewer=viewer, school_class=school_class, with_classes=with_actions)
    counts = {
        row["activity_id"]: row
        for row in Attendance.objects.filter(activity_id__in=[a.pk for a in activities], school_class=school_class)
        .values("activity_id")
        .annotate(total=Count("pk"), present=Count("pk", filter=Q(present=True)))
    }
    rows = []
    for activity in activities:
        figures = counts.get(activity.pk, {"total": 0, "present": 0})
        day = timezone.localtime(activity.starts_at).date()
        rows.append(
            ScheduleRow(
                activity, figures["total"], figures["present"], day, day <= today,
                may_move=with_actions and can_move_activity(viewer, activity),
                may_delete=with_actions and can_delete_activity(viewer, activity),
            )
        )  # fmt: skip
    return ClassSchedule(
        school_class=school_class,
        today=today,
        rows=rows,
        current=_current(rows, today),
        unmarked=[row for row in rows if row.is_unmarked_past],
        upcoming=[row for row in rows if not row.is_past],
        history=[row for row in reversed(rows) if row.is_past and row.is_marked],
        may_mark=can_mark_attendance(viewer, school_class),
    )


def next_unmarked(
    *, viewer: Viewer, school_class: SchoolClass, today: datetime.date, after: Activity | None = None
) -> tuple[ScheduleRow | None, int]:
    """The lesson a teacher marks after `after`: the next held lesson of the class not yet marked, in date order,
    and after the latest one the earliest (so a teacher who starts from this week's lesson, or from the oldest
    as the home page suggests, goes through all of them); with how many are left unmarked."""
    schedule = class_schedule(viewer=viewer, school_class=school_class, today=today, with_actions=False)
    left = [row for row in schedule.unmarked if after is None or row.activity.pk != after.pk]
    if not left:
        return None, 0
    if after is not None:
        later = [row for row in left if (row.activity.starts_at, row.activity.pk) > (after.starts_at, after.pk)]
        if later:
            return later[0], len(left)
    return left[0], len(left)


# --- the attendance screen ----------------------------------------------------------------------------------


def attendance_students(*, viewer: Viewer, activity: Activity, school_class: SchoolClass) -> list[Student]:
    """The students of the class who take part in the activity: the whole class, or its chosen students."""
    students = students_visible(viewer).filter(current_class=school_class)
    if not activity.classes.filter(pk=school_class.pk).exists():
        students = students.filter(pk__in=activity.students.values("pk"))
    return list(students.select_related("person").order_by("person__last_name", "person__first_name", "person__middle_name", "pk"))


def attendance_saved(*, activity: Activity, students: list[Student]) -> dict[int, Attendance]:
    """The saved marks of these students, by student id."""
    return {a.student_id: a for a in Attendance.objects.filter(activity=activity, student__in=students)}


def attendance_corrections(*, activity: Activity, students: list[Student]) -> list[AttendanceCorrection]:
    return list(
        AttendanceCorrection.objects.filter(attendance__activity=activity, attendance__student__in=students)
        .select_related("changed_by", "attendance__student__person")
        .order_by("-changed_at", "-pk")
    )


def activity_credited(*, activity: Activity) -> tuple[Decimal, int]:
    """The hours the activity has credited and to how many students: what its deletion reverses."""
    credited = Attendance.objects.filter(activity=activity, credited_hours__gt=0).aggregate(
        hours=Sum("credited_hours"), students=Count("pk")
    )
    return credited["hours"] or Decimal("0"), credited["students"]


# --- searching a school's activities ------------------------------------------------------------------------


@dataclass
class ActivityListRow:
    activity: Activity
    classes: list[SchoolClass]
    chosen: int  # chosen students taking part, besides whole classes
    is_past: bool  # held (today included)
    markable_class: SchoolClass | None  # a class whose attendance of it the viewer marks

    @property
    def day_text(self) -> str:
        return day_text(self.activity.starts_at)

    @property
    def is_marked(self) -> bool:
        return self.activity.marked_at is not None


@dataclass
class ActivityListPage:
    """One page of a search: the rows, which of how many, and where the other pages are."""

    school: Organization
    school_class: SchoolClass | None
    school_year: SchoolYear | None
    query: str
    rows: list[ActivityListRow]
    total: int
    number: int = 1
    pages: int = 1
    first: int = 0  # the ordinal of the first row shown (1-based), 0 when nothing is shown
    last: int = 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def _searchable() -> bool:
    """Whether activities keep a folded copy of their title (core.models.SearchableModel). Until they do, the
    search folds the titles of one school's year here; with it, the database matches and ranks."""
    return any(f.name == "search_text" for f in Activity._meta.get_fields())


def _list_school(viewer: Viewer, *, school_pk, class_pk) -> tuple[Organization, SchoolClass | None]:
    """The school (and class) whose activities are listed: the one asked for, else the viewer's own."""
    if class_pk:
        school_class = school_class_visible(viewer=viewer, pk=class_pk)
        return school_class.school, school_class
    if school_pk:
        if not str(school_pk).isdigit():
            raise Http404("Школа не найдена.")
        return get_object_or_404(schools_visible(viewer), pk=int(school_pk)), None
    pk = home_school_id(viewer)
    if pk is None:
        first = classes_visible(viewer).filter(pk__in=viewer.class_ids).order_by("pk").first()
        pk = first.school_id if first else None
    if pk is None:
        raise Http404("Выберите школу: мероприятия показываются по школам.")
    return get_object_or_404(schools_visible(viewer), pk=pk), None


def _list_rows(viewer: Viewer, ids: list[int], *, school_class: SchoolClass | None, today: datetime.date) -> list[ActivityListRow]:
    """The rows of one page: each activity with its classes, its chosen students and a class to mark it in."""
    activities = {a.pk: a for a in Activity.objects.filter(pk__in=ids).select_related("direction", "course_lesson")}
    whole: dict[int, list[SchoolClass]] = {pk: [] for pk in ids}
    for link in (
        Activity.classes.through.objects.filter(activity_id__in=ids)
        .select_related("schoolclass")
        .order_by("schoolclass__grade", "schoolclass__letter")
    ):
        whole[link.activity_id].append(link.schoolclass)
    chosen = list(Activity.students.through.objects.filter(activity_id__in=ids).values_list("activity_id", "student__current_class_id"))
    chosen_classes = {c.pk: c for c in SchoolClass.objects.filter(pk__in={class_id for _pk, class_id in chosen if class_id})}
    rows = []
    for pk in ids:
        activity = activities[pk]
        takes_part = whole[pk] + [chosen_classes[c] for a, c in chosen if a == pk and c in chosen_classes]
        if school_class is not None:
            takes_part.insert(0, school_class)  # listed for this class: it takes part
        markable = next((c for c in takes_part if can_mark_attendance(viewer, c)), None)
        held = timezone.localtime(activity.starts_at).date() <= today
        rows.append(ActivityListRow(activity, whole[pk], sum(1 for a, _c in chosen if a == pk), held, markable))
    return rows


def activities_search(
    *, viewer: Viewer, query: str = "", school_pk=None, class_pk=None, page=1, today: datetime.date | None = None,
    per_page: int = ACTIVITIES_PER_PAGE,
) -> ActivityListPage:  # fmt: skip
    """The activities of a school in the current school year that the viewer sees (of one class, when given),
    searched by title and ranked by core.search (the query as a phrase first, then as whole words, then as
    word starts, then inside words); within a rank, from today on from the nearest, then the past ones from
    the latest."""
    school, school_class = _list_school(viewer, school_pk=school_pk, class_pk=class_pk)
    year = school_class.school_year if school_class else school_year_current()
    today = today or timezone.localdate()
    scope = Activity.objects.filter(school=school, school_year=year, deleted_at__isnull=True)
    scope = scope.filter(pk__in=activities_visible(viewer).filter(school=school).values("pk"))
    if school_class is not None:
        scope = scope.filter(pk__in=[a.pk for a in class_activities(viewer=viewer, school_class=school_class, with_classes=False)])
    query = (query or "").strip()[:200]
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))

    if _searchable():
        coming = Q(starts_at__gte=start_of_today)
        order = [
            Case(When(coming, then=Value(0)), default=Value(1), output_field=IntegerField()),
            Case(When(coming, then=F("starts_at"))).asc(nulls_last=True),
            Case(When(~coming, then=F("starts_at"))).desc(nulls_last=True),
            "pk",
        ]
        if query_terms(query):
            order.insert(0, search_rank_expression(query))
        found = filter_by_search(scope, query).order_by(*order)
        paginator = Paginator(found.values_list("pk", flat=True), per_page)
    else:
        # Activities keep no folded copy of their title yet: fold the titles of the school's year here, the way
        # core.search folds them (bounded by one school's year: a few thousand titles at most).
        found = []
        for pk, title, starts_at in scope.values_list("pk", "title", "starts_at"):
            text = normalize_search_text(title)
            if matches_search(text, query):
                past = starts_at < start_of_today
                found.append(((search_rank(text, query), past, -starts_at.timestamp() if past else starts_at.timestamp(), pk), pk))
        found.sort()
        paginator = Paginator([pk for _key, pk in found], per_page)

    current = paginator.get_page(page)
    ids = list(current.object_list)
    rows = _list_rows(viewer, ids, school_class=school_class, today=today)
    total = paginator.count
    first = (current.number - 1) * per_page + 1 if total else 0
    return ActivityListPage(
        school=school, school_class=school_class, school_year=year, query=query, rows=rows, total=total,
        number=current.number, pages=paginator.num_pages, first=first, last=first + len(rows) - 1 if rows else 0,
    )  # fmt: skip
