"""The roadmap's test world: the cast, and the order's plan copied into the cast's school year by the ministry."""

import pytest

from roadmap.models import Item, Period
from roadmap.services import plan_copy
from roadmap.source import source_plan_ensure


class Road:
    def __init__(self, cast):
        self.cast = cast
        self.source = source_plan_ensure()
        self.plan = plan_copy(plan=self.source, school_year=cast.year, by=cast.user("ministry_admin"))

    def item(self, code: str) -> Item:
        return Item.objects.get(plan=self.plan, code=code)

    def period(self, code: str, position: int = 0) -> Period:
        return self.item(code).periods.order_by("due_on", "position")[position]


@pytest.fixture
def road(cast) -> Road:
    return Road(cast)
