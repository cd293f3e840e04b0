"""Escalation to consultants, the handoff, and the console (Flask client; the browser tests are apart)."""
import re

import pytest

from bot.console.auth import MAX_FAILURES_PER_ACCOUNT, create_consultant
from bot.db import get_db
from bot.replies import CANNED_REPLIES

VICTIM = "さっき詐欺にあってお金を振り込んでしまいました"
DANGER = "今知らない男に後をつけられています、怖い"


@pytest.fixture
def consultant(app):
    """An admin account."""
    with app.app_context():
        create_consultant(get_db(), "sato", "佐藤", "correct horse battery", "admin")
    return {"username": "sato", "password": "correct horse battery"}


def csrf(client, path="/console/login"):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))[1]


@pytest.fixture
def console(client, consultant):
    """A client logged in to the console."""
    token = csrf(client)
    response = client.post("/console/login", data={**consultant, "csrf_token": token})
    assert response.status_code == 302
    return client


def open_cases(app):
    with app.app_context():
        return list(get_db().db.query("SELECT * FROM cases WHERE status = 'open'"))


def texts(line_api, user):
    return [m.get("text", "") for m in line_api.messages_to(user)]


def test_money_lost_opens_an_urgent_case_and_the_reply_starts_with_110(app, webhook, events, work, line_api):
    webhook(events.text("U1", VICTIM))
    work()
    [case] = open_cases(app)
    assert case["severity"] == "urgent" and case["intent"] == "scam.victim"
    first, handoff, *_ = texts(line_api, "U1")
    assert first.startswith("110")
    assert "9110" in first or "188" in first


def test_during_handoff_the_bot_is_quiet_but_danger_still_gets_110(app, webhook, events, work, line_api):
    webhook(events.text("U2", VICTIM))
    work()
    answered = len(line_api.delivered)
    webhook(events.text("U2", "銀行にはまだ電話していません"))
    work()
    assert len(line_api.delivered) == answered
    webhook(events.text("U2", DANGER))
    work()
    assert texts(line_api, "U2")[-1].startswith("110")
    assert open_cases(app)[0]["severity"] == "emergency"


def test_the_resident_can_go_back_to_the_bot(app, webhook, events, work, line_api):
    webhook(events.text("U3", VICTIM))
    work()
    webhook(events.postback("U3", "a=bot"))
    work()
    assert open_cases(app) == []
    webhook(events.text("U3", "還付金について教えて"))
    work()
    assert "ATM" in texts(line_api, "U3")[-1]


def test_typing_bot_in_a_handoff_returns_to_the_bot(app, webhook, events, work):
    webhook(events.text("U4", "人と話したいです"))
    work()
    assert open_cases(app)[0]["severity"] == "normal"
    webhook(events.text("U4", "ボットに戻る"))
    work()
    assert open_cases(app) == []


def test_staff_are_notified_by_line_and_webhook_without_the_residents_text(tmp_path, line_api, events):
    from bot import create_app
    from bot.line_fake import sign_webhook
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "n.sqlite3"), "DEMO": False,
                      "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t", "LINE_API_HOST": line_api.url,
                      "WORKER": "off", "BACKOFF_SCALE": 0.001, "SECRET_KEY": "k",
                      "NOTIFY_LINE_TO": "Cstaffgroup", "NOTIFY_WEBHOOK_URL": line_api.url + "/hooks/staff"})
    body = events.envelope(events.text("U5", VICTIM))
    app.test_client().post("/callback", data=body, content_type="application/json",
                           headers={"X-Line-Signature": sign_webhook(body, "s")})
    app.extensions["mamoru.worker"].run_until_idle()
    [push] = [d for d in line_api.delivered if d["to"] == "Cstaffgroup"]
    assert "#1" in push["messages"][0]["text"] and "振り込" not in push["messages"][0]["text"]
    [hook] = line_api.calls("/hooks/staff")
    assert hook["json"]["case"] == 1 and hook["json"]["severity"] == "urgent" and "text" not in hook["json"]


def test_console_needs_a_login(client):
    assert client.get("/console/").status_code == 302


def test_wrong_passwords_are_throttled_per_account(client, consultant):
    token = csrf(client)
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert client.post("/console/login", data={"username": "sato", "password": "wrong",
                                                   "csrf_token": token}).status_code == 401
    right = client.post("/console/login", data={**consultant, "csrf_token": token})
    assert right.status_code == 429


def test_posts_without_the_csrf_token_are_refused(console):
    assert console.post("/console/cases/1/note", data={"text": "x"}).status_code == 400
    assert console.post("/console/cases/1/note", data={"text": "x", "csrf_token": "forged"}).status_code == 400


def test_login_rotates_the_session_and_logout_everywhere_ends_old_sessions(app, client, consultant):
    before = csrf(client)
    client.post("/console/login", data={**consultant, "csrf_token": before})
    after = csrf(client, "/console/")
    assert after != before
    other = app.test_client()
    other.post("/console/login", data={**consultant, "csrf_token": csrf(other)})
    assert other.get("/console/").status_code == 200
    client.post("/console/logout-everywhere", data={"csrf_token": after})
    assert other.get("/console/").status_code == 302


def test_resident_text_is_escaped_in_the_console(app, console, webhook, events, work):
    webhook(events.text("U6", "<script>alert(1)</script> 助けて、お金を取られた https://evil.example/x"))
    work()
    [case] = open_cases(app)
    page = console.get(f"/console/cases/{case['id']}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="https://evil.example' not in page


def test_canned_reply_goes_out_in_the_residents_language_and_resolve_hands_back(
        app, console, webhook, events, work, line_api):
    webhook(events.postback("U7", "a=lang&l=vi"))
    webhook(events.text("U7", "Tôi đã chuyển tiền cho kẻ lừa đảo rồi"))
    work()
    [case] = open_cases(app)
    page = console.get(f"/console/cases/{case['id']}").get_data(as_text=True)
    assert "Tôi đã chuyển tiền" in page
    token = csrf(console, f"/console/cases/{case['id']}")
    console.post(f"/console/cases/{case['id']}/reply", data={"canned": CANNED_REPLIES[0], "csrf_token": token})
    work()
    pushed = line_api.calls("/v2/bot/message/push")[-1]
    assert pushed["headers"]["x-line-retry-key"]
    vietnamese = pushed["json"]["messages"][0]["text"]
    with app.app_context():
        catalogue = app.extensions["mamoru.dialogue"].replies("vi")
    assert vietnamese == catalogue.canned(CANNED_REPLIES[0])["text"] and vietnamese != CANNED_REPLIES[0]
    console.post(f"/console/cases/{case['id']}/resolve", data={"csrf_token": token})
    work()
    assert open_cases(app) == []
    closing = line_api.messages_to("U7")[-1]["text"]
    assert closing == app.extensions["mamoru.dialogue"].replies("vi").case_closed()[0]["text"]


def test_consultant_reply_shows_its_delivery_state_when_line_fails(app, console, webhook, events, work, line_api):
    webhook(events.text("U8", VICTIM))
    work()
    [case] = open_cases(app)
    token = csrf(console, f"/console/cases/{case['id']}")
    line_api.fail("/v2/bot/message/push", status=500, times=2)
    console.post(f"/console/cases/{case['id']}/reply", data={"text": "お電話ください", "csrf_token": token})
    work()
    pushes = [c for c in line_api.calls("/v2/bot/message/push") if c["json"]["to"] == "U8"]
    assert len(pushes) == 3 and len({p["headers"]["x-line-retry-key"] for p in pushes}) == 1
    page = console.get(f"/console/cases/{case['id']}/messages").get_data(as_text=True)
    assert "お電話ください" in page and "sent" in page


def test_every_action_is_audited(app, console, webhook, events, work):
    webhook(events.text("U9", VICTIM))
    work()
    [case] = open_cases(app)
    token = csrf(console, f"/console/cases/{case['id']}")
    console.post(f"/console/cases/{case['id']}/assign", data={"csrf_token": token})
    console.post(f"/console/cases/{case['id']}/note", data={"text": "折り返し予定", "csrf_token": token})
    actions = [e["action"] for e in reversed(get_audit(app))]
    assert actions[-4:] == ["login", "view_case", "assign", "note"]
    assert "折り返し予定" in console.get(f"/console/cases/{case['id']}").get_data(as_text=True)


def get_audit(app):
    with app.app_context():
        return get_db().audit_log()


def test_inbox_orders_by_severity_and_filters_by_language(app, console, webhook, events, work):
    webhook(events.text("U10", "人と話したいです"))
    webhook(events.text("U11", DANGER))
    work()
    rows = console.get("/console/inbox/rows").get_data(as_text=True)
    assert rows.index("emergency") < rows.index("normal")
    assert "No cases" in console.get("/console/inbox/rows?lang=vi").get_data(as_text=True) or \
        "案件" in console.get("/console/inbox/rows?lang=vi").get_data(as_text=True)


def test_user_export_and_erase(app, runner, webhook, events, work):
    webhook(events.text("U12", VICTIM))
    work()
    exported = runner.invoke(args=["user", "export", "U12"])
    assert VICTIM in exported.output
    erased = runner.invoke(args=["user", "erase", "U12", "--yes"])
    assert erased.exit_code == 0
    assert "no such user" in runner.invoke(args=["user", "export", "U12"]).output
    with app.app_context():
        dump = str(list(get_db().db.query("SELECT * FROM conversation"))) + str(
            list(get_db().db.query("SELECT * FROM inbox")))
    assert VICTIM not in dump and "U12" not in dump
    assert len(open_cases(app)) == 1


def test_consultant_add_command(runner, app):
    result = runner.invoke(args=["consultant", "add", "suzuki", "--name", "鈴木", "--role", "admin",
                                 "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert get_db().consultant(username="suzuki")["role"] == "admin"
