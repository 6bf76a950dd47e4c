from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    """Explained recommendations of professions and the student's individual trajectory (seed items 4.12, 4.18)."""

    name = "guidance"
    verbose_name = "Рекомендации и траектории"

    def ready(self) -> None:
        from guidance import signals

        signals.connect()

        # The «Билет в будущее» indicators (events, below) count confirmed trajectories with a backup through this.
        from events.indicators import trajectory_counter_register
        from guidance.selectors import confirmed_backups_by_school

        trajectory_counter_register(confirmed_backups_by_school)

        # …and the students who passed the platform's online diagnostics, which the diagnostics app keeps: events and
        # diagnostics are siblings that may not import each other, so guidance, above both, connects them.
        from diagnostics.selectors import ticket_passed_by_school
        from events.indicators import ticket_diagnostics_counter_register

        ticket_diagnostics_counter_register(ticket_passed_by_school)
