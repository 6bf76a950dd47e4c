"""Staff of a school with their roles: the coordinator, teacher-navigators, class teachers, psychologists, and the
classes a class teacher or a navigator accompanies. Only the roles the uploader may grant in that school
(access.policy.may_grant) are given; each grant and each new account is written to the audit log. A re-import
finds a person by e-mail, or by ФИО among the school's staff: the same file twice changes nothing.

New staff get an account without a usable password, to be set through «Забыли пароль?» with their e-mail."""

import re

from access.models import AccessChange
from access.policy import may_grant
from access.services import access_change_log
from accounts.models import User
from imports.accounts import login_for, unusable_password
from imports.framework import Column, Context, Importer, Row, missing_column
from imports.importers.common import SCHOOL, has_names, name_columns, take_names, take_school
from imports.values import Problem, class_value, email_value, name_key, phone_value, text
from orgs.models import SchoolClass
from people.models import ClassAssignment, Person, Role, StaffMembership

NAMES = name_columns(who="сотрудника", aliases_for=("сотрудника", "педагога", "работника"))
ROLE = Column(
    "role", "Роль", ("Должность в профминимуме", "Роль в платформе"), required=True, example="классный руководитель",
    help="«школьный координатор», «педагог-навигатор», «классный руководитель» или «педагог-психолог».",
)  # fmt: skip
CLASSES = Column(
    "classes",
    "Классы",
    ("Классное руководство", "Класс"),
    example="7Б, 8А",
    help="Для классного руководителя и навигатора: классы через запятую.",
)
EMAIL = Column("email", "E-mail", ("Электронная почта", "Email", "Почта"), example="ivanova@school1.ru")
PHONE = Column("phone", "Телефон", ("Телефон сотрудника", "Мобильный телефон"), example="")
ROLES = {
    "школьный координатор": Role.SCHOOL_COORDINATOR, "координатор": Role.SCHOOL_COORDINATOR,
    "школьный координатор профминимума": Role.SCHOOL_COORDINATOR, "педагог-навигатор": Role.TEACHER_NAVIGATOR,
    "педагог навигатор": Role.TEACHER_NAVIGATOR, "навигатор": Role.TEACHER_NAVIGATOR, "классный руководитель": Role.CLASS_TEACHER,
    "классный рук": Role.CLASS_TEACHER, "кл рук": Role.CLASS_TEACHER, "педагог-психолог": Role.PSYCHOLOGIST,
    "педагог психолог": Role.PSYCHOLOGIST, "психолог": Role.PSYCHOLOGIST,
}  # fmt: skip
ROLE_KEYS = {name_key(spelling): role for spelling, role in ROLES.items()}
WITH_CLASSES = {Role.CLASS_TEACHER: ClassAssignment.Kind.CLASS_TEACHER, Role.TEACHER_NAVIGATOR: ClassAssignment.Kind.NAVIGATOR}


def role_value(value) -> str:
    written = text(value, max_length=100)
    if not written:
        raise Problem("не указана роль")
    role = ROLE_KEYS.get(name_key(written))
    if role is None:
        raise Problem(
            f"«{written}» — не роль: ожидается «школьный координатор», «педагог-навигатор», «классный руководитель» или «педагог-психолог»"
        )
    return role


def classes_value(value) -> list[tuple[int, str]]:
    written = text(value, max_length=200)
    return [class_value(part) for part in re.split(r"[,;]", written) if part.strip()]


class StaffImporter(Importer):
    kind = "staff"
    title = "Сотрудники и их роли"
    description = (
        "Педагоги школы с ролями в профминимуме и классами, которые они ведут. Повторная загрузка находит человека по e-mail или ФИО."
    )
    template_name = "shablon-sotrudniki.xlsx"
    nouns = ("сотрудник", "сотрудника", "сотрудников")
    columns = (SCHOOL, *NAMES, ROLE, CLASSES, EMAIL, PHONE)
    template_columns = ("school", "full_name", "role", "classes", "email", "phone")

    def header_problems(self, found: set[str], ctx: Context) -> list[str]:
        problems = []
        if not has_names(found, tuple(c.key for c in NAMES)):
            problems.append("Нет столбца «ФИО» (или столбцов «Фамилия» и «Имя»).")
        if "role" not in found:
            problems.append(missing_column("Роль"))
        if ctx.school is None and "school" not in found:
            problems.append("Нет столбца «Школа»: выберите школу на странице загрузки или укажите школу в каждой строке.")
        return problems

    def parse(self, row: Row, ctx: Context) -> None:
        values = row.values
        values["school"] = take_school(row, ctx)
        values["names"] = take_names(row, ctx, tuple(c.key for c in NAMES))
        values["role"] = row.take(ctx, "role", role_value)
        values["classes"] = row.take(ctx, "classes", classes_value) if ctx.has_column("classes") else []
        values["email"] = row.take(ctx, "email", email_value) if ctx.has_column("email") else ""
        values["phone"] = row.take(ctx, "phone", phone_value) if ctx.has_column("phone") else ""
        if values["school"] is not None and values["role"] is not None and not may_grant(ctx.viewer, values["role"], values["school"]):
            row.problem(ctx, "role", f"вы не можете выдать роль «{Role(values['role']).label}» в этой школе")
        if values["classes"] and values["role"] not in WITH_CLASSES:
            row.problem(ctx, "classes", "классы указываются только классному руководителю и педагогу-навигатору")

    def freeze(self, values: dict) -> dict:
        school = values.get("school")
        return {**values, "school": school.pk if school is not None else None}

    def thaw(self, row: Row, ctx: Context) -> None:
        from imports.importers.students import IMPORTER as STUDENTS

        STUDENTS.thaw(row, ctx)

    def plan(self, rows: list[Row], ctx: Context) -> dict:
        good = [row for row in rows if row.ok]
        school_ids = {row.values["school"].pk for row in good}
        staff = (
            Person.objects.filter(memberships__organization_id__in=school_ids).select_related("user").distinct()
        )  # fmt: skip
        by_email = {p.email.lower(): p for p in staff if p.email}
        by_name: dict[tuple, list] = {}
        for person in staff:
            for school_id in person.memberships.filter(organization_id__in=school_ids).values_list("organization_id", flat=True):
                by_name.setdefault((school_id, name_key(person.last_name, person.first_name, person.middle_name)), []).append(person)
        classes = {(c.school_id, c.grade, c.letter): c for c in SchoolClass.objects.filter(school_id__in=school_ids, school_year=ctx.year)}
        ctx.cache["staff_classes"] = classes
        seen: dict[tuple, int] = {}
        counts = {"create": 0, "update": 0, "same": 0}
        for row in good:
            values, school = row.values, row.values["school"]
            key = (school.pk, name_key(*values["names"]), values["role"])
            if key in seen:
                row.problem(ctx, "role", f"повтор строки {seen[key]}: тот же человек с той же ролью")
                continue
            seen[key] = row.number
            missing = [f"{g}{le}" for g, le in values["classes"] if (school.pk, g, le) not in classes]
            if missing:
                row.problem(ctx, "classes", f"в школе нет классов {', '.join(missing)} этого учебного года: загрузите сначала классы")
                continue
            named = by_name.get((school.pk, name_key(*values["names"])), [])
            person = by_email.get(values["email"]) if values["email"] else None
            if person is None and len(named) == 1:
                person = named[0]
            row.match = person
            if person is None:
                row.action = "create"
            else:
                has_role = StaffMembership.objects.filter(person=person, organization=school, role=values["role"], is_active=True).exists()
                kind = WITH_CLASSES.get(values["role"])
                have = (
                    set(ClassAssignment.objects.filter(person=person, kind=kind).values_list("school_class_id", flat=True))
                    if kind
                    else set()
                )
                wanted = {classes[(school.pk, g, le)].pk for g, le in values["classes"]}
                row.changes = [what for what, same in (("роль", has_role), ("классы", wanted <= have)) if not same]
                row.action = "update" if row.changes else "same"
            counts[row.action] += 1
        return {**counts, "bad": sum(1 for row in rows if row.problems)}

    def apply(self, rows: list[Row], ctx: Context) -> dict:
        created = updated = accounts = 0
        classes = ctx.cache["staff_classes"]
        for row in rows:
            if row.action not in {"create", "update"}:
                continue
            values, school = row.values, row.values["school"]
            person = row.match
            if person is None:
                last, first, middle = values["names"]
                person = Person.objects.create(
                    last_name=last, first_name=first, middle_name=middle, email=values["email"], phone=values["phone"]
                )
                user = User.objects.create(
                    username=login_for(last, person.pk), first_name=first[:150], last_name=last[:150], email=values["email"],
                    password=unusable_password(), must_change_password=True,
                )  # fmt: skip
                person.user = user
                person.save(update_fields=["user"])
                access_change_log(
                    actor=ctx.user, action=AccessChange.Action.ACCOUNT_CREATED, ip_address=None, target_user=user, target_person=person,
                    description="Учётная запись создана загрузкой списка сотрудников",
                )  # fmt: skip
                accounts += 1
                created += 1
            else:
                updated += 1
            membership, made = StaffMembership.objects.get_or_create(person=person, organization=school, role=values["role"])
            if made or not membership.is_active:
                if not membership.is_active:
                    membership.is_active = True
                    membership.save(update_fields=["is_active"])
                access_change_log(
                    actor=ctx.user, action=AccessChange.Action.ROLE_GRANTED, ip_address=None, target_person=person,
                    description=f"Роль «{Role(values['role']).label}» в {school.short_name} (загрузка списка сотрудников)",
                )  # fmt: skip
            kind = WITH_CLASSES.get(values["role"])
            for grade, letter in values["classes"]:
                ClassAssignment.objects.get_or_create(school_class=classes[(school.pk, grade, letter)], person=person, kind=kind)
        return {"created": created, "updated": updated, "accounts": accounts}


IMPORTER = StaffImporter()
