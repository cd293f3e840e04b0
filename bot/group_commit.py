"""Group commit of webhook events: the requests of one process that wait together share one commit."""
from __future__ import annotations

import threading

from .store import Store, connect


class CommitFailed(Exception):
    """The commit that carried a request's events failed; its cause says why."""


class _Waiting:
    """One request's rows, how their commit went, and the gate its thread waits at."""

    __slots__ = ("rows", "received_at", "done", "error", "gate")

    def __init__(self, rows: list[dict], received_at: float):
        self.rows = rows
        self.received_at = received_at
        self.done = False
        self.error: BaseException | None = None
        self.gate = threading.Lock()
        self.gate.acquire()


class GroupCommit:
    """Store inbox rows durably for many request threads, one transaction and one fsync per turn.

    The requests queue up; the first in the queue leads: it commits the rows of everyone queued by
    then, opens the gates of those it committed for, and hands the lead to the first one still waiting.
    Each thread thus wakes at most once, and only when there is something for it to do.
    """

    def __init__(self, database: str):
        self._database = database
        self._store: Store | None = None
        self._queue: list[_Waiting] = []
        self._lock = threading.Lock()

    def ingest(self, rows: list[dict], received_at: float) -> None:
        """Return once `rows` are on disk; raise what the commit raised if it failed."""
        waiting = _Waiting(rows, received_at)
        with self._lock:
            self._queue.append(waiting)
            leads = len(self._queue) == 1
        if not leads:
            waiting.gate.acquire()
        if not waiting.done:
            self._lead()
        if waiting.error is not None:
            raise CommitFailed("the webhook's events could not be stored") from waiting.error

    def _lead(self) -> None:
        with self._lock:
            batch = list(self._queue)
        self._commit(batch)
        with self._lock:
            del self._queue[:len(batch)]
            successor = self._queue[0] if self._queue else None
        if successor is not None:
            successor.gate.release()
        for waiting in batch[1:]:
            waiting.gate.release()

    def _commit(self, batch: list[_Waiting]) -> None:
        # Whatever goes wrong (even an interrupt) must fail every request of the batch: a request marked
        # done without an error answers 200 for events that are not on disk.
        try:
            if self._store is None:
                self._store = Store(connect(self._database))
            # The earliest arrival stands for the batch: a reply token's deadline counts from it, so it
            # may only come early.
            self._store.ingest([row for waiting in batch for row in waiting.rows],
                               min(waiting.received_at for waiting in batch))
        except BaseException as error:
            for waiting in batch:
                waiting.error = error
        finally:
            for waiting in batch:
                waiting.done = True
