from django.db import migrations

INDEX = "access_read_person_ids_gin"


def create_index(apps, schema_editor):
    """On PostgreSQL, a GIN index for «who read this child's data» (person_ids @> [id]): the read log grows with
    every page a teacher opens. SQLite has no such index and reads the log of one family at a time anyway."""
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("access", "PersonalDataRead")._meta.db_table)
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (person_ids)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("access", "0003_read_log_survives_and_access_changes")]

    operations = [migrations.RunPython(create_index, drop_index)]
