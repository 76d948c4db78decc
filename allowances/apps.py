from django.apps import AppConfig


class AllowancesConfig(AppConfig):
    name = "allowances"
