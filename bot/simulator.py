"""/simulator (demo mode): a LINE-like chat that sends real signed webhooks to /callback."""
from __future__ import annotations

import base64
import binascii
import urllib.request

from flask import Blueprint, abort, current_app, jsonify, render_template, request

from .i18n import LANGUAGES
from .line_fake import WebhookEvents, sign_webhook

bp = Blueprint("simulator", __name__, url_prefix="/simulator")

TEST_USERS = (
    ("Udemo0000000000000000000000000001", "佐藤 花子", "ja"),
    ("Udemo0000000000000000000000000002", "Nguyen Van An", "vi"),
    ("Udemo0000000000000000000000000003", "Maria Santos", "tl"),
    ("Udemo0000000000000000000000000004", "Bishnu Thapa", "ne"),
    ("Udemo0000000000000000000000000005", "Ana Souza", "pt-BR"),
    ("Udemo0000000000000000000000000006", "Li Wei", "zh-CN"),
    ("Udemo0000000000000000000000000007", "Kim Minji", "ko"),
    ("Udemo0000000000000000000000000008", "John Smith", "en"),
)
# Preset places on Tomakomai's real street grid, so the demo does not need a map.
PLACES = (
    ("JR苫小牧駅", 42.6383, 141.6040),
    ("苫小牧市役所", 42.6342, 141.6056),
    ("糸井小学校", 42.6440, 141.5530),
    ("美園町", 42.6466, 141.6170),
)


def _fake():
    return current_app.extensions["mamoru.fake"]


@bp.get("/")
def page():
    """The simulator page."""
    return render_template("simulator.html", users=TEST_USERS, places=PLACES, languages=LANGUAGES)


@bp.post("/send")
def send():
    """Turn what the tester did into a LINE event, sign it and post it to /callback over HTTP."""
    action = request.get_json(force=True, silent=True) or {}
    user = action.get("user", "")
    if not any(user == u for u, _, _ in TEST_USERS):
        abort(400, "unknown test user")
    fake = _fake()
    fake.profiles[user] = {"displayName": dict((u, n) for u, n, _ in TEST_USERS)[user],
                           "language": action.get("language") or "ja"}
    events = WebhookEvents(fake)
    try:
        event = _event(action, user, events)
    except (KeyError, ValueError, binascii.Error):
        abort(400, "bad action")
    if event is None:
        abort(400, "unknown action")
    body = events.envelope(event)
    signature = sign_webhook(body, current_app.config["LINE_CHANNEL_SECRET"])
    posted = urllib.request.Request(request.host_url + "callback", data=body.encode(), method="POST",
                                    headers={"Content-Type": "application/json",
                                             "X-Line-Signature": signature})
    with urllib.request.urlopen(posted, timeout=10) as answer:
        return jsonify(status=answer.status, event=event)


@bp.get("/feed")
def feed():
    """Messages the fake API delivered to a user, and its latest recorded calls."""
    user = request.args.get("user", "")
    fake = _fake()
    calls = [{"method": r["method"], "path": r["path"], "at": r["at"],
              "retry_key": r["headers"].get("x-line-retry-key")} for r in fake.requests[-40:]]
    return jsonify(messages=fake.messages_to(user), calls=calls)


def _event(action: dict, user: str, events: WebhookEvents) -> dict | None:
    kind = action.get("kind")
    if kind == "text":
        return events.text(user, str(action.get("text", ""))[:5000])
    if kind == "postback":
        return events.postback(user, str(action.get("data", ""))[:300])
    if kind == "location":
        return events.location(user, float(action["latitude"]), float(action["longitude"]),
                               str(action.get("title", "")))
    if kind == "image":
        return events.image(user, base64.b64decode(str(action.get("data", "")), validate=True))
    if kind in ("sticker", "follow", "unfollow"):
        return getattr(events, kind)(user)
    return None
