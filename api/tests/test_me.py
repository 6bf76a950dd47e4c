"""GET /api/v1/me: who is signed in, with what roles, in which organisations."""


def test_me_shows_the_coordinators_role_and_school(client, cast):
    client.force_login(cast.user("coordinator_a1"))
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    school = cast.orgs["a1"]
    assert response.json() == {
        "username": "coordinator_a1",
        "full_name": "Координаторова Кираa1 Тестович",
        "email": "coordinator_a1@test.local",
        "roles": [{"code": "school_coordinator", "label": "школьный координатор профминимума"}],
        "organizations": [
            {
                "id": school.pk, "name": "Школа № 1 г. Альфа", "short_name": "Школа № 1 г. Альфа",
                "kind": "school", "kind_label": "общеобразовательная организация",
            }
        ],
    }  # fmt: skip


def test_me_with_a_token(client, cast, token_headers):
    response = client.get("/api/v1/me", **token_headers(cast.user("municipal_a")))
    assert response.status_code == 200
    me = response.json()
    assert [role["code"] for role in me["roles"]] == ["municipal_coordinator"]
    assert [org["short_name"] for org in me["organizations"]] == ["Управление образования г. Альфа"]


def test_parent_and_student_roles_follow_from_family_and_enrollment(client, cast, token_headers):
    parent = client.get("/api/v1/me", **token_headers(cast.user("parent_a1"))).json()
    student = client.get("/api/v1/me", **token_headers(cast.user("student_a1"))).json()
    assert parent["roles"] == [{"code": "parent", "label": "родитель"}]
    assert student["roles"] == [{"code": "student", "label": "обучающийся"}]
    assert parent["organizations"] == student["organizations"] == []
