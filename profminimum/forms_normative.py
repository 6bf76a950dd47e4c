"""Forms of the normative version page. They only parse what was typed (numbers with a comma or a dot,
dates, the rows of a table); the rules (hours ≥ 0 in steps of 0.5, the sums, numbering 1…N, holidays
inside the school year) are the services' (profminimum.normative), so a rule holds however a write comes."""

from decimal import Decimal, InvalidOperation

from django import forms

from core.formatting import hours_text
from profminimum.models import CourseLesson, Direction, Level, NormativeVersion


def hours_input(value) -> str:
    """The value of an hours input: «40», «45.5» (a number input wants a dot)."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    return f"{value.quantize(Decimal('1'))}" if value == value.to_integral() else f"{value.normalize():f}"


def hours_words(value) -> str:
    """«40 часов», «41 час», «45,5 часа»."""
    return hours_text(value)


class HoursField(forms.Field):
    """Hours typed as «45,5» or «45.5»; empty is None when the field is optional."""

    widget = forms.NumberInput(attrs={"step": "0.5", "min": "0", "inputmode": "decimal"})
    default_error_messages = {"required": "Укажите число часов.", "invalid": "Введите число, например 40 или 45,5."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return hours_input(value)
        return value


class VersionForm(forms.Form):
    title = forms.CharField(label="Название", max_length=300, error_messages={"required": "Укажите название нормативной версии."})
    basis = forms.CharField(
        label="Основание (нормативные документы)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class LevelsForm(forms.Form):
    """One field per level, named by its code."""

    def __init__(self, *args, levels: list[Level], **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = levels
        for level in levels:
            self.fields[level.code] = HoursField(
                label=f"Уровень «{level.get_code_display()}», часов в год", initial=hours_input(level.min_hours)
            )


class DirectionsForm(forms.Form):
    """The name and place in the order of each direction."""

    def __init__(self, *args, directions: list[Direction], **kwargs):
        super().__init__(*args, **kwargs)
        self.directions = directions
        for direction in directions:
            self.fields[f"position_{direction.pk}"] = forms.IntegerField(
                label=f"Порядок направления «{direction.get_code_display()}»", min_value=1, max_value=99,
                initial=direction.position, widget=forms.NumberInput(attrs={"min": "1", "max": "99"}),
                error_messages={"required": "Укажите порядок.", "invalid": "Порядок — целое число.",
                                "min_value": "Порядок — число от 1.", "max_value": "Порядок — число до 99."},
            )  # fmt: skip
            self.fields[f"name_{direction.pk}"] = forms.CharField(
                label=f"Название направления «{direction.get_code_display()}»", max_length=200, initial=direction.name,
                error_messages={"required": "Укажите название.", "max_length": "Не длиннее 200 символов."},
            )  # fmt: skip

    def rows(self):
        """(direction, position field, name field) for the template."""
        return [(d, self[f"position_{d.pk}"], self[f"name_{d.pk}"]) for d in self.directions]


class MinimaForm(forms.Form):
    """The grid level × direction; an empty cell is «no minimum»."""

    def __init__(self, *args, levels: list[Level], directions: list[Direction], minima: dict[tuple[int, int], Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.levels, self.directions = levels, directions
        for level in levels:
            for direction in directions:
                self.fields[self.key(level, direction)] = HoursField(
                    label=f"Уровень «{level.get_code_display()}», {direction.name}: минимум часов", required=False,
                    initial=hours_input(minima.get((level.pk, direction.pk))),
                )  # fmt: skip

    @staticmethod
    def key(level: Level, direction: Direction) -> str:
        return f"min_{level.pk}_{direction.pk}"

    def grid(self) -> dict[int, dict[int, Decimal | None]]:
        return {
            level.pk: {direction.pk: self.cleaned_data.get(self.key(level, direction)) for direction in self.directions}
            for level in self.levels
        }

    def rows(self):
        """(direction, [bound field per level]) for the template."""
        return [(d, [self[self.key(level, d)] for level in self.levels]) for d in self.directions]


class LessonRowForm(forms.Form):
    lesson_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    number = forms.IntegerField(
        label="Номер", min_value=1, max_value=200, widget=forms.NumberInput(attrs={"min": "1", "max": "200"}),
        error_messages={"required": "укажите номер", "invalid": "номер — целое число", "min_value": "номер — от 1", "max_value": "номер — до 200"},
    )  # fmt: skip
    topic = forms.CharField(
        label="Тема", max_length=300, error_messages={"required": "укажите тему", "max_length": "не длиннее 300 символов"}
    )
    kind = forms.ChoiceField(
        label="Тип занятия",
        choices=CourseLesson.Kind.choices,
        error_messages={"required": "выберите тип", "invalid_choice": "выберите тип из списка"},
    )
    sector = forms.CharField(label="Отрасль", max_length=200, required=False, error_messages={"max_length": "не длиннее 200 символов"})


class HolidayRowForm(forms.Form):
    title = forms.CharField(
        label="Название", max_length=200, error_messages={"required": "укажите название", "max_length": "не длиннее 200 символов"}
    )
    starts_on = forms.DateField(
        label="С", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "укажите дату начала", "invalid": "дата в виде ДД.ММ.ГГГГ"},
    )  # fmt: skip
    ends_on = forms.DateField(
        label="По", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "укажите дату окончания", "invalid": "дата в виде ДД.ММ.ГГГГ"},
    )  # fmt: skip


LessonFormSet = forms.formset_factory(LessonRowForm, extra=2, can_delete=True, max_num=200, absolute_max=250)
HolidayFormSet = forms.formset_factory(HolidayRowForm, extra=2, can_delete=True, max_num=60, absolute_max=80)


def formset_error_lines(formset) -> list[str]:
    """The errors of a table form, each naming its row and column: «Строка 5, «Тема»: укажите тему»."""
    lines = [str(e) for e in formset.non_form_errors()]
    for index, form in enumerate(formset.forms, 1):
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                lines.append(f"Строка {index}" + (f", «{label}»" if label else "") + f": {error}.")
    return lines


def version_initial(version: NormativeVersion) -> dict:
    return {"title": version.title, "basis": version.basis}
