"""Partners: the republic's operator adds agreements with their document and joint plans; a partner's staff see
their own organisation's agreements, another's document is a 404."""

from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Agreement, JointPlanItem

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n163\n%%EOF\n"
)


def test_the_operator_adds_an_agreement_and_a_plan_and_only_the_partner_itself_downloads_it(client, ev, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    cast, partner = ev.cast, ev.partners["a"]
    year = cast.year
    client.force_login(cast.user("operator"))
    client.post(
        f"/events/partners/{partner.pk}/",
        {"form": "agreement", "number": "17-П", "signed_on": year.starts_on.isoformat(), "valid_from": year.starts_on.isoformat(),
         "subject": "О проведении профессиональных проб", "file": SimpleUploadedFile("d.pdf", PDF, content_type="application/pdf")},
    )  # fmt: skip
    agreement = Agreement.objects.get(partner=partner)
    assert (agreement.number, agreement.subject, bool(agreement.file)) == ("17-П", "О проведении профессиональных проб", True)
    page = client.post(
        f"/events/partners/{partner.pk}/",
        {"form": "plan", "title": "План на год", "items": f"День открытых дверей; {year.ends_on:%d.%m.%Y}; Иванова\nЭкскурсия; 31.12.1999"},
    ).content.decode()  # fmt: skip
    assert "Экскурсия" in page and not JointPlanItem.objects.exists()  # a date outside the year: nothing half-written
    client.post(
        f"/events/partners/{partner.pk}/",
        {"form": "plan", "title": "План на год", "items": f"День открытых дверей; {year.ends_on:%d.%m.%Y}; Иванова"},
    )
    assert list(JointPlanItem.objects.values_list("what", "responsible")) == [("День открытых дверей", "Иванова")]

    client.force_login(cast.user("partner_a"))
    assert client.get(f"/events/agreements/{agreement.pk}/file/").status_code == 200
    client.force_login(cast.user("partner_b"))
    assert client.get(f"/events/agreements/{agreement.pk}/file/").status_code == 404
    assert "17-П" not in client.get(f"/events/partners/{partner.pk}/").content.decode()
