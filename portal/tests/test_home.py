import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Every cast member lands on the home page of their role, showing what that role needs today.
EXPECTED_HOME = {
    "ministry_admin": ["Республика Северная Осетия-Алания", "Город Альфа", "Бетинский район"],
    "ministry_analyst": ["Республика Северная Осетия-Алания"],
    "operator": ["Республика Северная Осетия-Алания"],
    "municipal_a": ["Город Альфа", "Школа № 1 г. Альфа", "Школа № 2 г. Альфа"],
    "municipal_b": ["Бетинский район", "Школа с. Бета"],
    "coordinator_a1": ["Школа № 1 г. Альфа", "8 «А»", "9 «А»", "6 обучающихся"],
    "psychologist_a1": ["Школа № 1 г. Альфа", "8 «А»"],
    "class_teacher_a1": ["Мои классы", "8 «А» класс", "3 обучающихся", "Классный руководитель"],
    "navigator_a1": ["Мои классы", "9 «А» класс", "Педагог-навигатор"],
    "parent_a1": ["Мои дети", "Алан УченикA18"],
    "student_a1": ["Мой план", "Дзерасса", "Школа № 1 г. Альфа", "Классная Клараa1"],
    "partner_a": ["Моя организация", "ООО «Альфа-Агро»"],
    "jury": ["Мои конкурсы"],
}
NOT_ON_HOME = {
    "municipal_a": ["Школа с. Бета"],
    "coordinator_a1": ["Школа № 2 г. Альфа"],
    "class_teacher_a1": ["9 «А» класс"],
}


@pytest.mark.parametrize("username", sorted(EXPECTED_HOME))
def test_each_role_lands_on_its_home_page(client, cast, username):
    client.force_login(cast.user(username))
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru"' in html
    for text in EXPECTED_HOME[username]:
        assert text in html, f"{username}: «{text}» не найден на главной"
    for text in NOT_ON_HOME.get(username, []):
        assert text not in html, f"{username}: «{text}» не должен быть виден"


def test_republic_home_counts_match_the_cast(client, pm, mid_year):
    """Issue 9 point 4: the counts come from the rollups. 2 municipalities, 3 schools, 18 students; Город Альфа
    has 2 schools and 12 students. Half the year gone and no hours yet: nobody met the norm, all are at risk."""
    client.force_login(pm.cast.user("ministry_analyst"))
    html = client.get("/").content.decode()
    assert 'stat__value">2<' in html and 'stat__value">3<' in html and 'stat__value">18<' in html
    alpha = html[html.index(">Город Альфа</a>") :]
    alpha = alpha[: alpha.index("</tr>")]
    assert '<td class="num">2</td><td class="num">12</td><td class="num">0\u00a0%</td><td class="num">100\u00a0%</td>' in alpha


def test_the_homes_do_not_group_the_students_table(client, pm):
    """Issue 9 point 4: the ministry's, the operator's and the municipality's homes read the rollups; no
    query counts or groups the students."""
    for username in ("ministry_admin", "operator", "municipal_a"):
        client.force_login(pm.cast.user(username))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        grouped = [q["sql"] for q in queries if "people_student" in q["sql"] and ("COUNT(" in q["sql"] or "GROUP BY" in q["sql"])]
        assert not grouped, f"{username}: {grouped}"


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    login_page = client.get(response.url)
    assert '<html lang="ru"' in login_page.content.decode()
    assert "Вход в Профнавигатор" in login_page.content.decode()


def test_a_large_municipalitys_home_lists_the_schools_with_the_most_students_at_risk(client, pm, mid_year):
    """The home stays the same size in a large municipality: 30 schools, those with the most students at
    risk first, and a word that there are more, with the way to all of them."""
    from orgs.models import Organization

    alpha = pm.cast.municipalities["a"]
    for number in range(29):
        Organization.objects.create(name=f"Школа № {100 + number}", short_name=f"Школа № {100 + number}", kind="school", municipality=alpha)
    client.force_login(pm.cast.user("municipal_a"))
    html = client.get("/").content.decode()
    assert "Показаны 30 из 31 школы — те, где больше всего обучающихся в зоне риска." in html
    table = html[html.index('aria-label="Школы, таблица"') :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="row">') == 30
    assert "Школа № 1 г. Альфа" in table and "Школа № 2 г. Альфа" in table  # all their students are at risk
    assert f'href="/municipalities/{alpha.pk}/">Все школы муниципалитета</a>' in html
