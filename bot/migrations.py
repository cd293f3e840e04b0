"""Schema migrations of the embedded SQLite store, applied at start."""
from sqlite_utils import Database, Migrations

migrations = Migrations("mamoru")


@migrations()
def m001_pipeline(db: Database) -> None:
    """Inbox, outbox, users, conversation log and rejected webhooks."""
    db["inbox"].create(
        {
            "event_id": str,  # webhookEventId, or a digest of the raw event when it has none
            "lane": str,  # who the event is from: user, group or room id; order is kept per lane
            "timestamp": int,
            "received_at": float,
            "type": str,
            "mode": str,
            "body": str,
            "status": str,  # pending, claimed, done, skipped, malformed
            "claimed_by": str,
            "claimed_at": float,
            "attempts": int,
            "error": str,
        },
        pk="event_id",
        not_null={"lane", "timestamp", "received_at", "body", "status"},
        defaults={"status": "pending", "attempts": 0},
    )
    db["inbox"].create_index(["status", "lane", "timestamp"])
    db["outbox"].create(
        {
            "id": int,
            "lane": str,  # the LINE id the message goes to
            "event_id": str,
            "reply_token": str,
            "reply_until": float,
            "retry_key": str,
            "messages": str,
            "purpose": str,
            "status": str,  # queued, sending, sent, failed
            "attempts": int,
            "next_attempt_at": float,
            "claimed_by": str,
            "claimed_at": float,
            "last_error": str,
            "created_at": float,
            "sent_at": float,
        },
        pk="id",
        not_null={"lane", "retry_key", "messages", "status", "created_at"},
        defaults={"status": "queued", "attempts": 0, "next_attempt_at": 0},
    )
    db["outbox"].create_index(["status", "next_attempt_at"])
    db["outbox"].create_index(["event_id"])
    db["users"].create(
        {
            "user_id": str,
            "language": str,
            "language_chosen": int,
            "blocked": int,
            "state": str,
            "created_at": float,
            "updated_at": float,
        },
        pk="user_id",
        defaults={"blocked": 0, "language_chosen": 0, "state": "{}"},
    )
    db["conversation"].create(
        {
            "id": int,
            "user_id": str,
            "direction": str,  # in (resident), out (bot or consultant)
            "author": str,  # resident, bot, consultant:<name>
            "kind": str,
            "text": str,
            "intent": str,
            "lang": str,
            "score": float,
            "escalate": int,
            "event_id": str,
            "outbox_id": int,
            "created_at": float,
        },
        pk="id",
    )
    db["conversation"].create_index(["user_id", "id"])
    db["rejected_webhooks"].create(
        {"id": int, "received_at": float, "reason": str, "body": str},
        pk="id",
    )
    db["settings"].create({"key": str, "value": str}, pk="key")


def migrate(db: Database) -> None:
    """Bring the database schema up to date."""
    migrations.apply(db)


@migrations()
def m002_consultations(db: Database) -> None:
    """Cases, consultants, notes, read markers, login attempts and the audit log."""
    db["consultants"].create(
        {"id": int, "username": str, "name": str, "password_hash": str, "role": str, "active": int,
         "session_epoch": int, "created_at": float},
        pk="id", not_null={"username", "password_hash", "role"},
        defaults={"active": 1, "session_epoch": 0, "role": "consultant"},
    )
    db["consultants"].create_index(["username"], unique=True)
    db["cases"].create(
        {"id": int, "user_id": str, "status": str, "severity": str, "intent": str, "lang": str,
         "opened_at": float, "updated_at": float, "resolved_at": float, "assignee_id": int,
         "first_message_id": int, "resident_waiting_since": float},
        pk="id", not_null={"user_id", "status", "severity", "opened_at"},
        foreign_keys=[("assignee_id", "consultants", "id")],
    )
    db["cases"].create_index(["status", "severity"])
    db["cases"].create_index(["user_id", "status"])
    db["case_reads"].create({"case_id": int, "consultant_id": int, "last_message_id": int},
                            pk=("case_id", "consultant_id"))
    db["notes"].create(
        {"id": int, "case_id": int, "consultant_id": int, "text": str, "created_at": float, "hidden": int},
        pk="id", defaults={"hidden": 0},
        foreign_keys=[("case_id", "cases", "id"), ("consultant_id", "consultants", "id")],
    )
    db["login_attempts"].create(
        {"id": int, "username": str, "address": str, "at": float, "success": int}, pk="id")
    db["login_attempts"].create_index(["username", "at"])
    db["login_attempts"].create_index(["address", "at"])
    db["audit_log"].create(
        {"id": int, "consultant_id": int, "action": str, "case_id": int, "detail": str, "address": str,
         "at": float}, pk="id")
    db["outbox"].add_column("channel", str, not_null_default="line")
    db["conversation"].add_column("hint", str)  # the Japanese text of a bot answer, for staff


@migrations()
def m003_safehouses(db: Database) -> None:
    """Children's safe houses (こどもSOSの家) and their R*Tree index on the point shown to users."""
    db["safehouses"].create(
        {"id": int, "key": str, "name": str, "kind": str, "address": str, "latitude": float,
         "longitude": float, "shown_lat": float, "shown_lon": float, "district": str, "area": str,
         "romaji": str, "hours": str, "notes": str, "active": int, "sample": int},
        pk="id", not_null={"key", "name", "kind", "address", "latitude", "longitude", "shown_lat",
                           "shown_lon", "active", "sample"},
        defaults={"active": 1, "sample": 0},
    )
    db["safehouses"].create_index(["key"], unique=True)
    db["safehouses"].create_index(["active", "district", "area", "romaji"])
    db.execute("CREATE VIRTUAL TABLE safehouse_index USING rtree(id, min_lat, max_lat, min_lon, max_lon)")
    # Triggers keep the index right whoever writes the table; they index only the shown point, so a
    # search can never find a private home by its exact position.
    db.execute("""CREATE TRIGGER safehouses_ai AFTER INSERT ON safehouses BEGIN
        INSERT INTO safehouse_index VALUES (new.id, new.shown_lat, new.shown_lat, new.shown_lon,
                                            new.shown_lon); END""")
    db.execute("""CREATE TRIGGER safehouses_au AFTER UPDATE OF shown_lat, shown_lon ON safehouses BEGIN
        UPDATE safehouse_index SET min_lat = new.shown_lat, max_lat = new.shown_lat,
            min_lon = new.shown_lon, max_lon = new.shown_lon WHERE id = new.id; END""")
    db.execute("""CREATE TRIGGER safehouses_ad AFTER DELETE ON safehouses BEGIN
        DELETE FROM safehouse_index WHERE id = old.id; END""")


@migrations()
def m004_checked_items(db: Database) -> None:
    """Domains and phone numbers residents asked about, with what consultants marked them as."""
    db["checked_items"].create(
        {"kind": str, "value": str, "checks": int, "last_risk": str, "last_checked_at": float,
         "verdict": str, "marked_by": int, "marked_at": float},
        pk=("kind", "value"), defaults={"checks": 0},
    )


@migrations()
def m005_queue_indexes(db: Database) -> None:
    """Partial indexes over the waiting part of the inbox and outbox, so a claim costs the same at any backlog."""
    db.executescript("""
        CREATE INDEX inbox_waiting ON inbox (timestamp) WHERE status IN ('pending', 'claimed');
        CREATE INDEX inbox_waiting_lane ON inbox (lane, timestamp) WHERE status IN ('pending', 'claimed');
        CREATE INDEX inbox_claimed_lane ON inbox (lane, claimed_at) WHERE status = 'claimed';
        CREATE INDEX outbox_unsent ON outbox (id) WHERE status IN ('queued', 'sending');
        CREATE INDEX outbox_unsent_lane ON outbox (lane, id) WHERE status IN ('queued', 'sending');
    """)


@migrations()
def m006_inbox_status_index(db: Database) -> None:
    """Count the inbox by status from an index on status alone: a new event lands on its last page."""
    # The index it replaces began with (status, lane), so every stored event wrote to a page of its own
    # lane: with many residents, one more page per event on disk and through the fsync.
    db.executescript("""
        DROP INDEX idx_inbox_status_lane_timestamp;
        CREATE INDEX inbox_status ON inbox (status);
    """)
