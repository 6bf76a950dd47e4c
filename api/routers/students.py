from django.http import HttpRequest
from ninja import P, Path, Query, Router
from ninja.pagination import PageNumberPagination

from access.policy import viewer_for
from access.services import personal_data_read_log
from api.schemas import MAX_ID, ErrorOut, StudentCardOut, StudentListParams, StudentPageOut, ValidationErrorOut
from directory.selectors import school_class_get, student_card, student_list

router = Router(tags=["Обучающиеся"])

# Pagination is applied in the view rather than by @paginate so that the read log counts exactly the
# people handed out on this page.
paginator = PageNumberPagination(page_size=50, max_page_size=100)


@router.get(
    "",
    response={200: StudentPageOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Обучающиеся класса",
)
def students_of_class(request: HttpRequest, params: Query[StudentListParams]):
    """Обучающиеся класса по алфавиту, постранично. Класс, который пользователю не положено открывать, — 404.
    Чтение записывается в журнал чтения персональных данных (одна запись на страницу)."""
    viewer = viewer_for(request.user)
    school_class = school_class_get(viewer=viewer, pk=params.class_id)
    page = paginator.paginate_queryset(student_list(viewer=viewer, school_class=school_class), params, request)
    students = list(page["items"])
    personal_data_read_log(
        user=request.user, subject=f"список класса {school_class} ({school_class.school}) (API)", channel="api",
        person_ids=[student.person_id for student in students],
    )  # fmt: skip
    return {"items": students, "count": page["count"]}


@router.get(
    "/{id}",
    response={200: StudentCardOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Карточка обучающегося",
)
def student_detail(request: HttpRequest, student_id: Path[int, P(alias="id", ge=1, le=MAX_ID, description="Идентификатор обучающегося.")]):
    """Карточка обучающегося: школа, класс, родители, история классов. Обучающийся, которого пользователю
    не положено видеть, — 404. Каждое чтение записывается в журнал чтения персональных данных."""
    card = student_card(viewer=viewer_for(request.user), pk=student_id)
    personal_data_read_log(user=request.user, subject="карточка обучающегося (API)", channel="api", person_id=card.student.person_id)
    return card
