"""Background work of accounts (see core.periodic): password-reset letters and the purge of old sign-in records."""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

logger = logging.getLogger(__name__)

RESET_HELD_BACK_SUBJECT = "Восстановление пароля запрашивали слишком часто"
RESET_HELD_BACK_TEXT = (
    "За последний час восстановление пароля вашей учётной записи запросили несколько раз подряд. Чтобы не засыпать "
    "вас письмами, новые письма со ссылкой какое-то время не отправляются: воспользуйтесь ссылкой из уже полученного "
    "письма или запросите новую позже. Если вы не запрашивали смену пароля, ничего делать не нужно: без доступа к "
    "вашей почте сменить пароль нельзя."
)


@task
def password_reset_send_task(*, request_id: int, base_url: str) -> str:
    """The letter with a reset link for the account whose e-mail was asked for, within the per-account limit.
    Runs in the worker, so the page answered at once and alike, whether or not the address has an account."""
    return password_reset_send(request_id=request_id, base_url=base_url)


def password_reset_send(*, request_id: int, base_url: str) -> str:
    from accounts import throttle
    from accounts.models import PasswordResetRequest, User
    from notifications.services import email_send, notify

    Status = PasswordResetRequest.Status
    with transaction.atomic():
        reset = PasswordResetRequest.objects.select_for_update().filter(pk=request_id, status=Status.QUEUED).first()
        if reset is None:
            return "уже обработан"
        user = User.objects.filter(email__iexact=reset.email, is_active=True).exclude(email="").order_by("pk").first()
        if user is None or not user.has_usable_password() or (user.is_demo and not settings.DEMO_MODE):
            reset.status = Status.NO_ACCOUNT
            reset.save(update_fields=["status"])
            return reset.status
        reset.user = user
        if throttle.password_reset_letters_exhausted(user=user):
            tell_owner = throttle.password_reset_first_held_back(user=user)
            reset.status = Status.LIMITED
            reset.save(update_fields=["user", "status"])
            if tell_owner:
                # In the platform only: a letter about too many letters would be one more of them.
                notify(
                    users=[user],
                    subject=RESET_HELD_BACK_SUBJECT,
                    text=RESET_HELD_BACK_TEXT,
                    kind="accounts.password_reset_limited",
                    email=False,
                )
            return reset.status
        # Counted before the letter leaves, so a second worker on the same account sees it.
        reset.status = Status.SENT
        reset.save(update_fields=["user", "status"])
    body = render_to_string(
        "accounts/password_reset_email.txt",
        {
            "user": user,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
            "base_url": (getattr(settings, "SITE_URL", "") or base_url).rstrip("/"),
        },
    )
    try:
        email_send(to=user.email, subject="восстановление пароля", body=body)
    except Exception:
        logger.exception("Письмо для восстановления пароля (запрос %s) не отправлено", request_id)
        PasswordResetRequest.objects.filter(pk=request_id).update(status=Status.FAILED)
        return Status.FAILED
    return Status.SENT
