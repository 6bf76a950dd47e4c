from django.db import migrations


def load(apps, schema_editor):
    from catalog.shipped import catalog_shipped_load

    catalog_shipped_load(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
