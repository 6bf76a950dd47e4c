import time

from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules

from core.periodic import periodic_enqueue_due, periodic_jobs


class Command(BaseCommand):
    help = "Ставит в очередь фоновых задач периодические работы (свёртка сводных таблиц и другие), когда подходит их время."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Проверить один раз и выйти.")
        parser.add_argument("--interval", type=float, default=10.0, help="Пауза между проверками, секунд.")

    def handle(self, *args, once: bool, interval: float, **options):
        autodiscover_modules("tasks")
        if not once:
            names = ", ".join(job.key for job in periodic_jobs()) or "нет"
            self.stdout.write(f"Периодические работы: {names}. Проверка каждые {interval:g} с.")
        while True:
            for key in periodic_enqueue_due():
                self.stdout.write(f"В очереди: {key}")
            if once:
                return
            time.sleep(interval)
