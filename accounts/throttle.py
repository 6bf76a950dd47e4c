"""Throttling of sign-in and of password-reset letters, in one place.

No hard lock that a stranger can trigger (issue 7, point 3). Instead:

- **a growing delay per login**: after LOGIN_FREE_FAILURES failures within LOGIN_ACCOUNT_WINDOW, the next attempt
  waits 1 s, then 2, 4, … up to LOGIN_DELAY_CAP after the last failure. An attempt inside the delay is refused
  without looking at the password, so guessing runs at the delay's pace, while the owner waits seconds at first
  and minutes at worst — and a password reset (or a successful sign-in) lifts the delay at once
  (`User.login_failures_cleared_at`). A name that leads to an account counts for the account, whichever of its
  names (login or e-mail) was typed; a made-up name counts by itself, the same way, with the same message and
  the same work, so the answer never tells whether a login exists;
- **a limit per client address** (the address from core.client_ip; an IPv6 address counts with its /64):
  LOGIN_ADDRESS_LIMIT failures within LOGIN_ADDRESS_WINDOW refuse further attempts from it until old failures
  leave the window — one address cannot sweep many accounts;
- **password-reset letters**: at most RESET_ADDRESS_LIMIT requests from one address per RESET_WINDOW (said on the
  page, which says nothing of the account), and at most RESET_ACCOUNT_LIMIT letters to one account per RESET_WINDOW
  (decided by the task worker; the owner is told in the platform that letters were held back).

Every number can be changed in settings under the same name (tests do). Failure and request records older than
RECORDS_KEPT are deleted by the periodic purge (accounts.tasks).
"""

import datetime
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import LoginFailure, PasswordResetRequest, User
from core.formatting import count_text

DEFAULTS = {
    "LOGIN_FREE_FAILURES": 5,
    "LOGIN_DELAY_CAP": datetime.timedelta(minutes=5),
    "LOGIN_ACCOUNT_WINDOW": datetime.timedelta(hours=1),
    "LOGIN_ADDRESS_LIMIT": 20,
    "LOGIN_ADDRESS_WINDOW": datetime.timedelta(minutes=10),
    "RESET_ADDRESS_LIMIT": 10,
    "RESET_ACCOUNT_LIMIT": 3,
    "RESET_WINDOW": datetime.timedelta(hours=1),
    "RECORDS_KEPT": datetime.timedelta(days=30),
}


def limit(name: str):
    return getattr(settings, name, DEFAULTS[name])


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is refused before it is tried, and for how long."""

    reason: str  # "login" (the delay of this login) | "address" (the limit of this client address)
    wait: datetime.timedelta

    @property
    def wait_text(self) -> str:
        """«4 секунды», «3 минуты»: rounded up, so waiting that long is always enough."""
        seconds = max(1, math.ceil(self.wait.total_seconds()))
        if seconds < 60:
            return count_text(seconds, "секунду", "секунды", "секунд")
        return count_text(math.ceil(seconds / 60), "минуту", "минуты", "минут")


def address_network(ip_address: str | None) -> str:
    """What the per-address limits count: an IPv4 address itself; for IPv6 its /64, which one subscriber holds
    whole (a limit per single IPv6 address would be walked around by changing the last bits)."""
    if not ip_address:
        return ""
    try:
        address = ipaddress.ip_address(ip_address)
    except ValueError:
        return ""
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def login_normalize(login: str) -> str:
    return (login or "").strip().lower()[:254]


# --- sign-in ---------------------------------------------------------------------------------------------


def login_refusal(*, login: str, user: User | None, ip_address: str | None, now: datetime.datetime | None = None) -> Refusal | None:
    """Whether an attempt to sign in as `login` (leading to `user`, or to nobody) from `ip_address` must wait.
    The same queries run whether or not the login exists."""
    now = now or timezone.now()
    network = address_network(ip_address)
    if network:
        window = limit("LOGIN_ADDRESS_WINDOW")
        address_limit = limit("LOGIN_ADDRESS_LIMIT")
        recent = LoginFailure.objects.filter(network=network, at__gte=now - window)
        count = recent.count()
        if count >= address_limit:
            # Refused until enough of them leave the window to bring the count under the limit.
            freeing = recent.order_by("at").values_list("at", flat=True)[count - address_limit]
            return Refusal("address", max(freeing + window - now, datetime.timedelta(seconds=1)))
    failures = login_failures(login=login, user=user, now=now)
    count = failures.count()
    free = limit("LOGIN_FREE_FAILURES")
    if count < free:
        return None
    delay = min(datetime.timedelta(seconds=2 ** min(count - free, 30)), limit("LOGIN_DELAY_CAP"))
    last = failures.order_by("-at").values_list("at", flat=True).first()
    if last is not None and last + delay > now:
        return Refusal("login", last + delay - now)
    return None


def login_failures(*, login: str, user: User | None, now: datetime.datetime | None = None) -> QuerySet[LoginFailure]:
    """The failures that count for this login now: within the window, and after the account's last clearing."""
    now = now or timezone.now()
    since = now - limit("LOGIN_ACCOUNT_WINDOW")
    if user is not None:
        if user.login_failures_cleared_at is not None:
            since = max(since, user.login_failures_cleared_at)
        return LoginFailure.objects.filter(user=user, at__gt=since)
    return LoginFailure.objects.filter(user__isnull=True, username=login_normalize(login), at__gt=since)


def login_failure_record(*, login: str, user: User | None, ip_address: str | None) -> LoginFailure:
    return LoginFailure.objects.create(
        username=login_normalize(login), user=user, ip_address=ip_address, network=address_network(ip_address)
    )


def login_failures_clear(*, user: User) -> None:
    """Lift the account's delay: its failures so far no longer count (they stay in the log until the purge)."""
    user.login_failures_cleared_at = timezone.now()
    User.objects.filter(pk=user.pk).update(login_failures_cleared_at=user.login_failures_cleared_at)


# --- password-reset letters ------------------------------------------------------------------------------


def password_reset_refusal(*, ip_address: str | None, now: datetime.datetime | None = None) -> Refusal | None:
    """Whether this address has asked for too many letters lately. It says nothing of any account."""
    network = address_network(ip_address)
    if not network:
        return None
    now = now or timezone.now()
    window = limit("RESET_WINDOW")
    address_limit = limit("RESET_ADDRESS_LIMIT")
    recent = PasswordResetRequest.objects.filter(network=network, at__gte=now - window)
    count = recent.count()
    if count < address_limit:
        return None
    freeing = recent.order_by("at").values_list("at", flat=True)[count - address_limit]
    return Refusal("address", max(freeing + window - now, datetime.timedelta(seconds=1)))


def password_reset_letters_exhausted(*, user: User, now: datetime.datetime | None = None) -> bool:
    """Whether the account has had its letters for the window already."""
    now = now or timezone.now()
    sent = PasswordResetRequest.objects.filter(user=user, status=PasswordResetRequest.Status.SENT, at__gte=now - limit("RESET_WINDOW"))
    return sent.count() >= limit("RESET_ACCOUNT_LIMIT")


def password_reset_first_held_back(*, user: User, now: datetime.datetime | None = None) -> bool:
    """Whether no letter to this account has been held back in the window yet (its owner is told once)."""
    now = now or timezone.now()
    held = PasswordResetRequest.objects.filter(user=user, status=PasswordResetRequest.Status.LIMITED, at__gte=now - limit("RESET_WINDOW"))
    return not held.exists()


# --- purge -----------------------------------------------------------------------------------------------
