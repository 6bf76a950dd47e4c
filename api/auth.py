"""How an API request is signed in: a personal token or the browser session. Either way the request ends up
with request.user, and what that user may read is decided by access.policy, the same as on the pages."""

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth as NinjaSessionAuth

from accounts.models import ApiToken, User
from accounts.services import api_token_mark_used

TOKEN_PREFIX = "pn_"
PASSWORD_CHANGE_REQUIRED = (
    "Сначала смените пароль: войдите в Профнавигатор в браузере и задайте свой пароль на странице «Смена пароля». До этого API недоступен."
)


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer pn_…` — a personal token created on the profile page."""

    openapi_description = "Персональный API-токен (начинается с «pn_»), создаётся в профиле пользователя."
    openapi_bearerFormat = "pn_…"

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        api_token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(token)).first()
        if api_token is None or not token_user_may_sign_in(api_token.user):
            return None
        hold_to_password_change(api_token.user)
        api_token_mark_used(api_token=api_token)
        request.user = api_token.user  # endpoints and access.policy see the token's owner as the signed-in user
        return api_token.user


class SessionAuth(NinjaSessionAuth):
    """The browser session (ninja's, with its CSRF check for unsafe methods), refused while the person has to
    change their password — as the pages are (accounts.middleware). The class keeps ninja's name: the OpenAPI
    document names the security scheme after it."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)
        if user is not None:
            hold_to_password_change(user)
        return user


def token_user_may_sign_in(user: User) -> bool:
    # The same refusals as the login form: a deactivated account, a demo login outside demo mode.
    # The sign-in delay after wrong passwords (accounts.throttle) is deliberately not applied: it would let anyone
    # guessing the password switch off the owner's integrations.
    if not user.is_active:
        return False
    return not (user.is_demo and not settings.DEMO_MODE)


def hold_to_password_change(user: User) -> None:
    """An account that must set its own password first (created by someone else, or flagged by an administrator)
    reads nothing through the API either: 403 with the reason, in the API's error shape ({"detail": …})."""
    if user.must_change_password:
        raise HttpError(403, PASSWORD_CHANGE_REQUIRED)


# The token is tried first: a request carrying a token needs no CSRF check, while the session check insists on the
# CSRF token for unsafe methods, as a browser form would.
API_AUTH = [ApiTokenAuth(), SessionAuth()]
