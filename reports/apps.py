from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and dashboards"

    def ready(self):
        from . import figures_cache

        figures_cache.connect()
