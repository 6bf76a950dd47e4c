"""Forms of the personal-data pages. Every message names the field and says what is wrong, in Russian."""

import datetime

from django import forms
from django.utils import timezone

from access.policy import ROLE_LABELS, ROLE_ORDER
from orgs.models import Organization
from privacy.models import Breach, ConsentKind, ConsentRecord, ParentConfirmation
from privacy.services import BREACH_EARLIEST
from privacy.uploads import WHAT, signed_paper_check

DATE_INPUT = {"type": "date"}
DATETIME_INPUT = {"type": "datetime-local"}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class ConsentDecisionForm(forms.Form):
    """Give a consent (having read its text: a separate document, never bundled) or withdraw it."""

    decision = forms.ChoiceField(
        choices=ConsentRecord.Decision.choices, widget=forms.HiddenInput,
        error_messages={"required": "Выберите: дать согласие или отозвать его.", "invalid_choice": "Выберите: дать согласие или отозвать его."},
    )  # fmt: skip
    has_read = forms.BooleanField(label="Я прочитал(а) текст согласия и согласен(на) с ним", required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == ConsentRecord.Decision.GIVEN and not data.get("has_read"):
            self.add_error("has_read", "Отметьте, что вы прочитали текст согласия: без этого согласие не принимается.")
        return data


class PaperConsentForm(forms.Form):
    """A consent signed on paper, recorded by the school with its scan."""

    kind = forms.ModelChoiceField(
        label="Какое согласие", queryset=ConsentKind.objects.filter(is_active=True), empty_label="— выберите —",
        error_messages={"required": "Выберите, какое согласие подписано.", "invalid_choice": "Выберите согласие из списка."},
    )  # fmt: skip
    decision = forms.ChoiceField(
        label="Что подписано", choices=[(ConsentRecord.Decision.GIVEN, "согласие"), (ConsentRecord.Decision.WITHDRAWN, "отзыв согласия")],
        widget=forms.RadioSelect, initial=ConsentRecord.Decision.GIVEN,
        error_messages={"required": "Выберите: согласие или его отзыв.", "invalid_choice": "Выберите: согласие или его отзыв."},
    )  # fmt: skip
    party = forms.ChoiceField(
        label="Кто подписал", choices=ConsentRecord.Party.choices, widget=forms.RadioSelect,
        error_messages={"required": "Выберите, кто подписал.", "invalid_choice": "Выберите, кто подписал."},
    )  # fmt: skip
    parent_link = forms.TypedChoiceField(
        label="Родитель (если подписал родитель)", required=False, coerce=int, empty_value=None,
        error_messages={"invalid_choice": "Выберите родителя из списка подтверждённых школой."},
    )  # fmt: skip
    signed_on = forms.DateField(
        label="Дата подписи", widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={"required": "Укажите дату подписи.", "invalid": "Укажите дату подписи в виде ДД.ММ.ГГГГ."},
    )  # fmt: skip
    file = forms.FileField(
        label="Скан подписанного документа", help_text=f"{WHAT}.",
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        error_messages={"required": f"Приложите скан подписанного документа ({WHAT}).", "empty": f"Файл пустой: приложите скан ({WHAT})."},
    )  # fmt: skip

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_link"].choices = [("", "—")] + [
            (row.link.pk, f"{row.link.parent.full_name} ({row.link.get_kind_display()})") for row in parents if row.confirmation
        ]

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file:
            signed_paper_check(file)
        return file


class ParentConfirmForm(forms.Form):
    basis = forms.ChoiceField(
        label="По какому документу", choices=ParentConfirmation.Basis.choices,
        error_messages={"required": "Выберите документ, по которому школа подтверждает родителя.",
                        "invalid_choice": "Выберите документ из списка."},
    )  # fmt: skip


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="Причина отказа", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Заявитель увидит её. Не пишите здесь фамилий и других персональных данных.",
        error_messages={"required": "Укажите причину отказа: заявитель увидит её.", "max_length": "Причина — не длиннее 500 символов."},
    )  # fmt: skip


def _role_choices():
    return [("", "— выберите —")] + [(role, ROLE_LABELS[role].capitalize()) for role in ROLE_ORDER]


class BreachForm(forms.Form):
    detected_at = forms.DateTimeField(
        label="Когда обнаружен", input_formats=DATETIME_FORMATS, widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format="%Y-%m-%dT%H:%M"),
        help_text="От этого момента считаются 24 и 72 часа.",
        error_messages={"required": "Укажите, когда обнаружен инцидент.", "invalid": "Укажите дату и время в виде ДД.ММ.ГГГГ ЧЧ:ММ."},
    )  # fmt: skip
    description = forms.CharField(
        label="Что произошло", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Опишите, что произошло.", "max_length": "Описание — не длиннее 4000 символов."},
    )  # fmt: skip
    scope = forms.ChoiceField(
        label="Что затронуто", choices=Breach.Scope.choices, widget=forms.RadioSelect,
        error_messages={"required": "Выберите, что затронуто.", "invalid_choice": "Выберите, что затронуто."},
    )  # fmt: skip
    scope_username = forms.CharField(label="Логин учётной записи", max_length=150, required=False)
    scope_organization = forms.ModelChoiceField(
        label="Организация", queryset=Organization.objects.order_by("short_name"), required=False, empty_label="— выберите —",
        error_messages={"invalid_choice": "Выберите организацию из списка."},
    )  # fmt: skip
    scope_role = forms.ChoiceField(
        label="Роль", choices=_role_choices, required=False, error_messages={"invalid_choice": "Выберите роль из списка."}
    )
    window_start = forms.DateTimeField(
        label="Период: с", input_formats=DATETIME_FORMATS, widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Укажите начало периода.", "invalid": "Укажите дату и время в виде ДД.ММ.ГГГГ ЧЧ:ММ."},
    )  # fmt: skip
    window_end = forms.DateTimeField(
        label="по", input_formats=DATETIME_FORMATS, widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Укажите конец периода.", "invalid": "Укажите дату и время в виде ДД.ММ.ГГГГ ЧЧ:ММ."},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("detected_at", now)
            self.initial.setdefault("window_end", now)

    def _bounded(self, name: str):
        value = self.cleaned_data.get(name)
        if value is not None and not (BREACH_EARLIEST <= value <= timezone.now() + datetime.timedelta(days=1)):
            raise forms.ValidationError(f"Укажите дату с {BREACH_EARLIEST:%d.%m.%Y} по сегодняшний день.")
        return value

    def clean_detected_at(self):
        return self._bounded("detected_at")

    def clean_window_start(self):
        return self._bounded("window_start")

    def clean_window_end(self):
        return self._bounded("window_end")

    def clean(self):
        from accounts.models import User

        data = super().clean()
        scope = data.get("scope")
        if scope == Breach.Scope.ACCOUNT:
            username = (data.get("scope_username") or "").strip()
            user = User.objects.filter(username__iexact=username).first() if username else None
            if user is None:
                self.add_error("scope_username", "Нет учётной записи с таким логином.")
            data["scope_user"] = user
        elif scope == Breach.Scope.ORGANIZATION and not data.get("scope_organization"):
            self.add_error("scope_organization", "Выберите организацию.")
        elif scope == Breach.Scope.ROLE and not data.get("scope_role"):
            self.add_error("scope_role", "Выберите роль.")
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", "Конец периода раньше его начала.")
        return data


def form_error_lines(form) -> list[str]:
    """Every error of a form, naming its field."""
    lines = [str(e) for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        lines.extend(f"«{form.fields[name].label}»: {e}" for e in errors)
    return lines


def validation_lines(error, form=None) -> list[str]:
    """A service's ValidationError as lines naming the field where it has one."""
    if hasattr(error, "error_dict"):
        lines = []
        for name, errors in error.error_dict.items():
            label = form.fields[name].label if form is not None and name in form.fields else ""
            for item in errors:
                text = " ".join(item.messages)
                lines.append(f"«{label}»: {text}" if label else text)
        return lines
    return list(error.messages)
