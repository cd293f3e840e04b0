"""The Messaging API client: the SDK with explicit timeouts, and outcomes the outbox can act on."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    Message,
    MessagingApi,
    MessagingApiBlob,
)
from urllib3.exceptions import HTTPError

TIMEOUT = (3.0, 10.0)  # connect, read: the SDK has no default and would wait forever


@dataclass(frozen=True)
class Outcome:
    """What LINE said to one call: `status` 0 means no answer (timeout, refused)."""

    status: int
    message: str = ""

    @property
    def ok(self) -> bool:
        """True when LINE accepted the call."""
        return 200 <= self.status < 300


class LineApi:
    """The calls the bot makes, each with a timeout, never raising for an HTTP or network failure."""

    def __init__(self, host: str, access_token: str, timeout: tuple[float, float] = TIMEOUT):
        self._client = ApiClient(Configuration(access_token=access_token, host=host.rstrip("/")))
        self._api = MessagingApi(self._client)
        self._blob = MessagingApiBlob(self._client)
        self._timeout = timeout

    def reply(self, reply_token: str, messages: list[dict]) -> Outcome:
        """Answer an event with its reply token."""
        return self._send("/v2/bot/message/reply", {"replyToken": reply_token, "messages": _checked(messages)})

    def push(self, to: str, messages: list[dict], retry_key: str) -> Outcome:
        """Push messages; the same retry key across retries lets LINE drop duplicates (409)."""
        return self._send("/v2/bot/message/push", {"to": to, "messages": _checked(messages)},
                          {"X-Line-Retry-Key": retry_key})

    def _send(self, path: str, body: dict, headers: dict | None = None) -> Outcome:
        # The messages were checked against the SDK's models (_checked); sending the checked dicts
        # themselves skips the SDK's model-to-dict round trip, which cost more than the rest of a turn.
        return self._call(self._client.call_api, path, "POST", body=body, auth_settings=["Bearer"],
                          header_params={"Content-Type": "application/json", "Accept": "application/json",
                                         **(headers or {})},
                          response_types_map={})

    def profile_language(self, user_id: str) -> str | None:
        """The user's LINE language (BCP 47), or None when LINE does not tell."""
        try:
            profile = self._api.get_profile(user_id, _request_timeout=self._timeout)
        except (ApiException, HTTPError):
            return None
        return profile.language

    def content(self, message_id: str) -> bytes | None:
        """The bytes of an image (or other file) a user sent, or None when LINE does not give them."""
        try:
            return bytes(self._blob.get_message_content(message_id, _request_timeout=self._timeout))
        except (ApiException, HTTPError):
            return None

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    def _call(self, method, *args, **kwargs) -> Outcome:
        try:
            method(*args, _request_timeout=self._timeout, **kwargs)
        except ApiException as error:
            return Outcome(error.status, _line_message(error.body))
        except HTTPError as error:
            return Outcome(0, type(error).__name__)
        return Outcome(200)


def _checked(messages: list[dict]) -> list[dict]:
    """The messages, once each has passed the SDK's schema (a ValueError names what is wrong)."""
    for message in messages:
        _check_message(json.dumps(message, sort_keys=True, ensure_ascii=False))
    return messages


@lru_cache(maxsize=2048)
def _check_message(message_json: str) -> None:
    # Menus, greetings and answers repeat word for word across residents: check each distinct one once.
    Message.from_json(message_json)


def _line_message(body) -> str:
    try:
        return json.loads(body).get("message", "")
    except (TypeError, ValueError, AttributeError):
        return str(body or "")[:200]
