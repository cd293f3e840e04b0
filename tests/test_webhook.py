"""POST /callback: what is stored, what is refused, and what the resident gets back."""
import json
import sqlite3

import pytest

from bot.db import get_db
from bot.store import Store


def stored(app):
    with app.app_context():
        return get_db().inbox_counts()


def test_follow_is_greeted_in_the_profile_language_with_a_language_choice(webhook, events, work, line_api):
    line_api.profiles["U1"] = {"displayName": "An", "language": "vi"}
    assert webhook(events.follow("U1")).status_code == 200
    work()
    greeting, picker = line_api.messages_to("U1")
    assert "110" in greeting["text"] and greeting["text"] != greeting["text"].encode("ascii", "ignore").decode()
    labels = [item["action"]["label"] for item in picker["quickReply"]["items"]]
    assert "Tiếng Việt" in labels and "日本語" in labels and len(labels) == 11


def test_follow_without_profile_language_is_greeted_in_japanese(webhook, events, work, line_api):
    webhook(events.follow("U2"))
    work()
    assert "110" in line_api.messages_to("U2")[0]["text"]
    assert "還付金" not in line_api.messages_to("U2")[0]["text"]
    assert any("\u3040" <= ch <= "\u30ff" for ch in line_api.messages_to("U2")[0]["text"])


def test_text_is_answered_once_by_reply(webhook, events, work, line_api):
    webhook(events.text("U3", "市役所から医療費の還付金があるのでATMに行くよう電話がありました"))
    work()
    calls = line_api.calls("/v2/bot/message/")
    assert [c["path"] for c in calls] == ["/v2/bot/message/reply"]
    assert "ATM" in line_api.messages_to("U3")[0]["text"]


def test_duplicate_and_redelivered_events_are_answered_once(app, webhook, events, work, line_api):
    event = events.text("U4", "こんにちは")
    redelivered = {**event, "deliveryContext": {"isRedelivery": True}}
    assert webhook(event, event).status_code == 200
    assert webhook(redelivered).status_code == 200
    work()
    assert stored(app) == {"done": 1}
    assert len(line_api.delivered) == 1


def test_forged_or_missing_signature_is_refused_with_nothing_stored(app, client, webhook, events):
    assert webhook(events.text("U5", "hello"), secret="not-our-secret").status_code == 400
    body = json.dumps({"events": [events.text("U5", "hello")]})
    assert client.post("/callback", data=body, content_type="application/json").status_code == 400
    assert stored(app) == {}


@pytest.mark.parametrize("body, reason", [
    ("this is not json", "JSONDecodeError"),
    ('{"events": {"type": "message"}}', "events is not a list"),
    ('{"events": ' + "[" * 100_000 + "]" * 100_000 + "}", "RecursionError"),
])
def test_signed_body_that_is_not_a_json_webhook_is_recorded_and_refused_without_a_500(app, webhook, body, reason):
    response = webhook(body=body)
    assert response.status_code == 400
    with app.app_context():
        rows = list(get_db().db.query("SELECT reason, body FROM rejected_webhooks"))
    assert rows[0]["body"] == body and reason in rows[0]["reason"]
    assert stored(app) == {}


def test_events_are_stored_as_they_came_and_one_that_is_no_object_as_unreadable(app, webhook, events):
    good = events.text("U7", "こんにちは")
    assert webhook(good, 5).status_code == 200
    with app.app_context():
        bodies = [json.loads(row["body"]) for row in get_db().db.query("SELECT body FROM inbox ORDER BY timestamp DESC")]
    assert bodies == [good, {"unreadable": 5}]


def test_empty_event_list_is_accepted(webhook, app):
    response = webhook()
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert stored(app) == {}


def test_the_webhook_has_no_session_a_console_cookie_is_neither_read_nor_renewed(client, webhook, events):
    client.set_cookie("session", "a-console-session-cookie")
    response = webhook(events.text("U5", "hello"))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and "Vary" not in response.headers


def test_when_the_inbox_cannot_commit_line_gets_no_200_and_the_redelivery_is_stored(app, webhook, events,
                                                                                    monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    event = events.text("U5", "hello")
    real_ingest = Store.ingest

    def full_disk(store, rows, received_at):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "ingest", full_disk)
    assert webhook(event).status_code == 500
    assert stored(app) == {}
    monkeypatch.setattr(Store, "ingest", real_ingest)
    assert webhook({**event, "deliveryContext": {"isRedelivery": True}}).status_code == 200
    assert stored(app) == {"pending": 1}


def test_unparseable_event_is_recorded_and_skipped(app, webhook, events, work, line_api):
    broken = events.text("U6", "hello")
    del broken["mode"]
    unknown = {**events.text("U6", "hi"), "type": "somethingNew"}
    good = events.text("U6", "ありがとう")
    assert webhook(broken, unknown, good).status_code == 200
    work()
    assert stored(app) == {"malformed": 1, "skipped": 1, "done": 1}
    assert len(line_api.delivered) == 1


def test_standby_events_are_stored_and_never_answered(app, webhook, events, work, line_api):
    event = {**events.text("U7", "hello"), "mode": "standby"}
    del event["replyToken"]
    webhook(event)
    work()
    assert stored(app) == {"skipped": 1}
    assert line_api.requests == []


def test_group_gets_one_note_about_one_to_one_chat_and_no_answers(webhook, events, work, line_api):
    webhook(events.in_group("U8", "Cgroup1", "还付金是什么"))
    work()
    webhook(events.in_group("U9", "Cgroup1", "還付金って何？"))
    work()
    assert len(line_api.delivered) == 1
    assert "ATM" not in line_api.delivered[0]["messages"][0]["text"]
