from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Data in from the files schools really have: schools and classes, students with their parents, staff with
    their roles; the students' list out again in the same form; first passwords printed by the class teacher;
    the school-year changeover. Sits on top of the domains, right under the API."""

    name = "imports"
    verbose_name = "Загрузка данных"
