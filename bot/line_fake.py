"""A fake LINE Messaging API: a real HTTP server on 127.0.0.1 for tests, benchmarks and the demo."""
from __future__ import annotations

import base64
import gc
import hashlib
import hmac
import json
import random
import re
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def sign_webhook(body: str, channel_secret: str) -> str:
    """The X-Line-Signature LINE sends with `body`: base64 HMAC-SHA256 keyed by the channel secret."""
    digest = hmac.new(channel_secret.encode(), body.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


FREEZE_EVERY = 1_000  # recorded requests between moving the log out of the garbage collector's way


@dataclass
class Failure:
    """One planned failure: answer `status` with `message` to the next `times` calls on `path`."""

    path: str
    status: int
    message: str
    times: int
    delay: float = 0.0


class FakeLineApi:
    """Serves the endpoints Mamoru uses, records every request, and fails on purpose when told to."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, seed: int = 0):
        self.requests: list[dict] = []
        self.delivered: list[dict] = []
        self.profiles: dict[str, dict] = {}
        self.contents: dict[str, bytes] = {}
        self.token_owners: dict[str, str] = {}
        self.failure_rate = 0.0
        self.delay = 0.0
        self._failures: list[Failure] = []
        self._used_tokens: set[str] = set()
        self._retry_keys: set[str] = set()
        self._random = random.Random(seed)
        self._changed = threading.Condition()
        self._server = _Server((host, port), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-line-api", daemon=True)

    @property
    def url(self) -> str:
        """Base URL to give the SDK as `Configuration(host=...)`."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeLineApi":
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()

    def fail(self, path: str, status: int = 500, message: str = "Internal server error", times: int = 1,
             delay: float = 0.0) -> None:
        """Make the next `times` calls whose path starts with `path` fail with `status`."""
        with self._changed:
            self._failures.append(Failure(path, status, message, times, delay))

    def issue_reply_token(self, user_id: str) -> str:
        """Create a reply token that belongs to `user_id`, as LINE does for each webhook event."""
        token = uuid.uuid4().hex
        with self._changed:
            self.token_owners[token] = user_id
        return token

    def expire_reply_token(self, token: str) -> None:
        """Make a reply token invalid, as LINE does about a minute after the event."""
        with self._changed:
            self._used_tokens.add(token)

    def messages_to(self, user_id: str) -> list[dict]:
        """Every message delivered to `user_id`, by reply or push, in order."""
        with self._changed:
            return [m for d in self.delivered if d["to"] == user_id for m in d["messages"]]

    def calls(self, path: str) -> list[dict]:
        """Recorded requests whose path starts with `path`."""
        with self._changed:
            return [r for r in self.requests if r["path"].startswith(path)]

    def wait_for(self, condition, timeout: float = 5.0) -> bool:
        """Wait until `condition(self)` holds after a request; return whether it did."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def reset(self) -> None:
        """Forget recorded requests, deliveries and planned failures."""
        with self._changed:
            self.requests.clear()
            self.delivered.clear()
            self._failures.clear()
            self.failure_rate = 0.0
            self.delay = 0.0

    # -- request handling (called from the server threads) -------------------

    def handle(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, object]:
        """Answer one request: (status, JSON-able body or raw bytes)."""
        try:
            payload = json.loads(body) if body and headers.get("content-type", "").startswith(
                "application/json") else None
        except ValueError:
            payload = None
        record = {"method": method, "path": path, "headers": headers, "json": payload, "at": time.time()}
        with self._changed:
            self.requests.append(record)
            if len(self.requests) % FREEZE_EVERY == 0:
                # The log only grows: leaving it to the collector makes every full pass walk all of it
                # (325 ms at 100 000 requests, seen as a stall of every call in the benchmark).
                gc.freeze()
            failure = self._planned_failure(path)
            self._changed.notify_all()
        delay = failure.delay if failure else self.delay
        if delay:
            time.sleep(delay)
        if failure:
            return failure.status, {"message": failure.message}
        with self._changed:
            answer = self._route(method, path, headers, payload, body)
            self._changed.notify_all()
        return answer

    def _planned_failure(self, path: str) -> Failure | None:
        for failure in self._failures:
            if path.startswith(failure.path) and failure.times > 0:
                failure.times -= 1
                return failure
        if self.failure_rate and path.startswith("/v2/bot/message/") and \
                self._random.random() < self.failure_rate:
            return Failure(path, 500, "Internal server error", 1)
        return None

    def _route(self, method, path, headers, payload, body):
        if path == "/fake/log":
            return 200, {"requests": [{"path": r["path"], "at": r["at"], "json": r["json"],
                                       "retry_key": r["headers"].get("x-line-retry-key")}
                                      for r in self.requests if not r["path"].startswith("/fake/")],
                         "delivered": self.delivered}
        if method == "POST" and path == "/fake/config":
            self.failure_rate = float(payload.get("failure_rate", self.failure_rate))
            self.delay = float(payload.get("delay", self.delay))
            return 200, {}
        if method == "POST" and path.startswith("/v2/bot/message/") and not (
                isinstance(payload, dict) and isinstance(payload.get("messages"), list)):
            # LINE's own answer to a body it cannot read; a request thread that crashed instead would
            # leave the caller with a dropped connection.
            return 400, {"message": "The request body has 1 error(s)"}
        if method == "POST" and path == "/v2/bot/message/reply":
            token = payload.get("replyToken")
            if token in self._used_tokens:
                return 400, {"message": "Invalid reply token"}
            self._used_tokens.add(token)
            return self._deliver("reply", self.token_owners.get(token, ""), payload, token=token)
        if method == "POST" and path in ("/v2/bot/message/push", "/v2/bot/message/multicast"):
            key = headers.get("x-line-retry-key")
            if key and key in self._retry_keys:
                return 409, {"message": "The retry key is already accepted", "sentMessages": []}
            if key:
                self._retry_keys.add(key)
            recipients = payload["to"] if isinstance(payload["to"], list) else [payload["to"]]
            for to in recipients:
                answer = self._deliver(path.rsplit("/", 1)[1], to, payload, retry_key=key)
            return answer
        if method == "GET" and (match := re.fullmatch(r"/v2/bot/profile/([^/]+)", path)):
            profile = self.profiles.get(match[1])
            if profile is None:
                return 404, {"message": "Not found"}
            return 200, {"userId": match[1], "displayName": "Resident", **profile}
        if method == "GET" and (match := re.fullmatch(r"/v2/bot/message/([^/]+)/content", path)):
            content = self.contents.get(match[1])
            return (200, content) if content is not None else (404, {"message": "Not found"})
        if method == "POST" and path == "/v2/bot/richmenu":
            return 200, {"richMenuId": f"richmenu-{uuid.uuid4().hex}"}
        if method == "POST" and (path.startswith("/v2/bot/richmenu") or path.startswith("/v2/bot/user/")
                                 or path == "/v2/bot/chat/loading/start"):
            return 200, {}
        return 404, {"message": "Not found"}

    def _deliver(self, kind, to, payload, token=None, retry_key=None):
        self.delivered.append({"kind": kind, "to": to, "messages": payload["messages"],
                               "reply_token": token, "retry_key": retry_key, "at": time.time()})
        return 200, {"sentMessages": [{"id": uuid.uuid4().hex[:16]} for _ in payload["messages"]]}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A caller that hung up (it timed out, or its process was stopped) has nobody to tell.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(api: FakeLineApi):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self):
            super().setup()
            # Headers and body leave in two writes; without NODELAY, Nagle and delayed ACK add 40 ms.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, answer = api.handle(self.command, self.path.split("?")[0], headers, body)
            data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream" if isinstance(answer, bytes)
                             else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-line-request-id", uuid.uuid4().hex)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, format, *args):
            pass

    return Handler


class WebhookEvents:
    """Builds webhook events as LINE sends them, with reply tokens the fake API will honour."""

    def __init__(self, api: FakeLineApi):
        self.api = api
        self._clock = int(time.time() * 1000)

    def _event(self, type_: str, user: str, reply: bool = True, source: dict | None = None, **fields):
        # Strictly increasing timestamps keep the order of events built within one millisecond.
        self._clock = max(self._clock + 1, int(time.time() * 1000))
        event = {"type": type_, "mode": "active", "timestamp": self._clock,
                 "source": source or {"type": "user", "userId": user},
                 "webhookEventId": uuid.uuid4().hex.upper()[:26],
                 "deliveryContext": {"isRedelivery": False}, **fields}
        if reply:
            event["replyToken"] = self.api.issue_reply_token(user)
        return event

    def text(self, user: str, text: str, **fields) -> dict:
        """A text message (`source=` for a group or room)."""
        return self._event("message", user, message={
            "type": "text", "id": uuid.uuid4().hex[:16], "text": text, "quoteToken": uuid.uuid4().hex},
            **fields)

    def follow(self, user: str) -> dict:
        """A follow (add friend or unblock)."""
        return self._event("follow", user, follow={"isUnblocked": False})

    def unfollow(self, user: str) -> dict:
        """An unfollow (block): no reply token."""
        return self._event("unfollow", user, reply=False)

    def postback(self, user: str, data: str) -> dict:
        """A postback from a button."""
        return self._event("postback", user, postback={"data": data})

    def sticker(self, user: str) -> dict:
        """A sticker."""
        return self._event("message", user, message={
            "type": "sticker", "id": uuid.uuid4().hex[:16], "packageId": "446", "stickerId": "1988",
            "stickerResourceType": "STATIC", "quoteToken": uuid.uuid4().hex})

    def image(self, user: str, content: bytes) -> dict:
        """An image whose bytes the fake API will serve from its content endpoint."""
        message_id = uuid.uuid4().hex[:16]
        self.api.contents[message_id] = content
        return self._event("message", user, message={
            "type": "image", "id": message_id, "quoteToken": uuid.uuid4().hex,
            "contentProvider": {"type": "line"}})

    def location(self, user: str, latitude: float, longitude: float, title: str = "") -> dict:
        """A shared location."""
        return self._event("message", user, message={
            "type": "location", "id": uuid.uuid4().hex[:16], "title": title[:100], "address": title[:100],
            "latitude": latitude, "longitude": longitude})

    def in_group(self, user: str, group: str, text: str) -> dict:
        """A text message in a group chat."""
        return self.text(user, text, source={"type": "group", "groupId": group, "userId": user})

    def envelope(self, *events: dict) -> str:
        """The webhook body that carries the events."""
        return json.dumps({"destination": "Ubot", "events": list(events)}, ensure_ascii=False)


def main() -> None:
    """Serve the fake on 127.0.0.1 until interrupted: `python -m bot.line_fake [PORT]`."""
    api = FakeLineApi(port=int(sys.argv[1]) if len(sys.argv) > 1 else 0).start()
    print(api.url, flush=True)
    try:
        api._thread.join()
    except KeyboardInterrupt:
        api.stop()


if __name__ == "__main__":
    main()
