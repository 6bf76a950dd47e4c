from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class UsernameOrEmailBackend(ModelBackend):
    """Sign in by username or e-mail, case-insensitively. Refuses demo accounts outside demo mode. How often one
    may try is decided before this is asked (accounts.throttle, called by the login form)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = find_user_by_login(username)
        if user is None:
            get_user_model()().set_password(password)  # same work either way: no timing hint of who exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user) -> bool:
        if user.is_demo and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)


def find_user_by_login(login: str):
    """The account whose username or e-mail is `login` (any case), or None. A value no account can have (empty,
    too long, with a NUL byte that PostgreSQL refuses) finds nobody without asking the database."""
    login = (login or "").strip()
    if not login or len(login) > 254 or "\x00" in login:
        return None
    return get_user_model().objects.filter(Q(username__iexact=login) | Q(email__iexact=login)).order_by("pk").first()
