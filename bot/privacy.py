"""Pseudonyms for logs: a short keyed hash instead of a LINE user ID."""
import hashlib
import hmac

_key = b"mamoru"


def set_key(secret: str) -> None:
    """Key the pseudonyms with the app's secret, so they cannot be reversed by guessing IDs."""
    global _key
    _key = secret.encode()


def pseudonym(user_id: str | None) -> str:
    """Return a short, stable, keyed stand-in for a user ID, fit for logs."""
    if not user_id:
        return "-"
    return "u:" + hmac.new(_key, user_id.encode(), hashlib.sha256).hexdigest()[:10]


def export_user(store, user_id: str) -> dict:
    """Everything stored about one resident, for a data request."""
    return store.user_data(user_id)


def erase_user(store, user_id: str) -> dict[str, int]:
    """Erase one resident's texts and LINE id (their cases stay, marked erased); return counts."""
    return store.erase_user(user_id, "erased:" + pseudonym(user_id))
