from django.db import migrations, models

from core.search import normalize_search_text


def fill(apps, schema_editor):
    """The folded copy of every activity's title (core.search), in batches."""
    Activity = apps.get_model("profminimum", "Activity")
    batch = []
    for activity in Activity.objects.only("pk", "title").iterator(chunk_size=2000):
        activity.search_text = normalize_search_text(activity.title)
        batch.append(activity)
        if len(batch) == 2000:
            Activity.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Activity.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("profminimum", "0002_dated_rollups")]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="текст для поиска"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
