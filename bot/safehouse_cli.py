"""`mamoru sos`: import, export and sample data of the children's safe houses (こどもSOSの家)."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from .db import get_db
from .safehouses import export_csv, import_csv, load_sample

sos = AppGroup("sos", help="Children's safe houses (こどもSOSの家): import, export, sample data.")


@sos.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Check the file and report, without writing anything.")
def import_command(file, dry_run):
    """Import a CSV file (UTF-8 or Shift_JIS, Japanese or English headers): all rows, or none."""
    report = import_csv(get_db(), file.read(), dry_run=dry_run)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    click.echo(report.summary(), err=not report.ok)
    if not report.ok:
        sys.exit(1)


@sos.command("export")
@click.argument("file", type=click.File("wb"), default="-")
@click.option("--headers", type=click.Choice(["ja", "en"]), default="ja", show_default=True,
              help="Japanese or English headers and kind names.")
@click.option("--encoding", type=click.Choice(["utf-8", "shift_jis"]), default="utf-8", show_default=True)
def export_command(file, headers, encoding):
    """Write every house as CSV (to FILE, or standard output) in the format that import reads."""
    file.write(export_csv(get_db(), headers=headers, encoding=encoding))


@sos.command("load-sample")
def load_sample_command():
    """Load the fictional demo houses around Tomakomai (demo mode only; again: nothing changes)."""
    # Fictional houses in a live channel would send children to places that do not exist.
    if not current_app.config["DEMO"]:
        click.echo("not in demo mode (LINE credentials are set): sample houses not loaded")
        return
    report = load_sample(get_db())
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)
