"""Forms of the diagnostics pages. Every message names the field and says what is wrong, in Russian."""

from django import forms
from django.core.exceptions import ValidationError

DATE_INPUT = {"type": "date"}


class AssignmentForm(forms.Form):
    school_class = forms.ModelChoiceField(
        label="Класс", queryset=None, empty_label="— выберите класс —",
        error_messages={"required": "Выберите класс.", "invalid_choice": "Выберите класс из списка."},
    )  # fmt: skip
    version = forms.TypedChoiceField(
        label="Опросник", coerce=int, empty_value=None,
        error_messages={"required": "Выберите опросник.", "invalid_choice": "Выберите опросник из списка."},
    )  # fmt: skip
    opens_on = forms.DateField(
        label="Проходить с", widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={"required": "Укажите, с какого дня проходить.", "invalid": "Укажите дату начала в виде ДД.ММ.ГГГГ."},
    )  # fmt: skip
    closes_on = forms.DateField(
        label="Проходить по", widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={"required": "Укажите, по какой день проходить.", "invalid": "Укажите дату окончания в виде ДД.ММ.ГГГГ."},
    )  # fmt: skip

    def __init__(self, *args, classes, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes
        self.fields["school_class"].label_from_instance = lambda c: (
            f"{c}, {c.school.short_name}" if len({*classes.values_list("school_id", flat=True)}) > 1 else str(c)
        )
        self.versions = {v.pk: v for v in versions}
        self.fields["version"].choices = [("", "— выберите опросник —")] + [
            (v.pk, f"{v.instrument.title} (версия {v.version})") for v in versions
        ]

    def clean_version(self):
        pk = self.cleaned_data.get("version")
        if pk not in self.versions:
            raise ValidationError("Выберите опросник из списка.")
        return self.versions[pk]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Файл методики (JSON)", help_text="Формат — как у методик платформы: описан в diagnostics/instruments/README.md. До 1 МБ.",
        error_messages={"required": "Выберите файл методики.", "empty": "Файл пустой.", "invalid": "Выберите файл методики."},
    )  # fmt: skip
    licence_note = forms.CharField(
        label="Основание использования текстов", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Договор или лицензия, по которым регион вправе использовать тексты вопросов.",
        error_messages={"required": "Укажите основание: договор, лицензию или автора текстов.", "max_length": "Основание — не длиннее 2000 символов."},
    )  # fmt: skip
    licence_confirmed = forms.BooleanField(
        label="У региона есть право использовать тексты этой методики",
        required=False,
    )


def errors_of(error: ValidationError, form: forms.Form | None = None) -> list[str]:
    """A service's refusal as lines for the page; a message about a field of the form is put on that field too."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    lines = []
    for field, errors in error.error_dict.items():
        for item in errors:
            for message in item.messages:
                if form is not None and field in form.fields:
                    form.add_error(field, message)
                else:
                    lines.append(message)
    return lines
