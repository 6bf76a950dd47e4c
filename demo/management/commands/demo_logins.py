from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from demo.region import DEMO_LOGINS, DEMO_PASSWORD
from people.models import Role, StaffMembership


class Command(BaseCommand):
    help = "Печатает адрес и таблицу демо-входов: логин, роль, что видно, пароль."

    def add_arguments(self, parser):
        parser.add_argument(
            "--address", action="append", default=[],
            help="адрес запущенного сервера, например http://127.0.0.1:8000/; второй и следующие — адреса в сети",
        )  # fmt: skip

    def handle(self, *args, address: list[str], **options):
        if address:
            first, *network = address
            in_network = f" (с других компьютеров сети: {', '.join(network)})" if network else ""
            self.stdout.write(f"Профнавигатор: {first}{in_network}")
        usernames = [login.username for login in DEMO_LOGINS]
        if not get_user_model().objects.filter(username__in=usernames, is_demo=True).exists():
            self.stdout.write("Демо-входов нет: постройте демо-регион командой «manage.py seed_demo».")
            return
        header = ("логин", "роль", "что видит")
        rows = [(login.username, login.role_label, login.sees) for login in DEMO_LOGINS]
        widths = [max(len(row[column]) for row in [header, *rows]) for column in range(2)]
        demo_school = (
            StaffMembership.objects.filter(person__user__username="koordinator", role=Role.SCHOOL_COORDINATOR)
            .values_list("organization__short_name", flat=True)
            .first()
        )
        self.stdout.write(f"Демо-входы (пароль у всех: {DEMO_PASSWORD}); школа демо-входов: {demo_school}")
        for username, role, sees in [header, *rows]:
            self.stdout.write(f"  {username.ljust(widths[0])}  {role.ljust(widths[1])}  {sees}")
