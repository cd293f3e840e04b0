"""Mamoru (守る): a LINE chatbot with which a city or police helps residents against crime and scams."""
from __future__ import annotations

import logging
import secrets
from pathlib import Path

from flask import Flask
from linebot.v3 import WebhookParser

from . import db, privacy
from .config import deployment_facts, from_environment
from .group_commit import GroupCommit
from .store import prepare

INTENTS_DIR = Path(__file__).resolve().parent.parent / "intents"
DEMO_SECRET = "demo-channel-secret"
DEMO_TOKEN = "demo-access-token"

log = logging.getLogger("mamoru")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app from the environment (or `test_config`); start the worker unless told not to."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        log.warning("MAMORU_SECRET_KEY is not set: using a random key, sessions end at restart")
    privacy.set_key(app.config["SECRET_KEY"])
    prepare(app.config["DATABASE"])
    db.init_app(app)

    if app.config["DEMO"]:
        _start_demo(app)
    app.extensions["mamoru.parser"] = WebhookParser(app.config["LINE_CHANNEL_SECRET"])
    app.extensions["mamoru.worker"] = _build_worker(app)
    app.extensions["mamoru.inbox"] = GroupCommit(app.config["DATABASE"])

    from . import cli, console, health, webhook
    from .console import auth as console_auth
    from .console import i18n as console_i18n
    from .consultations import Consultations

    worker = app.extensions["mamoru.worker"]
    app.extensions["mamoru.consultations"] = Consultations(app.extensions["mamoru.dialogue"], worker.wake_outbox)
    console_auth.configure_sessions(app)
    console_i18n.init_app(app)
    app.register_blueprint(webhook.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(console.bp)
    if "mamoru.fake" in app.extensions:
        from . import simulator
        app.register_blueprint(simulator.bp)
    cli.init_app(app)

    # Commands (`mamoru sos load-sample` before `mamoru run`, say) build an app too: only the server
    # announces the demo, so a newcomer sees one banner, with the port of the fake the simulator shows.
    if app.config["DEMO"] and not app.config.get("COMMAND"):
        log.info("DEMO MODE: no LINE credentials set; the Messaging API is a fake at %s and the LINE "
                 "simulator is at /simulator", app.config["LINE_API_HOST"])
        _demo_consultant(app)
    if app.config["WORKER"] == "thread":
        worker.start()
    return app


def _demo_consultant(app: Flask) -> None:
    """Give the demo an admin account with a fresh password, printed at start."""
    from .console.auth import create_consultant, hash_password
    from .store import Store, connect

    password = secrets.token_urlsafe(9)
    store = Store(connect(app.config["DATABASE"]))
    try:
        demo = store.consultant(username="demo")
        if demo:
            store.update_consultant(demo["id"], password_hash=hash_password(password), active=1)
        else:
            create_consultant(store, "demo", "Demo consultant", password, "admin")
    finally:
        store.close()
    host = f"http://127.0.0.1:{app.config['PORT']}"
    log.info("DEMO console: %s/console/  user: demo  password: %s", host, password)
    app.extensions["mamoru.demo_login"] = ("demo", password)


def _start_demo(app: Flask) -> None:
    """Wire the app to an in-process fake Messaging API on 127.0.0.1: nothing reaches LINE."""
    from .line_fake import FakeLineApi

    fake = FakeLineApi().start()
    app.extensions["mamoru.fake"] = fake
    app.config.update(LINE_CHANNEL_SECRET=DEMO_SECRET, LINE_CHANNEL_ACCESS_TOKEN=DEMO_TOKEN,
                      LINE_API_HOST=fake.url)


def _build_worker(app: Flask):
    from .dialogue import Dialogue
    from .hours import Hours
    from .i18n import Catalogs, staff_catalogs
    from .line_api import LineApi
    from .notify import Notifier
    from .scamcheck import load_checker
    from .understanding import load_engine
    from .worker import Worker

    config = app.config
    engine = load_engine(config.get("INTENTS_DIR", INTENTS_DIR), config["CACHE_DIR"])
    app.extensions["mamoru.engine"] = engine
    hours = Hours.parse(config["CONSULT_HOURS"], config["HOLIDAYS"])
    checker = load_checker()
    app.extensions["mamoru.scamcheck"] = checker
    dialogue = Dialogue(engine, Catalogs(), deployment_facts(config), hours, checker, config["SOS_RADIUS_M"])
    app.extensions["mamoru.dialogue"] = dialogue
    notifier = Notifier(staff_catalogs()(config["STAFF_LANGUAGE"]), config["NOTIFY_LINE_TO"],
                        config["NOTIFY_WEBHOOK_URL"], config["NOTIFY_INCLUDE_TEXT"].lower() in ("1", "true", "yes"),
                        config["PUBLIC_URL"])
    return Worker(
        config["DATABASE"], dialogue,
        api_factory=lambda: LineApi(config["LINE_API_HOST"], config["LINE_CHANNEL_ACCESS_TOKEN"]),
        notifier=notifier, lease=config["CLAIM_LEASE_SECONDS"], backoff_scale=config.get("BACKOFF_SCALE", 1.0),
    )
