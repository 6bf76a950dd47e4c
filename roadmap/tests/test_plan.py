"""The plan: the order's 46 items exactly as printed, their due periods, and a year's copy."""

import datetime

from roadmap.models import Item, Plan
from roadmap.source import Schedule


def test_the_source_plan_holds_the_orders_46_items_as_printed(db):
    source = Plan.objects.get(is_source=True)
    items = list(Item.objects.filter(plan=source).order_by("position"))
    assert len(items) == 46
    numbers = [item.number for item in items]
    assert numbers.count("1.3") == 2  # the doubled «1.3» as the order prints it
    assert "3.6." in numbers and "4.5." in numbers  # trailing dots kept
    assert source.sections.count() == 5
    first_13, second_13 = (item for item in items if item.number == "1.3")
    assert (first_13.code, second_13.code) == ("1.3", "1.3(2)")
    assert first_13.deadline_text == "Июль 2023 года"
    item_48 = next(item for item in items if item.number == "4.8")
    assert item_48.deadline_text == "Ежемесячно" and item_48.schedule == Schedule.EVERY_MONTH
    assert next(item for item in items if item.number == "5.5").schedule == Schedule.TWICE_A_YEAR
    assert next(item for item in items if item.number == "4.5.").deadline_text == "В течении года"  # the order's typo kept


def test_a_copy_for_the_school_year_has_12_monthly_periods_of_48_and_december_and_may_for_55(road):
    year = road.cast.year
    assert road.plan.items.count() == 46
    periods_48 = list(road.item("4.8").periods.order_by("due_on"))
    assert len(periods_48) == 12
    assert all(year.starts_on <= p.starts_on and p.due_on <= datetime.date(year.starts_on.year + 1, 9, 30) for p in periods_48)
    assert len({(p.starts_on.year, p.starts_on.month) for p in periods_48}) == 12
    periods_55 = list(road.item("5.5").periods.order_by("due_on"))
    assert len(periods_55) == 2
    y = year.starts_on.year
    assert [(p.label, p.due_on) for p in periods_55] == [
        (f"декабрь {y}", datetime.date(y, 12, 31)),
        (f"май {y + 1}", datetime.date(y + 1, 5, 31)),
    ]
    assert (periods_48[0].label, periods_48[0].starts_on, periods_48[0].due_on) == (
        f"сентябрь {y}",
        datetime.date(y, 9, 1),
        datetime.date(y, 9, 30),
    )
    # The lead and the texts travel with the copy; a month in the deadline moves to the new year.
    assert road.item("1.1").executors.get(leads=True).text == "Минобрнауки РСО-Алания"
    assert road.item("1.1").deadline_text == f"Июль {year.starts_on.year} года"


def test_the_orders_own_text_is_not_edited_but_the_copy_is(client, road):
    from django.urls import reverse

    client.force_login(road.cast.user("ministry_admin"))
    source_item = Item.objects.get(plan=road.source, code="1.1")
    assert client.get(reverse("roadmap:item_edit", args=[source_item.pk])).status_code == 403
    item = road.item("1.1")
    response = client.post(reverse("roadmap:item_edit", args=[item.pk]), {
        "action": "item", "number": "1.1", "activity": "Новое название мероприятия", "executors_text": item.executors_text,
        "expected_result": item.expected_result, "deadline_text": "Октябрь 2026 года", "schedule": "",
    })  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.activity == "Новое название мероприятия" and item.anchor == datetime.date(2026, 10, 1)
    assert source_item.activity != item.activity


def test_the_deadlines_of_the_order_read_as_schedules():
    from roadmap.source import deadline_schedule

    assert deadline_schedule("Июль 2023 года") == (Schedule.MONTH, datetime.date(2023, 7, 1))
    assert deadline_schedule("2023год")[0] == Schedule.YEAR
    assert deadline_schedule("В течении года")[0] == Schedule.DURING_YEAR
    assert deadline_schedule("Ежегодно")[0] == Schedule.EVERY_YEAR
    assert deadline_schedule("Ежемесячно")[0] == Schedule.EVERY_MONTH
    assert deadline_schedule("2 раза в год")[0] == Schedule.TWICE_A_YEAR


def test_the_plans_execution_filters_by_state_and_by_executor(client, road):
    from django.urls import reverse

    from roadmap.services import report_save, report_start, report_submit

    cast = road.cast
    report = report_start(period=road.period("3.5"), organization=cast.orgs["copp"], by=cast.user("operator"))
    report_save(report=report, execution="done", text="Сделано.", corrections={}, own_figures=[], by=cast.user("operator"))
    report_submit(report=report, by=cast.user("operator"))
    client.force_login(cast.user("ministry_analyst"))
    page = client.get(reverse("roadmap:plan", args=[road.plan.pk]) + "?plan-state=submitted").content.decode()
    rows = page.split("<tbody")[-1]
    assert f'href="/roadmap/items/{road.item("3.5").pk}/"' in rows
    assert f'href="/roadmap/items/{road.item("1.1").pk}/"' not in rows
    executors = client.get(reverse("roadmap:executors", args=[road.plan.pk])).content.decode()
    assert "ЦОПП" in executors and "все общеобразовательные организации" in executors


def test_next_years_plan_is_a_copy_with_its_dates_moved_a_year_on(road):
    from orgs.models import SchoolYear
    from roadmap.services import plan_copy

    cast = road.cast
    y = cast.year.starts_on.year + 1
    next_year = SchoolYear.objects.create(title=f"{y}/{y + 1}", starts_on=datetime.date(y, 9, 1), ends_on=datetime.date(y + 1, 5, 31))
    copy = plan_copy(plan=road.plan, school_year=next_year, by=cast.user("ministry_admin"))
    assert copy.copied_from == road.plan and copy.items.count() == 46
    assert copy.items.get(code="1.1").deadline_text == f"Июль {y} года"
    periods_48 = list(copy.items.get(code="4.8").periods.order_by("due_on"))
    assert len(periods_48) == 12 and periods_48[0].starts_on == datetime.date(y, 9, 1)
    assert [p.label for p in copy.items.get(code="5.5").periods.order_by("due_on")] == [f"декабрь {y}", f"май {y + 1}"]
