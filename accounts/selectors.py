"""Reads of accounts: a person's own API tokens."""

from django.db.models import QuerySet

from accounts.models import ApiToken, User


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first: nobody lists another's."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")
