"""The figures of the профминимум's self-analysis (item 5.5) that other domains hold: diagnostics completed,
professional trials and excursions. Each hook answers for one school over [since, until], or None when no domain
of the platform holds that figure — the form then asks the school to enter it (and needs no reason for it).

These are the provider hooks of the monitoring: the one place that reads those domains. The diagnostics and events
apps sit below the monitoring in the layers, so their selectors may be called from here directly; a hook whose
domain has no such selector yet keeps answering None.
"""

import datetime
import importlib

from django.apps import apps

from orgs.models import Organization


def _selector(app: str, module: str, name: str):
    """A selector of another domain if that domain is installed and has it, else None."""
    if not apps.is_installed(app):
        return None
    try:
        imported = importlib.import_module(f"{app}.{module}")
    except ImportError:
        return None
    return getattr(imported, name, None)


def diagnostics_completed(*, school: Organization, since: datetime.date, until: datetime.date) -> int | None:
    """Diagnostics completed by the school's students: `diagnostics.selectors.completed_count(school=, since=, until=)`."""
    selector = _selector("diagnostics", "selectors", "completed_count")
    return selector(school=school, since=since, until=until) if selector else None


def trial_students(*, school: Organization, since: datetime.date, until: datetime.date) -> int | None:
    """Students of the school who attended a professional trial: `events.selectors.trial_students_count(school=, since=, until=)`."""
    selector = _selector("events", "selectors", "trial_students_count")
    return selector(school=school, since=since, until=until) if selector else None


def trials_held(*, school: Organization, since: datetime.date, until: datetime.date) -> int | None:
    """Professional trials the school's students attended: `events.selectors.trials_count(school=, since=, until=)`."""
    selector = _selector("events", "selectors", "trials_count")
    return selector(school=school, since=since, until=until) if selector else None


def excursions_held(*, school: Organization, since: datetime.date, until: datetime.date) -> int | None:
    """Excursions the school's students went on: `events.selectors.excursions_count(school=, since=, until=)`."""
    selector = _selector("events", "selectors", "excursions_count")
    return selector(school=school, since=since, until=until) if selector else None
