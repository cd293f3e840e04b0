"""Delivery of stored outgoing messages: reply while the token is fresh, else push, with retries."""
from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

from .line_api import TIMEOUT, LineApi, Outcome
from .store import PUSH_PAUSED_UNTIL, Store

log = logging.getLogger(__name__)

REPLY_TOKEN_LIFETIME = 50.0  # LINE keeps a token about a minute; leave room for the call itself
RETRY_KEY_LIFETIME = 24 * 3600.0  # LINE remembers a retry key for 24 hours
MAX_BACKOFF = 300.0
MONTHLY_LIMIT = "monthly limit"
JST = timezone(timedelta(hours=9))


def backoff(attempts: int) -> float:
    """Seconds to wait before attempt number `attempts + 1`: 1, 2, 4 … up to five minutes."""
    return min(MAX_BACKOFF, 2.0 ** max(0, attempts - 1))


def next_month_start(now: float) -> float:
    """Epoch seconds of the first day of next month in Japan, when LINE's monthly quota resets."""
    today = datetime.fromtimestamp(now, JST)
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1, hour=0, minute=0, second=0,
                                                                microsecond=0)
    return first.timestamp()


def post_json(url: str, payload: dict) -> Outcome:
    """POST a JSON payload to a staff webhook, with a timeout; never raises for HTTP or network errors."""
    request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT[1]) as answer:
            return Outcome(answer.status)
    except urllib.error.HTTPError as error:
        return Outcome(error.code, error.reason)
    except OSError as error:
        return Outcome(0, type(error).__name__)


class Deliverer:
    """Sends one claimed outbox row and records what became of it."""

    def __init__(self, store: Store, api: LineApi, backoff_scale: float = 1.0):
        self.store = store
        self.api = api
        self.backoff_scale = backoff_scale

    def deliver(self, row: dict) -> None:
        """Send the row by reply or push and store the outcome (sent, retry later, or failed)."""
        messages = json.loads(row["messages"])
        now = time.time()
        if row["channel"] == "webhook":
            self._settle(row, post_json(row["lane"], messages[0]))
            return
        if row["reply_token"] and now < (row["reply_until"] or 0):
            outcome = self.api.reply(row["reply_token"], messages)
            if outcome.ok:
                self.store.mark_sent(row["id"])
                return
            if not (outcome.status == 400 and "reply token" in outcome.message.lower()):
                self._settle(row, outcome)
                return
            log.info("outbox %s: reply token refused, pushing instead", row["id"])
        if row["reply_token"]:
            self.store.drop_reply_token(row["id"])
        self._push(row, messages, now)

    def _push(self, row: dict, messages: list[dict], now: float) -> None:
        user = self.store.user(row["lane"])
        if user and user["blocked"]:
            self.store.mark_failed(row["id"], "the user has blocked the account")
            return
        paused_until = float(self.store.setting(PUSH_PAUSED_UNTIL) or 0)
        if now < paused_until:
            self.store.retry_later(row["id"], paused_until, "monthly push quota reached")
            return
        self._settle(row, self.api.push(row["lane"], messages, row["retry_key"]))

    def _settle(self, row: dict, outcome: Outcome) -> None:
        now = time.time()
        if outcome.ok or outcome.status == 409:  # 409: LINE already accepted this retry key
            self.store.mark_sent(row["id"])
        elif outcome.status == 429 and MONTHLY_LIMIT in outcome.message.lower():
            until = next_month_start(now)
            self.store.set_setting(PUSH_PAUSED_UNTIL, str(until))
            log.error("ALERT: LINE monthly message quota reached; pushes paused until %s",
                      datetime.fromtimestamp(until, JST).isoformat())
            self.store.retry_later(row["id"], until, outcome.message)
        elif outcome.status in (0, 429) or outcome.status >= 500:
            if now - row["created_at"] > RETRY_KEY_LIFETIME:
                self.store.mark_failed(row["id"], f"gave up after 24 h: {outcome.message}")
            else:
                self.store.retry_later(row["id"], now + self.backoff_scale * backoff(row["attempts"]),
                                       f"{outcome.status or 'no answer'}: {outcome.message}")
        else:
            self.store.mark_failed(row["id"], f"{outcome.status}: {outcome.message}")
