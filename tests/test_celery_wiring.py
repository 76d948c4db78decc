"""Celery is wired to Redis with short timeouts, and beat's schedule lives in the database."""

from django.conf import settings
from django_celery_beat.models import PeriodicTask

from vcs_support.celery import app


def test_the_worker_finds_the_tasks():
    app.loader.import_default_modules()  # what a worker does at start-up
    assert "notifications.tasks.send_notification" in app.tasks
    assert "notifications.tasks.send_pending_notifications" in app.tasks
    assert "allowances.tasks.check_budget_thresholds" in app.tasks
    assert "allowances.tasks.send_budget_report" in app.tasks
    assert "diagnostics.tasks.send_daily_reminders" in app.tasks
    assert "delivery.tasks.check_delivery_deadlines" in app.tasks
    assert "providers.tasks.check_insurance_expiry" in app.tasks
    assert "volunteering.tasks.run_volunteer_jobs" in app.tasks
    assert "volunteering.tasks.check_closing_dates" in app.tasks


def test_the_broker_is_redis_with_short_timeouts_and_no_publish_retry():
    assert settings.CELERY_BROKER_URL.startswith("redis://127.0.0.1:6379")
    options = app.conf.broker_transport_options
    assert options["socket_timeout"] <= 2
    assert options["socket_connect_timeout"] <= 2
    assert app.conf.task_publish_retry is False


def test_the_outbox_sweep_is_scheduled_in_the_database(db):
    sweep = PeriodicTask.objects.get(task="notifications.tasks.send_pending_notifications")
    assert sweep.enabled
    assert sweep.interval.every == 1 and sweep.interval.period == "minutes"


def test_migrate_alone_creates_the_cache_table_signing_in_needs(db):
    from django.db import connection

    assert "cache_table" in connection.introspection.table_names()


def test_the_volunteer_jobs_run_daily_in_the_morning(db):
    job = PeriodicTask.objects.get(task="volunteering.tasks.run_volunteer_jobs")
    assert job.enabled
    assert (job.crontab.hour, job.crontab.minute) == ("6", "20")
