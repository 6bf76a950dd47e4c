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
    # Sign-in failures before this moment no longer slow the account down (accounts.throttle): set by a successful
    # sign-in and by a password reset, so the owner lifts a delay a stranger caused by resetting the password.
    login_failures_cleared_at = models.DateTimeField("неудачные входы сброшены", null=True, blank=True)

    class Meta:
        verbose_name = "учётная запись"
        verbose_name_plural = "учётные записи"
        constraints = [models.UniqueConstraint(models.functions.Lower("email"), condition=~models.Q(email=""), name="unique_user_email_ci")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class LoginFailure(models.Model):
    """A failed sign-in: counted by accounts.throttle (per login and per client address) and kept for the security
    log until the periodic purge (accounts.tasks)."""

    username = models.CharField("введённое имя", max_length=254)
    # The account the name led to, if any: a delay follows the account whichever of its names was typed. A name
    # that leads nowhere is counted by itself, the same way, so the answer never tells the two apart.
    user = models.ForeignKey(User, verbose_name="учётная запись", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    ip_address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)
    # What the per-address limit counts: the IPv4 address, or the /64 network of an IPv6 one (one subscriber).
    network = models.CharField("сеть", max_length=64, blank=True)
    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "неудачный вход"
        verbose_name_plural = "неудачные входы"
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["user", "at"], name="loginfailure_user_at"),
            models.Index(fields=["username", "at"], name="loginfailure_username_at"),
            models.Index(fields=["network", "at"], name="loginfailure_network_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} ({self.ip_address or 'адрес неизвестен'})"


class PasswordResetRequest(models.Model):
    """A request for a password-reset letter. The page answers alike whether the address is known; the task
    worker finds the account, keeps to the per-account limit and sends the letter (accounts.tasks)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "в очереди"
        SENT = "sent", "письмо отправлено"
        NO_ACCOUNT = "no_account", "нет такой учётной записи"
        LIMITED = "limited", "не отправлено: слишком часто"
        FAILED = "failed", "ошибка отправки"

    email = models.CharField("введённый e-mail", max_length=254)
    user = models.ForeignKey(User, verbose_name="учётная запись", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    ip_address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)
    network = models.CharField("сеть", max_length=64, blank=True)
    status = models.CharField("итог", max_length=12, choices=Status.choices, default=Status.QUEUED)
    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "запрос восстановления пароля"
        verbose_name_plural = "запросы восстановления пароля"
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["network", "at"], name="passwordreset_network_at"),
            models.Index(fields=["user", "status", "at"], name="passwordreset_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_status_display()}"


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
