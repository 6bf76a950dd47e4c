import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    must_change_password = models.BooleanField(
        "сменить пароль при входе", default=False,
        help_text="Для созданных администратором учётных записей: при первом входе человек задаёт свой пароль.",
    )  # fmt: skip
    is_demo = models.BooleanField("демо-вход", default=False, help_text="Работает только в демо-режиме; в рабочем режиме вход запрещён.")
    locked_until = models.DateTimeField("заблокирована до", null=True, blank=True)

    class Meta:
        verbose_name = "учётная запись"
        verbose_name_plural = "учётные записи"
        constraints = [models.UniqueConstraint(models.functions.Lower("email"), condition=~models.Q(email=""), name="unique_user_email_ci")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class LoginFailure(models.Model):
    """A failed login, kept for the lockout window and for the security log."""

    username = models.CharField("введённое имя", max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)
    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "неудачный вход"
        verbose_name_plural = "неудачные входы"
        ordering = ["-at"]


class ApiToken(models.Model):
    """A personal token for the API. Only its hash is stored; the token itself is shown once."""

    user = models.ForeignKey(User, verbose_name="владелец", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("назначение", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("начало токена", max_length=8, editable=False)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    last_used_at = models.DateTimeField("последнее использование", null=True, blank=True)

    class Meta:
        verbose_name = "API-токен"
        verbose_name_plural = "API-токены"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "pn_" + secrets.token_urlsafe(32)
