"""The `mamoru` command: Flask's commands (run, routes, shell) plus ours."""
from __future__ import annotations

import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from .privacy import pseudonym
from .safehouse_cli import sos


def _create_app():
    from . import create_app

    # Only the server runs the worker thread and resets the demo login; other commands (classify,
    # worker …) must not drain the inbox or change a running demo's password as a side effect.
    serving = sys.argv[1:2] == ["run"]
    return create_app(None if serving else {"WORKER": "off", "COMMAND": True})


@click.group(cls=FlaskGroup, create_app=_create_app)
def main():
    """Mamoru: crime-prevention LINE bot."""


def init_app(app) -> None:
    """Register our commands with the app."""
    app.cli.add_command(worker_command)
    app.cli.add_command(classify_command)
    app.cli.add_command(check_command)
    app.cli.add_command(consultant_group)
    app.cli.add_command(user_group)
    app.cli.add_command(sos)


@click.command("worker")
@with_appcontext
def worker_command():
    """Run the inbox/outbox worker as its own process (set MAMORU_WORKER=off on the web processes)."""
    click.echo(f"worker {current_app.extensions['mamoru.worker'].id} running; Ctrl-C stops it")
    current_app.extensions["mamoru.worker"].run_forever()


@click.command("classify")
@with_appcontext
def classify_command():
    """Read JSON lines {"id", "text"} on stdin; write {"id", "intent", "lang", "score", "escalate"}."""
    from .understanding import classify_stream

    classify_stream(current_app.extensions["mamoru.engine"], sys.stdin, sys.stdout)


@click.command("check")
@with_appcontext
def check_command():
    """Read JSON lines {"id", "text"} on stdin; write {"id", "risk", "pattern", "signals"}."""
    from .db import get_db
    from .scamcheck import LocalLists, check_stream

    checker = current_app.extensions["mamoru.scamcheck"].with_local(LocalLists(**get_db().local_lists()))
    check_stream(checker, sys.stdin, sys.stdout)


@click.group("consultant", cls=AppGroup)
def consultant_group():
    """Manage consultant accounts."""


@consultant_group.command("add")
@click.argument("username")
@click.option("--name", default="", help="Display name shown to colleagues.")
@click.option("--role", type=click.Choice(["consultant", "admin"]), default="consultant")
@click.password_option(help="At least 10 characters (asked for when not given).")
def consultant_add(username, name, role, password):
    """Create a consultant account (the first one should be an admin)."""
    from .console.auth import create_consultant
    from .db import get_db

    try:
        create_consultant(get_db(), username, name, password, role)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    get_db().audit(None, "add_consultant", None, f"cli:{username}", "cli")
    click.echo(f"{role} {username} created; log in at /console/login")


@click.group("user", cls=AppGroup)
def user_group():
    """A resident's data: export or erase on request."""


@user_group.command("export")
@click.argument("user_id")
def user_export(user_id):
    """Print everything stored about one LINE user as JSON."""
    from .db import get_db
    from .privacy import export_user

    data = export_user(get_db(), user_id)
    if not data["user"] and not data["conversation"]:
        raise click.ClickException("no such user")
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    get_db().audit(None, "export_user", None, pseudonym(user_id), "cli")


@user_group.command("erase")
@click.argument("user_id")
@click.confirmation_option(prompt="Erase this resident's messages and profile for good?")
def user_erase(user_id):
    """Erase a resident's messages and profile; cases stay, marked as erased."""
    from .db import get_db
    from .privacy import erase_user

    counts = erase_user(get_db(), user_id)
    get_db().audit(None, "erase_user", None, pseudonym(user_id), "cli")
    click.echo(", ".join(f"{n} {what}" for what, n in counts.items()))
