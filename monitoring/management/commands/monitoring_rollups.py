from django.core.management.base import BaseCommand

from monitoring.rollups import rollups_maintain, rollups_refresh


class Command(BaseCommand):
    help = "Пересчитывает охват дополнительным образованием по месяцам и итоги форм мониторинга текущего учебного года."

    def add_arguments(self, parser):
        parser.add_argument("--pending", action="store_true", help="Только то, что отмечено к пересчёту (как периодическая работа).")

    def handle(self, *args, pending: bool, **options):
        done = rollups_maintain() if pending else rollups_refresh()
        self.stdout.write(f"Пересчитано: {done}")
