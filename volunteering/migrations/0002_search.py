"""The GIN index behind the public search of opportunities (search_selectors.py).

An expression index on the full-text vector the search builds (search_selectors.
SEARCH_VECTOR, written out again here so that this migration never changes with it),
over published opportunities only: the only ones the public searches. PostgreSQL uses
it only while the two expressions are the same; tests/volunteering/
test_search_ranking.py asks the planner, so a change to the search's vector needs a new
index in a new migration. PostgreSQL's own: skipped on SQLite (the quick demo searches
without it) and kept out of the model state (organisations.migration_operations).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations
from django.db.models import Q

from organisations.migration_operations import AddIndexOnPostgreSQL

CONFIG = "english"
VECTOR = (
    django.contrib.postgres.search.SearchVector("title", weight="A", config=CONFIG)
    + django.contrib.postgres.search.SearchVector("description", weight="B", config=CONFIG)
    + django.contrib.postgres.search.SearchVector(
        "skills_wanted", "skills_gained", weight="C", config=CONFIG
    )
)


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_opportunities_and_brokers")]

    operations = [
        AddIndexOnPostgreSQL(
            model_name="opportunity",
            index=django.contrib.postgres.indexes.GinIndex(
                VECTOR, name="opportunity_search", condition=Q(status="published")
            ),
        ),
    ]
