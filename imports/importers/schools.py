"""Schools of the republic: the ministry's or the regional operator's list, with each school's municipality, full
and short names, ИНН and address. A re-import finds a school by its ИНН when the file has one, otherwise by its
short or full name within the municipality: the same file twice changes nothing. A school that moved to another
municipality is moved through orgs.services.school_municipality_change (the counts follow it)."""

from imports.framework import Column, Context, Importer, Row
from imports.values import Problem, code_value, name_key, text
from orgs.models import Municipality, Organization

MUNICIPALITY = Column(
    "municipality", "Муниципалитет", ("Муниципальное образование", "Муниципальный район", "Район", "Городской округ"), required=True,
    example="Город Владикавказ", help="Название муниципалитета или его код, как в платформе.",
)  # fmt: skip
NAME = Column(
    "name", "Полное название", ("Полное наименование", "Наименование", "Наименование ОО", "Название школы", "Образовательная организация"),
    required=True, example="Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»",
)  # fmt: skip
SHORT = Column(
    "short_name", "Краткое название", ("Краткое наименование", "Сокращённое наименование", "Сокращенное наименование"), required=True,
    example="МБОУ СОШ № 1 г. Владикавказа", help="Как школа видна в списках платформы.",
)  # fmt: skip
INN = Column(
    "inn",
    "ИНН",
    ("ИНН/код", "ИНН организации", "Код ОО", "Код"),
    example="1501000000",
    help="10 цифр; по нему повторная загрузка находит школу.",
)
ADDRESS = Column("address", "Адрес", ("Юридический адрес", "Фактический адрес", "Адрес школы"), example="г. Владикавказ, ул. Мира, 1")


def inn_value(value) -> str:
    written = code_value(value, max_length=40).replace(" ", "")
    if written and (not written.isdigit() or len(written) not in {10, 12}):
        raise Problem(f"«{written}» — не ИНН: у организации ИНН из 10 цифр")
    return written


class SchoolsImporter(Importer):
    kind = "schools"
    title = "Школы"
    description = (
        "Школы республики по муниципалитетам: полное и краткое название, ИНН, адрес. Загружают министерство и региональный оператор. "
        "Повторная загрузка находит школу по ИНН, а без него — по названию в муниципалитете."
    )
    template_name = "shablon-shkoly.xlsx"
    nouns = ("школа", "школы", "школ")
    columns = (MUNICIPALITY, NAME, SHORT, INN, ADDRESS)
    network = True  # the file names its schools: no school is chosen on the upload page

    def parse(self, row: Row, ctx: Context) -> None:
        values = row.values
        if "municipalities" not in ctx.cache:
            found: dict[str, Municipality] = {}
            for municipality in Municipality.objects.all():
                found[name_key(municipality.name)] = found[name_key(municipality.code)] = municipality
            ctx.cache["municipalities"] = found
        written = row.take(ctx, "municipality", text, max_length=200)
        municipality = ctx.cache["municipalities"].get(name_key(written)) if written else None
        if written == "":
            row.problem(ctx, "municipality", "не указан муниципалитет")
        elif written is not None and municipality is None:
            row.problem(ctx, "municipality", f"муниципалитета «{written}» нет в платформе; напишите его название, как в платформе")
        values["municipality"] = municipality.pk if municipality else None
        for key, what, limit in (("name", "полное название", 500), ("short_name", "краткое название", 200)):
            values[key] = row.take(ctx, key, text, max_length=limit)
            if values[key] == "":
                row.problem(ctx, key, f"не указано {what} школы")
        values["inn"] = row.take(ctx, "inn", inn_value) if ctx.has_column("inn") else ""
        values["address"] = row.take(ctx, "address", text, max_length=500) if ctx.has_column("address") else ""

    def plan(self, rows: list[Row], ctx: Context) -> dict:
        schools = list(Organization.objects.filter(kind=Organization.Kind.SCHOOL))
        by_inn: dict[str, list] = {}
        by_name: dict[tuple, list] = {}
        for school in schools:
            if school.inn:
                by_inn.setdefault(school.inn, []).append(school)
            for name in {name_key(school.short_name), name_key(school.name)}:
                by_name.setdefault((school.municipality_id, name), []).append(school)
        municipalities = {m.pk: m for m in Municipality.objects.all()}
        ctx.cache["municipalities_by_id"] = municipalities
        seen: dict[tuple, int] = {}
        counts = {"create": 0, "update": 0, "same": 0}
        for row in (row for row in rows if row.ok):
            values = row.values
            keys = [("inn", values["inn"])] if values["inn"] else []
            keys.append(("name", values["municipality"], name_key(values["short_name"])))
            repeated = next((seen[key] for key in keys if key in seen), None)
            if repeated is not None:
                column = "inn" if keys[0] in seen and values["inn"] else "short_name"
                row.problem(
                    ctx,
                    column,
                    f"повтор строки {repeated}: " + ("тот же ИНН" if column == "inn" else "та же школа в том же муниципалитете"),
                )
                continue
            seen.update(dict.fromkeys(keys, row.number))
            matches = by_inn.get(values["inn"], []) if values["inn"] else []
            if not matches:
                matches = {
                    s.pk: s
                    for name in (name_key(values["short_name"]), name_key(values["name"]))
                    for s in by_name.get((values["municipality"], name), [])
                    if not (values["inn"] and s.inn and s.inn != values["inn"])
                }.values()
                matches = list(matches)
            if len(matches) > 1:
                row.problem(ctx, "inn" if values["inn"] else "short_name", "так названы несколько школ платформы: укажите ИНН")
                continue
            if not matches:
                row.action = "create"
            else:
                school = row.match = matches[0]
                row.changes = [
                    what
                    for what, before, after in (
                        ("муниципалитет", school.municipality_id, values["municipality"]), ("полное название", school.name, values["name"]),
                        ("краткое название", school.short_name, values["short_name"]), ("ИНН", school.inn, values["inn"] or school.inn),
                        ("адрес", school.address, values["address"] or school.address),
                    )
                    if before != after
                ]  # fmt: skip
                row.action = "update" if row.changes else "same"
            counts[row.action] += 1
        return {**counts, "bad": sum(1 for row in rows if row.problems)}

    def apply(self, rows: list[Row], ctx: Context) -> dict:
        from orgs.services import school_municipality_change

        municipalities = ctx.cache["municipalities_by_id"]
        created = updated = 0
        for row in rows:
            values = row.values
            municipality = municipalities[values["municipality"]]
            if row.action == "create":
                Organization.objects.create(
                    kind=Organization.Kind.SCHOOL, municipality=municipality, name=values["name"], short_name=values["short_name"],
                    inn=values["inn"], address=values["address"],
                )  # fmt: skip
                created += 1
            elif row.action == "update":
                school = Organization.objects.select_for_update().get(pk=row.match.pk)
                if school.municipality_id != municipality.pk:
                    school = school_municipality_change(school=school, municipality=municipality)
                school.name, school.short_name = values["name"], values["short_name"]
                school.inn = values["inn"] or school.inn
                school.address = values["address"] or school.address
                school.save(update_fields=["name", "short_name", "inn", "address"])
                updated += 1
        return {"created": created, "updated": updated, "accounts": 0}


IMPORTER = SchoolsImporter()
