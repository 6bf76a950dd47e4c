"""The catalogue's own next steps (catalog.next_steps): the programmes of the republic's colleges and universities
that teach a profession's typical education paths, and the additional-education programmes linked to it. Two
queries for any number of professions."""

from collections import defaultdict

from django.db.models import Q

from catalog.next_steps import NextStep, StepQuery, next_steps


@next_steps.provider("catalog.programmes", order=10)
def programmes(query: StepQuery) -> dict[int, list[NextStep]]:
    from catalog.models import Programme

    by_code: dict[str, list[int]] = defaultdict(list)
    for ref in query.professions:
        for code in sorted(ref.speciality_codes):
            by_code[code].append(ref.id)
    if not by_code:
        return {}
    rows = (
        Programme.objects.filter(is_active=True, speciality__code__in=list(by_code), institution__is_active=True)
        .select_related("speciality", "institution")
        .order_by("-is_confirmed", "speciality__code", "institution__name", "pk")
    )
    result: dict[int, list[NextStep]] = defaultdict(list)
    for programme in rows:
        url = programme.url or programme.institution.website
        if not url:
            continue
        step = NextStep(
            kind="programme", title=f"{programme.speciality.code} «{programme.title}»", url=url, external=True,
            where=programme.institution.short_name or programme.institution.name,
            detail=f"{programme.speciality.get_level_display()}" + ("" if programme.is_confirmed else "; сведения ещё не подтверждены оператором"),
        )  # fmt: skip
        for profession_id in by_code[programme.speciality.code]:
            if len(result[profession_id]) < query.per_profession:
                result[profession_id].append(step)
    return result


@next_steps.provider("catalog.additional", order=20)
def additional(query: StepQuery) -> dict[int, list[NextStep]]:
    from catalog.models import AdditionalProgramme

    ids = [ref.id for ref in query.professions]
    links = AdditionalProgramme.professions.through.objects.filter(profession_id__in=ids, additionalprogramme__is_active=True).filter(
        Q(additionalprogramme__municipality__isnull=True) | Q(additionalprogramme__municipality_id=query.municipality_id)
    )
    if query.grade:
        links = links.filter(additionalprogramme__grade_from__lte=query.grade, additionalprogramme__grade_to__gte=query.grade)
    links = links.select_related("additionalprogramme__provider").order_by(
        "additionalprogramme__starts_on", "additionalprogramme__title", "pk"
    )
    result: dict[int, list[NextStep]] = defaultdict(list)
    for link in links:
        programme = link.additionalprogramme
        starts = programme.starts_on if programme.starts_on and programme.starts_on >= query.today else None
        if not programme.url and starts is None:
            continue
        kind = "training" if programme.kind == AdditionalProgramme.Kind.TRAINING else "additional"
        detail = "; ".join(part for part in (programme.grades_text, programme.schedule, "бесплатно" if programme.is_free else "") if part)
        step = NextStep(
            kind=kind, title=programme.title, url=programme.url, on=starts, external=bool(programme.url),
            where=programme.provider.short_name or programme.provider.name, detail=detail,
        )  # fmt: skip
        if len(result[link.profession_id]) < query.per_profession:
            result[link.profession_id].append(step)
    return result
