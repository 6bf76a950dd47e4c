"""What the профминимум contributes to the portal (see core.registry): its menu entries, the links it adds
to the pages of classes, students and schools, the panels of each role's home page, and what needs each
role's attention now — levels to approve or choose, lessons not marked, students at risk.

The figures come from the rollups (profminimum.selectors.home), so every hook costs a handful of indexed
queries whatever the size of the region; what two hooks share is read once per request."""

from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from access.policy import home_municipality_id, home_school_id, municipalities_visible, schools_visible, students_visible
from core.formatting import count_text, day_text, percent_text, plural_form, thousands
from core.registry import Attention, MenuItem, Panel, registry
from orgs.models import SchoolClass
from orgs.selectors import school_year_current
from privacy.policy import Answer, parent_sharing_many
from profminimum.models import SchoolLevel
from profminimum.policy import can_decide_school_level, can_edit_normative, can_mark_attendance

# The compliance dashboards: the menu entry stays current on every level of the drill-down.
DASHBOARD_PATHS = r"^/profminimum/((municipalities|schools|classes|students)/\d+/)?$"
# How many schools, classes or municipalities one attention item lists before it sums up the rest.
TOP = 3
TOP_CLASSES = 6
# How many schools a municipality's home lists; a larger municipality's are on its own page.
HOME_SCHOOLS = 30

STUDENTS = ("обучающийся", "обучающихся", "обучающихся")
OF_STUDENTS = ("обучающегося", "обучающихся", "обучающихся")  # after «из»: «1 из 21 обучающегося»
SCHOOLS = ("школа", "школы", "школ")


def _selectors():
    from profminimum import selectors  # the selectors import the models' heavier helpers; only homes need them

    return selectors


def _memo(ctx, key: str, compute: Callable):
    """A figure two hooks of the same home page share, read once per request."""
    cache = ctx.request.__dict__.setdefault("_profminimum_home", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _year(ctx):
    return _memo(ctx, "year", school_year_current)


def _now(ctx):
    return _memo(ctx, "now", timezone.now)


def _republic(ctx):
    year = _year(ctx)
    if year is None or ctx.kind != "republic" or not ctx.viewer.is_republic:
        return None
    return _memo(ctx, "republic", lambda: _selectors().republic_overview(viewer=ctx.viewer, school_year=year, on=ctx.today))


def _municipality(ctx):
    year = _year(ctx)
    pk = home_municipality_id(ctx.viewer)
    if year is None or ctx.kind != "municipality" or pk is None:
        return None

    def compute():
        municipality = municipalities_visible(ctx.viewer).get(pk=pk)
        return _selectors().municipality_overview(
            viewer=ctx.viewer, school_year=year, municipality=municipality, on=ctx.today, now=_now(ctx)
        )

    return _memo(ctx, "municipality", compute)


def _school(ctx):
    """The school a school-wide person works for, or None."""
    pk = home_school_id(ctx.viewer)
    if ctx.kind != "school" or pk is None:
        return None

    def compute():
        return schools_visible(ctx.viewer).filter(pk=pk).first()

    return _memo(ctx, "school", compute)


def _coordinates(ctx, school) -> bool:
    return school is not None and school.pk in ctx.viewer.coordinated_school_ids


def _teacher_classes(ctx):
    if ctx.kind != "teacher" or not ctx.viewer.class_ids:
        return []
    return _memo(ctx, "teacher_classes", lambda: _selectors().teacher_schedule_links(viewer=ctx.viewer))


def dashboard_url(ctx) -> str:
    """The dashboard of the active role's own level, computed without a query; a teacher, a parent and a
    student go through /profminimum/, which opens their class, child or own page."""
    viewer = ctx.viewer
    if ctx.kind == "republic" and viewer.is_republic:
        return reverse("profminimum:dashboard")
    if ctx.kind == "municipality" and (pk := home_municipality_id(viewer)):
        return reverse("profminimum:dashboard_municipality", args=[pk])
    if ctx.kind == "school" and (pk := home_school_id(viewer)):
        return reverse("profminimum:dashboard_school", args=[pk])
    if ctx.kind == "teacher" and viewer.class_ids:
        return reverse("profminimum:dashboard")
    return ""


# --- texts --------------------------------------------------------------------------------------------------


def waiting_text(count: int) -> str:
    """«20 школ ждут утверждения уровня»."""
    return f"{count_text(count, *SCHOOLS)} {plural_form(count, 'ждёт', 'ждут', 'ждут')} утверждения уровня"


def without_level_text(count: int) -> str:
    """«5 школ не выбрали уровень»."""
    return f"{count_text(count, *SCHOOLS)} {plural_form(count, 'не выбрала', 'не выбрали', 'не выбрали')} уровень"


def at_risk_text(count: int) -> str:
    """«7 обучающихся в зоне риска»."""
    return f"{count_text(count, *STUDENTS)} в зоне риска"


def _lessons(count: int) -> str:
    return count_text(count, "занятие", "занятия", "занятий")


def _teachers_text(people) -> str:
    return ", ".join(person.short_name for person in people)


# --- the menu and links on other apps' pages ----------------------------------------------------------------


@registry.menu("profminimum.dashboard", order=10)
def dashboard_menu(ctx) -> MenuItem | None:
    url = dashboard_url(ctx)
    return MenuItem("Профминимум", url, current_on=DASHBOARD_PATHS) if url else None


@registry.menu("profminimum.levels", order=20)
def levels_menu(ctx) -> MenuItem | None:
    """The levels of the schools: the ministry approves them there; a municipality follows its schools."""
    if (ctx.kind == "republic" and (can_decide_school_level(ctx.viewer) or ctx.viewer.is_republic)) or (
        ctx.kind == "municipality" and ctx.viewer.municipality_ids
    ):
        return MenuItem("Уровни школ", reverse("profminimum:level_list"))
    return None


@registry.menu("profminimum.normative", order=25)
def normative_menu(ctx) -> MenuItem | None:
    if ctx.kind in {"republic", "municipality"} and (
        can_edit_normative(ctx.viewer) or ctx.viewer.is_republic or ctx.viewer.municipality_ids
    ):
        return MenuItem("Нормативы", reverse("profminimum:normative_list"))
    return None


@registry.menu("profminimum.activities", order=30)
def activities_menu(ctx) -> MenuItem | None:
    """The school's activities with their search: the school coordinator's and the psychologist's list."""
    if ctx.kind == "school" and home_school_id(ctx.viewer):
        return MenuItem("Мероприятия", reverse("profminimum:activity_list"))
    return None


@registry.links("profminimum", order=10)
def object_links(ctx, subject: str, obj) -> list[MenuItem]:
    if subject == "school_class":
        links = []
        if can_mark_attendance(ctx.viewer, obj) or ctx.viewer.is_republic or obj.school_id in ctx.viewer.school_ids:
            links.append(MenuItem("Расписание и посещаемость", reverse("profminimum:class_schedule", args=[obj.pk])))
        links.append(MenuItem("Часы профминимума", reverse("profminimum:dashboard_class", args=[obj.pk])))
        return links
    if subject == "student":
        return [MenuItem("Часы профминимума", reverse("profminimum:dashboard_student", args=[obj.pk]))]
    if subject == "organization" and obj.is_school:
        return [
            MenuItem("Профминимум школы", reverse("profminimum:dashboard_school", args=[obj.pk])),
            MenuItem("Уровень профминимума", reverse("profminimum:school_level", args=[obj.pk])),
        ]
    return []


# --- what needs attention now -------------------------------------------------------------------------------


@registry.attention("profminimum.levels", order=10)
def levels_attention(ctx) -> list[Attention]:
    """The ministry: levels to approve, schools without one, a year without its normative version. A
    municipality: its schools in the same position. A school coordinator: their own school's level."""
    levels_url = reverse("profminimum:level_list")
    if overview := _republic(ctx):
        items = []
        if not overview.has_normative:
            items.append(
                Attention(
                    f"Нормативы профминимума на {_year(ctx)} учебный год не заданы",
                    reverse("profminimum:normative_list"),
                    "danger",
                    "Без них ни уровни школ, ни выполнение не считаются.",
                )
            )
        if overview.levels.waiting:
            detail = "Утвердите уровень или установите другой." if can_decide_school_level(ctx.viewer) else ""
            items.append(Attention(waiting_text(overview.levels.waiting), f"{levels_url}?status=chosen", "warning", detail))
        if overview.levels.without:
            items.append(Attention(without_level_text(overview.levels.without), f"{levels_url}?status=none", "warning"))
        return items
    if overview := _municipality(ctx):
        where = f"{levels_url}?municipality={overview.municipality.pk}"
        items = []
        if overview.levels.waiting:
            items.append(
                Attention(waiting_text(overview.levels.waiting), f"{where}&status=chosen", "info", "Уровень утверждает министерство.")
            )
        if overview.levels.without:
            items.append(Attention(without_level_text(overview.levels.without), f"{where}&status=none", "warning"))
        return items
    school = _school(ctx)
    if _coordinates(ctx, school) and (year := _year(ctx)) is not None:
        level = _selectors().school_level_of(school=school, school_year=year)
        url = reverse("profminimum:school_level", args=[school.pk])
        if level is None:
            return [
                Attention(
                    f"Уровень профминимума на {year} учебный год не выбран", url, "danger", "Выберите уровень и приложите приказ школы."
                )
            ]
        if level.status == SchoolLevel.Status.CHOSEN:
            return [Attention(f"Уровень «{level.level.get_code_display()}» ждёт утверждения министерством", url, "info")]
    return []


@registry.attention("profminimum.unmarked", order=20)
def unmarked_attention(ctx) -> list[Attention]:
    """Lessons held and not marked: a municipality's schools, a school's classes with their teachers, a
    teacher's own classes (with a link straight to the oldest one)."""
    year = _year(ctx)
    if year is None:
        return []
    selectors = _selectors()
    if overview := _municipality(ctx):
        rows = sorted((row for row in overview.rows if row.unmarked), key=lambda row: (-row.unmarked.count, row.school.short_name))
        items = [
            Attention(
                f"{row.school.short_name}: {row.unmarked.text}", reverse("directory:organization_detail", args=[row.school.pk]), "warning"
            )
            for row in rows[:TOP]
        ]
        if len(rows) > TOP:
            rest = rows[TOP:]
            lessons = sum(row.unmarked.count for row in rest)
            items.append(Attention(f"Ещё в {count_text(len(rest), 'школе', 'школах', 'школах')} не отмечено {_lessons(lessons)}"))
        return items
    school = _school(ctx)
    if _coordinates(ctx, school):
        classes = {c.pk: c for c in SchoolClass.objects.filter(school=school, school_year=year)}
        unmarked = selectors.unmarked_by_class(school_year=year, class_ids=list(classes), now=_now(ctx))
        ordered = sorted(unmarked.items(), key=lambda item: (-item[1].count, classes[item[0]].grade, classes[item[0]].letter))
        teachers = selectors.class_teachers(class_ids=[pk for pk, _ in ordered[:TOP_CLASSES]])
        items = []
        for pk, figures in ordered[:TOP_CLASSES]:
            who = _teachers_text(teachers.get(pk, []))
            label = f"{classes[pk].name} — {who}" if who else classes[pk].name
            items.append(
                Attention(
                    f"{label}: {figures.text}",
                    reverse("profminimum:class_schedule", args=[pk]),
                    "warning",
                    f"Самое раннее — {day_text(figures.oldest)}.",
                )
            )
        if len(ordered) > TOP_CLASSES:
            rest = ordered[TOP_CLASSES:]
            lessons = sum(figures.count for _, figures in rest)
            items.append(Attention(f"Ещё в {count_text(len(rest), 'классе', 'классах', 'классах')} не отмечено {_lessons(lessons)}"))
        return items
    classes = _teacher_classes(ctx)
    if classes:
        unmarked = selectors.unmarked_by_class(school_year=year, class_ids=[c.pk for c in classes], now=_now(ctx))
        items = []
        for school_class in classes:
            figures = unmarked.get(school_class.pk)
            if figures is None:
                continue
            oldest = selectors.oldest_unmarked(school_year=year, class_id=school_class.pk, now=_now(ctx))
            url = f"{reverse('profminimum:activity_attendance', args=[oldest.pk])}?class={school_class.pk}" if oldest else ""
            items.append(
                Attention(f"{school_class.name}: {figures.text}", url, "warning", f"Начните с самого раннего — {day_text(figures.oldest)}.")
            )
        return items
    return []


@registry.attention("profminimum.at_risk", order=30)
def at_risk_attention(ctx) -> list[Attention]:
    """Where students are at risk: the municipalities with the largest share, a municipality's schools and
    a school's classes with the most, the students of a teacher's own classes."""
    year = _year(ctx)
    if year is None:
        return []
    selectors = _selectors()
    state = selectors.State.AT_RISK
    if overview := _republic(ctx):
        rows = [row for row in overview.rows if row.figures.by_state[state]]
        rows.sort(key=lambda row: (-row.figures.by_state[state] / row.figures.students, row.municipality.name))
        return [
            Attention(
                f"{row.municipality.name}: {percent_text(row.figures.by_state[state], row.figures.students)} обучающихся в зоне риска",
                reverse("profminimum:dashboard_municipality", args=[row.municipality.pk]),
                "warning",
                f"{thousands(row.figures.by_state[state])} из {count_text(row.figures.students, *OF_STUDENTS)}.",
            )
            for row in rows[:TOP]
        ]
    if overview := _municipality(ctx):
        rows = sorted(
            (row for row in overview.rows if row.figures.by_state[state]),
            key=lambda row: (-row.figures.by_state[state], row.school.short_name),
        )
        return [
            Attention(
                f"{row.school.short_name}: {at_risk_text(row.figures.by_state[state])}",
                reverse("profminimum:dashboard_school", args=[row.school.pk]),
                "warning",
                f"{percent_text(row.figures.by_state[state], row.figures.students)} обучающихся школы.",
            )
            for row in rows[:TOP]
        ]
    school = _school(ctx)
    if school is not None:
        rows = [
            (school_class, figures)
            for school_class, figures in selectors.class_rows(viewer=ctx.viewer, school_year=year, school=school, on=ctx.today)
            if figures.by_state[state]
        ]
        rows.sort(key=lambda item: (-item[1].by_state[state], item[0].grade, item[0].letter))
        return [
            Attention(
                f"{school_class.name}: {at_risk_text(figures.by_state[state])}",
                reverse("profminimum:dashboard_class", args=[school_class.pk]),
                "warning",
                f"{percent_text(figures.by_state[state], figures.students)} класса.",
            )
            for school_class, figures in rows[:TOP]
        ]
    classes = _teacher_classes(ctx)
    if classes:
        figures = selectors.scope_compliance(school_year=year, scope="class", scope_ids=[c.pk for c in classes], on=ctx.today)
        items = []
        for school_class in classes:
            count = figures[school_class.pk].by_state[state]
            if not count:
                continue
            rows = selectors.student_rows(viewer=ctx.viewer, school_year=year, school_class=school_class, on=ctx.today)
            names = [row.student.person.short_name for row in rows if row.state == state]
            detail = ", ".join(names[:TOP]) + (f" и ещё {len(names) - TOP}" if len(names) > TOP else "")
            items.append(
                Attention(
                    f"{school_class.name}: {at_risk_text(count)}",
                    reverse("profminimum:dashboard_class", args=[school_class.pk]),
                    "warning",
                    detail,
                )
            )
        return items
    return []


# --- panels -------------------------------------------------------------------------------------------------


@registry.panel("profminimum.territory", order=15)
def territory_panels(ctx) -> Panel | None:
    """The ministry's municipalities and a municipality's schools, with students counted by the rollups."""
    if overview := _republic(ctx):
        rows = [{"municipality": row.municipality, "schools": row.schools, **_shares(row.figures)} for row in overview.rows]
        context = {"rows": rows, "schools": overview.schools, "totals": _shares(overview.totals)}
        return Panel("Муниципалитеты", "profminimum/panels/municipalities.html", context, wide=True)
    if overview := _municipality(ctx):
        rows = overview.rows
        if len(rows) > HOME_SCHOOLS:
            # A large municipality's home stays the same size: the schools with the most students at risk,
            # and the way to all of them.
            at_risk = _selectors().State.AT_RISK
            rows = sorted(rows, key=lambda row: (-row.figures.by_state[at_risk], row.school.short_name))[:HOME_SCHOOLS]
        context = {
            "rows": [{"school": row.school, "level": row.level, "unmarked": row.unmarked, **_shares(row.figures)} for row in rows],
            "schools": len(overview.rows),
            "totals": _shares(overview.totals),
            "municipality": overview.municipality,
        }
        return Panel("Школы", "profminimum/panels/schools.html", context, wide=True)
    return None


def _shares(figures) -> dict:
    """Students, and the shares of them who met the year's norm and who are at risk («12 %», or «—» of none)."""
    state = _selectors().State

    def share(name: str) -> str:
        return percent_text(figures.by_state[name], figures.students) if figures.students else "—"

    return {
        "students": figures.students,
        "at_risk_count": figures.by_state[state.AT_RISK],
        "met": share(state.MET),
        "at_risk": share(state.AT_RISK),
    }


@registry.panel("profminimum.links", order=20)
def school_links(ctx) -> Panel | None:
    if ctx.kind == "school" and (pk := home_school_id(ctx.viewer)):
        return Panel(
            "Профминимум",
            "profminimum/panels/school_links.html",
            {
                "dashboard": reverse("profminimum:dashboard_school", args=[pk]),
                "level": reverse("profminimum:school_level", args=[pk]),
                "normative": reverse("profminimum:normative_list"),
            },
        )
    return None


@registry.panel("profminimum.people", order=30)
def people_panels(ctx) -> list[Panel] | None:
    """The teacher's schedules, where the student stands, where each child stands."""
    selectors = _selectors()
    viewer = ctx.viewer
    if ctx.kind == "teacher" and viewer.class_ids:
        return [
            Panel(
                "Расписание и посещаемость",
                "profminimum/panels/teacher_schedules.html",
                {"classes": _teacher_classes(ctx), "normative": reverse("profminimum:normative_list")},
            )
        ]
    if ctx.kind == "student" and viewer.own_student_id:
        summary = selectors.student_home_summary(viewer=viewer, student_pk=viewer.own_student_id, today=ctx.today, now=_now(ctx))
        return [Panel("Мой профминимум", "profminimum/panels/student_hours.html", {"summary": summary, "own": True}, wide=True)]
    if ctx.kind == "parent" and viewer.child_student_ids:
        # A child's results are shown to the parent only while the consent to share them stands (privacy decides).
        sharing = parent_sharing_many(viewer, sorted(viewer.child_student_ids))
        summaries = [
            selectors.student_home_summary(viewer=viewer, student_pk=pk, today=ctx.today, now=_now(ctx), with_absences=True)
            for pk in sorted(viewer.child_student_ids)
            if sharing.get(pk) != Answer.NO
        ]
        summaries.sort(key=lambda s: (s.student.person.birth_date is None, s.student.person.birth_date, s.student.pk))
        hidden = [pk for pk, answer in sharing.items() if answer == Answer.NO]
        withheld = list(students_visible(viewer).filter(pk__in=hidden).select_related("person"))
        ask = {pk for pk, answer in sharing.items() if answer == Answer.ASK}
        context = {"summaries": summaries, "withheld": withheld, "ask": ask}
        return [Panel("Профминимум детей", "profminimum/panels/children_hours.html", context, wide=True)]
    return None
