"""The console in a real browser: Playwright driving Debian's Chromium against a live server on 127.0.0.1."""
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from bot import create_app
from bot.console.auth import create_consultant
from bot.db import get_db
from bot.line_fake import WebhookEvents, sign_webhook
from bot.replies import CANNED_REPLIES

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SECRET = "browser-secret"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the browser tests")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright


@pytest.fixture
def live(tmp_path, line_api):
    """The app served by a real HTTP server on 127.0.0.1, with its worker thread running."""
    app = create_app({"DATABASE": str(tmp_path / "live.sqlite3"), "DEMO": False, "LINE_CHANNEL_SECRET": SECRET,
                      "LINE_CHANNEL_ACCESS_TOKEN": "t", "LINE_API_HOST": line_api.url, "WORKER": "thread",
                      "SECRET_KEY": "browser-test-key"})
    with app.app_context():
        create_consultant(get_db(), "tanaka", "田中", "correct horse battery", "consultant")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["mamoru.worker"].stop()


@pytest.fixture
def page():
    """A headless Chromium page (no browser download: Debian's build)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        page = browser.new_page(locale="ja-JP")
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.dialogs = dialogs
        yield page
        browser.close()


def post_webhook(url, line_api, *events):
    import urllib.request
    body = WebhookEvents(line_api).envelope(*events)
    request = urllib.request.Request(url + "/callback", data=body.encode(), method="POST", headers={
        "Content-Type": "application/json", "X-Line-Signature": sign_webhook(body, SECRET)})
    assert urllib.request.urlopen(request, timeout=5).status == 200


def log_in(page, url, password="correct horse battery"):
    page.goto(url + "/console/login")
    page.fill("input[name=username]", "tanaka")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_consultant_takes_an_urgent_case_from_arrival_to_hand_back(live, page, line_api):
    app, url = live
    log_in(page, url)
    page.wait_for_selector("#case-rows")
    events = WebhookEvents(line_api)
    post_webhook(url, line_api, events.postback("Uvi1", "a=lang&l=vi"))
    post_webhook(url, line_api, events.text("Uvi1", "Tôi đã chuyển tiền cho kẻ lừa đảo rồi, giúp tôi"))
    row = page.wait_for_selector("tr.severity-urgent", timeout=10000)  # live, without a reload
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-inbox.png"), full_page=True)
    row.query_selector("a").click()
    page.wait_for_selector("#messages .message.in")
    assert "Tôi đã chuyển tiền" in page.inner_text("#messages")
    page.screenshot(path=str(ARTIFACTS / "console-thread.png"), full_page=True)
    page.click(f"form.canned button[value='{CANNED_REPLIES[0]}']")
    expected = app.extensions["mamoru.dialogue"].replies("vi").canned(CANNED_REPLIES[0])["text"]
    assert line_api.wait_for(lambda api: any(m.get("text") == expected for m in api.messages_to("Uvi1")), 10)
    page.wait_for_selector(".delivery.sent", timeout=10000)
    page.click("button.resolve")
    closing = app.extensions["mamoru.dialogue"].replies("vi").case_closed()[0]["text"]
    assert line_api.wait_for(lambda api: api.messages_to("Uvi1")[-1].get("text") == closing, 10)


def test_wrong_passwords_are_throttled(live, page):
    _, url = live
    for _ in range(5):
        log_in(page, url, password="not the password")
        assert "/console/login" in page.url
    log_in(page, url)
    assert "/console/login" in page.url
    assert page.locator(".flash").count() == 1


def test_forged_form_post_is_refused(live, page):
    _, url = live
    log_in(page, url)
    page.wait_for_selector("#case-rows")
    response = page.request.post(url + "/console/cases/1/note", form={"text": "forged"})
    assert response.status == 400


def test_script_typed_by_a_resident_is_shown_as_text(live, page, line_api):
    _, url = live
    log_in(page, url)
    page.wait_for_selector("#case-rows")
    post_webhook(url, line_api, WebhookEvents(line_api).text(
        "Uxss", "<script>alert('xss')</script><img src=x onerror=alert(2)> お金を取られた、助けて"))
    page.wait_for_selector("tr[data-case] a", timeout=10000).click()
    page.wait_for_selector("#messages .message.in")
    assert "<script>alert('xss')</script>" in page.inner_text("#messages")
    assert page.dialogs == []
    assert page.locator("#messages script, #messages img").count() == 0
