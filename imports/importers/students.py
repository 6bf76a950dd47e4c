"""Students with their parents: the school's list as schools keep it (ФИО in one column or three, the class as
«7Б» or in two columns, dates as dates, text or Excel's numbers, one parent per row).

A re-import finds each student again by the school's own student number when the file has one, otherwise by
surname, name, patronymic and birth date within the school (issue 12, «Decisions»): the same file twice changes
nothing. New students get an account that waits for its first password (imports.accounts); new parents too."""

from collections import defaultdict
from dataclasses import replace

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from core.bulk import insert_model_rows, insert_rows
from core.formatting import count_text
from core.search import normalize_search_text
from imports.accounts import login_for, unusable_password
from imports.framework import Column, Context, Importer, Row, missing_column
from imports.ids import take_ids
from imports.importers.common import (
    CLASS,
    GRADE,
    LETTER,
    SCHOOL,
    class_label,
    has_class,
    has_names,
    name_columns,
    september_first,
    take_class,
    take_names,
    take_school,
)
from imports.models import StudentSchoolId
from imports.policy import import_schools
from imports.values import age_on, birth_date, choice, code_value, email_value, name_key, phone_value
from orgs.models import Organization, SchoolClass
from people.models import ParentLink, Person, Student
from people.services import student_enroll, student_transfer, students_enroll

CODE = Column(
    "code", "Номер в школе",
    ("Идентификатор", "ID", "Номер обучающегося", "Номер личного дела", "Личное дело", "Код обучающегося", "№ личного дела"),
    example="2024-017", help="Номер обучающегося в школе (личного дела, электронного журнала): по нему повторная загрузка находит ученика.",
)  # fmt: skip
BIRTH = Column(
    "birth_date", "Дата рождения", ("ДР", "Дата рожд", "Дата рождения обучающегося", "Дата рождения ученика", "Рождения дата"),
    required=True, example="05.03.2012", help="ДД.ММ.ГГГГ; подойдут и даты Excel.",
)  # fmt: skip
NAMES = name_columns(who="обучающегося", aliases_for=("обучающегося", "ученика", "ребенка"))
PARENT_NAMES = name_columns("parent", "Родитель: ", who="родителя", aliases_for=("родителя", "законного представителя", "представителя"))
PARENT_PHONE = Column(
    "parent_phone", "Родитель: телефон", ("Телефон родителя", "Телефон законного представителя", "Телефон"), example="+7 918 123-45-67"
)
PARENT_EMAIL = Column(
    "parent_email", "Родитель: e-mail", ("E-mail родителя", "Электронная почта родителя", "Почта родителя", "Email родителя"), example=""
)
PARENT_KIND = Column(
    "parent_kind", "Родитель: кем приходится", ("Кем приходится", "Степень родства", "Родство"), example="мать",
    help="«мать», «отец» или «законный представитель».",
)  # fmt: skip
KINDS = {
    "мать": ParentLink.Kind.MOTHER, "мама": ParentLink.Kind.MOTHER, "father": ParentLink.Kind.FATHER,
    "отец": ParentLink.Kind.FATHER, "папа": ParentLink.Kind.FATHER, "mother": ParentLink.Kind.MOTHER,
    "законный представитель": ParentLink.Kind.GUARDIAN, "опекун": ParentLink.Kind.GUARDIAN,
    "представитель": ParentLink.Kind.GUARDIAN, "попечитель": ParentLink.Kind.GUARDIAN,
}  # fmt: skip
# The ages a grade's students have on the first of September: a child goes to the first grade at 6 to 8.
YOUNGEST, OLDEST = 5, 9


def _key(names: tuple[str, str, str], born) -> str:
    return f"{name_key(*names)}|{born.isoformat() if born else ''}"


class StudentsImporter(Importer):
    kind = "students"
    title = "Обучающиеся и родители"
    description = (
        "Список обучающихся школы с классами и датами рождения; в той же строке — один из родителей. Повторная "
        "загрузка того же списка ничего не удваивает: ученики находятся по номеру в школе или по ФИО и дате рождения."
    )
    template_name = "shablon-obuchayushchiesya.xlsx"
    nouns = ("обучающийся", "обучающихся", "обучающихся")
    columns = (
        SCHOOL,
        CODE,
        replace(NAMES[0], example="Дзагоева Алина Таймуразовна"),
        NAMES[1],
        NAMES[2],
        NAMES[3],
        BIRTH,
        CLASS,
        GRADE,
        LETTER,
        replace(PARENT_NAMES[0], example="Дзагоева Фатима Казбековна"),
        PARENT_NAMES[1],
        PARENT_NAMES[2],
        PARENT_NAMES[3],
        PARENT_KIND,
        PARENT_PHONE,
        PARENT_EMAIL,
    )
    # The template shows one way of writing each thing: ФИО in one column, the class with its letter.
    template_columns = (
        "school",
        "code",
        "full_name",
        "birth_date",
        "class",
        "parent_full_name",
        "parent_kind",
        "parent_phone",
        "parent_email",
    )

    def header_problems(self, found: set[str], ctx: Context) -> list[str]:
        problems = []
        if not has_names(found, tuple(c.key for c in NAMES)):
            problems.append("Нет столбца «ФИО» (или столбцов «Фамилия» и «Имя»).")
        if "birth_date" not in found:
            problems.append(missing_column("Дата рождения"))
        if not has_class(found):
            problems.append("Нет столбца «Класс» (или столбцов «Параллель» и «Буква класса»).")
        if ctx.school is None and "school" not in found:
            problems.append("Нет столбца «Школа»: выберите школу на странице загрузки или укажите школу в каждой строке.")
        return problems

    # --- a row -------------------------------------------------------------------------------------------------------

    def parse(self, row: Row, ctx: Context) -> None:
        values = row.values
        values["school"] = take_school(row, ctx)
        values["code"] = row.take(ctx, "code", code_value) if ctx.has_column("code") else ""
        values["names"] = take_names(row, ctx, tuple(c.key for c in NAMES))
        born = row.take(ctx, "birth_date", birth_date, today=ctx.today)
        values["birth_date"] = born
        placed = take_class(row, ctx)
        values["class"] = placed
        if born is not None and placed is not None:
            age = age_on(born, september_first(ctx))
            grade = placed[0]
            if not grade + YOUNGEST <= age <= grade + OLDEST:
                row.problem(
                    ctx, "birth_date",
                    f"на 1 сентября обучающемуся {_years(age)}, а в {grade} классе учатся в {grade + YOUNGEST}–{grade + OLDEST} лет: "
                    "проверьте дату рождения и класс",
                )  # fmt: skip
        values["parent"] = self._parent(row, ctx)

    def _parent(self, row: Row, ctx: Context) -> dict | None:
        keys = tuple(c.key for c in PARENT_NAMES)
        present = [key for key in (*keys, "parent_phone", "parent_email", "parent_kind") if ctx.has_column(key) and row.has(key)]
        if not present:
            return None
        names = take_names(row, ctx, keys, required=True)
        if names is not None and not names[0]:
            names = None
        if names is None:
            if not row.problems or not any(p[0] in {ctx.headers.get(k) for k in keys} for p in row.problems):
                column = next((k for k in keys if ctx.has_column(k)), None)
                row.problem(ctx, column or present[0], "указаны данные родителя, но не его фамилия и имя")
            return None
        phone = row.take(ctx, "parent_phone", phone_value) if ctx.has_column("parent_phone") else ""
        email = row.take(ctx, "parent_email", email_value) if ctx.has_column("parent_email") else ""
        kind = (
            row.take(ctx, "parent_kind", choice, KINDS, what="кем приходится", labels=("мать", "отец", "законный представитель"),
                     default=ParentLink.Kind.GUARDIAN)
            if ctx.has_column("parent_kind") else ParentLink.Kind.GUARDIAN
        )  # fmt: skip
        return {"names": names, "phone": phone or "", "email": email or "", "kind": kind or ParentLink.Kind.GUARDIAN}

    def freeze(self, values: dict) -> dict:
        school = values.get("school")
        return {**values, "school": school.pk if school is not None else None}

    def thaw(self, row: Row, ctx: Context) -> None:
        """The school by its id among those the importer may load into now."""
        school_id = row.values.get("school")
        if school_id is None:
            return
        if "schools_by_id" not in ctx.cache:
            ctx.cache["schools_by_id"] = {school.pk: school for school in import_schools(ctx.viewer).select_related("municipality")}
        school = ctx.cache["schools_by_id"].get(school_id)
        row.values["school"] = school
        if school is None:
            row.problem(ctx, "school", "вы больше не можете загружать данные в эту школу")
            row.parse_problems = len(row.problems)

    # --- the rows against the database ------------------------------------------------------------------------------------

    def plan(self, rows: list[Row], ctx: Context) -> dict:
        good = [row for row in rows if row.ok]
        school_ids = {row.values["school"].pk for row in good}
        if connection.in_atomic_block:
            # The commit: two imports into one school wait for each other, so that neither adds a student the other
            # is adding (the preview only reads).
            list(Organization.objects.select_for_update().filter(pk__in=school_ids).order_by("pk").values_list("pk", flat=True))
        by_code: dict[tuple[int, str], int] = {}
        code_of: dict[int, str] = {}
        for student_id, school_id, code in StudentSchoolId.objects.filter(school_id__in=school_ids).values_list(
            "student_id", "school_id", "code"
        ):
            by_code[(school_id, code)] = student_id
            code_of[student_id] = code
        students: dict[int, dict] = {}
        by_name: dict[tuple[int, str], list[int]] = defaultdict(list)
        condition = Q(current_school_id__in=school_ids) | Q(pk__in=set(by_code.values()))
        for item in Student.objects.filter(condition).values(
            "pk", "current_school_id", "current_class_id", "person_id", "person__last_name", "person__first_name",
            "person__middle_name", "person__birth_date",
        ):  # fmt: skip
            students[item["pk"]] = item
            if item["current_school_id"] is not None:
                names = (item["person__last_name"], item["person__first_name"], item["person__middle_name"])
                by_name[(item["current_school_id"], _key(names, item["person__birth_date"]))].append(item["pk"])
        classes = {(c.school_id, c.grade, c.letter): c for c in SchoolClass.objects.filter(school_id__in=school_ids, school_year=ctx.year)}
        parents: dict[int, list[dict]] = defaultdict(list)
        for link in ParentLink.objects.filter(student_id__in=students).values(
            "student_id", "kind", "parent_id", "parent__last_name", "parent__first_name", "parent__middle_name", "parent__phone",
            "parent__email",
        ):  # fmt: skip
            parents[link["student_id"]].append(link)
        ctx.cache["classes"] = classes
        seen: dict[tuple, int] = {}
        new_classes: set[tuple[int, int, str]] = set()
        counts = {"create": 0, "update": 0, "same": 0}
        new_parents: set[tuple] = set()
        for row in good:
            values = row.values
            school = values["school"]
            names, born, code = values["names"], values["birth_date"], values["code"]
            person_key = _key(names, born)
            keys = [(school.pk, "name", person_key)] + ([(school.pk, "code", code)] if code else [])
            repeated = next((seen[key] for key in keys if key in seen), None)
            if repeated is not None:
                what = "тот же номер в школе" if (school.pk, "code", code) in seen else "те же ФИО и дата рождения"
                row.problem(ctx, "code" if what.startswith("тот") else _names_column(ctx), f"повтор строки {repeated}: {what}")
                continue
            for key in keys:
                seen[key] = row.number
            named = by_name.get((school.pk, person_key), [])
            student_id = by_code.get((school.pk, code)) if code else None
            if code and student_id is None and named:
                other = code_of.get(named[0]) if len(named) == 1 else None
                if other is not None and len(named) == 1:
                    row.problem(ctx, "code", f"этот обучающийся уже есть в школе под номером «{other}», а не «{code}»")
                    continue
                student_id = named[0] if len(named) == 1 else None
            if student_id is None and not code and len(named) > 1:
                row.problem(ctx, _names_column(ctx), "в школе несколько обучающихся с такими ФИО и датой рождения: укажите номер в школе")
                continue
            if student_id is None and named:
                student_id = named[0]
            grade, letter = values["class"]
            school_class = classes.get((school.pk, grade, letter))
            if school_class is None:
                new_classes.add((school.pk, grade, letter))
            if student_id is None:
                row.action = "create"
            else:
                row.match = students[student_id]
                row.changes = self._changes(row, school_class, code, code_of.get(student_id), parents.get(student_id, []))
                row.action = "update" if row.changes else "same"
            if values["parent"] is not None and (row.action == "create" or "родитель" in " ".join(row.changes)):
                new_parents.add(_parent_key(values["parent"], school.pk))
            counts[row.action] += 1
        return {
            **counts,
            "bad": sum(1 for row in rows if row.problems),
            "classes_new": [class_label(g, le) for _, g, le in sorted(new_classes)],
            "parents_new": len(new_parents),
        }

    def _changes(self, row: Row, school_class, code: str, code_before: str | None, parents: list[dict]) -> list[str]:
        match, values = row.match, row.values
        changes = []
        last, first, middle = values["names"]
        if (match["person__last_name"], match["person__first_name"], match["person__middle_name"]) != (last, first, middle):
            changes.append("ФИО")
        if match["person__birth_date"] != values["birth_date"]:
            changes.append("дата рождения")
        if school_class is None or match["current_class_id"] != school_class.pk:
            changes.append("класс")
        if code and code_before != code:
            changes.append("номер в школе")
        parent = values["parent"]
        if parent is not None:
            same = _linked_parent(parent, parents)
            if same is None:
                changes.append("новый родитель")
            elif (parent["phone"] and same["parent__phone"] != parent["phone"]) or (
                parent["email"] and same["parent__email"] != parent["email"]
            ):
                changes.append("контакты родителя")
        return changes

    # --- writing ------------------------------------------------------------------------------------------------------

    def apply(self, rows: list[Row], ctx: Context) -> dict:
        rows = [row for row in rows if row.ok and row.action in {"create", "update"}]
        classes: dict = ctx.cache["classes"]
        classes_created = 0
        for row in rows:
            school = row.values["school"]
            grade, letter = row.values["class"]
            if (school.pk, grade, letter) not in classes:
                classes[(school.pk, grade, letter)] = SchoolClass.objects.create(
                    school=school, school_year=ctx.year, grade=grade, letter=letter
                )
                classes_created += 1
        creating = [row for row in rows if row.action == "create"]
        updating = [row for row in rows if row.action == "update"]
        accounts = 0
        parents_made: dict[tuple, int] = {}  # a parent met on several rows (siblings) is one person

        # New students: accounts, persons and students as plain rows (core.bulk), then placed at once.
        person_ids = take_ids(Person, len(creating))
        user_ids = _accounts_insert([row.values["names"] for row in creating], person_ids)
        accounts += len(user_ids)
        texts = [normalize_search_text(*row.values["names"]) for row in creating]
        insert_model_rows(
            Person, ("id", "last_name", "first_name", "middle_name", "birth_date", "user_id", "search_text"),
            ((pid, *row.values["names"], row.values["birth_date"], uid, text) for row, pid, uid, text in zip(creating, person_ids, user_ids, texts)),
        )  # fmt: skip
        student_ids = take_ids(Student, len(creating))
        insert_model_rows(Student, ("id", "person_id", "search_text"), zip(student_ids, person_ids, texts))
        insert_rows(
            StudentSchoolId, ("student_id", "school_id", "code"),
            ((sid, row.values["school"].pk, row.values["code"]) for row, sid in zip(creating, student_ids) if row.values["code"]),
        )  # fmt: skip
        placements = []
        for row, student_id in zip(creating, student_ids):
            school_class = classes[(row.values["school"].pk, *row.values["class"])]
            placements.append((student_id, school_class.pk, school_class.school_id))
        students_enroll(school_year=ctx.year, placements=placements, on=ctx.year.starts_on)
        accounts += _new_parents(creating, student_ids, parents_made)

        # Students found again: what the file says now.
        for row in updating:
            accounts += self._update(row, ctx, classes, parents_made)
        return {"created": len(creating), "updated": len(updating), "accounts": accounts, "classes_created": classes_created}

    def _update(self, row: Row, ctx: Context, classes: dict, parents_made: dict) -> int:
        values, match = row.values, row.match
        person = Person.objects.get(pk=match["person_id"])
        last, first, middle = values["names"]
        if "ФИО" in row.changes or "дата рождения" in row.changes:
            person.last_name, person.first_name, person.middle_name, person.birth_date = last, first, middle, values["birth_date"]
            person.save(update_fields=["last_name", "first_name", "middle_name", "birth_date", "search_text"])
        student = Student.objects.get(pk=match["pk"])
        school = values["school"]
        if "класс" in row.changes:
            school_class = classes[(school.pk, *values["class"])]
            on = max(ctx.today, ctx.year.starts_on)
            if student.current_class_id is None:
                student_enroll(student=student, school_class=school_class, on=on)
            else:
                student_transfer(student=student, to_class=school_class, on=on)
        if "номер в школе" in row.changes:
            StudentSchoolId.objects.update_or_create(student=student, school=school, defaults={"code": values["code"]})
        parent = values["parent"]
        if parent is None or not ({"новый родитель", "контакты родителя"} & set(row.changes)):
            return 0
        linked = list(
            ParentLink.objects.filter(student=student).values(
                "student_id", "kind", "parent_id", "parent__last_name", "parent__first_name", "parent__middle_name",
                "parent__phone", "parent__email",
            )
        )  # fmt: skip
        return _parent_link(parent, school.pk, student.pk, linked, parents_made)


def _years(age: int) -> str:
    return count_text(age, "год", "года", "лет")


def _names_column(ctx: Context) -> str:
    return "full_name" if ctx.has_column("full_name") else "last_name"


def _parent_key(parent: dict, school_id: int) -> tuple:
    return (name_key(*parent["names"]), parent["phone"] or parent["email"] or school_id)


def _linked_parent(parent: dict, linked: list[dict]) -> dict | None:
    key = name_key(*parent["names"])
    return next((p for p in linked if name_key(p["parent__last_name"], p["parent__first_name"], p["parent__middle_name"]) == key), None)


def _user(names: tuple[str, str, str], person_id: int) -> User:
    last, first, _ = names
    return User(
        username=login_for(last, person_id), first_name=first[:150], last_name=last[:150], password=unusable_password(),
        must_change_password=True, is_active=True,
    )  # fmt: skip


def _accounts_insert(names: list[tuple[str, str, str]], person_ids: list[int]) -> list[int]:
    """Accounts of new people as plain rows: a login from the surname and the person's number, the first password
    still to be issued (none usable), its change forced at the first sign-in. Returns their ids."""
    user_ids = take_ids(User, len(names))
    now = timezone.now()
    insert_model_rows(
        User, ("id", "username", "first_name", "last_name", "password", "must_change_password", "is_active", "date_joined"),
        ((uid, login_for(last, pid), first[:150], last[:150], unusable_password(), True, True, now)
         for (last, first, _), pid, uid in zip(names, person_ids, user_ids)),
    )  # fmt: skip
    return user_ids


def _new_parents(rows: list[Row], student_ids: list[int], made: dict) -> int:
    """The parents of new students, as plain rows: one person and account for a parent named on several rows (the
    same name and phone or e-mail: siblings), linked to each child. Returns the number of accounts made."""
    fresh: dict[tuple, dict] = {}
    links: dict[tuple[int, int], str] = {}
    keys: list[tuple[tuple, int, str]] = []
    for row, student_id in zip(rows, student_ids):
        parent = row.values["parent"]
        if parent is None:
            continue
        key = _parent_key(parent, row.values["school"].pk)
        fresh.setdefault(key, parent)
        keys.append((key, student_id, parent["kind"]))
    person_ids = take_ids(Person, len(fresh))
    parents = list(fresh.values())
    user_ids = _accounts_insert([p["names"] for p in parents], person_ids)
    insert_model_rows(
        Person, ("id", "last_name", "first_name", "middle_name", "phone", "email", "user_id"),
        ((pid, *p["names"], p["phone"], p["email"], uid) for p, pid, uid in zip(parents, person_ids, user_ids)),
    )  # fmt: skip
    made.update(zip(fresh, person_ids))
    for key, student_id, kind in keys:
        links.setdefault((made[key], student_id), kind)
    insert_rows(ParentLink, ("parent_id", "student_id", "kind"), ((pid, sid, kind) for (pid, sid), kind in links.items()))
    return len(user_ids)


def _parent_link(parent: dict, school_id: int, student_id: int, linked: list[dict], made: dict) -> int:
    """Link the row's parent to the student: the one already linked under that name (contacts updated), one met on
    an earlier row of the file, or a new person with an account. Returns the number of accounts made."""
    same = _linked_parent(parent, linked)
    if same is not None:
        fields = {}
        if parent["phone"]:
            fields["phone"] = parent["phone"]
        if parent["email"]:
            fields["email"] = parent["email"]
        if fields:
            Person.objects.filter(pk=same["parent_id"]).update(**fields)
        return 0
    key = _parent_key(parent, school_id)
    accounts = 0
    if key not in made:
        last, first, middle = parent["names"]
        person_id = take_ids(Person, 1)[0]
        user = _user(parent["names"], person_id)
        user.save()
        person = Person(
            id=person_id, last_name=last, first_name=first, middle_name=middle, phone=parent["phone"], email=parent["email"], user=user
        )
        person.save()
        made[key] = person.pk
        accounts = 1
    ParentLink.objects.get_or_create(parent_id=made[key], student_id=student_id, defaults={"kind": parent["kind"]})
    return accounts


IMPORTER = StudentsImporter()
