"""Building blocks of LINE messages: text, quick replies, postback data, within LINE's limits."""
from __future__ import annotations

from urllib.parse import urlencode

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
