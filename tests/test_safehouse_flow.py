"""Children's safe houses from LINE: a shared location or a named area in, houses in the user's language out."""
import json

import pytest

from bot.db import get_db
from bot.safehouses import load_sample

STATION = (42.6383, 141.6040)  # JR苫小牧駅, in the middle of the sample houses


@pytest.fixture
def houses(app):
    """The fictional sample houses around Tomakomai."""
    with app.app_context():
        assert load_sample(get_db()).ok


def test_asking_for_a_safe_house_offers_the_location_picker(houses, webhook, events, work, line_api):
    webhook(events.text("U1", "近くのこども110番の家を教えて"))
    work()
    [answer] = line_api.messages_to("U1")
    assert answer["quickReply"]["items"][0]["action"]["type"] == "location"


def test_shared_location_gets_a_carousel_and_the_nearest_on_a_map_in_the_users_language(
        app, houses, webhook, events, work, line_api):
    webhook(events.postback("U2", "a=lang&l=pt-BR"))
    webhook(events.location("U2", *STATION))
    work()
    intro, carousel, location = line_api.messages_to("U2")[1:]
    assert carousel["type"] == "flex" and carousel["contents"]["type"] == "carousel"
    assert 1 <= len(carousel["contents"]["contents"]) <= 10
    assert location["type"] == "location"
    expected = app.extensions["mamoru.dialogue"].replies("pt-BR")
    assert intro["text"].split("\n")[0] != expected.safe_houses_near([], 1000)[0]["text"].split("\n")[0]
    assert location["quickReply"]["items"]


def test_private_homes_never_show_an_exact_address_or_point(app, houses, webhook, events, work, line_api):
    webhook(events.location("U3", *STATION))
    work()
    carousel = line_api.messages_to("U3")[1]["contents"]["contents"]
    private_label = app.extensions["mamoru.dialogue"].replies("ja").tr.gettext("Private home")
    private = [bubble for bubble in carousel if bubble["body"]["contents"][0]["text"] == private_label]
    with app.app_context():
        homes = list(get_db().db.query("SELECT * FROM safehouses WHERE kind = 'private_home'"))
    assert private and homes
    for bubble in private:
        shown = json.dumps(bubble, ensure_ascii=False)
        assert "丁目" not in shown
        assert not any(f"{home['latitude']:.5f}" in shown or f"{home['longitude']:.5f}" in shown for home in homes)


def test_nothing_near_says_so_and_gives_110(houses, webhook, events, work, line_api):
    webhook(events.location("U4", 43.0621, 141.3544))  # Sapporo: no sample house within 1 km
    work()
    [answer] = line_api.messages_to("U4")
    assert "110" in answer["text"]


def test_a_named_area_finds_its_houses(houses, webhook, events, work, line_api):
    webhook(events.text("U5", "美園町のこどもSOSの家はどこ？"))
    work()
    messages = line_api.messages_to("U5")
    assert messages[-1]["type"] == "flex" and messages[-1]["contents"]["type"] == "carousel"


def test_admin_uploads_a_csv_in_the_console_and_bad_rows_are_named(app, client, houses):
    import re

    from bot.console.auth import create_consultant
    with app.app_context():
        create_consultant(get_db(), "admin", "管理者", "correct horse battery", "admin")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/console/login").get_data(as_text=True))[1]
    client.post("/console/login", data={"username": "admin", "password": "correct horse battery", "csrf_token": token})
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/console/admin/safehouses").get_data(as_text=True))[1]
    bad = "名称,住所,緯度,経度,種別,学区\nテスト商店,苫小牧市表町1-1,42.63,141.60,商店,若草小\n,どこか,99,999,宇宙船,\n"
    from io import BytesIO
    answer = client.post("/console/admin/safehouses", content_type="multipart/form-data",
                         data={"csrf_token": token, "file": (BytesIO(bad.encode()), "houses.csv")})
    assert answer.status_code == 400 and "row 3" in answer.get_data(as_text=True)
    with app.app_context():
        assert not list(get_db().db.query("SELECT * FROM safehouses WHERE name = 'テスト商店'"))
    csv = client.get("/console/admin/safehouses.csv").get_data(as_text=True)
    assert csv.startswith("名称") or "名称" in csv.splitlines()[0]
