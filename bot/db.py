"""The request's store on `g`: one connection per thread, reused across requests."""
import threading

from flask import current_app, g

from .store import Store, connect

# Opening SQLite and applying its pragmas costs more than a whole webhook insert, so each thread keeps
# its connection; teardown only makes sure no transaction is left open.
_local = threading.local()


def get_db() -> Store:
    """Return this thread's store for the app's database, opening it on first use."""
    if "db" not in g:
        path = current_app.config["DATABASE"]
        stores = _local.__dict__.setdefault("stores", {})
        if path not in stores:
            stores[path] = Store(connect(path))
        g.db = stores[path]
    return g.db


def close_db(exception=None) -> None:
    """Roll back whatever the request left uncommitted."""
    db = g.pop("db", None)
    if db is not None and db.db.conn.in_transaction:
        db.db.conn.rollback()


def init_app(app) -> None:
    """Register the teardown with the app."""
    app.teardown_appcontext(close_db)
