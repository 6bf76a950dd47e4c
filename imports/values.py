"""What a cell of a real file means: names with stray spaces and Latin letters, dates as dates, as text and as
Excel's day numbers, classes written «7Б», «7 б» or «7-Б», yes and no in a dozen spellings.

Each parser takes a cell's value (text, a number, a datetime, a Formula, a CellError, None) and returns the clean
value, or raises `Problem` with the reason in Russian: the caller adds the row and the column."""

import calendar
import datetime
import functools
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.formatting import date_short
from core.search import fold_lookalikes, normalize_search_text
from imports.reader import CellError, Formula, excel_serial_to_datetime


class Problem(Exception):
    """A cell that cannot be used; the message says why (without the row and the column, which the caller adds)."""


# Whitespace of every kind (no-break spaces from web pages, tabs, line breaks inside a cell) and the invisible
# characters that come along when text is copied (zero-width spaces and joiners, the BOM, soft hyphens).
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def shown(value) -> str:
    """The cell as the problem list shows it: dates as dates, numbers without «.0»."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        return str(value)[:200]
    if isinstance(value, datetime.datetime):
        return date_short(value.date()) if value.time() == datetime.time() else value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return date_short(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:200]


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str) and not isinstance(value, Formula | CellError):
        return not _INVISIBLE.sub("", value).strip()
    return False


def usable(value):
    """The value, or Problem for a formula or an Excel error: what is in the cell must be the value itself."""
    if isinstance(value, Formula):
        raise Problem(
            f"в ячейке формула «{str(value)[:60]}», а не значение. Замените формулы значениями: скопируйте столбец и вставьте "
            "его через «Специальная вставка → Значения»"
        )
    if isinstance(value, CellError):
        raise Problem(f"в ячейке ошибка Excel «{value}» вместо значения")
    return value


def text(value, *, max_length: int = 200) -> str:
    """A cell as clean text: spaces collapsed, invisible characters gone; whole numbers without «.0»."""
    value = usable(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return date_short(value)
    result = _SPACES.sub(" ", _INVISIBLE.sub("", str(value))).strip()
    if len(result) > max_length:
        raise Problem(f"слишком длинное значение ({len(result)} знаков, допускается не больше {max_length})")
    return result


# --- names -------------------------------------------------------------------------------------------------------

_NAME = re.compile(r"^[A-Za-zА-Яа-яЁё]+(?:[ '’\-][A-Za-zА-Яа-яЁё]+)*$")
_NAME_PART = re.compile(r"([ '’\-])")


def _capitalised(name: str) -> str:
    """«ИВАНОВА-петрова» → «Иванова-Петрова» when a part is all upper or all lower case; «Мак-Гроу» stays."""
    parts = _NAME_PART.split(name)
    result = []
    for part in parts:
        if len(part) > 1 and (part.isupper() or part.islower()):
            part = part[0].upper() + part[1:].lower()
        elif len(part) == 1 and part.isalpha():
            part = part.upper()
        result.append(part)
    return "".join(result)


def person_name(value, *, what: str, required: bool = True, max_length: int = 100) -> str:
    """A surname, a first name or a patronymic: letters, hyphens, apostrophes and spaces; Latin look-alikes inside a
    Cyrillic word are the Cyrillic letters («Ивaнов» → «Иванов»); «ИВАНОВ» and «иванов» become «Иванов»."""
    return _clean_name(text(value, max_length=max_length), what, required)


@functools.lru_cache(maxsize=65_536)
def _clean_name(result: str, what: str, required: bool) -> str:
    """person_name past the cell's text: names repeat a great deal in a school's list, so each is cleaned once."""
    result = result.replace("е\u0308", "ё").replace("Е\u0308", "Ё")  # «е» with a combining diaeresis, from some systems
    result = re.sub(r"\s*-\s*", "-", result)
    if not result:
        if required:
            raise Problem(f"не указано: {what}")
        return ""
    result = fold_lookalikes(result)
    if not _NAME.match(result):
        odd = sorted({ch for ch in result if not (ch.isalpha() or ch in " '’-")})
        listed = ", ".join(f"«{ch}»" for ch in odd[:5]) if odd else ""
        raise Problem(f"в имени бывают только буквы, дефис и апостроф, а здесь есть {listed or 'другие знаки'}")
    return _capitalised(result)


def split_full_name(value) -> tuple[str, str, str]:
    """«Иванов Иван Иванович» → its three parts; a double surname stays whole when it is written with a hyphen.
    Two words are a surname and a name; more than three — the patronymic takes the rest («Мамедов Али Гусейн оглы»)."""
    full = text(value, max_length=300)
    if not full:
        raise Problem("не указаны фамилия и имя")
    words = full.split(" ")
    if len(words) < 2:
        raise Problem("нужны хотя бы фамилия и имя через пробел")
    return words[0], words[1], " ".join(words[2:])


@functools.lru_cache(maxsize=131_072)
def name_key(*parts: str) -> str:
    """A name as matching compares it: case, «ё», spaces and Latin look-alikes aside."""
    return normalize_search_text(*parts).strip()


# --- dates -----------------------------------------------------------------------------------------------------------

MONTHS = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8, "сентября": 9,
    "октября": 10, "ноября": 11, "декабря": 12, "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6,
    "июль": 7, "август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
}  # fmt: skip
_MONTH_NAMES_GENITIVE = [
    "",
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
]
_DMY = re.compile(r"^(\d{1,2})[./\-\s](\d{1,2})[./\-\s](\d{2}|\d{4})(?:\s*г\.?)?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_WORDS = re.compile(r"^(\d{1,2})\s+([а-яё]+)\s+(\d{4})(?:\s*(?:г\.?|года))?$", re.IGNORECASE)
_SERIAL = re.compile(r"^\d{4,5}(?:[.,]0+)?$")
EARLIEST = datetime.date(1900, 1, 1)


def _built(year: int, month: int, day: int, written: str) -> datetime.date:
    if not 1 <= month <= 12:
        raise Problem(f"«{written}»: месяца {month} не бывает — ожидается дата вида ДД.ММ.ГГГГ")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise Problem(f"«{written}»: такой даты нет — в {_MONTH_NAMES_GENITIVE[month]} {year} года {days} дней")
    return datetime.date(year, month, day)


def _two_digit_year(year: int, today: datetime.date) -> int:
    """«10» → 2010, «95» → 1995: the century that puts the date in the past."""
    return 2000 + year if 2000 + year <= today.year else 1900 + year


def date_value(value, *, today: datetime.date | None = None) -> datetime.date | None:
    """A date from a date cell, an Excel day number (a number, or its digits as text) or text: «01.02.2010»,
    «1.2.2010», «01/02/2010», «01-02-2010», «2010-02-01», «01.02.10», «1 февраля 2010 г.». None for an empty cell."""
    today = today or datetime.date.today()
    value = usable(value)
    if is_empty(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise Problem("ожидается дата вида ДД.ММ.ГГГГ, а в ячейке логическое значение")
    if isinstance(value, int | float):
        moment = excel_serial_to_datetime(value)
        if moment is None or moment.date() < EARLIEST:
            raise Problem(f"«{shown(value)}» — не дата: ожидается дата вида ДД.ММ.ГГГГ")
        return moment.date()
    written = text(value, max_length=40)
    if _SERIAL.match(written):  # Excel's day number that a CSV export or a text cell kept
        moment = excel_serial_to_datetime(int(written.split(".")[0].split(",")[0]))
        if moment is not None and moment.date() >= EARLIEST:
            return moment.date()
    if match := _DMY.match(written):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year = _two_digit_year(year, today)
        return _built(year, month, day, written)
    if match := _YMD.match(written):
        year, month, day = (int(part) for part in match.groups())
        return _built(year, month, day, written)
    if match := _WORDS.match(written):
        month = MONTHS.get(match.group(2).lower())
        if month is not None:
            return _built(int(match.group(3)), month, int(match.group(1)), written)
    raise Problem(f"«{written}» — не дата: ожидается дата вида ДД.ММ.ГГГГ, например 05.03.2012")


def birth_date(value, *, today: datetime.date | None = None, required: bool = True, oldest: int = 100) -> datetime.date | None:
    today = today or datetime.date.today()
    day = date_value(value, today=today)
    if day is None:
        if required:
            raise Problem("не указана дата рождения")
        return None
    if day > today:
        raise Problem(f"дата рождения {date_short(day)} — ещё не наступила")
    if day.year < today.year - oldest:
        raise Problem(f"дата рождения {date_short(day)} — больше {oldest} лет назад; проверьте год")
    return day


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- classes -----------------------------------------------------------------------------------------------------------

_CLASS = re.compile(r"^(\d{1,2})\s*(?:-|–|—|\s)?\s*[«\"'“„(]?\s*([А-ЯЁ][А-ЯЁ0-9]{0,2})?\s*[»\"'”)]?\s*(?:КЛ(?:АСС)?\.?)?$")
_CLASS_NUMBER_ONLY = re.compile(r"^\d{1,2}(?:\s*КЛ(?:АСС)?\.?)?$")
_LETTER = re.compile(r"^[«\"'“„(]?\s*([А-ЯЁ][А-ЯЁ0-9]{0,2})\s*[»\"'”)]?$")
_GRADES = range(1, 12)


def _upper_cyrillic(written: str) -> str:
    """Upper case with Latin look-alikes read as Cyrillic: «7b» and «7B» are 7 «В»."""
    shapes = {"A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р", "T": "Т", "X": "Х", "Y": "У"}
    return "".join(shapes.get(ch, ch) for ch in written.upper())


def grade_value(value) -> int:
    """A grade alone (a column «Класс (без буквы)»): 1 to 11."""
    value = usable(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    written = text(value, max_length=20)
    if not written:
        raise Problem("не указан класс (параллель)")
    upper = _upper_cyrillic(written)
    if not _CLASS_NUMBER_ONLY.match(upper):
        raise Problem(f"«{written}» — не номер класса: ожидается число от 1 до 11")
    grade = int(re.match(r"\d+", upper).group())
    if grade not in _GRADES:
        raise Problem(f"«{written}»: классов с номером {grade} не бывает — ожидается число от 1 до 11")
    return grade


def letter_value(value) -> str:
    written = text(usable(value), max_length=20)
    if not written:
        raise Problem("не указана буква класса")
    match = _LETTER.match(_upper_cyrillic(written))
    if not match:
        raise Problem(f"«{written}» — не буква класса: ожидается, например, «А» или «Б»")
    return match.group(1)


def class_value(value) -> tuple[int, str]:
    """A class as schools write it: «7Б», «7 б», «7-Б», «7 «Б»», «7б кл.», «10А1» → (7, "Б"). The grade is 1 to 11; the
    letter is needed (a school with one class in a grade writes «7А»)."""
    value = usable(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    written = text(value, max_length=20)
    if not written:
        raise Problem("не указан класс")
    upper = _upper_cyrillic(written)
    match = _CLASS.match(upper)
    if not match:
        raise Problem(f"«{written}» — не класс: ожидается номер и буква, например «7Б»")
    grade = int(match.group(1))
    if grade not in _GRADES:
        raise Problem(f"«{written}»: классов с номером {grade} не бывает — ожидается номер от 1 до 11 и буква, например «7Б»")
    if not match.group(2):
        raise Problem(f"«{written}»: не указана буква класса — если класс в параллели один, напишите «{grade}А»")
    return grade, match.group(2)


def class_name(grade: int, letter: str) -> str:
    return f"{grade} «{letter}»"


# --- the rest ------------------------------------------------------------------------------------------------------------

_YES = {"да", "д", "+", "1", "есть", "true", "истина", "yes", "y", "овз", "имеется", "v", "✓", "x", "х"}
_NO = {"нет", "н", "-", "0", "false", "ложь", "no", "n", "—", "–", "отсутствует"}


def yes_no(value) -> bool:
    value = usable(value)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise Problem(f"«{shown(value)}»: ожидается «да» или «нет»")
    written = text(value, max_length=20).lower()
    if written in _YES:
        return True
    if not written or written in _NO:
        return False
    raise Problem(f"«{written}»: ожидается «да» или «нет»")


def email_value(value) -> str:
    written = text(value, max_length=254).lower().replace(" ", "")
    if not written:
        return ""
    try:
        validate_email(written)
    except ValidationError:
        raise Problem(f"«{written}» — не адрес электронной почты") from None
    return written


def phone_value(value) -> str:
    """A phone number: «8 (918) 123-45-67», «+7 918 1234567», «9181234567» → «+7 918 123-45-67»; other countries' and
    short numbers are kept as written."""
    value = usable(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    written = text(value, max_length=40)
    if not written:
        return ""
    if re.search(r"[^\d\s()+\-.]", written):
        raise Problem(f"«{written}» — не номер телефона: в нём есть буквы или лишние знаки")
    digits = re.sub(r"\D", "", written)
    if len(digits) == 10 and digits[0] == "9":
        digits = "7" + digits
    if len(digits) == 11 and digits[0] in "78":
        return f"+7 {digits[1:4]} {digits[4:7]}-{digits[7:9]}-{digits[9:11]}"
    if not 5 <= len(digits) <= 15:
        raise Problem(f"«{written}» — не номер телефона: в нём {len(digits)} цифр")
    return written


def code_value(value, *, max_length: int = 50) -> str:
    """An identifier (the school's own student number): text, a whole number without «.0»."""
    value = usable(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return text(value, max_length=max_length)


def choice(value, options: dict[str, str], *, what: str, labels: tuple[str, ...] = (), default: str | None = None) -> str:
    """One of `options` (a folded spelling → the value); an empty cell gives `default`, or a problem without one.
    `labels`: the spellings a problem suggests (the options' own by default)."""
    written = text(value, max_length=100)
    if not written:
        if default is not None:
            return default
        raise Problem(f"не указано: {what}")
    key = name_key(written)
    if key in options:
        return options[key]
    listed = ", ".join(f"«{label}»" for label in (labels or dict.fromkeys(options)))
    raise Problem(f"«{written}» — не подходит: {what} — одно из значений {listed}")
