"""Staff notifications about new or escalated cases, sent through the outbox."""
from __future__ import annotations

import json

from .store import Store


class Notifier:
    """Queues a LINE push to the staff group and a JSON POST to a webhook, as configured."""

    def __init__(self, staff_tr, line_to: str | None = None, webhook_url: str | None = None,
                 include_text: bool = False, public_url: str = ""):
        self.tr = staff_tr
        self.line_to = line_to
        self.webhook_url = webhook_url
        self.include_text = include_text
        self.public_url = public_url.rstrip("/")

    def case_changed(self, store: Store, case_id: int, severity: str, lang: str, intent: str,
                     text: str | None) -> None:
        """Tell staff that case `case_id` is new or more severe (no resident text unless configured)."""
        link = f"{self.public_url}/console/cases/{case_id}"
        if self.line_to:
            body = self.tr.gettext("Mamoru: case #{case} needs a consultant ({severity}, {lang}, {intent}). "
                                   "{link}").format(case=case_id, severity=severity, lang=lang, intent=intent,
                                                    link=link)
            if self.include_text and text:
                body += "\n" + text[:500]
            store.enqueue(self.line_to, [{"type": "text", "text": body}], purpose="notify")
        if self.webhook_url:
            payload = {"event": "case.escalated", "case": case_id, "severity": severity, "lang": lang,
                       "intent": intent, "url": link}
            if self.include_text and text:
                payload["text"] = text
            store.enqueue(self.webhook_url, [payload], purpose="notify", channel="webhook")
