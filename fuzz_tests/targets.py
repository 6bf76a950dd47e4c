"""What the fuzz walks, enumerated from the platform itself: every named URL pattern (its forms and query
parameters found on its rendered page, in its links and in its view module's code) and every operation of the
OpenAPI document (every parameter and body field). A new page or operation joins the walk by itself; one whose
address needs an identifier this module cannot fill fails the coverage test until it is added to PATH_ARGS
(or to EXCLUDED, with the reason)."""

import inspect
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

# --- what is sent to every field ------------------------------------------------------------------------------

HUGE = "1" + "0" * 20  # 10^20: past 64 bits
FUZZ_VALUES: dict[str, str] = {
    "nul": "текст\x00с нулём",
    "long": "я" * 10_000,
    "huge": HUGE,
    "negative": "-" + HUGE,
    "far-past": "0001-01-01",
    "far-future": "9999-12-31",
    "empty": "",
}
# A datetime-local input gets the far dates with a time.
DATETIME_VALUES = {"far-past": "0001-01-01T00:00", "far-future": "9999-12-31T23:59"}


# The cap that keeps the walk within minutes on both databases: the first role that reaches a page sends every
# value to every field; the other roles, and the htmx variant of a request, send these.
SHORT = ("long", "huge", "far-future")


def values_for(input_type: str, *, short: bool = False) -> dict[str, str]:
    values = {**FUZZ_VALUES, **DATETIME_VALUES} if input_type == "datetime-local" else FUZZ_VALUES
    return {label: value for label, value in values.items() if label in SHORT} if short else values


def one_of_each(names):
    """One field of each repeated kind: `lessons-0-topic` stands for the 34 rows of a formset, `excuse-812` for
    every student's excuse (the same code reads them all)."""
    seen, kept = set(), []
    for name in names:
        shape = re.sub(r"\d+", "#", name)
        if shape not in seen:
            seen.add(shape)
            kept.append(name)
    return kept


# --- the signed-in roles --------------------------------------------------------------------------------------
# Three roles of different reach (the republic, a school, a class) and no one signed in: each page is walked
# with every one of them that reaches it.
ROLES = ("ministry_admin", "coordinator_a1", "class_teacher_a1", None)
# A page none of them reaches (a parent's, a student's, a municipality's own) is walked by the first of these
# that does.
MORE_ROLES = ("parent_a1", "student_a1", "municipal_a", "operator")
API_ROLES = ("ministry_admin", "coordinator_a1", "class_teacher_a1")


# --- URL patterns -----------------------------------------------------------------------------------------------

# Named URLs the page walk leaves out, each with its reason. A name here that no longer exists fails the
# coverage test, so the list cannot rot.
EXCLUDED_NAMESPACES = {
    "admin": "the admin's own pages (Django's forms over the models; its rules are tested in the admin's tests)",
    "api": "the API is walked operation by operation from its OpenAPI document (test_api.py)",
}
EXCLUDED = {
    "accounts:logout": "ends the session the walk signs in with; it reads no field",
}


@dataclass
class Target:
    """What the walk needs of the world: the ids its addresses are filled with."""

    pm: object
    activity: object
    school_level: object
    reset_user: object
    notification: object
    privacy_student: object = None
    privacy_request: object = None
    privacy_act: object = None
    privacy_breach: object = None
    events: object = None
    roadmap_plan: object = None
    roadmap_report: object = None
    roadmap_evidence: object = None
    monitoring_period: object = None
    monitoring_enrolment: object = None
    import_batch: object = None
    diagnostics: dict = field(default_factory=dict)  # ids of the diagnostics and guidance world (fuzz_tests/conftest.py)

    @property
    def cast(self):
        return self.pm.cast


def _reset_args(t: Target) -> dict:
    return {"uidb64": urlsafe_base64_encode(force_bytes(t.reset_user.pk)), "token": default_token_generator.make_token(t.reset_user)}


# The arguments of each address that has any: real ids of the test cast and of the профминимум fixture.
PATH_ARGS: dict[str, Callable[[Target], dict]] = {
    "directory:municipality_detail": lambda t: {"pk": t.cast.municipalities["a"].pk},
    "directory:organization_detail": lambda t: {"pk": t.cast.orgs["a1"].pk},
    "directory:class_detail": lambda t: {"pk": t.cast.classes["a1_8a"].pk},
    "directory:student_detail": lambda t: {"pk": t.cast.students["a1_8a_0"].pk},
    "directory:student_transfer": lambda t: {"pk": t.cast.students["a1_8a_0"].pk},
    "profminimum:dashboard_municipality": lambda t: {"pk": t.cast.municipalities["a"].pk},
    "profminimum:dashboard_school": lambda t: {"pk": t.cast.orgs["a1"].pk},
    "profminimum:dashboard_class": lambda t: {"pk": t.cast.classes["a1_8a"].pk},
    "profminimum:dashboard_student": lambda t: {"pk": t.cast.students["a1_8a_0"].pk},
    "profminimum:class_schedule": lambda t: {"pk": t.cast.classes["a1_8a"].pk},
    "profminimum:course_schedule_generate": lambda t: {"pk": t.cast.classes["a1_8a"].pk},
    "profminimum:activity_attendance": lambda t: {"pk": t.activity.pk},
    "profminimum:activity_move": lambda t: {"pk": t.activity.pk},
    "profminimum:activity_delete": lambda t: {"pk": t.activity.pk},
    "profminimum:school_level": lambda t: {"pk": t.cast.orgs["a1"].pk},
    "profminimum:school_order": lambda t: {"pk": t.cast.orgs["a1"].pk},
    "profminimum:level_approve": lambda t: {"pk": t.school_level.pk},
    "profminimum:normative_detail": lambda t: {"pk": t.pm.normative.pk},
    "accounts:password_reset_confirm": _reset_args,
    "privacy:student": lambda t: {"pk": t.privacy_student.pk},
    "privacy:consent": lambda t: {"pk": t.privacy_student.pk, "code": "share_with_parent"},
    "privacy:request_new": lambda t: {"pk": t.privacy_student.pk, "kind": "erasure"},
    "privacy:staff_student": lambda t: {"pk": t.privacy_student.pk},
    "privacy:record": lambda t: {"pk": t.privacy_student.pk, "fmt": "json"},
    "privacy:school": lambda t: {"pk": t.cast.orgs["a1"].pk},
    "privacy:request": lambda t: {"pk": t.privacy_request.pk},
    "privacy:download": lambda t: {"pk": t.privacy_request.pk},
    "privacy:act": lambda t: {"pk": t.privacy_act.pk},
    "privacy:breach": lambda t: {"pk": t.privacy_breach.pk},
    "imports:batch": lambda t: {"pk": t.import_batch.pk},
    "imports:commit": lambda t: {"pk": t.import_batch.pk},
    "imports:upload": lambda t: {"kind": "students"},
    "imports:passwords": lambda t: {"pk": t.cast.classes["a1_8a"].pk},
    "imports:template": lambda t: {"kind": "students"},
    "notifications:open": lambda t: {"pk": t.notification.pk},
    "notifications:read": lambda t: {"pk": t.notification.pk},
    "events:offer": lambda t: {"pk": t.events.offer.pk},
    "events:offer_ics": lambda t: {"pk": t.events.offer.pk},
    "events:route": lambda t: {"pk": t.events.route.pk},
    "events:signup": lambda t: {"pk": t.events.offer.pk},
    "events:group": lambda t: {"pk": t.events.offer.pk},
    "events:ticket": lambda t: {"pk": t.events.registration.pk},
    "events:accept": lambda t: {"pk": t.events.registration.pk},
    "events:cancel": lambda t: {"pk": t.events.registration.pk},
    "events:feedback": lambda t: {"pk": t.events.registration.pk},
    "events:people": lambda t: {"pk": t.events.offer.pk},
    "events:offer_edit": lambda t: {"pk": t.events.offer.pk},
    "events:offer_publish": lambda t: {"pk": t.events.offer.pk},
    "events:offer_cancel": lambda t: {"pk": t.events.offer.pk},
    "events:check_in": lambda t: {"pk": t.events.offer.pk},
    "events:partner": lambda t: {"pk": t.events.partner.pk},
    "events:agreement_file": lambda t: {"pk": t.events.agreement.pk},
    "events:plan_item": lambda t: {"pk": t.events.plan_item.pk},
    "events:mentor": lambda t: {"pk": t.events.mentor.pk},
    "events:mentorship": lambda t: {"pk": t.events.assignment.pk},
    "events:mentorship_end": lambda t: {"pk": t.events.assignment.pk},
    "events:class": lambda t: {"pk": t.cast.classes["a1_9a"].pk},
    "roadmap:plan": lambda t: {"pk": t.roadmap_plan.pk},
    "roadmap:executors": lambda t: {"pk": t.roadmap_plan.pk},
    "roadmap:plan_pdf": lambda t: {"pk": t.roadmap_plan.pk},
    "roadmap:item_new": lambda t: {"pk": t.roadmap_plan.pk},
    "roadmap:item": lambda t: {"pk": t.roadmap_report.period.item_id},
    "roadmap:item_edit": lambda t: {"pk": t.roadmap_report.period.item_id},
    "roadmap:period": lambda t: {"pk": t.roadmap_report.period_id},
    "roadmap:report": lambda t: {"pk": t.roadmap_report.pk},
    "roadmap:evidence": lambda t: {"pk": t.roadmap_report.pk, "evidence_pk": t.roadmap_evidence.pk},
    "monitoring:coverage_municipality": lambda t: {"pk": t.cast.municipalities["a"].pk},
    "monitoring:profminimum_municipality": lambda t: {"pk": t.cast.municipalities["a"].pk},
    "monitoring:school": lambda t: {"pk": t.cast.orgs["a1"].pk},
    "monitoring:report": lambda t: {"pk": t.cast.orgs["a1"].pk, "period_pk": t.monitoring_period.pk},
    "monitoring:enrolments": lambda t: {"pk": t.cast.orgs["a1"].pk},
    "monitoring:enrolment": lambda t: {"pk": t.cast.orgs["a1"].pk, "enrolment_pk": t.monitoring_enrolment.pk},
    "diagnostics:student": lambda t: {"pk": t.diagnostics["student"]},
    "diagnostics:take": lambda t: {"pk": t.diagnostics["running"]},
    "diagnostics:finish": lambda t: {"pk": t.diagnostics["running"]},
    "diagnostics:result": lambda t: {"pk": t.diagnostics["finished"]},
    "diagnostics:retake": lambda t: {"pk": t.diagnostics["finished"]},
    "diagnostics:withdraw": lambda t: {"pk": t.diagnostics["finished"]},
    "diagnostics:assignment": lambda t: {"pk": t.diagnostics["assignment"]},
    "diagnostics:class": lambda t: {"pk": t.cast.classes["a1_8a"].pk},
    "diagnostics:instrument": lambda t: {"pk": t.diagnostics["version"]},
    "diagnostics:instrument_active": lambda t: {"pk": t.diagnostics["version"]},
    "guidance:student": lambda t: {"pk": t.diagnostics["student"]},
    "guidance:review": lambda t: {"pk": t.diagnostics["student"]},
    "guidance:dismiss": lambda t: {"profession": t.diagnostics["profession"]},
    "catalog:profession": lambda t: {"pk": t.diagnostics["profession"]},
}


# An address whose pages differ by an argument is walked once more for each of these: the upload page and the
# template of each kind of file (their forms and checks differ), besides the pupils' of PATH_ARGS.
MORE_PATH_ARGS: dict[str, list[Callable[[Target], dict]]] = {
    name: [lambda t, kind=kind: {"kind": kind} for kind in ("schools", "classes", "staff", "ticket", "additional", "programmes")]
    for name in ("imports:upload", "imports:template")
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: URLPattern

    @property
    def has_args(self) -> bool:
        return bool(self.pattern.pattern.regex.groupindex) or self.pattern.pattern.regex.groups > 0


def named_routes() -> list[Route]:
    """Every named URL pattern of the platform, as «namespace:name»."""
    routes: list[Route] = []

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
                walk(entry.url_patterns, inner)
            elif entry.name:
                routes.append(Route(f"{namespace}:{entry.name}" if namespace else entry.name, entry))

    walk(get_resolver().url_patterns, "")
    return routes


def excluded_reason(name: str) -> str | None:
    if name in EXCLUDED:
        return EXCLUDED[name]
    return EXCLUDED_NAMESPACES.get(name.split(":", 1)[0]) if ":" in name else None


def walked_routes() -> list[Route]:
    return [route for route in named_routes() if excluded_reason(route.name) is None]


# --- what a page offers: its forms, its links' parameters, the parameters its view reads -------------------------


@dataclass
class FormField:
    name: str
    value: str
    kind: str  # the input's type, "select", "textarea"


@dataclass
class Form:
    method: str
    action: str
    enctype: str
    form_id: str = ""
    hx_target: str = ""
    fields: list[FormField] = field(default_factory=list)

    def defaults(self) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind != "file":
                data.setdefault(f.name, []).append(f.value)
        return data


class PageReader(HTMLParser):
    """The forms of a page (fields with their default values, checked boxes and selected options) and the
    addresses of its links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: FormField | None = None
        self._select_first = ""
        self._textarea: FormField | None = None
        self._orphans: list[tuple[str, FormField]] = []  # fields with form="id" outside their form

    def _add(self, attrs: dict, value_field: FormField) -> None:
        owner = attrs.get("form")
        if owner:
            self._orphans.append((owner, value_field))
        elif self._form is not None:
            self._form.fields.append(value_field)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                method=(a.get("method") or "get").lower(), action=a.get("action", ""), enctype=a.get("enctype", ""),
                form_id=a.get("id", ""), hx_target=a.get("hx-target", "").lstrip("#"),
            )  # fmt: skip
            self.forms.append(self._form)
        elif tag == "a":
            for key in ("href", "hx-get"):
                if a.get(key):
                    self.links.append(a[key])
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                # An unchecked box still names a field to fuzz; its value is sent only when fuzzed.
                self._add(a, FormField(a["name"], None, kind))  # type: ignore[arg-type]
                return
            if kind in ("submit", "image", "reset", "button"):
                return
            self._add(a, FormField(a["name"], a.get("value", "on" if kind == "checkbox" else ""), kind))
        elif tag == "button" and a.get("name") and (a.get("type") or "submit") == "submit":
            self._add(a, FormField(a["name"], a.get("value", ""), "button"))
        elif tag == "select" and a.get("name"):
            self._select = FormField(a["name"], None, "select")  # type: ignore[arg-type]
            self._select_first = ""
            self._add(a, self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if not self._select_first:
                self._select_first = value or "\0first"
            if "selected" in a:
                self._select.value = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = FormField(a["name"], "", "textarea")
            self._add(a, self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if self._select.value is None:
                self._select.value = "" if self._select_first == "\0first" else self._select_first
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def close(self):
        super().close()
        by_id = {f.form_id: f for f in self.forms if f.form_id}
        for owner, orphan in self._orphans:
            if owner in by_id:
                by_id[owner].fields.append(orphan)
        for form in self.forms:
            form.fields = [f for f in form.fields if f.value is not None or f.kind in ("checkbox", "radio")]
            for f in form.fields:
                if f.value is None:
                    f.value = ""


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


def forms_of(reader: PageReader, path: str) -> list[Form]:
    """The forms that submit to this very address (others are walked at their own)."""
    own = []
    for form in reader.forms:
        target = urlsplit(urljoin(path, form.action or path)).path
        if target == path:
            own.append(form)
    return own


def link_params(reader: PageReader, path: str) -> dict[str, str]:
    """The query parameters of the page's links to itself (sorting, paging, filters), with a value seen."""
    params: dict[str, str] = {}
    for link in reader.links:
        parts = urlsplit(urljoin(path, link))
        if parts.path == path and parts.query:
            for key, value in parse_qsl(parts.query, keep_blank_values=True):
                params.setdefault(key, value)
    return params


READ_PATTERNS = [
    re.compile(r"request\.(GET|POST)\.(?:get|getlist)\(\s*[\"']([\w-]+)[\"']"),
    re.compile(r"request\.(GET|POST)\[\s*[\"']([\w-]+)[\"']\s*\]"),
    re.compile(r"request\.(GET|POST),\s*[\"']([\w-]+)[\"']"),
    re.compile(r"[\"']([\w-]+)[\"']\s+in\s+request\.(GET|POST)"),
]


def params_read_by(route: Route) -> dict[str, set[str]]:
    """The parameter names the view's module reads by name, {"GET": {...}, "POST": {...}}: what a page's forms
    and links may not show (a `next`, a `year`, an action)."""
    callback = route.pattern.callback
    module = sys.modules.get(getattr(callback, "__module__", ""), None)
    found: dict[str, set[str]] = {"GET": set(), "POST": set()}
    try:
        filename = Path(inspect.getsourcefile(module)).resolve()
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return found
    if not filename.is_relative_to(settings.BASE_DIR) or ".venv" in filename.parts:
        return found  # Django's own views (the password reset pages) read only their forms
    for pattern in READ_PATTERNS:
        for match in pattern.finditer(source):
            method, name = match.groups() if match.group(1) in ("GET", "POST") else reversed(match.groups())
            found[method].add(name)
    return found
