import pytest

from core.search import (
    RANK_INSIDE,
    RANK_PHRASE,
    RANK_WORD_STARTS,
    RANK_WORDS,
    filter_by_search,
    matches_search,
    natural_sort_key,
    normalize_search_text,
    query_terms,
    search_rank,
    search_rank_expression,
    search_tiers,
)
from orgs.models import Municipality, Organization
from people.models import Person, Student


def test_mixed_latin_inside_cyrillic_word_folds_to_cyrillic():
    assert normalize_search_text("Профорientационного минимума") == " профориентационного минимума "


def test_case_and_yo_fold():
    assert query_terms("ЁЛКА Школа") == ["елка", "школа"]


def test_latin_words_stay_latin():
    assert normalize_search_text("IT-куб Quantorium") == " it куб quantorium "


@pytest.mark.django_db
def test_the_two_examples_of_the_issue_find_their_rows():
    """«школа» finds «Школа № 1», «профориентационного» finds «Профорientационного» — on the test database in
    use (SQLite under make test, PostgreSQL under .ci/run)."""
    municipality = Municipality.objects.create(name="Город Альфа", kind="city", code="A")
    school = Organization.objects.create(name="Школа № 1", short_name="Школа № 1", kind="school", municipality=municipality)
    centre = Organization.objects.create(
        name="Центр Профорientационного сопровождения", short_name="ЦПС", kind="other", municipality=municipality
    )
    Organization.objects.create(name="Лицей № 2", short_name="Лицей № 2", kind="school", municipality=municipality)

    assert list(filter_by_search(Organization.objects.all(), "школа")) == [school]
    assert list(filter_by_search(Organization.objects.all(), "профориентационного")) == [centre]
    assert list(filter_by_search(Organization.objects.all(), "ПРОФОРИЕНТАЦИОННОГО сопровождения")) == [centre]
    assert list(filter_by_search(Organization.objects.all(), "Профорientационного")) == [centre]
    assert set(filter_by_search(Organization.objects.all(), "№ 1")) == {school}


@pytest.mark.django_db
def test_search_text_follows_renames():
    municipality = Municipality.objects.create(name="Город Альфа", kind="city", code="A")
    org = Organization.objects.create(name="Старое", short_name="Старое", kind="school", municipality=municipality)
    org.name = org.short_name = "Новая Ёлочка"
    org.save(update_fields=["name", "short_name"])
    assert list(filter_by_search(Organization.objects.all(), "елочка")) == [org]


# --- short words, ranking and natural order ---------------------------------------------------------------


def test_a_word_of_one_or_two_letters_matches_only_where_a_word_starts():
    """«ив» finds «Иванов» but not «Давид»: a fragment inside words would match nearly every row."""
    assert matches_search(normalize_search_text("Иванов Давид"), "ив")
    assert not matches_search(normalize_search_text("Давид Русланович"), "ив")
    assert matches_search(normalize_search_text("Давид Русланович"), "вид")  # three letters: anywhere


@pytest.mark.parametrize(
    ("text", "rank"),
    [
        ("Иванов Пётр Сергеевич", RANK_PHRASE),  # «иванов петр» as written
        ("Петр Иванов", RANK_WORDS),  # both whole words, another order
        ("Иванова Петра Ивановна", RANK_WORD_STARTS),  # both start words
        ("Абиванов Петросян", RANK_INSIDE),
    ],
)
def test_search_rank_puts_exact_matches_first(text, rank):
    assert search_rank(normalize_search_text(text), "Иванов Пётр") == rank


@pytest.mark.django_db
def test_the_rank_in_sql_is_the_rank_in_python():
    municipality = Municipality.objects.create(name="Город Альфа", kind="city", code="A")
    names = ["Школа Ивановская", "Школа № 5 им. Иванова", "Школа Иваново", "Абиванов центр"]
    for name in names:
        Organization.objects.create(name=name, short_name=name, kind="school", municipality=municipality)
    found = filter_by_search(Organization.objects.all(), "иваново").annotate(rank=search_rank_expression("иваново"))
    assert {org.short_name: org.rank for org in found} == {
        org.short_name: search_rank(org.search_text, "иваново") for org in filter_by_search(Organization.objects.all(), "иваново")
    }
    assert found.order_by("rank", "pk").first().short_name == "Школа Иваново"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["иван", "иван петр", "ив", "ив петр", "петр ивановна"])
def test_search_tiers_split_the_matches_by_rank_best_first(query):
    names = ["Иван Петр", "Петр Иван", "Иванова Петра Ивановна", "Давид Петров", "Абиванов Петр", "Петр Ивановна", "Сидоров Олег"]
    for name in names:
        Person.objects.create(last_name=name.split()[0], first_name=name.split()[1], middle_name=" ".join(name.split()[2:]))
    people = Person.objects.all()
    tiers = [[p.pk for p in people.filter(tier).order_by("pk")] for tier in search_tiers(query)]
    found = sorted(p.pk for p in filter_by_search(people, query))
    assert sorted(pk for tier in tiers for pk in tier) == found  # every match once
    ranks = [[search_rank(Person.objects.get(pk=pk).search_text, query) for pk in tier] for tier in tiers]
    flat = [rank for tier in ranks for rank in tier]
    assert flat == sorted(flat) and all(len(set(tier)) <= 1 for tier in ranks)


def test_natural_sort_key_puts_school_2_before_school_11():
    names = ["Школа № 11", "школа № 2", "Школа с. Бета", "Школа № 1", "Гимназия № 3", "Школа № 2а", "Школа-интернат", "Ёлочка"]
    assert sorted(names, key=natural_sort_key) == [
        "Гимназия № 3", "Ёлочка", "Школа № 1", "школа № 2", "Школа № 2а", "Школа № 11", "Школа-интернат", "Школа с. Бета",
    ]  # fmt: skip


def test_natural_sort_key_is_a_string_that_a_database_can_order_by():
    assert natural_sort_key("Школа  № 007") == "школа 000000000007"
    assert natural_sort_key(None) == ""


# --- the admin's search -----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.user("ministry_admin"))
    return client


def _admin_found(client, url: str, query: str) -> str:
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("query", ["Петров", "ПЕТРОВ", "Пётр", "петр иль"])
def test_admin_search_finds_petrov_as_the_site_does(admin_client, query):
    """Issue 6, «Lists that hide nothing»: the admin's search skipped the Russian folding («Пётр» is stored
    as «петр»), and on SQLite, whose LIKE folds only ASCII case, it found nothing for «Петров»."""
    Person.objects.create(last_name="Петров", first_name="Пётр", middle_name="Ильич")
    Person.objects.create(last_name="Сидоров", first_name="Семён")
    html = _admin_found(admin_client, "/admin/people/person/", query)
    assert "Петров Пётр Ильич" in html
    assert "Сидоров Семён" not in html


def test_admin_search_of_students_and_organisations_folds_too(admin_client, cast):
    html = _admin_found(admin_client, "/admin/people/student/", "ученика19")  # the stored name has a Latin «A»
    assert all(f"УченикA19 {name}" in html for name in ("Алан", "Дзерасса", "Тимур"))
    assert "УченикA29" not in html and "УченикB19" not in html
    html = _admin_found(admin_client, "/admin/orgs/organization/", "ШКОЛА № 2")
    assert "Школа № 2 г. Альфа" in html and "Школа № 1 г. Альфа" not in html


def test_admin_search_of_users_finds_them_through_their_person(admin_client, cast):
    html = _admin_found(admin_client, "/admin/accounts/user/", "муниципалов")
    assert "municipal_a" in html and "municipal_b" not in html
    assert "municipal_b" in _admin_found(admin_client, "/admin/accounts/user/", "municipal_b")  # plain fields still work


def test_a_renamed_person_is_found_under_the_new_name_as_a_student(cast):
    person = cast.students["a1_8a_0"].person
    person.last_name = "Новикова"
    person.save()
    assert list(filter_by_search(Student.objects.all(), "новикова")) == [cast.students["a1_8a_0"]]


def test_latin_look_alikes_inside_a_cyrillic_word_become_cyrillic_and_latin_words_stay():
    from core.search import fold_lookalikes

    assert fold_lookalikes("Ивaнов Сергей") == "Иванов Сергей"  # a Latin «a»
    assert fold_lookalikes("ГAГЛOEВ") == "ГАГЛОЕВ"
    assert fold_lookalikes("Smith Иванов") == "Smith Иванов"
    assert fold_lookalikes("Мак-Kей") == "Мак-Кей"
