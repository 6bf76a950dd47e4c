"""The export a family asks for: a ZIP with the student's data in readable form (a PDF rendered from a Django
template by WeasyPrint, the platform's one PDF library) and in machine form (JSON), both made from the same
sections every app contributes (privacy.registry)."""

import datetime
import io
import json
import zipfile

from django.template.loader import render_to_string
from django.utils import timezone

from core.formatting import date_text, datetime_text
from privacy.registry import personal_data

EXPORT_FORMAT = "profnavigator.personal-data-export/1"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the libraries it draws with (Pango) are not installed on this server."""


def pdf_render(template: str, context: dict) -> bytes:
    """A PDF of a Django template. The template carries its own print styles: no file is fetched."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: the Python package is there, Pango is not
        raise PdfUnavailable("Для PDF нужен WeasyPrint с библиотекой Pango: см. README, раздел «Эксплуатация».") from error
    html = render_to_string(template, context)
    return HTML(string=html, base_url=None).write_pdf()


def export_archive(request, *, now: datetime.datetime | None = None) -> bytes:
    now = now or timezone.now()
    student = request.student
    sections = personal_data.sections(student, full=True)
    data = {
        "format": EXPORT_FORMAT,
        "request": {"number": request.pk, "received_at": request.received_at.isoformat(), "made_at": now.isoformat()},
        "student_id": student.pk,
        "sections": {section.key: {"title": section.title, "facts": dict(section.facts), "data": section.data} for section in sections},
    }
    context = {
        "request": request,
        "sections": sections,
        "made_text": datetime_text(now),
        "received_text": date_text(request.received_at),
        "person": student.person,
    }
    pdf = pdf_render("privacy/print/export.html", context)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("dannye.pdf", pdf)
        archive.writestr("dannye.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        archive.writestr(
            "prochtite.txt",
            "Выгрузка персональных данных из платформы «Профнавигатор» по запросу № "
            f"{request.pk}.\n\ndannye.pdf — данные в удобном для чтения виде;\ndannye.json — те же данные в машиночитаемом виде (JSON, UTF-8).\n",
        )
    return buffer.getvalue()


def act_pdf(act) -> bytes:
    from privacy.selectors import act_context

    return pdf_render("privacy/print/act.html", act_context(act))
