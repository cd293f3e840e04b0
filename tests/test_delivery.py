"""The outbox: retries with the same key, reply-token fallback, blocked users, restarts, quota."""
import json
import threading
import time
import urllib.error
import urllib.request

import pytest

from bot.db import get_db
from bot.store import PUSH_PAUSED_UNTIL
from bot.worker import Traffic


def outbox(app):
    with app.app_context():
        return list(get_db().db.query("SELECT * FROM outbox ORDER BY id"))


def test_line_500_then_success_is_retried_with_the_same_retry_key(app, webhook, events, work, line_api):
    event = events.text("U1", "hello")
    line_api.expire_reply_token(event["replyToken"])
    line_api.fail("/v2/bot/message/push", status=500, times=2)
    webhook(event)
    work()
    pushes = line_api.calls("/v2/bot/message/push")
    assert len(pushes) == 3
    assert len({p["headers"]["x-line-retry-key"] for p in pushes}) == 1
    assert len(line_api.delivered) == 1
    [row] = outbox(app)
    assert row["status"] == "sent" and row["attempts"] == 3


def test_expired_reply_token_falls_back_to_push(app, webhook, events, work, line_api):
    event = events.text("U2", "hello")
    line_api.expire_reply_token(event["replyToken"])
    webhook(event)
    work()
    assert [c["path"] for c in line_api.calls("/v2/bot/message/")] == [
        "/v2/bot/message/reply", "/v2/bot/message/push"]
    assert line_api.delivered[0]["kind"] == "push" and line_api.delivered[0]["to"] == "U2"


def test_stale_reply_token_goes_straight_to_push(app, webhook, events, work, line_api):
    webhook(events.text("U3", "hello"))
    with app.app_context():
        get_db().db.execute("UPDATE inbox SET received_at = received_at - 120")
    work()
    assert [c["path"] for c in line_api.calls("/v2/bot/message/")] == ["/v2/bot/message/push"]


def test_a_409_means_line_already_has_the_message(app, webhook, events, work, line_api):
    event = events.text("U4", "hello")
    line_api.expire_reply_token(event["replyToken"])
    line_api.fail("/v2/bot/message/push", status=409, message="The retry key is already accepted")
    webhook(event)
    work()
    assert outbox(app)[0]["status"] == "sent"


def test_other_4xx_fails_with_lines_message_and_is_not_retried(app, webhook, events, work, line_api):
    event = events.text("U5", "hello")
    line_api.expire_reply_token(event["replyToken"])
    line_api.fail("/v2/bot/message/push", status=400, message="The property, 'to', is invalid")
    webhook(event)
    work()
    [row] = outbox(app)
    assert row["status"] == "failed" and "'to', is invalid" in row["last_error"]
    assert len(line_api.calls("/v2/bot/message/push")) == 1


def test_blocked_users_get_no_push(app, webhook, events, work, line_api):
    webhook(events.unfollow("U6"))
    work()
    with app.app_context():
        get_db().enqueue("U6", [{"type": "text", "text": "alert"}], purpose="alert")
    work()
    assert line_api.calls("/v2/bot/message/push") == []
    assert outbox(app)[0]["status"] == "failed"


def test_monthly_quota_stops_pushes_until_next_month(app, webhook, events, work, line_api, caplog):
    line_api.fail("/v2/bot/message/push", status=429, message="You have reached your monthly limit.")
    with app.app_context():
        get_db().enqueue("U7", [{"type": "text", "text": "one"}], purpose="alert")
        get_db().enqueue("U8", [{"type": "text", "text": "two"}], purpose="alert")
    work()
    assert len(line_api.calls("/v2/bot/message/push")) == 1
    with app.app_context():
        assert float(get_db().setting(PUSH_PAUSED_UNTIL)) > time.time() + 3600
    assert {row["status"] for row in outbox(app)} == {"queued"}
    assert "monthly" in caplog.text and "ALERT" in caplog.text


def test_slow_line_times_out_and_the_message_waits_for_the_retry(app, webhook, events, line_api):
    from bot.line_api import LineApi

    line_api.fail("/v2/bot/message/push", status=500, delay=1.0)
    outcome = LineApi(line_api.url, "token", timeout=(1.0, 0.2)).push("U9", [{"type": "text", "text": "x"}],
                                                                      "key-1")
    assert outcome.status == 0 and not outcome.ok


def test_messages_that_break_lines_schema_never_leave(line_api):
    from bot.line_api import LineApi

    api = LineApi(line_api.url, "token")
    assert api.push("U9", [{"type": "text", "text": "ok"}], "key-2").ok
    for broken in ({"type": "text"}, {"type": "flex", "altText": "x", "contents": {"type": "bubble", "body": 5}}):
        with pytest.raises(ValueError):
            api.push("U9", [broken], "key-3")
    sent = [r["json"]["messages"] for r in line_api.calls("/v2/bot/message/push")]
    assert sent == [[{"type": "text", "text": "ok"}]]


def test_restart_picks_up_events_claimed_by_a_worker_that_died(app, webhook, events, work, line_api):
    webhook(events.text("U10", "hello"), events.text("U10", "menu"))
    with app.app_context():
        store = get_db()
        claimed = store.claim_lane("dead-worker", lease=30)
        assert len(claimed) == 2
        store.db.execute("UPDATE inbox SET claimed_at = claimed_at - 60")
    work()
    with app.app_context():
        assert get_db().inbox_counts() == {"done": 2}
    assert len(line_api.delivered) == 2


def test_events_of_one_user_are_answered_in_timestamp_order(app, webhook, events, work, line_api):
    first, second = events.text("U11", "ありがとう"), events.text("U11", "メニュー")
    webhook(second)
    webhook(first)
    work()
    with app.app_context():
        rows = list(get_db().db.query("SELECT event_id FROM outbox ORDER BY id"))
    assert [r["event_id"] for r in rows] == [first["webhookEventId"], second["webhookEventId"]]


def test_the_worker_gives_way_while_a_webhook_is_being_served_and_not_for_ever():
    traffic = Traffic()
    started = time.monotonic()
    traffic.give_way()
    assert time.monotonic() - started < Traffic.PATIENCE  # no traffic: no wait

    served = []

    def serve(seconds):
        with traffic.request():
            time.sleep(seconds)
        served.append(time.monotonic())

    request = threading.Thread(target=serve, args=(0.2,))
    request.start()
    time.sleep(0.02)
    traffic.give_way()
    assert served and time.monotonic() >= served[0]  # waited for the request to end
    request.join()

    endless = threading.Thread(target=serve, args=(Traffic.PATIENCE + 1,))
    endless.start()
    time.sleep(0.02)
    traffic.give_way()
    assert not served[1:]  # gave up waiting before that request ended
    endless.join()


@pytest.mark.parametrize("body, content_type", [
    (b"", "application/json"),
    (b'{"replyToken": "x", "messages": [{"type": "te', "application/json"),
    (b'{"to": "U1"}', "application/json"),
    (b'{"to": "U1", "messages": [{"type": "text", "text": "hi"}]}', "text/plain"),
])
def test_the_fake_answers_an_unreadable_message_call_with_lines_400_and_keeps_serving(line_api, body, content_type):
    for path in ("/v2/bot/message/reply", "/v2/bot/message/push"):
        request = urllib.request.Request(line_api.url + path, data=body, method="POST",
                                         headers={"Content-Type": content_type})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 400
        assert json.load(refused.value) == {"message": "The request body has 1 error(s)"}
    assert line_api.delivered == []
    push = json.dumps({"to": "U1", "messages": [{"type": "text", "text": "hi"}]}).encode()
    request = urllib.request.Request(line_api.url + "/v2/bot/message/push", data=push, method="POST",
                                     headers={"Content-Type": "application/json"})
    assert urllib.request.urlopen(request, timeout=5).status == 200
    assert [d["to"] for d in line_api.delivered] == ["U1"]
