"""Fixtures: the fake LINE API, the app wired to it, a client that posts signed webhooks."""
from __future__ import annotations

import json

import pytest

from bot import create_app
from bot.line_fake import FakeLineApi, WebhookEvents, sign_webhook

SECRET = "test-channel-secret"


@pytest.fixture
def line_api():
    """The fake Messaging API on 127.0.0.1."""
    fake = FakeLineApi().start()
    yield fake
    fake.stop()


@pytest.fixture
def app(tmp_path, line_api):
    """The app on a fresh database, talking to the fake API; the worker is driven by the test."""
    app = create_app({
        "TESTING": True, "DATABASE": str(tmp_path / "mamoru.sqlite3"), "DEMO": False,
        "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": "test-token",
        "LINE_API_HOST": line_api.url, "WORKER": "off", "BACKOFF_SCALE": 0.001,
        "SECRET_KEY": "test-secret-key",
    })
    yield app


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()


@pytest.fixture
def events(line_api):
    """A builder of LINE webhook events."""
    return WebhookEvents(line_api)


@pytest.fixture
def webhook(client):
    """Post events to /callback, signed as LINE signs them; returns the response."""
    def post(*events, secret: str = SECRET, body: str | None = None):
        body = body if body is not None else json.dumps({"destination": "Ubot", "events": list(events)},
                                                        ensure_ascii=False)
        return client.post("/callback", data=body, content_type="application/json",
                           headers={"X-Line-Signature": sign_webhook(body, secret)})
    return post


@pytest.fixture
def work(app):
    """Run the worker until the inbox is drained and nothing is due in the outbox."""
    return lambda: app.extensions["mamoru.worker"].run_until_idle()
