"""Demo mode: the app starts its own fake LINE API, and /simulator drives the real webhook path."""
import json
import logging
import threading
import urllib.request

import pytest
from werkzeug.serving import make_server

from bot import create_app


@pytest.fixture
def no_line_credentials(monkeypatch):
    """An environment without LINE credentials, as on a newcomer's machine."""
    for variable in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def demo(tmp_path, no_line_credentials):
    """The app as `make run` starts it with no LINE credentials, served on 127.0.0.1."""
    app = create_app({"DATABASE": str(tmp_path / "demo.sqlite3"), "WORKER": "thread"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["mamoru.worker"].stop()
    app.extensions["mamoru.fake"].stop()


def test_demo_mode_says_so_once_in_the_servers_log_and_not_in_a_commands(tmp_path, no_line_credentials, caplog):
    caplog.set_level(logging.INFO, logger="mamoru")
    database = str(tmp_path / "demo.sqlite3")
    apps = [create_app({"DATABASE": database, "WORKER": "off", "COMMAND": True}),
            create_app({"DATABASE": database, "WORKER": "off"})]
    try:
        banners = [r.getMessage() for r in caplog.records if r.getMessage().startswith("DEMO MODE")]
        assert banners == [f"DEMO MODE: no LINE credentials set; the Messaging API is a fake at "
                           f"{apps[1].config['LINE_API_HOST']} and the LINE simulator is at /simulator"]
    finally:
        for app in apps:
            app.extensions["mamoru.fake"].stop()


def send(url, **action):
    request = urllib.request.Request(url + "/simulator/send", data=json.dumps(action).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=10))


def test_demo_mode_wires_the_app_to_its_own_fake_and_has_a_demo_consultant(demo):
    app, _ = demo
    assert app.config["DEMO"] and app.config["LINE_API_HOST"].startswith("http://127.0.0.1:")
    assert app.extensions["mamoru.demo_login"][0] == "demo"


def test_simulator_sends_signed_webhooks_and_shows_the_answers(demo):
    app, url = demo
    user = "Udemo0000000000000000000000000002"
    assert "LINE simulator" in urllib.request.urlopen(url + "/simulator/").read().decode()
    assert send(url, user=user, language="vi", kind="follow")["status"] == 200
    send(url, user=user, language="vi", kind="text", text="Có người gọi nói tôi được hoàn tiền bảo hiểm ở ATM")
    fake = app.extensions["mamoru.fake"]
    assert fake.wait_for(lambda api: len(api.messages_to(user)) >= 3, timeout=10)
    feed = json.load(urllib.request.urlopen(f"{url}/simulator/feed?user={user}"))
    assert len(feed["messages"]) >= 3 and any(c["path"] == "/v2/bot/message/reply" for c in feed["calls"])
    assert "ATM" in feed["messages"][-1]["text"]


def test_simulator_refuses_unknown_users_and_actions(demo):
    _, url = demo
    for action in ({"user": "Unobody", "kind": "text"},
                   {"user": "Udemo0000000000000000000000000001", "kind": "teleport"},
                   {"user": "Udemo0000000000000000000000000001", "kind": "image", "data": "not base64!"}):
        with pytest.raises(urllib.error.HTTPError) as refused:
            send(url, **action)
        assert refused.value.code == 400
