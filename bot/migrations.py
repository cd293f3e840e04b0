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
