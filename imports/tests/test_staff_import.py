from access.models import AccessChange
from imports.models import ImportProblem
from imports.tests.conftest import xlsx_bytes
from people.models import ClassAssignment, Person, StaffMembership

HEADER = ["ФИО", "Роль", "Классы", "E-mail"]


def test_a_coordinator_loads_the_schools_staff_with_roles_and_classes_and_a_reimport_changes_nothing(cast, importing):
    rows = [
        ["Гаглоева Зарина Петровна", "классный руководитель", "8А, 9 а", "gagloeva@school.ru"],
        ["Кесаев Тамерлан", "Педагог-психолог", "", ""],
        ["Дзуцева Ирина", "директор", "", ""],
        ["Бериев Олег", "педагог-навигатор", "7Я", ""],
    ]
    content = xlsx_bytes(HEADER, rows)
    batch = importing.check(content, kind="staff")
    problems = list(ImportProblem.objects.filter(batch=batch).values_list("row", "column", "message"))
    assert problems[0][:2] == (6, "Роль") and "«директор» — не роль" in problems[0][2]
    assert problems[1] == (7, "Классы", "в школе нет классов 7Я этого учебного года: загрузите сначала классы")
    batch = importing.commit(batch, skip_errors=True)
    assert batch.status == "done" and batch.message.startswith("Загружено. Новых: 2 сотрудника")
    teacher = Person.objects.get(last_name="Гаглоева")
    assert StaffMembership.objects.filter(person=teacher, organization=cast.orgs["a1"], role="class_teacher").exists()
    assert set(ClassAssignment.objects.filter(person=teacher).values_list("school_class", flat=True)) == {
        cast.classes["a1_8a"].pk,
        cast.classes["a1_9a"].pk,
    }
    assert teacher.user.email == "gagloeva@school.ru" and not teacher.user.has_usable_password()
    assert AccessChange.objects.filter(target_person=teacher, action="role_granted", actor=cast.user("coordinator_a1")).exists()
    people, memberships = Person.objects.count(), StaffMembership.objects.count()
    again = importing.load(content, kind="staff", skip_errors=True)
    assert (again.created_count, again.unchanged_count) == (0, 2)
    assert (Person.objects.count(), StaffMembership.objects.count()) == (people, memberships)


def test_a_role_the_uploader_may_not_grant_is_refused_in_its_row(cast, importing):
    batch = importing.check(xlsx_bytes(HEADER, [["Цаголов Артур", "школьный координатор", "", ""]]), kind="staff")
    problems = list(ImportProblem.objects.filter(batch=batch).values_list("column", "message"))
    # A school coordinator does not appoint another one (the municipality does).
    assert problems == [("Роль", "вы не можете выдать роль «школьный координатор профминимума» в этой школе")]
    batch = importing.check(xlsx_bytes(HEADER, [["Цаголов Артур", "школьный координатор", "", ""]]), kind="staff", user="municipal_a")
    assert batch.rows_bad == 0 and batch.plan["create"] == 1
