"""`manage.py instrument_check FILE [FILE …]` (no file: every shipped one): checks instrument files against the
format (diagnostics.format) and prints each problem with its place; exits with an error when any file is invalid."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diagnostics.format import InstrumentFileError, compile_definition, instrument_parse
from diagnostics.shipped import shipped_files


class Command(BaseCommand):
    help = "Проверить файлы методик диагностики: каждая ошибка — с указанием места."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="файлы методик (по умолчанию — поставляемые с платформой)")

    def handle(self, *args, **options):
        paths = [Path(name) for name in options["files"]] or shipped_files()
        failed = 0
        for path in paths:
            try:
                raw = path.read_bytes()
            except OSError as error:
                failed += 1
                self.stderr.write(f"{path}: файл не читается ({error.strerror or error})")
                continue
            try:
                data = instrument_parse(raw)
            except InstrumentFileError as error:
                failed += 1
                self.stderr.write(f"{path}: ошибок — {len(error.problems)}")
                for problem in error.problems:
                    self.stderr.write(f"  {path}: {problem}")
                continue
            instrument = compile_definition(data)
            self.stdout.write(
                f"{path}: верно — «{instrument.title}», версия {instrument.version}, вопросов {len(instrument.items)}, "
                f"шкал {len(instrument.scales)}"
            )
        if failed:
            raise CommandError(f"Файлов с ошибками: {failed} из {len(paths)}.")
