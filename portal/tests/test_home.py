import pytest

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


def test_republic_home_counts_match_the_cast(client, cast):
    client.force_login(cast.user("ministry_analyst"))
    html = client.get("/").content.decode()
    # 3 schools, 6 classes, 18 students in the cast; Город Альфа has 2 schools, 4 classes, 12 students.
    assert 'stat__value">3<' in html and 'stat__value">6<' in html and 'stat__value">18<' in html
    assert '<td class="num">2</td><td class="num">4</td><td class="num">12</td>' in html


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    login_page = client.get(response.url)
    assert '<html lang="ru"' in login_page.content.decode()
    assert "Вход в Профнавигатор" in login_page.content.decode()
