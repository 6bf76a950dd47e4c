from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts import throttle
from accounts.models import ApiToken, PasswordResetRequest, User


@transaction.atomic
def login_failure_record(*, login: str, user: User | None, ip_address: str | None) -> None:
    """Note a failed sign-in; it slows down further attempts for this login and from this address (accounts.throttle)."""
    throttle.login_failure_record(login=login, user=user, ip_address=ip_address)


@transaction.atomic
def login_success_record(*, user: User) -> None:
    """A successful sign-in lifts the delay the failures before it caused."""
    throttle.login_failures_clear(user=user)


@transaction.atomic
def password_change_complete(*, user: User) -> None:
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])


@transaction.atomic
def password_reset_complete(*, user: User) -> None:
    """A password set through a reset letter: the person chose it, and whatever delay strangers' guesses put on
    the account is lifted — the owner's way out of a delay they did not cause."""
    password_change_complete(user=user)
    throttle.login_failures_clear(user=user)


@transaction.atomic
def password_reset_request(*, email: str, ip_address: str | None, base_url: str) -> PasswordResetRequest:
    """Ask for a reset letter to `email`. The same work is done whether the address belongs to an account or not:
    a request is recorded and queued, and the task worker finds the account, keeps to the per-account limit and
    sends the letter — so neither the answer nor its timing tells who has an account. `base_url` is where the
    letter's link points (scheme and host). The caller has checked `throttle.password_reset_refusal` first."""
    from accounts.tasks import password_reset_send_task

    reset = PasswordResetRequest.objects.create(
        email=(email or "").strip().lower()[:254], ip_address=ip_address, network=throttle.address_network(ip_address)
    )
    password_reset_send_task.enqueue(request_id=reset.pk, base_url=base_url)
    return reset


@transaction.atomic
def user_create(*, username: str, email: str = "", first_name: str = "", last_name: str = "", password: str) -> User:
    """An account created for someone else: they must set their own password at the first login."""
    user = User(username=username, email=email, first_name=first_name, last_name=last_name, must_change_password=True)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token record and the key, which is shown once and never stored."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8])
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> None:
    ApiToken.objects.filter(user=user, pk=token_id).delete()


# Remembering when a token was last used costs a write; once a minute is precise enough for the profile page.
LAST_USED_PRECISION = timedelta(minutes=1)


def api_token_mark_used(*, api_token: ApiToken) -> None:
    now = timezone.now()
    if api_token.last_used_at is not None and now - api_token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    api_token.last_used_at = now
