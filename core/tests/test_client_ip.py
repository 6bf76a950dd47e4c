"""The client's address behind trusted proxies (issue 7, point 3: behind the balancer the README prescribes, the
address recorded was the balancer's)."""

import logging

import pytest
from django.test import RequestFactory

from core.client_ip import client_ip, ip_normalize
from core.request_log import RequestContextFilter


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_address_is_the_connections_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request_from("198.51.100.4", "6.6.6.6")) == "198.51.100.4"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),  # the balancer appended the client
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # what the client wrote itself is skipped
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.5", "203.0.113.7"),  # a CDN, then the balancer
        (1, "  203.0.113.7  ", "203.0.113.7"),
        (1, "203.0.113.7:51234", "203.0.113.7"),  # some balancers write the port
        (1, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "2001:DB8:0:0::7", "2001:db8::7"),
        (1, "::ffff:203.0.113.7", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.1"),  # fewer entries than proxies: the header cannot be trusted
        (1, "", "10.0.0.1"),
        (1, "не-адрес", "10.0.0.1"),  # garbage from a misconfigured proxy: the connection's address
        (1, "6.6.6.6, unknown", "10.0.0.1"),
    ],
)
def test_with_trusted_proxies_the_client_is_the_entry_the_outermost_one_appended(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(request_from("10.0.0.1", forwarded)) == expected


def test_no_request_and_no_address_give_none(settings):
    assert client_ip(None) is None
    assert client_ip(request_from("")) is None


@pytest.mark.parametrize("value", ["", "1.2.3", "300.1.1.1", "1.2.3.4\x00", "x" * 100, "[]:80"])
def test_what_is_not_an_address_is_none(value):
    assert ip_normalize(value) is None


def test_the_request_log_names_the_client_behind_the_balancer(settings):
    settings.TRUSTED_PROXIES = 1
    request = request_from("10.0.0.1", "203.0.113.9")
    record = logging.LogRecord("test", logging.WARNING, __file__, 1, "сообщение", None, None)
    record.request = request
    RequestContextFilter().filter(record)
    assert record.client == "203.0.113.9"
