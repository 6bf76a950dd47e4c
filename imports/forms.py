"""The upload form: which school the file is for (or the school named in each row) and the file."""

from django import forms

from imports.reader import WHAT


class UploadForm(forms.Form):
    school = forms.ModelChoiceField(
        label="Школа", queryset=None, required=False, empty_label="— школа указана в каждой строке файла —",
        error_messages={"invalid_choice": "Выберите школу из списка."},
    )  # fmt: skip
    file = forms.FileField(
        label="Файл со списком", help_text=f"Нужна {WHAT}. Заголовки — как в шаблоне; порядок столбцов и лишние столбцы не мешают.",
        error_messages={"required": "Выберите файл со списком.", "empty": "Файл пустой (0 байт): выберите файл со списком."},
    )  # fmt: skip

    def __init__(self, *args, schools, fixed_school=None, ask_school: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_school = fixed_school
        if fixed_school is not None or not ask_school:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = schools
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"


def form_error_lines(form) -> list[str]:
    lines = [str(e) for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            lines.extend(f"«{form.fields[name].label}»: {e}" for e in errors)
    return lines
