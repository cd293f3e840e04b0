"""LINE messages that answer a scam check: risk, top reasons, what to do, and a share button."""
from __future__ import annotations

from urllib.parse import quote

from .verdict import Verdict

SHARE_URI = "https://line.me/R/share?text="
MAX_TEXT = 5000
MAX_ALT_TEXT = 400
MAX_TEMPLATE_TEXT = 160
MAX_LABEL = 20
MAX_URI = 1000


def verdict_messages(tr, verdict: Verdict) -> list[dict]:
    """One to two LINE messages for a verdict: the explanation, then (for a warning) a share button."""
    if not verdict.readable:
        return [_text(tr.gettext("I could not read any text in this image. Please paste the text of the message, "
                                 "or send a sharper screenshot."))]
    lines = [_headline(tr, verdict.risk)]
    reasons = verdict.reasons(tr) if verdict.risk != "low" else []
    if reasons:
        lines += ["", tr.gettext("Warning signs:")] + [f"• {reason}" for reason in reasons]
    lines += ["", tr.gettext("What to do now:"), verdict.advice(tr)]
    if verdict.risk == "high":
        lines += ["", tr.gettext("If a caller is waiting or someone is coming to collect money or a card, call 110 now.")]
    messages = [_text("\n".join(lines))]
    if verdict.risk != "low":
        messages.append(_share_button(tr, reasons[0] if reasons else ""))
    return messages


def _headline(tr, risk: str) -> str:
    if risk == "high":
        return tr.gettext("⚠️ High risk: this looks like a scam.")
    if risk == "medium":
        return tr.gettext("⚠️ Caution: this message has warning signs of a scam.")
    return tr.gettext("No warning signs found. That does not mean it is safe.")


def _share_button(tr, reason: str) -> dict:
    template = tr.gettext("Scam warning from Mamoru: I received a message with signs of a scam ({reason}). Never pay, "
                          "tap links or give cards, PINs or codes because of such a message. "
                          "Unsure? Call #9110 (police) or 188.")
    # LINE rejects longer action URIs, and percent-encoded Japanese grows ninefold: give up the reason
    # before cutting into the advice and the numbers.
    uri = _encoded(template.format(reason=reason.rstrip(".。")))
    if len(uri) > MAX_URI:
        uri = _share_uri(template.format(reason="…"))
    prompt = tr.gettext("Share this warning with your family and friends?")
    label = tr.gettext("Share with family")
    return {
        "type": "template",
        "altText": prompt[:MAX_ALT_TEXT],
        "template": {"type": "buttons", "text": prompt[:MAX_TEMPLATE_TEXT],
                     "actions": [{"type": "uri", "label": label[:MAX_LABEL], "uri": uri}]},
    }


def _encoded(warning: str) -> str:
    return SHARE_URI + quote(warning, safe="")


def _share_uri(warning: str) -> str:
    uri = _encoded(warning)
    while len(uri) > MAX_URI:
        warning = warning[:-10]
        uri = SHARE_URI + quote(warning + "…", safe="")
    return uri


def _text(body: str) -> dict:
    return {"type": "text", "text": body[:MAX_TEXT]}
