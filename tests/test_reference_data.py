"""Every data migration can be replayed after a transactional test empties the tables."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader

from diagnostics.models import CriteriaVersion, Questionnaire
from organisations.models import PriorityTheme
from packages.models import Package

from .reference_data import DATA_MIGRATIONS, SCHEMA_ONLY


def test_every_runpython_migration_of_ours_is_accounted_for(db):
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {
        config.label
        for config in apps.get_app_configs()
        if config.path.startswith(str(settings.BASE_DIR)) and "site-packages" not in config.path
    }
    with_python = {
        f"{app}.migrations.{name}"
        for (app, name), migration in loader.disk_migrations.items()
        if app in ours and any(isinstance(op, RunPython) for op in migration.operations)
    }
    listed = {module for module, _ in DATA_MIGRATIONS} | set(SCHEMA_ONLY)
    assert with_python == listed


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_start_with_the_reference_data():
    # The autouse fixture in conftest.py put these back, whatever ran before.
    assert PriorityTheme.objects.count() == 6
    assert Package.objects.count() == 9
    assert CriteriaVersion.objects.exists()
    assert Questionnaire.objects.exists()
