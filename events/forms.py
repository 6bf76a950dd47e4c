"""Forms of the events app. Every field says in Russian what is wrong with it; dates are bounded (2000–2100) and
numbers have their ranges, so no input reaches a query it could break."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import ExcursionRoute, Mentor, Offer
from events.sectors import SECTORS
from orgs.models import Municipality, Organization
from profminimum.models import Direction
from profminimum.uploads import order_document_check

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
DATE_INVALID = "Укажите дату в виде ДД.ММ.ГГГГ."
GRADES = [(str(g), f"{g} класс") for g in range(6, 12)]
DOCUMENT_ACCEPT = (
    ".pdf,.doc,.docx,application/pdf,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)


class BoundedDateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date", "min": EARLIEST.isoformat(), "max": LATEST.isoformat()}, format="%Y-%m-%d")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {}).setdefault("invalid", DATE_INVALID)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        day = super().clean(value)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise ValidationError(f"«{self.label}»: дата должна быть в пределах с 01.01.2000 по 31.12.2100.")
        return day


class BoundedDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {}).setdefault("invalid", "Укажите дату и время в виде ДД.ММ.ГГГГ ЧЧ:ММ.")
        super().__init__(*args, **kwargs)

    def clean(self, value):
        moment = super().clean(value)
        if moment is not None and not EARLIEST <= timezone.localtime(moment).date() <= LATEST:
            raise ValidationError(f"«{self.label}»: дата должна быть в пределах с 01.01.2000 по 31.12.2100.")
        return moment


def _required(label: str) -> dict:
    return {
        "required": f"Заполните поле «{label}».",
        "max_length": f"«{label}»: слишком длинно.",
        "invalid": f"«{label}»: неверное значение.",
    }


# --- the catalogue's filters ----------------------------------------------------------------------------------------


class CatalogueFilterForm(forms.Form):
    """GET filters of the catalogue, the calendar, the feed and the API. A wrong value is named and ignored."""

    q = forms.CharField(label="Поиск", required=False, max_length=100)
    municipality = forms.ModelChoiceField(
        label="Муниципалитет", queryset=Municipality.objects.all(), required=False, empty_label="все",
        error_messages={"invalid_choice": "Такого муниципалитета нет: выберите из списка."},
    )  # fmt: skip
    grade = forms.TypedChoiceField(
        label="Класс", choices=[("", "любой"), *GRADES], coerce=int, required=False, empty_value=None,
        error_messages={"invalid_choice": "Класс — от 6 до 11."},
    )  # fmt: skip
    sector = forms.ChoiceField(
        label="Отрасль", choices=[("", "любая"), *SECTORS], required=False, error_messages={"invalid_choice": "Выберите отрасль из списка."}
    )
    kind = forms.ChoiceField(
        label="Вид",
        choices=[("", "любой"), *Offer.Kind.choices],
        required=False,
        error_messages={"invalid_choice": "Выберите вид из списка."},
    )
    date_from = BoundedDateField(label="С даты", required=False)
    date_to = BoundedDateField(label="По дату", required=False)
    free = forms.BooleanField(label="Только со свободными местами", required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "«По дату» не может быть раньше «С даты».")
        return data

    def values(self) -> dict:
        """The valid filters only (an invalid one is shown with its message and left out)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: data.get(key) for key in self.fields if key not in self.errors and data.get(key) not in (None, "", False)}


# --- offers -----------------------------------------------------------------------------------------------------------


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label="Вид", choices=Offer.Kind.choices, error_messages=_required("Вид"))
    title = forms.CharField(label="Название", max_length=300, error_messages=_required("Название"))
    description = forms.CharField(label="Описание", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    provider = forms.ModelChoiceField(
        label="Организатор", queryset=Organization.objects.none(), empty_label=None,
        error_messages={"required": "Выберите организатора.", "invalid_choice": "Выберите организатора из списка."},
    )  # fmt: skip
    starts_at = BoundedDateTimeField(label="Начало", error_messages=_required("Начало"))
    ends_at = BoundedDateTimeField(label="Окончание", error_messages=_required("Окончание"))
    place = forms.CharField(label="Место проведения", max_length=300, required=False)
    online_url = forms.URLField(
        label="Ссылка для участия онлайн", required=False, max_length=200, error_messages={"invalid": "Укажите ссылку целиком, с https://."}
    )
    municipality = forms.ModelChoiceField(
        label="Муниципалитет", queryset=Municipality.objects.all(), required=False, empty_label="вся республика",
        error_messages={"invalid_choice": "Выберите муниципалитет из списка."},
    )  # fmt: skip
    sector = forms.ChoiceField(label="Отрасль", choices=[("", "—"), *SECTORS], required=False)
    professions = forms.CharField(label="Профессии (для пробы — профессия)", max_length=300, required=False)
    competency = forms.CharField(label="Компетенция (для пробы)", max_length=200, required=False)
    route = forms.ModelChoiceField(
        label="Маршрут (для экскурсии)", queryset=ExcursionRoute.objects.filter(is_active=True), required=False, empty_label="—",
        error_messages={"invalid_choice": "Выберите маршрут из каталога."},
    )  # fmt: skip
    grade_min = forms.TypedChoiceField(label="С класса", choices=GRADES, coerce=int, initial="8", error_messages=_required("С класса"))
    grade_max = forms.TypedChoiceField(label="По класс", choices=GRADES, coerce=int, initial="11", error_messages=_required("По класс"))
    capacity = forms.IntegerField(
        label="Мест", min_value=1, max_value=5000,
        error_messages={**_required("Мест"), "min_value": "Мест — не меньше 1.", "max_value": "Мест — не больше 5000."},
    )  # fmt: skip
    hours = forms.DecimalField(
        label="Засчитывается академических часов", min_value=0, max_value=40, max_digits=3, decimal_places=1,
        error_messages={**_required("Часы"), "min_value": "Часов — не меньше 0.", "max_value": "Часов — не больше 40.",
                        "max_decimal_places": "Часы — с шагом 0,5.", "max_digits": "Часов — не больше 40."},
    )  # fmt: skip
    direction = forms.ChoiceField(label="Направление профминимума", choices=Direction.Code.choices, error_messages=_required("Направление"))

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers.order_by("short_name")

    @staticmethod
    def initial_from(offer: Offer) -> dict:
        initial = {name: getattr(offer, name) for name in ("kind", "title", "description", "place", "online_url", "sector", "professions",
                                                          "competency", "grade_min", "grade_max", "capacity", "hours", "direction")}  # fmt: skip
        initial.update(
            provider=offer.provider_id, municipality=offer.municipality_id, route=offer.route_id,
            starts_at=timezone.localtime(offer.starts_at), ends_at=timezone.localtime(offer.ends_at),
        )  # fmt: skip
        return initial


class CancelForm(forms.Form):
    cancel_reason = forms.CharField(label="Причина отмены", max_length=300, error_messages=_required("Причина отмены"))


class CodeForm(forms.Form):
    code = forms.CharField(label="Короткий код или содержимое QR-кода", max_length=2000, error_messages=_required("Код"))


class FeedbackForm(forms.Form):
    useful = forms.TypedChoiceField(
        label="Было полезно?", choices=[("1", "да"), ("0", "нет")], coerce=lambda v: v == "1", widget=forms.RadioSelect,
        error_messages={"required": "Ответьте, было ли полезно.", "invalid_choice": "Ответьте «да» или «нет»."},
    )  # fmt: skip
    rating = forms.TypedChoiceField(
        label="Оценка", choices=[(str(n), str(n)) for n in range(5, 0, -1)], coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "Поставьте оценку от 1 до 5.", "invalid_choice": "Оценка — от 1 до 5."},
    )  # fmt: skip
    comment = forms.CharField(label="Отзыв", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


# --- partners -----------------------------------------------------------------------------------------------------------


class PartnerForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Организация", queryset=Organization.objects.none(), empty_label=None,
        error_messages={"required": "Выберите организацию.", "invalid_choice": "Выберите организацию из списка."},
    )  # fmt: skip
    description = forms.CharField(label="Чем полезна школьникам", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    sectors = forms.MultipleChoiceField(
        label="Отрасли", choices=SECTORS, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Выберите отрасли из списка."},
    )  # fmt: skip
    is_trial_site = forms.BooleanField(label="Площадка профессиональных проб", required=False)
    contact = forms.CharField(label="Контакты для школ", max_length=300, required=False)


class AgreementForm(forms.Form):
    number = forms.CharField(label="Номер договора", max_length=50, error_messages=_required("Номер договора"))
    signed_on = BoundedDateField(label="Дата заключения", error_messages={"required": "Укажите дату заключения."})
    valid_from = BoundedDateField(label="Действует с", error_messages={"required": "Укажите начало срока действия."})
    valid_until = BoundedDateField(label="Действует по", required=False, help_text="Пусто — бессрочно.")
    subject = forms.CharField(
        label="Предмет договора", max_length=3000, widget=forms.Textarea(attrs={"rows": 3}), error_messages=_required("Предмет")
    )
    file = forms.FileField(
        label="Документ",
        required=False,
        help_text="PDF, DOC или DOCX, не больше 10 МБ.",
        widget=forms.FileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file:
            order_document_check(file)
        return file or None


class JointPlanForm(forms.Form):
    title = forms.CharField(label="Название плана", max_length=300, error_messages=_required("Название плана"))
    items = forms.CharField(
        label="Пункты плана", max_length=20000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Пункт на строке: мероприятие; срок ДД.ММ.ГГГГ; ответственный.", error_messages=_required("Пункты плана"),
    )  # fmt: skip

    def clean_items(self) -> list[tuple[str, datetime.date, str]]:
        items, errors = [], []
        for number, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) < 2 or not parts[0]:
                errors.append(f"Строка {number}: нужно «мероприятие; срок ДД.ММ.ГГГГ; ответственный».")
                continue
            try:
                due_on = datetime.datetime.strptime(parts[1], "%d.%m.%Y").date()
            except ValueError:
                errors.append(f"Строка {number}: срок «{parts[1][:20]}» — не дата вида ДД.ММ.ГГГГ.")
                continue
            items.append((parts[0][:300], due_on, parts[2][:200] if len(parts) > 2 else ""))
        if errors:
            raise ValidationError(errors)
        if not items:
            raise ValidationError("Добавьте хотя бы один пункт плана.")
        if len(items) > 200:
            raise ValidationError("В плане не больше 200 пунктов.")
        return items


# --- mentors ------------------------------------------------------------------------------------------------------------


class MentorForm(forms.Form):
    last_name = forms.CharField(label="Фамилия", max_length=100, error_messages=_required("Фамилия"))
    first_name = forms.CharField(label="Имя", max_length=100, error_messages=_required("Имя"))
    middle_name = forms.CharField(label="Отчество", max_length=100, required=False)
    organization = forms.ModelChoiceField(
        label="Организация", queryset=Organization.objects.none(), required=False, empty_label="—",
        error_messages={"invalid_choice": "Выберите организацию из списка."},
    )  # fmt: skip
    sector = forms.ChoiceField(label="Направление (отрасль)", choices=SECTORS, error_messages=_required("Направление"))
    competencies = forms.CharField(label="В чём помогает", max_length=300, required=False)
    about = forms.CharField(label="О наставнике", max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VettingForm(forms.Form):
    vetting = forms.ChoiceField(
        label="Итог проверки", choices=Mentor.Vetting.choices, widget=forms.RadioSelect, error_messages=_required("Итог проверки")
    )
    record_checked_on = BoundedDateField(label="Дата справки", required=False)
    record_check_expires_on = BoundedDateField(label="Справка действительна до", required=False)


class AssignForm(forms.Form):
    student = forms.TypedChoiceField(
        label="Обучающийся",
        coerce=int,
        choices=(),
        error_messages={"required": "Выберите обучающегося.", "invalid_choice": "Выберите обучающегося из списка."},
    )
    goal = forms.CharField(label="Цель наставничества", max_length=300, error_messages=_required("Цель"))
    started_on = BoundedDateField(label="С", required=False)

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [
            ("", "—"),
            *((s.pk, f"{s.person.full_name}, {s.current_class or 'без класса'}") for s in students),
        ]


class MeetingForm(forms.Form):
    held_on = BoundedDateField(label="Дата встречи", error_messages={"required": "Укажите дату встречи."})
    minutes = forms.IntegerField(
        label="Минут", min_value=5, max_value=600,
        error_messages={**_required("Минут"), "min_value": "Не меньше 5 минут.", "max_value": "Не больше 600 минут."},
    )  # fmt: skip
    topic = forms.CharField(label="Тема", max_length=300, error_messages=_required("Тема"))
    notes = forms.CharField(label="Итоги", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PeriodForm(forms.Form):
    date_from = BoundedDateField(label="С", required=False)
    date_to = BoundedDateField(label="По", required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "«По» не может быть раньше «С».")
        return data


def form_errors(form: forms.Form) -> list[str]:
    """Every error of a form as a line naming its field."""
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            lines.append(f"{label}: {error}" if label and label not in error else error)
    return lines


def service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where it names one the form has."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
