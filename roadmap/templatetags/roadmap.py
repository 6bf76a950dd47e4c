"""Template helpers of the roadmap's pages: a state's marker (the shape and colour core.charts gives each state)."""

from django import template

from core.charts import state_marker as chart_marker

register = template.Library()


@register.simple_tag
def state_marker(marker: str):
    return chart_marker(marker) if marker else ""
