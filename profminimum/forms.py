"""Forms of the профминимум pages: they parse and show errors; the rules live in the services."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst

from orgs.models import Organization, SchoolClass
from people.models import Student
from profminimum.models import Direction

# Organisations that run career-guidance activities, besides the school itself.
ORGANIZER_KINDS = [
    Organization.Kind.COLLEGE, Organization.Kind.UNIVERSITY, Organization.Kind.EMPLOYER,
    Organization.Kind.ADDITIONAL_EDUCATION, Organization.Kind.REGIONAL_OPERATOR,
]  # fmt: skip


class HoursField(forms.DecimalField):
    """Academic hours as a teacher types them: «1,5» or «1.5»."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".").replace(" ", "")
        return super().to_python(value)


def combine(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class StudentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, student) -> str:
        class_name = student.current_class.name if student.current_class_id else ""
        return f"{student.person.last_name} {student.person.first_name} ({class_name})".strip()


class DirectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, direction) -> str:
        return capfirst(direction.name)


class ClassChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, school_class) -> str:
        return f"{school_class.name} класс"


class ActivityForm(forms.Form):
    """A new activity: what, when, how long, who runs it, where, for whom."""

    direction = DirectionChoiceField(label="Направление", queryset=Direction.objects.none(), empty_label="— выберите —")
    title = forms.CharField(label="Название", max_length=300)
    date = forms.DateField(label="Дата", widget=DateInput)
    time = forms.TimeField(label="Время начала", widget=TimeInput)
    duration_hours = HoursField(
        label="Продолжительность, академических часов", max_digits=4, decimal_places=1,
        help_text="С шагом 0,5: 0,5, 1, 1,5, 2 …",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )  # fmt: skip
    organizer = forms.ModelChoiceField(label="Организатор", queryset=Organization.objects.none(), empty_label="— выберите —")
    place = forms.CharField(label="Место", max_length=300, required=False)
    classes = ClassChoiceField(
        label="Классы целиком", queryset=SchoolClass.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    students = StudentChoiceField(
        label="Отдельные обучающиеся", queryset=Student.objects.none(), required=False,
        help_text="Удерживайте Ctrl (на телефоне — просто касайтесь), чтобы выбрать нескольких.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip

    # Errors of the service are keyed by the model's fields; these are the form's fields for them.
    SERVICE_FIELDS = {"starts_at": "date", "school": None, "school_year": None}

    def __init__(self, *args, directions, organizers, classes, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = directions
        self.fields["organizer"].queryset = organizers
        self.fields["classes"].queryset = classes
        self.fields["students"].queryset = students

    def clean(self):
        data = super().clean()
        if not data.get("classes") and not data.get("students") and not self.has_error("classes") and not self.has_error("students"):
            self.add_error("classes", "Выберите хотя бы один класс целиком или отдельных обучающихся.")
        return data

    def starts_at(self) -> datetime.datetime:
        return combine(self.cleaned_data["date"], self.cleaned_data["time"])

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            field = self.SERVICE_FIELDS.get(name, name)
            self.add_error(field if field in self.fields else None, messages)


class ActivityMoveForm(forms.Form):
    """A new date and time for a lesson."""

    date = forms.DateField(label="Новая дата", widget=DateInput)
    time = forms.TimeField(label="Время", widget=TimeInput)

    def starts_at(self) -> datetime.datetime:
        return combine(self.cleaned_data["date"], self.cleaned_data["time"])

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's messages are about the date: show them next to it."""
        self.add_error("date", error.messages)
