from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.backends import find_user_by_login
from accounts.models import ApiToken, LoginFailure, User


@transaction.atomic
def login_failure_record(*, login: str, ip_address: str | None) -> User | None:
    """Note a failed login; lock the account once the failures in the window reach the limit.
    Returns the account if it is locked now."""
    login = login.strip()[:254]
    LoginFailure.objects.create(username=login.lower(), ip_address=ip_address)
    user = find_user_by_login(login)
    if user is None:
        return None
    window_start = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    names = {user.username.lower(), (user.email or user.username).lower()}
    failures = LoginFailure.objects.filter(username__in=names, at__gte=window_start).count()
    if failures >= settings.LOGIN_FAILURE_LIMIT:
        user.locked_until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        user.save(update_fields=["locked_until"])
        return user
    return None


@transaction.atomic
def login_success_record(*, user: User) -> None:
    names = {user.username.lower(), (user.email or user.username).lower()}
    LoginFailure.objects.filter(username__in=names).delete()
    if user.locked_until:
        user.locked_until = None
        user.save(update_fields=["locked_until"])


@transaction.atomic
def password_change_complete(*, user: User) -> None:
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])


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
