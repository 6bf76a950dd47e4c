"""The family's own page, a consent's page, the school's pages (issue 8, «The parent's and student's own page»)."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from access.models import PersonalDataRead
from access.services import personal_data_read_log
from privacy.models import ConsentRecord, ParentConfirmation, PrivacyEvent

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_family_page_shows_what_is_held_who_read_it_by_role_and_the_consents(client, cast, family_of):
    family = family_of(15, key="p")
    personal_data_read_log(user=cast.user("class_teacher_a1"), subject="карточка", channel="page", person_id=family.student.person_id)
    personal_data_read_log(
        user=cast.user("class_teacher_a1"), subject="список класса", channel="page", person_ids=[family.student.person_id, 1]
    )
    personal_data_read_log(user=cast.user("ministry_analyst"), subject="выгрузка", channel="export", person_ids=[family.student.person_id])
    personal_data_read_log(
        user=cast.user("class_teacher_a2"), subject="чужой", channel="page", person_id=cast.students["a2_8a_0"].person_id
    )
    response = get(client, family.parent_user, reverse("privacy:student", args=[family.student.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Семьёвp Георгий Асланович" in html and "p.child@family.test" in html and "p_child" in html
    readers = html[html.index('id="readers-heading"') : html.index('id="requests-heading"')]
    assert "Классный руководитель, Школа № 1 г. Альфа" in readers and "Аналитик министерства, Министерство образования" in readers
    assert re.search(r"Классный руководитель, Школа № 1 г. Альфа</td><td class=\"num\">2<", readers)
    assert "Классная" not in readers and "Аналитикова" not in readers  # by role, never by name
    assert "Школа № 2" not in readers
    for title in ("Передача результатов родителям", "Фото- и видеосъёмка на мероприятиях", "Публикация имени и результатов конкурсов"):
        assert title in html
    assert "Запросить выгрузку данных" in html and "Запросить удаление данных" in html
    # Opening the page is itself a read of the child's data.
    assert PersonalDataRead.objects.filter(user=family.parent_user, person_id=family.student.person_id).exists()


def test_the_family_gives_and_withdraws_a_consent_from_its_page(client, family_of):
    family = family_of(12, key="g")
    url = reverse("privacy:consent", args=[family.student.pk, "photo_video"])
    html = get(client, family.parent_user, url).content.decode()
    assert "Текст согласия (редакция 1" in html and "Дать согласие" in html
    response = client.post(url, {"decision": "given"})
    assert response.status_code == 400 and "прочитали текст согласия" in response.content.decode()
    assert client.post(url, {"decision": "given", "has_read": "on"}).status_code == 302
    page = client.get(reverse("privacy:student", args=[family.student.pk])).content.decode()
    block = page[page.index('id="consent-photo_video"') :]
    assert "Дано" in block[:600]
    assert client.post(url, {"decision": "withdrawn"}).status_code == 302
    assert list(ConsentRecord.objects.filter(student=family.student).values_list("decision", flat=True)) == ["given", "withdrawn"]
    assert PrivacyEvent.objects.filter(student=family.student, action="consent_withdrawn").count() == 1


def test_a_student_under_14_sees_their_page_but_the_parent_decides(client, family_of):
    family = family_of(13, key="y")
    html = get(client, family.student_user, reverse("privacy:student", args=[family.student.pk])).content.decode()
    assert "До 14 лет согласие за обучающегося даёт родитель" in html
    assert "Запросить выгрузку данных" not in html
    response = client.post(reverse("privacy:consent", args=[family.student.pk, "guidance"]), {"decision": "given", "has_read": "on"})
    assert response.status_code == 400 and not ConsentRecord.objects.exists()


def test_another_familys_page_is_not_found(client, cast, family_of):
    family = family_of(12, key="o")
    for username in ("parent_a1", "student_a1", "coordinator_a1", "ministry_admin"):
        assert get(client, cast.user(username), reverse("privacy:student", args=[family.student.pk])).status_code == 404
    assert get(client, cast.user("parent_a1"), reverse("privacy:consent", args=[family.student.pk, "guidance"])).status_code == 404


def test_the_school_confirms_a_parent_and_records_a_signed_paper(client, cast, family_of):
    family = family_of(12, key="s", confirmed=False)
    url = reverse("privacy:staff_student", args=[family.student.pk])
    coordinator = cast.user("coordinator_a1")
    assert get(client, coordinator, url).status_code == 200
    assert client.post(url, {"action": "confirm", "link": family.link.pk, "basis": "birth_certificate"}).status_code == 302
    assert ParentConfirmation.objects.filter(link=family.link).exists()
    bad = SimpleUploadedFile("scan.pdf", b"not a pdf at all", content_type="application/pdf")
    form = {"action": "paper", "kind": "", "decision": "given", "party": "parent", "parent_link": family.link.pk, "signed_on": "2026-09-10"}
    from privacy.models import ConsentKind

    form["kind"] = ConsentKind.objects.get(code="excursions").pk
    response = client.post(url, {**form, "file": bad})
    assert response.status_code == 400 and "Файл не похож на скан" in response.content.decode()
    response = client.post(url, {**form, "party": "student", "file": SimpleUploadedFile("scan.pdf", PDF)})
    assert response.status_code == 400 and "согласие подписывает родитель" in response.content.decode()
    response = client.post(url, {**form, "file": SimpleUploadedFile("scan.pdf", PDF)})
    assert response.status_code == 302
    record = ConsentRecord.objects.get(student=family.student)
    assert (record.channel, record.party, str(record.decided_on), record.by_person_id) == (
        "paper",
        "parent",
        "2026-09-10",
        family.parent.pk,
    )
    assert record.paper_file.name.endswith(".pdf")
    record.paper_file.delete(save=False)


def test_only_the_students_school_coordinator_and_the_republics_administrators_record_consents(client, cast, family_of):
    family = family_of(12, key="r")
    url = reverse("privacy:staff_student", args=[family.student.pk])
    assert get(client, cast.user("ministry_admin"), url).status_code == 200
    for username in ("coordinator_a2", "class_teacher_a1", "psychologist_a1", "parent_a1", "ministry_analyst"):
        assert get(client, cast.user(username), url).status_code == 404, username


def test_the_school_lists_its_students_consents_and_unconfirmed_parents(client, cast, family_of):
    family = family_of(12, key="c", confirmed=False)
    url = reverse("privacy:school", args=[cast.orgs["a1"].pk])
    html = get(client, cast.user("coordinator_a1"), url + "?unconfirmed=1").content.decode()
    assert "Семьёвc Георгий" in html and "не подтверждён" in html
    home = get(client, cast.user("coordinator_a1"), "/").content.decode()
    assert "родителей не подтверждены школой" in home or "родителя не подтверждены школой" in home
    assert get(client, cast.user("coordinator_a2"), url).status_code == 404
    assert family.student.pk
