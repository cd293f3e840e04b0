"""The dialogue on its own: a turn is the injected sender, the transcript is what it was told to say."""
import pytest
from linebot.v3.webhooks import Event

from bot import INTENTS_DIR
from bot.dialogue import Dialogue, Turn
from bot.i18n import LANGUAGES, Catalogs
from bot.line_fake import FakeLineApi, WebhookEvents
from bot.understanding import load_engine

FACTS = {"city": "苫小牧市", "office": "消費生活センター", "office_phone": "188", "office_hours": "平日 9:00-17:00",
         "police_station": "苫小牧警察署", "police_phone": "0144-35-0110"}


@pytest.fixture(scope="module")
def dialogue():
    """The dialogue with the real engine and catalogues, always inside consultation hours."""
    return Dialogue(load_engine(INTENTS_DIR), Catalogs(), FACTS)


@pytest.fixture(scope="module")
def events():
    return WebhookEvents(FakeLineApi())


def say(dialogue, event: dict, language: str = "ja", case: dict | None = None, profile: str | None = None) -> Turn:
    """Run one event through the dialogue and return the turn with its transcript."""
    turn = Turn(lane=event["source"].get("userId"), user={"language": language, "language_chosen": 1},
                case=case, reply_token="t", profile_language=lambda: profile)
    dialogue.handle(Event.from_dict(event), turn)
    return turn


def texts(turn: Turn) -> list[str]:
    return [m.get("text") or m.get("altText") for m in turn.replies]


@pytest.mark.parametrize("message, intent, answered_in", [
    ("さっき市役所から医療費の還付金があるって電話が来た", "scam.refund", "ja"),
    ("Someone from the police called me on LINE video and showed me an arrest warrant", "scam.fake_police", "en"),
    ("家に知らない荷物が代引きで届いた。注文していない", "sales.unsolicited", "ja"),
    ("Có người nói sẽ cho tôi vay tiền nhưng phải trả phí bảo lãnh trước", "scam.loan_guarantee", "vi"),
])
def test_text_is_answered_with_its_topic_in_the_language_it_was_written_in(
        dialogue, events, message, intent, answered_in):
    turn = say(dialogue, events.text("U1", message))
    assert turn.log[0]["intent"] == intent
    assert turn.replies[-1]["text"] == dialogue.replies(answered_in).answer(intent)[0]["text"]


def test_what_the_bot_does_not_understand_gets_an_honest_answer_and_the_menu(dialogue, events):
    turn = say(dialogue, events.text("U1", "明日の天気はどうですか"))
    assert turn.log[0]["intent"] == "none"
    assert turn.replies == dialogue.replies("ja").not_understood()


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.tag)
def test_choosing_a_language_answers_and_shows_the_menu_in_it(dialogue, events, language):
    turn = say(dialogue, events.postback("U2", f"a=lang&l={language.tag}"))
    assert turn.user_changes == {"language": language.tag, "language_chosen": 1}
    english = dialogue.replies("en")
    chosen = dialogue.replies(language.tag)
    labels = [item["action"]["label"] for item in turn.replies[0]["quickReply"]["items"]]
    assert labels == [item["action"]["label"] for item in chosen.menu_quick()]
    if language.tag != "en":
        assert turn.replies[0]["text"] != english.language_set()[0]["text"]
        assert labels != [item["action"]["label"] for item in english.menu_quick()]


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.tag)
def test_emergency_replies_start_with_110_in_every_language(dialogue, events, language):
    turn = say(dialogue, events.text("U3", "今知らない男に後をつけられています、怖い"), language=language.tag)
    assert turn.escalation["severity"] == "emergency"
    assert texts(turn)[0].startswith("110")


def test_menu_card_in_every_language_has_translated_buttons(dialogue):
    for language in LANGUAGES:
        card = dialogue.replies(language.tag).menu_card()
        buttons = card["contents"]["body"]["contents"][2:]
        assert len(buttons) == 6 and all(0 < len(b["action"]["label"]) <= 40 for b in buttons)


def test_a_message_clearly_in_another_language_is_answered_in_it_with_an_offer_to_switch(dialogue, events):
    turn = say(dialogue, events.text("U4", "Tôi nhận được tin nhắn nói có bưu kiện nhưng phải bấm vào đường link"),
               language="ja")
    answer = turn.replies[-1]
    assert answer["quickReply"]["items"][0]["action"]["data"] == "a=lang&l=vi"
    assert answer["text"] == dialogue.replies("vi").answer(turn.log[0]["intent"])[0]["text"]


def test_follow_greets_in_the_profile_language(dialogue, events):
    turn = Turn(lane="U5", user=None, reply_token="t", profile_language=lambda: "pt-BR")
    dialogue.handle(Event.from_dict(events.follow("U5")), turn)
    assert turn.user_changes["language"] == "pt-BR"
    assert turn.replies[0]["text"] == dialogue.replies("pt-BR").greeting()[0]["text"]


@pytest.mark.parametrize("event", ["sticker", "location"])
def test_stickers_and_locations_get_a_clear_answer(dialogue, events, event):
    built = events.sticker("U6") if event == "sticker" else events.location("U6", 42.6383, 141.6040)
    turn = say(dialogue, built)
    assert turn.replies and turn.replies[0]["quickReply"]["items"]


def test_bot_answers_carry_a_japanese_hint_for_staff(dialogue, events):
    turn = say(dialogue, events.text("U7", "How do I stop bike theft?"), language="en")
    out = [entry for entry in turn.log if entry["direction"] == "out"]
    assert out and all(entry["hint"] for entry in out)
    assert out[0]["hint"] != out[0]["text"]
