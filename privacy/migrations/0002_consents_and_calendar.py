"""The kinds of consent with the first wording of their texts, and the production calendar of 2025–2027."""

from django.db import migrations


def load(apps, schema_editor):
    from privacy.shipped import consent_kinds_load
    from privacy.workdays import calendar_data, calendar_load

    consent_kinds_load(kind_model=apps.get_model("privacy", "ConsentKind"), text_model=apps.get_model("privacy", "ConsentText"))
    calendar_load(calendar_data(), year_model=apps.get_model("privacy", "CalendarYear"), day_model=apps.get_model("privacy", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
