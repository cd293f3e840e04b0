"""The request's store on `g`, closed in teardown."""
from flask import current_app, g

from .store import Store, connect


def get_db() -> Store:
    """Return this request's store, opening it on first use."""
    if "db" not in g:
        g.db = Store(connect(current_app.config["DATABASE"]))
    return g.db


def close_db(exception=None) -> None:
    """Close the request's store if one was opened."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app) -> None:
    """Register the teardown with the app."""
    app.teardown_appcontext(close_db)
