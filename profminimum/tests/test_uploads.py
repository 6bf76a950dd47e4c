"""Issue 7, point 7: «an upload whose archive inflates past a bound (a .docx of 1 GiB of zeros) is refused».
A school's order may be a .docx, which is a ZIP archive: it is judged by the sizes its directory declares,
before anything is inflated, and refused with a Russian message on the field. Bodies over the platform's limit
get the 413 page; within it, the order's own limit and message stand."""

import io
import random
import struct
import zipfile
import zlib

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from profminimum.models import SchoolLevel
from profminimum.tests.test_levels import PDF_BYTES, as_user, choose, stored_files, text
from profminimum.uploads import DOCX, DOCX_MAX_MEMBERS, document_kind, order_document_check

GIB = 1024**3
MIB = 1024**2


def _deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _zeros_deflated(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of `size` zero bytes (a multiple of 1 MiB) and its CRC, built in milliseconds: after
    the first mebibyte each further one packs into the same bytes, so they are repeated rather than computed."""
    chunk = bytes(MIB)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(chunk) + packer.flush(zlib.Z_SYNC_FLUSH)
    repeated = packer.compress(chunk) + packer.flush(zlib.Z_SYNC_FLUSH)
    assert packer.compress(chunk) + packer.flush(zlib.Z_SYNC_FLUSH) == repeated
    crc = 0
    for _ in range(size // MIB):
        crc = zlib.crc32(chunk, crc)
    return first + repeated * (size // MIB - 1) + packer.flush(), crc


def zip_archive(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP archive of (name, deflated data, crc, unpacked size), written field by field: the standard library
    can only write what it has packed itself, and a bomb is not packed by reading a gibibyte."""
    out, directory = io.BytesIO(), io.BytesIO()
    for name, data, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0) + encoded + data)
        directory.write(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0, 0, 0, 0, 0, offset)
            + encoded
        )
    start, entries = out.tell(), len(members)
    out.write(directory.getvalue())
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, len(directory.getvalue()), start, 0))
    return out.getvalue()


def part(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    return name, _deflated(data), zlib.crc32(data), len(data)


DOCUMENT_PARTS = [
    part("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
    part("word/document.xml", "<w:document><w:body><w:p><w:r><w:t>Приказ № 12</w:t></w:r></w:p></w:body></w:document>".encode()),
]


def gibibyte_bomb() -> bytes:
    """A «.docx» whose picture is 1 GiB of zeros: about a megabyte on the wire."""
    zeros, crc = _zeros_deflated(GIB)
    return zip_archive([*DOCUMENT_PARTS, ("word/media/image1.png", zeros, crc, GIB)])


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a temporary folder (as in test_levels)."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


@pytest.fixture
def unchosen(pm):
    """The pm cast with a1 not having chosen a level yet."""
    SchoolLevel.objects.filter(school=pm.cast.orgs["a1"]).delete()
    return pm


@pytest.fixture
def nothing_is_inflated(monkeypatch):
    """Any attempt to inflate a member of an archive fails the test: the check reads the directory only."""

    def refuse(*args, **kwargs):
        raise AssertionError("an archive member was inflated")

    monkeypatch.setattr(zipfile.zlib, "decompressobj", refuse)


def test_the_crafted_archive_is_a_real_zip_that_would_inflate_to_a_gibibyte():
    bomb = gibibyte_bomb()
    assert len(bomb) < 1.1 * MIB
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("word/media/image1.png").file_size == GIB
        with archive.open("word/media/image1.png") as member:
            assert member.read(MIB) == bytes(MIB)  # it does inflate to zeros


def test_a_docx_of_a_gibibyte_of_zeros_is_refused_before_anything_is_inflated(nothing_is_inflated):
    """Issue 7, point 7: the archive's declared sizes and its ratio are read; nothing is inflated."""
    with pytest.raises(ValidationError) as refused:
        order_document_check(io.BytesIO(gibibyte_bomb()))
    assert refused.value.messages == [
        (
            "Файл DOCX не принят: при распаковке он занял бы 1 ГБ — в настоящем приказе столько данных не бывает. "
            "Сохраните приказ в Word заново или приложите его в PDF."
        )
    ]


@pytest.mark.parametrize(
    "extra, unpacked",
    [
        # 200 МБ declared from 2,5 МБ packed (80 to 1, within the ratio): too big by its size alone.
        ([("word/media/big.bin", bytes(range(256)) * (10 * 1024), 0, 200 * MIB)], "200 МБ"),
        # Only 5 МБ declared, but from 20 КБ packed: 256 to 1.
        ([("word/document2.xml", b"x" * (20 * 1024), 0, 5 * MIB)], "5 МБ"),
    ],
    ids=["declared-size", "ratio"],
)
def test_an_archive_is_judged_by_its_declared_sizes_and_ratio(nothing_is_inflated, extra, unpacked):
    with pytest.raises(ValidationError) as refused:
        order_document_check(io.BytesIO(zip_archive([*DOCUMENT_PARTS, *extra])))
    assert f"при распаковке он занял бы {unpacked}" in refused.value.messages[0]


def test_an_archive_of_thousands_of_parts_is_refused(nothing_is_inflated):
    parts = [part(f"word/media/{i}.xml", b"") for i in range(DOCX_MAX_MEMBERS)]
    with pytest.raises(ValidationError) as refused:
        order_document_check(io.BytesIO(zip_archive([*DOCUMENT_PARTS, *parts])))
    assert refused.value.messages[0].startswith(
        "Файл DOCX не принят: в нём 2\N{NARROW NO-BREAK SPACE}002 части — в настоящем приказе их десятки."
    )


def test_real_orders_pass_a_long_text_and_scanned_pages(nothing_is_inflated):
    """The bounds leave room for what a school really sends: 1,6 МБ of a long table's markup (about 14 to 1) and
    8 МБ of scans that do not pack."""
    rows = "".join(f"<w:tr><w:tc><w:t>{i}. Обучающийся {i * 7919 % 100003} 8 класса</w:t></w:tc></w:tr>" for i in range(20000)).encode()
    scans = random.Random(7).randbytes(8 * MIB)
    archive = zip_archive([*DOCUMENT_PARTS, part("word/document2.xml", rows), part("word/media/scan.jpg", scans)])
    assert len(rows) > 1.5 * MIB and len(archive) < 10 * MIB
    assert document_kind(io.BytesIO(archive)) == DOCX
    assert order_document_check(io.BytesIO(archive)) == DOCX


def test_the_coordinator_uploading_the_bomb_gets_the_message_on_the_field_and_nothing_is_saved(client, unchosen, media):
    """Issue 7, point 7, through the level form: a 400 with the message under «Приказ школы о выборе уровня»."""
    pm = unchosen
    response = choose(as_user(client, pm, "coordinator_a1"), pm, content=gibibyte_bomb(), name="приказ.docx")
    assert response.status_code == 400
    page = text(response)
    assert "при распаковке он занял бы 1 ГБ" in page
    assert "Не сохранено" in page and "«Приказ школы о выборе уровня»" in page
    assert not SchoolLevel.objects.filter(school=pm.cast.orgs["a1"]).exists()
    assert stored_files(media) == []


def test_an_order_over_the_forms_limit_keeps_the_forms_message_and_one_over_the_platforms_gets_the_413(client, unchosen, media):
    """Decision: «Oversized bodies get the platform's Russian 413 page; uploads keep their own per-form limits
    and messages»: 11 МБ is the form's «не больше 10 МБ»; 13 МБ never reaches the form."""
    pm = unchosen
    coordinator = as_user(client, pm, "coordinator_a1")
    over_form = choose(coordinator, pm, content=PDF_BYTES + b"0" * (11 * MIB))
    assert over_form.status_code == 400 and "допускается не больше 10 МБ" in text(over_form)
    over_platform = choose(coordinator, pm, content=PDF_BYTES + b"0" * (settings.REQUEST_BODY_MAX_BYTES + MIB))
    assert over_platform.status_code == 413
    assert "Запрос слишком большой" in text(over_platform) and "не больше 12 МБ" in text(over_platform)
    assert not SchoolLevel.objects.filter(school=pm.cast.orgs["a1"]).exists()
    assert stored_files(media) == []
