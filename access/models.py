from django.conf import settings
from django.db import models


class PersonalDataRead(models.Model):
    """Who read whose personal data, when and through what (152-ФЗ: a log of reads of minors' data)."""

    class Channel(models.TextChoices):
        PAGE = "page", "страница"
        API = "api", "API"
        EXPORT = "export", "выгрузка"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="кто", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", verbose_name="чьи данные", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A bulk read (a class list, an export) is one row naming what was read and how many people it covered.
    subject = models.CharField("что прочитано", max_length=200)
    people_count = models.PositiveIntegerField("сколько человек", default=1)
    channel = models.CharField("канал", max_length=10, choices=Channel.choices)
    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "чтение персональных данных"
        verbose_name_plural = "журнал чтения персональных данных"
        ordering = ["-at"]
        indexes = [models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.user}: {self.subject}"
