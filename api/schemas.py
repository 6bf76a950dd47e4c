"""What the API answers with. Descriptions are in Russian: they are what a developer reads in /api/v1/docs."""

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from directory.selectors import StudentCard
from orgs.models import Organization, SchoolClass
from people.models import Enrollment, ParentLink, Student

# --- the bounds of what the API accepts ------------------------------------------------------------------------
# Every number and date the API reads is bounded here, so none reaches a query it would overflow (a page number
# of 2·10^17 made an OFFSET past 64 bits: a 500). tests/test_bounds.py checks the OpenAPI document for it.

MAX_ID = 2**63 - 1  # identifiers are 64-bit (BigAutoField)
MAX_PAGE = 100_000  # at 100 a page, ten million rows: far beyond the republic's largest list
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


def date_within_bounds(value: datetime.date) -> datetime.date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise PydanticCustomError(
            "date_out_of_range",
            "дата должна быть в пределах с {earliest} по {latest}",
            {"earliest": EARLIEST_DATE.strftime("%d.%m.%Y"), "latest": LATEST_DATE.strftime("%d.%m.%Y")},
        )
    return value


ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]
# A date the API reads: 0001-01-01 and 9999-12-31 parse as dates, and mean a mistake.
BoundedDate = Annotated[
    datetime.date,
    AfterValidator(date_within_bounds),
    Field(json_schema_extra={"x-earliest": EARLIEST_DATE.isoformat(), "x-latest": LATEST_DATE.isoformat()}),
]


class ErrorOut(Schema):
    detail: str = Field(description="Что пошло не так, по-русски.")


class ValidationErrorItemOut(Schema):
    loc: list[str | int] = Field(description='Где ошибка: часть запроса и имя параметра, например ["query", "class_id"].')
    msg: str = Field(description="Что не так.")
    type: str = Field(description="Код ошибки (pydantic).")


class ValidationErrorOut(ErrorOut):
    errors: list[ValidationErrorItemOut] = Field(description="Ошибки по параметрам.")


class RoleOut(Schema):
    code: str = Field(description="Код роли, например «school_coordinator».")
    label: str = Field(description="Название роли по-русски.")


class OrganizationOut(Schema):
    id: int = Field(description="Идентификатор организации.")
    name: str = Field(description="Полное название.")
    short_name: str = Field(description="Краткое название.")
    kind: str = Field(description="Тип организации (код), например «school».")
    kind_label: str = Field(description="Тип организации по-русски.")

    @staticmethod
    def resolve_kind_label(organization: Organization) -> str:
        return organization.get_kind_display()


class MeOut(Schema):
    username: str = Field(description="Имя для входа.")
    full_name: str = Field(description="Фамилия, имя, отчество.")
    email: str = Field(description="Адрес электронной почты (может быть пустым).")
    roles: list[RoleOut] = Field(description="Роли пользователя, начиная с самой широкой.")
    organizations: list[OrganizationOut] = Field(description="Организации, в которых пользователь состоит.")


class SchoolOut(Schema):
    id: int = Field(description="Идентификатор школы.")
    short_name: str = Field(description="Краткое название школы.")


class SchoolClassOut(Schema):
    id: int = Field(description="Идентификатор класса.")
    grade: int = Field(description="Параллель (1–11).")
    letter: str = Field(description="Литера класса.")
    name: str = Field(description="Название класса, например «8 «А»».")


class ParentOut(Schema):
    full_name: str = Field(description="ФИО родителя (законного представителя).")
    kind: str = Field(description="Кем приходится (код): mother, father, guardian.")
    kind_label: str = Field(description="Кем приходится, по-русски.")

    @staticmethod
    def resolve_full_name(link: ParentLink) -> str:
        return link.parent.full_name

    @staticmethod
    def resolve_kind_label(link: ParentLink) -> str:
        return link.get_kind_display()


class ClassHistoryItemOut(Schema):
    school_year: str = Field(description="Учебный год, например «2025/2026».")
    school: SchoolOut = Field(description="Школа.")
    class_id: int = Field(description="Идентификатор класса.")
    class_name: str = Field(description="Название класса.")
    started_on: datetime.date = Field(description="Дата зачисления в класс.")
    ended_on: datetime.date | None = Field(description="Дата выбытия из класса; пусто, если учится сейчас.")

    @staticmethod
    def resolve_school_year(enrollment: Enrollment) -> str:
        return enrollment.school_class.school_year.title

    @staticmethod
    def resolve_school(enrollment: Enrollment) -> Organization:
        return enrollment.school_class.school

    @staticmethod
    def resolve_class_id(enrollment: Enrollment) -> int:
        return enrollment.school_class_id

    @staticmethod
    def resolve_class_name(enrollment: Enrollment) -> str:
        return enrollment.school_class.name


class StudentCardOut(Schema):
    id: int = Field(description="Идентификатор обучающегося.")
    full_name: str = Field(description="Фамилия, имя, отчество.")
    birth_date: datetime.date | None = Field(description="Дата рождения.")
    school: SchoolOut | None = Field(description="Школа, в которой учится сейчас.")
    school_class: SchoolClassOut | None = Field(description="Класс, в котором учится сейчас.")
    has_disabilities: bool = Field(description="Обучающийся с ОВЗ.")
    parents: list[ParentOut] = Field(description="Родители и законные представители.")
    class_history: list[ClassHistoryItemOut] = Field(description="История классов, начиная с последнего.")

    # The selector returns a StudentCard (student + history + parents); the fields are read from it here.
    @staticmethod
    def resolve_id(card: StudentCard) -> int:
        return card.student.pk

    @staticmethod
    def resolve_full_name(card: StudentCard) -> str:
        return card.student.person.full_name

    @staticmethod
    def resolve_birth_date(card: StudentCard) -> datetime.date | None:
        return card.student.person.birth_date

    @staticmethod
    def resolve_school(card: StudentCard) -> Organization | None:
        return card.student.current_school

    @staticmethod
    def resolve_school_class(card: StudentCard) -> SchoolClass | None:
        return card.student.current_class

    @staticmethod
    def resolve_has_disabilities(card: StudentCard) -> bool:
        return card.student.has_disabilities

    @staticmethod
    def resolve_class_history(card: StudentCard) -> list[Enrollment]:
        return card.enrollments


class StudentListParams(Schema):
    """Query parameters of the class list; page and page_size are what ninja's PageNumberPagination reads."""

    class_id: ObjectId = Field(description="Идентификатор класса.")
    page: PageNumber = Field(1, description="Номер страницы, с 1 (не больше 100 000).")
    page_size: int | None = Field(None, ge=1, le=100, description="Сколько обучающихся на странице (до 100, по умолчанию 50).")


class StudentListItemOut(Schema):
    id: int = Field(description="Идентификатор обучающегося.")
    full_name: str = Field(description="Фамилия, имя, отчество.")
    birth_date: datetime.date | None = Field(description="Дата рождения.")

    @staticmethod
    def resolve_full_name(student: Student) -> str:
        return student.person.full_name

    @staticmethod
    def resolve_birth_date(student: Student) -> datetime.date | None:
        return student.person.birth_date


class StudentPageOut(Schema):
    items: list[StudentListItemOut] = Field(description="Обучающиеся на этой странице, по алфавиту.")
    count: int = Field(description="Сколько всего обучающихся в классе (на всех страницах).")
