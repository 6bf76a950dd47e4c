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
