"""The store: the only code that knows the database (SQLite through sqlite-utils)."""
from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from .migrations import migrate

PUSH_PAUSED_UNTIL = "push_paused_until"
LOCAL_LISTS_VERSION = "local_lists_version"
SEVERITY_RANK = {"emergency": 0, "urgent": 1, "normal": 2}


def connect(path: str) -> Database:
    """Open the database in WAL mode with a busy timeout suited to several processes."""
    # isolation_level=None: the only transactions are the ones Store.atomic opens, and a lone write
    # statement is a transaction of its own (SQLite takes the write lock when the statement starts).
    conn = sqlite3.connect(path, timeout=10, check_same_thread=False, isolation_level=None)
    # An event acknowledged with 200 must survive a power cut, not only a crash: the store syncs the log
    # after each of its commits itself (see Store._sync), so SQLite need not do it inside the write lock.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
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
        self._path = db.execute("PRAGMA database_list").fetchone()[2]
        self._turns = open(f"{self._path}.lock", "a") if self._path else None
        self._wal: int | None = None

    def close(self) -> None:
        """Close the connection."""
        self.db.close()
        if self._turns is not None:
            self._turns.close()
        if self._wal is not None:
            os.close(self._wal)

    @contextmanager
    def atomic(self):
        """Group writes into one transaction, durable on disk when the block ends."""
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        with self._writer_turn():
            self.db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self.db.conn.rollback()
                raise
            self.db.conn.commit()
        self._sync()

    @contextmanager
    def _writer_turn(self):
        # SQLite's busy handler polls with sleeps of up to 100 ms, so under steady writes from several
        # processes a writer waits (or starves) long after the lock came free; an flock queue wakes the
        # next writer the moment the last one commits.
        if self._turns is None:
            yield
            return
        fcntl.flock(self._turns, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._turns, fcntl.LOCK_UN)

    def _sync(self) -> None:
        """Flush the write-ahead log to disk, outside the write lock.

        With synchronous=NORMAL SQLite skips the fsync at commit; doing it here instead keeps every
        acknowledged event safe from a power cut (as synchronous=FULL would), while other processes
        commit meanwhile and one fsync covers all their commits: a group commit.
        """
        if not self._path:
            return
        # SQLite removes the log only when its last connection closes, and this store's is open, so the
        # file opened after the first commit stays the log for the store's lifetime.
        if self._wal is None:
            self._wal = os.open(f"{self._path}-wal", os.O_RDONLY)
        os.fsync(self._wal)

    def _write(self, sql: str, params=()) -> sqlite3.Cursor:
        """Run one write statement, in the open transaction or in a transaction of its own."""
        if self.db.conn.in_transaction:
            return self.db.execute(sql, params)
        # No BEGIN and COMMIT around it: every call into SQLite lets other threads take the GIL, and
        # this thread holds the writers' turn until it gets the GIL back.
        with self._writer_turn():
            cursor = self.db.execute(sql, params)
        self._sync()
        return cursor

    # -- inbox ---------------------------------------------------------------

    def ingest(self, events: list[dict], received_at: float) -> int:
        """Store webhook events (already keyed), ignoring ones seen before; return how many were new."""
        # One statement for the whole batch, the rows passed as one JSON array: one call into SQLite.
        cursor = self._write(
            "INSERT OR IGNORE INTO inbox (event_id, lane, timestamp, received_at, type, mode, body)"
            " SELECT value ->> 0, value ->> 1, value ->> 2, :received_at, value ->> 3, value ->> 4,"
            " value ->> 5 FROM json_each(:rows)",
            {"received_at": received_at, "rows": json.dumps(
                [[e["event_id"], e["lane"], e["timestamp"], e["type"], e["mode"], e["body"]] for e in events],
                ensure_ascii=False)},
        )
        return cursor.rowcount

    def reject_webhook(self, reason: str, body: str) -> None:
        """Record a signed webhook whose body could not be read."""
        self._write(
            "INSERT INTO rejected_webhooks (received_at, reason, body) VALUES (?, ?, ?)",
            [time.time(), reason, body],
        )

    def claim_lane(self, worker: str, lease: float, limit: int = 20) -> list[dict]:
        """Claim the oldest waiting events (at most `limit`) of the lane that has waited longest."""
        now = time.time()
        # Each query names the partial index it walks (migration m005): the planner, with no statistics,
        # would sort the whole backlog instead, and a claim would cost more the longer the queue.
        waiting = "status IN ('pending', 'claimed') AND (status = 'pending' OR claimed_at < :stale)"
        sql = f"""
            UPDATE inbox SET status = 'claimed', claimed_by = :worker, claimed_at = :now,
                attempts = attempts + 1
            WHERE event_id IN (
                SELECT event_id FROM inbox INDEXED BY inbox_waiting_lane WHERE {waiting} AND lane = (
                    SELECT lane FROM inbox AS oldest INDEXED BY inbox_waiting WHERE {waiting}
                      AND NOT EXISTS (SELECT 1 FROM inbox AS busy INDEXED BY inbox_claimed_lane
                                      WHERE busy.status = 'claimed' AND busy.lane = oldest.lane
                                        AND busy.claimed_at >= :stale)
                    ORDER BY timestamp LIMIT 1)
                ORDER BY timestamp LIMIT :limit)
            RETURNING *"""
        with self.atomic():
            rows = self._rows(sql, {"worker": worker, "now": now, "stale": now - lease, "limit": limit})
        return sorted(rows, key=lambda row: (row["timestamp"], row["received_at"]))

    def finish_event(self, event_id: str, worker: str, status: str, error: str | None = None) -> bool:
        """Close a claimed event; False when the claim was lost to another worker meanwhile."""
        cursor = self._write(
            "UPDATE inbox SET status = ?, error = ? WHERE event_id = ? AND status = 'claimed'"
            " AND claimed_by = ?",
            [status, error, event_id, worker],
        )
        return cursor.rowcount == 1

    def release_event(self, event_id: str, worker: str, error: str) -> None:
        """Give a claimed event back to the queue after a passing failure."""
        self._write(
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
                reply_token: str | None = None, reply_until: float | None = None,
                channel: str = "line") -> int:
        """Store an outgoing batch (LINE messages, or a webhook payload) before it is sent; return its id."""
        cursor = self._write(
            "INSERT INTO outbox (lane, event_id, reply_token, reply_until, retry_key, messages, purpose,"
            " created_at, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [lane, event_id, reply_token, reply_until, str(uuid.uuid4()),
             json.dumps(messages, ensure_ascii=False), purpose, time.time(), channel],
        )
        return cursor.lastrowid

    def claim_outgoing(self, worker: str, lease: float) -> dict | None:
        """Claim the oldest due message whose lane has nothing older still unsent."""
        now = time.time()
        sql = """
            UPDATE outbox SET status = 'sending', claimed_by = :worker, claimed_at = :now,
                attempts = attempts + 1
            WHERE id = (
                SELECT id FROM outbox AS head INDEXED BY outbox_unsent
                WHERE status IN ('queued', 'sending')
                  AND ((status = 'queued' AND next_attempt_at <= :now) OR (status = 'sending' AND claimed_at < :stale))
                  AND NOT EXISTS (SELECT 1 FROM outbox AS older INDEXED BY outbox_unsent_lane
                                  WHERE older.status IN ('queued', 'sending') AND older.lane = head.lane
                                    AND older.id < head.id)
                ORDER BY id LIMIT 1)
            RETURNING *"""
        with self.atomic():
            rows = self._rows(sql, {"worker": worker, "now": now, "stale": now - lease})
        return rows[0] if rows else None

    def mark_sent(self, outbox_id: int) -> None:
        """Record a message as accepted by LINE."""
        self._write(
            "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?",
            [time.time(), outbox_id])

    def mark_failed(self, outbox_id: int, error: str) -> None:
        """Record a message LINE refused for good, with LINE's reason."""
        self._write("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?",
                    [error, outbox_id])

    def retry_later(self, outbox_id: int, at: float, error: str) -> None:
        """Put a message back in the queue until `at`."""
        self._write(
            "UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error = ?, claimed_by = NULL"
            " WHERE id = ?", [at, error, outbox_id])

    def drop_reply_token(self, outbox_id: int) -> None:
        """Turn a reply whose token is spent or stale into a push."""
        self._write("UPDATE outbox SET reply_token = NULL WHERE id = ?", [outbox_id])

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
        with self.atomic():
            self.db["users"].upsert({"user_id": user_id, "updated_at": now, **fields}, pk="user_id")
            self._write("UPDATE users SET created_at = ? WHERE user_id = ? AND created_at IS NULL",
                        [now, user_id])

    # -- conversation --------------------------------------------------------

    def log_message(self, user_id: str, direction: str, author: str, kind: str, text: str | None,
                    **understanding) -> int:
        """Append one message to a user's conversation; return its id."""
        with self.atomic():
            return self.db["conversation"].insert({
                "user_id": user_id, "direction": direction, "author": author, "kind": kind, "text": text,
                "created_at": time.time(), **understanding,
            }).last_pk

    def conversation(self, user_id: str, limit: int = 50) -> list[dict]:
        """Return a user's latest messages, oldest first."""
        rows = self._rows("SELECT * FROM conversation WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                          [user_id, limit])
        return rows[::-1]

    # -- cases -----------------------------------------------------------------

    def open_case_of(self, user_id: str) -> dict | None:
        """The user's open case, if any."""
        rows = self._rows("SELECT * FROM cases WHERE user_id = ? AND status = 'open'", [user_id])
        return rows[0] if rows else None

    def escalate(self, user_id: str, severity: str, intent: str, lang: str, context: int = 6) -> tuple[int, bool]:
        """Open a case for the user, or raise the open one's severity; return (case id, changed)."""
        now = time.time()
        case = self.open_case_of(user_id)
        if case is None:
            first = self._rows("SELECT min(id) AS id FROM (SELECT id FROM conversation WHERE user_id = ?"
                               " ORDER BY id DESC LIMIT ?)", [user_id, context])[0]["id"]
            cursor = self._write(
                "INSERT INTO cases (user_id, status, severity, intent, lang, opened_at, updated_at,"
                " first_message_id, resident_waiting_since) VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?)",
                [user_id, severity, intent, lang, now, now, first, now])
            return cursor.lastrowid, True
        raised = SEVERITY_RANK[severity] < SEVERITY_RANK[case["severity"]]
        self._write(
            "UPDATE cases SET severity = ?, updated_at = ?,"
            " resident_waiting_since = coalesce(resident_waiting_since, ?) WHERE id = ?",
            [severity if raised else case["severity"], now, now, case["id"]])
        return case["id"], raised

    def resident_wrote(self, case_id: int) -> None:
        """Note that the resident is waiting for an answer in this case."""
        now = time.time()
        self._write("UPDATE cases SET updated_at = ?, resident_waiting_since ="
                    " coalesce(resident_waiting_since, ?) WHERE id = ?", [now, now, case_id])

    def close_case(self, case_id: int, status: str = "resolved") -> None:
        """Resolve a case (or mark it returned to the bot by the resident)."""
        now = time.time()
        self._write("UPDATE cases SET status = ?, resolved_at = ?, updated_at = ?,"
                    " resident_waiting_since = NULL WHERE id = ?", [status, now, now, case_id])

    def reopen_case(self, case_id: int) -> bool:
        """Reopen a closed case unless the user already has another open one."""
        case = self.case(case_id)
        if case is None or case["status"] == "open" or self.open_case_of(case["user_id"]):
            return False
        self._write("UPDATE cases SET status = 'open', resolved_at = NULL, updated_at = ? WHERE id = ?",
                    [time.time(), case_id])
        return True

    def case(self, case_id: int) -> dict | None:
        """One case with its assignee's name."""
        rows = self._rows("SELECT cases.*, consultants.name AS assignee FROM cases LEFT JOIN consultants"
                          " ON consultants.id = cases.assignee_id WHERE cases.id = ?", [case_id])
        return rows[0] if rows else None

    def cases(self, consultant_id: int, status: str = "open", lang: str = "", intent: str = "",
              assignee: str = "") -> list[dict]:
        """Cases for the inbox: most severe first, then longest waiting; with unread counts."""
        where, params = ["cases.status = ?"], [status]
        if lang:
            where.append("cases.lang = ?")
            params.append(lang)
        if intent:
            where.append("cases.intent = ?")
            params.append(intent)
        if assignee == "me":
            where.append("cases.assignee_id = ?")
            params.append(consultant_id)
        elif assignee == "none":
            where.append("cases.assignee_id IS NULL")
        sql = f"""
            SELECT cases.*, consultants.name AS assignee,
              (SELECT count(*) FROM conversation c WHERE c.user_id = cases.user_id
                 AND c.id >= coalesce(cases.first_message_id, 0) AND c.direction = 'in'
                 AND c.id > coalesce((SELECT last_message_id FROM case_reads r
                                      WHERE r.case_id = cases.id AND r.consultant_id = ?), 0)) AS unread
            FROM cases LEFT JOIN consultants ON consultants.id = cases.assignee_id
            WHERE {" AND ".join(where)}
            ORDER BY CASE cases.severity WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END,
                     coalesce(cases.resident_waiting_since, cases.opened_at)"""
        return self._rows(sql, [consultant_id, *params])

    def thread(self, case: dict) -> list[dict]:
        """The case's conversation, from a little before the escalation, with delivery states."""
        return self._rows(
            "SELECT conversation.*, outbox.status AS delivery, outbox.last_error AS delivery_error"
            " FROM conversation LEFT JOIN outbox ON outbox.id = conversation.outbox_id"
            " WHERE conversation.user_id = ? AND conversation.id >= coalesce(?, 0)"
            " ORDER BY conversation.id", [case["user_id"], case["first_message_id"]])

    def mark_read(self, case_id: int, consultant_id: int, last_message_id: int) -> None:
        """Remember what a consultant has seen of a case."""
        with self.atomic():
            self.db["case_reads"].upsert({"case_id": case_id, "consultant_id": consultant_id,
                                          "last_message_id": last_message_id}, pk=("case_id", "consultant_id"))

    def assign(self, case_id: int, consultant_id: int | None) -> None:
        """Give a case to a consultant."""
        self._write("UPDATE cases SET assignee_id = ? WHERE id = ?", [consultant_id, case_id])

    def consultant_answered(self, case_id: int) -> None:
        """The resident is no longer waiting."""
        self._write("UPDATE cases SET resident_waiting_since = NULL, updated_at = ? WHERE id = ?",
                    [time.time(), case_id])

    def add_note(self, case_id: int, consultant_id: int, text: str) -> None:
        """Add an internal note to a case."""
        self._write("INSERT INTO notes (case_id, consultant_id, text, created_at) VALUES (?, ?, ?, ?)",
                    [case_id, consultant_id, text, time.time()])

    def notes(self, case_id: int) -> list[dict]:
        """A case's notes, oldest first, with their authors."""
        return self._rows("SELECT notes.*, consultants.name AS author FROM notes JOIN consultants ON"
                          " consultants.id = notes.consultant_id WHERE case_id = ? ORDER BY notes.id",
                          [case_id])

    # -- consultants -------------------------------------------------------------

    def add_consultant(self, username: str, name: str, password_hash: str, role: str) -> int:
        """Create a consultant account."""
        cursor = self._write(
            "INSERT INTO consultants (username, name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)",
            [username, name, password_hash, role, time.time()])
        return cursor.lastrowid

    def consultant(self, consultant_id: int | None = None, username: str | None = None) -> dict | None:
        """A consultant by id or username."""
        column, value = ("id", consultant_id) if consultant_id is not None else ("username", username)
        rows = self._rows(f"SELECT * FROM consultants WHERE {column} = ?", [value])
        return rows[0] if rows else None

    def consultants(self) -> list[dict]:
        """All consultant accounts."""
        return self._rows("SELECT * FROM consultants ORDER BY id", [])

    def update_consultant(self, consultant_id: int, **fields) -> None:
        """Change a consultant's row (role, active, password_hash, session_epoch)."""
        with self.atomic():
            self.db["consultants"].update(consultant_id, fields)

    def record_login(self, username: str, address: str, success: bool) -> None:
        """Remember a login attempt for throttling."""
        self._write("INSERT INTO login_attempts (username, address, at, success) VALUES (?, ?, ?, ?)",
                    [username, address, time.time(), int(success)])

    def failed_logins(self, since: float, username: str | None = None, address: str | None = None) -> int:
        """Failed attempts since `since` for an account or an address."""
        column, value = ("username", username) if username is not None else ("address", address)
        return self._rows(f"SELECT count(*) AS n FROM login_attempts WHERE {column} = ? AND at >= ?"
                          " AND success = 0", [value, since])[0]["n"]

    def audit(self, consultant_id: int | None, action: str, case_id: int | None = None, detail: str = "",
              address: str = "") -> None:
        """Append to the audit log."""
        self._write("INSERT INTO audit_log (consultant_id, action, case_id, detail, address, at)"
                    " VALUES (?, ?, ?, ?, ?, ?)", [consultant_id, action, case_id, detail, address, time.time()])

    def audit_log(self, limit: int = 500) -> list[dict]:
        """The latest audit entries with the consultants' names."""
        return self._rows("SELECT audit_log.*, consultants.username FROM audit_log LEFT JOIN consultants"
                          " ON consultants.id = audit_log.consultant_id ORDER BY audit_log.id DESC LIMIT ?",
                          [limit])

    # -- checked domains and numbers ---------------------------------------------

    def record_checked(self, kind: str, values: list[str], risk: str) -> None:
        """Count that residents asked about these domains or numbers, and the latest verdict."""
        now = time.time()
        for value in values:
            self._write(
                "INSERT INTO checked_items (kind, value, checks, last_risk, last_checked_at) VALUES (?, ?, 1, ?, ?)"
                " ON CONFLICT (kind, value) DO UPDATE SET checks = checks + 1, last_risk = excluded.last_risk,"
                " last_checked_at = excluded.last_checked_at", [kind, value, risk, now])

    def checked_items(self, kind: str = "") -> list[dict]:
        """Checked domains and numbers, most asked about first."""
        where = "WHERE kind = ?" if kind else ""
        return self._rows(f"SELECT * FROM checked_items {where} ORDER BY checks DESC, last_checked_at DESC"
                          " LIMIT 1000", [kind] if kind else [])

    def mark_checked(self, kind: str, value: str, verdict: str | None, consultant_id: int) -> None:
        """Mark a domain or number as scam or genuine (None clears), and tell every worker to reload."""
        with self.atomic():
            self._write(
                "INSERT INTO checked_items (kind, value, verdict, marked_by, marked_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (kind, value) DO UPDATE SET verdict = excluded.verdict,"
                " marked_by = excluded.marked_by, marked_at = excluded.marked_at",
                [kind, value, verdict, consultant_id, time.time()])
            self.set_setting(LOCAL_LISTS_VERSION, str(time.time()))

    def local_lists(self) -> dict[str, frozenset[str]]:
        """What consultants marked, as the scam check's local lists."""
        lists = {f"{verdict}_{kind}s": set() for verdict in ("scam", "genuine") for kind in ("domain", "number")}
        for row in self._rows("SELECT kind, value, verdict FROM checked_items WHERE verdict IS NOT NULL", []):
            lists[f"{row['verdict']}_{row['kind']}s"].add(row["value"])
        return {name: frozenset(values) for name, values in lists.items()}

    # -- a resident's data -------------------------------------------------------

    def user_data(self, user_id: str) -> dict:
        """Everything stored about one resident."""
        cases = self._rows("SELECT * FROM cases WHERE user_id = ?", [user_id])
        return {
            "user": self.user(user_id),
            "conversation": self._rows("SELECT * FROM conversation WHERE user_id = ? ORDER BY id", [user_id]),
            "cases": cases,
            "notes": [note for case in cases for note in self.notes(case["id"])],
            "outbox": self._rows("SELECT id, messages, status, created_at, sent_at FROM outbox WHERE lane = ?",
                                 [user_id]),
            "inbox": self._rows("SELECT event_id, type, body, received_at FROM inbox WHERE lane = ?", [user_id]),
        }

    def erase_user(self, user_id: str, stand_in: str) -> dict[str, int]:
        """Blank a resident's texts and replace their LINE id with `stand_in`; rows stay, marked erased."""
        counts = {}
        with self.atomic():
            for what, sql in (
                ("messages", "UPDATE conversation SET text = NULL, hint = NULL, kind = 'erased', user_id = :new"
                             " WHERE user_id = :old"),
                ("notes", "UPDATE notes SET text = NULL, hidden = 1 WHERE case_id IN"
                          " (SELECT id FROM cases WHERE user_id = :old)"),
                ("cases", "UPDATE cases SET user_id = :new WHERE user_id = :old"),
                ("outgoing", "UPDATE outbox SET messages = '[]', lane = :new WHERE lane = :old"),
                ("events", "UPDATE inbox SET body = '{}', lane = :new WHERE lane = :old"),
                ("profiles", "DELETE FROM users WHERE user_id = :old"),
            ):
                counts[what] = self.db.execute(sql, {"old": user_id, "new": stand_in}).rowcount
        return counts

    # -- settings ------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        """Return a stored setting, or None."""
        rows = self._rows("SELECT value FROM settings WHERE key = ?", [key])
        return rows[0]["value"] if rows else None

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        with self.atomic():
            self.db["settings"].upsert({"key": key, "value": value}, pk="key")

    def _rows(self, sql: str, params) -> list[dict]:
        cursor = self.db.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
