from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One message to one person: shown in the platform until read, and e-mailed when asked and possible."""

    class Email(models.TextChoices):
        NONE = "none", "не отправляется"  # not asked for, or the person has no e-mail
        PENDING = "pending", "в очереди"
        SENDING = "sending", "отправляется"
        SENT = "sent", "отправлено"
        FAILED = "failed", "ошибка отправки"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="кому", on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField("тема", max_length=200)
    text = models.TextField("текст", blank=True)
    url = models.CharField("ссылка", max_length=500, blank=True, help_text="Страница платформы, к которой относится уведомление.")
    kind = models.CharField("вид", max_length=50, blank=True, db_index=True)
    created_at = models.DateTimeField("создано", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)
    email_status = models.CharField("письмо", max_length=10, choices=Email.choices, default=Email.NONE)
    email_attempts = models.PositiveSmallIntegerField("попыток отправки", default=0)
    emailed_at = models.DateTimeField("письмо отправлено", null=True, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The menu's counter on every page: a person's unread ones.
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["user", "-created_at"], name="notification_user_recent"),
            models.Index(fields=["email_status", "created_at"], name="notification_email_status"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
