from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from accounts.backends import find_user_by_login
from accounts.services import login_failure_record, login_success_record
from core.formatting import count_text


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Логин или e-mail",
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(label="Пароль", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": "Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock.",
        "inactive": "Эта учётная запись отключена. Обратитесь к школьному координатору.",
        "locked": "Вход временно заблокирован после нескольких неудачных попыток. Попробуйте снова через {minutes} "
        "или восстановите пароль по e-mail.",
        "demo_disabled": "Демо-входы работают только в демо-режиме.",
    }

    def clean(self):
        login = self.cleaned_data.get("username") or ""
        user = find_user_by_login(login) if login else None
        self._raise_if_locked(user)
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if login:
                locked_user = login_failure_record(login=login, ip_address=self._client_ip())
                self._raise_if_locked(locked_user)
                if user is not None and user.is_demo and user.check_password(self.cleaned_data.get("password") or ""):
                    raise forms.ValidationError(self.error_messages["demo_disabled"], code="demo_disabled") from error
            raise
        login_success_record(user=self.get_user())
        return cleaned

    def _raise_if_locked(self, user) -> None:
        if user is not None and user.locked_until and user.locked_until > timezone.now():
            minutes = max(1, int((user.locked_until - timezone.now()).total_seconds() // 60) + 1)
            message = self.error_messages["locked"].format(minutes=count_text(minutes, "минуту", "минуты", "минут"))
            raise forms.ValidationError(message, code="locked")

    def _client_ip(self) -> str | None:
        return self.request.META.get("REMOTE_ADDR") if self.request else None
