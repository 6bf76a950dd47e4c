"""Russian numbers, hours and dates in templates: the same functions as core.formatting.

{{ n|plural:"ученик,ученика,учеников" }}  → «48 012 учеников»
{{ n|noun:"класс,класса,классов" }}       → «классов»
{{ n|thousands }}  {{ x|num }}  {{ x|hours }}  {{ x|hours_short }}
{{ d|date_ru }}  {{ d|date_short }}  {{ d|day_ru }}  {{ dt|datetime_ru }}
"""

from django import template

from core import formatting

register = template.Library()


@register.filter
def plural(number, forms: str) -> str:
    one, few, many = forms.split(",")
    return formatting.count_text(number or 0, one, few, many)


@register.filter
def noun(number, forms: str) -> str:
    one, few, many = forms.split(",")
    return formatting.plural_form(number or 0, one, few, many)


@register.filter
def thousands(number) -> str:
    return formatting.thousands(number)


@register.filter
def num(value, digits: int = 1) -> str:
    return formatting.number(value, int(digits))


@register.filter
def hours(value) -> str:
    return formatting.hours_text(value)


@register.filter
def hours_short(value) -> str:
    return formatting.hours_short(value)


@register.filter
def date_ru(value) -> str:
    return formatting.date_text(value) if value else ""


@register.filter
def date_short(value) -> str:
    return formatting.date_short(value) if value else ""


@register.filter
def day_ru(value) -> str:
    return formatting.day_text(value) if value else ""


@register.filter
def weekday_date_ru(value) -> str:
    return formatting.weekday_date_text(value) if value else ""


@register.filter
def datetime_ru(value) -> str:
    return formatting.datetime_text(value) if value else ""


@register.filter
def time_ru(value) -> str:
    return formatting.time_text(value) if value else ""
