from django.db import transaction

from access.models import PersonalDataRead


@transaction.atomic
def personal_data_read_log(*, user, subject: str, channel: str, person_id: int | None = None, people_count: int = 1) -> None:
    """Record that `user` read personal data: one person's card, or a list/export covering `people_count`."""
    PersonalDataRead.objects.create(user=user, person_id=person_id, subject=subject[:200], channel=channel, people_count=people_count)
