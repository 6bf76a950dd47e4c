"""The catalogue the platform ships (catalog/data/): the sectors of the course «Россия — мои горизонты», school
subjects, the ОКСО codes with how sure each is, and the professions described by the project; and the reference
data of the republic's institutions and their programmes (from the project's shared reference, each row with its
source and whether it is confirmed).

A data migration loads the catalogue into every database (`catalog_shipped_load` with the migration's historical
models); `catalog_shipped_ensure` puts it back where a database lost it (a test database emptied by a transactional
test) without touching what is there. The institutions and programmes are loaded by `catalog_reference_load`
(`manage.py catalog_reference_load`, and the demo): they name organisations of the network, which a deployment
imports first, so they match existing organisations by name and create only the missing ones."""

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from core.search import normalize_search_text

DATA = Path(__file__).resolve().parent / "data"
LETTERS = "RIASEC"
KLIMOV = ("nature", "technic", "human", "sign", "art")
OKSO = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOC = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
LEVELS = {"01": "spo_worker", "02": "spo_specialist", "03": "bachelor", "04": "master", "05": "specialist"}
FORMS = {"очная": "full_time", "очно-заочная": "part_time", "заочная": "extramural", "": ""}
PROJECT_SOURCE = "project"


def _csv(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@dataclass(frozen=True)
class ProfessionSpec:
    line: int
    code: str
    title: str
    main_sector: str
    sectors: tuple[str, ...]
    profile: dict[str, Decimal]
    klimov: str
    okso: tuple[str, ...]
    subjects: tuple[str, ...]
    onet: str
    summary: str
    paths_note: str

    @property
    def source_note(self) -> str:
        analogue = f"аналог O*NET-SOC {self.onet}" if self.onet else "прямого аналога в O*NET-SOC нет"
        return f"Оценка проекта по структуре профилей интересов O*NET (CC BY 4.0); {analogue}."


class ShippedDataError(ValueError):
    """A malformed line of a shipped file: the message names the file, the line and the field."""


def professions_read(*, sectors: set[str], subjects: set[str], specialities: set[str]) -> list[ProfessionSpec]:
    """Every profession of data/professions.txt, checked field by field against the sectors, subjects and ОКСО codes
    given; a malformed line raises ShippedDataError naming its place."""
    specs: list[ProfessionSpec] = []
    seen: set[str] = set()
    path = DATA / "professions.txt"
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        where = f"{path.name}, строка {number}"

        def fail(field: str, text: str, where=where) -> None:
            raise ShippedDataError(f"{where}, поле «{field}»: {text}")

        parts = [part.strip() for part in raw.split("|")]
        if len(parts) not in (10, 11):
            fail("строка", f"ожидалось 10 или 11 полей через «|», найдено {len(parts)}")
        code, title, main, others, profile, klimov, okso, subjects_raw, onet, summary = parts[:10]
        paths_note = parts[10] if len(parts) == 11 else ""
        if not CODE.match(code):
            fail("код", f"«{code}» — только латинские буквы, цифры и дефисы")
        if code in seen:
            fail("код", f"«{code}» уже встречался")
        seen.add(code)
        if not title:
            fail("название", "пусто")
        if main not in sectors:
            fail("основная отрасль", f"нет отрасли «{main}»")
        other = tuple(s for s in others.split(";") if s)
        for sector in other:
            if sector not in sectors:
                fail("другие отрасли", f"нет отрасли «{sector}»")
        values = profile.split()
        if len(values) != 6:
            fail("профиль", f"нужно шесть чисел R I A S E C, найдено {len(values)}")
        try:
            numbers = [Decimal(value) for value in values]
        except ArithmeticError:
            fail("профиль", f"«{profile}» — не числа")
        if any(not Decimal(1) <= value <= Decimal(7) for value in numbers):
            fail("профиль", "каждое значение — от 1 до 7")
        if klimov not in KLIMOV:
            fail("тип по Климову", f"«{klimov}» — один из {', '.join(KLIMOV)}")
        codes = tuple(c for c in okso.split(";") if c)
        for c in codes:
            if not OKSO.match(c) or c[3:5] not in LEVELS:
                fail("коды ОКСО", f"«{c}» — не код ОКСО")
            if c not in specialities:
                fail("коды ОКСО", f"кода «{c}» нет в specialities.csv")
        if not codes and not paths_note:
            fail("о путях обучения", "без кодов ОКСО опишите путь обучения словами")
        subject_codes = tuple(s for s in subjects_raw.split(";") if s)
        for s in subject_codes:
            if s not in subjects:
                fail("предметы", f"нет предмета «{s}»")
        if onet and not SOC.match(onet):
            fail("аналог O*NET-SOC", f"«{onet}» — код вида 15-1252.00")
        if len(summary) < 40:
            fail("чем занимается", "опишите работу хотя бы одним полным предложением")
        specs.append(
            ProfessionSpec(
                number, code, title, main, tuple(dict.fromkeys((main, *other))), dict(zip(LETTERS, numbers)), klimov, codes,
                subject_codes, onet, summary, paths_note,
            )
        )  # fmt: skip
    return specs


def holland_code(profile: dict) -> str:
    ranked = sorted(LETTERS, key=lambda letter: (-float(profile[letter]), LETTERS.index(letter)))
    return "".join(ranked[:3])


def _models(apps=None) -> dict:
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    names = ("Sector", "Subject", "Speciality", "Profession")
    return {name: apps.get_model("catalog", name) for name in names}


def catalog_shipped_load(*, apps=None) -> dict[str, int]:
    """Create what is missing of the shipped catalogue (sectors, subjects, ОКСО codes, professions with their links);
    what is there — an operator's edits included — stays as it is. Returns how many of each were created."""
    m = _models(apps)
    Sector, Subject, Speciality, Profession = m["Sector"], m["Subject"], m["Speciality"], m["Profession"]
    created = {"sectors": 0, "subjects": 0, "specialities": 0, "professions": 0}

    present = set(Sector.objects.values_list("code", flat=True))
    rows = [Sector(code=r["code"], title=r["title"], summary=r["summary"], position=n) for n, r in enumerate(_csv("sectors.csv"), 1)]
    Sector.objects.bulk_create([row for row in rows if row.code not in present])
    created["sectors"] = sum(1 for row in rows if row.code not in present)

    present = set(Subject.objects.values_list("code", flat=True))
    rows = [Subject(code=r["code"], title=r["title"], position=n) for n, r in enumerate(_csv("subjects.csv"), 1)]
    Subject.objects.bulk_create([row for row in rows if row.code not in present])
    created["subjects"] = sum(1 for row in rows if row.code not in present)

    present = set(Speciality.objects.values_list("code", flat=True))
    rows = []
    for r in _csv("specialities.csv"):
        if r["code"] in present:
            continue
        rows.append(
            Speciality(
                code=r["code"], title=r["title"], level=LEVELS[r["code"][3:5]], is_current=r["current"] == "да",
                is_confirmed=r["confirmed"] == "да", verification=r["verification"][:500],
                search_text=normalize_search_text(r["code"], r["title"]),
            )
        )  # fmt: skip
    Speciality.objects.bulk_create(rows)
    created["specialities"] = len(rows)

    sectors = dict(Sector.objects.values_list("code", "pk"))
    subjects = dict(Subject.objects.values_list("code", "pk"))
    specialities = dict(Speciality.objects.values_list("code", "pk"))
    specs = professions_read(sectors=set(sectors), subjects=set(subjects), specialities=set(specialities))
    present = set(Profession.objects.values_list("code", flat=True))
    new = [spec for spec in specs if spec.code not in present]
    Profession.objects.bulk_create(
        [
            Profession(
                code=spec.code, title=spec.title, summary=spec.summary, main_sector_id=sectors[spec.main_sector],
                r=spec.profile["R"], i=spec.profile["I"], a=spec.profile["A"], s=spec.profile["S"], e=spec.profile["E"],
                c=spec.profile["C"], holland_code=holland_code(spec.profile), profile_source=PROJECT_SOURCE,
                profile_source_note=spec.source_note, klimov=spec.klimov, paths_note=spec.paths_note,
                search_text=normalize_search_text(spec.title, spec.summary),
            )
            for spec in new
        ]
    )  # fmt: skip
    ids = dict(Profession.objects.filter(code__in=[spec.code for spec in new]).values_list("code", "pk"))
    Profession.sectors.through.objects.bulk_create(
        [Profession.sectors.through(profession_id=ids[spec.code], sector_id=sectors[code]) for spec in new for code in spec.sectors]
    )
    Profession.subjects.through.objects.bulk_create(
        [Profession.subjects.through(profession_id=ids[spec.code], subject_id=subjects[code]) for spec in new for code in spec.subjects]
    )
    Profession.specialities.through.objects.bulk_create(
        [
            Profession.specialities.through(profession_id=ids[spec.code], speciality_id=specialities[code])
            for spec in new
            for code in spec.okso
        ]
    )
    created["professions"] = len(new)
    return created


def catalog_shipped_ensure() -> bool:
    """Put the shipped catalogue back if it is missing (a database emptied by a transactional test); True if it was."""
    from catalog.models import Profession, Sector

    if Sector.objects.exists() and Profession.objects.exists():
        return False
    catalog_shipped_load()
    return True


# --- institutions and their programmes --------------------------------------------------------------------------


def _folded(text: str) -> str:
    return normalize_search_text(text)


def institution_find(names, *, kinds=None):
    """The organisation of the network named by any of `names` (its name or short name, case, «ё» and quotes
    folded), or None."""
    from orgs.models import Organization

    wanted = {_folded(name) for name in names if name}
    candidates = Organization.objects.all()
    if kinds:
        candidates = candidates.filter(kind__in=kinds)
    for organization in candidates.only("pk", "name", "short_name", "kind"):
        if _folded(organization.name) in wanted or _folded(organization.short_name) in wanted:
            return organization
    return None


def catalog_reference_load(*, by=None) -> dict[str, int]:
    """The republic's institutions (matched to the network's organisations by name, the missing ones created) and
    their programmes from data/institutions.csv and data/programmes.csv. A programme already in the catalogue (the
    same institution, code, profile and form) stays as an operator left it. Returns what was created."""
    from django.db import transaction

    from catalog.models import Programme, Speciality
    from orgs.models import Municipality, Organization

    catalog_shipped_ensure()
    created = {"institutions": 0, "programmes": 0}
    municipalities = {_folded(m.name): m for m in Municipality.objects.all()}
    institutions: dict[str, Organization] = {}
    with transaction.atomic():
        for row in _csv("institutions.csv"):
            names = [row["name"], row["short_name"], *[a for a in row["aliases"].split(";") if a]]
            organization = institution_find(names, kinds=[row["kind"]])
            if organization is None:
                organization = Organization.objects.create(
                    name=row["name"], short_name=row["short_name"] or row["name"], kind=row["kind"],
                    municipality=municipalities.get(_folded(row["municipality"])), website=row["website"],
                )  # fmt: skip
                created["institutions"] += 1
            institutions[row["key"]] = organization
        specialities = {s.code: s for s in Speciality.objects.all()}
        for row in _csv("programmes.csv"):
            speciality = specialities[row["code"]]
            form = FORMS[row["form"]]
            institution = institutions[row["institution"]]
            if Programme.objects.filter(institution=institution, speciality=speciality, profile="", form=form).exists():
                continue
            Programme.objects.create(
                institution=institution, speciality=speciality, title=row["title"], form=form, source=row["source"][:500],
                note=row["note"], is_confirmed=row["confirmed"] == "да",
            )  # fmt: skip
            created["programmes"] += 1
        if created["programmes"] or created["institutions"]:
            from catalog.models import CatalogueChange

            CatalogueChange.objects.create(
                by=by, what=f"Загружены справочные данные: программ — {created['programmes']}, организаций — {created['institutions']}"
            )
    return created
