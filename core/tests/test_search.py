import pytest

from core.search import filter_by_search, normalize_search_text, query_terms
from orgs.models import Municipality, Organization


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
