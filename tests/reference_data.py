"""Rows that data migrations create, and a way to put them back.

A `transaction=True` test ends by emptying every table, which removes the
rows data migrations made (priority themes, the package menu, eligibility
criteria, the questionnaire, beat's schedule). Tests that run after it would
then see a database no real server ever has. `restore_reference_data()` replays
those data migrations (each is idempotent) before every transactional test.

A new data migration must be listed here or in SCHEMA_ONLY:
test_reference_data.py fails until it is.
"""

import importlib

from django.apps import apps

DATA_MIGRATIONS = [
    ("organisations.migrations.0002_priority_themes", "add_themes"),
    ("notifications.migrations.0002_sweep_schedule", "add_schedule"),
    ("packages.migrations.0002_seed_menu", "add_packages"),
    ("diagnostics.migrations.0003_seed_criteria_area_questionnaire", "seed"),
    ("diagnostics.migrations.0004_questionnaire_current_and_drafts", "mark_current"),
    ("allowances.migrations.0003_budget_alert_schedule", "add_schedule"),
    ("allowances.migrations.0004_budget_report_schedule", "add_schedule"),
    ("diagnostics.migrations.0005_daily_reminders_schedule", "add_schedule"),
    ("providers.migrations.0003_areas_and_languages", "add_reference_data"),
    # deadlines
    ("notifications.migrations.0006_seed_deadlines", "seed"),
    ("notifications.migrations.0007_deadline_job_schedules", "add_schedule"),
    ("notifications.migrations.0009_grant_deadlines", "seed"),
    ("notifications.migrations.0010_centre_report_deadline", "seed"),
    # the provider journey's reminders
    ("delivery.migrations.0002_reminder_schedules", "add_schedule"),
    ("providers.migrations.0004_insurance_reminder_schedule", "add_schedule"),
    # open data built in the background (issue 15)
    ("reports.migrations.0002_open_data_schedule", "add_schedule"),
    # the council's postcode table, moved down to organisations (issue 12)
    ("organisations.migrations.0004_postcode_area", "seed_area"),
    # the community's backing and verdict windows (issue 18)
    ("grants.migrations.0007_consultation_schedule", "add_schedule"),
    # section C's daily volunteer jobs (issue 14)
    ("volunteering.migrations.0003_volunteer_jobs_schedule", "add_schedule"),
    # volunteering: opportunities closed after their closing date, reminded before (issue 14)
    ("volunteering.migrations.0006_lapse_schedule", "add_schedule"),
    # the reminder the day before a volunteering event (issue 14)
    ("volunteering.migrations.0009_events", "add_schedule"),
]

# RunPython migrations that change the schema, which emptying tables keeps.
SCHEMA_ONLY = [
    "allowances.migrations.0002_ledger_guards",
    "vcs_support.migrations.0001_cache_table",
    "vcs_support.migrations.0002_reports_cache_table",
    # Sums the ledger's rows into its summaries: with the ledger emptied, there is nothing to sum.
    "allowances.migrations.0007_ledger_summaries",
    # Move rows once (the postcode table to organisations, whose seed above puts
    # it back) and fill in a new column on rows that existed: with the tables
    # emptied there is nothing to move or fill.
    "diagnostics.migrations.0007_postcode_table_to_organisations",
    "diagnostics.migrations.0008_diagnostic_session_held_on",
    # Guesses whether each existing organisation's address is a home (issue 17).
    "organisations.migrations.0005_address_is_home",
    # The ledger's guard learns awards (a trigger function), and existing entries get
    # their organisation (a one-off fill): neither is data a test starts from.
    "allowances.migrations.0010_grant_awards",
    "allowances.migrations.0011_ledger_entry_organisation",
    # Marks all but the newest release being prepared as failed, once.
    "reports.migrations.0005_one_release_preparing",
    # Marks the support criterion of rounds that existed, once (issue 18).
    "grants.migrations.0006_community_voices",
    # The public search's stored document: a column, its trigger and function and a GIN
    # index on PostgreSQL, filled in for rows that existed (issue 14).
    "volunteering.migrations.0007_search",
]


def restore_reference_data():
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
