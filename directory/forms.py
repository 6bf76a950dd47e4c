"""Forms of the network's pages. Each message names its field, in Russian."""

from django import forms

from core.formatting import date_short
from orgs.models import SchoolClass

ISO_DATE = "%Y-%m-%d"  # what <input type="date"> reads and sends, whatever the page's language


class TransferForm(forms.Form):
    """The class and the date of a transfer; the school is chosen before (see student_transfer_view)."""

    to_class = forms.ModelChoiceField(
        label="Класс",
        queryset=SchoolClass.objects.none(),
        empty_label="— выберите класс —",
        error_messages={
            "required": "Класс: выберите класс, в который переводится обучающийся.",
            "invalid_choice": "Класс: выберите класс из списка классов выбранной школы.",
        },
    )
    on = forms.DateField(
        label="Дата перевода",
        widget=forms.DateInput(format=ISO_DATE, attrs={"type": "date"}),
        input_formats=[ISO_DATE, "%d.%m.%Y"],
        error_messages={"required": "Дата перевода: укажите дату.", "invalid": "Дата перевода: введите дату в формате ДД.ММ.ГГГГ."},
    )

    def __init__(self, *args, classes, earliest=None, latest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_class"].queryset = classes
        self.fields["to_class"].label_from_instance = lambda school_class: f"{school_class.name} класс"
        # Only the date picker's bounds: the rule itself is the service's (people.services.student_transfer).
        if earliest is not None and latest is not None:
            self.fields["on"].widget.attrs.update(min=earliest.strftime(ISO_DATE), max=latest.strftime(ISO_DATE))
            self.fields["on"].help_text = f"Не раньше {date_short(earliest)} и не позже {date_short(latest)}."
