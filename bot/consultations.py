"""What consultants do to a case: answer, resolve, reopen; each stored with its outgoing messages."""
from __future__ import annotations

from .dialogue import Dialogue
from .i18n import DEFAULT_LANGUAGE
from .line_messages import text
from .replies import Replies
from .store import Store


class Consultations:
    """Consultant actions; messages to the resident go out through the outbox, in their language."""

    def __init__(self, dialogue: Dialogue, wake_outbox):
        self.dialogue = dialogue
        self.wake_outbox = wake_outbox

    def _language(self, store: Store, user_id: str) -> str:
        return (store.user(user_id) or {}).get("language") or DEFAULT_LANGUAGE

    def reply(self, store: Store, case: dict, consultant: dict, typed: str = "", canned: str = "") -> int:
        """Send a typed or a canned reply to the case's resident; return the outbox id."""
        language = self._language(store, case["user_id"])
        if canned:
            message = self.dialogue.replies(language).canned(canned)
            hint = self.dialogue.replies(DEFAULT_LANGUAGE).canned(canned)["text"]
        else:
            message, hint = text(typed.strip()), None
        with store.atomic():
            outbox_id = store.enqueue(case["user_id"], [message], purpose="consultant")
            store.log_message(case["user_id"], "out", f"consultant:{consultant['name']}", "text",
                              message["text"], hint=hint, outbox_id=outbox_id)
            store.consultant_answered(case["id"])
        self.wake_outbox()
        return outbox_id

    def resolve(self, store: Store, case: dict) -> None:
        """Close the case and hand the resident back to the bot with a closing message."""
        with store.atomic():
            store.close_case(case["id"])
            self._bot_says(store, case["user_id"], Replies.case_closed)
        self.wake_outbox()

    def _bot_says(self, store: Store, user_id: str, build) -> None:
        language = self._language(store, user_id)
        messages = build(self.dialogue.replies(language))
        hints = build(self.dialogue.replies(DEFAULT_LANGUAGE))
        outbox_id = store.enqueue(user_id, messages, purpose="consultant")
        for message, hint in zip(messages, hints):
            store.log_message(user_id, "out", "bot", message["type"], message.get("text"),
                              hint=hint.get("text"), outbox_id=outbox_id)
