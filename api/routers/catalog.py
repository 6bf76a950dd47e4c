"""The catalogue through the API: professions, the republic's colleges and universities, their programmes.

The catalogue holds no personal data, but it is read as the pages read it: by a signed-in person (a token or a
session), under the same rate limit; nothing is written to the read log."""

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import P, Path, Query, Router, Schema
from pydantic import Field, StringConstraints

from api.schemas import MAX_ID, ErrorOut, PageNumber, ValidationErrorOut
from catalog.models import Profession, Programme, Speciality
from catalog.riasec import TYPE_NAMES
from catalog.selectors import INSTITUTION_KINDS, institutions_list, profession_get, professions_search, programmes_list
from orgs.models import Organization

router = Router(tags=["Каталог профессий и программ"])
PAGE_SIZE = 50
DEMO_LABEL = "демонстрационные данные"

SearchText = Annotated[str, StringConstraints(max_length=100)]
RiasecCode = Annotated[str, StringConstraints(pattern=r"^[RIASECriasec]{1,3}$")]
OksoPrefix = Annotated[str, StringConstraints(pattern=r"^\d{2}(\.\d{2}(\.\d{2})?)?$")]


def _page(rows, page: int) -> dict:
    start = (page - 1) * PAGE_SIZE
    return {"items": list(rows[start : start + PAGE_SIZE]), "count": rows.count()}


# --- professions ----------------------------------------------------------------------------------------------


class SectorOut(Schema):
    code: str = Field(description="Код отрасли.")
    title: str = Field(description="Отрасль (как в курсе «Россия — мои горизонты»).")


class ProfessionListItemOut(Schema):
    id: int = Field(description="Идентификатор профессии.")
    code: str = Field(description="Код профессии в каталоге.")
    title: str = Field(description="Название.")
    main_sector: SectorOut = Field(description="Основная отрасль.")
    holland_code: str = Field(description="Код Голланда: три ведущих типа RIASEC, например «RIC».")
    klimov: str = Field(description="Тип по Климову (код): nature, technic, human, sign, art.")
    klimov_label: str = Field(description="Тип по Климову по-русски.")
    demand: str = Field(description="Востребованность в республике (код): high, medium, low, unknown.")

    @staticmethod
    def resolve_klimov_label(profession: Profession) -> str:
        return profession.get_klimov_display()


class ProfessionPageOut(Schema):
    items: list[ProfessionListItemOut] = Field(description="Профессии на этой странице.")
    count: int = Field(description="Сколько всего найдено профессий.")


class ProfessionListParams(Schema):
    page: PageNumber = Field(1, description="Номер страницы (по 50 профессий).")
    q: SearchText | None = Field(None, description="Поиск по названию и описанию; точные совпадения первыми.")
    sector: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        None, description="Отрасль (код): основная или одна из отраслей профессии. Неизвестный код — пустой список."
    )
    riasec: RiasecCode | None = Field(None, description="С чего начинается код Голланда: одна–три буквы RIASEC, например «S» или «SA».")
    klimov: Literal[tuple(Profession.Klimov.values)] | None = Field(None, description="Тип по Климову (код).")


class RiasecScoreOut(Schema):
    letter: str = Field(description="Тип (буква RIASEC).")
    name: str = Field(description="Тип по-русски.")
    score: float = Field(description="Выраженность от 1 до 7 (шкала O*NET).")


class ProgrammeBriefOut(Schema):
    id: int = Field(description="Идентификатор программы.")
    title: str = Field(description="Наименование программы.")
    institution_id: int = Field(description="Идентификатор колледжа или вуза.")
    institution: str = Field(description="Краткое название колледжа или вуза.")
    is_confirmed: bool = Field(description="Сведения подтверждены оператором каталога.")

    @staticmethod
    def resolve_institution(programme: Programme) -> str:
        return programme.institution.short_name or programme.institution.name


class EducationPathOut(Schema):
    okso: str = Field(description="Код ОКСО, например «09.02.07».")
    title: str = Field(description="Наименование профессии, специальности или направления по ОКСО.")
    level: str = Field(description="Уровень (код): spo_worker, spo_specialist, bachelor, specialist, master.")
    level_label: str = Field(description="Уровень по-русски.")
    programmes: list[ProgrammeBriefOut] = Field(description="Программы по этому коду в колледжах и вузах республики.")

    @staticmethod
    def resolve_okso(speciality: Speciality) -> str:
        return speciality.code

    @staticmethod
    def resolve_level_label(speciality: Speciality) -> str:
        return speciality.get_level_display()

    @staticmethod
    def resolve_programmes(speciality: Speciality) -> list[Programme]:
        return list(speciality.programmes.all())


class DemandOut(Schema):
    level: str = Field(description="Востребованность (код): high, medium, low, unknown.")
    label: str = Field(description="Востребованность по-русски.")
    is_demo: bool = Field(description="Демонстрационные данные (ещё не заданы оператором) — показывать с этой пометкой.")
    note: str = Field(description="Пометка для показа: «демонстрационные данные» или пусто.")
    source: str = Field(description="Источник сведений о спросе и зарплате.")
    updated_on: datetime.date | None = Field(description="Когда сведения обновлены.")


class PayOut(Schema):
    pay_from: int | None = Field(description="Зарплата от, ₽ в месяц.")
    pay_to: int | None = Field(description="Зарплата до, ₽ в месяц.")
    is_demo: bool = Field(description="Демонстрационные данные.")


class ProfessionOut(ProfessionListItemOut):
    summary: str = Field(description="Чем занимается: два-три предложения.")
    sectors: list[SectorOut] = Field(description="Все отрасли профессии, начиная с основной.")
    riasec: list[RiasecScoreOut] = Field(description="Профиль интересов по шести типам RIASEC.")
    profile_source: str = Field(description="Источник профиля RIASEC по-русски.")
    education_paths: list[EducationPathOut] = Field(description="Типичные пути обучения: коды ОКСО и программы республики.")
    paths_note: str = Field(description="Пояснение к путям обучения.")
    demand_info: DemandOut = Field(description="Востребованность в республике с пометкой о демонстрационных данных.")
    pay: PayOut = Field(description="Зарплата, ₽ в месяц.")

    @staticmethod
    def resolve_sectors(profession: Profession) -> list:
        others = sorted((s for s in profession.sectors.all() if s.pk != profession.main_sector_id), key=lambda s: (s.position, s.title))
        return [profession.main_sector, *others]

    @staticmethod
    def resolve_riasec(profession: Profession) -> list[dict]:
        return [{"letter": letter, "name": TYPE_NAMES[letter], "score": score} for letter, score in profession.profile.items()]

    @staticmethod
    def resolve_profile_source(profession: Profession) -> str:
        note = profession.profile_source_note
        return profession.get_profile_source_display() + (f" — {note}" if note else "")

    @staticmethod
    def resolve_education_paths(profession: Profession) -> list[Speciality]:
        return list(profession.specialities.all())

    @staticmethod
    def resolve_demand_info(profession: Profession) -> dict:
        return {
            "level": profession.demand,
            "label": profession.get_demand_display(),
            "is_demo": profession.market_is_demo,
            "note": DEMO_LABEL if profession.market_is_demo else "",
            "source": profession.market_source,
            "updated_on": profession.market_updated_on,
        }

    @staticmethod
    def resolve_pay(profession: Profession) -> dict:
        return {"pay_from": profession.pay_from, "pay_to": profession.pay_to, "is_demo": profession.market_is_demo}


@router.get("/professions", response={200: ProfessionPageOut, 401: ErrorOut, 422: ValidationErrorOut}, summary="Профессии каталога")
def professions(request: HttpRequest, params: Query[ProfessionListParams]):
    """Профессии каталога по алфавиту (при поиске — точные совпадения первыми), по 50 на странице: поиск по
    тексту, отрасль, начало кода Голланда (RIASEC), тип по Климову. Каталог один для всех вошедших."""
    rows = professions_search(query=params.q or "", sector=params.sector or "", riasec=params.riasec or "", klimov=params.klimov or "")
    return _page(rows, params.page)


@router.get("/professions/{id}", response={200: ProfessionOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}, summary="Профессия")
def profession(request: HttpRequest, profession_id: Path[int, P(alias="id", ge=1, le=MAX_ID, description="Идентификатор профессии.")]):
    """Профессия: описание, отрасли, профиль RIASEC и его источник, тип по Климову, пути обучения с кодами ОКСО
    и программами колледжей и вузов республики, востребованность (с пометкой «демонстрационные данные», пока
    оператор их не задал) и зарплата. Снятая с каталога профессия — 404."""
    return profession_get(pk=profession_id)


# --- institutions and programmes --------------------------------------------------------------------------------


class InstitutionOut(Schema):
    id: int = Field(description="Идентификатор организации.")
    name: str = Field(description="Полное название.")
    short_name: str = Field(description="Краткое название.")
    kind: str = Field(description="Тип (код): college — колледж (СПО), university — вуз.")
    kind_label: str = Field(description="Тип по-русски.")
    municipality: str = Field(description="Муниципалитет (пусто — республиканская организация).")
    programme_count: int = Field(description="Сколько программ ведут приём.")

    @staticmethod
    def resolve_kind_label(organization: Organization) -> str:
        return organization.get_kind_display()

    @staticmethod
    def resolve_municipality(organization: Organization) -> str:
        return organization.municipality.name if organization.municipality else ""


class InstitutionPageOut(Schema):
    items: list[InstitutionOut] = Field(description="Колледжи и вузы на этой странице, по названию.")
    count: int = Field(description="Сколько всего найдено.")


class InstitutionListParams(Schema):
    page: PageNumber = Field(1, description="Номер страницы (по 50).")
    q: SearchText | None = Field(None, description="Поиск по названию и адресу.")
    kind: Literal[tuple(str(kind) for kind in INSTITUTION_KINDS)] | None = Field(None, description="Только колледжи или только вузы.")


class ProgrammeOut(Schema):
    id: int = Field(description="Идентификатор программы.")
    title: str = Field(description="Наименование программы.")
    profile: str = Field(description="Профиль (направленность).")
    okso: str = Field(description="Код ОКСО.")
    okso_title: str = Field(description="Наименование по ОКСО.")
    level: str = Field(description="Уровень (код): spo_worker, spo_specialist, bachelor, specialist, master.")
    level_label: str = Field(description="Уровень по-русски.")
    form: str = Field(description="Форма обучения (код): full_time, part_time, extramural; пусто — не указана.")
    form_label: str = Field(description="Форма обучения по-русски.")
    institution_id: int = Field(description="Идентификатор колледжа или вуза.")
    institution: str = Field(description="Краткое название колледжа или вуза.")
    url: str = Field(description="Страница программы.")
    is_confirmed: bool = Field(description="Сведения подтверждены оператором каталога (иначе — «не подтверждено»).")

    @staticmethod
    def resolve_okso(programme: Programme) -> str:
        return programme.speciality.code

    @staticmethod
    def resolve_okso_title(programme: Programme) -> str:
        return programme.speciality.title

    @staticmethod
    def resolve_level(programme: Programme) -> str:
        return programme.speciality.level

    @staticmethod
    def resolve_level_label(programme: Programme) -> str:
        return programme.speciality.get_level_display()

    @staticmethod
    def resolve_form_label(programme: Programme) -> str:
        return programme.get_form_display()

    @staticmethod
    def resolve_institution(programme: Programme) -> str:
        return programme.institution.short_name or programme.institution.name


class ProgrammePageOut(Schema):
    items: list[ProgrammeOut] = Field(description="Программы на этой странице, по коду ОКСО и названию.")
    count: int = Field(description="Сколько всего найдено.")


class ProgrammeListParams(Schema):
    page: PageNumber = Field(1, description="Номер страницы (по 50).")
    institution: Annotated[int, Field(ge=1, le=MAX_ID)] | None = Field(None, description="Идентификатор колледжа или вуза.")
    okso: OksoPrefix | None = Field(None, description="Код ОКСО целиком («09.02.07») или его начало («09.02», «09»).")
    level: Literal[tuple(Speciality.Level.values)] | None = Field(None, description="Уровень образования (код).")
    confirmed: bool | None = Field(None, description="true — только подтверждённые оператором, false — только неподтверждённые.")
    q: SearchText | None = Field(None, description="Поиск по наименованию и профилю.")


@router.get("/institutions", response={200: InstitutionPageOut, 401: ErrorOut, 422: ValidationErrorOut}, summary="Колледжи и вузы")
def institutions(request: HttpRequest, params: Query[InstitutionListParams]):
    """Колледжи (СПО) и вузы республики по названию, по 50 на странице, с числом программ, ведущих приём."""
    return _page(institutions_list(query=params.q or "", kind=params.kind or ""), params.page)


@router.get("/programmes", response={200: ProgrammePageOut, 401: ErrorOut, 422: ValidationErrorOut}, summary="Образовательные программы")
def programmes(request: HttpRequest, params: Query[ProgrammeListParams]):
    """Программы колледжей и вузов республики, ведущие приём, по коду ОКСО, по 50 на странице: фильтры по
    организации, коду ОКСО (или его началу), уровню и подтверждённости. Неподтверждённые оператором сведения
    помечены is_confirmed = false."""
    rows = programmes_list(
        institution_id=params.institution, okso=params.okso or "", level=params.level or "", confirmed=params.confirmed,
        query=params.q or "",
    )  # fmt: skip
    return _page(rows, params.page)
