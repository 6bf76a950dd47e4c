"""The guidance page («Что мне подходит»): the recommendations with their reasons and next steps, the student's
preferences and «не подходит», and the individual trajectory with its backup; the teacher-navigator's comment and
confirmation. Thin: parse, call a service or a selector, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from access.policy import viewer_for
from access.services import personal_data_read_log
from catalog.models import Profession, Programme
from diagnostics import policy as diagnostics_policy
from guidance import selectors, services
from guidance.models import Dismissal, Goal
from privacy.policy import GUIDANCE, may_process

SLOTS = (("main", Goal.Kind.MAIN, "Основная цель"), ("backup1", Goal.Kind.BACKUP, "Запасной вариант"),
         ("backup2", Goal.Kind.BACKUP, "Второй запасной вариант (если есть)"))  # fmt: skip
STEPS_PER_GOAL = 3


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def _page_url(student, ground) -> str:
    return reverse("guidance:mine") if ground == diagnostics_policy.SELF else reverse("guidance:student", args=[student.pk])


def _not_theirs(request, student) -> HttpResponse:
    """A student the viewer sees in the network but whose results they may not: back to the student's card."""
    messages.info(request, "Рекомендации и траекторию обучающегося видят он сам, родители, психолог школы и педагог-навигатор класса.")
    return redirect("directory:student_detail", student.pk)


@login_required
def student(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    viewer = viewer_for(request.user)
    if pk is None and not viewer.own_student_id:
        # Not a student: a parent goes to their first child's page, anyone else to diagnostics.
        child = min(viewer.child_student_ids, default=None)
        return redirect("guidance:student", child) if child else redirect("diagnostics:home")
    student, ground = selectors.student_for(viewer=viewer, pk=pk)
    if ground is None:
        return _not_theirs(request, student)
    is_self = ground == diagnostics_policy.SELF
    recommendations = services.recommendations_ensure(student=student)
    professions = [r.profession for r in recommendations]
    steps = selectors.steps_for(student=student, professions=professions)
    trajectory = selectors.trajectory_of(student)
    context = {
        "student": student, "ground": ground, "is_self": is_self,
        "rows": [(r, steps.get(r.profession_id, [])) for r in recommendations],
        "trajectory": trajectory, "goals": list(trajectory.goals.all()) if trajectory else [],
        "may_review": services.may_review(viewer, student), "page_url": _page_url(student, ground),
        "guidance_consent": may_process(student=student, purpose=GUIDANCE),
        "page_title": "Что мне подходит" if is_self else f"Рекомендации и траектория: {student.person.short_name}",
        "breadcrumbs": [{"label": "Что мне подходит" if is_self else student.person.short_name, "url": ""}],
    }  # fmt: skip
    if is_self:
        sector_ids, subject_ids = selectors.preference_of(student)
        context |= {"options": selectors.form_options(), "sector_ids": sector_ids, "subject_ids": subject_ids,
                    "dismissals": selectors.dismissals_of(student), "reasons": Dismissal.Reason.choices,
                    "slots": _slots(trajectory, recommendations, request.POST if request.method == "POST" else None)}  # fmt: skip
    else:
        personal_data_read_log(
            user=request.user, subject="рекомендации и траектория обучающегося", channel="page", person_id=student.person_id
        )
    return render(request, "guidance/student.html", context)


def _slots(trajectory, recommendations, data=None) -> list[dict]:
    """The trajectory form's goals: what is saved, else the first recommendations offered as a start."""
    goals = list(trajectory.goals.all()) if trajectory else []
    slots = []
    for index, (key, kind, label) in enumerate(SLOTS):
        if data is not None:
            steps = [
                (data.get(f"{key}-step{n}-title", "")[:200], data.get(f"{key}-step{n}-date", "")[:10]) for n in range(1, STEPS_PER_GOAL + 1)
            ]
            slots.append({
                "key": key, "kind": kind, "label": label, "required": index < 2, "profession_id": _int(data.get(f"{key}-profession", "")),
                "programme_id": _int(data.get(f"{key}-programme", "")), "why": data.get(f"{key}-why", "")[:500], "steps": steps,
            })  # fmt: skip
            continue
        goal = goals[index] if index < len(goals) else None
        steps = [(s.title, s.due_on.isoformat()) for s in goal.steps.all()] if goal else []
        steps += [("", "")] * (STEPS_PER_GOAL - len(steps))
        suggested = recommendations[index].profession_id if not goal and index < 2 and index < len(recommendations) else None
        slots.append({
            "key": key, "kind": kind, "label": label, "required": index < 2,
            "profession_id": goal.profession_id if goal else suggested, "programme_id": goal.programme_id if goal else None,
            "why": goal.why if goal else "", "steps": steps[:STEPS_PER_GOAL],
        })  # fmt: skip
    return slots


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    student, _ = selectors.student_for(viewer=viewer, pk=None)
    sectors = [pk for pk in map(_int, request.POST.getlist("sector")) if pk]
    subjects = [pk for pk in map(_int, request.POST.getlist("subject")) if pk]
    options = selectors.form_options()
    sectors = [pk for pk in sectors if pk in {s.pk for s in options["sectors"]}]
    subjects = [pk for pk in subjects if pk in {s.pk for s in options["subjects"]}]
    try:
        services.preference_save(user=request.user, student=student, sectors=sectors, subjects=subjects)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Предпочтения сохранены, рекомендации пересчитаны.")
    return redirect("guidance:mine")


@login_required
@require_POST
def dismiss(request: HttpRequest, profession: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    student, _ = selectors.student_for(viewer=viewer, pk=None)
    found = get_object_or_404(Profession.objects.filter(is_active=True), pk=profession)
    try:
        if request.POST.get("undo"):
            services.dismissal_undo(user=request.user, student=student, profession=found)
            messages.success(request, f"«{found.title}» снова может попасть в рекомендации.")
        else:
            services.recommendation_dismiss(
                user=request.user,
                student=student,
                profession=found,
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(request, f"Поняли: «{found.title}» вам не подходит. Рекомендации пересчитаны без неё.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("guidance:mine")


def _goals_from(data) -> tuple[list[services.GoalInput], list[str]]:
    professions = {p.pk: p for p in Profession.objects.filter(is_active=True).only("pk", "title")}
    programmes = {p.pk: p for p in Programme.objects.filter(is_active=True).select_related("speciality")}
    goals, errors = [], []
    for index, (key, kind, label) in enumerate(SLOTS):
        profession_id = _int(data.get(f"{key}-profession", ""))
        if profession_id is None:
            if index < 2:
                errors.append(f"{label}: выберите профессию.")
            continue
        profession = professions.get(profession_id)
        if profession is None:
            errors.append(f"{label}: такой профессии нет в каталоге.")
            continue
        programme_raw = data.get(f"{key}-programme", "")
        programme = programmes.get(_int(programme_raw)) if programme_raw else None
        if programme_raw and programme is None:
            errors.append(f"{label}: такой программы обучения нет в каталоге.")
        steps = []
        for number in range(1, STEPS_PER_GOAL + 1):
            title = data.get(f"{key}-step{number}-title", "").strip()
            day = data.get(f"{key}-step{number}-date", "").strip()
            if not title and not day:
                continue
            try:
                due_on = datetime.date.fromisoformat(day)
            except ValueError:
                errors.append(f"{label}, шаг {number}: укажите дату (день, месяц, год).")
                continue
            if not title:
                errors.append(f"{label}, шаг {number}: напишите, что нужно сделать.")
                continue
            steps.append((title, due_on))
        goals.append(services.GoalInput(kind=kind, profession=profession, why=data.get(f"{key}-why", ""), steps=steps, programme=programme))
    return goals, errors


@login_required
@require_POST
def trajectory(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    found, _ = selectors.student_for(viewer=viewer, pk=None)
    goals, errors = _goals_from(request.POST)
    if not errors:
        try:
            services.trajectory_save(user=request.user, student=found, goals=goals)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            errors = error.messages
    if errors:
        for message in errors:
            messages.error(request, message)
        response = student(request)  # the page again, the form as it was filled in
        response.status_code = 400
        return response
    messages.success(request, "Траектория сохранена. Педагог-навигатор увидит её и прокомментирует.")
    return redirect(f"{reverse('guidance:mine')}#trajectory")


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    found, ground = selectors.student_for(viewer=viewer, pk=pk)
    if ground is None:
        return _not_theirs(request, found)
    try:
        services.trajectory_review(
            user=request.user, student=found, comment=request.POST.get("comment", ""), confirm=bool(request.POST.get("confirm"))
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Комментарий сохранён." if not request.POST.get("confirm") else "Траектория подтверждена.")
    return redirect(f"{reverse('guidance:student', args=[found.pk])}#trajectory")
