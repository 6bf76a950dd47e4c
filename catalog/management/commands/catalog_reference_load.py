"""`manage.py catalog_reference_load`: the republic's institutions and their programmes from the shipped reference
(catalog/data/institutions.csv, programmes.csv); what an operator changed stays."""

from django.core.management.base import BaseCommand

from catalog.shipped import catalog_reference_load


class Command(BaseCommand):
    help = "Загрузить колледжи, вузы и их программы из справочника (изменённое оператором не трогается)."

    def handle(self, *args, **options):
        created = catalog_reference_load()
        self.stdout.write(f"Создано организаций: {created['institutions']}, программ: {created['programmes']}.")
