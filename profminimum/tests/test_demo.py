"""The demo профминимум: a plausible history whose rollups agree with its ledger, on school days only, and
every school order a real document that the level page and the dashboard describe alike."""

import datetime
import io
import shutil
import tempfile
import zipfile
from collections import Counter
from io import StringIO

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from core.formatting import date_text
from demo.region import build_demo_region
from orgs.models import SchoolClass, SchoolYear
from people.models import Student
from profminimum.demo import SchoolCalendar, build_profminimum_demo
from profminimum.models import Activity, Holiday, HoursEntry, SchoolLevel, Scope
from profminimum.selectors import school_year_current, scope_compliance
from profminimum.services import course_schedule_generate
from profminimum.uploads import DOCX, order_document_check
from profminimum.views.levels import school_order_text


class DemoProfminimumTests(TestCase):
    @classmethod
    def setUpClass(cls):
        # School orders are stored like uploads: into a temporary folder here.
        cls.media = tempfile.mkdtemp()
        cls.media_settings = override_settings(
            MEDIA_ROOT=cls.media,
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": cls.media}},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        )
        cls.media_settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.media_settings.disable()
        shutil.rmtree(cls.media, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        cls.today = timezone.localdate()
        build_demo_region(seed=3, scale=400)
        cls.out = StringIO()
        cls.counts = build_profminimum_demo(seed=3, today=cls.today, stdout=cls.out)
        cls.year = school_year_current()
        cls.holidays = list(Holiday.objects.filter(normative__school_year=cls.year).values_list("starts_on", "ends_on"))

    def local_day(self, moment: datetime.datetime) -> datetime.date:
        return timezone.localtime(moment).date()

    def test_the_demo_history_adds_up(self):
        republic = scope_compliance(school_year=self.year, scope=Scope.REPUBLIC, scope_ids=[0], on=self.today)[0]
        self.assertEqual(republic.students, Student.objects.filter(current_class__school_year=self.year).count())
        ledger = HoursEntry.objects.aggregate(total=Sum("hours"))["total"] or 0
        self.assertEqual(republic.total_hours, ledger)
        self.assertGreater(self.counts["marks"], 0)
        self.assertFalse(HoursEntry.objects.filter(occurred_on__gte=self.today).exists())
        # Every mark belongs to an activity held before today and marked; every credit to a present mark.
        held_before = timezone.make_aware(datetime.datetime.combine(self.today, datetime.time(0)))
        self.assertFalse(Activity.objects.filter(attendances__isnull=False, starts_at__gte=held_before).exists())
        self.assertFalse(Activity.objects.filter(attendances__isnull=False, marked_at__isnull=True).exists())
        self.assertEqual(HoursEntry.objects.count(), Activity.objects.filter(attendances__present=True).count())

    def test_the_course_has_34_thursday_lessons_per_class_outside_the_holidays(self):
        lessons = Activity.objects.filter(course_lesson__isnull=False)
        self.assertEqual(set(Counter(lessons.values_list("classes__id", flat=True)).values()), {34})
        for starts_at in lessons.values_list("starts_at", flat=True):
            day = self.local_day(starts_at)
            self.assertEqual(day.weekday(), 3)
            self.assertFalse(any(start <= day <= end for start, end in self.holidays), day)

    def test_the_demo_course_lessons_are_the_ones_the_service_schedules(self):
        """The seeder writes the course in bulk; a class scheduled by the service gets the very same lessons."""
        demo_class = SchoolClass.objects.filter(school_year=self.year, grade=7).order_by("pk").first()
        new_class = SchoolClass.objects.create(school=demo_class.school, school_year=self.year, grade=7, letter="Я")
        course_schedule_generate(school_year=self.year, schools=[demo_class.school])

        def lessons(school_class):
            rows = Activity.objects.filter(classes=school_class, course_lesson__isnull=False)
            return sorted(rows.values_list("course_lesson__number", "title", "starts_at", "duration_hours", "direction_id", "organizer_id"))

        self.assertEqual(lessons(new_class), lessons(demo_class))

    def test_every_demo_activity_falls_on_a_school_day(self):
        """Issue 6, «The demo as a user meets it»: no activity on a Saturday, a Sunday or inside the region's holidays."""
        days = {self.local_day(moment) for moment in Activity.objects.values_list("starts_at", flat=True)}
        self.assertTrue(days)
        for day in days:
            self.assertLess(day.weekday(), 5, day)
            self.assertFalse(any(start <= day <= end for start, end in self.holidays), day)
            self.assertTrue(self.year.starts_on <= day <= self.year.ends_on, day)
        titles = set(Activity.objects.filter(course_lesson__isnull=True).values_list("title", flat=True))
        for kind in ("Урок с профориентационным содержанием", "День открытых дверей", "Экскурсия", "Родительское собрание"):
            self.assertTrue(any(title.startswith(kind) for title in titles), kind)

    def test_the_school_calendar_moves_a_day_off_to_the_next_school_day(self):
        year = SchoolYear(title="2026/2027", starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2027, 5, 31))
        holidays = [(datetime.date(2026, 10, 27), datetime.date(2026, 11, 4)), (datetime.date(2027, 5, 31), datetime.date(2027, 5, 31))]
        calendar = SchoolCalendar(school_year=year, holidays=holidays)
        self.assertEqual(calendar.school_day(datetime.date(2026, 10, 24)), datetime.date(2026, 10, 26))  # Saturday → Monday
        self.assertEqual(calendar.school_day(datetime.date(2026, 10, 28)), datetime.date(2026, 11, 5))  # holidays → Thursday after
        self.assertEqual(calendar.school_day(datetime.date(2026, 11, 5)), datetime.date(2026, 11, 5))
        self.assertEqual(calendar.school_day(datetime.date(2026, 8, 20)), datetime.date(2026, 9, 1))  # before the year → its first day
        # Nothing after Saturday 29 May is a school day: back to Friday 28 May.
        self.assertEqual(calendar.school_day(datetime.date(2027, 5, 29)), datetime.date(2027, 5, 28))

    def test_progress_is_printed_in_russian_as_the_history_goes_in(self):
        printed = self.out.getvalue()
        self.assertIn("Уровни профминимума: школ с уровнем — ", printed)
        self.assertIn("Отметки посещаемости: ", printed)
        self.assertIn("классов готово: ", printed)
        self.assertIn("Пересчитываю сводные показатели профминимума…", printed)
        self.assertIn("Профминимум демо-региона готов за ", printed)

    def test_every_school_that_chose_its_level_has_its_order_as_a_document(self):
        """Issue 6, «The demo as a user meets it»: an order number and date always come with the order itself."""
        levels = SchoolLevel.objects.filter(school_year=self.year).select_related("school", "level")
        self.assertTrue(levels.filter(status=SchoolLevel.Status.CHOSEN).exists())
        for school_level in levels:
            if school_level.status == SchoolLevel.Status.SET_BY_MINISTRY:
                self.assertEqual((school_level.order_number, school_level.order_file.name), ("", ""))
                continue
            self.assertTrue(school_level.order_number and school_level.order_date and school_level.order_file)
            self.assertLessEqual(school_level.order_date, self.today)
            with school_level.order_file.open("rb") as handle:
                data = handle.read()
            self.assertEqual(order_document_check(io.BytesIO(data)), DOCX)
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                text = archive.read("word/document.xml").decode()
            self.assertIn(f"№ {school_level.order_number}", text)
            self.assertIn(school_level.school.name, text)
            self.assertIn(school_level.level.get_code_display()[:-2], text)  # «базов…», «основн…», «продвинут…»

    def test_the_level_page_and_the_dashboard_describe_the_order_alike(self):
        """Issue 6, «The demo as a user meets it»: the level page and the school's dashboard agree about the order."""
        school_level = (
            SchoolLevel.objects.filter(school_year=self.year, status=SchoolLevel.Status.CHOSEN)
            .select_related("school")
            .order_by("pk")
            .first()
        )
        school = school_level.school
        described = school_order_text(school_level)
        self.assertEqual(described, f"№ {school_level.order_number} от {date_text(school_level.order_date)}")
        self.client.force_login(get_user_model().objects.get(username="minobr"))
        with self.settings(DEMO_MODE=True):
            level_page = self.client.get(f"/profminimum/schools/{school.pk}/level/").content.decode()
            dashboard = self.client.get(reverse("profminimum:dashboard_school", args=[school.pk])).content.decode()
            download = self.client.get(f"/profminimum/schools/{school.pk}/level/order/")
        self.assertIn(f"{described} — <a", level_page)
        self.assertIn("скачать приказ", level_page)
        self.assertIn(described, dashboard)
        self.assertEqual(download.status_code, 200)
        self.assertIn(".docx", download["Content-Disposition"])

    def test_an_order_without_its_file_says_so_on_the_level_page(self):
        school_level = SchoolLevel.objects.filter(school_year=self.year, status=SchoolLevel.Status.APPROVED).order_by("pk").first()
        school_level.order_file = ""
        school_level.save(update_fields=["order_file"])
        described = school_order_text(school_level)
        self.assertEqual(described, f"№ {school_level.order_number} от {date_text(school_level.order_date)}, файл не приложен")
        self.client.force_login(get_user_model().objects.get(username="minobr"))
        with self.settings(DEMO_MODE=True):
            level_page = self.client.get(f"/profminimum/schools/{school_level.school_id}/level/").content.decode()
        self.assertIn(described, level_page)
        self.assertNotIn("скачать приказ", level_page)

    def test_a_level_the_ministry_set_has_no_school_order(self):
        school_level = SchoolLevel.objects.filter(school_year=self.year, status=SchoolLevel.Status.SET_BY_MINISTRY).first()
        if school_level is None:
            school_level = SchoolLevel(status=SchoolLevel.Status.SET_BY_MINISTRY)
        self.assertEqual(school_order_text(school_level), "")
        self.assertEqual(school_order_text(None), "")
