"""Writes of the regional network that other data depends on."""

from django.core.exceptions import ValidationError
from django.db import transaction

from orgs.models import Municipality, Organization
from orgs.signals import school_municipality_changed


@transaction.atomic
def school_municipality_change(*, school: Organization, municipality: Municipality | None) -> Organization:
    """Move a school to another municipality. Its students, classes and figures go with it: the municipalities'
    counts are kept right by those who count (the профминимум follows `school_municipality_changed` and
    recomputes the current school year's rollups). The network keeps no history of a school's municipality, so
    the current year counts the school in its new municipality from the year's first day. Errors name the form
    field they belong to."""
    school = Organization.objects.select_for_update().get(pk=school.pk)
    if school.kind != Organization.Kind.SCHOOL:
        raise ValidationError({"municipality": "Муниципалитет: переводить между муниципалитетами можно только школу."})
    if municipality is None:
        raise ValidationError({"municipality": "Муниципалитет: выберите, в какой муниципалитет перевести школу."})
    if school.municipality_id == municipality.pk:
        raise ValidationError({"municipality": f"Муниципалитет: школа уже относится к муниципалитету «{municipality}»."})
    previous = school.municipality
    school.municipality = municipality
    school.save(update_fields=["municipality"])
    school_municipality_changed.send(sender=Organization, school=school, previous=previous, municipality=municipality)
    return school
