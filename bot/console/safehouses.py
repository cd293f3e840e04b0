"""Admin page for the children's safe houses (こどもSOSの家): upload a CSV, download the list."""
from __future__ import annotations

from flask import Response, render_template, request

from ..db import get_db
from ..safehouses import export_csv, import_csv
from . import bp
from .auth import admin_required, audit


@bp.get("/admin/safehouses")
@admin_required
def safehouses():
    """The upload form."""
    return render_template("console/safehouses.html", report=None)


@bp.post("/admin/safehouses")
@admin_required
def upload_safehouses():
    """Check an uploaded CSV and import all its rows, or none (naming every bad row)."""
    upload = request.files.get("file")
    dry_run = request.form.get("dry_run") == "1"
    report = import_csv(get_db(), upload.read() if upload else b"", dry_run=dry_run)
    if report.ok and not dry_run:
        audit("import_safehouses", detail=report.summary())
    return render_template("console/safehouses.html", report=report), 200 if report.ok else 400


@bp.get("/admin/safehouses.csv")
@admin_required
def download_safehouses():
    """Every house as CSV, in the format the upload reads."""
    headers = "en" if request.args.get("headers") == "en" else "ja"
    audit("export_safehouses")
    return Response(export_csv(get_db(), headers=headers), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=safehouses.csv"})
