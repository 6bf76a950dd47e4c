"""Attendance of a профминимум activity through the API: the marks of one class read and saved as on the
attendance page, through profminimum.services.attendance_save and its rules (a lesson that has not happened yet,
a deleted one, students not in the class: refused with the service's Russian message)."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import P, Path, Query, Router, Schema
from pydantic import Field

from access.policy import Viewer, classes_visible, viewer_for
from access.services import personal_data_read_log
from api.schemas import MAX_ID, ErrorOut, ObjectId, ValidationErrorOut
from orgs.models import SchoolClass
from profminimum import selectors, services
from profminimum.models import Activity
from profminimum.policy import activities_visible, can_mark_attendance, markable_classes

router = Router(tags=["Профминимум: посещаемость"])

NO_CLASS = "Нет класса, в котором вы отмечаете посещаемость этого мероприятия."
MAX_MARKS = 100


class ClassParams(Schema):
    class_id: ObjectId | None = Field(None, description="Класс; по умолчанию — первый класс мероприятия, в котором пользователь отмечает.")


class MarkOut(Schema):
    student_id: int = Field(description="Идентификатор обучающегося.")
    full_name: str = Field(description="Фамилия, имя, отчество.")
    marked: bool = Field(description="Посещаемость уже отмечена.")
    present: bool | None = Field(description="Присутствовал (null — ещё не отмечено).")
    excuse: str = Field(description="Причина отсутствия.")


class AttendanceOut(Schema):
    activity_id: int = Field(description="Идентификатор мероприятия.")
    title: str = Field(description="Мероприятие.")
    starts_at: datetime.datetime = Field(description="Начало.")
    hours: float = Field(description="Часов засчитывается присутствовавшему.")
    class_id: int = Field(description="Идентификатор класса.")
    class_name: str = Field(description="Класс, например «8 «А»».")
    students: list[MarkOut] = Field(description="Обучающиеся класса, участвующие в мероприятии, по алфавиту.")


class MarkIn(Schema):
    student_id: ObjectId = Field(description="Идентификатор обучающегося класса.")
    present: bool = Field(strict=True, description="Присутствовал (true или false).")
    excuse: str = Field("", max_length=200, description="Причина отсутствия (для отсутствовавшего).")


class AttendanceIn(Schema):
    class_id: ObjectId | None = Field(None, description="Класс; по умолчанию — первый класс мероприятия, в котором пользователь отмечает.")
    marks: list[MarkIn] = Field(min_length=1, max_length=MAX_MARKS, description=f"Отметки (от 1 до {MAX_MARKS}), по одной на обучающегося.")


class AttendanceSavedOut(AttendanceOut):
    newly_marked: int = Field(description="Отмечено впервые.")
    changed: int = Field(description="Исправлено отметок.")
    hours_delta: float = Field(description="На сколько часов изменились зачтённые часы.")


def _activity(viewer: Viewer, pk: int) -> Activity:
    return get_object_or_404(activities_visible(viewer).select_related("direction", "school", "school_year"), pk=pk)


def _markable_class(viewer: Viewer, activity: Activity, class_pk: int | None) -> SchoolClass:
    """The class whose marks are read or saved: one the viewer marks, taking part in the activity (else 404)."""
    ids = set(activity.classes.values_list("pk", flat=True)) | set(activity.students.values_list("current_class", flat=True))
    ids.discard(None)
    if class_pk is not None:
        if class_pk not in ids:
            raise Http404
        school_class = get_object_or_404(classes_visible(viewer).select_related("school"), pk=class_pk)
        if not can_mark_attendance(viewer, school_class):
            raise Http404
        return school_class
    school_class = markable_classes(viewer).filter(pk__in=sorted(ids)).select_related("school").order_by("grade", "letter").first()
    if school_class is None:
        raise Http404(NO_CLASS)
    return school_class


def _attendance(viewer: Viewer, activity: Activity, school_class: SchoolClass) -> tuple[dict, list]:
    students = selectors.attendance_students(viewer=viewer, activity=activity, school_class=school_class)
    saved = selectors.attendance_saved(activity=activity, students=students)
    answer = {
        "activity_id": activity.pk, "title": activity.title, "starts_at": activity.starts_at, "hours": float(activity.duration_hours),
        "class_id": school_class.pk, "class_name": school_class.name,
        "students": [
            {
                "student_id": s.pk, "full_name": s.person.full_name, "marked": s.pk in saved,
                "present": saved[s.pk].present if s.pk in saved else None, "excuse": saved[s.pk].excuse if s.pk in saved else "",
            }
            for s in students
        ],
    }  # fmt: skip
    return answer, students


ACTIVITY_ID = P(alias="id", ge=1, le=MAX_ID, description="Идентификатор мероприятия.")


@router.get(
    "/activities/{id}/attendance",
    response={200: AttendanceOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Посещаемость мероприятия",
)
def attendance_get(request: HttpRequest, activity_id: Path[int, ACTIVITY_ID], params: Query[ClassParams]):
    """Отметки класса о посещении мероприятия профминимума: классный руководитель и навигатор — своих классов,
    координатор — любого класса школы. Мероприятие или класс, которые пользователю не положено отмечать, — 404.
    Чтение записывается в журнал чтения персональных данных."""
    viewer = viewer_for(request.user)
    activity = _activity(viewer, activity_id)
    school_class = _markable_class(viewer, activity, params.class_id)
    answer, students = _attendance(viewer, activity, school_class)
    personal_data_read_log(
        user=request.user, subject=f"посещаемость: {activity.title}, {school_class} ({school_class.school}) (API)",
        channel="api", person_ids=[s.person_id for s in students],
    )  # fmt: skip
    return 200, answer


@router.put(
    "/activities/{id}/attendance",
    response={200: AttendanceSavedOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Отметить посещаемость",
)
def attendance_put(request: HttpRequest, activity_id: Path[int, ACTIVITY_ID], body: AttendanceIn):
    """Сохранить отметки класса одним запросом. Новые отметки засчитывают часы присутствовавшим, изменённые
    сохраняются как исправления и переносят ровно разницу. Мероприятие, которое ещё не состоялось, или удалённое —
    422 с причиной; обучающийся не из этого класса или отмеченный дважды — 422."""
    viewer = viewer_for(request.user)
    activity = _activity(viewer, activity_id)
    school_class = _markable_class(viewer, activity, body.class_id)
    allowed = {s.pk for s in selectors.attendance_students(viewer=viewer, activity=activity, school_class=school_class)}
    errors, marks = [], {}
    for index, mark in enumerate(body.marks):
        if mark.student_id not in allowed:
            errors.append(
                {
                    "loc": ["body", "marks", index, "student_id"],
                    "msg": f"обучающийся {mark.student_id} не участвует в мероприятии в этом классе",
                    "type": "refused",
                }
            )
        elif mark.student_id in marks:
            errors.append(
                {"loc": ["body", "marks", index, "student_id"], "msg": f"обучающийся {mark.student_id} отмечен дважды", "type": "refused"}
            )
        else:
            marks[mark.student_id] = services.Mark(present=mark.present, excuse=mark.excuse)
    if errors:
        return 422, {"detail": f"Отметки не сохранены: {errors[0]['msg']}.", "errors": errors}
    try:
        result = services.attendance_save(activity=activity, marks=marks, by=request.user)
    except DjangoValidationError as error:
        message = " ".join(error.messages)
        return 422, {"detail": message, "errors": [{"loc": ["body", "marks"], "msg": message, "type": "refused"}]}
    answer, _students = _attendance(viewer, activity, school_class)
    return 200, {**answer, "newly_marked": result.marked, "changed": result.changed, "hours_delta": float(result.hours_delta)}
