"""Plain multi-row inserts for data generators (the demo region, benchmarks). bulk_create builds a model
instance and compiles SQL per row, which dominates when half a million rows go in; these rows are
already plain tuples, so they go to the database driver as they are."""

from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from core.models import SearchableModel
from core.search import normalize_search_text


def insert_rows(model, fields: Sequence[str], rows: Iterable[Sequence], *, batch_size: int = 10_000) -> int:
    """Insert tuples of values for `fields` (attribute names, e.g. "student_id") into the model's table."""
    columns = [model._meta.get_field(name).column for name in fields]  # get_field knows a foreign key by its attname too
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    if connection.vendor == "postgresql":
        return _copy_rows(model, columns, rows)
    count, batch = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(row))
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _copy_rows(model, columns: list[str], rows: Iterable[Sequence]) -> int:
    """PostgreSQL's COPY: several times faster than multi-row INSERTs for millions of rows."""
    sql = "COPY {} ({}) FROM STDIN".format(
        connection.ops.quote_name(model._meta.db_table), ", ".join(connection.ops.quote_name(c) for c in columns)
    )
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def insert_model_rows(model, fields: Sequence[str], rows: Iterable[tuple], *, batch_size: int = 10_000) -> int:
    """insert_rows for some of a model's columns: every other column gets what bulk_create would give it (the
    field's default, "" for blank text, NULL, the time now for auto_now fields; the primary key from the
    database unless given), so a column added later with a default needs no change in the generators. A
    searchable model's search text is computed from its search fields when it is not given (they must be
    among `fields`)."""
    fields = tuple(fields)
    if issubclass(model, SearchableModel) and "search_text" not in fields:
        rows = _with_search_text(rows, [fields.index(name) for name in model.search_fields])
        fields = (*fields, "search_text")
    defaults, names = [], []
    for field in model._meta.concrete_fields:
        if field.attname in fields or field.primary_key:
            continue
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            value = timezone.now()
        else:
            value = field.get_default()  # "" for a blank text field, None where there is no default
        if value is None and not field.null:
            raise ValueError(f"{model.__name__}.{field.name}: no value given and no default")
        defaults.append(value)
        names.append(field.attname)
    extra = tuple(defaults)
    return insert_rows(model, (*fields, *names), (tuple(row) + extra for row in rows) if extra else rows, batch_size=batch_size)


def _with_search_text(rows: Iterable[tuple], positions: list[int]):
    folded: dict[tuple, str] = {}  # generated rows repeat their texts a great deal: fold each once
    for row in rows:
        source = tuple(row[i] for i in positions)
        text = folded.get(source)
        if text is None:
            text = folded[source] = normalize_search_text(*source)
        yield (*row, text)


class PrimaryKeys:
    """Primary keys handed out before the rows exist, so generated rows can refer to each other without reading
    ids back. Use inside the transaction that inserts the rows; afterwards `sync_sequences()` moves
    PostgreSQL's sequences past them (SQLite's AUTOINCREMENT follows by itself)."""

    def __init__(self):
        self._next: dict[type, int] = {}

    def take(self, model) -> int:
        if model not in self._next:
            self._next[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        pk = self._next[model]
        self._next[model] = pk + 1
        return pk

    def sync_sequences(self) -> None:
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(self._next)):
                cursor.execute(statement)
