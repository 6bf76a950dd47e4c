"""Erasure of a student's personal data: every app's eraser (privacy.registry) removes or anonymises what it holds,
the figures reports need stay (the профминимум's ledger and rollups keep the student as an anonymous row), and the
act of destruction records what was done with the extract of the event log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from people.models import Student
from privacy.models import DestructionAct, PrivacyEvent
from privacy.registry import Act, personal_data


def file_delete_on_commit(field_file) -> None:
    """Delete a stored file once the erasure commits (a rolled-back erasure keeps it)."""
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
    transaction.on_commit(lambda: storage.delete(name))


def event_extract(student: Student, request=None) -> list[dict]:
    """The event log about the student (and the request), as it goes into an act: codes, roles and numbers."""
    condition = Q(student=student)
    if request is not None:
        condition |= Q(request=request)
    return [
        {
            "at": event.at.isoformat(),
            "action": event.get_action_display(),
            "code": event.action,
            "actor": event.actor_role,
            "details": event.details,
        }
        for event in PrivacyEvent.objects.filter(condition).order_by("at", "pk")
    ]


@transaction.atomic
def student_erase(*, student: Student, by, role: str, reason: str, request=None) -> DestructionAct:
    """Erase a student's personal data once; return the act of destruction."""
    from privacy.services import event_log

    student = Student.objects.select_for_update().select_related("person").get(pk=student.pk)
    if DestructionAct.objects.filter(student=student).exists():
        raise ValidationError("Данные этого обучающегося уже уничтожены.")
    act = Act()
    for hook in personal_data.erasers():
        hook.function(student, act)
    event_log(
        action=PrivacyEvent.Action.ERASED, actor=by, role=role, student=student, request=request,
        details={"reason": reason, "tables": len({item["table"] for item in act.items}), "rows": sum(item["rows"] for item in act.items)},
    )  # fmt: skip
    return DestructionAct.objects.create(
        student=student, request=request, reason=reason, made_by=by if getattr(by, "pk", None) else None, items=act.items,
        log_extract=event_extract(student, request),
    )  # fmt: skip
