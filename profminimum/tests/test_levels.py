"""Each school's level for the year: the coordinator chooses it with the school's order, the ministry
approves or sets it, the order is read only by those allowed, and the public page lists published levels."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from profminimum.models import SchoolLevel
from profminimum.uploads import DOC, DOCX, PDF, document_kind, order_document_check

# A real, tiny, valid PDF (one empty page).
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n163\n%%EOF\n"
)
OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def docx_bytes(with_document=True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
        else:
            archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a temporary folder. The settings pin the file storage's location to MEDIA_ROOT when
    they load, so the storage is pointed there too."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.fixture
def unchosen(pm):
    """The pm cast with a1 not having chosen a level yet (a2 and b1 keep theirs, set by the ministry)."""
    SchoolLevel.objects.filter(school=pm.cast.orgs["a1"]).delete()
    return pm


def level_url(pm, key="a1") -> str:
    return reverse("profminimum:school_level", args=[pm.cast.orgs[key].pk])


def order_url(pm, key="a1") -> str:
    return reverse("profminimum:school_order", args=[pm.cast.orgs[key].pk])


def as_user(client, pm, username):
    client.force_login(pm.cast.user(username))
    return client


def choose(client, pm, *, level="main", content=PDF_BYTES, name="order.pdf", number="12-о", date=None):
    data = {"action": "choose", "level": str(pm.levels[level].pk), "order_number": number,
            "order_date": (date or datetime.date.today()).isoformat()}  # fmt: skip
    if content is not None:
        data["order_file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(level_url(pm), data)


def text(response) -> str:
    return response.content.decode()


# --- the content check ----------------------------------------------------------------------------------------


def test_documents_are_recognised_by_content_not_by_name():
    assert document_kind(io.BytesIO(PDF_BYTES)) == PDF
    assert document_kind(io.BytesIO(OLE_BYTES)) == DOC
    assert document_kind(io.BytesIO(docx_bytes())) == DOCX
    assert document_kind(io.BytesIO(docx_bytes(with_document=False))) is None  # a spreadsheet is a ZIP too
    assert document_kind(io.BytesIO(b"PK\x03\x04 not really a zip")) is None
    assert document_kind(io.BytesIO("Приказ № 12 о выборе уровня".encode())) is None
    assert order_document_check(SimpleUploadedFile("scan.bin", PDF_BYTES)) == PDF


# --- the coordinator chooses ------------------------------------------------------------------------------------


def test_the_coordinator_chooses_the_main_level_with_a_pdf_order(client, unchosen, media):
    pm = unchosen
    coordinator = as_user(client, pm, "coordinator_a1")
    page = text(coordinator.get(level_url(pm)))
    assert "Школа ещё не выбрала уровень" in page
    assert "Базовый — минимум 40 часов в год" in page and "Основной — минимум 60 часов в год" in page
    assert "Продвинутый — минимум 80 часов в год" in page
    assert "<legend>Уровень профминимума</legend>" in page  # styled by app.css: no style attribute under the CSP (issue 7)

    # An order of the last days of August before the year (or today, if that is still ahead): within the bounds.
    order_day = min(datetime.date.today(), pm.year.starts_on - datetime.timedelta(days=10))
    response = choose(coordinator, pm, level="main", number="12-о", date=order_day)
    assert response.status_code == 302
    school_level = SchoolLevel.objects.get(school=pm.cast.orgs["a1"], school_year=pm.year)
    assert school_level.level == pm.levels["main"] and school_level.status == SchoolLevel.Status.CHOSEN
    assert school_level.chosen_by == pm.cast.user("coordinator_a1")
    assert school_level.order_number == "12-о" and school_level.order_date == order_day
    assert school_level.order_file.name == f"orders/{pm.year.pk}/school-{pm.cast.orgs['a1'].pk}.pdf"
    assert [p.read_bytes() for p in stored_files(media)] == [PDF_BYTES]

    page = text(coordinator.get(level_url(pm)))
    assert "выбран школой, ждёт утверждения" in page
    today = school_level.chosen_at.astimezone(datetime.timezone(datetime.timedelta(hours=3))).date()
    months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]
    assert f"выбран {today.day} {months[today.month - 1]} {today.year}, Координаторова К." in page
    assert f"№ 12-о от {order_day.day} {months[order_day.month - 1]} {order_day.year}" in page
    assert "Уровень «основной» выбран. Он ждёт утверждения министерством." in page


def test_docx_and_doc_orders_are_accepted_and_stored_under_their_real_kind(client, unchosen, media, django_capture_on_commit_callbacks):
    pm = unchosen
    coordinator = as_user(client, pm, "coordinator_a1")
    assert choose(coordinator, pm, content=docx_bytes(), name="приказ.pdf").status_code == 302  # the name lies; the content decides
    assert SchoolLevel.objects.get(school=pm.cast.orgs["a1"]).order_file.name.endswith(".docx")
    with django_capture_on_commit_callbacks(execute=True):
        assert choose(coordinator, pm, content=OLE_BYTES, name="prikaz.doc", level="advanced").status_code == 302
    school_level = SchoolLevel.objects.get(school=pm.cast.orgs["a1"])
    assert school_level.order_file.name.endswith(".doc") and school_level.level == pm.levels["advanced"]
    files = stored_files(media)
    assert len(files) == 1 and files[0].suffix == ".doc"  # the replaced order is removed


@pytest.mark.parametrize(
    "content, name, message",
    [
        ("Приказ № 12 от 3 сентября: выбрать основной уровень.".encode(), "order.pdf", "Файл не похож на PDF, DOC или DOCX"),
        (docx_bytes(with_document=False), "order.docx", "Файл не похож на PDF, DOC или DOCX"),
        (PDF_BYTES + b"0" * (11 * 1024 * 1024), "order.pdf", "допускается не больше 10 МБ"),
        (b"", "order.pdf", "Файл пустой"),
        (None, "", "Приложите приказ школы о выборе уровня"),
    ],
    ids=["plain-text-named-pdf", "zip-without-word", "11-megabytes", "empty", "missing"],
)
def test_a_bad_order_is_refused_and_nothing_is_saved(client, unchosen, media, content, name, message):
    pm = unchosen
    response = choose(as_user(client, pm, "coordinator_a1"), pm, content=content, name=name)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert "Не сохранено" in page and "«Приказ школы о выборе уровня»" in page  # the message names the field
    assert not SchoolLevel.objects.filter(school=pm.cast.orgs["a1"]).exists()
    assert stored_files(media) == []


def test_the_size_limit_is_named_with_the_files_size(client, unchosen, media):
    response = choose(as_user(client, unchosen, "coordinator_a1"), unchosen, content=b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))
    assert "Файл слишком большой (11,0 МБ): допускается не больше 10 МБ." in text(response)


def test_a_refused_new_choice_keeps_the_previous_choice_and_file(client, unchosen, media):
    pm = unchosen
    coordinator = as_user(client, pm, "coordinator_a1")
    choose(coordinator, pm, level="basic", number="1")
    before = SchoolLevel.objects.values("level_id", "order_number", "order_file", "chosen_at").get(school=pm.cast.orgs["a1"])
    response = choose(coordinator, pm, level="advanced", number="2", content=b"just text")
    assert response.status_code == 400
    assert SchoolLevel.objects.values("level_id", "order_number", "order_file", "chosen_at").get(school=pm.cast.orgs["a1"]) == before
    assert len(stored_files(media)) == 1
    # Without a new file the order already attached stays.
    assert choose(coordinator, pm, level="advanced", number="2", content=None).status_code == 302
    school_level = SchoolLevel.objects.get(school=pm.cast.orgs["a1"])
    assert school_level.level == pm.levels["advanced"] and school_level.order_file.name == before["order_file"]


def test_order_number_and_date_are_required_and_the_date_not_in_the_future(client, unchosen, media):
    pm = unchosen
    coordinator = as_user(client, pm, "coordinator_a1")
    response = choose(coordinator, pm, number="")
    assert "«Номер приказа»: Укажите номер приказа школы." in text(response)
    response = choose(coordinator, pm, date=datetime.date.today() + datetime.timedelta(days=3))
    assert "«Дата приказа»: Дата приказа не может быть позже сегодняшнего дня." in text(response)
    assert not SchoolLevel.objects.filter(school=pm.cast.orgs["a1"]).exists()
    assert stored_files(media) == []


# --- who may see what -------------------------------------------------------------------------------------------


def test_foreign_schools_level_page_and_order_are_404(client, unchosen, media):
    pm = unchosen
    choose(as_user(client, pm, "coordinator_a1"), pm)
    for username in ("coordinator_a2", "municipal_b", "parent_a1", "student_a1", "partner_a", "psychologist_b1"):
        as_user(client, pm, username)
        assert client.get(level_url(pm)).status_code == 404, username
        assert client.get(order_url(pm)).status_code == 404, username
    client.logout()
    assert client.get(order_url(pm)).status_code == 302  # to the login page


def test_the_stored_order_is_not_reachable_by_any_plain_url(client, unchosen, media):
    pm = unchosen
    choose(as_user(client, pm, "coordinator_a1"), pm)
    name = SchoolLevel.objects.get(school=pm.cast.orgs["a1"]).order_file.name
    as_user(client, pm, "ministry_admin")
    for url in (f"/media/{name}", f"/static/{name}", f"/{name}", f"/var/media/{name}"):
        assert client.get(url).status_code == 404, url


def test_the_order_is_downloaded_as_an_attachment_by_those_allowed(client, unchosen, media):
    pm = unchosen
    choose(as_user(client, pm, "coordinator_a1"), pm, number="12-о")
    for username in ("coordinator_a1", "municipal_a", "ministry_admin", "ministry_analyst", "psychologist_a1"):
        response = as_user(client, pm, username).get(order_url(pm))
        assert response.status_code == 200, username
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content) == PDF_BYTES
    # Municipal A reads the page but cannot choose or decide.
    municipal = as_user(client, pm, "municipal_a")
    page = text(municipal.get(level_url(pm)))
    assert "скачать приказ" in page and "Выбрать уровень" not in page and "Утвердить" not in page
    assert choose(municipal, pm).status_code == 403
    # A school without an order: 404.
    assert as_user(client, pm, "ministry_admin").get(order_url(pm, "a2")).status_code == 404


def test_the_coordinator_cannot_approve_and_a_ministry_set_level_is_locked_for_the_school(client, pm, media):
    coordinator = as_user(client, pm, "coordinator_a1")
    assert coordinator.post(level_url(pm), {"action": "approve"}).status_code == 403
    page = text(coordinator.get(level_url(pm)))
    assert "установлен министерством" in page and "изменить его может только министерство" in page
    assert "Выбрать уровень" not in page
    response = choose(coordinator, pm)  # a stale form
    assert response.status_code == 400 and "изменить его может только министерство" in text(response)
    assert SchoolLevel.objects.get(school=pm.cast.orgs["a1"]).status == SchoolLevel.Status.SET_BY_MINISTRY


# --- the ministry decides, the public sees ------------------------------------------------------------------------


def test_the_ministry_approves_and_the_public_page_lists_the_school(client, unchosen, media):
    pm = unchosen
    choose(as_user(client, pm, "coordinator_a1"), pm, level="main")
    client.logout()
    public = text(client.get(reverse("profminimum:public_levels")))
    assert "Школа № 1 г. Альфа" not in public  # only chosen: not published
    assert "Школа № 2 г. Альфа" in public  # a2's level was set by the ministry

    admin = as_user(client, pm, "ministry_admin")
    page = text(admin.get(level_url(pm)))
    assert "Утвердить уровень «основной»" in page
    school_level = SchoolLevel.objects.get(school=pm.cast.orgs["a1"])
    response = admin.post(level_url(pm), {"action": "approve", "level": str(school_level.level_id)})
    assert response.status_code == 302
    school_level.refresh_from_db()
    assert school_level.status == SchoolLevel.Status.APPROVED and school_level.decided_by == pm.cast.user("ministry_admin")
    page = text(admin.get(level_url(pm)))
    assert "утверждён министерством" in page and "Министров М." in page

    client.logout()
    public = text(client.get(reverse("profminimum:public_levels")))
    section = public[public.index('<h2 id="municipality-') :]
    alpha = section[: section.index("Бетинский район")] if "Бетинский район" in section else section
    assert "Город Альфа" in alpha
    assert '<tr><th scope="row">Школа № 1 г. Альфа</th><td>основной</td></tr>' in alpha
    assert '<tr><th scope="row">Школа № 2 г. Альфа</th><td>основной</td></tr>' in alpha
    # Counts per level per municipality: Альфа — 0 basic, 2 main, 0 advanced.
    assert (
        '<a href="#municipality-'
        + str(pm.cast.municipalities["a"].pk)
        + '">Город Альфа</a></th><td class="num">0</td><td class="num">2</td><td class="num">0</td><td class="num">2</td>'
        in public
    )
    # No personal data: no people, no orders.
    for secret in ("Координаторова", "Министров", "12-о", "order", "приказ школы «"):
        assert secret not in public


def test_the_ministry_sets_a_level_itself(client, unchosen, media):
    pm = unchosen
    admin = as_user(client, pm, "ministry_admin")
    response = admin.post(level_url(pm), {"action": "set", "level": str(pm.levels["advanced"].pk)})
    assert response.status_code == 302
    school_level = SchoolLevel.objects.get(school=pm.cast.orgs["a1"])
    assert (school_level.status, school_level.level) == (SchoolLevel.Status.SET_BY_MINISTRY, pm.levels["advanced"])
    assert "установлен министерством" in text(admin.get(level_url(pm)))
    response = admin.post(level_url(pm), {"action": "set"})
    assert response.status_code == 400 and "Выберите уровень." in text(response)


def test_the_ministry_list_filters_and_approves_in_place(client, unchosen, media):
    pm = unchosen
    choose(as_user(client, pm, "coordinator_a1"), pm, level="main")
    admin = as_user(client, pm, "ministry_admin")
    url = reverse("profminimum:level_list")
    page = text(admin.get(url))
    assert "Город Альфа" in page and "Бетинский район" in page and "Школа с. Бета" in page
    assert "ждут утверждения" in page

    waiting = text(admin.get(url, {"status": "chosen"}))
    assert "Школа № 1 г. Альфа" in waiting and "Школа № 2 г. Альфа" not in waiting and "Школа с. Бета" not in waiting
    only_b = text(admin.get(url, {"municipality": pm.cast.municipalities["b"].pk}))
    assert "Школа с. Бета" in only_b and "Школа № 1 г. Альфа" not in only_b

    school_level = SchoolLevel.objects.get(school=pm.cast.orgs["a1"])
    approve = reverse("profminimum:level_approve", args=[school_level.pk])
    response = admin.post(approve, {"level": str(school_level.level_id)}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    row = text(response)
    assert row.lstrip().startswith(f'<tr id="level-row-{pm.cast.orgs["a1"].pk}">')
    assert "утверждён министерством" in row and "Утвердить" not in row
    assert "Уровень «основной» школы «Школа № 1 г. Альфа» утверждён." in row  # the live-region notice
    assert '<div class="cards" id="level-counts" aria-label="Итоги" hx-swap-oob="true">' in row  # the totals follow
    assert SchoolLevel.objects.get(pk=school_level.pk).status == SchoolLevel.Status.APPROVED

    # Approving again (say, from a stale tab) says so and changes nothing.
    response = admin.post(approve, {"level": str(school_level.level_id)}, headers={"HX-Request": "true"})
    assert "уже утверждён министерством" in text(response)


def test_approval_is_refused_when_the_school_changed_its_choice_meanwhile(client, unchosen, media):
    pm = unchosen
    coordinator = as_user(client, pm, "coordinator_a1")
    choose(coordinator, pm, level="main")
    school_level = SchoolLevel.objects.get(school=pm.cast.orgs["a1"])
    seen_level = school_level.level_id
    choose(coordinator, pm, level="advanced", content=None)
    admin = as_user(client, pm, "ministry_admin")
    response = admin.post(reverse("profminimum:level_approve", args=[school_level.pk]), {"level": str(seen_level)})
    assert response.status_code == 302
    assert "изменила выбор уровня" in text(admin.get(response["Location"]))
    assert SchoolLevel.objects.get(pk=school_level.pk).status == SchoolLevel.Status.CHOSEN


def test_only_deciders_approve_and_foreign_rows_are_404(client, unchosen, media):
    pm = unchosen
    choose(as_user(client, pm, "coordinator_a1"), pm)
    approve = reverse("profminimum:level_approve", args=[SchoolLevel.objects.get(school=pm.cast.orgs["a1"]).pk])
    assert as_user(client, pm, "municipal_a").post(approve).status_code == 403
    assert as_user(client, pm, "coordinator_a1").post(approve).status_code == 403
    assert as_user(client, pm, "municipal_b").post(approve).status_code == 404
    assert as_user(client, pm, "coordinator_a2").post(approve).status_code == 404
    assert SchoolLevel.objects.get(school=pm.cast.orgs["a1"]).status == SchoolLevel.Status.CHOSEN
    # The municipal coordinator's list holds the schools of their municipality only, without approve buttons.
    page = text(as_user(client, pm, "municipal_a").get(reverse("profminimum:level_list")))
    assert "Школа № 1 г. Альфа" in page and "Школа с. Бета" not in page and "Утвердить" not in page


def test_the_public_page_needs_no_login_and_says_when_nothing_is_published(client, unchosen):
    SchoolLevel.objects.all().delete()
    response = client.get(reverse("profminimum:public_levels"))
    assert response.status_code == 200
    page = text(response)
    assert "Уровни профминимума в школах республики" in page
    assert "Утверждённых уровней пока нет." in page
    assert "Основное меню" not in page


# --- dates and states that cannot be broken («Trust» point 5) -----------------------------------------------------


def past_year_with_levels():
    from orgs.models import SchoolYear
    from profminimum.normative import normative_version_create_default

    year = SchoolYear.objects.create(title="2020/2021", starts_on=datetime.date(2020, 9, 1), ends_on=datetime.date(2021, 5, 31))
    normative = normative_version_create_default(school_year=year)
    return year, {level.code: level for level in normative.levels.all()}


def test_a_level_cannot_be_chosen_for_a_school_year_that_is_over(client, unchosen, media):
    """Found by «Trust» point 5: a coordinator could choose a level for a closed school year. The service refuses
    it, and the page offers no form for such a year."""
    from django.core.exceptions import ValidationError

    from profminimum.services import school_level_choose

    pm = unchosen
    year, levels = past_year_with_levels()
    with pytest.raises(ValidationError) as refused:
        school_level_choose(
            school=pm.cast.orgs["a1"], school_year=year, level=levels["main"], order_number="7",
            order_date=datetime.date(2020, 8, 20), by=pm.cast.user("coordinator_a1"),
            order_file=SimpleUploadedFile("order.pdf", PDF_BYTES),
        )  # fmt: skip
    assert refused.value.messages == ["2020/2021 учебный год закончился 31 мая 2021: уровень на него уже не выбирают."]

    coordinator = as_user(client, pm, "coordinator_a1")
    page = text(coordinator.get(level_url(pm), {"year": year.pk}))
    assert "2020/2021 учебный год закончился 31 мая 2021: уровень на него уже не выбирают." in page
    assert "Выбрать уровень" not in page
    data = {"action": "choose", "year": str(year.pk), "level": str(levels["main"].pk), "order_number": "7", "order_date": "2020-08-20",
            "order_file": SimpleUploadedFile("order.pdf", PDF_BYTES, content_type="application/pdf")}  # fmt: skip
    response = coordinator.post(level_url(pm), data)  # a form left open since the year was on
    assert response.status_code == 400 and "уровень на него уже не выбирают" in text(response)
    assert not SchoolLevel.objects.filter(school_year=year).exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("order_date", ["0001-01-01", "1999-12-31", "day-before-the-bound"])
def test_an_order_dated_far_before_the_school_year_is_refused_by_the_service(client, unchosen, media, order_date):
    """Found by «Trust» point 5: an order dated 0001-01-01 was accepted. The order is dated at most a year before
    the school year's start (and not after today), in the service, not only in the form."""
    from django.core.exceptions import ValidationError

    from core.formatting import date_short
    from profminimum.services import order_date_earliest, school_level_choose

    pm = unchosen
    earliest = order_date_earliest(pm.year)
    assert earliest == pm.year.starts_on.replace(year=pm.year.starts_on.year - 1)
    day = earliest - datetime.timedelta(days=1) if order_date == "day-before-the-bound" else datetime.date.fromisoformat(order_date)
    message = (
        f"Дата приказа — не раньше {date_short(earliest)}: приказ о выборе уровня на {pm.year} учебный год "
        "издают не раньше чем за год до его начала."
    )
    with pytest.raises(ValidationError) as refused:
        school_level_choose(
            school=pm.cast.orgs["a1"], school_year=pm.year, level=pm.levels["main"], order_number="7", order_date=day,
            by=pm.cast.user("coordinator_a1"), order_file=SimpleUploadedFile("order.pdf", PDF_BYTES),
        )  # fmt: skip
    assert refused.value.message_dict == {"order_date": [message]}
    response = choose(as_user(client, pm, "coordinator_a1"), pm, date=day)
    assert response.status_code == 400 and f"«Дата приказа»: {message}" in text(response)
    assert not SchoolLevel.objects.filter(school=pm.cast.orgs["a1"]).exists()
    # The bound itself is a valid date, and the page's date picker offers exactly the accepted range.
    page = text(choose(as_user(client, pm, "coordinator_a1"), pm, date=earliest, number="8"))
    assert SchoolLevel.objects.get(school=pm.cast.orgs["a1"]).order_date == earliest
    page = text(client.get(level_url(pm)))
    assert f'min="{earliest.isoformat()}"' in page and f'max="{datetime.date.today().isoformat()}"' in page


def test_rechoosing_an_approved_level_needs_the_ministrys_approval_again_and_the_coordinator_is_told_before(client, unchosen, media):
    """Found by «Trust» point 5: re-choosing an approved level needs the ministry's approval again, and the
    coordinator must be told so before they confirm. The old approval no longer shows behind the new choice."""
    pm = unchosen
    coordinator = as_user(client, pm, "coordinator_a1")
    page = text(coordinator.get(level_url(pm)))
    assert 'id="rechoice-warning"' not in page and ">Выбрать уровень</button>" in page  # nothing approved yet
    choose(coordinator, pm, level="main")
    school_level = SchoolLevel.objects.get(school=pm.cast.orgs["a1"])
    admin = as_user(client, pm, "ministry_admin")
    admin.post(level_url(pm), {"action": "approve", "level": str(school_level.level_id)})

    coordinator = as_user(client, pm, "coordinator_a1")
    page = text(coordinator.get(level_url(pm)))
    warning = page[page.index('id="rechoice-warning"') :]
    assert "Уровень «основной» уже утверждён министерством" in warning
    assert "выбор снова будет ждать утверждения министерства, а до утверждения школы не будет в публичном списке уровней" in warning
    # The warning stands before the button, and the button points to it for a screen reader.
    assert (
        '<button class="button" type="submit" aria-describedby="rechoice-warning">Выбрать заново и отправить на утверждение</button>'
        in warning
    )

    assert choose(coordinator, pm, level="main", content=None, number="13-о").status_code == 302  # the same level, a new order
    school_level.refresh_from_db()
    assert school_level.status == SchoolLevel.Status.CHOSEN
    assert (school_level.decided_by, school_level.decided_at) == (None, None)
    page = text(coordinator.get(level_url(pm)))
    assert "выбран школой, ждёт утверждения" in page and "утверждён " not in page and 'id="rechoice-warning"' not in page
    client.logout()
    assert "Школа № 1 г. Альфа" not in text(client.get(reverse("profminimum:public_levels")))
    assert "Утвердить уровень «основной»" in text(as_user(client, pm, "ministry_admin").get(level_url(pm)))
