"""The dialogue: what the bot does with each event, given the user's state."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qs

from linebot.v3.webhooks import (
    FollowEvent,
    JoinEvent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
)

from .i18n import BY_TAG, DEFAULT_LANGUAGE, Catalogs, same_language, supported_language
from .replies import Replies

MAX_MESSAGES = 5  # LINE accepts at most five messages per reply or push
CLEAR_MESSAGE = 12  # characters from which a message in another language is taken as a wish to use it


@dataclass
class Turn:
    """One event's view of the user and everything the dialogue decides; stored in one transaction."""

    lane: str
    user: dict | None
    reply_token: str | None
    profile_language: Callable[[], str | None]
    replies: list[dict] = field(default_factory=list)
    user_changes: dict = field(default_factory=dict)
    log: list[dict] = field(default_factory=list)

    @property
    def user_id(self) -> str:
        """The LINE id of the user, group or room this turn talks to."""
        return self.lane

    @property
    def language(self) -> str:
        """The language the user reads, as far as we know it."""
        return (self.user_changes.get("language") or (self.user or {}).get("language")
                or DEFAULT_LANGUAGE)

    def reply(self, messages: list[dict]) -> None:
        """Queue messages for the user (stored in the outbox with the event)."""
        if len(self.replies) + len(messages) > MAX_MESSAGES:
            raise ValueError("LINE takes at most five messages per reply")
        self.replies.extend(messages)
        for message in messages:
            self.record("out", "bot", message["type"], message.get("text") or message.get("altText"))

    def remember(self, **fields) -> None:
        """Change the user's stored state."""
        self.user_changes.update(fields)

    def record(self, direction: str, author: str, kind: str, text: str | None, **understanding) -> None:
        """Add a message to the user's conversation log."""
        self.log.append({"direction": direction, "author": author, "kind": kind, "text": text,
                         **understanding})


class Dialogue:
    """Routes each event to the right answer; receives the turn as its only way to act."""

    def __init__(self, engine, catalogs: Catalogs, facts: dict[str, str]):
        self.engine = engine
        self.catalogs = catalogs
        self.facts = facts

    def replies(self, language: str) -> Replies:
        """Message builders for one language."""
        return Replies(self.catalogs(language), self.engine.intents, self.facts)

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
                turn.reply(self.replies(DEFAULT_LANGUAGE).one_to_one_only())
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
        turn.reply(self.replies(language).greeting())

    def _postback(self, data: str, turn: Turn) -> None:
        params = {key: values[0] for key, values in parse_qs(data).items()}
        action = params.get("a")
        turn.record("in", "resident", "postback", data)
        if action == "lang" and params.get("l") in BY_TAG:
            turn.remember(language=params["l"], language_chosen=1)
            turn.reply(self.replies(params["l"]).language_set())
        elif action == "languages":
            turn.reply([self.replies(turn.language).language_picker()])
        elif action == "topic" and params.get("i") in self.engine.intents:
            self._topic(params["i"], turn.language, turn)
        else:
            turn.reply(self.replies(turn.language).menu())

    def _message(self, message, turn: Turn) -> None:
        replies = self.replies(turn.language)
        if isinstance(message, TextMessageContent):
            self._text(message.text, turn)
        elif isinstance(message, LocationMessageContent):
            turn.record("in", "resident", "location", f"{message.latitude},{message.longitude}")
            turn.reply(replies.location_received())
        else:
            turn.record("in", "resident", message.type, None)
            turn.reply(replies.please_type())

    def _text(self, text: str, turn: Turn) -> None:
        understood = self.engine.classify(text)
        turn.record("in", "resident", "text", text, intent=understood.intent, lang=understood.lang,
                    score=understood.score, escalate=int(understood.escalate))
        language, switch_to = turn.language, None
        if (not same_language(understood.lang, language) and len(text.strip()) >= CLEAR_MESSAGE
                and understood.lang in BY_TAG):
            language = switch_to = understood.lang
        replies = self.replies(language)
        if understood.escalate:
            turn.reply([replies.emergency_note()])
        self._topic(understood.intent, language, turn, switch_to)

    def _topic(self, intent_id: str, language: str, turn: Turn, switch_to: str | None = None) -> None:
        replies = self.replies(language)
        if intent_id == "none":
            turn.reply(replies.not_understood())
        elif intent_id in ("menu", "greeting") and not switch_to:
            turn.reply(replies.menu())
        elif intent_id == "language.change":
            turn.reply([replies.language_picker()])
        else:
            turn.reply(replies.answer(intent_id, switch_to))
