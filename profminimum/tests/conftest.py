import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from profminimum.models import Activity, Level, SchoolLevel, SchoolLevelChange
from profminimum.normative import normative_version_create_default
from profminimum.rollups import rollups_rebuild
from profminimum.services import school_level_set


class Profminimum:
    """The cast with the year's normative version and levels: a1 basic (40 h), a2 main (60 h), b1 advanced (80 h)."""

    def __init__(self, cast):
        self.cast = cast
        self.year = cast.year
        self.normative = normative_version_create_default(school_year=cast.year)
        self.levels = {level.code: level for level in self.normative.levels.all()}
        self.directions = {d.code: d for d in self.normative.directions.all()}
        admin = cast.user("ministry_admin")
        for key, code in (("a1", Level.Code.BASIC), ("a2", Level.Code.MAIN), ("b1", Level.Code.ADVANCED)):
            school_level_set(
                school=cast.orgs[key], school_year=cast.year, level=self.levels[code],
                status=SchoolLevel.Status.SET_BY_MINISTRY, by=admin,
            )  # fmt: skip
        # The levels were chosen before the year began: in force from its first day, as in a real school.
        SchoolLevelChange.objects.filter(school_year=cast.year).update(effective_on=cast.year.starts_on)
        rollups_rebuild(school_year_id=cast.year.pk)

    def thursday(self, week: int = 0) -> datetime.datetime:
        start = self.year.starts_on
        first = start + datetime.timedelta(days=(3 - start.weekday()) % 7)
        day = first + datetime.timedelta(weeks=week)
        return datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=timezone.get_current_timezone())

    def activity(self, class_key: str, *, hours="1", direction="course", week: int = 0, title="Занятие") -> Activity:
        school_class = self.cast.classes[class_key]
        activity = Activity.objects.create(
            school_year=self.year, direction=self.directions[direction], title=title, starts_at=self.thursday(week),
            duration_hours=Decimal(hours), school=school_class.school, organizer=school_class.school,
            course_lesson=self.normative.course_lessons.get(number=week + 1) if direction == "course" else None,
        )  # fmt: skip
        activity.classes.add(school_class)
        return activity


@pytest.fixture
def pm(cast) -> Profminimum:
    return Profminimum(cast)
