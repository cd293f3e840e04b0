"""Admin pages: consultant accounts and the audit log."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from ..db import get_db
from . import bp
from .auth import ROLES, admin_required, audit, create_consultant
from .i18n import _


@bp.get("/admin/consultants")
@admin_required
def consultants():
    """The consultant accounts."""
    return render_template("console/consultants.html", consultants=get_db().consultants(), roles=ROLES)


@bp.post("/admin/consultants")
@admin_required
def add_consultant():
    """Create an account."""
    form = request.form
    try:
        consultant_id = create_consultant(get_db(), form.get("username", "").strip(), form.get("name", "").strip(),
                                          form.get("password", ""), form.get("role", "consultant"))
    except ValueError as error:
        flash(str(error))
    else:
        audit("add_consultant", detail=f"consultant:{consultant_id}")
        flash(_("Account created."))
    return redirect(url_for("console.consultants"))


@bp.post("/admin/consultants/<int:consultant_id>/active")
@admin_required
def set_active(consultant_id: int):
    """Deactivate or reactivate an account (nothing is deleted); deactivation ends its sessions."""
    store = get_db()
    consultant = store.consultant(consultant_id)
    if consultant and consultant_id != g.consultant["id"]:
        active = int(request.form.get("active") == "1")
        store.update_consultant(consultant_id, active=active, session_epoch=consultant["session_epoch"] + 1)
        audit("activate_consultant" if active else "deactivate_consultant", detail=f"consultant:{consultant_id}")
    return redirect(url_for("console.consultants"))


@bp.get("/admin/audit")
@admin_required
def audit_log():
    """Every consultant action, newest first."""
    return render_template("console/audit.html", entries=get_db().audit_log())
