"""The catalogue through the API: professions (search, sector, Holland code, Klimov type), a profession's card with
its education paths and the demo-data label, the republic's colleges and universities and their programmes.

The professions the tests look for carry the made-up word «зуброзавр» in their titles, so a search for it finds
exactly them among the shipped catalogue's two hundred."""

from decimal import Decimal

import pytest

from catalog.models import Profession, Programme, Sector, Speciality
from catalog.shipped import catalog_shipped_ensure
from orgs.models import Organization


@pytest.fixture
def shelf(cast):
    """Three professions, two institutions, three programmes (one unconfirmed)."""
    catalog_shipped_ensure()
    industry, it = Sector.objects.get(code="industry"), Sector.objects.get(code="smart")
    okso_spo, _ = Speciality.objects.get_or_create(
        code="15.02.16", defaults={"title": "Технология машиностроения", "level": "spo_specialist"}
    )
    okso_bach, _ = Speciality.objects.get_or_create(
        code="09.03.01", defaults={"title": "Информатика и вычислительная техника", "level": "bachelor"}
    )

    def profession(code, title, profile, klimov, main, others=(), **market):
        r, i, a, s, e, c = (Decimal(v) for v in profile.split())
        found = Profession.objects.create(
            code=code, title=title, summary=f"{title}: чем занимается.", main_sector=main, r=r, i=i, a=a, s=s, e=e, c=c,
            klimov=klimov, **market,
        )  # fmt: skip
        found.sectors.set(others)
        return found

    shelf = {
        "turner": profession("zubro-turner", "Токарь-зуброзавр", "7 4 1 2 2 5", "technic", industry, pay_from=40000, pay_to=70000,
                             demand="high", market_is_demo=True),
        "coder": profession("zubro-coder", "Программист-зуброзавр", "3 7 3 2 3 6", "sign", it, others=[industry], demand="medium"),
        "teacher": profession("zubro-teacher", "Учитель-зуброзавр", "1 4 3 7 5 2", "human", it),
    }  # fmt: skip
    shelf["turner"].specialities.set([okso_spo])
    shelf["coder"].specialities.set([okso_bach])
    college = Organization.objects.create(name="Колледж машиностроения", short_name="Колледж М", kind="college",
                                          municipality=cast.municipalities["a"])  # fmt: skip
    university = Organization.objects.create(name="Университет зуброзавров", short_name="УЗ", kind="university")
    shelf["college"], shelf["university"] = college, university
    shelf["p_spo"] = Programme.objects.create(
        institution=college, speciality=okso_spo, title="Технология машиностроения", is_confirmed=True
    )
    shelf["p_bach"] = Programme.objects.create(institution=university, speciality=okso_bach, title="Информатика", is_confirmed=True)
    shelf["p_unconfirmed"] = Programme.objects.create(
        institution=university, speciality=okso_bach, title="Информатика", profile="Программная инженерия", is_confirmed=False
    )
    Programme.objects.create(institution=university, speciality=okso_bach, title="Закрытая программа", form="extramural", is_active=False)
    return shelf


def _titles(answer: dict) -> list[str]:
    return [item["title"] for item in answer["items"]]


def test_the_search_finds_the_professions_by_title_alphabetically(client, cast, shelf, token_headers):
    answer = client.get("/api/v1/catalog/professions", {"q": "зуброзавр"}, **token_headers(cast.user("student_a1"))).json()
    assert answer["count"] == 3
    assert _titles(answer) == ["Программист-зуброзавр", "Токарь-зуброзавр", "Учитель-зуброзавр"]
    turner = answer["items"][1]
    assert turner["holland_code"] == "RCI"  # R 7, C 5, I 4
    assert turner["klimov_label"] == "человек — техника"
    assert turner["main_sector"]["code"] == "industry"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"sector": "industry"}, ["Программист-зуброзавр", "Токарь-зуброзавр"]),  # the coder's second sector counts
        ({"sector": "smart"}, ["Программист-зуброзавр", "Учитель-зуброзавр"]),
        ({"sector": "нет-такой"}, []),
        ({"riasec": "R"}, ["Токарь-зуброзавр"]),
        ({"riasec": "ic"}, ["Программист-зуброзавр"]),  # I 7, C 6
        ({"riasec": "SE"}, ["Учитель-зуброзавр"]),
        ({"klimov": "human"}, ["Учитель-зуброзавр"]),
        ({"klimov": "sign", "sector": "industry"}, ["Программист-зуброзавр"]),
    ],
)
def test_filters_narrow_the_professions(client, cast, shelf, token_headers, filters, expected):
    answer = client.get("/api/v1/catalog/professions", {"q": "зуброзавр", **filters}, **token_headers(cast.user("parent_a1"))).json()
    assert _titles(answer) == expected
    assert answer["count"] == len(expected)


def test_a_filter_of_the_wrong_form_is_a_422_naming_the_parameter(client, cast, shelf, token_headers):
    headers = token_headers(cast.user("student_a1"))
    for params, name in (({"riasec": "RX"}, "riasec"), ({"klimov": "robot"}, "klimov"), ({"page": 0}, "page")):
        response = client.get("/api/v1/catalog/professions", params, **headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", name]
    assert client.get("/api/v1/catalog/programmes", {"okso": "9.2"}, **headers).status_code == 422


def test_a_professions_card_has_its_profile_paths_programmes_and_the_demo_data_label(client, cast, shelf, token_headers):
    response = client.get(f"/api/v1/catalog/professions/{shelf['turner'].pk}", **token_headers(cast.user("student_a1")))
    assert response.status_code == 200
    card = response.json()
    assert card["summary"] == "Токарь-зуброзавр: чем занимается."
    assert [s["code"] for s in card["sectors"]] == ["industry"]
    assert {r["letter"]: r["score"] for r in card["riasec"]} == {"R": 7.0, "I": 4.0, "A": 1.0, "S": 2.0, "E": 2.0, "C": 5.0}
    assert card["riasec"][0]["name"] == "реалистический"
    assert card["klimov"] == "technic"
    [path] = card["education_paths"]
    assert (path["okso"], path["level"]) == ("15.02.16", "spo_specialist")
    assert [(p["title"], p["institution"], p["is_confirmed"]) for p in path["programmes"]] == [
        ("Технология машиностроения", "Колледж М", True)
    ]
    assert card["demand_info"] == {
        **card["demand_info"],
        "level": "high",
        "label": "высокая",
        "is_demo": True,
        "note": "демонстрационные данные",
    }
    assert card["pay"] == {"pay_from": 40000, "pay_to": 70000, "is_demo": True}


def test_a_card_lists_the_main_sector_first_and_market_data_set_by_the_operator_carries_no_label(client, cast, shelf, token_headers):
    card = client.get(f"/api/v1/catalog/professions/{shelf['coder'].pk}", **token_headers(cast.user("student_a1"))).json()
    assert [s["code"] for s in card["sectors"]] == ["smart", "industry"]
    assert card["demand_info"]["note"] == ""
    assert card["pay"] == {"pay_from": None, "pay_to": None, "is_demo": False}
    # Two programmes of the bachelor's path, the unconfirmed one marked; the closed one is not offered.
    assert [(p["title"], p["is_confirmed"]) for p in card["education_paths"][0]["programmes"]] == [
        ("Информатика", True),
        ("Информатика", False),
    ]


def test_a_profession_withdrawn_from_the_catalogue_is_a_404(client, cast, shelf, token_headers):
    Profession.objects.filter(pk=shelf["teacher"].pk).update(is_active=False)
    response = client.get(f"/api/v1/catalog/professions/{shelf['teacher'].pk}", **token_headers(cast.user("student_a1")))
    assert response.status_code == 404
    assert response.json() == {"detail": "Не найдено."}


def test_the_institutions_are_the_colleges_and_universities_with_their_open_programmes(client, cast, shelf, token_headers):
    headers = token_headers(cast.user("coordinator_a1"))
    answer = client.get("/api/v1/catalog/institutions", **headers).json()
    assert [(i["short_name"], i["kind"], i["municipality"], i["programme_count"]) for i in answer["items"]] == [
        ("Альфинский политехнический колледж", "college", "Город Альфа", 0),  # the cast's, with no programme yet
        ("Колледж М", "college", "Город Альфа", 1),
        ("УЗ", "university", "", 2),  # the closed programme is not counted
    ]
    assert [i["short_name"] for i in client.get("/api/v1/catalog/institutions", {"kind": "university"}, **headers).json()["items"]] == [
        "УЗ"
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["p_bach", "p_unconfirmed", "p_spo"]),  # by ОКСО code: 09.03.01 before 15.02.16
        ({"institution": "university"}, ["p_bach", "p_unconfirmed"]),
        ({"okso": "15.02"}, ["p_spo"]),
        ({"okso": "09.03.01"}, ["p_bach", "p_unconfirmed"]),
        ({"level": "bachelor"}, ["p_bach", "p_unconfirmed"]),
        ({"confirmed": "false"}, ["p_unconfirmed"]),
        ({"confirmed": "true", "level": "spo_specialist"}, ["p_spo"]),
    ],
)
def test_programmes_filter_by_institution_okso_level_and_confirmation(client, cast, shelf, token_headers, filters, expected):
    params = {key: shelf[value].pk if key == "institution" else value for key, value in filters.items()}
    answer = client.get("/api/v1/catalog/programmes", params, **token_headers(cast.user("student_a1"))).json()
    assert [item["id"] for item in answer["items"]] == [shelf[key].pk for key in expected]
    unconfirmed = next((item for item in answer["items"] if item["id"] == shelf["p_unconfirmed"].pk), None)
    if unconfirmed:
        assert (unconfirmed["profile"], unconfirmed["institution"], unconfirmed["okso_title"]) == (
            "Программная инженерия", "УЗ", "Информатика и вычислительная техника",
        )  # fmt: skip


def test_the_catalogue_needs_a_sign_in_as_every_operation_does(client, shelf):
    for address in ("/api/v1/catalog/professions", f"/api/v1/catalog/professions/{shelf['coder'].pk}", "/api/v1/catalog/programmes"):
        response = client.get(address)
        assert response.status_code == 401
        assert response.json() == {"detail": "Требуется вход или API-токен."}


def test_a_catalogue_list_costs_the_same_queries_whatever_its_length(client, cast, shelf, token_headers, django_assert_max_num_queries):
    headers = token_headers(cast.user("student_a1"))
    for address in ("/api/v1/catalog/professions", "/api/v1/catalog/institutions", "/api/v1/catalog/programmes"):
        client.get(address, **headers)  # the token's first use is written once
        # the token (read and its use marked), the viewer's session-free checks, the page, the count
        with django_assert_max_num_queries(6):
            assert client.get(address, **headers).status_code == 200
    with django_assert_max_num_queries(9):  # the card: the profession, its sectors, paths and their programmes
        assert client.get(f"/api/v1/catalog/professions/{shelf['coder'].pk}", **headers).status_code == 200


def test_the_openapi_document_describes_the_catalogue_in_russian(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert paths["/api/v1/catalog/professions"]["get"]["summary"] == "Профессии каталога"
    assert paths["/api/v1/catalog/professions/{id}"]["get"]["summary"] == "Профессия"
    assert paths["/api/v1/catalog/institutions"]["get"]["summary"] == "Колледжи и вузы"
    assert paths["/api/v1/catalog/programmes"]["get"]["summary"] == "Образовательные программы"
