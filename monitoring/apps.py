from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """The monitoring the roadmap orders: additional-education coverage every month (item 4.8) and the
    профминимум's self-analysis twice a year (item 5.5), prefilled from the platform's data, with deadlines,
    reminders and the ministry's acceptance."""

    name = "monitoring"
    verbose_name = "Мониторинг"

    def ready(self) -> None:
        from monitoring.rollups import on_placement_changed, on_school_municipality_changed
        from orgs.signals import school_municipality_changed
        from people.signals import placement_changed

        placement_changed.connect(on_placement_changed, dispatch_uid="monitoring.placement_changed")
        school_municipality_changed.connect(on_school_municipality_changed, dispatch_uid="monitoring.school_municipality_changed")
