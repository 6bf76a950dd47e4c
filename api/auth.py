"""How an API request is signed in: a personal token or the browser session. Either way the request ends up
with request.user, and what that user may read is decided by access.policy, the same as on the pages."""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from accounts.models import ApiToken, User
from accounts.services import api_token_mark_used

TOKEN_PREFIX = "pn_"


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer pn_…` — a personal token created on the profile page."""

    openapi_description = "Персональный API-токен (начинается с «pn_»), создаётся в профиле пользователя."
    openapi_bearerFormat = "pn_…"

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token.startswith(TOKEN_PREFIX):
            return None
        api_token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(token)).first()
        if api_token is None or not token_user_may_sign_in(api_token.user):
            return None
        api_token_mark_used(api_token=api_token)
        request.user = api_token.user  # endpoints and access.policy see the token's owner as the signed-in user
        return api_token.user


def token_user_may_sign_in(user: User) -> bool:
    # The same refusals as the login form: a deactivated account, a demo login outside demo mode.
    # A temporary lockout after wrong passwords is deliberately not applied: it would let anyone guessing
    # the password switch off the owner's integrations.
    if not user.is_active:
        return False
    return not (user.is_demo and not settings.DEMO_MODE)


# The token is tried first: a request carrying a token needs no CSRF check, while the session check
# (django_auth) insists on the CSRF token for unsafe methods, as a browser form would.
API_AUTH = [ApiTokenAuth(), django_auth]
