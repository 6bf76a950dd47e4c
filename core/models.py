from django.db import models

from core.search import normalize_search_text


class SearchableModel(models.Model):
    """A row with a normalised search copy of its text (see core.search). Subclasses name the source fields."""

    search_text = models.TextField("текст для поиска", blank=True, default="", editable=False)

    search_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        return normalize_search_text(*(getattr(self, name) for name in self.search_fields))


class PeriodicRun(models.Model):
    """When a periodic job (core.periodic) was last enqueued."""

    key = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key
