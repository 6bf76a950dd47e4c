from django import template

from core.text import count_with_noun, plural_form

register = template.Library()


@register.filter
def plural(number, forms: str) -> str:
    """{{ n|plural:"ученик,ученика,учеников" }} → «48 012 учеников»."""
    one, few, many = forms.split(",")
    return count_with_noun(number or 0, one, few, many)


@register.filter
def noun(number, forms: str) -> str:
    """Only the agreeing noun: {{ n|noun:"класс,класса,классов" }}."""
    one, few, many = forms.split(",")
    return plural_form(number or 0, one, few, many)


@register.filter
def thousands(number) -> str:
    return f"{int(number or 0):,}".replace(",", "\u202f")
