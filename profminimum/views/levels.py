"""Each school's профминимум level for the year (seed items 1.1–1.3): the coordinator's choice with the
school's order, the ministry's approval, the ministry's list of all schools, and the public list."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from access.policy import Viewer, municipalities_visible, schools_visible, viewer_for
from orgs.models import Municipality, Organization, SchoolYear
from profminimum.forms_levels import LevelChoiceForm, LevelSetForm, form_error_lines
from profminimum.forms_normative import hours_words
from profminimum.models import Level, NormativeVersion, SchoolLevel
from profminimum.policy import can_choose_school_level, can_decide_school_level, can_read_school_order
from profminimum.services import order_date_earliest, school_level_approve, school_level_choose, school_level_set
from profminimum.uploads import kind_of_stored

PUBLISHED = [SchoolLevel.Status.APPROVED, SchoolLevel.Status.SET_BY_MINISTRY]
STATUS_FILTERS = [
    ("", "все"),
    (SchoolLevel.Status.CHOSEN, "ждут утверждения"),
    (SchoolLevel.Status.APPROVED, "утверждены министерством"),
    (SchoolLevel.Status.SET_BY_MINISTRY, "установлены министерством"),
    ("none", "уровень не выбран"),
]


# --- reads (narrowed by the access policy; the public list shows only published facts) ------------------------


def _school_years_with_normative() -> list[SchoolYear]:
    return list(SchoolYear.objects.filter(normative__isnull=False).order_by("-starts_on"))


def _year_from(request: HttpRequest) -> SchoolYear | None:
    """The school year asked for (?year=<id>, one with a normative version), else the current one."""
    raw = request.GET.get("year") or request.POST.get("year") or ""
    if raw.isdigit():
        year = SchoolYear.objects.filter(pk=int(raw), normative__isnull=False).first()
        if year is not None:
            return year
    return SchoolYear.objects.filter(is_current=True).first()


def _levels_of(year: SchoolYear | None):
    if year is None:
        return Level.objects.none()
    return Level.objects.filter(normative__school_year=year).order_by("min_hours")


def _school_level(school: Organization, year: SchoolYear | None) -> SchoolLevel | None:
    if year is None:
        return None
    return (
        SchoolLevel.objects.filter(school=school, school_year=year)
        .select_related("level", "chosen_by__person", "decided_by__person")
        .first()
    )


@dataclass
class MunicipalityGroup:
    municipality: Municipality | None
    rows: list[tuple[Organization, SchoolLevel | None]] = field(default_factory=list)


def _level_list(*, viewer: Viewer, year: SchoolYear, municipality_id: int | None, status: str) -> list[MunicipalityGroup]:
    schools = schools_visible(viewer).filter(is_active=True).select_related("municipality")
    if municipality_id:
        schools = schools.filter(municipality_id=municipality_id)
    levels = SchoolLevel.objects.filter(school_year=year).select_related("level", "chosen_by__person", "decided_by__person")
    schools = schools.prefetch_related(Prefetch("profminimum_levels", queryset=levels, to_attr="year_levels"))
    if status == "none":
        schools = schools.exclude(profminimum_levels__school_year=year)
    elif status:
        schools = schools.filter(Q(profminimum_levels__school_year=year, profminimum_levels__status=status))
    groups: dict[int | None, MunicipalityGroup] = {}
    for school in schools.order_by("municipality__kind", "municipality__name", "short_name"):
        group = groups.setdefault(school.municipality_id, MunicipalityGroup(school.municipality))
        group.rows.append((school, school.year_levels[0] if school.year_levels else None))
    return list(groups.values())


def _status_counts(*, viewer: Viewer, year: SchoolYear) -> dict[str, int]:
    schools = schools_visible(viewer).filter(is_active=True)
    counts = dict.fromkeys(SchoolLevel.Status.values, 0)
    for status in SchoolLevel.objects.filter(school_year=year, school__in=schools).values_list("status", flat=True):
        counts[status] += 1
    counts["none"] = schools.count() - sum(counts.values())
    return counts


@dataclass
class PublicMunicipality:
    municipality: Municipality | None
    counts: list[int]
    schools: list[tuple[Organization, Level]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts)


def _public_levels(year: SchoolYear) -> tuple[list[Level], list[PublicMunicipality]]:
    """Published facts only: schools whose level the ministry approved or set, by municipality and level.
    No people, no orders."""
    levels = list(_levels_of(year))
    index = {level.pk: i for i, level in enumerate(levels)}
    groups: dict[int | None, PublicMunicipality] = {}
    published = (
        SchoolLevel.objects.filter(school_year=year, status__in=PUBLISHED, school__is_active=True)
        .select_related("school__municipality", "level")
        .order_by("school__municipality__kind", "school__municipality__name", "level__min_hours", "school__short_name")
    )
    for school_level in published:
        school = school_level.school
        group = groups.setdefault(school.municipality_id, PublicMunicipality(school.municipality, [0] * len(levels)))
        group.counts[index[school_level.level_id]] += 1
        group.schools.append((school, school_level.level))
    return levels, list(groups.values())


def school_order_text(school_level: SchoolLevel | None) -> str:
    return school_level.order_text() if school_level is not None else ""


# --- pages --------------------------------------------------------------------------------------------------


def _level_url(school: Organization, year: SchoolYear | None) -> str:
    url = reverse("profminimum:school_level", args=[school.pk])
    return f"{url}?year={year.pk}" if year is not None and not year.is_current else url


@login_required
def school_level(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    school = get_object_or_404(schools_visible(viewer).select_related("municipality"), pk=pk)
    year = _year_from(request)
    levels = _levels_of(year)
    current = _school_level(school, year)
    # A year that is over keeps its level: the service refuses a new choice, and the page offers none.
    year_over = year is not None and year.ends_on < timezone.localdate()
    may_choose = can_choose_school_level(viewer, school) and year is not None and levels.exists()
    can_choose = may_choose and not year_over
    can_decide = can_decide_school_level(viewer) and year is not None and levels.exists()
    locked = current is not None and current.status == SchoolLevel.Status.SET_BY_MINISTRY
    choice_form = set_form = None
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "choose":
            if not may_choose:
                raise PermissionDenied
            choice_form = LevelChoiceForm(
                request.POST, request.FILES, levels=levels, has_order=bool(current and current.order_file),
                order_date_bounds=_order_date_bounds(year),
            )  # fmt: skip
            if choice_form.is_valid():
                data = choice_form.cleaned_data
                try:
                    school_level_choose(
                        school=school, school_year=year, level=data["level"], order_file=data["order_file"],
                        order_number=data["order_number"], order_date=data["order_date"], by=request.user,
                    )  # fmt: skip
                except ValidationError as error:
                    _add_errors(choice_form, error)
                else:
                    messages.success(request, f"Уровень «{data['level'].get_code_display()}» выбран. Он ждёт утверждения министерством.")
                    return redirect(_level_url(school, year))
            errors = form_error_lines(choice_form)
        elif action in {"approve", "set"}:
            if not can_decide:
                raise PermissionDenied
            try:
                if action == "approve":
                    if current is None:
                        raise ValidationError("Школа ещё не выбрала уровень: утверждать нечего.")
                    level_id = request.POST.get("level", "")
                    school_level_approve(school_level=current, level_id=int(level_id) if level_id.isdigit() else None, by=request.user)
                    messages.success(request, f"Уровень «{current.level.get_code_display()}» школы утверждён.")
                    return redirect(_level_url(school, year))
                set_form = LevelSetForm(request.POST, levels=levels)
                if set_form.is_valid():
                    level = set_form.cleaned_data["level"]
                    school_level_set(
                        school=school, school_year=year, level=level, status=SchoolLevel.Status.SET_BY_MINISTRY, by=request.user
                    )
                    messages.success(request, f"Министерство установило школе уровень «{level.get_code_display()}».")
                    return redirect(_level_url(school, year))
                errors = form_error_lines(set_form)
            except ValidationError as error:
                errors = error.messages
        else:
            return HttpResponse("Неизвестное действие.", status=400)
        status = 400 if errors else 200
    if can_choose and not locked and choice_form is None:
        initial = {}
        if current is not None:
            initial = {"level": current.level_id, "order_number": current.order_number, "order_date": current.order_date}
        choice_form = LevelChoiceForm(
            initial=initial, levels=levels, has_order=bool(current and current.order_file), order_date_bounds=_order_date_bounds(year)
        )
    if can_decide and set_form is None:
        set_form = LevelSetForm(initial={"level": current.level_id if current else None}, levels=levels)
    context = {
        "school": school,
        "year": year,
        "years": _school_years_with_normative(),
        "levels": [(level, hours_words(level.min_hours)) for level in levels],
        "current": current,
        "order_text": school_order_text(current),
        "locked": locked,
        "can_choose": can_choose,
        "year_over": year_over and may_choose,
        # Said on the form, before the coordinator confirms: a new choice takes the ministry's approval away.
        "rechoice_needs_approval": current is not None and current.status == SchoolLevel.Status.APPROVED,
        "can_decide": can_decide,
        "can_read_order": can_read_school_order(viewer, school),
        "choice_form": choice_form if can_choose and not locked else None,
        "set_form": set_form,
        "errors": errors,
        "breadcrumbs": _breadcrumbs(viewer, school),
    }
    return render(request, "profminimum/level_school.html", context, status=status)


def _order_date_bounds(year: SchoolYear):
    return order_date_earliest(year), timezone.localdate()


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _breadcrumbs(viewer: Viewer, school: Organization) -> list[dict]:
    crumbs = []
    if can_decide_school_level(viewer) or viewer.is_republic or viewer.municipality_ids:
        crumbs.append({"label": "Уровни профминимума школ", "url": reverse("profminimum:level_list")})
    crumbs.append({"label": school.short_name, "url": reverse("directory:organization_detail", args=[school.pk])})
    crumbs.append({"label": "Уровень профминимума"})
    return crumbs


@login_required
def school_order(request: HttpRequest, pk: int) -> FileResponse:
    """The school's order, only to those the policy lets read it; anyone else gets 404."""
    viewer = viewer_for(request.user)
    school = get_object_or_404(schools_visible(viewer), pk=pk)
    if not can_read_school_order(viewer, school):
        raise Http404
    current = _school_level(school, _year_from(request))
    if current is None or not current.order_file:
        raise Http404
    kind = kind_of_stored(current.order_file.name)
    if kind is None:
        raise Http404
    try:
        handle = current.order_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    number = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in current.order_number) or "b-n"
    filename = f"Приказ {number} {school.short_name}.{kind.extension}".replace('"', "")
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=kind.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def level_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    year = _year_from(request)
    municipalities = list(municipalities_visible(viewer).order_by("kind", "name"))
    raw = request.GET.get("municipality", "")
    municipality_id = int(raw) if raw.isdigit() and int(raw) in {m.pk for m in municipalities} else None
    status = request.GET.get("status", "")
    status = status if status in dict(STATUS_FILTERS) else ""
    context = {
        "year": year,
        "years": _school_years_with_normative(),
        "municipalities": municipalities,
        "municipality_id": municipality_id,
        "status": status,
        "status_filters": STATUS_FILTERS,
        "can_decide": can_decide_school_level(viewer),
        "groups": _level_list(viewer=viewer, year=year, municipality_id=municipality_id, status=status) if year else [],
        "counts": _status_counts(viewer=viewer, year=year) if year else {},
        "breadcrumbs": [{"label": "Уровни профминимума школ"}],
    }
    return render(request, "profminimum/level_list.html", context)


@login_required
@require_POST
def level_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve from the list: htmx swaps the row in place; without JavaScript the list is shown again."""
    viewer = viewer_for(request.user)
    current = get_object_or_404(
        SchoolLevel.objects.filter(school__in=schools_visible(viewer)).select_related("school", "level", "school_year"), pk=pk
    )
    if not can_decide_school_level(viewer):
        raise PermissionDenied
    level_id = request.POST.get("level", "")
    error = ""
    try:
        current = school_level_approve(school_level=current, level_id=int(level_id) if level_id.isdigit() else None, by=request.user)
        notice = f"Уровень «{current.level.get_code_display()}» школы «{current.school.short_name}» утверждён."
    except ValidationError as exc:
        error = " ".join(exc.messages)
        notice = error
    if request.htmx:
        current = SchoolLevel.objects.select_related("school", "level", "chosen_by__person", "decided_by__person").get(pk=current.pk)
        context = {"school": current.school, "sl": current, "year": current.school_year, "can_decide": True, "row_error": error,
                   "notice": notice, "swapped": True, "oob_counts": _status_counts(viewer=viewer, year=current.school_year)}  # fmt: skip
        return render(request, "profminimum/_level_row.html", context)
    (messages.error if error else messages.success)(request, notice)
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/profminimum/levels/") else reverse("profminimum:level_list"))


def public_levels(request: HttpRequest) -> HttpResponse:
    """The public list (no sign-in): the schools of the current year by municipality and level."""
    year = SchoolYear.objects.filter(is_current=True).first()
    levels, groups = _public_levels(year) if year is not None and NormativeVersion.objects.filter(school_year=year).exists() else ([], [])
    totals = [sum(group.counts[i] for group in groups) for i in range(len(levels))]
    context = {
        "year": year,
        "levels": [(level, hours_words(level.min_hours)) for level in levels],
        "groups": groups,
        "totals": totals,
        "total": sum(totals),
    }
    return render(request, "profminimum/public_levels.html", context)


urlpatterns = [
    path("schools/<int:pk>/level/", school_level, name="school_level"),
    path("schools/<int:pk>/level/order/", school_order, name="school_order"),
    path("levels/", level_list, name="level_list"),
    path("levels/<int:pk>/approve/", level_approve, name="level_approve"),
    path("public/levels/", public_levels, name="public_levels"),
]
