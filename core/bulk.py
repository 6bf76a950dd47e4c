"""Plain multi-row inserts for data generators (the demo region, benchmarks). bulk_create builds a model
instance and compiles SQL per row, which dominates when half a million rows go in; these rows are
already plain tuples, so they go to the database driver as they are."""

from collections.abc import Iterable, Sequence

from django.db import connection


def insert_rows(model, fields: Sequence[str], rows: Iterable[Sequence], *, batch_size: int = 10_000) -> int:
    """Insert tuples of values for `fields` (attribute names, e.g. "student_id") into the model's table."""
    columns = [model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name).column for name in fields]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
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
