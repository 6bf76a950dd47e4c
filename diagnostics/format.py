"""The instrument file: one JSON document per version of a questionnaire (`diagnostics/instruments/README.md` describes it
for the people who write one). `instrument_parse` reads the bytes and checks every rule, naming the place of each
problem («Вопрос № 7, вариант «b»: …»); `compile_definition` turns a checked definition into what scoring reads.

    {
      "format": 1, "code": "riasec-interests", "version": "1.0", "title": "…", "audience": "student",
      "profile": "riasec", "ages": [11, 18], "minutes": 12, "description": "…", "instructions": "…",
      "about_results": {"means": "…", "does_not_mean": "…"}, "source": "…", "licence": "…",
      "low_confidence": {"median_seconds": 2, "same_answer_run": 12},
      "option_sets": {"like5": [{"key": "1", "text": "Совсем не нравится", "value": 0}, …]},
      "scales": [{"code": "R", "title": "…", "description": "…",
                  "bands": [{"from": 0, "to": 13, "title": "низкий", "text": "…"}, …]}, …],
      "items": [{"number": 1, "text": "…", "options": "like5", "scale": "R"},
                {"number": 2, "text": "…", "options": [{"key": "a", "text": "…", "weights": {"nature": 1}}, …]}, …]
    }

An item either names an option set (then it keys one scale, by the options' values, reversed with "reverse": true),
or lists its own options, each with its weights on any scales. Scores are whole numbers: every value and weight is an
integer. The bands of a scale cover every score it can take, from its least to its most, without gaps or overlaps.
"""

import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field

FORMAT = 1
MAX_BYTES = 1_000_000
MAX_ITEMS = 400
MAX_TEXT = 4000
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,59}$")
KEY_RE = re.compile(r"^[A-Za-z0-9А-Яа-яЁё_-]{1,10}$")
SCALE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,19}$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
AUDIENCES = ("student", "parent")
# A profile's scales, in the order they are shown: the results of a profiled instrument feed InterestProfile.
PROFILE_SCALES = {
    "riasec": ("R", "I", "A", "S", "E", "C"),
    "klimov": ("nature", "technic", "human", "sign", "art"),
    "readiness": ("decided", "informed", "backup"),
}
DEFAULT_MEDIAN_SECONDS = 2.0
DEFAULT_SAME_ANSWER_RUN = 10

TOP_KEYS = {
    "format", "code", "version", "title", "short_title", "audience", "profile", "ages", "minutes", "description",
    "instructions", "about_results", "source", "licence", "low_confidence", "option_sets", "scales", "items",
}  # fmt: skip
REQUIRED = ("format", "code", "version", "title", "audience", "ages", "minutes", "description", "about_results", "scales", "items")


class InstrumentFileError(ValueError):
    """A file that is not a valid instrument: `problems` names each place and what is wrong there."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class _Check:
    problems: list[str] = field(default_factory=list)

    def add(self, place: str, message: str) -> None:
        self.problems.append(f"{place}: {message}" if place else message)

    def text(self, data: dict, key: str, place: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.add(place, f"не заполнено поле «{key}»")
            return ""
        if not isinstance(value, str):
            self.add(place, f"поле «{key}» должно быть строкой")
            return ""
        if CONTROL_RE.search(value):
            self.add(place, f"в поле «{key}» есть управляющие символы")
        if len(value) > limit:
            self.add(place, f"поле «{key}» длиннее {limit} символов")
        if not value.strip() and required:
            self.add(place, f"не заполнено поле «{key}»")
        return value.strip()


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _item_place(index: int, item) -> str:
    number = item.get("number") if isinstance(item, dict) else None
    return f"Вопрос № {number}" if _is_int(number) else f"Вопрос {index + 1}-й по порядку"


def instrument_parse(raw: bytes | str) -> dict:
    """The definition in the file, checked; InstrumentFileError naming every problem's place otherwise."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            raise InstrumentFileError([f"Файл больше {MAX_BYTES // 1_000_000} МБ: это не похоже на файл методики"])
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InstrumentFileError([f"Файл не в кодировке UTF-8 (байт № {error.start + 1})"]) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise InstrumentFileError([f"Строка {error.lineno}, столбец {error.colno}: файл не читается как JSON ({error.msg})"]) from None
    problems = definition_problems(data)
    if problems:
        raise InstrumentFileError(problems)
    return data


def definition_problems(data) -> list[str]:
    """Every problem of a definition, each with its place; an empty list for a valid one."""
    check = _Check()
    if not isinstance(data, dict):
        check.add("Файл", "верхний уровень должен быть объектом { … }")
        return check.problems
    for key in sorted(set(data) - TOP_KEYS):
        check.add("Файл", f"неизвестное поле «{key}»")
    for key in REQUIRED:
        if key not in data:
            check.add("Файл", f"нет обязательного поля «{key}»")
    if "format" in data and data["format"] != FORMAT:
        check.add("Поле «format»", f"поддерживается формат {FORMAT}, в файле — {data['format']!r}")
    code = data.get("code")
    if code is not None and (not isinstance(code, str) or not CODE_RE.match(code)):
        check.add("Поле «code»", "код — от 2 до 60 строчных латинских букв, цифр и дефисов, например «riasec-interests»")
    version = data.get("version")
    if version is not None and (not isinstance(version, str) or not re.match(r"^[0-9A-Za-z.\-]{1,20}$", version)):
        check.add("Поле «version»", "версия — до 20 символов: цифры, латинские буквы, точка, дефис, например «1.0»")
    check.text(data, "title", "Поле «title»", limit=200)
    check.text(data, "short_title", "Поле «short_title»", required=False, limit=80)
    for key in ("description", "instructions", "source", "licence"):
        check.text(data, key, f"Поле «{key}»", required=key == "description")
    if "audience" in data and data["audience"] not in AUDIENCES:
        check.add("Поле «audience»", "кто отвечает: «student» (обучающийся) или «parent» (родитель об обучающемся)")
    profile = data.get("profile", "")
    if profile not in ("", *PROFILE_SCALES):
        check.add("Поле «profile»", f"профиль — один из: {', '.join(PROFILE_SCALES)}; или пусто")
        profile = ""
    ages = data.get("ages")
    if "ages" in data and not (
        isinstance(ages, list) and len(ages) == 2 and all(_is_int(a) and 6 <= a <= 99 for a in ages) and ages[0] <= ages[1]
    ):
        check.add("Поле «ages»", "возраст — два целых числа от 6 до 99, «от» не больше «до», например [11, 18]")
    minutes = data.get("minutes")
    if "minutes" in data and not (_is_int(minutes) and 1 <= minutes <= 180):
        check.add("Поле «minutes»", "ожидаемое время — целое число минут от 1 до 180")
    about = data.get("about_results")
    if "about_results" in data:
        if not isinstance(about, dict):
            check.add("Поле «about_results»", "нужен объект с полями «means» и «does_not_mean»")
        else:
            for key in sorted(set(about) - {"means", "does_not_mean"}):
                check.add("Поле «about_results»", f"неизвестное поле «{key}»")
            check.text(about, "means", "Поле «about_results»")
            check.text(about, "does_not_mean", "Поле «about_results»")
    low = data.get("low_confidence", {})
    if not isinstance(low, dict) or set(low) - {"median_seconds", "same_answer_run"}:
        check.add("Поле «low_confidence»", "допустимы только «median_seconds» и «same_answer_run»")
    else:
        median = low.get("median_seconds", DEFAULT_MEDIAN_SECONDS)
        if not isinstance(median, int | float) or isinstance(median, bool) or not 0 <= median <= 60:
            check.add("Поле «low_confidence»", "«median_seconds» — число секунд от 0 до 60")
        run = low.get("same_answer_run", DEFAULT_SAME_ANSWER_RUN)
        if run is not None and not (_is_int(run) and 3 <= run <= MAX_ITEMS):
            check.add("Поле «low_confidence»", "«same_answer_run» — целое число от 3 или null (не проверять)")

    option_sets = _check_option_sets(check, data.get("option_sets", {}))
    scales = _check_scales(check, data.get("scales"), profile)
    items = _check_items(check, data.get("items"), option_sets, scales)
    if scales and items is not None and not check.problems:
        _check_bands(check, data)
    return check.problems


def _check_option_sets(check: _Check, sets) -> dict[str, list]:
    if not isinstance(sets, dict):
        check.add("Поле «option_sets»", "нужен объект: название набора → список вариантов")
        return {}
    valid: dict[str, list] = {}
    for name, options in sets.items():
        place = f"Набор вариантов «{name}»"
        if not isinstance(options, list) or len(options) < 2:
            check.add(place, "нужен список хотя бы из двух вариантов")
            continue
        keys = set()
        for index, option in enumerate(options):
            where = f"{place}, вариант {index + 1}-й"
            if not isinstance(option, dict):
                check.add(where, "вариант — объект с полями «key», «text», «value»")
                continue
            for key in sorted(set(option) - {"key", "text", "value"}):
                check.add(where, f"неизвестное поле «{key}»")
            key = option.get("key")
            if not isinstance(key, str) or not KEY_RE.match(key):
                check.add(where, "ключ варианта («key») — от 1 до 10 букв или цифр")
            elif key in keys:
                check.add(where, f"ключ «{key}» повторяется")
            else:
                keys.add(key)
            check.text(option, "text", where, limit=300)
            if not _is_int(option.get("value")) or not -10 <= option["value"] <= 10:
                check.add(where, "«value» — целое число от −10 до 10")
        valid[name] = options
    return valid


def _check_scales(check: _Check, scales, profile: str) -> dict[str, dict]:
    if scales is None:
        return {}
    if not isinstance(scales, list) or not scales:
        check.add("Поле «scales»", "нужен непустой список шкал")
        return {}
    found: dict[str, dict] = {}
    for index, scale in enumerate(scales):
        code = scale.get("code") if isinstance(scale, dict) else None
        place = f"Шкала «{code}»" if isinstance(code, str) and code else f"Шкала {index + 1}-я по порядку"
        if not isinstance(scale, dict):
            check.add(place, "шкала — объект с полями «code», «title», «bands»")
            continue
        for key in sorted(set(scale) - {"code", "title", "short", "description", "bands"}):
            check.add(place, f"неизвестное поле «{key}»")
        if not isinstance(code, str) or not SCALE_RE.match(code):
            check.add(place, "код шкалы («code») — латинская буква, затем до 19 латинских букв, цифр или «_»")
            continue
        if code in found:
            check.add(place, "код шкалы повторяется")
            continue
        check.text(scale, "title", place, limit=200)
        check.text(scale, "short", place, required=False, limit=40)
        check.text(scale, "description", place)
        bands = scale.get("bands")
        if not isinstance(bands, list) or not bands:
            check.add(place, "нужен непустой список уровней («bands»)")
        else:
            for band_index, band in enumerate(bands):
                where = f"{place}, уровень {band_index + 1}-й"
                if not isinstance(band, dict):
                    check.add(where, "уровень — объект с полями «from», «to», «title», «text»")
                    continue
                for key in sorted(set(band) - {"from", "to", "title", "text"}):
                    check.add(where, f"неизвестное поле «{key}»")
                if not (_is_int(band.get("from")) and _is_int(band.get("to")) and band["from"] <= band["to"]):
                    check.add(where, "границы «from» и «to» — целые числа, «from» не больше «to»")
                check.text(band, "title", where, limit=80)
                check.text(band, "text", where)
        found[code] = scale
    if profile:
        expected = PROFILE_SCALES[profile]
        if set(found) != set(expected) or len(found) != len(expected):
            check.add("Поле «scales»", f"профиль «{profile}» требует шкал {', '.join(expected)}; в файле: {', '.join(found) or 'нет'}")
    return found


def _check_items(check: _Check, items, option_sets: dict[str, list], scales: dict[str, dict]):
    if items is None:
        return None
    if not isinstance(items, list) or not items:
        check.add("Поле «items»", "нужен непустой список вопросов")
        return None
    if len(items) > MAX_ITEMS:
        check.add("Поле «items»", f"вопросов больше {MAX_ITEMS}")
        return None
    numbers = []
    keyed: dict[str, int] = dict.fromkeys(scales, 0)
    for index, item in enumerate(items):
        place = _item_place(index, item)
        if not isinstance(item, dict):
            check.add(place, "вопрос — объект с полями «number», «text», «options»")
            continue
        for key in sorted(set(item) - {"number", "text", "options", "scale", "reverse"}):
            check.add(place, f"неизвестное поле «{key}»")
        number = item.get("number")
        if not _is_int(number):
            check.add(place, "нет номера вопроса («number»)")
        else:
            numbers.append(number)
        check.text(item, "text", place, limit=600)
        options = item.get("options")
        if isinstance(options, str):
            if options not in option_sets:
                check.add(place, f"нет набора вариантов «{options}» в «option_sets»")
            scale = item.get("scale")
            if scale not in scales:
                check.add(
                    place,
                    f"шкала «{scale}» не описана в «scales»" if scale else "вопрос с набором вариантов должен назвать шкалу («scale»)",
                )
            else:
                keyed[scale] += 1
            if "reverse" in item and not isinstance(item["reverse"], bool):
                check.add(place, "«reverse» — true или false")
        elif isinstance(options, list):
            if "scale" in item or "reverse" in item:
                check.add(place, "«scale» и «reverse» задаются только вопросу с набором вариантов; здесь веса — у каждого варианта")
            if len(options) < 2:
                check.add(place, "нужно хотя бы два варианта ответа")
            keys = set()
            for option_index, option in enumerate(options):
                key = option.get("key") if isinstance(option, dict) else None
                where = f"{place}, вариант «{key}»" if isinstance(key, str) and key else f"{place}, вариант {option_index + 1}-й"
                if not isinstance(option, dict):
                    check.add(where, "вариант — объект с полями «key», «text», «weights»")
                    continue
                for extra in sorted(set(option) - {"key", "text", "weights"}):
                    check.add(where, f"неизвестное поле «{extra}»")
                if not isinstance(key, str) or not KEY_RE.match(key):
                    check.add(where, "ключ варианта («key») — от 1 до 10 букв или цифр")
                elif key in keys:
                    check.add(where, "ключ варианта повторяется")
                else:
                    keys.add(key)
                check.text(option, "text", where, limit=300)
                weights = option.get("weights", {})
                if not isinstance(weights, dict):
                    check.add(where, "«weights» — объект: шкала → целый вес")
                    continue
                for scale, weight in weights.items():
                    if scale not in scales:
                        check.add(where, f"шкала «{scale}» не описана в «scales»")
                    elif not _is_int(weight) or not -10 <= weight <= 10:
                        check.add(where, f"вес по шкале «{scale}» — целое число от −10 до 10")
                    elif weight:
                        keyed[scale] += 1
        else:
            check.add(place, "«options» — название набора вариантов или список вариантов")
    if numbers and sorted(numbers) != list(range(1, len(items) + 1)):
        duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
        if duplicates:
            check.add("Поле «items»", f"номера вопросов повторяются: {', '.join(map(str, duplicates))}")
        else:
            check.add("Поле «items»", f"вопросы нумеруются подряд с 1 до {len(items)}")
    for scale, count in keyed.items():
        if count == 0:
            check.add(f"Шкала «{scale}»", "ни один вопрос не даёт по ней баллов")
    return items


def _check_bands(check: _Check, data: dict) -> None:
    """The bands of each scale cover exactly the scores it can take (the definition is otherwise valid here)."""
    compiled = _compile(data)
    for scale in compiled.scales:
        place = f"Шкала «{scale.code}»"
        bands = sorted(scale.bands, key=lambda band: band.low)
        if bands[0].low != scale.minimum:
            check.add(place, f"уровни начинаются с {bands[0].low}, а наименьший возможный балл — {scale.minimum}")
        if bands[-1].high != scale.maximum:
            check.add(place, f"уровни кончаются на {bands[-1].high}, а наибольший возможный балл — {scale.maximum}")
        for before, after in itertools.pairwise(bands):
            if after.low <= before.high:
                check.add(
                    place, f"уровни «{before.title}» и «{after.title}» пересекаются ({before.low}–{before.high} и {after.low}–{after.high})"
                )
            elif after.low != before.high + 1:
                gap = (
                    f"пропущен балл {before.high + 1}"
                    if after.low == before.high + 2
                    else f"пропущены баллы {before.high + 1}–{after.low - 1}"
                )
                check.add(place, f"между уровнями «{before.title}» и «{after.title}» {gap}")


# --- the compiled form scoring reads --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    key: str
    text: str
    weights: dict[str, int]


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    options: tuple[Option, ...]

    def option(self, key: str) -> Option | None:
        return next((option for option in self.options if option.key == key), None)

    def position(self, key: str) -> int | None:
        return next((index for index, option in enumerate(self.options) if option.key == key), None)


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    title: str
    text: str


@dataclass(frozen=True)
class Scale:
    code: str
    title: str
    short: str
    description: str
    bands: tuple[Band, ...]
    minimum: int
    maximum: int
    items: tuple[int, ...]  # the numbers of the items that can move this scale

    def band(self, score: int) -> Band | None:
        return next((band for band in self.bands if band.low <= score <= band.high), None)

    def normalise(self, score: int) -> float:
        span = self.maximum - self.minimum
        return round((score - self.minimum) / span, 4) if span else 0.0


@dataclass(frozen=True)
class Compiled:
    code: str
    version: str
    title: str
    short_title: str
    audience: str
    profile: str
    ages: tuple[int, int]
    minutes: int
    description: str
    instructions: str
    means: str
    does_not_mean: str
    source: str
    licence: str
    median_seconds: float
    same_answer_run: int | None
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]

    def item(self, number: int) -> Item | None:
        return self.items[number - 1] if 1 <= number <= len(self.items) else None

    def scale(self, code: str) -> Scale | None:
        return next((scale for scale in self.scales if scale.code == code), None)


def _compile(data: dict) -> Compiled:
    option_sets = data.get("option_sets", {})
    items = []
    for raw in sorted(data["items"], key=lambda item: item["number"]):
        if isinstance(raw["options"], str):
            values = [option["value"] for option in option_sets[raw["options"]]]
            low, high = min(values), max(values)
            options = tuple(
                Option(o["key"], o["text"].strip(), {raw["scale"]: (low + high - o["value"]) if raw.get("reverse") else o["value"]})
                for o in option_sets[raw["options"]]
            )
        else:
            options = tuple(
                Option(o["key"], o["text"].strip(), {s: w for s, w in o.get("weights", {}).items() if w}) for o in raw["options"]
            )
        items.append(Item(raw["number"], raw["text"].strip(), options))
    scales = []
    for raw in data["scales"]:
        code = raw["code"]
        moving = [item for item in items if any(option.weights.get(code, 0) for option in item.options)]
        minimum = sum(min(option.weights.get(code, 0) for option in item.options) for item in moving)
        maximum = sum(max(option.weights.get(code, 0) for option in item.options) for item in moving)
        bands = tuple(Band(b["from"], b["to"], b["title"].strip(), b["text"].strip()) for b in raw["bands"])
        scales.append(
            Scale(code, raw["title"].strip(), (raw.get("short") or raw["title"]).strip(), raw["description"].strip(), bands, minimum,
                  maximum, tuple(item.number for item in moving))
        )  # fmt: skip
    low = data.get("low_confidence", {})
    about = data["about_results"]
    return Compiled(
        code=data["code"], version=data["version"], title=data["title"].strip(),
        short_title=(data.get("short_title") or data["title"]).strip(), audience=data["audience"], profile=data.get("profile", ""),
        ages=(data["ages"][0], data["ages"][1]), minutes=data["minutes"], description=data["description"].strip(),
        instructions=(data.get("instructions") or "").strip(), means=about["means"].strip(), does_not_mean=about["does_not_mean"].strip(),
        source=(data.get("source") or "").strip(), licence=(data.get("licence") or "").strip(),
        median_seconds=float(low.get("median_seconds", DEFAULT_MEDIAN_SECONDS)),
        same_answer_run=low.get("same_answer_run", DEFAULT_SAME_ANSWER_RUN), scales=tuple(scales), items=tuple(items),
    )  # fmt: skip


def checksum(data: dict) -> str:
    """The SHA-256 of the definition in a canonical form (key order and spacing do not change it)."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_COMPILED: dict[str, Compiled] = {}


def compile_definition(data: dict, digest: str | None = None) -> Compiled:
    """The compiled form of a valid definition, kept by its checksum (a published version never changes)."""
    digest = digest or checksum(data)
    found = _COMPILED.get(digest)
    if found is None:
        if len(_COMPILED) > 64:
            _COMPILED.clear()
        found = _COMPILED[digest] = _compile(data)
    return found


def compiled(version) -> Compiled:
    """The compiled form of an InstrumentVersion."""
    return compile_definition(version.definition, version.checksum)
