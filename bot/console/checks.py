"""Domains and numbers residents asked about; consultants mark them as scam or genuine."""
from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for

from ..db import get_db
from . import bp
from .auth import audit, login_required

KINDS = ("domain", "number")
VERDICTS = ("scam", "genuine")


@bp.get("/checks")
@login_required
def checks():
    """Every checked domain and number, most asked about first, with its mark."""
    kind = request.args.get("kind", "")
    return render_template("console/checks.html", items=get_db().checked_items(kind if kind in KINDS else ""),
                           kind=kind)


@bp.post("/checks")
@login_required
def mark():
    """Mark one domain or number as scam or genuine (or clear the mark); the scam check uses it at once."""
    kind, value, verdict = request.form.get("kind"), request.form.get("value", "").strip(), request.form.get("verdict")
    if kind not in KINDS or not value or verdict not in (*VERDICTS, ""):
        abort(400)
    get_db().mark_checked(kind, value[:300], verdict or None, g.consultant["id"])
    audit("mark_" + (verdict or "clear"), detail=f"{kind}:{value[:300]}")
    return redirect(url_for("console.checks", kind=request.args.get("kind", "")))
