from django.conf import settings
from django.db import models


class PersonalDataRead(models.Model):
    """Who read whose personal data, when and through what (152-ФЗ: a log of reads of minors' data).

    The row is evidence and outlives both sides: when the person it is about is erased, its link to them is cut
    (the row stays, with no name); a reader's erasure is not blocked by it, and the reader's login stays in
    `username`."""

    class Channel(models.TextChoices):
        PAGE = "page", "страница"
        API = "api", "API"
        EXPORT = "export", "выгрузка"
        ADMIN = "admin", "администрирование"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField("имя входа читавшего", max_length=150, blank=True)
    person = models.ForeignKey(
        "people.Person", verbose_name="чьи данные", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A bulk read (a class list, an export) is one row naming what was read and how many people it covered;
    # where it is cheap, the ids of the people shown (a list's page, an export's rows).
    subject = models.CharField("что прочитано", max_length=200)
    people_count = models.PositiveIntegerField("сколько человек", default=1)
    person_ids = models.JSONField("чьи данные (номера людей)", default=list, blank=True)
    channel = models.CharField("канал", max_length=10, choices=Channel.choices)
    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "чтение персональных данных"
        verbose_name_plural = "журнал чтения персональных данных"
        ordering = ["-at"]
        indexes = [models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.username or self.user_id}: {self.subject}"


class AccessChange(models.Model):
    """A change of someone's rights or sign-in made in the administration: a role granted, changed or revoked,
    a password set, an account's flags changed. Written in the same transaction as the change; read-only
    everywhere (the admin shows it and offers no add, change or delete, even to a superuser)."""

    class Action(models.TextChoices):
        ROLE_GRANTED = "role_granted", "роль выдана"
        ROLE_CHANGED = "role_changed", "роль изменена"
        ROLE_REVOKED = "role_revoked", "роль отозвана"
        PASSWORD_CHANGED = "password_changed", "пароль изменён"
        ACCOUNT_CREATED = "account_created", "учётная запись создана"
        ACCOUNT_CHANGED = "account_changed", "учётная запись изменена"
        ACCOUNT_DELETED = "account_deleted", "учётная запись удалена"
        ACCOUNT_LINKED = "account_linked", "учётная запись привязана к человеку"
        TOKEN_REVOKED = "token_revoked", "API-токен отозван"

    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_username = models.CharField("имя входа того, кто изменил", max_length=150, blank=True)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="чья учётная запись", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_username = models.CharField("имя входа изменённой учётной записи", max_length=150, blank=True)
    target_person = models.ForeignKey(
        "people.Person", verbose_name="чьи права", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField("что сделано", max_length=20, choices=Action.choices)
    description = models.CharField("подробно", max_length=500, blank=True)
    # {field: [before, after]} in words (a role's and an organisation's names, «да»/«нет»); a password is
    # never written, only that it changed.
    changes = models.JSONField("изменения", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)

    class Meta:
        verbose_name = "изменение прав или пароля"
        verbose_name_plural = "журнал изменений прав и паролей"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_user", "at"]), models.Index(fields=["target_person", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor_username}: {self.get_action_display()}"
