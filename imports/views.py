"""The import pages: the kinds of file the viewer may load, the upload of one, its preview with every bad row
(row, column, reason) and the confirmation, the progress of the background work, the template to download.
Thin: parse, call a service or a selector, render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from access.policy import viewer_for
from access.services import personal_data_read_log
from core.client_ip import client_ip
from core.tables import Column, Table, text_cell
from core.xlsx import XlsxColumn, xlsx_response
from imports import selectors, services
from imports.forms import UploadForm, form_error_lines
from imports.importers import IMPORTERS
from imports.models import ImportBatch
from imports.policy import changeover_schools, import_kinds
from people.models import ParentLink


def _kinds(request):
    viewer = viewer_for(request.user)
    kinds = import_kinds(viewer, tuple(IMPORTERS))
    if not kinds:
        raise Http404
    return viewer, kinds


def _crumbs(extra: str = "") -> list[dict]:
    crumbs = [{"label": "Загрузка данных", "url": "/imports/"}]
    if extra:
        crumbs.append({"label": extra})
    else:
        crumbs[0].pop("url")
    return crumbs


@login_required
def home(request: HttpRequest) -> HttpResponse:
    viewer, kinds = _kinds(request)
    return render(
        request, "imports/home.html",
        {"importers": [IMPORTERS[k] for k in kinds], "batches": selectors.batches_recent(viewer=viewer), "breadcrumbs": _crumbs(),
         "page_title": "Загрузка данных"},
    )  # fmt: skip


@login_required
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    viewer, kinds = _kinds(request)
    if kind not in kinds:
        raise Http404
    importer = IMPORTERS[kind]
    schools = selectors.schools_for_upload(viewer=viewer)
    own = list(schools.filter(pk__in=viewer.coordinated_school_ids)[:2])
    network = getattr(importer, "network", False)  # the file names its schools (the list of schools itself)
    fixed = own[0] if len(own) == 1 and schools.count() == 1 and not network else None
    form = UploadForm(request.POST or None, request.FILES or None, schools=schools, fixed_school=fixed, ask_school=not network)
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            school = None if network else fixed or form.cleaned_data.get("school")
            try:
                batch = services.batch_upload(user=request.user, kind=kind, upload=form.cleaned_data["file"], school=school)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                errors = [" ".join(e) for e in error.message_dict.values()] if hasattr(error, "error_dict") else error.messages
            else:
                return redirect("imports:batch", pk=batch.pk)
        else:
            errors = form_error_lines(form)
    return render(
        request, "imports/upload.html",
        {"importer": importer, "form": form, "fixed_school": fixed, "errors": errors, "export_schools": [fixed] if fixed else schools[:500], "breadcrumbs": _crumbs(importer.title),
         "page_title": f"Загрузка: {importer.title.lower()}"},
        status=400 if errors else 200,
    )  # fmt: skip


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    _, kinds = _kinds(request)
    if kind not in kinds:
        raise Http404
    importer = IMPORTERS[kind]
    keys = getattr(importer, "template_columns", None) or [c.key for c in importer.columns]
    columns = [importer.column(key) for key in keys]
    return xlsx_response(
        filename=importer.template_name, title=f"Шаблон: {importer.title.lower()}", scope="заполните с третьей строки",
        on_date=timezone.localdate(), columns=[XlsxColumn(c.header) for c in columns], rows=[[c.example for c in columns]],
        sheet_title=importer.title,
    )  # fmt: skip


@login_required
def students_export(request: HttpRequest) -> HttpResponse:
    """A school's students in the import template's columns: what a re-import reads back unchanged."""
    viewer, kinds = _kinds(request)
    if "students" not in kinds:
        raise Http404
    school = get_object_or_404(selectors.schools_for_upload(viewer=viewer), pk=_int(request.GET.get("school")))
    importer = IMPORTERS["students"]
    person_ids, rows = selectors.students_export_rows(viewer=viewer, school=school)
    personal_data_read_log(
        user=request.user, subject=f"список обучающихся школы (XLSX): {school.short_name}"[:200], channel="export", person_ids=person_ids
    )
    columns = [importer.column(key) for key in importer.template_columns]
    return xlsx_response(
        filename=f"obuchayushchiesya-{school.pk}.xlsx", title="Обучающиеся и родители", scope=school.short_name,
        on_date=timezone.localdate(), columns=[XlsxColumn(c.header, "date" if c.key == "birth_date" else "text") for c in columns],
        rows=rows, sheet_title="Обучающиеся",
    )  # fmt: skip


def _int(value) -> int:
    try:
        return int(str(value or "0")[:12])
    except ValueError:
        return 0


@login_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    found = selectors.batch_get(viewer=viewer, pk=pk)
    context = _batch_context(found)
    context["table"].bind(request)
    if request.GET.get("format") == "xlsx" and request.GET.get("table") == "problems":
        return context["table"].xlsx_response(
            filename=f"oshibki-{found.pk}.xlsx",
            title=f"Ошибки в файле «{found.file_name}»",
            scope=found.get_kind_display(),
            on_date=timezone.localdate(),
        )
    if request.headers.get("HX-Request") and request.GET.get("part") == "status":
        return render(request, "imports/_batch_body.html", context)
    return render(request, "imports/batch.html", context)


def _batch_context(found: ImportBatch, errors: list[str] | None = None) -> dict:
    importer = IMPORTERS.get(found.kind)
    problems = selectors.batch_problems(batch=found) if found.status in {
        ImportBatch.Status.CHECKED, ImportBatch.Status.REFUSED, ImportBatch.Status.DONE, ImportBatch.Status.FAILED
    } else []  # fmt: skip
    table = Table(
        key="problems", title="Пропущенные строки с ошибками" if found.status == ImportBatch.Status.DONE else "Ошибки в файле", empty="Ошибок нет.", search_label="Столбец", search_column="column",
        columns=[Column("row", "Строка"), Column("column", "Столбец"), Column("value", "Значение"), Column("message", "Что не так")],
        rows=[[text_cell(str(p.row) if p.row else "весь файл"), text_cell(p.column or "—"), text_cell(p.value or "—"), text_cell(p.message)] for p in problems],
    )  # fmt: skip
    return {
        "batch": found, "importer": importer, "table": table, "problems": problems, "errors": errors or [],
        "problems_more": len(problems) >= selectors.PROBLEMS_SHOWN,
        "breadcrumbs": _crumbs(f"Файл «{found.file_name}»"), "page_title": f"Загрузка файла «{found.file_name}»",
    }  # fmt: skip


@login_required
@require_POST
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    found = selectors.batch_get(viewer=viewer, pk=pk)
    if found.kind not in import_kinds(viewer, tuple(IMPORTERS)):
        raise Http404
    try:
        services.batch_commit_request(user=request.user, batch=found, skip_errors=request.POST.get("skip_errors") == "yes")
    except ValidationError as error:
        found.refresh_from_db()
        context = _batch_context(found, error.messages)
        context["table"].bind(request)
        return render(request, "imports/batch.html", context, status=400)
    return redirect("imports:batch", pk=found.pk)


@login_required
def passwords(request: HttpRequest, pk: int) -> HttpResponse:
    """The class's first passwords: the list of who still waits for one; printing issues new one-time passwords
    for those chosen (a reset too), shown once on the sheet and never stored."""
    viewer = viewer_for(request.user)
    school_class = selectors.password_class_get(viewer=viewer, pk=pk)
    people = selectors.password_people(school_class=school_class)
    title = f"Первые пароли: {school_class.name}, {school_class.school.short_name}"
    errors: list[str] = []
    if request.method == "POST" and request.POST.get("what") == "parent_codes":
        codes = services.parent_codes_issue(user=request.user, school_class=school_class)
        return render(
            request, "imports/parent_codes_print.html",
            {"school_class": school_class, "codes": codes, "days": services.PARENT_CODE_DAYS, "page_title": title,
             "breadcrumbs": [{"label": title}]},
        )  # fmt: skip
    if request.method == "POST":
        chosen = [value for value in request.POST.getlist("person")[:500] if value.isdigit() and len(value) < 12]
        if not chosen:
            errors = ["Отметьте хотя бы одного человека, кому выдать пароль."]
        else:
            issued = services.first_passwords_issue(
                user=request.user, school_class=school_class, person_ids=chosen, ip_address=client_ip(request)
            )
            return render(
                request, "imports/passwords_print.html",
                {"school_class": school_class, "issued": issued, "page_title": title, "breadcrumbs": [{"label": title}]},
            )  # fmt: skip
    return render(
        request, "imports/passwords.html",
        {"school_class": school_class, "people": people, "errors": errors, "page_title": title, "breadcrumbs": [{"label": title}]},
        status=400 if errors else 200,
    )  # fmt: skip


@login_required
def changeover(request: HttpRequest) -> HttpResponse:
    """The school's move to the current school year: what it will do (the preview), then the confirmation."""
    viewer = viewer_for(request.user)
    schools = changeover_schools(viewer).order_by("short_name")
    if not schools.exists():
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    school = schools.filter(pk=_int(source.get("school"))).first() if source.get("school") else None
    if school is None and schools.count() == 1:
        school = schools.first()
    errors: list[str] = []
    done = None
    if request.method == "POST" and school is not None:
        if request.POST.get("confirm") != "yes":
            errors = ["«Подтверждение»: отметьте, что проверили, куда переходят классы."]
        else:
            try:
                done = services.changeover_apply(user=request.user, school=school)
            except ValidationError as error:
                errors = error.messages
    plan = services.changeover_plan(school=school) if school is not None and done is None else None
    return render(
        request, "imports/changeover.html",
        {"schools": schools[:500], "school": school, "plan": plan, "done": done, "errors": errors,
         "page_title": "Переход на новый учебный год", "breadcrumbs": [{"label": "Переход на новый учебный год"}]},
        status=400 if errors else 200,
    )  # fmt: skip


@login_required
def parent_code(request: HttpRequest) -> HttpResponse:
    """A parent enters the code the school printed for the family and is linked to the child."""
    errors: list[str] = []
    linked = None
    if request.method == "POST":
        try:
            linked = services.parent_code_use(
                user=request.user, code=request.POST.get("code", "")[:40], kind=request.POST.get("kind", "")[:20]
            )
        except ValidationError as error:
            errors = [" ".join(e) for e in error.message_dict.values()] if hasattr(error, "error_dict") else error.messages
    return render(
        request, "imports/parent_code.html",
        {"errors": errors, "linked": linked, "kinds": ParentLink.Kind.choices, "page_title": "Код от школы для родителей",
         "breadcrumbs": [{"label": "Код от школы для родителей"}]},
        status=400 if errors else 200,
    )  # fmt: skip
