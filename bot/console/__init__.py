"""/console: where consultants read and answer escalated conversations."""
from flask import Blueprint

bp = Blueprint("console", __name__, url_prefix="/console")

from . import admin, auth, cases, checks, safehouses  # noqa: E402,F401  (the routes register themselves on bp)
