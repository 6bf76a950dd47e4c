"""Reads that many parts of one request ask for — the current school year, a year's levels and directions, the
consent kinds — made once per request instead of once per asker (a student's home asked for the school year
three times). The cache lives only as long as the request, and any save or delete during it empties it, so
a page never shows what it has just changed as it was before. Outside a request (tasks, commands, tests that
call selectors directly) nothing is cached."""

from contextvars import ContextVar

from django.db.models.signals import post_delete, post_save

_cache: ContextVar[dict | None] = ContextVar("profnav_request_cache", default=None)


def memo(key, compute):
    """compute() once per request for this key (a tuple naming the read and its arguments)."""
    cache = _cache.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget() -> None:
    cache = _cache.get()
    if cache is not None:
        cache.clear()


def _forget_on_write(sender, **kwargs) -> None:
    forget()


post_save.connect(_forget_on_write, dispatch_uid="core.request_cache.save")
post_delete.connect(_forget_on_write, dispatch_uid="core.request_cache.delete")


class RequestCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _cache.set({})
        try:
            return self.get_response(request)
        finally:
            _cache.reset(token)
