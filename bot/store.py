"""The store: the only code that knows the database (SQLite through sqlite-utils)."""
from __future__ import annotations

import fcntl
import json
import sqlite3
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from .migrations import migrate

PUSH_PAUSED_UNTIL = "push_paused_until"


def connect(path: str) -> Database:
    """Open the database in WAL mode with a busy timeout suited to several processes."""
    conn = sqlite3.connect(path, timeout=10, check_same_thread=False)
    # synchronous=FULL: an event acknowledged with 200 must survive a power cut, not only a crash.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return Database(conn)


def prepare(path: str) -> None:
    """Create the database folder and apply migrations, once even when several processes start."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        db = connect(path)
        try:
            migrate(db)
        finally:
            db.close()


class Store:
    """Reads and writes of the pipeline, the dialogue and the console."""

    def __init__(self, db: Database):
        self.db = db

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    @contextmanager
    def atomic(self):
        """Group writes into one transaction."""
        with self.db.atomic():
            yield self

    # -- inbox ---------------------------------------------------------------

    def ingest(self, events: list[dict], received_at: float) -> int:
        """Store webhook events (already keyed), ignoring ones seen before; return how many were new."""
        with self.db.atomic():
            cursor = self.db.conn.executemany(
                "INSERT OR IGNORE INTO inbox (event_id, lane, timestamp, received_at, type, mode, body)"
                " VALUES (:event_id, :lane, :timestamp, :received_at, :type, :mode, :body)",
                [{**event, "received_at": received_at} for event in events],
            )
        return cursor.rowcount

    def reject_webhook(self, reason: str, body: str) -> None:
        """Record a signed webhook whose body could not be read."""
        self.db.execute(
            "INSERT INTO rejected_webhooks (received_at, reason, body) VALUES (?, ?, ?)",
            [time.time(), reason, body],
        )

    def claim_lane(self, worker: str, lease: float, limit: int = 20) -> list[dict]:
        """Claim the oldest waiting events (at most `limit`) of the lane that has waited longest."""
        now = time.time()
        waiting = "(status = 'pending' OR (status = 'claimed' AND claimed_at < :stale))"
        sql = f"""
            UPDATE inbox SET status = 'claimed', claimed_by = :worker, claimed_at = :now,
                attempts = attempts + 1
            WHERE event_id IN (
                SELECT event_id FROM inbox WHERE {waiting} AND lane = (
                    SELECT i.lane FROM inbox i
                    WHERE (i.status = 'pending' OR (i.status = 'claimed' AND i.claimed_at < :stale))
                      AND NOT EXISTS (SELECT 1 FROM inbox b WHERE b.lane = i.lane
                                      AND b.status = 'claimed' AND b.claimed_at >= :stale)
                    ORDER BY i.timestamp LIMIT 1)
                ORDER BY timestamp LIMIT :limit)
            RETURNING *"""
        with self.db.atomic():
            rows = self._rows(sql, {"worker": worker, "now": now, "stale": now - lease, "limit": limit})
        return sorted(rows, key=lambda row: (row["timestamp"], row["received_at"]))

    def finish_event(self, event_id: str, worker: str, status: str, error: str | None = None) -> bool:
        """Close a claimed event; False when the claim was lost to another worker meanwhile."""
        cursor = self.db.execute(
            "UPDATE inbox SET status = ?, error = ? WHERE event_id = ? AND status = 'claimed'"
            " AND claimed_by = ?",
            [status, error, event_id, worker],
        )
        return cursor.rowcount == 1

    def release_event(self, event_id: str, worker: str, error: str) -> None:
        """Give a claimed event back to the queue after a passing failure."""
        self.db.execute(
            "UPDATE inbox SET status = 'pending', error = ?, claimed_by = NULL"
            " WHERE event_id = ? AND claimed_by = ?",
            [error, event_id, worker],
        )

    def inbox_counts(self) -> dict[str, int]:
        """Count inbox events per status."""
        return {row["status"]: row["n"] for row in self.db.query(
            "SELECT status, count(*) AS n FROM inbox GROUP BY status")}

    # -- outbox --------------------------------------------------------------

    def enqueue(self, lane: str, messages: list[dict], *, purpose: str, event_id: str | None = None,
                reply_token: str | None = None, reply_until: float | None = None) -> int:
        """Store an outgoing message batch before anything is sent; return its id."""
        cursor = self.db.execute(
            "INSERT INTO outbox (lane, event_id, reply_token, reply_until, retry_key, messages, purpose,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [lane, event_id, reply_token, reply_until, str(uuid.uuid4()),
             json.dumps(messages, ensure_ascii=False), purpose, time.time()],
        )
        return cursor.lastrowid

    def claim_outgoing(self, worker: str, lease: float) -> dict | None:
        """Claim the oldest due message whose lane has nothing older still unsent."""
        now = time.time()
        sql = """
            UPDATE outbox SET status = 'sending', claimed_by = :worker, claimed_at = :now,
                attempts = attempts + 1
            WHERE id = (
                SELECT o.id FROM outbox o
                WHERE ((o.status = 'queued' AND o.next_attempt_at <= :now)
                       OR (o.status = 'sending' AND o.claimed_at < :stale))
                  AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.lane = o.lane AND e.id < o.id
                                  AND e.status IN ('queued', 'sending'))
                ORDER BY o.id LIMIT 1)
            RETURNING *"""
        with self.db.atomic():
            rows = self._rows(sql, {"worker": worker, "now": now, "stale": now - lease})
        return rows[0] if rows else None

    def mark_sent(self, outbox_id: int) -> None:
        """Record a message as accepted by LINE."""
        self.db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?",
            [time.time(), outbox_id])

    def mark_failed(self, outbox_id: int, error: str) -> None:
        """Record a message LINE refused for good, with LINE's reason."""
        self.db.execute("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?",
                        [error, outbox_id])

    def retry_later(self, outbox_id: int, at: float, error: str) -> None:
        """Put a message back in the queue until `at`."""
        self.db.execute(
            "UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error = ?, claimed_by = NULL"
            " WHERE id = ?", [at, error, outbox_id])

    def drop_reply_token(self, outbox_id: int) -> None:
        """Turn a reply whose token is spent or stale into a push."""
        self.db.execute("UPDATE outbox SET reply_token = NULL WHERE id = ?", [outbox_id])

    def outbox_counts(self) -> dict[str, int]:
        """Count outbox messages per status."""
        return {row["status"]: row["n"] for row in self.db.query(
            "SELECT status, count(*) AS n FROM outbox GROUP BY status")}

    # -- users ---------------------------------------------------------------

    def user(self, user_id: str) -> dict | None:
        """Return a user's row, or None for someone never seen."""
        rows = self._rows("SELECT * FROM users WHERE user_id = ?", [user_id])
        return rows[0] if rows else None

    def save_user(self, user_id: str, **fields) -> None:
        """Create or update a user's row with the given fields."""
        now = time.time()
        self.db["users"].upsert({"user_id": user_id, "updated_at": now, **fields}, pk="user_id")
        self.db.execute("UPDATE users SET created_at = ? WHERE user_id = ? AND created_at IS NULL",
                        [now, user_id])

    # -- conversation --------------------------------------------------------

    def log_message(self, user_id: str, direction: str, author: str, kind: str, text: str | None,
                    **understanding) -> None:
        """Append one message to a user's conversation."""
        self.db["conversation"].insert({
            "user_id": user_id, "direction": direction, "author": author, "kind": kind, "text": text,
            "created_at": time.time(), **understanding,
        })

    def conversation(self, user_id: str, limit: int = 50) -> list[dict]:
        """Return a user's latest messages, oldest first."""
        rows = self._rows("SELECT * FROM conversation WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                          [user_id, limit])
        return rows[::-1]

    # -- settings ------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        """Return a stored setting, or None."""
        rows = self._rows("SELECT value FROM settings WHERE key = ?", [key])
        return rows[0]["value"] if rows else None

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        self.db["settings"].upsert({"key": key, "value": value}, pk="key")

    def _rows(self, sql: str, params) -> list[dict]:
        cursor = self.db.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
