"""The student card and the class list through the API: what they show, and that every read is logged."""

from access.models import PersonalDataRead


def test_student_card_shows_school_class_parents_and_history(client, cast, token_headers):
    student = cast.students["a1_8a_0"]
    response = client.get(f"/api/v1/students/{student.pk}", **token_headers(cast.user("coordinator_a1")))
    assert response.status_code == 200
    school, school_class = cast.orgs["a1"], cast.classes["a1_8a"]
    assert response.json() == {
        "id": student.pk,
        "full_name": "УченикA18 Алан",
        "birth_date": student.person.birth_date.isoformat(),
        "school": {"id": school.pk, "short_name": "Школа № 1 г. Альфа"},
        "school_class": {"id": school_class.pk, "grade": 8, "letter": "А", "name": "8 «А»"},
        "has_disabilities": False,
        "parents": [{"full_name": "Родителева Розаa1 Ивановна", "kind": "mother", "kind_label": "мать"}],
        "class_history": [
            {
                "school_year": cast.year.title,
                "school": {"id": school.pk, "short_name": "Школа № 1 г. Альфа"},
                "class_id": school_class.pk,
                "class_name": "8 «А»",
                "started_on": cast.year.starts_on.isoformat(),
                "ended_on": None,
            }
        ],
    }


def test_a_card_read_is_logged_once_and_a_404_not_at_all(client, cast, token_headers):
    user = cast.user("class_teacher_a1")
    headers = token_headers(user)
    own, foreign = cast.students["a1_8a_2"], cast.students["a1_9a_0"]

    assert client.get(f"/api/v1/students/{own.pk}", **headers).status_code == 200
    assert client.get(f"/api/v1/students/{foreign.pk}", **headers).status_code == 404

    reads = list(PersonalDataRead.objects.filter(user=user))
    assert [(read.person_id, read.channel, read.people_count) for read in reads] == [(own.person_id, "api", 1)]
    assert reads[0].subject == "карточка обучающегося (API)"


def test_class_teacher_lists_their_class(client, cast, token_headers):
    user = cast.user("class_teacher_a1")
    response = client.get("/api/v1/students", {"class_id": cast.classes["a1_8a"].pk}, **token_headers(user))
    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 3
    assert [item["full_name"] for item in page["items"]] == ["УченикA18 Алан", "УченикA18 Дзерасса", "УченикA18 Тимур"]
    assert {item["id"] for item in page["items"]} == {cast.students[f"a1_8a_{i}"].pk for i in range(3)}

    read = PersonalDataRead.objects.get(user=user)  # the whole list is one logged read
    assert (read.person_id, read.channel, read.people_count) == (None, "api", 3)
    assert "8 «А»" in read.subject


def test_class_teacher_gets_404_for_another_class(client, cast, token_headers):
    user = cast.user("class_teacher_a1")
    response = client.get("/api/v1/students", {"class_id": cast.classes["a1_9a"].pk}, **token_headers(user))
    assert response.status_code == 404
    assert response.json() == {"detail": "Не найдено."}
    assert not PersonalDataRead.objects.filter(user=user).exists()


def test_class_list_is_paginated_and_logs_only_the_page(client, cast):
    user = cast.user("class_teacher_a1")
    client.force_login(user)
    class_id = cast.classes["a1_8a"].pk
    first = client.get("/api/v1/students", {"class_id": class_id, "page_size": 2}).json()
    second = client.get("/api/v1/students", {"class_id": class_id, "page_size": 2, "page": 2}).json()
    assert (first["count"], len(first["items"])) == (3, 2)
    assert (second["count"], [item["full_name"] for item in second["items"]]) == (3, ["УченикA18 Тимур"])
    assert sorted(PersonalDataRead.objects.filter(user=user).values_list("people_count", flat=True)) == [1, 2]


def test_invalid_parameters_are_explained_in_russian(client, cast):
    client.force_login(cast.user("class_teacher_a1"))

    missing = client.get("/api/v1/students")
    assert missing.status_code == 422
    assert missing.json()["detail"] == "Проверьте параметры запроса."
    assert missing.json()["errors"] == [{"loc": ["query", "class_id"], "msg": "обязательный параметр", "type": "missing"}]

    not_a_number = client.get("/api/v1/students/abc")
    assert not_a_number.status_code == 422
    assert not_a_number.json()["errors"][0]["msg"] == "ожидается целое число"

    too_big_page = client.get("/api/v1/students", {"class_id": cast.classes["a1_8a"].pk, "page_size": 1000})
    assert too_big_page.status_code == 422
    assert too_big_page.json()["errors"][0]["msg"] == "значение должно быть не больше 100"
