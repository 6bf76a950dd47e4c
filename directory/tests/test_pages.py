def test_student_card_trail_leads_back_to_the_republic_for_the_ministry(client, cast):
    client.force_login(cast.user("ministry_admin"))
    html = client.get(f"/students/{cast.students['a1_8a_0'].pk}/").content.decode()
    trail = html[html.index('aria-label="Навигационная цепочка"') :]
    trail = trail[: trail.index("</nav>")]
    for text in ("Республика", "Город Альфа", "Школа № 1 г. Альфа", "8 «А» класс", "УченикA18 А."):
        assert text in trail


def test_a_parent_sees_the_card_without_links_to_pages_they_cannot_open(client, cast):
    client.force_login(cast.user("parent_a1"))
    html = client.get(f"/students/{cast.students['a1_8a_0'].pk}/").content.decode()
    assert "Навигационная цепочка" not in html
    assert "Родителева Розаa1 Ивановна — мать" in html


def test_class_page_links_to_the_schedule_and_the_hours(client, cast):
    client.force_login(cast.user("class_teacher_a1"))
    html = client.get(f"/classes/{cast.classes['a1_8a'].pk}/").content.decode()
    assert "Расписание и посещаемость" in html and "Часы профминимума" in html
    assert html.count("/students/") >= 3
