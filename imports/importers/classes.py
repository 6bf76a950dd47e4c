"""Classes of the current school year: a municipality's or the operator's list of its schools' classes, with their
kind and profile. A re-import finds each class by its school, grade and letter: the same file twice changes nothing."""

from imports.framework import Column, Context, Importer, Row
from imports.importers.common import CLASS, GRADE, LETTER, SCHOOL, class_label, has_class, take_class, take_school
from imports.values import choice, text
from orgs.models import SchoolClass

KIND = Column(
    "kind", "Вид класса", ("Тип класса", "Вид"), example="общеобразовательный",
    help="«общеобразовательный», «предпрофильный» или «профильный»; пусто — общеобразовательный.",
)  # fmt: skip
PROFILE = Column(
    "profile", "Профиль", ("Профиль класса", "Направленность"), example="", help="Для профильных классов: например, «технологический»."
)
KINDS = {
    "общеобразовательный": SchoolClass.Kind.GENERAL, "общий": SchoolClass.Kind.GENERAL, "универсальный": SchoolClass.Kind.GENERAL,
    "предпрофильный": SchoolClass.Kind.PRE_PROFILE, "профильный": SchoolClass.Kind.PROFILE,
}  # fmt: skip


class ClassesImporter(Importer):
    kind = "classes"
    title = "Классы"
    description = "Классы школ на текущий учебный год — с видом и профилем. Повторная загрузка находит класс по школе, номеру и букве."
    template_name = "shablon-klassy.xlsx"
    nouns = ("класс", "класса", "классов")
    columns = (SCHOOL, CLASS, GRADE, LETTER, KIND, PROFILE)
    template_columns = ("school", "class", "kind", "profile")

    def header_problems(self, found: set[str], ctx: Context) -> list[str]:
        problems = []
        if not has_class(found):
            problems.append("Нет столбца «Класс» (или столбцов «Параллель» и «Буква класса»).")
        if ctx.school is None and "school" not in found:
            problems.append("Нет столбца «Школа»: выберите школу на странице загрузки или укажите школу в каждой строке.")
        return problems

    def parse(self, row: Row, ctx: Context) -> None:
        row.values["school"] = take_school(row, ctx)
        row.values["class"] = take_class(row, ctx)
        row.values["kind"] = (
            row.take(ctx, "kind", choice, KINDS, what="вид класса", labels=("общеобразовательный", "предпрофильный", "профильный"),
                     default=SchoolClass.Kind.GENERAL)
            if ctx.has_column("kind") else SchoolClass.Kind.GENERAL
        )  # fmt: skip
        row.values["profile"] = row.take(ctx, "profile", text, max_length=100) if ctx.has_column("profile") else ""
        if row.values["profile"] and row.values["kind"] == SchoolClass.Kind.GENERAL:
            row.problem(ctx, "profile", "профиль указан у общеобразовательного класса: укажите вид «профильный» или «предпрофильный»")

    def freeze(self, values: dict) -> dict:
        school = values.get("school")
        return {**values, "school": school.pk if school is not None else None}

    def thaw(self, row: Row, ctx: Context) -> None:
        from imports.importers.students import IMPORTER as STUDENTS

        STUDENTS.thaw(row, ctx)

    def plan(self, rows: list[Row], ctx: Context) -> dict:
        good = [row for row in rows if row.ok]
        existing = {
            (c.school_id, c.grade, c.letter): c
            for c in SchoolClass.objects.filter(school_year=ctx.year, school_id__in={row.values["school"].pk for row in good})
        }
        seen: dict[tuple, int] = {}
        counts = {"create": 0, "update": 0, "same": 0}
        for row in good:
            key = (row.values["school"].pk, *row.values["class"])
            if key in seen:
                row.problem(
                    ctx, "class" if ctx.has_column("class") else "grade", f"повтор строки {seen[key]}: тот же класс {class_label(*key[1:])}"
                )
                continue
            seen[key] = row.number
            found = existing.get(key)
            if found is None:
                row.action = "create"
            else:
                row.match = found
                row.changes = [
                    what
                    for what, same in (("вид", found.kind == row.values["kind"]), ("профиль", found.profile == row.values["profile"]))
                    if not same
                ]
                row.action = "update" if row.changes else "same"
            counts[row.action] += 1
        return {**counts, "bad": sum(1 for row in rows if row.problems)}

    def apply(self, rows: list[Row], ctx: Context) -> dict:
        created = updated = 0
        for row in rows:
            if row.action == "create":
                grade, letter = row.values["class"]
                SchoolClass.objects.create(
                    school=row.values["school"],
                    school_year=ctx.year,
                    grade=grade,
                    letter=letter,
                    kind=row.values["kind"],
                    profile=row.values["profile"],
                )
                created += 1
            elif row.action == "update":
                SchoolClass.objects.filter(pk=row.match.pk).update(kind=row.values["kind"], profile=row.values["profile"])
                updated += 1
        return {"created": created, "updated": updated, "accounts": 0}


IMPORTER = ClassesImporter()
