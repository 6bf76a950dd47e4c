"""Every log line of a request carries the request: its id (the balancer's X-Request-ID, else one made
here), method, path, user and client address. The id is sent back in the X-Request-ID header and printed on
the 500 page, so a person reporting an error gives the line to look for."""

import contextvars
import logging
import re
import uuid

from core.client_ip import client_ip

_current: contextvars.ContextVar[dict | None] = contextvars.ContextVar("profnav_request", default=None)
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex[:16]
        request.request_id = request_id
        token = _current.set({"request": request, "request_id": request_id})
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestContextFilter(logging.Filter):
    """Adds request_id, method, path, user_id and client to every record logged while a request runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = _current.get()
        request = current["request"] if current else getattr(record, "request", None)
        record.request_id = current["request_id"] if current else "-"
        if request is not None and hasattr(request, "method"):
            # Only a user already loaded: resolving the lazy one here would read the session, whose own warning
            # (a corrupted session, say) would come back through this filter without end.
            user = getattr(request, "_cached_user", None)
            record.method = request.method
            record.path = request.path
            record.user_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else "-"
            record.client = client_ip(request) or "-"  # behind the balancer, the client's and not the balancer's
        else:
            record.method = record.path = record.user_id = record.client = "-"
        return True


def request_id_context(request) -> dict:
    """Template context: the id of this request, for the error pages."""
    return {"request_id": getattr(request, "request_id", "")}
