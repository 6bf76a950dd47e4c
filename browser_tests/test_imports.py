"""Imports in a real browser (issue 12, «What it must show»): a school coordinator uploads a file with errors,
reads the preview, fixes nothing, loads it with «skip bad rows», and sees the good rows imported and the bad
ones listed. The worker is run by the test where the platform's task worker would run it."""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from browser_tests.helpers import h1, login, screenshot
from imports.tests.conftest import xlsx_bytes
from people.models import Student

pytestmark = pytest.mark.browser


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_coordinator_uploads_a_file_with_errors_and_loads_the_good_rows(page: Page, live_server, cast, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    born = datetime.date(cast.year.starts_on.year - 14, 4, 2).strftime("%d.%m.%Y")
    content = xlsx_bytes(
        ["ФИО", "Дата рождения", "Класс", "Примечание"],
        [["Плиев Георгий Асланович", born, "7Б", ""], ["Бероев Заур", "31.02.2012", "7Б", ""], ["Кокоева Диана", born, "13Б", ""],
         ["Тедеева Зарина", born, "7 б", "новенькая"]],
    )  # fmt: skip
    path = tmp_path / "spisok-7b.xlsx"
    path.write_bytes(content)

    login(page, live_server, "coordinator_a1")
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Загрузка данных").click()
    expect(h1(page)).to_have_text("Загрузка данных")
    page.get_by_role("link", name="Обучающиеся и родители").click()
    page.get_by_label("Файл со списком").set_input_files(str(path))
    page.get_by_role("button", name="Проверить файл").click()
    expect(h1(page)).to_have_text("Файл «spisok-7b.xlsx»")
    expect(page.locator("#batch-status")).to_contain_text("ждёт проверки")

    run_worker()  # the check; the page follows it by itself
    expect(page.locator("#batch-status")).to_contain_text("проверен, ждёт загрузки")
    expect(page.locator("#batch-plan")).to_contain_text("Строк с данными: 4, из них с ошибками: 2.")
    problems = page.get_by_role("table", name="Ошибки в файле")
    expect(problems).to_contain_text("«31.02.2012»: такой даты нет — в феврале 2012 года 29 дней")
    expect(problems).to_contain_text("«13Б»: классов с номером 13 не бывает")
    screenshot(page, "imports-preview")

    page.get_by_label("Пропустить строки с ошибками и загрузить остальные").check()
    page.get_by_role("button", name="Загрузить в базу").click()
    expect(page.locator("#batch-status")).to_contain_text("ждёт загрузки")
    run_worker()  # the commit
    expect(page.locator("#batch-done")).to_contain_text("Новых: 2 обучающихся")
    skipped = page.get_by_role("table", name="Пропущенные строки с ошибками")
    expect(skipped).to_contain_text("31.02.2012")
    expect(skipped).to_contain_text("13Б")
    assert sorted(Student.objects.filter(current_class__grade=7).values_list("person__last_name", flat=True)) == ["Плиев", "Тедеева"]


def test_a_class_teacher_prints_the_first_passwords_of_the_class(page: Page, live_server, cast):
    login(page, live_server, "class_teacher_a1")
    page.goto(f"{live_server.url}/classes/{cast.classes['a1_8a'].pk}/")
    page.get_by_role("link", name="Первые пароли учеников и родителей").click()
    expect(h1(page)).to_have_text("Первые пароли: 8 «А»")
    first = cast.students["a1_8a_0"].person
    expect(page.get_by_label(re.compile(f"^{first.full_name} — ученик"))).to_be_checked()
    page.get_by_role("button", name="Выдать пароли и открыть лист для печати").click()
    table = page.get_by_role("table", name="Выданные пароли")
    expect(table).to_contain_text(first.full_name)
    expect(table.locator("code").first).to_have_text(re.compile(r"^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$"))
    page.get_by_role("link", name="Назад к списку класса").click()
    page.get_by_role("button", name="Напечатать коды для родителей").click()
    codes = page.get_by_role("table", name="Коды семей")
    expect(codes).to_contain_text(first.full_name)
    code = codes.locator("code").first.inner_text()

    page.context.clear_cookies()
    login(page, live_server, "parent_a2")  # a parent of another school's child
    page.goto(f"{live_server.url}/imports/parent-code/")
    page.get_by_label("Код").fill(code)
    page.get_by_label("Кем вы приходитесь ребёнку").select_option("guardian")
    page.get_by_role("button", name="Привязать").click()
    expect(page.get_by_role("status")).to_contain_text(f"вы — родитель ученика {first.full_name}")
