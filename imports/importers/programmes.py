"""Education programmes of the republic's colleges and universities: the ministry's or the regional operator's list,
each programme an ОКСО code at an institution, with its name, profile, form of study and the professions it leads to.
A re-import finds a programme by its stable key — institution, ОКСО code, profile and form (the catalogue's unique
key) — so the same file twice changes nothing. Every programme of the list counts as confirmed by whoever loads it;
the writes go through catalog.services.programmes_save, which records each change in the catalogue's log."""

import datetime

from catalog.models import OKSO_PATTERN, Profession, Programme, Speciality
from imports.framework import Column, Context, Importer, Row
from imports.values import Problem, choice, name_key, text, usable, yes_no
from orgs.models import Organization

INSTITUTION = Column(
    "institution", "Организация", ("Образовательная организация", "Наименование организации", "Колледж или вуз", "Учебное заведение", "Вуз", "Колледж", "ИНН организации"),
    required=True, example="СОГУ", help="Краткое или полное название колледжа или вуза, как в платформе, или его ИНН.",
)  # fmt: skip
CODE = Column(
    "code", "Код ОКСО", ("Код специальности", "Код направления", "Код направления подготовки", "Код профессии", "ОКСО", "Код"),
    required=True, example="09.02.07", help="Три пары цифр через точку, как в перечне ОКСО: 09.02.07.",
)  # fmt: skip
TITLE = Column(
    "title", "Наименование программы", ("Наименование", "Программа", "Название программы", "Специальность", "Направление подготовки"),
    required=True, example="Информационные системы и программирование",
)  # fmt: skip
PROFILE = Column(
    "profile", "Профиль", ("Профиль (направленность)", "Направленность", "Специализация"), example="",
    help="Если у программы есть профиль; пусто — без профиля.",
)  # fmt: skip
FORM = Column("form", "Форма обучения", ("Форма",), example="очная", help="Очная, очно-заочная или заочная; пусто — не указана.")
PROFESSIONS = Column(
    "professions", "Профессии", ("Профессии каталога", "К каким профессиям ведёт", "Профессия"), example="Программист; Администратор баз данных",
    help="Профессии каталога платформы через точку с запятой: программа станет путём обучения для них.",
)  # fmt: skip
URL = Column("url", "Страница программы", ("Ссылка", "Сайт", "Адрес страницы", "URL"), example="https://nosu.ru/abitur")
ACTIVE = Column(
    "is_active", "Ведёт приём", ("Приём", "Набор", "Идёт набор"), example="да", help="«Нет» — программа больше не набирает; пусто — «да»."
)

FORMS = {
    name_key(written): value
    for written, value in (
        ("очная", Programme.Form.FULL_TIME), ("очно", Programme.Form.FULL_TIME), ("дневная", Programme.Form.FULL_TIME),
        ("очно-заочная", Programme.Form.PART_TIME), ("очно заочная", Programme.Form.PART_TIME), ("вечерняя", Programme.Form.PART_TIME),
        ("заочная", Programme.Form.EXTRAMURAL), ("заочно", Programme.Form.EXTRAMURAL),
    )
}  # fmt: skip
FORM_LABELS = ("очная", "очно-заочная", "заочная")
INSTITUTION_KINDS = (Organization.Kind.COLLEGE, Organization.Kind.UNIVERSITY)


def okso_value(value) -> str:
    """An ОКСО code as written; a cell Excel took for a date (09.02.07 → 9 February 2007) is read back as the code."""
    value = usable(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value.day:02}.{value.month:02}.{value.year % 100:02}"
    written = text(value, max_length=40).replace(" ", "").replace(",", ".")
    if written and not OKSO_PATTERN.match(written):
        raise Problem(f"«{written}» — не код ОКСО: он пишется как 09.02.07, три пары цифр через точку")
    return written


def url_value(value) -> str:
    written = text(value, max_length=200)
    if written and not written.lower().startswith(("http://", "https://")):
        raise Problem(f"«{written}» — не адрес страницы: он начинается с https://")
    return written


class ProgrammesImporter(Importer):
    kind = "programmes"
    title = "Программы колледжей и вузов"
    description = (
        "Образовательные программы колледжей и вузов республики для каталога профессий: организация, код ОКСО, наименование, "
        "профиль, форма обучения и профессии, к которым ведёт программа. Загружают министерство и региональный оператор; "
        "загруженные программы считаются подтверждёнными. Повторная загрузка находит программу по организации, коду, профилю и форме."
    )
    template_name = "shablon-programmy.xlsx"
    nouns = ("программа", "программы", "программ")
    columns = (INSTITUTION, CODE, TITLE, PROFILE, FORM, PROFESSIONS, URL, ACTIVE)
    network = True  # the file names its institutions: no school is chosen on the upload page

    def _lookups(self, ctx: Context) -> dict:
        if "lookups" not in ctx.cache:
            institutions: dict[str, set[int]] = {}
            for org in Organization.objects.filter(kind__in=INSTITUTION_KINDS, is_active=True).only("pk", "name", "short_name", "inn"):
                for key in {name_key(org.name), name_key(org.short_name), org.inn}:
                    if key:
                        institutions.setdefault(key, set()).add(org.pk)
            professions: dict[str, set[int]] = {}
            for pk, code, title in Profession.objects.filter(is_active=True).values_list("pk", "code", "title"):
                professions.setdefault(name_key(title), set()).add(pk)
                professions.setdefault(code.lower(), set()).add(pk)
            ctx.cache["lookups"] = {
                "institutions": institutions,
                "specialities": dict(Speciality.objects.values_list("code", "pk")),
                "professions": professions,
            }
        return ctx.cache["lookups"]

    def parse(self, row: Row, ctx: Context) -> None:
        lookups = self._lookups(ctx)
        values = row.values
        written = row.take(ctx, "institution", text, max_length=500)
        values["institution"] = None
        if written == "":
            row.problem(ctx, "institution", "не указана организация")
        elif written is not None:
            found = lookups["institutions"].get(name_key(written)) or lookups["institutions"].get(written.replace(" ", ""), set())
            if not found:
                row.problem(
                    ctx, "institution", f"колледжа или вуза «{written}» нет в платформе; напишите его название, как в платформе, или ИНН"
                )
            elif len(found) > 1:
                row.problem(ctx, "institution", f"«{written}» — так называются несколько организаций; напишите полное название или ИНН")
            else:
                values["institution"] = next(iter(found))
        code = row.take(ctx, "code", okso_value)
        values["speciality"] = None
        if code == "":
            row.problem(ctx, "code", "не указан код ОКСО")
        elif code:
            values["speciality"] = lookups["specialities"].get(code)
            if values["speciality"] is None:
                row.problem(ctx, "code", f"кода {code} нет в перечне ОКСО платформы; проверьте код или добавьте его в перечень")
        values["code"] = code or ""
        values["title"] = row.take(ctx, "title", text, max_length=300)
        if values["title"] == "":
            row.problem(ctx, "title", "не указано наименование программы")
        values["profile"] = row.take(ctx, "profile", text, max_length=300) if ctx.has_column("profile") else ""
        values["form"] = (
            row.take(ctx, "form", choice, FORMS, what="форма обучения", labels=FORM_LABELS, default=Programme.Form.UNKNOWN)
            if ctx.has_column("form")
            else Programme.Form.UNKNOWN
        )
        values["url"] = row.take(ctx, "url", url_value) if ctx.has_column("url") else ""
        active = row.take(ctx, "is_active", yes_no) if ctx.has_column("is_active") and row.has("is_active") else True
        values["is_active"] = active
        values["professions"] = self._professions(row, ctx, lookups)

    def _professions(self, row: Row, ctx: Context, lookups: dict) -> tuple[int, ...]:
        if not ctx.has_column("professions"):
            return ()
        written = row.take(ctx, "professions", text, max_length=2000)
        found: list[int] = []
        for name in (part.strip() for part in (written or "").replace("\n", ";").split(";")):
            if not name:
                continue
            matches = lookups["professions"].get(name_key(name)) or lookups["professions"].get(name.lower(), set())
            if len(matches) != 1:
                row.problem(
                    ctx, "professions",
                    f"профессии «{name}» нет в каталоге платформы; напишите её название, как в каталоге" if not matches
                    else f"«{name}» — так называются несколько профессий каталога; напишите код профессии",
                )  # fmt: skip
                continue
            found.extend(pk for pk in matches if pk not in found)
        return tuple(found)

    def plan(self, rows: list[Row], ctx: Context) -> dict:
        good = [row for row in rows if row.ok]
        existing = {
            (p.institution_id, p.speciality_id, name_key(p.profile), p.form): p
            for p in Programme.objects.filter(institution_id__in={row.values["institution"] for row in good})
        }
        links = Profession.specialities.through
        linked = set(
            links.objects.filter(speciality_id__in={row.values["speciality"] for row in good}).values_list("profession_id", "speciality_id")
        )
        names = dict(Organization.objects.filter(pk__in={row.values["institution"] for row in good}).values_list("pk", "short_name"))
        seen: dict[tuple, int] = {}
        counts = {"create": 0, "update": 0, "same": 0}
        for row in good:
            values = row.values
            key = (values["institution"], values["speciality"], name_key(values["profile"]), values["form"])
            if key in seen:
                row.problem(ctx, "code", f"повтор строки {seen[key]}: та же программа (код, профиль и форма обучения) в той же организации")
                continue
            seen[key] = row.number
            if values["institution"] not in names:  # gone since the preview
                row.problem(ctx, "institution", "этой организации больше нет в платформе")
                continue
            values["label"] = f"{values['code']} {values['title']} — {names.get(values['institution'], '')}"
            new_links = [pk for pk in values["professions"] if (pk, values["speciality"]) not in linked]
            programme = existing.get(key)
            if programme is None:
                row.action = "create"
            else:
                row.match = programme
                row.changes = [
                    what
                    for what, changed in (
                        ("наименование", programme.title != values["title"]), ("страница", programme.url != values["url"]),
                        ("приём", programme.is_active != values["is_active"]), ("подтверждение", not programme.is_confirmed),
                        ("профессии", bool(new_links)),
                    )
                    if changed
                ]  # fmt: skip
                row.action = "update" if row.changes else "same"
            counts[row.action] += 1
        return {**counts, "bad": sum(1 for row in rows if row.problems)}

    def apply(self, rows: list[Row], ctx: Context) -> dict:
        from catalog.services import ProgrammeWrite, programmes_save

        writes = []
        for row in rows:
            if row.action not in {"create", "update"}:
                continue
            v = row.values
            writes.append(
                ProgrammeWrite(
                    institution_id=v["institution"],
                    speciality_id=v["speciality"],
                    profile=v["profile"],
                    form=v["form"],
                    title=v["title"],
                    url=v["url"],
                    is_active=v["is_active"],
                    profession_ids=v["professions"],
                    programme_id=row.match.pk if row.match is not None else None,
                    label=v["label"],
                )
            )
        if not writes:
            return {"created": 0, "updated": 0, "accounts": 0}
        result = programmes_save(by=ctx.user, writes=writes, today=ctx.today)
        return {**result, "accounts": 0}


IMPORTER = ProgrammesImporter()
