"""LINE messages the bot sends, built in the user's language."""
from __future__ import annotations

from datetime import datetime

from babel import Locale
from babel.dates import format_datetime

from .i18n import BY_TAG, LANGUAGES, N_, source_text
from .line_messages import postback, quick_location, quick_postback, text
from .safehouse_replies import area_answer, location_answer
from .scamcheck.replies import verdict_messages

BACK_TO_BOT = N_("Back to the bot")
# Replies a consultant can send with one click; each is translated into every language.
CANNED_REPLIES = (
    N_("Thank you for your message. I am a consultant of {office} and I am reading your conversation "
       "now."),
    N_("Please do not transfer any money and do not hand over your cash card or PIN to anyone. If someone "
       "comes to collect them, call 110."),
    N_("Please call your bank or card company now and ask them to stop the payment. Then call "
       "{police_station} ({police_phone})."),
    N_("Could you tell me when this happened, and how much money was involved, if any?"),
    N_("Could you give me a phone number and a good time to call you back?"),
)
MAIN_MENU = ("scam.check", "scam.general", "sales.general", "sos_house.find", "hotlines", "human")


class Replies:
    """Builds every message of one turn in one language."""

    def __init__(self, tr, intents: dict, facts: dict[str, str], language: str = "ja"):
        self.tr = tr
        self.intents = intents
        self.facts = facts
        self.language = language

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

    def handoff(self, back_at: datetime | None) -> dict:
        """What happens next after an escalation: an answer here soon, or when consultants are back."""
        quick = [quick_postback(self.tr.gettext(BACK_TO_BOT), postback("bot"))]
        if back_at is None:
            return text(self._("I have passed this conversation to a consultant of {office}. They will "
                               "answer here in this chat. You can keep writing."), quick)
        when = format_datetime(back_at, "EEEE HH:mm", tzinfo=back_at.tzinfo, locale=self._locale())
        return text(self._("I have passed this conversation to a consultant of {office}. The consultants "
                           "are out of the office now and will answer here from {when}. If you need help "
                           "now: danger 110, police consultation #9110, consumer hotline 188.", when=when),
                    quick)

    def back_to_bot(self) -> list[dict]:
        """Confirm that the resident left the consultant and is back with the bot."""
        return [text(self._("You are talking with the bot again. If you need a person, just ask."),
                     self.menu_quick())]

    def case_closed(self) -> list[dict]:
        """The consultant closed the case: hand the resident back to the bot."""
        return [text(self._("The consultant of {office} has closed this consultation. Thank you for "
                            "contacting us. The bot will answer your questions again; in danger call 110."),
                     self.menu_quick())]

    def verdict(self, verdict) -> list[dict]:
        """The scam check's answer: risk, reasons, what to do, and a warning to share with family."""
        return verdict_messages(self.tr, verdict)

    def canned(self, source: str) -> dict:
        """One of the consultants' ready-made replies, in the resident's language."""
        return text(self._(source))

    def _locale(self) -> Locale:
        return Locale.parse(BY_TAG[self.language].locale.replace("_easy", ""))

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

    def safe_houses_near(self, matches: list, radius_m: int) -> list[dict]:
        """The nearest children's safe houses to a shared location, or what to do when none is near."""
        return location_answer(self.tr, matches, radius_m=radius_m, language=self.language,
                               quick=self.menu_quick())

    def safe_houses_in(self, area: str, matches: list) -> list[dict]:
        """The children's safe houses of a district or town the resident named."""
        return area_answer(self.tr, area, matches, language=self.language, quick=self.menu_quick())

    def language_set(self) -> list[dict]:
        """Confirm the new language, with the menu."""
        return [text(self._("From now on I will answer in English."), self.menu_quick())]
