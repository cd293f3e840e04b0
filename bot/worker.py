"""The worker: drains the inbox through the dialogue into the outbox, and sends the outbox."""
from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from contextlib import contextmanager

from linebot.v3.webhooks import Event

from .dialogue import Dialogue, Turn
from .notify import Notifier
from .outbox import REPLY_TOKEN_LIFETIME, Deliverer
from .privacy import pseudonym
from .safehouses import find_by_area, find_near
from .scamcheck import LocalLists
from .store import LOCAL_LISTS_VERSION, Store, connect

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
IDLE_POLL = 0.2  # seconds between looks at the tables when nothing woke us (other processes' work)


class Traffic:
    """Webhook requests in flight in this process: worker threads give way to them.

    The inbox makes acknowledging cheap and processing deferrable, so under a burst the 200s to LINE
    come first and the backlog is worked off in the gaps (or after at most `PATIENCE` seconds).
    """

    QUIET = 0.005
    PATIENCE = 1.0

    def __init__(self):
        self._in_flight = 0
        self._last = 0.0
        self._lock = threading.Lock()
        self._quiet = threading.Condition(self._lock)

    @contextmanager
    def request(self):
        """Mark a webhook request as being served."""
        with self._lock:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1
                self._last = time.monotonic()
                if not self._in_flight:
                    self._quiet.notify_all()

    def give_way(self) -> None:
        """Wait while requests are being served, up to PATIENCE seconds."""
        # Woken by the end of the last request in flight rather than polling: under a burst a poll would
        # take the GIL from the requests hundreds of times a second only to find them still coming.
        deadline = time.monotonic() + self.PATIENCE
        with self._lock:
            while (now := time.monotonic()) < deadline:
                if self._in_flight:
                    self._quiet.wait(deadline - now)
                elif now - self._last < self.QUIET:
                    self._quiet.wait(min(self._last + self.QUIET, deadline) - now)
                else:
                    return


class LostClaim(Exception):
    """Another worker took over the event while this one was working on it."""


def parse_event(body: dict):
    """Parse a raw webhook event with the SDK; None for an event type the SDK does not know."""
    if Event.get_discriminator_value(body) is None:
        return None
    return Event.from_dict(body)


class Worker:
    """Processes stored events and sends stored messages; safe to run in several processes at once."""

    def __init__(self, database: str, dialogue: Dialogue, api_factory, notifier: Notifier,
                 lease: float = 30.0, backoff_scale: float = 1.0):
        self.id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.database = database
        self.dialogue = dialogue
        self.api_factory = api_factory
        self.notifier = notifier
        self.lease = lease
        self.backoff_scale = backoff_scale
        self._inbox_wake = threading.Event()
        self._outbox_wake = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self.traffic = Traffic()
        self._local_lists_version: str | None = None

    def wake(self) -> None:
        """Tell the worker new events are waiting."""
        self._inbox_wake.set()

    def wake_outbox(self) -> None:
        """Tell the worker new messages are waiting to be sent."""
        self._outbox_wake.set()

    def start(self) -> "Worker":
        """Run the inbox and outbox loops in background threads."""
        self._threads = [threading.Thread(target=loop, name=name, daemon=True) for name, loop in
                         (("mamoru-inbox", self._inbox_loop), ("mamoru-outbox", self._outbox_loop))]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Finish the current step and stop the loops."""
        self._stopping.set()
        self._inbox_wake.set()
        self._outbox_wake.set()
        for thread in self._threads:
            thread.join(timeout=15)

    def run_forever(self) -> None:
        """Run both loops until interrupted (the `mamoru worker` process)."""
        self.start()
        try:
            while not self._stopping.wait(1):
                pass
        except KeyboardInterrupt:
            self.stop()

    def run_until_idle(self, timeout: float = 10.0) -> None:
        """Drain and send in this thread until nothing is left or due (tests and tools)."""
        store, api = Store(connect(self.database)), self.api_factory()
        deliverer = Deliverer(store, api, self.backoff_scale)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                worked = self.drain_lane(store)
                while (row := store.claim_outgoing(self.id, self.lease)) is not None:
                    deliverer.deliver(row)
                    worked = True
                if not worked:
                    if not store.outbox_counts().get("queued"):
                        return
                    time.sleep(0.01)
        finally:
            api.close()
            store.close()

    def drain_lane(self, store: Store) -> bool:
        """Claim one lane's waiting events and process them in order; False when none waited."""
        rows = store.claim_lane(self.id, self.lease)
        if rows:
            self._refresh_local_lists(store)
        for number, row in enumerate(rows):
            if number:
                self.traffic.give_way()
            self._process(store, row)
        return bool(rows)

    def _refresh_local_lists(self, store: Store) -> None:
        """Reload the scam check's lists when consultants changed them (in any process)."""
        version = store.setting(LOCAL_LISTS_VERSION)
        if version != self._local_lists_version and self.dialogue.checker is not None:
            self.dialogue.checker = self.dialogue.checker.with_local(LocalLists(**store.local_lists()))
            self._local_lists_version = version

    def _inbox_loop(self) -> None:
        store, api = Store(connect(self.database)), self.api_factory()
        try:
            while not self._stopping.is_set():
                self.traffic.give_way()
                try:
                    worked = self.drain_lane(store)
                except Exception:
                    log.exception("inbox loop")
                    worked = False
                if worked:
                    self._outbox_wake.set()
                else:
                    self._inbox_wake.wait(IDLE_POLL)
                    self._inbox_wake.clear()
        finally:
            api.close()
            store.close()

    def _outbox_loop(self) -> None:
        store, api = Store(connect(self.database)), self.api_factory()
        deliverer = Deliverer(store, api, self.backoff_scale)
        try:
            while not self._stopping.is_set():
                self.traffic.give_way()
                try:
                    row = store.claim_outgoing(self.id, self.lease)
                    if row is not None:
                        deliverer.deliver(row)
                        continue
                except Exception:
                    log.exception("outbox loop")
                self._outbox_wake.wait(IDLE_POLL)
                self._outbox_wake.clear()
        finally:
            api.close()
            store.close()

    def _process(self, store: Store, row: dict) -> None:
        try:
            event = parse_event(json.loads(row["body"]))
        except ValueError as error:  # pydantic's ValidationError is a ValueError
            log.warning("event %s is malformed: %s", row["event_id"], str(error).splitlines()[0])
            store.finish_event(row["event_id"], self.id, "malformed", str(error)[:2000])
            return
        if event is None:
            store.finish_event(row["event_id"], self.id, "skipped", "unknown event type")
            return
        if event.mode != "active":
            store.finish_event(row["event_id"], self.id, "skipped", f"{event.mode} mode")
            return
        try:
            turn = Turn(
                lane=row["lane"], user=store.user(row["lane"]), case=store.open_case_of(row["lane"]),
                reply_token=getattr(event, "reply_token", None),
                profile_language=lambda: self._ask_line(lambda api: api.profile_language(row["lane"])),
                fetch_content=lambda message_id: self._ask_line(lambda api: api.content(message_id)),
                houses_near=lambda latitude, longitude: find_near(store.db, latitude, longitude,
                                                                  self.dialogue.sos_radius_m),
                houses_in_area=lambda text: find_by_area(store.db, text),
            )
            self.dialogue.handle(event, turn)
            self._commit(store, row, turn)
        except LostClaim:
            log.info("event %s was taken over by another worker", row["event_id"])
        except Exception as error:
            log.exception("event %s (%s) failed", row["event_id"], pseudonym(row["lane"]))
            if row["attempts"] >= MAX_ATTEMPTS:
                store.finish_event(row["event_id"], self.id, "failed", repr(error)[:2000])
            else:
                store.release_event(row["event_id"], self.id, repr(error)[:2000])

    def _commit(self, store: Store, row: dict, turn: Turn) -> None:
        """Write everything the turn decided, and close the event, in one transaction."""
        with store.atomic():
            if not store.finish_event(row["event_id"], self.id, "done"):
                raise LostClaim(row["event_id"])
            if turn.user_changes:
                store.save_user(turn.user_id, **turn.user_changes)
            outbox_id = None
            if turn.replies:
                outbox_id = store.enqueue(row["lane"], turn.replies, purpose="answer", event_id=row["event_id"],
                                          reply_token=turn.reply_token,
                                          reply_until=row["received_at"] + REPLY_TOKEN_LIFETIME)
            for entry in turn.log:
                store.log_message(turn.user_id, event_id=row["event_id"],
                                  outbox_id=outbox_id if entry["direction"] == "out" else None, **entry)
            self._record_case(store, turn)

    def _record_case(self, store: Store, turn: Turn) -> None:
        if turn.escalation:
            case_id, changed = store.escalate(turn.user_id, **turn.escalation)
            if changed:
                said = next((e["text"] for e in turn.log if e["direction"] == "in"), None)
                self.notifier.case_changed(store, case_id, text=said, **turn.escalation)
        elif turn.case and any(entry["direction"] == "in" for entry in turn.log):
            store.resident_wrote(turn.case["id"])
        if turn.case and turn.case_closed_by_resident:
            store.close_case(turn.case["id"], "returned")
        if turn.checked:
            store.record_checked("domain", turn.checked["domains"], turn.checked["risk"])
            store.record_checked("number", turn.checked["numbers"], turn.checked["risk"])

    def _ask_line(self, call):
        api = self.api_factory()
        try:
            return call(api)
        finally:
            api.close()
