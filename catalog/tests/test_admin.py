"""Operators keep the catalogue current in the platform (issue 10, point 6): the ЦОПП sets a profession's demand in
the republic (no longer demonstration data), confirms programmes checked against the organisation's site; every
change is in the catalogue's audit trail, which is also the version the recommendations are checked against."""

from catalog.models import CatalogueChange, Profession, Programme
from catalog.shipped import catalog_reference_load


def test_the_operator_sets_a_professions_demand_and_it_is_no_longer_demonstration_data(client, cast, catalogue):
    welder = Profession.objects.get(code="welder")
    Profession.objects.filter(pk=welder.pk).update(market_is_demo=True)
    client.force_login(cast.user("operator"))
    assert client.get("/admin/catalog/profession/", {"q": "сварщ"}).status_code == 200
    page = client.get(f"/admin/catalog/profession/{welder.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ([str(v) for v in value] if isinstance(value, list) else ("" if value is None else value)) for k, value in data.items()}
    data.update({"demand": Profession.Demand.HIGH, "market_source": "ЦЗН РСО-Алания, 2026"})
    before = CatalogueChange.objects.count()
    response = client.post(f"/admin/catalog/profession/{welder.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    welder.refresh_from_db()
    assert (welder.demand, welder.market_is_demo, welder.market_updated_by) == (Profession.Demand.HIGH, False, cast.user("operator"))
    assert CatalogueChange.objects.count() == before + 1
    assert "Сварщик" in CatalogueChange.objects.first().what


def test_the_operator_confirms_programmes_and_the_confirmation_names_who_and_when(client, cast, catalogue):
    catalog_reference_load()  # the republic's colleges and universities and their programmes (../shared/reference/)
    unconfirmed = list(Programme.objects.filter(is_confirmed=False).values_list("pk", flat=True)[:2])
    assert unconfirmed, "the reference data holds unconfirmed programmes"
    client.force_login(cast.user("operator"))
    response = client.post("/admin/catalog/programme/", {"action": "confirm", "_selected_action": [str(pk) for pk in unconfirmed]})
    assert response.status_code == 302
    for programme in Programme.objects.filter(pk__in=unconfirmed):
        assert programme.is_confirmed and programme.confirmed_by == cast.user("operator") and programme.confirmed_on
    assert CatalogueChange.objects.first().what == "Подтверждено программ обучения: 2"


def test_a_school_coordinator_cannot_edit_the_catalogue(client, cast, catalogue):
    client.force_login(cast.user("coordinator_a1"))
    assert client.get("/admin/catalog/profession/").status_code in (302, 403, 404)
