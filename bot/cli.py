"""The `mamoru` command: Flask's commands (run, routes, shell) plus ours."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup


def _create_app():
    from . import create_app

    # Only the server runs the worker thread; other commands (classify, worker …) must not drain
    # the inbox as a side effect of loading the app.
    serving = sys.argv[1:2] == ["run"]
    return create_app(None if serving else {"WORKER": "off"})


@click.group(cls=FlaskGroup, create_app=_create_app)
def main():
    """Mamoru: crime-prevention LINE bot."""


def init_app(app) -> None:
    """Register our commands with the app."""
    app.cli.add_command(worker_command)
    app.cli.add_command(classify_command)


@click.command("worker")
def worker_command():
    """Run the inbox/outbox worker as its own process (set MAMORU_WORKER=off on the web processes)."""
    click.echo(f"worker {current_app.extensions['mamoru.worker'].id} running; Ctrl-C stops it")
    current_app.extensions["mamoru.worker"].run_forever()


@click.command("classify")
def classify_command():
    """Read JSON lines {"id", "text"} on stdin; write {"id", "intent", "lang", "score", "escalate"}."""
    from .understanding import classify_stream

    classify_stream(current_app.extensions["mamoru.engine"], sys.stdin, sys.stdout)
