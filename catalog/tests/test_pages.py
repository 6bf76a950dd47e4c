"""The professions catalogue as users read it: search and a sector, a profession's card with its profile, paths,
the republic's programmes (unconfirmed ones marked) and demand marked as demonstration data."""

from catalog.models import Profession, Sector
from catalog.shipped import catalog_reference_load


def test_the_catalogue_finds_a_profession_by_a_word_and_by_sector(cast, catalogue, client):
    client.force_login(cast.user("student_a1"))
    page = client.get("/catalog/", {"q": "сварщ"}).content.decode()
    assert "Сварщик" in page and "Найдено: 1 профессия." in page
    industry = Sector.objects.get(code="industry")
    page = client.get("/catalog/", {"sector": str(industry.pk)}).content.decode()
    assert "Сварщик" in page and "Учитель" not in page
    assert client.get("/catalog/", {"sector": "99999999999", "q": "я" * 500}).status_code == 200


def test_a_professions_card_shows_its_profile_paths_programmes_and_demo_demand(cast, catalogue, client):
    catalog_reference_load()
    welder = Profession.objects.get(code="welder")
    Profession.objects.filter(pk=welder.pk).update(demand="high", market_is_demo=True)
    client.force_login(cast.user("student_a1"))
    page = client.get(f"/catalog/professions/{welder.pk}/").content.decode()
    assert "реалистический (R): 6,5" in page and "код RCI" in page
    assert "15.01.05" in page
    assert 'высокая <span class="muted">(демонстрационные данные)</span>' in page
    assert client.get("/catalog/professions/999999/").status_code == 404
