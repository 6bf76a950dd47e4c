from django.core.management.base import BaseCommand, CommandError

from orgs.models import SchoolYear
from orgs.selectors import school_year_current
from profminimum.rollups import rollups_difference, rollups_rebuild


class Command(BaseCommand):
    help = (
        "Пересчитывает сводные таблицы профминимума учебного года из журнала часов, зачислений и истории уровней школ. "
        "С --check только сравнивает и сообщает о расхождениях, ничего не записывая."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Только проверить: вывести расхождения, ничего не менять.")
        parser.add_argument("--year", type=int, help="Идентификатор учебного года (по умолчанию — текущий).")

    def handle(self, *args, check: bool, year: int | None, **options):
        school_year = SchoolYear.objects.filter(pk=year).first() if year else school_year_current()
        if school_year is None:
            raise CommandError("Учебный год не найден.")
        if check:
            differences = rollups_difference(school_year_id=school_year.pk)
            if not differences:
                self.stdout.write(f"Сводные таблицы {school_year} совпадают с пересчётом из журнала.")
                return
            for table, rows in differences.items():
                self.stdout.write(f"{table}: расхождений {len(rows)}")
                for key, stored, expected in rows[:20]:
                    self.stdout.write(f"  {key}: записано {stored}, должно быть {expected}")
            raise CommandError("Сводные таблицы расходятся с журналом. Запустите команду без --check, чтобы исправить.")
        rollups_rebuild(school_year_id=school_year.pk)
        self.stdout.write(f"Сводные таблицы {school_year} пересчитаны.")
