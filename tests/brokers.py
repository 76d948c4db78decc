"""Broken brokers for tests: a closed port and a socket that accepts and never answers."""

import contextlib
import socket
import threading


def closed_port() -> int:
    """A local port with nothing listening on it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def silent_server(max_seconds: float = 30.0):
    """A TCP server on 127.0.0.1 that accepts connections and never replies.

    Bounded: it stops accepting when the block ends or after `max_seconds`.
    """
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    stop = threading.Event()
    held = []

    def accept_forever():
        deadline = threading.Timer(max_seconds, stop.set)
        deadline.start()
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)  # keep it open, say nothing
            except TimeoutError:
                continue
            except OSError:
                break
        deadline.cancel()

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        server.close()


@contextlib.contextmanager
def broker_at(url: str):
    """Point Celery at `url` and really publish (not eager) inside the block.

    The app's connection and producer pools for the real broker are set aside
    untouched and restored afterwards; pools made for `url` are closed.
    """
    from vcs_support.celery import app

    keys = ("broker_url", "broker_write_url", "broker_read_url", "task_always_eager")
    previous = {key: app.conf[key] for key in keys}
    saved_pools = (app._pool, app.amqp._producer_pool)
    app.conf.update(
        broker_url=url, broker_write_url=url, broker_read_url=url, task_always_eager=False
    )
    app._pool = app.amqp._producer_pool = None  # rebuilt for `url` on first use
    try:
        yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        if app.amqp._producer_pool is not None:
            app.amqp._producer_pool.force_close_all()
        app.conf.update(previous)
        app._pool, app.amqp._producer_pool = saved_pools
