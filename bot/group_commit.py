"""Group commit of webhook events: the requests of one process that wait together share one commit."""
from __future__ import annotations

import threading

from .store import Store, connect


class CommitFailed(Exception):
    """The commit that carried a request's events failed; its cause says why."""


class _Waiting:
    """One request's rows, and how their commit went."""

    __slots__ = ("rows", "received_at", "done", "error")

    def __init__(self, rows: list[dict], received_at: float):
        self.rows = rows
        self.received_at = received_at
        self.done = False
        self.error: BaseException | None = None


class GroupCommit:
    """Store inbox rows durably for many request threads, one transaction and one fsync per turn."""

    def __init__(self, database: str):
        self._database = database
        self._store: Store | None = None
        self._queue: list[_Waiting] = []
        self._queue_lock = threading.Lock()
        self._turn = threading.Lock()

    def ingest(self, rows: list[dict], received_at: float) -> None:
        """Return once `rows` are on disk; raise what the commit raised if it failed."""
        waiting = _Waiting(rows, received_at)
        with self._queue_lock:
            self._queue.append(waiting)
        # Whoever gets the turn commits everything queued by then, so requests that queued during one
        # commit (its fsync is most of it) all go out in the next; a request finds its rows already
        # committed by another's turn and returns at once.
        with self._turn:
            if not waiting.done:
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._commit(batch)
        if waiting.error is not None:
            raise CommitFailed("the webhook's events could not be stored") from waiting.error

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
