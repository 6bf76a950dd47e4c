"""Additional-education enrolments: who attends which programme of which organisation, from when (to when). The
student is found by the school's own student number or by ФИО and birth date within the school; the programme by
its name and organisation, and added to the monitoring's list when it is not there yet. Written through
monitoring.services.enrolment_upsert, which finds an enrolment whose dates overlap: the same file twice changes
nothing."""

import datetime
from dataclasses import replace

from core.formatting import date_short
from imports.framework import Column, Context, Importer, Row, missing_column
from imports.importers.common import (
    SCHOOL,
    has_names,
    name_columns,
    names_column,
    student_of,
    students_found,
    take_names,
    take_school,
    thaw_school,
)
from imports.values import birth_date, choice, code_value, date_value, name_key, text
from monitoring.models import Programme, ProgrammeEnrolment
from orgs.models import Organization

# «Организация» here is the programme's, not the school.
SCHOOL = replace(SCHOOL, aliases=tuple(a for a in SCHOOL.aliases if a != "Организация"))
NAMES = name_columns(who="обучающегося", aliases_for=("обучающегося", "ученика", "ребенка"))
NAME_KEYS = tuple(c.key for c in NAMES)
CODE = Column(
    "code", "Номер в школе", ("Номер обучающегося", "Номер личного дела", "Код обучающегося", "Идентификатор"), example="2024-017",
    help="Номер обучающегося в школе; без него ученик находится по ФИО и дате рождения.",
)  # fmt: skip
BIRTH = Column("birth_date", "Дата рождения", ("ДР", "Дата рождения обучающегося"), example="05.03.2012", help="ДД.ММ.ГГГГ.")
PROGRAMME = Column(
    "programme", "Программа", ("Название программы", "Программа дополнительного образования", "Объединение", "Кружок"),
    required=True, example="Робототехника", help="Название программы, как у организации.",
)  # fmt: skip
PROVIDER = Column(
    "provider", "Организация", ("Организация дополнительного образования", "Учреждение дополнительного образования", "Поставщик"),
    required=True, example="Дворец творчества", help="Краткое или полное название организации, как в платформе.",
)  # fmt: skip
DIRECTION = Column(
    "direction",
    "Направленность",
    ("Направленность программы", "Направление"),
    example="техническая",
    help="Нужна, когда программы ещё нет в платформе: техническая, естественнонаучная, художественная, социально-гуманитарная, "
    "физкультурно-спортивная или туристско-краеведческая.",
)
STARTS = Column(
    "starts_on", "Занимается с", ("Дата зачисления", "Дата начала", "Дата начала обучения"), required=True, example="01.09.2025"
)
ENDS = Column(
    "ends_on",
    "Занимается по",
    ("Дата отчисления", "Дата окончания", "Дата окончания обучения"),
    example="",
    help="Пусто — занимается сейчас.",
)
DIRECTIONS = {name_key(label): value for value, label in Programme.Direction.choices}
EARLIEST = datetime.date(2000, 1, 1)


class AdditionalImporter(Importer):
    kind = "additional"
    title = "Дополнительное образование: зачисления"
    description = (
        "Кто из обучающихся занимается в какой программе дополнительного образования и с какого дня. Ученик находится по номеру "
        "в школе или по ФИО и дате рождения; программы, которой ещё нет, добавляется. Повторная загрузка ничего не удваивает."
    )
    template_name = "shablon-dopobrazovanie.xlsx"
    nouns = ("зачисление", "зачисления", "зачислений")
    columns = (
        SCHOOL,
        CODE,
        replace(NAMES[0], example="Дзагоева Алина Таймуразовна"),
        *NAMES[1:],
        BIRTH,
        PROGRAMME,
        PROVIDER,
        DIRECTION,
        STARTS,
        ENDS,
    )
    template_columns = ("school", "code", "full_name", "birth_date", "programme", "provider", "direction", "starts_on", "ends_on")

    def header_problems(self, found: set[str], ctx: Context) -> list[str]:
        problems = []
        if "code" not in found and not (has_names(found, NAME_KEYS) and "birth_date" in found):
            problems.append("Нет столбца «Номер в школе» или столбцов «ФИО» и «Дата рождения»: по ним находится ученик.")
        problems += [missing_column(c.header) for c in (PROGRAMME, PROVIDER, STARTS) if c.key not in found]
        if ctx.school is None and "school" not in found:
            problems.append("Нет столбца «Школа»: выберите школу на странице загрузки или укажите школу в каждой строке.")
        return problems

    def parse(self, row: Row, ctx: Context) -> None:
        values = row.values
        values["school"] = take_school(row, ctx)
        values["code"] = row.take(ctx, "code", code_value) if ctx.has_column("code") else ""
        by_name = has_names(set(ctx.headers), NAME_KEYS) and ctx.has_column("birth_date")
        needs_name = by_name and not values["code"]
        values["names"] = take_names(row, ctx, NAME_KEYS, required=needs_name) if by_name else ("", "", "")
        values["birth_date"] = row.take(ctx, "birth_date", birth_date, today=ctx.today, required=needs_name) if by_name else None
        if not values["code"] and not by_name:
            row.problem(ctx, "code", "не указан номер обучающегося в школе")
        values["programme"] = row.take(ctx, "programme", text, max_length=300)
        if values["programme"] == "":
            row.problem(ctx, "programme", "не указано название программы")
        values["provider"] = row.take(ctx, "provider", text, max_length=300)
        if values["provider"] == "":
            row.problem(ctx, "provider", "не указана организация")
        values["direction"] = (
            row.take(ctx, "direction", choice, DIRECTIONS, what="направленность", labels=tuple(Programme.Direction.labels), default="")
            if ctx.has_column("direction")
            else ""
        )
        starts = row.take(ctx, "starts_on", date_value, today=ctx.today)
        ends = row.take(ctx, "ends_on", date_value, today=ctx.today) if ctx.has_column("ends_on") else None
        latest = ctx.today + datetime.timedelta(days=366)
        if starts is None and not any(p[0] == ctx.headers.get("starts_on") for p in row.problems):
            row.problem(ctx, "starts_on", "не указано, с какого дня ученик занимается")
        elif starts is not None and not EARLIEST <= starts <= latest:
            row.problem(ctx, "starts_on", f"дата {date_short(starts)} — должна быть между {date_short(EARLIEST)} и {date_short(latest)}")
        elif starts is not None and ends is not None and ends < starts:
            row.problem(ctx, "ends_on", f"занятия не кончаются раньше, чем начались ({date_short(starts)})")
        elif starts is not None and ends is not None and (ends - starts).days > 366 * 6:
            row.problem(ctx, "ends_on", "запись в программу не бывает дольше шести лет; проверьте год")
        values["starts_on"], values["ends_on"] = starts, ends

    def freeze(self, values: dict) -> dict:
        """The parse's values only: what the plan added is planned again at the commit."""
        school = values.get("school")
        kept = {key: value for key, value in values.items() if key not in {"provider_obj", "programme_obj", "student_id"}}
        return {**kept, "school": school.pk if school is not None else None}

    def thaw(self, row: Row, ctx: Context) -> None:
        thaw_school(row, ctx)

    def _providers(self, ctx: Context) -> dict[str, list[Organization]]:
        if "providers" not in ctx.cache:
            found: dict[str, list[Organization]] = {}
            for org in Organization.objects.filter(is_active=True).exclude(
                kind__in=[Organization.Kind.MINISTRY, Organization.Kind.MUNICIPAL_DEPARTMENT]
            ):
                for name in {name_key(org.short_name), name_key(org.name)}:
                    if name:
                        found.setdefault(name, []).append(org)
            ctx.cache["providers"] = found
        return ctx.cache["providers"]

    def plan(self, rows: list[Row], ctx: Context) -> dict:
        good = [row for row in rows if row.ok]
        found = students_found(good, ctx)
        providers = self._providers(ctx)
        programmes = {(p.provider_id, name_key(p.title)): p for p in Programme.objects.order_by("is_active", "-pk")}
        names_col = names_column(ctx, NAME_KEYS)
        planned: list[tuple[Row, int, object]] = []
        for row in good:
            values = row.values
            orgs = {o.pk: o for o in providers.get(name_key(values["provider"]), [])}
            if len(orgs) != 1:
                row.problem(
                    ctx, "provider",
                    f"организации «{values['provider']}» нет в платформе; напишите её название, как в платформе"
                    if not orgs else f"«{values['provider']}» — так называются несколько организаций; напишите полное название",
                )  # fmt: skip
                continue
            provider = next(iter(orgs.values()))
            programme = programmes.get((provider.pk, name_key(values["programme"])))
            if programme is None and not values["direction"]:
                row.problem(ctx, "direction" if ctx.has_column("direction") else "programme",
                            "программы ещё нет в платформе: укажите её направленность, и она будет добавлена")  # fmt: skip
                continue
            if programme is not None and not programme.is_active and (values["ends_on"] is None or values["ends_on"] >= ctx.today):
                row.problem(ctx, "ends_on" if ctx.has_column("ends_on") else "programme",
                            f"«{programme.title}» больше не предлагается; укажите дату окончания занятий")  # fmt: skip
                continue
            student_id = student_of(row, ctx, found, names_column=names_col)
            if student_id is None:
                continue
            values["provider_obj"], values["programme_obj"], values["student_id"] = provider, programme, student_id
            planned.append((row, student_id, programme))
        enrolments: dict[tuple[int, int], list[ProgrammeEnrolment]] = {}
        programme_ids = {p.pk for _, _, p in planned if p is not None}
        for enrolment in ProgrammeEnrolment.objects.filter(student_id__in={s for _, s, _ in planned}, programme_id__in=programme_ids):
            enrolments.setdefault((enrolment.student_id, enrolment.programme_id), []).append(enrolment)
        seen: dict[tuple, int] = {}
        counts = {"create": 0, "update": 0, "same": 0}
        new_programmes: set[tuple] = set()
        for row, student_id, programme in planned:
            values = row.values
            key = (student_id, values["provider_obj"].pk, name_key(values["programme"]), values["starts_on"])
            if key in seen:
                row.problem(ctx, "programme", f"повтор строки {seen[key]}: тот же обучающийся в той же программе с того же дня")
                continue
            seen[key] = row.number
            if programme is None:
                new_programmes.add(key[1:3])
                row.action = "create"
            else:
                starts, ends = values["starts_on"], values["ends_on"]
                overlapping = [
                    e for e in sorted(enrolments.get((student_id, programme.pk), []), key=lambda e: (e.starts_on, e.pk))
                    if not (e.ends_on is not None and e.ends_on < starts) and (ends is None or e.starts_on <= ends)
                ]  # fmt: skip
                if not overlapping:
                    row.action = "create"
                else:
                    row.match = overlapping[0]
                    row.changes = [] if (row.match.starts_on, row.match.ends_on) == (starts, ends) else ["даты"]
                    row.action = "update" if row.changes else "same"
            counts[row.action] += 1
        return {**counts, "bad": sum(1 for row in rows if row.problems), "programmes_new": len(new_programmes)}

    def apply(self, rows: list[Row], ctx: Context) -> dict:
        from monitoring.services import enrolment_upsert
        from people.models import Student

        created = updated = 0
        made: dict[tuple, Programme] = {}
        students = Student.objects.in_bulk([row.values["student_id"] for row in rows if row.action in {"create", "update"}])
        for row in rows:
            if row.action not in {"create", "update"}:
                continue
            values = row.values
            programme = values["programme_obj"]
            if programme is None:
                key = (values["provider_obj"].pk, name_key(values["programme"]))
                programme = made.get(key)
                if programme is None:
                    programme = made[key] = Programme.objects.create(
                        title=values["programme"], provider=values["provider_obj"], municipality=values["provider_obj"].municipality,
                        direction=values["direction"],
                    )  # fmt: skip
            _, new = enrolment_upsert(
                student=students[values["student_id"]], programme=programme, starts_on=values["starts_on"], ends_on=values["ends_on"],
                by=ctx.user, source=ProgrammeEnrolment.Source.IMPORTED,
            )  # fmt: skip
            created += new
            updated += not new
        return {"created": created, "updated": updated, "accounts": 0}


IMPORTER = AdditionalImporter()
