"""Russian wording helpers: numbers agree with their nouns («1 ученик», «2 ученика», «5 учеников»)."""


def plural_form(number: int, one: str, few: str, many: str) -> str:
    n = abs(int(number))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count_with_noun(number: int, one: str, few: str, many: str) -> str:
    """«48 012 учеников»: thin-space thousands, as Russian typography writes them."""
    return f"{int(number):,}".replace(",", "\u202f") + " " + plural_form(number, one, few, many)
