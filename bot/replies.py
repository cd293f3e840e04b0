"""LINE messages the bot sends, built in the user's language."""
from __future__ import annotations

from urllib.parse import urlencode

from .i18n import LANGUAGES, source_text

MAIN_MENU = ("scam.check", "scam.general", "sales.general", "sos_house.find", "hotlines", "human")
QUICK_REPLY_LABEL = 20
MAX_QUICK_REPLIES = 13


def postback(action: str, **params: str) -> str:
    """Postback data for a menu action (`a=topic&i=scam.refund`)."""
    return urlencode({"a": action, **params})


def _label(text: str) -> str:
    return text if len(text) <= QUICK_REPLY_LABEL else text[: QUICK_REPLY_LABEL - 1] + "…"


def quick_postback(label: str, data: str) -> dict:
    """A quick-reply button that sends postback data and shows its label as the user's message."""
    return {"type": "action", "action": {"type": "postback", "label": _label(label), "data": data,
                                         "displayText": label}}


def quick_location(label: str) -> dict:
    """A quick-reply button that opens LINE's location picker."""
    return {"type": "action", "action": {"type": "location", "label": _label(label)}}


def text(body: str, quick: list[dict] | None = None) -> dict:
    """A text message, with quick replies when given."""
    message = {"type": "text", "text": body[:5000]}
    if quick:
        message["quickReply"] = {"items": quick[:MAX_QUICK_REPLIES]}
    return message


class Replies:
    """Builds every message of one turn in one language."""

    def __init__(self, tr, intents: dict, facts: dict[str, str]):
        self.tr = tr
        self.intents = intents
        self.facts = facts

    def _(self, message: str, **values) -> str:
        return self.tr.gettext(message).format(**self.facts, **values)

    def topic_label(self, intent_id: str) -> str:
        """The translated menu label of an intent."""
        return self.tr.gettext(source_text(self.intents[intent_id].label))

    def topic_button(self, intent_id: str) -> dict:
        """A quick reply that opens a topic."""
        return quick_postback(self.topic_label(intent_id), postback("topic", i=intent_id))

    def menu_button(self) -> dict:
        """A quick reply back to the main menu."""
        return quick_postback(self.tr.gettext("Menu"), postback("menu"))

    def menu_quick(self) -> list[dict]:
        """The main menu as quick replies, with the language picker last."""
        return [self.topic_button(i) for i in MAIN_MENU if i in self.intents] + [
            quick_postback(self.tr.gettext("Language"), postback("languages"))]

    def menu_card(self) -> dict:
        """The main menu as a Flex bubble with one button per topic."""
        title = self.tr.gettext("How can I help you?")
        buttons = [
            {"type": "button", "style": "secondary", "height": "sm", "margin": "sm",
             "action": {"type": "postback", "label": self.topic_label(i)[:40],
                        "data": postback("topic", i=i), "displayText": self.topic_label(i)}}
            for i in MAIN_MENU if i in self.intents]
        return {
            "type": "flex", "altText": title,
            "contents": {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [
                {"type": "text", "text": title, "weight": "bold", "size": "md", "wrap": True},
                {"type": "text", "text": self._("In an emergency call 110."), "size": "xs",
                 "color": "#c0392b", "wrap": True, "margin": "sm"},
                *buttons]}},
            "quickReply": {"items": self.menu_quick()},
        }

    def language_picker(self) -> dict:
        """Ask which language to use; each choice is written in its own language."""
        return text(self._("Please choose your language."),
                    [quick_postback(language.name, postback("lang", l=language.tag))
                     for language in LANGUAGES])

    def greeting(self) -> list[dict]:
        """The first message after a follow: who we are, and the language choice."""
        return [text(self._("Hello, I am Mamoru, the crime-prevention assistant of {city}. Ask me about "
                            "scams, suspicious messages or calls, safe places for children and crime "
                            "prevention. In an emergency call 110.")),
                self.language_picker()]

    def menu(self) -> list[dict]:
        """The main menu."""
        return [self.menu_card()]

    def answer(self, intent_id: str, switch_to: str | None = None) -> list[dict]:
        """The answer to a topic, with its follow-up topics as quick replies."""
        intent = self.intents[intent_id]
        quick = [self.topic_button(i) for i in intent.follow_ups if i in self.intents]
        if intent_id == "sos_house.find":
            quick.insert(0, quick_location(self.tr.gettext("Send my location")))
        if switch_to:
            quick.insert(0, quick_postback(next(l.name for l in LANGUAGES if l.tag == switch_to),
                                           postback("lang", l=switch_to)))
        quick.append(self.menu_button())
        return [text(self._(source_text(intent.answer)), quick)]

    def emergency_note(self) -> dict:
        """The numbers to call now, sent with every escalated message."""
        return text(self._("110: if you are in danger now, call the police on 110 (24 hours). "
                           "Police consultation: #9110. Consumer hotline: 188. A consultant of {office} "
                           "will read this conversation."))

    def not_understood(self) -> list[dict]:
        """An honest 'I did not understand', with the menu."""
        return [text(self._("Sorry, I could not understand that. Please write in a few words what "
                            "happened, or choose a topic below."), self.menu_quick())]

    def please_type(self) -> list[dict]:
        """The answer to stickers, images, audio, video and files."""
        return [text(self._("Thank you! I can only read text for now. Please type your question, or "
                            "choose a topic below."), self.menu_quick())]

    def one_to_one_only(self) -> list[dict]:
        """The note for group chats and rooms."""
        return [text(self._("Consultations work in a one-to-one chat. Please add me as a friend and "
                            "write to me directly."))]

    def location_received(self) -> list[dict]:
        """The answer to a shared location until the safe-house search is in place."""
        return [text(self._("Thank you for your location. The search for the nearest children's safe "
                            "house (こどもSOSの家) is not available yet. If a child is in danger now, call "
                            "110, or go into a convenience store or a busy, well-lit place."),
                     self.menu_quick())]

    def language_set(self) -> list[dict]:
        """Confirm the new language, with the menu."""
        return [text(self._("From now on I will answer in English."), self.menu_quick())]
