"""The dialogue: what the bot does with each event, given the user's state."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable
from urllib.parse import parse_qs

from linebot.v3.webhooks import (
    FollowEvent,
    ImageMessageContent,
    JoinEvent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
)

from .hours import JST, Hours
from .i18n import BY_TAG, DEFAULT_LANGUAGE, LANGUAGES, Catalogs, same_language, supported_language
from .replies import BACK_TO_BOT, Replies
from .scamcheck import Checker, check_image, looks_pasted
from .understanding.normalize import fold

MAX_MESSAGES = 5  # LINE accepts at most five messages per reply or push
CLEAR_MESSAGE = 12  # characters from which a message in another language is taken as a wish to use it
# Words that end a handoff in any language, beside the translated "Back to the bot" button label.
BACK_TO_BOT_WORDS = ("bot", "ボット", "ぼっと", "ボットに戻る", "봇", "机器人", "機器人")


@dataclass
class Turn:
    """One event's view of the user and everything the dialogue decides; stored in one transaction."""

    lane: str
    user: dict | None
    reply_token: str | None
    profile_language: Callable[[], str | None]
    case: dict | None = None
    fetch_content: Callable[[str], bytes | None] = lambda message_id: None
    houses_near: Callable[[float, float], list] = lambda latitude, longitude: []
    houses_in_area: Callable[[str], object] = lambda text: None
    replies: list[dict] = field(default_factory=list)
    user_changes: dict = field(default_factory=dict)
    log: list[dict] = field(default_factory=list)
    escalation: dict | None = None
    case_closed_by_resident: bool = False
    checked: dict | None = None

    @property
    def state(self) -> dict:
        """The dialogue's memory of this user between messages."""
        return json.loads(self.user_changes.get("state") or (self.user or {}).get("state") or "{}")

    @property
    def user_id(self) -> str:
        """The LINE id of the user, group or room this turn talks to."""
        return self.lane

    @property
    def language(self) -> str:
        """The language the user reads, as far as we know it."""
        return (self.user_changes.get("language") or (self.user or {}).get("language")
                or DEFAULT_LANGUAGE)

    def reply(self, messages: list[dict], hints: list[dict] | None = None) -> None:
        """Queue messages for the user (stored in the outbox with the event); hints: their Japanese."""
        if len(self.replies) + len(messages) > MAX_MESSAGES:
            raise ValueError("LINE takes at most five messages per reply")
        self.replies.extend(messages)
        for message, hint in zip(messages, hints or [None] * len(messages)):
            self.record("out", "bot", message["type"], _summary(message),
                        hint=_summary(hint) if hint else None)

    def escalate(self, severity: str, intent: str, lang: str) -> None:
        """Hand the conversation to consultants (or raise the open case's severity)."""
        self.escalation = {"severity": severity, "intent": intent, "lang": lang}

    def remember_state(self, **values) -> None:
        """Change the dialogue's memory of this user."""
        self.user_changes["state"] = json.dumps({**self.state, **values})

    def remember(self, **fields) -> None:
        """Change the user's stored state."""
        self.user_changes.update(fields)

    def record(self, direction: str, author: str, kind: str, text: str | None, **understanding) -> None:
        """Add a message to the user's conversation log."""
        self.log.append({"direction": direction, "author": author, "kind": kind, "text": text,
                         **understanding})


def _summary(message: dict) -> str | None:
    return message.get("text") or message.get("altText")


class Dialogue:
    """Routes each event to the right answer; receives the turn as its only way to act."""

    def __init__(self, engine, catalogs: Catalogs, facts: dict[str, str], hours: Hours | None = None,
                 checker: Checker | None = None, sos_radius_m: int = 1000,
                 clock: Callable[[], datetime] = lambda: datetime.now(JST)):
        self.engine = engine
        self.checker = checker
        self.sos_radius_m = sos_radius_m
        self.catalogs = catalogs
        self.facts = facts
        self.hours = hours
        self.clock = clock
        self._back_to_bot = {fold(self.catalogs(language.tag).gettext(BACK_TO_BOT))
                             for language in LANGUAGES} | {fold(word) for word in BACK_TO_BOT_WORDS}

    def replies(self, language: str) -> Replies:
        """Message builders for one language."""
        return Replies(self.catalogs(language), self.engine.intents, self.facts, language)

    def say(self, turn: Turn, language: str, build: Callable[[Replies], list[dict]]) -> None:
        """Reply with what `build` makes in `language`, keeping a Japanese version for staff."""
        messages = build(self.replies(language))
        hints = None if same_language(language, DEFAULT_LANGUAGE) else build(self.replies(DEFAULT_LANGUAGE))
        turn.reply(messages, hints)

    def handle(self, event, turn: Turn) -> None:
        """Act on one webhook event."""
        if isinstance(event, UnfollowEvent):
            turn.remember(blocked=1)
            return
        if isinstance(event, FollowEvent):
            self._follow(turn)
            return
        if not isinstance(event.source, UserSource):
            if isinstance(event, JoinEvent) or (isinstance(event, MessageEvent) and turn.user is None):
                turn.remember(language=DEFAULT_LANGUAGE)
                self.say(turn, DEFAULT_LANGUAGE, Replies.one_to_one_only)
            return
        if isinstance(event, PostbackEvent):
            self._postback(event.postback.data, turn)
        elif isinstance(event, MessageEvent):
            self._message(event.message, turn)

    def _follow(self, turn: Turn) -> None:
        language = (turn.user or {}).get("language") if (turn.user or {}).get("language_chosen") else None
        language = language or supported_language(turn.profile_language()) or DEFAULT_LANGUAGE
        turn.remember(blocked=0, language=language)
        turn.record("in", "resident", "follow", None)
        self.say(turn, language, Replies.greeting)

    def _postback(self, data: str, turn: Turn) -> None:
        params = {key: values[0] for key, values in parse_qs(data).items()}
        action = params.get("a")
        turn.record("in", "resident", "postback", data)
        if action == "bot" and turn.case:
            turn.case_closed_by_resident = True
            self.say(turn, turn.language, Replies.back_to_bot)
        elif turn.case:
            return
        elif action == "lang" and params.get("l") in BY_TAG:
            turn.remember(language=params["l"], language_chosen=1)
            self.say(turn, params["l"], Replies.language_set)
        elif action == "languages":
            self.say(turn, turn.language, lambda r: [r.language_picker()])
        elif action == "topic" and params.get("i") in self.engine.intents:
            self._topic(params["i"], turn.language, turn)
        else:
            self.say(turn, turn.language, Replies.menu)

    def _message(self, message, turn: Turn) -> None:
        if isinstance(message, TextMessageContent):
            self._text(message.text, turn)
            return
        if isinstance(message, LocationMessageContent):
            turn.record("in", "resident", "location", f"{message.latitude},{message.longitude}")
        else:
            turn.record("in", "resident", message.type, None)
        if turn.case:
            return
        if isinstance(message, LocationMessageContent):
            turn.remember_state(awaiting_place=False)
            matches = turn.houses_near(message.latitude, message.longitude)
            self.say(turn, turn.language, lambda r: r.safe_houses_near(matches, self.sos_radius_m))
        elif isinstance(message, ImageMessageContent) and self.checker:
            self._check_image(message.id, turn)
        else:
            self.say(turn, turn.language, Replies.please_type)

    def _text(self, text: str, turn: Turn) -> None:
        understood = self.engine.classify(text)
        turn.record("in", "resident", "text", text, intent=understood.intent, lang=understood.lang,
                    score=understood.score, escalate=int(understood.escalate))
        if turn.case:
            self._during_handoff(text, understood, turn)
            return
        if not understood.escalate and (understood.intent == "sos_house.find" or turn.state.get("awaiting_place")):
            found = turn.houses_in_area(text)
            if found is not None:
                turn.remember_state(awaiting_place=False)
                self.say(turn, turn.language, lambda r: r.safe_houses_in(found.area, found.matches))
                return
        if not understood.escalate and self.checker and (
                looks_pasted(text) or turn.state.get("awaiting_check")):
            # A pasted SMS is in the sender's language, not the resident's: explain it in theirs.
            self._check_text(text, turn.language, turn)
            return
        language, switch_to = turn.language, None
        if (not same_language(understood.lang, language) and len(text.strip()) >= CLEAR_MESSAGE
                and understood.lang in BY_TAG):
            language = switch_to = understood.lang
        if understood.escalate:
            self._escalate(understood, language, turn)
        else:
            self._topic(understood.intent, language, turn, switch_to)

    def _check_text(self, text: str, language: str, turn: Turn) -> None:
        """Read a pasted message the way a counsellor would and say how risky it looks, and why."""
        verdict = self.checker.check(text)
        domains, numbers = self.checker.subjects(text)
        turn.checked = {"risk": verdict.risk, "domains": domains, "numbers": numbers}
        turn.remember_state(awaiting_check=False)
        self.say(turn, language, lambda r: r.verdict(verdict))

    def _check_image(self, message_id: str, turn: Turn) -> None:
        content = turn.fetch_content(message_id)
        if content is None:
            self.say(turn, turn.language, Replies.please_type)
            return
        verdict = check_image(content, self.checker, user_lang=turn.language)
        if verdict.readable:
            domains, numbers = self.checker.subjects(verdict.text)
            turn.checked = {"risk": verdict.risk, "domains": domains, "numbers": numbers}
        self.say(turn, turn.language, lambda r: r.verdict(verdict))

    def _during_handoff(self, text: str, understood, turn: Turn) -> None:
        """A consultant has the thread: the bot stays quiet, except for danger and a wish to leave."""
        if fold(text) in self._back_to_bot:
            turn.case_closed_by_resident = True
            self.say(turn, turn.language, Replies.back_to_bot)
        elif understood.severity == "emergency":
            turn.escalate("emergency", understood.intent, understood.lang)
            self.say(turn, turn.language, lambda r: [r.emergency_note()])

    def _escalate(self, understood, language: str, turn: Turn) -> None:
        turn.escalate(understood.severity or "normal", understood.intent, understood.lang)
        now = self.clock()
        open_now = self.hours is None or self.hours.is_open(now)
        back_at = None if open_now else self.hours.next_opening(now)

        def build(replies: Replies) -> list[dict]:
            messages = [replies.emergency_note(), replies.handoff(back_at)]
            if understood.intent not in ("none", "human", "menu", "greeting", "thanks", "language.change"):
                messages.append(replies.answer(understood.intent)[0])
            return messages

        self.say(turn, language, build)

    def _topic(self, intent_id: str, language: str, turn: Turn, switch_to: str | None = None) -> None:
        if intent_id == "none":
            self.say(turn, language, Replies.not_understood)
        elif intent_id in ("menu", "greeting") and not switch_to:
            self.say(turn, language, Replies.menu)
        elif intent_id == "language.change":
            self.say(turn, language, lambda r: [r.language_picker()])
        else:
            if intent_id == "scam.check":
                turn.remember_state(awaiting_check=True)
            if intent_id == "sos_house.find":
                turn.remember_state(awaiting_place=True)
            self.say(turn, language, lambda r: r.answer(intent_id, switch_to))
