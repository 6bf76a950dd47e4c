"""Template filters of the diagnostics pages: `{{ seconds|minutes_ru }}` («7 минут»), `{{ code|code_ru }}` («ИАС»),
`{{ r|corr }}` (a correlation or α: «0,82», «—» when not computed)."""

from django import template

from core.formatting import count_text, number

register = template.Library()


@register.filter
def minutes_ru(seconds) -> str:
    if seconds is None:
        return ""
    minutes = round(int(seconds) / 60)
    return "меньше минуты" if minutes < 1 else count_text(minutes, "минуту", "минуты", "минут")


@register.filter
def code_ru(code) -> str:
    from diagnostics.selectors import code_ru as convert

    return convert(code or "")


@register.filter
def corr(value) -> str:
    return "—" if value is None else number(value, 2)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
