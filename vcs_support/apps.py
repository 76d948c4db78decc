from django.apps import AppConfig


class VcsSupportConfig(AppConfig):
    name = "vcs_support"
    verbose_name = "VCS Support Marketplace"
