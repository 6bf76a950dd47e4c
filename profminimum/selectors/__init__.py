"""Reads of the профминимум, by area; everything public is re-exported here (`from profminimum import selectors`)."""

from profminimum.compliance import AT_RISK_SHARE, Compliance, State, compliance_state, expected_hours, year_fraction
from profminimum.selectors.compliance import *  # noqa: F403
from profminimum.selectors.dashboards import *  # noqa: F403
from profminimum.selectors.home import *  # noqa: F403
from profminimum.selectors.schedule import *  # noqa: F403

__all__ = ["AT_RISK_SHARE", "Compliance", "State", "compliance_state", "expected_hours", "year_fraction"]
