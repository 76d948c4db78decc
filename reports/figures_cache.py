"""Report figures kept between requests until anything they are worked out from changes.

The breakdowns, caps in practice, reach and impact, the providers' figures and
the open-data page's freshness check group tens of thousands of rows: each
grows with the data (a breakdown for one year at 10× the city's size sorts
95,000 ledger entries to count distinct packages and organisations, which no
additive summary can answer while organisations may change their district or
themes and a provider's acceptance moves a package's money between rows).
Worked out once, they are kept in the `reports` cache (a table of its own in
PostgreSQL) beside a *data version*: a random token replaced, after commit,
by every transaction that changes a model in the apps the reports read
(`WATCHED_APPS`, and the deadlines). A request reads the token and its
figures in one query; if the figures were stored under the current token they
are the ones the rows would give now, otherwise they are worked out again.

Why exact: the token is read before the rows are, so figures that include a
change committed in between are stored under the older token (and worked out
again by the next request, which sees the newer one); figures can never be
stored under a token newer than their rows. Why after commit: replacing the
token inside the writer's transaction would make every writer queue on one row
while holding its own locks (a strand's, an organisation's), and two of them
could deadlock. The cost is a moment between a commit and its new token when a
request may still be given the figures from just before the commit, as if it
had come a moment earlier.

What could leave figures stale: a change that fires no model signal (a
`QuerySet.update()` on its own, raw SQL, a bulk load) or a process that dies
between its commit and the new token. Every service that uses `update()`
also saves a model in the same transaction; bulk loaders call `bump()`; and no
figure is kept longer than `REPORT_FIGURES_SECONDS` (10 minutes by default)
whatever happens. The drill-down to ledger entries is never cached.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

log = logging.getLogger(__name__)

CACHE = "reports"
VERSION_KEY = "data-version"
# The apps whose rows the report pages read, and the one model elsewhere (the
# managers' deadlines: the operations page and the open-data files use them).
WATCHED_APPS = frozenset(
    {
        "allowances",
        "organisations",
        "packages",
        "providers",
        "delivery",
        "diagnostics",
        "volunteering",
    }
)
WATCHED_MODELS = frozenset({"notifications.deadline"})
# Saves that change nothing any report shows (signing in stamps last_login).
IGNORED_FIELDS = frozenset({"last_login"})


def enabled() -> bool:
    return settings.REPORT_FIGURES_SECONDS > 0


def _key(name: str, params) -> str:
    text = repr((name, sorted(params.items()) if isinstance(params, dict) else params))
    return f"figures:{hashlib.sha256(text.encode()).hexdigest()}"


def figures(name: str, params, compute):
    """`compute()`'s result for `name` and `params`, kept until the data changes.

    One query when the figures are current (the token and the figures read
    together); otherwise `compute()` and two or three more to store its result.
    If the cache cannot be read or written, the figures are worked out every
    time and the page still works.
    """
    if not enabled():
        return compute()
    cache = caches[CACHE]
    key = _key(name, params)
    try:
        found = cache.get_many([VERSION_KEY, key])
    except DatabaseError:
        if transaction.get_connection().in_atomic_block:
            raise
        log.warning("Report figures could not be read from the cache; working them out.")
        return compute()
    version = found.get(VERSION_KEY)
    stored = found.get(key)
    if version is not None and stored is not None and stored[0] == version:
        return stored[1]
    value = compute()
    try:
        if version is None:
            version = uuid.uuid4().hex
            if not cache.add(VERSION_KEY, version, timeout=None):
                return value  # another request set the token first: keep nothing
        cache.set(key, (version, value), timeout=settings.REPORT_FIGURES_SECONDS)
    except DatabaseError:
        if transaction.get_connection().in_atomic_block:
            raise
        log.warning("Report figures could not be kept in the cache.")
    return value


def bump() -> None:
    """A new data version: every kept figure is worked out again when next asked for."""
    try:
        caches[CACHE].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except DatabaseError:
        if transaction.get_connection().in_atomic_block:
            raise
        # The token cannot be replaced, so nothing kept under it may be used.
        log.warning("The report figures' data version could not be replaced; clearing them.")
        try:
            caches[CACHE].clear()
        except DatabaseError:
            log.exception("The report figures could not be cleared either.")


def _bump_after_commit() -> None:
    """Once per transaction, however many rows it writes."""
    connection = transaction.get_connection()
    if any(func is bump for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(bump, robust=True)


def watched(model) -> bool:
    """A model the reports read, saved by the running code (not a migration's model).

    Historical models in data migrations are left out: they may run before
    the cache's table exists. `migrate` moves the version once at its end.
    """
    if not enabled() or model.__module__ == "__fake__":
        return False
    meta = model._meta
    return meta.app_label in WATCHED_APPS or meta.label_lower in WATCHED_MODELS


def _saved(sender, update_fields=None, raw=False, **kwargs):
    if raw or not watched(sender):
        return
    if update_fields and frozenset(update_fields) <= IGNORED_FIELDS:
        return
    _bump_after_commit()


def _deleted(sender, **kwargs):
    if watched(sender):
        _bump_after_commit()


def _m2m(sender, action, **kwargs):
    # sender is the through model (organisation_priority_themes): its app is the owner's.
    if action in ("post_add", "post_remove", "post_clear") and watched(sender):
        _bump_after_commit()


def _migrated(sender, **kwargs):
    if enabled() and sender.name == "reports":  # post_migrate is sent once per app
        bump()


def connect() -> None:
    """Called once from ReportsConfig.ready()."""
    post_migrate.connect(_migrated, dispatch_uid="reports.figures_cache.migrated")
    post_save.connect(_saved, dispatch_uid="reports.figures_cache.saved")
    post_delete.connect(_deleted, dispatch_uid="reports.figures_cache.deleted")
    m2m_changed.connect(_m2m, dispatch_uid="reports.figures_cache.m2m")
