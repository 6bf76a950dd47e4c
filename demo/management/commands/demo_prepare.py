import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.region import DEMO_SCALE
from orgs.models import Municipality


class Command(BaseCommand):
    help = (
        "Готовит демо к запуску (make run) в одном процессе: миграции базы, демо-регион при первом запуске "
        "(с ходом построения), затем адрес и демо-входы."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--address", action="append", default=[], help="адрес сервера (можно несколько), например http://127.0.0.1:8000/"
        )
        parser.add_argument("--scale", type=int, default=DEMO_SCALE, help="примерное число обучающихся 6–11 классов при первом запуске")

    def handle(self, *args, address: list[str], scale: int, **options):
        started = time.perf_counter()
        self.stdout.write("База данных: проверяю и применяю миграции…")
        self.stdout.flush()
        call_command("migrate", interactive=False, verbosity=0)
        if not Municipality.objects.exists():
            self.stdout.write("Первый запуск: строю демо-регион — вымышленные школы, обучающиеся и их часы профминимума.")
            self.stdout.flush()
            call_command("seed_demo", f"--scale={scale}", stdout=self.stdout)
            self.stdout.write(f"Демо готово за {time.perf_counter() - started:.0f} с.")
        call_command("demo_logins", *[f"--address={url}" for url in address], stdout=self.stdout)
