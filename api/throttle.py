"""The API's rate limit: each signed-in person (or, before signing in, each client address) may make so many
requests a minute; beyond that the answer is 429 in the API's error shape with Retry-After.

The rate is the environment's API_RATE_LIMIT («600/m» by default; «off» switches the limit off). The counts live in
Django's default cache: with several server processes, give them a shared cache (CACHES) so the limit is one for
all. The test suite runs without a limit unless a test sets settings.API_RATE_LIMIT."""

import os

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from core.client_ip import client_ip

DEFAULT_RATE = "600/m"


def api_rate() -> str | None:
    """The rate in force, or None when there is no limit."""
    if hasattr(settings, "API_RATE_LIMIT"):
        return settings.API_RATE_LIMIT or None
    if settings.TESTING:
        return None
    value = os.environ.get("API_RATE_LIMIT", DEFAULT_RATE).strip()
    return None if value.lower() in ("", "0", "off") else value


class PersonRateThrottle(SimpleRateThrottle):
    scope = "api"

    def __init__(self) -> None:
        super().__init__(rate=DEFAULT_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        rate = api_rate()
        if rate is None:
            return True
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else f"ip-{client_ip(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
