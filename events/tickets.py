"""A student's ticket at the host: a QR code with a signed token for that student and that offer, which expires,
and a short code the host may type instead (no camera, no HTTPS).

The token is Django's signed, timestamped value of (registration, student, offer): a token of another offer, an
altered one, or one older than TICKET_TTL is refused. The page with the code renders a fresh token each time it is
opened, so a student shows it at the door from their phone; a screenshot of last week's does not work. The QR code
holds the address of the host's check-in page with the token, so a phone camera that opens it leads a signed-in
host straight to the confirmation; the host's own scanner (app.js, HTTPS only) reads the same address."""

import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.models import CODE_ALPHABET, CODE_LENGTH, Registration
from events.qr import qr_svg

SALT = "events.ticket"
TICKET_TTL = datetime.timedelta(hours=6)

EXPIRED = "Код устарел: попросите обучающегося открыть страницу с кодом заново."
INVALID = "Код не распознан: попросите показать его ещё раз или введите короткий код."
OTHER_OFFER = "Это код другого мероприятия: отметить по нему здесь нельзя."
UNKNOWN_SHORT = "Короткий код {code} не найден среди записей этого мероприятия."


def ticket_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk, "s": registration.student_id, "o": registration.offer_id}, salt=SALT, compress=True)


def check_in_url(registration: Registration, token: str | None = None) -> str:
    token = token or ticket_token(registration)
    return f"{reverse('events:check_in', args=[registration.offer_id])}?t={token}"


def ticket_qr_svg(data: str, *, title: str) -> str:
    """The QR code as inline SVG drawn on the server (no script, no style attribute: the page's CSP holds)."""
    return qr_svg(data, title=title)


def token_from(scanned: str) -> str:
    """The token in what a scanner read: the whole check-in address, or the bare token."""
    scanned = (scanned or "").strip()
    if "t=" in scanned:
        scanned = scanned.split("t=", 1)[1].split("&", 1)[0]
    return scanned


def registration_for_token(*, offer, token: str) -> Registration:
    """The registration a token names on this offer; a ValidationError in Russian otherwise."""
    try:
        data = signing.loads(token_from(token), salt=SALT, max_age=TICKET_TTL)
    except signing.SignatureExpired:
        raise ValidationError(EXPIRED) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise ValidationError(INVALID) from None
    if not isinstance(data, dict) or data.get("o") != offer.pk:
        raise ValidationError(OTHER_OFFER)
    registration = Registration.objects.filter(pk=data.get("r"), offer=offer, student_id=data.get("s")).first()
    if registration is None:
        raise ValidationError(INVALID)
    return registration


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[: CODE_LENGTH + 2]


def registration_for_code(*, offer, code: str) -> Registration:
    code = normalize_code(code)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise ValidationError(f"Короткий код — {CODE_LENGTH} знаков (буквы и цифры), например 7KD4MX.")
    registration = Registration.objects.filter(offer=offer, code=code).first()
    if registration is None:
        raise ValidationError(UNKNOWN_SHORT.format(code=code))
    return registration
