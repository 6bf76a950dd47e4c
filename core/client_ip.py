"""The address of the person making a request, the one place that decides it.

Behind the balancer the README prescribes, REMOTE_ADDR is the balancer's own address: every visitor of the region
would share it. Each proxy in front of the platform appends the address it received the request from to
`X-Forwarded-For`, so with N trusted proxies the client's address is the N-th entry from the right; what stands to
the left of it was written by the client and proves nothing. N comes from the environment
(`DJANGO_TRUSTED_PROXIES`, setting TRUSTED_PROXIES); 0, the default, means no proxy is trusted and the address is
REMOTE_ADDR. Sign-in throttling, the read log, the audit log and the request log all ask here.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as a valid IPv4/IPv6 string, or None when the request carries none."""
    if request is None:
        return None
    meta = getattr(request, "META", {})
    remote = ip_normalize(meta.get("REMOTE_ADDR", ""))
    trusted = trusted_proxies()
    if trusted <= 0:
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < trusted:
        # Fewer entries than trusted proxies: the request did not come through all of them (or one is
        # misconfigured), so nothing in the header can be trusted.
        return remote
    return ip_normalize(hops[-trusted]) or remote


def trusted_proxies() -> int:
    try:
        return max(0, int(getattr(settings, "TRUSTED_PROXIES", 0) or 0))
    except (TypeError, ValueError):
        return 0


def ip_normalize(value: str) -> str | None:
    """A valid address in its canonical form, or None. Accepts what proxies write besides a bare address:
    `1.2.3.4:5678`, `[2001:db8::1]:443`, `[2001:db8::1]`; an IPv4 address mapped into IPv6 becomes IPv4."""
    value = (value or "").strip()
    if not value or len(value) > 64:
        return None
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]  # IPv4 with a port; IPv6 has at least two colons
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)
