from django.apps import AppConfig


class ProfminimumConfig(AppConfig):
    name = "profminimum"
    verbose_name = "Профминимум"

    def ready(self) -> None:
        from people.signals import placement_changed
        from profminimum.services import on_placement_changed

        placement_changed.connect(on_placement_changed, dispatch_uid="profminimum.placement_changed")

        from people.signals import students_placed
        from profminimum.services import on_students_placed

        students_placed.connect(on_students_placed, dispatch_uid="profminimum.students_placed")

        from orgs.signals import school_municipality_changed
        from profminimum.services import on_school_municipality_changed

        school_municipality_changed.connect(on_school_municipality_changed, dispatch_uid="profminimum.school_municipality_changed")
