from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = "Choosing providers, delivery, ratings and claims"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal handlers)
