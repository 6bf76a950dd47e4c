from collections.abc import Iterable

from django.db import transaction

from access.models import AccessChange, PersonalDataRead

# A list's page or an export names at most this many people in its row: a whole-region export is logged by
# its count (and what was exported) rather than by a row of a million ids.
PERSON_IDS_LIMIT = 5000


@transaction.atomic
def personal_data_read_log(
    *,
    user,
    subject: str,
    channel: str,
    person_id: int | None = None,
    people_count: int | None = None,
    person_ids: Iterable[int] | None = None,
) -> None:
    """Record that `user` read personal data: one person's card (`person_id`), or a list or export that showed
    `person_ids` (the people on the page or in the file) or, where naming them is not cheap, `people_count`
    people. Without ids or a count, one person was read."""
    ids = sorted({int(pk) for pk in person_ids if pk is not None}) if person_ids is not None else []
    if people_count is None:
        people_count = len(ids) if person_ids is not None else 1
    PersonalDataRead.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "",
        person_id=person_id,
        person_ids=ids[:PERSON_IDS_LIMIT],
        subject=subject[:200],
        channel=channel,
        people_count=people_count,
    )


@transaction.atomic
def access_change_log(
    *,
    actor,
    action: str,
    ip_address: str | None,
    target_user=None,
    target_person=None,
    description: str = "",
    changes: dict | None = None,
) -> AccessChange:
    """Record a change of someone's rights or sign-in (see AccessChange): who, whose, what, from which address.
    Callers write it inside the transaction of the change, so the change and its record commit together."""
    if target_user is None and target_person is not None and target_person.user_id:
        target_user = target_person.user
    return AccessChange.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_username=getattr(actor, "username", "") or "",
        target_user=target_user if getattr(target_user, "pk", None) else None,
        target_username=getattr(target_user, "username", "") or "",
        target_person=target_person if getattr(target_person, "pk", None) else None,
        action=action,
        description=description[:500],
        changes=changes or {},
        ip_address=ip_address,
    )
