"""Jobs run at the same moment, each in its own thread and database connection.

The concurrency tests (allowances, delivery, grants, reports) all race the same
way: a barrier releases every job at once, so they meet inside the code under
test, and each thread closes its connection when done (Django's connections are
per thread). A job's result is ("ok", its value), ("refused", what the service
said) for the exceptions the caller names as refusals, or ("error", the
exception) for anything else: a deadlock or an integrity error is a finding.
"""

import threading
from collections.abc import Callable

from django.db import connections


def run_together(
    jobs,
    *,
    refusals: type[Exception] | tuple[type[Exception], ...] = (),
    said: Callable[[Exception], object] = lambda exc: exc,
    timeout: float = 30,
):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def work(index, job):
        try:
            barrier.wait(timeout=timeout)
            results[index] = ("ok", job())
        except refusals as exc:
            results[index] = ("refused", said(exc))
        except Exception as exc:  # noqa: BLE001 - a deadlock or integrity error is a finding
            results[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert all(not t.is_alive() for t in threads), "a thread hung: a lock was never released"
    return results
