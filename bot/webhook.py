"""POST /callback: verify, store durably, acknowledge; processing happens in the worker."""
from __future__ import annotations

import hashlib
import json
import logging
import time

from flask import Blueprint, current_app, jsonify, request
from linebot.v3 import WebhookParser

from .db import get_db

bp = Blueprint("webhook", __name__)
log = logging.getLogger(__name__)

# The same bytes answer every accepted webhook: serialising them anew costs more than checking the signature.
ACCEPTED = b'{"status":"ok"}\n'


def event_key(event: dict) -> str:
    """The event's webhookEventId, or a digest of its content when LINE (or a forger) left it out."""
    event_id = event.get("webhookEventId")
    if isinstance(event_id, str) and event_id:
        return event_id
    canonical = json.dumps(event, sort_keys=True, ensure_ascii=False).encode()
    return "sha256:" + hashlib.sha256(canonical).hexdigest()


def event_lane(event: dict) -> str:
    """Who the event comes from: the user, group or room id whose order must be kept."""
    source = event.get("source") if isinstance(event.get("source"), dict) else {}
    return source.get("groupId") or source.get("roomId") or source.get("userId") or "unknown"


def inbox_row(event) -> dict:
    """The inbox row of one raw event, whatever shape it has."""
    if not isinstance(event, dict):
        event = {"unreadable": event}
    timestamp = event.get("timestamp")
    return {
        "event_id": event_key(event),
        "lane": event_lane(event),
        "timestamp": timestamp if isinstance(timestamp, int) else 0,
        "type": str(event.get("type")),
        "mode": str(event.get("mode")),
        "body": json.dumps(event, ensure_ascii=False),
    }


@bp.post("/callback")
def callback():
    """Accept a LINE webhook: 400 unless signed with our channel secret; 200 once stored."""
    worker = current_app.extensions["mamoru.worker"]
    with worker.traffic.request():
        response = _accept()
    worker.wake()
    return response


def _accept():
    body = request.get_data(as_text=True)
    parser: WebhookParser = current_app.extensions["mamoru.parser"]
    if not parser.signature_validator.validate(body, request.headers.get("X-Line-Signature", "")):
        log.warning("webhook rejected: bad or missing signature")
        return jsonify(error="invalid signature"), 400
    try:
        events = json.loads(body)["events"]
        if not isinstance(events, list):
            raise TypeError("events is not a list")
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        get_db().reject_webhook(f"{type(error).__name__}: {error}", body)
        log.warning("signed webhook with an unreadable body recorded and refused")
        return jsonify(error="body is not a LINE webhook"), 400
    if events:
        current_app.extensions["mamoru.inbox"].ingest([inbox_row(event) for event in events], time.time())
    return current_app.response_class(ACCEPTED, mimetype="application/json")
