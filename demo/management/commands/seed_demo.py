from django.core.management.base import BaseCommand, CommandError

from catalog.demo import build_catalog_demo
from demo.region import DEMO_SCALE, build_demo_region, refresh_planner_statistics
from diagnostics.demo import build_diagnostics_demo
from events.demo import build_events_demo
from guidance.demo import build_guidance_demo
from monitoring.demo import build_monitoring_demo
from orgs.models import Municipality
from privacy.demo import build_privacy_demo
from profminimum.demo import build_profminimum_demo
from roadmap.demo import build_roadmap_demo


class Command(BaseCommand):
    help = "Строит вымышленный демо-регион РСО-Алания: школы, классы, обучающихся, педагогов и демо-входы."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="зерно генератора: одно зерно — один и тот же регион")
        parser.add_argument("--scale", type=int, default=DEMO_SCALE, help="примерное число обучающихся 6–11 классов")
        parser.add_argument("--if-empty", action="store_true", help="ничего не делать, если регион уже есть")

    def handle(self, *args, seed: int, scale: int, if_empty: bool, **options):
        if Municipality.objects.exists():
            if if_empty:
                self.stdout.write("Демо-регион уже построен, пропускаю.")
                return
            raise CommandError("В базе уже есть муниципалитеты. Демо-регион строится только в пустой базе.")
        if scale < 1:
            raise CommandError("--scale должен быть положительным числом.")
        build_demo_region(seed=seed, scale=scale, stdout=self.stdout)
        build_profminimum_demo(seed=seed, stdout=self.stdout)
        build_privacy_demo(seed=seed, stdout=self.stdout)
        build_events_demo(seed=seed, stdout=self.stdout)
        build_monitoring_demo(seed=seed, stdout=self.stdout)
        build_roadmap_demo(stdout=self.stdout)
        build_catalog_demo(seed=seed, stdout=self.stdout)
        build_diagnostics_demo(seed=seed, stdout=self.stdout)
        build_guidance_demo(seed=seed, stdout=self.stdout)
        refresh_planner_statistics()
