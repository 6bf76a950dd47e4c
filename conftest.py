"""The test cast: a small region with one user per role in school A1, the same roles in school A2 (same
municipality) and in school B1 (another municipality). Tests name people, not ids."""

import datetime
from dataclasses import dataclass, field

import pytest

from accounts.models import User
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear
from people.models import ClassAssignment, Enrollment, ParentLink, Person, Role, StaffMembership, Student

PASSWORD = "Пароль-для-тестов-1"
SCHOOL_KEYS = ("a1", "a2", "b1")


@dataclass
class Cast:
    year: SchoolYear
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    orgs: dict[str, Organization] = field(default_factory=dict)
    classes: dict[str, SchoolClass] = field(default_factory=dict)
    students: dict[str, Student] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.users[name]


def _person(last: str, first: str, middle: str = "", **extra) -> Person:
    return Person.objects.create(last_name=last, first_name=first, middle_name=middle, **extra)


def _user_for(person: Person, username: str) -> User:
    user = User.objects.create_user(
        username=username, email=f"{username}@test.local", password=PASSWORD,
        first_name=person.first_name, last_name=person.last_name,
    )  # fmt: skip
    person.user = user
    person.save(update_fields=["user"])
    return user


def build_cast() -> Cast:
    today = datetime.date.today()
    start_year = today.year if today.month >= 8 else today.year - 1
    year = SchoolYear.objects.create(
        title=f"{start_year}/{start_year + 1}", starts_on=datetime.date(start_year, 9, 1),
        ends_on=datetime.date(start_year + 1, 5, 31), is_current=True,
    )  # fmt: skip
    cast = Cast(year=year)
    cast.municipalities["a"] = Municipality.objects.create(name="Город Альфа", kind="city", code="A")
    cast.municipalities["b"] = Municipality.objects.create(name="Бетинский район", kind="district", code="B")
    Kind = Organization.Kind
    org_specs = {
        "ministry": ("Министерство образования", Kind.MINISTRY, None),
        "copp": ("ЦОПП", Kind.REGIONAL_OPERATOR, None),
        "dept_a": ("Управление образования г. Альфа", Kind.MUNICIPAL_DEPARTMENT, "a"),
        "dept_b": ("Управление образования Бетинского района", Kind.MUNICIPAL_DEPARTMENT, "b"),
        "a1": ("Школа № 1 г. Альфа", Kind.SCHOOL, "a"),
        "a2": ("Школа № 2 г. Альфа", Kind.SCHOOL, "a"),
        "b1": ("Школа с. Бета", Kind.SCHOOL, "b"),
        "employer_a": ("ООО «Альфа-Агро»", Kind.EMPLOYER, "a"),
        "employer_b": ("ООО «Бета-Строй»", Kind.EMPLOYER, "b"),
        "college": ("Альфинский политехнический колледж", Kind.COLLEGE, "a"),
    }
    for key, (name, kind, muni) in org_specs.items():
        cast.orgs[key] = Organization.objects.create(
            name=name, short_name=name, kind=kind, municipality=cast.municipalities.get(muni) if muni else None
        )

    def staff(username: str, org_key: str, role: str, last: str, first: str) -> Person:
        person = _person(last, first, "Тестович")
        StaffMembership.objects.create(person=person, organization=cast.orgs[org_key], role=role)
        cast.users[username] = _user_for(person, username)
        return person

    staff("ministry_admin", "ministry", Role.MINISTRY_ADMIN, "Министров", "Мирон")
    staff("ministry_analyst", "ministry", Role.MINISTRY_ANALYST, "Аналитикова", "Анна")
    staff("operator", "copp", Role.OPERATOR_STAFF, "Операторов", "Олег")
    staff("jury", "copp", Role.JURY_EXPERT, "Экспертова", "Эльза")
    staff("municipal_a", "dept_a", Role.MUNICIPAL_COORDINATOR, "Муниципалов", "Марат")
    staff("municipal_b", "dept_b", Role.MUNICIPAL_COORDINATOR, "Районова", "Рита")
    staff("partner_a", "employer_a", Role.PARTNER_REPRESENTATIVE, "Партнёров", "Пётр")
    staff("partner_b", "employer_b", Role.PARTNER_REPRESENTATIVE, "Бетонов", "Борис")

    birth_year = {8: start_year - 14, 9: start_year - 15}
    for key in SCHOOL_KEYS:
        school = cast.orgs[key]
        for grade in (8, 9):
            school_class = SchoolClass.objects.create(school=school, school_year=year, grade=grade, letter="А")
            cast.classes[f"{key}_{grade}a"] = school_class
            for index in range(3):
                person = _person(
                    f"Ученик{key.upper()}{grade}",
                    ["Алан", "Дзерасса", "Тимур"][index],
                    birth_date=datetime.date(birth_year[grade], 3, index + 1),
                )
                student = Student.objects.create(person=person, current_school=school, current_class=school_class)
                Enrollment.objects.create(student=student, school_class=school_class, started_on=year.starts_on)
                cast.students[f"{key}_{grade}a_{index}"] = student
        staff(f"coordinator_{key}", key, Role.SCHOOL_COORDINATOR, "Координаторова", f"Кира{key}")
        staff(f"psychologist_{key}", key, Role.PSYCHOLOGIST, "Психологова", f"Полина{key}")
        class_teacher = staff(f"class_teacher_{key}", key, Role.CLASS_TEACHER, "Классная", f"Клара{key}")
        ClassAssignment.objects.create(school_class=cast.classes[f"{key}_8a"], person=class_teacher, kind="class_teacher")
        navigator = staff(f"navigator_{key}", key, Role.TEACHER_NAVIGATOR, "Навигаторов", f"Нодар{key}")
        ClassAssignment.objects.create(school_class=cast.classes[f"{key}_9a"], person=navigator, kind="navigator")

        parent = _person("Родителева", f"Роза{key}", "Ивановна")
        ParentLink.objects.create(parent=parent, student=cast.students[f"{key}_8a_0"], kind="mother")
        cast.users[f"parent_{key}"] = _user_for(parent, f"parent_{key}")
        cast.users[f"student_{key}"] = _user_for(cast.students[f"{key}_8a_1"].person, f"student_{key}")
    return cast


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()
