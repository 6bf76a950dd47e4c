from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.utils import timezone


class UsernameOrEmailBackend(ModelBackend):
    """Sign in by username or e-mail, case-insensitively. Refuses locked accounts, and demo accounts
    outside demo mode."""

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
        if user.locked_until and user.locked_until > timezone.now():
            return False
        return super().user_can_authenticate(user)


def find_user_by_login(login: str):
    login = login.strip()
    return get_user_model().objects.filter(Q(username__iexact=login) | Q(email__iexact=login)).order_by("pk").first()
