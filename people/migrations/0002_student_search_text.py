"""Student search reads the student rows alone: each keeps a copy of its person's search text, indexed in
name order (a page of a common name is read in order), and on PostgreSQL by a trigram GIN index that serves
`search_text LIKE '%иван%'` for rare names (pg_trgm). On SQLite the trigram step does nothing."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

INDEX = "people_student_search_trgm"


def copy_search_text(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Student = apps.get_model("people", "Student")
    names = Person.objects.filter(pk=OuterRef("person_id")).values("search_text")[:1]
    Student.objects.using(schema_editor.connection.alias).update(search_text=Subquery(names))


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_student USING gin (search_text gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    # The indexes come before the copy: an index built over rows just updated in the same transaction is
    # hidden from the planner until every older transaction has ended (pg_index.indcheckxmin).
    operations = [
        migrations.AddField(
            model_name="student",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="текст для поиска"),
        ),
        migrations.AddIndex(
            model_name="student",
            index=models.Index(fields=["search_text", "id"], name="people_student_search_order"),
        ),
        # Does nothing on a database other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
        migrations.RunPython(copy_search_text, migrations.RunPython.noop),
    ]
