"""The roadmap of order No. 866 of 4 September 2023 as it is printed (roadmap/data/prikaz-866-2023.txt): 46 items in 5
sections with their executors and due periods."""

from django.db import migrations


def load(apps, schema_editor):
    from roadmap.source import source_plan_load

    source_plan_load(
        plan_model=apps.get_model("roadmap", "Plan"),
        section_model=apps.get_model("roadmap", "Section"),
        item_model=apps.get_model("roadmap", "Item"),
        executor_model=apps.get_model("roadmap", "Executor"),
        period_model=apps.get_model("roadmap", "Period"),
    )


def unload(apps, schema_editor):
    Plan = apps.get_model("roadmap", "Plan")
    for plan in Plan.objects.filter(is_source=True):
        apps.get_model("roadmap", "Period").objects.filter(item__plan=plan).delete()
        apps.get_model("roadmap", "Item").objects.filter(plan=plan).delete()
        plan.delete()


class Migration(migrations.Migration):
    dependencies = [("roadmap", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
