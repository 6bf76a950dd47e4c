from django.core.management.base import BaseCommand

from core.formatting import date_text, thousands
from privacy.retention import retention_plan, retention_run


class Command(BaseCommand):
    help = (
        "Удаляет или обезличивает записи, срок хранения которых истёк (сроки — раздел «Сроки хранения» администрирования). "
        "С --dry-run только показывает, что будет удалено, ничего не меняя."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="только показать, что будет удалено или обезличено")
        parser.add_argument("--limit", type=int, default=20, help="сколько записей каждого вида показать (0 — все)")

    def handle(self, *args, dry_run: bool, limit: int, **options):
        if dry_run:
            lines = retention_plan(limit=limit or None)
            self.stdout.write("Пробный запуск: ничего не изменено.")
            for line in lines:
                state = "" if line.active else " (удаление выключено)"
                self.stdout.write(
                    f"{line.title} — хранится {thousands(line.period_days)} дн., всё старше {date_text(line.cutoff)}: {thousands(line.count)}{state}"
                )
                for label, pk, description in line.rows:
                    self.stdout.write(f"  {label} {pk}: {description}")
                if line.count > len(line.rows):
                    self.stdout.write(f"  … и ещё {thousands(line.count - len(line.rows))}")
            return
        lines = retention_run()
        for line in lines:
            self.stdout.write(f"{line.title}: {thousands(line.count)}")
        self.stdout.write(f"Всего удалено или обезличено: {thousands(sum(line.count for line in lines))}")
