"""The scam check end to end: pasted text or a screenshot in, a verdict in the user's language out."""
import json
import re

import pytest
from PIL import ImageFont

from bot.console.auth import create_consultant
from bot.db import get_db
from tests.test_scamcheck import _sms_screenshot, _tesseract_reads

FAKE_SMS = ("佐川急便よりお荷物のお届けにあがりましたが不在の為持ち帰りました。"
            "下記よりご確認ください https://sagawa-kx3.top/r?id=88")
HARMLESS = "明日の町内会の資料はこちらです https://minutes-share.example.org/abc よろしくお願いします"


def reply_texts(line_api, user):
    return [m.get("text") or m.get("altText") for m in line_api.messages_to(user)]


def share_uris(line_api, user):
    return re.findall(r"https://line\.me/R/share\?text=[^\"']+", json.dumps(line_api.messages_to(user)))


def test_pasted_fake_delivery_sms_is_high_with_reasons_and_a_share_button_in_the_users_language(
        app, webhook, events, work, line_api):
    webhook(events.postback("U1", "a=lang&l=vi"))
    webhook(events.text("U1", FAKE_SMS))
    work()
    verdict_text = reply_texts(line_api, "U1")[1]
    checker = app.extensions["mamoru.scamcheck"]
    expected = app.extensions["mamoru.dialogue"].replies("vi").verdict(checker.check(FAKE_SMS))
    assert checker.check(FAKE_SMS).risk == "high"
    assert verdict_text == expected[0]["text"] and verdict_text != app.extensions[
        "mamoru.dialogue"].replies("en").verdict(checker.check(FAKE_SMS))[0]["text"]
    assert share_uris(line_api, "U1")
    with app.app_context():
        assert [i["value"] for i in get_db().checked_items("domain")] == ["sagawa-kx3.top"]


def test_asking_is_this_a_scam_then_pasting_checks_the_pasted_text(webhook, events, work, line_api, app):
    webhook(events.text("U2", "これって詐欺ですか？"))
    webhook(events.text("U2", "今日中に連絡ください"))
    work()
    with app.app_context():
        rows = list(get_db().db.query("SELECT intent FROM conversation WHERE user_id = 'U2' AND direction = 'in'"))
    assert rows[0]["intent"] == "scam.check"
    assert len(line_api.delivered) == 2


@pytest.mark.skipif(not _tesseract_reads("eng"), reason="tesseract is not installed")
def test_screenshot_of_the_sms_gets_the_same_verdict(app, webhook, events, work, line_api):
    png = _sms_screenshot(["SAGAWA: We could not deliver your parcel", "because nobody was home. Confirm the",
                           "redelivery here: https://sagawa-id4.top/r"], ImageFont.load_default(size=28))
    webhook(events.postback("U3", "a=lang&l=en"))
    webhook(events.image("U3", png))
    work()
    assert line_api.calls("/v2/bot/message/") and line_api.calls("/v2/bot/message/")
    [fetch] = [c for c in line_api.requests if c["path"].endswith("/content")]
    assert fetch["method"] == "GET"
    high = app.extensions["mamoru.dialogue"].replies("en").verdict(
        app.extensions["mamoru.scamcheck"].check("https://sagawa-id4.top/r SAGAWA could not deliver"))[0]["text"]
    assert reply_texts(line_api, "U3")[1].splitlines()[0] == high.splitlines()[0]
    assert share_uris(line_api, "U3")


def test_a_domain_marked_as_scam_in_the_console_raises_later_checks(app, client, webhook, events, work, line_api):
    webhook(events.text("U4", HARMLESS))
    work()
    checker = app.extensions["mamoru.scamcheck"]
    assert checker.check(HARMLESS).risk == "low"
    with app.app_context():
        create_consultant(get_db(), "kato", "加藤", "correct horse battery")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/console/login").get_data(as_text=True))[1]
    client.post("/console/login", data={"username": "kato", "password": "correct horse battery", "csrf_token": token})
    page = client.get("/console/checks").get_data(as_text=True)
    assert "example.org" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    client.post("/console/checks", data={"kind": "domain", "value": "example.org", "verdict": "scam",
                                         "csrf_token": token})
    webhook(events.text("U5", HARMLESS))
    work()
    later = app.extensions["mamoru.dialogue"].checker.check(HARMLESS)
    assert later.risk != "low"
    assert reply_texts(line_api, "U5")[0] == app.extensions["mamoru.dialogue"].replies("ja").verdict(later)[0]["text"]


def test_check_command_speaks_json_lines(runner):
    result = runner.invoke(args=["check"], input=json.dumps({"id": "a", "text": FAKE_SMS}) + "\n")
    answer = json.loads(result.output.strip().splitlines()[-1])
    assert answer["id"] == "a" and answer["risk"] == "high" and answer["signals"]
