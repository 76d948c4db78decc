from django.apps import AppConfig


class VolunteeringConfig(AppConfig):
    name = "volunteering"
    verbose_name = "Section C volunteering"

    def ready(self):
        from . import signals  # noqa: F401  (connects the sign-in receiver)
