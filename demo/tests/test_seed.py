from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase

from access.policy import viewer_for
from core.search import filter_by_search
from demo.region import DEMO_LOGINS, DEMO_PASSWORD, build_demo_region, demo_password_hash
from orgs.models import Municipality, Organization, SchoolClass, SchoolYear
from people.models import ClassAssignment, Enrollment, ParentLink, Person, Student

SCALE = 2400

MUNICIPALITY_NAMES = {
    "г. Владикавказ", "Алагирский район", "Ардонский район", "Дигорский район", "Ирафский район",
    "Кировский район", "Моздокский район", "Правобережный район", "Пригородный район",
}  # fmt: skip

EXPECTED_ROLES = {
    "minobr": "ministry_admin",
    "analitik": "ministry_analyst",
    "copp": "operator_staff",
    "mun": "municipal_coordinator",
    "koordinator": "school_coordinator",
    "navigator": "teacher_navigator",
    "klruk": "class_teacher",
    "psiholog": "psychologist",
    "partner": "partner_representative",
    "expert": "jury_expert",
    "roditel": "parent",
    "uchenik": "student",
}


class DemoRegionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.counts = build_demo_region(seed=1, scale=SCALE)
        cls.current_year = SchoolYear.objects.get(is_current=True)
        cls.city = Municipality.objects.get(name="г. Владикавказ")
        city_schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL, municipality=cls.city)
        cls.demo_school = city_schools.order_by("pk").first()

    def demo_class(self, grade: int, letter: str = "А") -> SchoolClass:
        return SchoolClass.objects.get(school=self.demo_school, school_year=self.current_year, grade=grade, letter=letter)

    def viewer(self, username: str):
        return viewer_for(get_user_model().objects.get(username=username))

    def test_municipalities_are_the_city_and_eight_districts_each_with_a_department(self):
        self.assertEqual(set(Municipality.objects.values_list("name", flat=True)), MUNICIPALITY_NAMES)
        self.assertEqual(Municipality.objects.filter(kind=Municipality.Kind.CITY).get(), self.city)
        departments = Organization.objects.filter(kind=Organization.Kind.MUNICIPAL_DEPARTMENT)
        self.assertEqual(Counter(departments.values_list("municipality__name", flat=True)), Counter(MUNICIPALITY_NAMES))
        self.assertTrue(departments.filter(name="Управление образования АМС г. Владикавказа").exists())

    def test_counts_match_the_database_and_the_scale(self):
        self.assertEqual(self.counts["students"], Student.objects.count())
        self.assertEqual(self.counts["schools"], Organization.objects.filter(kind=Organization.Kind.SCHOOL).count())
        self.assertEqual(self.counts["classes"], SchoolClass.objects.filter(school_year=self.current_year).count())
        self.assertAlmostEqual(self.counts["students"], SCALE, delta=SCALE * 0.15)
        self.assertEqual(self.counts["demo_users"], 12)

    def test_every_school_has_grades_6_to_11_this_year(self):
        grades_by_school: dict[int, set[int]] = {}
        this_year = SchoolClass.objects.filter(school_year=self.current_year)
        for school_id, grade in this_year.values_list("school_id", "grade"):
            grades_by_school.setdefault(school_id, set()).add(grade)
        schools = set(Organization.objects.filter(kind=Organization.Kind.SCHOOL).values_list("pk", flat=True))
        self.assertEqual(set(grades_by_school), schools)
        for grades in grades_by_school.values():
            self.assertEqual(grades, set(range(6, 12)))

    def test_each_student_has_exactly_one_open_enrollment_matching_the_current_class(self):
        open_enrollments = Enrollment.objects.filter(ended_on__isnull=True)
        self.assertEqual(set(Counter(open_enrollments.values_list("student_id", flat=True)).values()), {1})
        open_class_by_student = dict(open_enrollments.values_list("student_id", "school_class_id"))
        school_by_class = dict(SchoolClass.objects.values_list("pk", "school_id"))
        students = Student.objects.values_list("pk", "current_class_id", "current_school_id")
        self.assertEqual(len(students), len(open_class_by_student))
        for student_id, class_id, school_id in students:
            self.assertEqual(open_class_by_student[student_id], class_id)
            self.assertEqual(school_by_class[class_id], school_id)

    def test_history_holds_last_years_class_one_grade_lower(self):
        ended = Enrollment.objects.filter(ended_on__isnull=False).select_related("school_class__school_year", "student__current_class")
        self.assertGreater(ended.count(), Student.objects.count() // 2)
        for enrollment in ended[:200]:
            self.assertFalse(enrollment.school_class.school_year.is_current)
            self.assertEqual(enrollment.school_class.grade, enrollment.student.current_class.grade - 1)
            self.assertEqual(enrollment.school_class.school_id, enrollment.student.current_class.school_id)

    def test_every_student_has_a_parent_and_every_class_its_teachers(self):
        self.assertFalse(Student.objects.filter(parent_links__isnull=True).exists())
        for school_class in SchoolClass.objects.filter(school_year=self.current_year):
            kinds = Counter(school_class.assignments.values_list("kind", flat=True))
            self.assertEqual(kinds, {ClassAssignment.Kind.CLASS_TEACHER: 1, ClassAssignment.Kind.NAVIGATOR: 1})
        navigator_loads = Counter(ClassAssignment.objects.filter(kind=ClassAssignment.Kind.NAVIGATOR).values_list("person_id", flat=True))
        self.assertTrue(set(navigator_loads.values()) <= {2, 3, 4})

    def test_search_text_is_filled_and_finds_the_schools_of_vladikavkaz(self):
        schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL)
        found = set(filter_by_search(schools, "владикавказа"))
        self.assertEqual(found, set(schools.filter(municipality=self.city)))
        self.assertFalse(Person.objects.filter(search_text="").exists())
        self.assertFalse(Organization.objects.filter(search_text="").exists())
        # Rows go in as plain tuples: their search text must be exactly what save() would have stored.
        for person in Person.objects.order_by("pk")[:300]:
            self.assertEqual(person.search_text, person.build_search_text())
        for student in Student.objects.select_related("person").order_by("pk")[:300]:
            self.assertEqual(student.search_text, student.person.search_text)

    def test_demo_users_hold_exactly_their_role(self):
        self.assertEqual({login.username for login in DEMO_LOGINS}, set(EXPECTED_ROLES))
        for username, role in EXPECTED_ROLES.items():
            user = get_user_model().objects.get(username=username)
            self.assertTrue(user.is_demo)
            self.assertEqual(user.password, demo_password_hash())
            self.assertFalse(user.must_change_password)
            self.assertEqual(user.email, f"{username}@demo.profnav.local")
            self.assertEqual(user.last_name, user.person.last_name)
            viewer = viewer_for(user)
            self.assertEqual(viewer.primary_role, role, username)
            self.assertEqual(viewer.roles, (role,), username)

    def test_demo_logins_carry_a_production_hash_even_when_built_under_the_tests_fast_hasher(self):
        """Issue 9, point 7: the bench builds its database with DJANGO_TESTING=1, whose preferred hasher is MD5; a
        server configured for production (PBKDF2 only) must still sign the demo logins in."""
        user = get_user_model().objects.get(username="koordinator")
        self.assertTrue(user.password.startswith("pbkdf2_sha256$"))
        with self.settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
            self.assertTrue(check_password(DEMO_PASSWORD, user.password))
            self.assertFalse(check_password("not-the-demo-password", user.password))

    def test_demo_users_see_the_first_school_of_vladikavkaz(self):
        self.assertEqual(self.viewer("mun").municipality_ids, {self.city.pk})
        self.assertEqual(self.viewer("koordinator").school_ids, {self.demo_school.pk})
        self.assertEqual(self.viewer("psiholog").school_ids, {self.demo_school.pk})
        self.assertEqual(self.viewer("navigator").class_ids, {self.demo_class(8).pk, self.demo_class(9).pk})
        self.assertEqual(self.viewer("klruk").class_ids, {self.demo_class(8).pk})

        children = Student.objects.filter(pk__in=self.viewer("roditel").child_student_ids)
        self.assertEqual(children.count(), 2)
        self.assertEqual(set(children.values_list("current_school", flat=True)), {self.demo_school.pk})
        self.assertIn(self.demo_class(8).pk, set(children.values_list("current_class", flat=True)))

        pupil = Student.objects.get(pk=self.viewer("uchenik").own_student_id)
        self.assertEqual(pupil.current_class, self.demo_class(8))
        self.assertTrue(ParentLink.objects.filter(student=pupil, parent__user__username="roditel").exists())
        partner_org = Organization.objects.get(pk__in=self.viewer("partner").partner_org_ids)
        self.assertEqual(partner_org.kind, Organization.Kind.EMPLOYER)

    def test_demo_logins_prints_every_login_and_the_password(self):
        out = StringIO()
        call_command("demo_logins", "--address", "http://127.0.0.1:8000/", stdout=out)
        printed = out.getvalue()
        self.assertIn("http://127.0.0.1:8000/", printed)
        self.assertIn(DEMO_PASSWORD, printed)
        self.assertIn(self.demo_school.short_name, printed)
        for login in DEMO_LOGINS:
            self.assertIn(login.username, printed)
            self.assertIn(login.role_label, printed)

    def test_seed_demo_if_empty_leaves_a_built_region_alone(self):
        out = StringIO()
        call_command("seed_demo", "--if-empty", stdout=out)
        self.assertIn("уже построен", out.getvalue())
        self.assertEqual(Student.objects.count(), self.counts["students"])
        with self.assertRaises(CommandError):
            call_command("seed_demo", stdout=StringIO())


class _RolledBack(Exception):
    def __init__(self, result):
        self.result = result


def _build_and_roll_back(*, seed: int):
    """Counts and the first student names of a fresh build, leaving the database as it was."""
    try:
        with transaction.atomic():
            counts = build_demo_region(seed=seed, scale=600)
            names = [student.person.full_name for student in Student.objects.select_related("person").order_by("pk")[:20]]
            raise _RolledBack((counts, names))
    except _RolledBack as rolled_back:
        return rolled_back.result


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_region():
    first, second, other_seed = (_build_and_roll_back(seed=seed) for seed in (1, 1, 2))
    assert first == second
    assert first[1] != other_seed[1]
    assert not Municipality.objects.exists()


@pytest.mark.django_db
def test_seed_demo_builds_on_an_empty_database(settings, tmp_path):
    # The schools' orders are stored like uploads: into a temporary folder here.
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    out = StringIO()
    call_command("seed_demo", "--scale", "300", stdout=out)
    assert Municipality.objects.count() == 9
    assert "Обучающиеся:" in out.getvalue()
    assert get_user_model().objects.filter(is_demo=True).count() == 12
