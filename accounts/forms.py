import unicodedata

from django import forms
from django.contrib.auth import authenticate
from django.views.decorators.debug import sensitive_variables

from accounts import throttle
from accounts.backends import find_user_by_login
from accounts.services import login_failure_record, login_success_record
from core.client_ip import client_ip

# A password longer than this is no password anyone typed; the bound keeps the hashing work bounded too.
PASSWORD_MAX_LENGTH = 4096


def _refuse_control_characters(value: str, message: str) -> None:
    if any(unicodedata.category(character) == "Cc" for character in value):
        raise forms.ValidationError(message, code="control_characters")


class LoginForm(forms.Form):
    """Sign-in by login or e-mail. Bad input is a message under its field, never an error of the server; how
    often one may try is decided by accounts.throttle, with one answer for real and made-up logins."""

    username = forms.CharField(
        label="Логин или e-mail",
        max_length=254,
        error_messages={
            "required": "Введите логин или e-mail.",
            "null_characters_not_allowed": "Логин или e-mail не может содержать управляющие символы.",
            "max_length": "Логин или e-mail слишком длинный: не больше %(limit_value)d символов (сейчас %(show_value)d).",
        },
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="Пароль",
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        error_messages={
            "required": "Введите пароль.",
            "null_characters_not_allowed": "Пароль не может содержать управляющие символы.",
            "max_length": "Пароль слишком длинный: не больше %(limit_value)d символов.",
        },
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock.",
        "inactive": "Эта учётная запись отключена. Обратитесь к школьному координатору.",
        "throttled_login": "Было несколько неудачных попыток войти с этим логином, поэтому следующая возможна через {wait}. "
        "Если вы забыли пароль, восстановите его по e-mail — после смены пароля вход откроется сразу.",
        "throttled_address": "С вашего адреса (этого компьютера или сети школы) было слишком много неудачных попыток входа. "
        "Попробуйте снова через {wait}.",
        "demo_disabled": "Демо-входы работают только в демо-режиме.",
    }

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        _refuse_control_characters(username, "Логин или e-mail не может содержать управляющие символы.")
        return username

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        _refuse_control_characters(password, "Пароль не может содержать управляющие символы.")
        return password

    @sensitive_variables("password")
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data  # the field says what is wrong
        ip_address = client_ip(self.request)
        # The same steps for every login, existing or not: look it up, ask the throttle, try the password.
        user = find_user_by_login(username)
        refusal = throttle.login_refusal(login=username, user=user, ip_address=ip_address)
        if refusal is not None:
            raise forms.ValidationError(
                self.error_messages[f"throttled_{refusal.reason}"].format(wait=refusal.wait_text), code=f"throttled_{refusal.reason}"
            )
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            login_failure_record(login=username, user=user, ip_address=ip_address)
            if user is not None and user.is_demo and user.is_active and user.check_password(password):
                raise forms.ValidationError(self.error_messages["demo_disabled"], code="demo_disabled")
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        self.confirm_login_allowed(self.user_cache)
        login_success_record(user=self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user) -> None:
        if not user.is_active:
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")

    def get_user(self):
        return self.user_cache


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        error_messages={
            "required": "Введите e-mail учётной записи.",
            "null_characters_not_allowed": "E-mail не может содержать управляющие символы.",
            "invalid": "Введите e-mail в виде имя@домен, например ivanova@school15.ru.",
            "max_length": "E-mail слишком длинный: не больше %(limit_value)d символов (сейчас %(show_value)d).",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        _refuse_control_characters(email, "E-mail не может содержать управляющие символы.")
        return email
