"""GET /healthz: liveness and queue depths for operators and load balancers."""
from flask import Blueprint, jsonify

from .db import get_db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Report that the app answers and how much work waits in the inbox and outbox."""
    store = get_db()
    return jsonify(status="ok", inbox=store.inbox_counts(), outbox=store.outbox_counts())
