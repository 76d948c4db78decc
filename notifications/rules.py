"""When to try a failed email again, and when to stop: pure functions."""

from datetime import datetime, timedelta

# Waits between attempts: 1, 2, 4 ... 32 minutes, then every hour. A message is
# marked failed only after it has been retried for at least GIVE_UP_AFTER, so a
# mail server that is down for an hour loses nothing.
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=2)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt (1 → 1 minute)."""
    if attempts < 1:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** (attempts - 1), LONGEST_DELAY)


def should_give_up(*, first_attempt_at: datetime, now: datetime) -> bool:
    """True once a message has been failing for GIVE_UP_AFTER."""
    return now - first_attempt_at >= GIVE_UP_AFTER
