import datetime

from django.urls import reverse

from imports.models import YearChangeover
from orgs.models import SchoolClass, SchoolYear
from people.models import Enrollment, Person, Student
from profminimum.rollups import rollups_difference
from profminimum.tests.conftest import Profminimum


def last_year_school(cast):
    """School A1 as it was last year: 8 «В» of three students and 11 «А» of two, who have no class this year yet."""
    start = cast.year.starts_on
    last = SchoolYear.objects.create(
        title=f"{start.year - 1}/{start.year}", starts_on=datetime.date(start.year - 1, 9, 1), ends_on=datetime.date(start.year, 5, 31)
    )
    school = cast.orgs["a1"]
    made = {}
    for grade, letter, count in ((8, "В", 3), (11, "А", 2)):
        school_class = SchoolClass.objects.create(school=school, school_year=last, grade=grade, letter=letter)
        for index in range(count):
            person = Person.objects.create(
                last_name=f"Прошлогодний{grade}", first_name=f"Имя{index}", birth_date=datetime.date(start.year - grade - 6, 2, 1)
            )
            student = Student.objects.create(person=person, current_school=school, current_class=school_class)
            Enrollment.objects.create(student=student, school_class=school_class, started_on=last.starts_on)
            made.setdefault(grade, []).append(student)
    return last, made


def test_the_preview_says_where_each_class_goes_and_the_confirmation_moves_them(cast, client):
    pm = Profminimum(cast)
    last, made = last_year_school(cast)
    client.force_login(cast.user("coordinator_a1"))
    url = reverse("imports:changeover")
    html = client.get(url).content.decode()
    assert (
        "8 «В» → 9 «В»: 3 обучающихся" in html and "Выпуск из 11-х классов: 2 обучающихся" in html and "Будут созданы классы: 9 «В»" in html
    )
    assert client.post(url, {"school": cast.orgs["a1"].pk}).status_code == 400  # not confirmed
    assert not YearChangeover.objects.exists()
    html = client.post(url, {"school": cast.orgs["a1"].pk, "confirm": "yes"}).content.decode()
    assert "переведено 3 обучающихся, выпущено 2, создано классов: 1" in html
    new_class = SchoolClass.objects.get(school=cast.orgs["a1"], school_year=cast.year, grade=9, letter="В")
    for student in made[8]:
        student.refresh_from_db()
        assert student.current_class == new_class
        history = list(
            Enrollment.objects.filter(student=student).order_by("started_on").values_list("school_class__school_year", "ended_on")
        )
        assert history == [(last.pk, cast.year.starts_on - datetime.timedelta(days=1)), (cast.year.pk, None)]
    for student in made[11]:
        student.refresh_from_db()
        assert student.current_school is None and Enrollment.objects.get(student=student).ended_on == last.ends_on
    assert rollups_difference(school_year_id=pm.year.pk) == {}
    # Once is enough.
    assert "уже переведена" in client.get(url).content.decode()


def test_a_school_of_the_current_year_has_nobody_to_move_and_another_school_is_not_offered(cast, client):
    last_year_school(cast)
    client.force_login(cast.user("coordinator_b1"))
    html = client.get(reverse("imports:changeover"), {"school": cast.orgs["a1"].pk}).content.decode()
    assert "Все обучающиеся школы уже в классах" in html and "Школа № 1 г. Альфа" not in html
    client.force_login(cast.user("class_teacher_a1"))
    assert client.get(reverse("imports:changeover")).status_code == 404
