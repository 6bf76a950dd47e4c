"""The invented demo region of РСО-Алания, for `manage.py seed_demo` and the benchmarks.

Real places and real public institutions (the ministry, ЦОПП, colleges, universities) appear by name;
schools are numbered plausibly; employers and every person are invented. One seed always builds the same
region. People go in as plain rows with their ids given up front (core.bulk), a chunk of schools at a time, so
a million pupils fit in memory and the first `make run` takes seconds, not minutes.
"""

import functools
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import connection, transaction
from django.utils import timezone

from access.policy import PARENT, ROLE_LABELS, STUDENT
from core.bulk import PrimaryKeys, insert_model_rows
from core.formatting import thousands
from core.models import SearchableModel
from core.search import normalize_search_text
from demo.names import NameMaker, patronymic, surname_form
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear
from people.models import ClassAssignment, Enrollment, ParentLink, Person, Role, StaffMembership, Student

DEMO_SCALE = 48_000  # pupils of grades 6–11 in the republic, roughly (DOMAIN.md §5)
DEMO_SCHOOL_COUNT = 190
GRADES = range(6, 12)
LETTERS = "АБВ"
PUPILS_PER_CLASS = (20, 28)
MEAN_PUPILS_PER_CLASS = 24
MAX_CLASSES_PER_SCHOOL = len(GRADES) * len(LETTERS)
# Classes beyond one per grade go to grades 6–9 first: fewer pupils stay on for grades 10–11.
EXTRA_CLASS_GRADES = (6, 7, 8, 9, 6, 7, 8, 9, 10, 11, 10, 11)
PROFILES = ("технологический", "естественно-научный", "гуманитарный", "социально-экономический", "универсальный")
PRE_PROFILE_SHARE = 0.3
SIBLING_SHARE = 0.08
HISTORY_SHARE = 0.9  # pupils who were in the same school last year; the rest arrived this year
DISABILITY_SHARE = 0.03
FEMALE_STAFF_SHARE = 0.85
PARENT_KIND_WEIGHTS = {ParentLink.Kind.MOTHER: 62, ParentLink.Kind.FATHER: 33, ParentLink.Kind.GUARDIAN: 5}
SCHOOLS_PER_CHUNK = 100  # at most, so that a million pupils never sit in memory at once
PROGRESS_STEPS = 8  # progress lines while the pupils go in
BATCH_SIZE = 2000

DEMO_PASSWORD = "demo-profnav"
DEMO_EMAIL_DOMAIN = "demo.profnav.local"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # a Role value, or access.policy.PARENT / STUDENT
    sees: str

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def email(self) -> str:
        return f"{self.username}@{DEMO_EMAIL_DOMAIN}"


DEMO_LOGINS = (
    DemoLogin("minobr", Role.MINISTRY_ADMIN, "вся республика, справочники и учётные записи"),
    DemoLogin("analitik", Role.MINISTRY_ANALYST, "показатели всей республики"),
    DemoLogin("copp", Role.OPERATOR_STAFF, "вся республика: мероприятия, партнёры, отчёты"),
    DemoLogin("mun", Role.MUNICIPAL_COORDINATOR, "школы и обучающиеся г. Владикавказа"),
    DemoLogin("koordinator", Role.SCHOOL_COORDINATOR, "своя школа целиком"),
    DemoLogin("navigator", Role.TEACHER_NAVIGATOR, "свои классы этой школы: 8 «А» и 9 «А»"),
    DemoLogin("klruk", Role.CLASS_TEACHER, "свой класс этой школы: 8 «А»"),
    DemoLogin("psiholog", Role.PSYCHOLOGIST, "обучающиеся этой школы"),
    DemoLogin("partner", Role.PARTNER_REPRESENTATIVE, "своя организация-работодатель"),
    DemoLogin("expert", Role.JURY_EXPERT, "работы на оценку, без персональных данных"),
    DemoLogin("roditel", PARENT, "двое своих детей из этой школы"),
    DemoLogin("uchenik", STUDENT, "только себя (8 «А» этой школы)"),
)


@dataclass(frozen=True)
class MunicipalitySpec:
    name: str
    kind: str
    code: str
    department: str
    school_share: float
    town: str = ""  # where schools are numbered
    town_genitive: str = ""
    villages: tuple[str, ...] = ()

    @property
    def address(self) -> str:
        return f"РСО-Алания, {self.name}"

    @property
    def town_address(self) -> str:
        return self.address if self.kind == Municipality.Kind.CITY else f"{self.address}, {self.town}"


_CITY, _DISTRICT = Municipality.Kind.CITY, Municipality.Kind.DISTRICT
MUNICIPALITIES = (
    MunicipalitySpec(
        "г. Владикавказ", _CITY, "vladikavkaz", "Управление образования АМС г. Владикавказа", 0.45,
        "г. Владикавказ", "г. Владикавказа",
    ),
    MunicipalitySpec(
        "Алагирский район", _DISTRICT, "alagir", "Управление образования Алагирского района", 0.065,
        "г. Алагир", "г. Алагира",
        ("с. Суадаг", "с. Црау", "с. Бирагзанг", "пос. Мизур", "с. Ногкау", "с. Хаталдон", "с. Майрамадаг"),
    ),
    MunicipalitySpec(
        "Ардонский район", _DISTRICT, "ardon", "Управление образования Ардонского района", 0.04,
        "г. Ардон", "г. Ардона", ("с. Кадгарон", "с. Фиагдон", "с. Мичурино", "с. Нарт", "с. Красногор"),
    ),
    MunicipalitySpec(
        "Дигорский район", _DISTRICT, "digora", "Управление образования Дигорского района", 0.03,
        "г. Дигора", "г. Дигоры", ("с. Карман-Синдзикау", "с. Дур-Дур", "ст. Николаевская", "с. Кора-Урсдон"),
    ),
    MunicipalitySpec(
        "Ирафский район", _DISTRICT, "iraf", "Управление образования Ирафского района", 0.04,
        villages=("с. Чикола", "с. Сурх-Дигора", "с. Ахсарисар", "с. Лескен", "с. Хазнидон", "с. Толдзгун",
                  "с. Стур-Дигора", "с. Новый Урух"),
    ),
    MunicipalitySpec(
        "Кировский район", _DISTRICT, "kirov", "Управление образования Кировского района", 0.045,
        villages=("с. Эльхотово", "ст. Змейская", "с. Дарг-Кох", "с. Карджин", "с. Комсомольское", "с. Иран"),
    ),
    MunicipalitySpec(
        "Моздокский район", _DISTRICT, "mozdok", "Управление образования Моздокского района", 0.13,
        "г. Моздок", "г. Моздока",
        ("ст. Луковская", "ст. Павлодольская", "ст. Черноярская", "ст. Терская", "ст. Галюгаевская",
         "с. Киевское", "с. Кизляр", "с. Троицкое", "пос. Притеречный", "с. Предгорное", "ст. Ново-Осетинская"),
    ),
    MunicipalitySpec(
        "Правобережный район", _DISTRICT, "pravoberezhny", "Управление образования Правобережного района", 0.08,
        "г. Беслан", "г. Беслана",
        ("с. Ольгинское", "с. Заманкул", "с. Хумалаг", "с. Брут", "с. Зильги", "с. Батако", "с. Фарн"),
    ),
    MunicipalitySpec(
        "Пригородный район", _DISTRICT, "prigorodny", "Управление образования Пригородного района", 0.12,
        villages=("с. Октябрьское", "с. Гизель", "с. Михайловское", "ст. Архонская", "с. Чермен", "с. Ногир",
                  "с. Камбилеевское", "с. Тарское", "с. Сунжа", "с. Дачное", "с. Майское", "с. Кобань"),
    ),
)  # fmt: skip
TOWN_SCHOOL_SHARE = 0.35  # of a district's schools, those in its town

_K = Organization.Kind
MINISTRY = ("Министерство образования и науки Республики Северная Осетия-Алания", "Минобрнауки РСО-Алания")
REGIONAL_OPERATOR = ("Центр опережающей профессиональной подготовки РСО-Алания", "ЦОПП РСО-Алания")
# Real public institutions of the republic: (name, short name, kind, municipality code).
INSTITUTIONS = (
    ("Северо-Осетинский государственный университет имени Коста Левановича Хетагурова", "СОГУ им. К. Л. Хетагурова",
     _K.UNIVERSITY, "vladikavkaz"),
    ("Северо-Кавказский горно-металлургический институт (государственный технологический университет)",
     "СКГМИ (ГТУ)", _K.UNIVERSITY, "vladikavkaz"),
    ("Горский государственный аграрный университет", "Горский ГАУ", _K.UNIVERSITY, "vladikavkaz"),
    ("Северо-Осетинская государственная медицинская академия", "СОГМА", _K.UNIVERSITY, "vladikavkaz"),
    ("Владикавказский институт управления", "Владикавказский институт управления", _K.UNIVERSITY, "vladikavkaz"),
    ("Владикавказский торгово-экономический техникум", "Владикавказский торгово-экономический техникум",
     _K.COLLEGE, "vladikavkaz"),
    ("Северо-Осетинский медицинский колледж", "Северо-Осетинский медицинский колледж", _K.COLLEGE, "vladikavkaz"),
    ("Владикавказский колледж электроники", "Владикавказский колледж электроники", _K.COLLEGE, "vladikavkaz"),
    ("Моздокский механико-технологический техникум", "Моздокский механико-технологический техникум",
     _K.COLLEGE, "mozdok"),
    ("Владикавказский политехнический техникум", "Владикавказский политехнический техникум",
     _K.COLLEGE, "vladikavkaz"),
    ("Владикавказский многопрофильный техникум имени кавалера ордена Красной Звезды Георгия Калоева",
     "Владикавказский многопрофильный техникум им. Г. Калоева", _K.COLLEGE, "vladikavkaz"),
    ("Северо-Осетинский государственный педагогический колледж", "Северо-Осетинский педагогический колледж",
     _K.COLLEGE, "vladikavkaz"),
    ("Профессионально-педагогический колледж СОГУ", "Профессионально-педагогический колледж СОГУ",
     _K.COLLEGE, "vladikavkaz"),
    ("Детский технопарк «Кванториум»", "Кванториум", _K.ADDITIONAL_EDUCATION, "vladikavkaz"),
    ("Дворец детского творчества", "Дворец детского творчества", _K.ADDITIONAL_EDUCATION, "vladikavkaz"),
    ("Центр цифрового образования детей «IT-куб» г. Владикавказ", "IT-куб Владикавказ",
     _K.ADDITIONAL_EDUCATION, "vladikavkaz"),
)  # fmt: skip
# Invented employers: (legal form, name, municipality code).
EMPLOYERS = (
    ("ООО", "Аланияагропром", "prigorodny"), ("АО", "Иристон-Стройинвест", "vladikavkaz"),
    ("ООО", "Ардонский консервный цех", "ardon"), ("ООО", "Моздокское зерно", "mozdok"),
    ("ООО", "Дигорские сыры", "digora"), ("АО", "Казбек-Энергомонтаж", "vladikavkaz"),
    ("ООО", "Терек Логистик Юг", "pravoberezhny"), ("ООО", "Нартсофт", "vladikavkaz"),
    ("ООО", "Фиагдон-Аква", "alagir"), ("ООО", "Пекарня Три пирога", "vladikavkaz"),
    ("ООО", "Беслан-Агротех", "pravoberezhny"), ("ООО", "Кавказ-Медтехника", "vladikavkaz"),
    ("АО", "Ирафский гидромонтаж", "iraf"), ("ООО", "Моздокский мебельный двор", "mozdok"),
    ("ООО", "Гизельские зори", "prigorodny"), ("ООО", "Эльхотовский хлебный дом", "kirov"),
    ("ООО", "Ир-Телеком Сервис", "vladikavkaz"), ("ООО", "Алания-Гостиничный сервис", "vladikavkaz"),
    ("ООО", "Станкоремонтный цех Терек", "vladikavkaz"), ("ООО", "Цейские тропы", "alagir"),
)  # fmt: skip
LEGAL_FORMS = {"ООО": "Общество с ограниченной ответственностью", "АО": "Акционерное общество"}
SECONDARY_SCHOOL = ("СОШ", "средняя общеобразовательная школа")  # (in the short name, in the full name)
# Town schools are sometimes gymnasiums and lyceums: {kind: weight}.
TOWN_SCHOOL_KINDS = {SECONDARY_SCHOOL: 88, ("гимназия", "гимназия"): 7, ("лицей", "лицей"): 5}
SCHOOL_LEGAL_FORM = ("МБОУ", "Муниципальное бюджетное общеобразовательное учреждение")


def current_school_year_start(today: date) -> int:
    """The year the current school year began: a new one counts from 1 August, when schools plan it."""
    return today.year if today >= date(today.year, 8, 1) else today.year - 1


def build_demo_region(*, seed: int, scale: int, stdout=None) -> dict[str, int]:
    """Build the demo region for about `scale` pupils of grades 6–11 in one transaction; return the counts.

    `stdout` gets progress lines in Russian (anything with write()); the database should hold no region yet.
    """
    started = time.perf_counter()
    builder = _RegionBuilder(seed=seed, scale=scale, stdout=stdout)
    # Every reference is made by the builder: checking each on insert (SQLite, where a connection outside a
    # transaction may switch the checks off) costs more than the insert; the tests build under the checks.
    with connection.constraint_checks_disabled(), transaction.atomic():
        builder.build()
    builder.say(f"Демо-регион построен за {time.perf_counter() - started:.1f} с".replace(".", ","))
    return dict(builder.counts)


@dataclass
class _SchoolPlan:
    organization: Organization
    in_village: bool
    weight: float  # relative size among the schools of the region
    class_count: int = 0


@dataclass
class _Family:
    surname: str  # male form
    father_name: str  # gives the children their patronymic
    parent_id: int
    kind: str


PERSON_FIELDS = ("id", "last_name", "first_name", "middle_name", "birth_date", "search_text")
STUDENT_FIELDS = ("id", "person_id", "current_school_id", "current_class_id", "has_disabilities", "search_text")
ENROLLMENT_FIELDS = ("student_id", "school_class_id", "started_on", "ended_on")
PARENT_LINK_FIELDS = ("parent_id", "student_id", "kind")
MEMBERSHIP_FIELDS = ("person_id", "organization_id", "role")
ASSIGNMENT_FIELDS = ("school_class_id", "person_id", "kind")


@dataclass
class _Rows:
    """Rows as plain tuples (ids given up front), inserted in the order their foreign keys need. Half a million
    model instances would cost more than the inserts themselves."""

    persons: list[tuple] = field(default_factory=list)
    students: list[tuple] = field(default_factory=list)
    enrollments: list[tuple] = field(default_factory=list)
    parent_links: list[tuple] = field(default_factory=list)
    memberships: list[tuple] = field(default_factory=list)
    assignments: list[tuple] = field(default_factory=list)

    def insert(self) -> None:
        insert_model_rows(Person, PERSON_FIELDS, self.persons)
        insert_model_rows(Student, STUDENT_FIELDS, self.students)
        insert_model_rows(Enrollment, ENROLLMENT_FIELDS, self.enrollments)
        insert_model_rows(ParentLink, PARENT_LINK_FIELDS, self.parent_links)
        insert_model_rows(StaffMembership, MEMBERSHIP_FIELDS, self.memberships)
        insert_model_rows(ClassAssignment, ASSIGNMENT_FIELDS, self.assignments)


def _bulk_insert(model, objects: list) -> None:
    """Model instances through bulk_create: the few hundred rows (organisations, classes) that later steps use
    as objects."""
    if issubclass(model, SearchableModel):
        for obj in objects:
            obj.search_text = obj.build_search_text()  # bulk_create skips save(), which fills it
    model.objects.bulk_create(objects, batch_size=BATCH_SIZE)


def _search_text(*parts: str) -> str:
    """normalize_search_text of a name, folding each word once: names repeat a great deal across fifty thousand
    people, their combinations much less."""
    words = [_folded(part) for part in parts if part]
    return f" {' '.join(words)} " if words else ""


@functools.cache
def _folded(part: str) -> str:
    return normalize_search_text(part).strip()


@functools.cache
def demo_password_hash() -> str:
    """The demo logins' password hashed once with the production hasher (PBKDF2), whatever this process's
    settings prefer: a database built under the tests' fast hasher (the bench) still signs in on a
    production-configured server. The password is public, so every demo login shares the one hash."""
    return make_password(DEMO_PASSWORD, hasher=PBKDF2PasswordHasher())


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split a whole number in proportion to the weights, by largest remainder."""
    weight_sum = sum(weights)
    exact = [total * weight / weight_sum for weight in weights]
    parts = [int(share) for share in exact]
    by_remainder = sorted(range(len(weights)), key=lambda index: exact[index] - parts[index], reverse=True)
    for index in by_remainder[: total - sum(parts)]:
        parts[index] += 1
    return parts


def _letters_per_grade(class_count: int) -> dict[int, int]:
    letters = dict.fromkeys(GRADES, 1)
    for grade in EXTRA_CLASS_GRADES[: class_count - len(GRADES)]:
        letters[grade] += 1
    return letters


class _RegionBuilder:
    def __init__(self, *, seed: int, scale: int, stdout):
        self.rng = random.Random(seed)
        self.names = NameMaker(self.rng)
        self.scale = scale
        self.stdout = stdout
        self.counts: Counter[str] = Counter()
        self.ids = PrimaryKeys()

    def say(self, line: str) -> None:
        if self.stdout is not None:
            self.stdout.write(line + "\n")
            self.stdout.flush()  # a line as soon as it is true, even when the output is a pipe

    def build(self) -> None:
        self.current_year, self.previous_year = self._school_years()
        municipalities = self._municipalities()
        ministry, operator, departments = self._governing_bodies(municipalities)
        plans = self._plan_schools(municipalities)
        employers = self._institutions_and_employers(municipalities)
        self.say(f"Организации: {thousands(self.counts['organizations'])}, из них школы: {thousands(len(plans))}")

        rows = _Rows()
        self._staff(rows, ministry, Role.MINISTRY_ADMIN)
        self._staff(rows, ministry, Role.MINISTRY_ANALYST, count=2)
        self._staff(rows, operator, Role.OPERATOR_STAFF, count=3)
        self._staff(rows, operator, Role.JURY_EXPERT, count=4)
        for department in departments.values():
            self._staff(rows, department, Role.MUNICIPAL_COORDINATOR)
        for employer in employers:
            self._staff(rows, employer, Role.PARTNER_REPRESENTATIVE)
        rows.insert()

        city = municipalities["vladikavkaz"]
        city_schools = [plan.organization for plan in plans if plan.organization.municipality == city]
        demo_school = min(city_schools, key=lambda school: school.pk)
        self._populate_schools(plans, demo_school=demo_school)
        self.ids.sync_sequences()
        self._create_demo_users(
            ministry=ministry, operator=operator, city_department=departments["vladikavkaz"],
            demo_school=demo_school, employer=employers[0],
        )  # fmt: skip
        for label, key in (
            ("Классы", "classes"), ("Обучающиеся", "students"), ("Родители", "parents"),
            ("Педагоги и сотрудники", "staff"), ("Демо-входы", "demo_users"),
        ):  # fmt: skip
            self.say(f"{label}: {thousands(self.counts[key])}")

    # --- the network ------------------------------------------------------------------------------

    def _school_years(self) -> tuple[SchoolYear, SchoolYear]:
        start = current_school_year_start(timezone.localdate())
        SchoolYear.objects.filter(is_current=True).exclude(starts_on__year=start).update(is_current=False)
        years = []
        for year, is_current in ((start, True), (start - 1, False)):
            school_year, _ = SchoolYear.objects.update_or_create(
                title=f"{year}/{year + 1}",
                defaults={"starts_on": date(year, 9, 1), "ends_on": date(year + 1, 5, 31), "is_current": is_current},
            )
            years.append(school_year)
        return years[0], years[1]

    def _municipalities(self) -> dict[str, Municipality]:
        municipalities = [Municipality(name=spec.name, kind=spec.kind, code=spec.code) for spec in MUNICIPALITIES]
        _bulk_insert(Municipality, municipalities)
        self.counts["municipalities"] = len(municipalities)
        self.say(f"Муниципалитеты: {len(municipalities)}")
        return {municipality.code: municipality for municipality in municipalities}

    def _organizations(self, organizations: list[Organization]) -> None:
        _bulk_insert(Organization, organizations)
        self.counts["organizations"] += len(organizations)

    def _governing_bodies(self, municipalities: dict[str, Municipality]) -> tuple[Organization, Organization, dict[str, Organization]]:
        capital = "РСО-Алания, г. Владикавказ"
        ministry = Organization(name=MINISTRY[0], short_name=MINISTRY[1], kind=_K.MINISTRY, address=capital)
        operator = Organization(name=REGIONAL_OPERATOR[0], short_name=REGIONAL_OPERATOR[1], kind=_K.REGIONAL_OPERATOR, address=capital)
        departments = {
            spec.code: Organization(
                name=spec.department, short_name=spec.department.replace("Управление образования", "УО"),
                kind=_K.MUNICIPAL_DEPARTMENT, municipality=municipalities[spec.code], address=spec.address,
            )
            for spec in MUNICIPALITIES
        }  # fmt: skip
        self._organizations([ministry, operator, *departments.values()])
        return ministry, operator, departments

    def _plan_schools(self, municipalities: dict[str, Municipality]) -> list[_SchoolPlan]:
        """Schools of every municipality, with their number of classes; scale beyond the real region adds
        synthetic schools in the same proportions."""
        class_total = max(len(GRADES), round(self.scale / MEAN_PUPILS_PER_CLASS))
        wanted_schools = round(DEMO_SCHOOL_COUNT * self.scale / DEMO_SCALE)
        school_total = max(1, min(wanted_schools, class_total // len(GRADES)))
        per_municipality = _apportion(school_total, [spec.school_share for spec in MUNICIPALITIES])

        plans: list[_SchoolPlan] = []
        for spec, school_count in zip(MUNICIPALITIES, per_municipality):
            municipality = municipalities[spec.code]
            for short_name, name, address, in_village in self._school_names(spec, school_count):
                organization = Organization(name=name, short_name=short_name, kind=_K.SCHOOL, municipality=municipality, address=address)
                if in_village:
                    weight = self.rng.uniform(0.45, 1.0)
                elif spec.kind == _CITY:
                    weight = self.rng.uniform(1.3, 2.2)
                else:
                    weight = self.rng.uniform(0.9, 1.6)
                plans.append(_SchoolPlan(organization, in_village, weight))

        extra_classes = _apportion(class_total - len(GRADES) * len(plans), [plan.weight for plan in plans])
        for plan, extra in zip(plans, extra_classes):
            plan.class_count = min(len(GRADES) + extra, MAX_CLASSES_PER_SCHOOL)
        self._organizations([plan.organization for plan in plans])
        self.counts["schools"] = len(plans)
        return plans

    def _school_names(self, spec: MunicipalitySpec, count: int):
        """(short name, full name, address, in a village) for each school of a municipality."""
        if spec.kind == _CITY:
            town_count = count
        elif spec.town:
            town_count = min(count, max(1, round(count * TOWN_SCHOOL_SHARE)))
        else:
            town_count = 0
        legal_short, legal_full = SCHOOL_LEGAL_FORM
        for number in range(1, town_count + 1):
            kind_short, kind_full = self.rng.choices(list(TOWN_SCHOOL_KINDS), weights=list(TOWN_SCHOOL_KINDS.values()))[0]
            yield (
                f"{legal_short} {kind_short} № {number} {spec.town_genitive}",
                f"{legal_full} {kind_full} № {number} {spec.town_genitive}",
                spec.town_address,
                False,
            )
        kind_short, kind_full = SECONDARY_SCHOOL
        schools_in_village: Counter[str] = Counter()
        for index in range(count - town_count):
            village = spec.villages[index % len(spec.villages)]
            schools_in_village[village] += 1
            number = f"№ {schools_in_village[village]} " if schools_in_village[village] > 1 else ""
            yield (
                f"{legal_short} {kind_short} {number}{village}",
                f"{legal_full} {kind_full} {number}{village}",
                f"{spec.address}, {village}",
                True,
            )

    def _institutions_and_employers(self, municipalities: dict[str, Municipality]) -> list[Organization]:
        institutions = [
            Organization(
                name=name, short_name=short_name, kind=kind, municipality=municipalities[code],
                address=f"РСО-Алания, {municipalities[code].name}",
            )
            for name, short_name, kind, code in INSTITUTIONS
        ]  # fmt: skip
        employers = [
            Organization(
                name=f"{LEGAL_FORMS[form]} «{title}»", short_name=f"{form} «{title}»", kind=_K.EMPLOYER,
                municipality=municipalities[code], address=f"РСО-Алания, {municipalities[code].name}",
            )
            for form, title, code in EMPLOYERS
        ]  # fmt: skip
        self._organizations(institutions + employers)
        return employers

    # --- people -----------------------------------------------------------------------------------

    def _person(self, rows: _Rows, last_name: str, first_name: str, middle_name: str, birth_date: date | None = None) -> int:
        pk = self.ids.take(Person)
        rows.persons.append((pk, last_name, first_name, middle_name, birth_date, _search_text(last_name, first_name, middle_name)))
        return pk

    def _adult(self, rows: _Rows, *, female: bool) -> int:
        return self._person(rows, *self.names.full_name(female=female))

    def _staff(self, rows: _Rows, organization: Organization, role: str, *, count: int = 1) -> list[int]:
        people = [self._adult(rows, female=self.rng.random() < FEMALE_STAFF_SHARE) for _ in range(count)]
        rows.memberships.extend((person_id, organization.pk, role) for person_id in people)
        self.counts["staff"] += count
        return people

    def _populate_schools(self, plans: list[_SchoolPlan], *, demo_school: Organization) -> None:
        expected = thousands(round(sum(plan.class_count for plan in plans) * MEAN_PUPILS_PER_CLASS, -3) or self.scale)
        # About eight progress lines whatever the scale, and never too many pupils in memory at once.
        per_chunk = max(1, min(SCHOOLS_PER_CHUNK, -(-len(plans) // PROGRESS_STEPS)))
        for start in range(0, len(plans), per_chunk):
            chunk = plans[start : start + per_chunk]
            class_pairs = [self._plan_classes(plan) for plan in chunk]
            _bulk_insert(SchoolClass, [school_class for pairs in class_pairs for pair in pairs for school_class in pair])
            rows = _Rows()
            for plan, pairs in zip(chunk, class_pairs):
                is_demo_school = plan.organization is demo_school
                self._add_pupils(rows, plan.organization, pairs, is_demo_school=is_demo_school)
                classes = [current for current, _ in pairs]
                self._add_school_staff(rows, plan.organization, classes, is_demo_school=is_demo_school)
                self.counts["classes"] += len(pairs)
            rows.insert()
            self.counts["students"] += len(rows.students)
            self.counts["enrollments"] += len(rows.enrollments)
            self.say(f"Обучающиеся: {thousands(self.counts['students'])} из примерно {expected}")

    def _plan_classes(self, plan: _SchoolPlan) -> list[tuple[SchoolClass, SchoolClass]]:
        """This year's classes, each with last year's class of the same pupils one grade lower."""
        profile_share = 0.35 if plan.in_village else 0.6
        pairs = []
        for grade, letter_count in _letters_per_grade(plan.class_count).items():
            for letter in LETTERS[:letter_count]:
                kind, profile = SchoolClass.Kind.GENERAL, ""
                if grade >= 10 and self.rng.random() < profile_share:
                    kind, profile = SchoolClass.Kind.PROFILE, self.rng.choice(PROFILES)
                elif grade in (8, 9) and self.rng.random() < PRE_PROFILE_SHARE:
                    kind = SchoolClass.Kind.PRE_PROFILE
                current = SchoolClass(
                    school=plan.organization, school_year=self.current_year, grade=grade, letter=letter,
                    kind=kind, profile=profile,
                )  # fmt: skip
                # A profile chosen for grade 10 carries on into grade 11.
                previous_kind, previous_profile = (kind, profile) if grade == 11 else (SchoolClass.Kind.GENERAL, "")
                previous = SchoolClass(
                    school=plan.organization, school_year=self.previous_year, grade=grade - 1, letter=letter,
                    kind=previous_kind, profile=previous_profile,
                )  # fmt: skip
                pairs.append((current, previous))
        return pairs

    def _new_family(self, rows: _Rows) -> _Family:
        surname, father_name = self.names.surname(), self.names.male_name()
        kind = self.rng.choices(list(PARENT_KIND_WEIGHTS), weights=list(PARENT_KIND_WEIGHTS.values()))[0]
        if kind == ParentLink.Kind.FATHER:
            parent = self._person(rows, surname, father_name, patronymic(self.names.male_name(), female=False))
        elif kind == ParentLink.Kind.MOTHER:
            parent = self._person(
                rows, surname_form(surname, female=True), self.names.first_name(female=True),
                patronymic(self.names.male_name(), female=True),
            )  # fmt: skip
        else:  # a guardian, often a grandmother, with a surname of her own
            parent = self._adult(rows, female=self.rng.random() < 0.7)
        self.counts["parents"] += 1
        return _Family(surname, father_name, parent, kind)

    def _add_pupils(
        self, rows: _Rows, school: Organization, class_pairs: list[tuple[SchoolClass, SchoolClass]], *, is_demo_school: bool
    ) -> None:
        current_start, previous_start, previous_end = self.current_year.starts_on, self.previous_year.starts_on, self.previous_year.ends_on
        families: list[_Family] = []
        demo_family = None
        for school_class, previous_class in class_pairs:
            birth_year = current_start.year - school_class.grade - 6
            for seat in range(self.rng.randint(*PUPILS_PER_CLASS)):
                if demo_family and seat == 0 and (school_class.grade, school_class.letter) == (8, "А"):
                    # `roditel` has exactly two children in the demo school: the first pupils of 6 «А» and 8 «А».
                    family = demo_family
                elif families and self.rng.random() < SIBLING_SHARE:
                    family = self.rng.choice(families)
                else:
                    family = self._new_family(rows)
                    if is_demo_school and demo_family is None:
                        demo_family = family
                    else:
                        families.append(family)
                female = self.rng.random() < 0.5
                names = (surname_form(family.surname, female=female), self.names.first_name(female=female),
                         patronymic(family.father_name, female=female))  # fmt: skip
                person_id = self._person(rows, *names, date(birth_year, 1, 1) + timedelta(days=self.rng.randrange(365)))
                student_id = self.ids.take(Student)
                # The student row keeps a copy of its person's search text (people.models.Student).
                has_disabilities = self.rng.random() < DISABILITY_SHARE
                rows.students.append((student_id, person_id, school.pk, school_class.pk, has_disabilities, _search_text(*names)))
                rows.enrollments.append((student_id, school_class.pk, current_start, None))
                if self.rng.random() < HISTORY_SHARE:
                    rows.enrollments.append((student_id, previous_class.pk, previous_start, previous_end))
                rows.parent_links.append((family.parent_id, student_id, family.kind))

    def _add_school_staff(self, rows: _Rows, school: Organization, classes: list[SchoolClass], *, is_demo_school: bool) -> None:
        self._staff(rows, school, Role.SCHOOL_COORDINATOR)
        self._staff(rows, school, Role.PSYCHOLOGIST)
        for school_class in classes:
            [teacher] = self._staff(rows, school, Role.CLASS_TEACHER)
            rows.assignments.append((school_class.pk, teacher, ClassAssignment.Kind.CLASS_TEACHER))
        for group in self._navigator_groups(classes, is_demo_school=is_demo_school):
            [navigator] = self._staff(rows, school, Role.TEACHER_NAVIGATOR)
            rows.assignments.extend((school_class.pk, navigator, ClassAssignment.Kind.NAVIGATOR) for school_class in group)

    def _navigator_groups(self, classes: list[SchoolClass], *, is_demo_school: bool) -> list[list[SchoolClass]]:
        """Consecutive classes, two to four for each teacher-navigator."""
        groups: list[list[SchoolClass]] = []
        remaining = classes
        if is_demo_school:
            # `navigator` accompanies exactly 8 «А» and 9 «А» of the demo school.
            is_demo_pair = [school_class.letter == "А" and school_class.grade in (8, 9) for school_class in classes]
            groups.append([school_class for school_class, in_pair in zip(classes, is_demo_pair) if in_pair])
            remaining = [school_class for school_class, in_pair in zip(classes, is_demo_pair) if not in_pair]
        while remaining:
            size = min(self.rng.randint(2, 4), len(remaining))
            if len(remaining) - size == 1:  # never leave the last navigator a single class
                size = size + 1 if size < 4 else size - 1
            groups.append(remaining[:size])
            remaining = remaining[size:]
        return groups

    # --- demo logins ------------------------------------------------------------------------------

    def _create_demo_users(self, *, ministry, operator, city_department, demo_school, employer) -> None:
        class_8a = SchoolClass.objects.get(school=demo_school, school_year=self.current_year, grade=8, letter="А")
        pupil = Student.objects.filter(current_class=class_8a).select_related("person").order_by("pk").first()

        def member(organization: Organization, role: str) -> Person:
            members = Person.objects.filter(memberships__organization=organization, memberships__role=role)
            return members.order_by("pk").first()

        def assigned(kind: str) -> Person:
            return ClassAssignment.objects.select_related("person").get(school_class=class_8a, kind=kind).person

        persons = {
            "minobr": member(ministry, Role.MINISTRY_ADMIN),
            "analitik": member(ministry, Role.MINISTRY_ANALYST),
            "copp": member(operator, Role.OPERATOR_STAFF),
            "mun": member(city_department, Role.MUNICIPAL_COORDINATOR),
            "koordinator": member(demo_school, Role.SCHOOL_COORDINATOR),
            "navigator": assigned(ClassAssignment.Kind.NAVIGATOR),
            "klruk": assigned(ClassAssignment.Kind.CLASS_TEACHER),
            "psiholog": member(demo_school, Role.PSYCHOLOGIST),
            "partner": member(employer, Role.PARTNER_REPRESENTATIVE),
            "expert": member(operator, Role.JURY_EXPERT),
            "roditel": pupil.parent_links.select_related("parent").get().parent,
            "uchenik": pupil.person,
        }
        password_hash = demo_password_hash()
        user_model = get_user_model()
        for login in DEMO_LOGINS:
            person = persons[login.username]
            person.user = user_model.objects.create(
                username=login.username, email=login.email, password=password_hash, is_demo=True,
                first_name=person.first_name, last_name=person.last_name,
            )  # fmt: skip
            person.save(update_fields=["user"])
        self.counts["demo_users"] = len(DEMO_LOGINS)


def refresh_planner_statistics() -> None:
    """ANALYZE after a bulk build. PostgreSQL's autovacuum gathers statistics some time after a bulk load; SQLite
    never does on its own, and without them it chose, for the student's home, the index on `respondent IS NULL`
    (every answer of the region) over the student's own — 9 ms instead of 0.1."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
