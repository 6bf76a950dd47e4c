from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from privacy.models import CalendarDay, CalendarYear
from privacy.workdays import DATA_FILE, calendar_data, calendar_load


class Command(BaseCommand):
    help = (
        "Загружает производственный календарь (рабочие, выходные и праздничные дни с переносами) из файла JSON в формате "
        "privacy/data/working_calendar.json; названные в файле годы заменяются целиком. По сроку в рабочих днях считаются "
        "сроки ответа на запросы о персональных данных."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DATA_FILE), help="файл календаря (по умолчанию — поставляемый с платформой)")

    def handle(self, *args, path: str, **options):
        try:
            data = calendar_data(Path(path))
            years = calendar_load(data, year_model=CalendarYear, day_model=CalendarDay)
        except FileNotFoundError as error:
            raise CommandError(f"Нет файла {path}.") from error
        except (ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Файл {path} не в формате календаря: {error}") from error
        for year in years:
            working = CalendarDay.objects.filter(
                day__year=year, kind__in=[CalendarDay.Kind.WORKING, CalendarDay.Kind.WORKING_WEEKEND]
            ).count()
            note = " (предварительный)" if CalendarYear.objects.get(year=year).is_preliminary else ""
            self.stdout.write(f"{year}: рабочих дней {working}{note}")
