"""The roadmap's forms: parsing only — the rules are the services' (roadmap.services), whose errors are put back on
the fields they name."""

from django import forms
from django.core.exceptions import ValidationError

from orgs.models import SchoolYear
from roadmap.models import Plan, Report, Section
from roadmap.source import Schedule

MAX_UPLOAD_TITLE = 300


def error_lines(form: forms.Form) -> list[str]:
    """Every error of a form, each naming its field: the summary at the top of the page."""
    lines = [str(e) for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            text = str(error)
            lines.append(text if not label or text.startswith(("«", label)) else f"{label}: {text}")
    return lines


def errors_to_form(form: forms.Form, error: ValidationError, mapping: dict[str, str] | None = None) -> None:
    """A service's ValidationError onto the form: a dict error on the field it names (through `mapping`), the rest on
    the form as a whole."""
    mapping = mapping or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            field = mapping.get(name, name)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class CopyForm(forms.Form):
    source = forms.ModelChoiceField(label="Скопировать план", queryset=Plan.objects.none(), empty_label=None)
    school_year = forms.ModelChoiceField(label="На учебный год", queryset=SchoolYear.objects.none(), empty_label=None)

    def __init__(self, *args, plans, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = plans
        self.fields["school_year"].queryset = years
        self.fields["source"].error_messages["invalid_choice"] = "Выберите план из списка."
        self.fields["school_year"].error_messages["invalid_choice"] = "Выберите учебный год из списка."


SCHEDULE_CHOICES = [("", "определить по сроку")] + Schedule.CHOICES


class ItemForm(forms.Form):
    section = forms.ModelChoiceField(label="Раздел", queryset=Section.objects.none(), empty_label=None, required=False)
    number = forms.CharField(label="№ п/п", max_length=12, help_text="Как в приказе: «4.8», «4.5.».")
    activity = forms.CharField(label="Наименование мероприятия", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    executors_text = forms.CharField(
        label="Ответственный исполнитель (соисполнитель)", widget=forms.Textarea(attrs={"rows": 3}), max_length=3000,
        help_text="Первый названный ведёт и сдаёт отчёт. «Общеобразовательные организации РСО-Алания», «Управления образования "
        "муниципальных районов республики» — каждая организация такого типа сдаёт свой вклад.",
    )  # fmt: skip
    expected_result = forms.CharField(label="Ожидаемый результат", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    deadline_text = forms.CharField(
        label="Сроки исполнения", max_length=200, help_text="Например: «Июль 2026 года», «Ежемесячно», «2 раза в год»."
    )
    schedule = forms.ChoiceField(label="Периодичность отчётов", choices=SCHEDULE_CHOICES, required=False)

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sections is None:
            del self.fields["section"]
        else:
            self.fields["section"].queryset = sections
            self.fields["section"].required = True
            self.fields["section"].error_messages["invalid_choice"] = "Выберите раздел из списка."
        self.fields["schedule"].error_messages["invalid_choice"] = "Выберите периодичность из списка."

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("number", "activity", "executors_text", "expected_result", "deadline_text", "schedule")}


class PeriodForm(forms.Form):
    label = forms.CharField(label="Период", max_length=100)
    starts_on = forms.DateField(label="С", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    due_on = forms.DateField(label="Срок", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_on", "due_on"):
            self.fields[name].error_messages["invalid"] = "укажите дату в виде ДД.ММ.ГГГГ."


class CommentForm(forms.Form):
    comment = forms.CharField(label="Замечание исполнителю", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False)


class ReportForm(forms.Form):
    """The executor's part of a report: the state of execution, the text, the corrections of the platform's figures
    (one pair of fields per figure: the corrected value, empty to confirm, and the reason) and their own figures."""

    OWN_ROWS = 3

    execution = forms.ChoiceField(label="Исполнение", choices=Report.Execution.choices, widget=forms.RadioSelect, required=False)
    text = forms.CharField(
        label="Что сделано", widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20_000,
        help_text="Что сделано за период, с номерами и датами документов.",
    )  # fmt: skip

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        if not self.is_bound:
            self.initial.setdefault("execution", report.execution)
            self.initial.setdefault("text", report.text)
        self.figure_rows = []
        for index, figure in enumerate(report.prefilled):
            fix = report.corrections.get(figure["key"], {})
            value_name, reason_name = f"fix_{index}_value", f"fix_{index}_reason"
            self.fields[value_name] = forms.CharField(label=f"Исправленное значение: {figure['label']}", required=False, max_length=300)
            self.fields[reason_name] = forms.CharField(label=f"Причина исправления: {figure['label']}", required=False, max_length=1000)
            if not self.is_bound:
                self.initial[value_name] = fix.get("value", "") if fix else ""
                self.initial[reason_name] = fix.get("reason", "") if fix else ""
            self.figure_rows.append({"figure": figure, "value": self[value_name], "reason": self[reason_name]})
        own = list(report.own_figures)
        rows = max(self.OWN_ROWS, len(own) + 1)
        self.own_rows = []
        for index in range(min(rows, 10)):
            label_name, value_name = f"own_{index}_label", f"own_{index}_value"
            self.fields[label_name] = forms.CharField(label=f"Показатель {index + 1}: название", required=False, max_length=200)
            self.fields[value_name] = forms.CharField(label=f"Показатель {index + 1}: значение", required=False, max_length=30)
            if not self.is_bound and index < len(own):
                self.initial[label_name] = own[index]["label"]
                self.initial[value_name] = str(own[index]["value"]).replace(".", ",")
            self.own_rows.append({"label": self[label_name], "value": self[value_name]})
        self.fields["execution"].error_messages["invalid_choice"] = "выберите из списка."

    def service_fields(self) -> dict:
        data = self.cleaned_data
        corrections = {
            figure["key"]: (data.get(f"fix_{index}_value", ""), data.get(f"fix_{index}_reason", ""))
            for index, figure in enumerate(self.report.prefilled)
        }
        own = [(data.get(f"own_{index}_label", ""), data.get(f"own_{index}_value", "")) for index in range(len(self.own_rows))]
        return {"execution": data.get("execution", ""), "text": data.get("text", ""), "corrections": corrections, "own_figures": own}

    def error_mapping(self) -> dict[str, str]:
        mapping = {}
        for index, figure in enumerate(self.report.prefilled):
            mapping[f"fix:{figure['key']}"] = f"fix_{index}_value"
            mapping[f"reason:{figure['key']}"] = f"fix_{index}_reason"
        for index in range(len(self.own_rows)):
            mapping[f"own:{index}"] = f"own_{index}_label"
        return mapping


class EvidenceFileForm(forms.Form):
    file = forms.FileField(label="Файл", required=False, help_text="PDF, DOC, DOCX, XLSX, JPEG или PNG, до 10 МБ.")
    title = forms.CharField(label="Название (необязательно)", required=False, max_length=MAX_UPLOAD_TITLE)


class EvidenceLinkForm(forms.Form):
    url = forms.CharField(label="Ссылка", required=False, max_length=1000, help_text="Адрес страницы: https://…")
    link_title = forms.CharField(label="Название ссылки (необязательно)", required=False, max_length=MAX_UPLOAD_TITLE)
