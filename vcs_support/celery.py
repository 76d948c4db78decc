"""The Celery app. Tasks load their object by id and call a service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vcs_support.settings")

app = Celery("vcs_support")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
