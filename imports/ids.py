"""Primary keys taken before the rows are inserted, so that an import's persons, accounts, students and links can
refer to each other and go to the database as plain rows (core.bulk) rather than model instances one by one.

Unlike the demo builder's keys (core.bulk.PrimaryKeys, for a database nobody else writes to), these are safe while
other people write: on PostgreSQL they come from the table's own sequence (`nextval`, which never hands a number
out twice); on SQLite the import's transaction holds the database's write lock from its first statement
(`transaction_mode = IMMEDIATE`), so nobody else inserts until it ends, and numbers continue past both the largest
id and the table's AUTOINCREMENT counter, so that an id once used by a deleted row (an erased person, whom the
read log still names by number) is never given to someone else."""

from django.db import connection


def take_ids(model, count: int) -> list[int]:
    """`count` new primary keys for `model`; call inside the transaction that inserts the rows."""
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(column)}) FROM {quoted}")
        top = cursor.fetchone()[0] or 0
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            if row and row[0]:
                top = max(top, row[0])
        return list(range(top + 1, top + 1 + count))
