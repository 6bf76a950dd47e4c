import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import path

from core.request_log import RequestContextFilter
from core.views import server_error


def _broken(request):
    raise RuntimeError("поломка для теста")


urlpatterns = [path("broken/", _broken)]
handler500 = server_error


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []
        self.addFilter(RequestContextFilter())
        self.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["request"]["format"]))

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.mark.urls("core.tests.test_request_log")
def test_a_500_is_logged_with_its_request_and_the_page_names_the_request(db):
    """Found by the «Shape» review: a 500 in production could not be matched to a request."""
    lines = _Lines()
    logger = logging.getLogger("django.request")
    logger.addHandler(lines)
    try:
        response = Client(raise_request_exception=False).get("/broken/", headers={"X-Request-ID": "abc-123"})
    finally:
        logger.removeHandler(lines)
    assert response.status_code == 500
    assert response["X-Request-ID"] == "abc-123"
    assert "abc-123" in response.content.decode()
    assert "[request abc-123 GET /broken/ user=- client=127.0.0.1] Internal Server Error: /broken/" in lines.lines[0]
    assert "поломка для теста" in lines.lines[0]


def test_an_unsafe_request_id_from_outside_is_replaced(client, db):
    response = client.get("/accounts/login/", headers={"X-Request-ID": "<script>"})
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 16


def test_a_warning_while_the_session_is_read_is_logged_once_without_recursion(client, db):
    """Found by the load bench: a corrupted session cookie made the log filter read the session, whose warning
    came back through the filter — a RecursionError and a 500."""
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.create(
        session_key="brokensessionkey0000000000000000", session_data="garbage", expire_date=timezone.now() + datetime.timedelta(days=1)
    )
    client.cookies["sessionid"] = "brokensessionkey0000000000000000"
    response = client.get("/")
    assert response.status_code == 302  # to the sign-in page, not a 500
