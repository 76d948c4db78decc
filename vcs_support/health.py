"""Checks of the services the application depends on."""

import logging

from .celery import app

logger = logging.getLogger(__name__)


def broker_is_up(timeout: float = 1.0) -> bool:
    """True when the Celery broker accepts a connection within `timeout` seconds."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=timeout)
            # kombu connects lazily; touching the default channel proves the socket.
            conn.default_channel  # noqa: B018
        return True
    except Exception as exc:  # noqa: BLE001 - any failure means the broker is down
        logger.warning("Broker unreachable: %s", exc)
        return False
