"""Forms of a school's профминимум level: the coordinator's choice with the school's order, and the
ministry's decision. The uploaded order is checked by its content here (so the page can say what is wrong)
and again by the service."""

from django import forms

from profminimum.forms_normative import hours_words
from profminimum.models import Level
from profminimum.uploads import order_document_check


class LevelRadio(forms.ModelChoiceField):
    widget = forms.RadioSelect

    def label_from_instance(self, level: Level) -> str:
        return f"{level.get_code_display().capitalize()} — минимум {hours_words(level.min_hours)} в год на обучающегося"


class LevelChoiceForm(forms.Form):
    level = LevelRadio(
        label="Уровень профминимума", queryset=Level.objects.none(), empty_label=None,
        error_messages={"required": "Выберите уровень.", "invalid_choice": "Выберите уровень из списка."},
    )  # fmt: skip
    order_file = forms.FileField(
        label="Приказ школы о выборе уровня", required=False,
        help_text="PDF, DOC или DOCX, не больше 10 МБ.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,application/pdf,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
    )  # fmt: skip
    order_number = forms.CharField(
        label="Номер приказа", max_length=50,
        error_messages={"required": "Укажите номер приказа школы.", "max_length": "Номер приказа — не длиннее 50 символов."},
    )  # fmt: skip
    order_date = forms.DateField(
        label="Дата приказа", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Укажите дату приказа школы.", "invalid": "Укажите дату приказа в виде ДД.ММ.ГГГГ."},
    )  # fmt: skip

    def __init__(self, *args, levels, has_order: bool, order_date_bounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels
        if order_date_bounds is not None:
            # The browser's date picker offers only the dates the service accepts (it refuses the rest anyway).
            earliest, latest = order_date_bounds
            self.fields["order_date"].widget.attrs.update(min=earliest.isoformat(), max=latest.isoformat())
        self.has_order = has_order
        if not has_order:
            self.fields["order_file"].required = True
            self.fields["order_file"].error_messages["required"] = "Приложите приказ школы о выборе уровня (PDF, DOC или DOCX, до 10 МБ)."
        else:
            self.fields["order_file"].help_text = "Приказ уже приложен; новый файл заменит его. PDF, DOC или DOCX, не больше 10 МБ."
        self.fields["order_file"].widget = forms.FileInput(attrs=self.fields["order_file"].widget.attrs)
        self.fields["order_file"].error_messages["empty"] = "Файл пустой: приложите приказ (PDF, DOC или DOCX, до 10 МБ)."

    def clean_order_file(self):
        file = self.cleaned_data.get("order_file")
        if file:
            order_document_check(file)
        return file or None


class LevelSetForm(forms.Form):
    """The ministry sets the level itself."""

    level = LevelRadio(
        label="Уровень, который устанавливает министерство", queryset=Level.objects.none(), empty_label=None,
        error_messages={"required": "Выберите уровень.", "invalid_choice": "Выберите уровень из списка."},
    )  # fmt: skip

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels


def form_error_lines(form) -> list[str]:
    """Every error of a form, naming its field."""
    lines = [str(e) for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        lines.extend(f"«{form.fields[name].label}»: {e}" for e in errors)
    return lines
