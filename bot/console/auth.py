"""Consultant accounts, sessions, login throttling and CSRF protection."""
from __future__ import annotations

import functools
import hmac
import secrets
import time

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import get_db
from . import bp
from .i18n import _

THROTTLE_WINDOW = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
ROLES = ("consultant", "admin")


def hash_password(password: str) -> str:
    """A salted scrypt hash (memory-hard) of a password."""
    return generate_password_hash(password, method="scrypt")


def create_consultant(store, username: str, name: str, password: str, role: str = "consultant") -> int:
    """Create an account; raises ValueError for a bad role, a short password or a taken username."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise ValueError("the password needs at least 10 characters")
    if store.consultant(username=username):
        raise ValueError(f"{username} already exists")
    return store.add_consultant(username, name or username, hash_password(password), role)


def address() -> str:
    """The client's address (behind a proxy, configure ProxyFix so that this is the real one)."""
    return request.remote_addr or "-"


def audit(action: str, case_id: int | None = None, detail: str = "") -> None:
    """Log a consultant action: who, what, when, from where."""
    consultant = g.get("consultant")
    get_db().audit(consultant["id"] if consultant else None, action, case_id, detail, address())


@bp.before_request
def load_consultant() -> None:
    """Find the logged-in consultant; a session from before 'log out everywhere' counts for nothing."""
    g.consultant = None
    consultant_id = session.get("consultant_id")
    if consultant_id is not None:
        consultant = get_db().consultant(consultant_id)
        if consultant and consultant["active"] and consultant["session_epoch"] == session.get("epoch"):
            g.consultant = consultant


@bp.before_request
def check_csrf() -> None:
    """Refuse any form post without this session's CSRF token."""
    if request.method == "POST":
        sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            abort(400, "CSRF token missing or wrong")


@bp.context_processor
def csrf_token() -> dict:
    """Give templates this session's CSRF token."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return {"csrf_token": session["csrf"]}


def login_required(view):
    """Send visitors who are not logged in to the login page."""
    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.consultant is None:
            return redirect(url_for("console.login", next=request.path))
        return view(**kwargs)
    return wrapped


def admin_required(view):
    """Only admins get through."""
    @functools.wraps(view)
    @login_required
    def wrapped(**kwargs):
        if g.consultant["role"] != "admin":
            abort(403)
        return view(**kwargs)
    return wrapped


def throttled(store, username: str) -> bool:
    """True when an account or an address failed too often lately."""
    since = time.time() - THROTTLE_WINDOW
    return (store.failed_logins(since, username=username) >= MAX_FAILURES_PER_ACCOUNT
            or store.failed_logins(since, address=address()) >= MAX_FAILURES_PER_ADDRESS)


@bp.route("/login", methods=("GET", "POST"))
def login():
    """Log in; the session is replaced on success, so an old cookie is worth nothing."""
    if request.method == "GET":
        return render_template("console/login.html")
    store = get_db()
    username = request.form.get("username", "").strip()
    if throttled(store, username):
        store.record_login(username, address(), False)
        flash(_("Too many failed attempts. Wait 15 minutes and try again."))
        return render_template("console/login.html"), 429
    consultant = store.consultant(username=username)
    if not consultant or not consultant["active"] or not check_password_hash(
            consultant["password_hash"], request.form.get("password", "")):
        store.record_login(username, address(), False)
        store.audit(None, "login_failed", None, username[:64], address())
        flash(_("Wrong username or password."))
        return render_template("console/login.html"), 401
    store.record_login(username, address(), True)
    session.clear()
    session.update(consultant_id=consultant["id"], epoch=consultant["session_epoch"],
                   csrf=secrets.token_urlsafe(32))
    g.consultant = consultant
    audit("login")
    target = request.args.get("next", "")
    return redirect(target if target.startswith("/console") else url_for("console.inbox"))


@bp.post("/logout")
def logout():
    """End this session."""
    audit("logout")
    session.clear()
    return redirect(url_for("console.login"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session of this account, on every device."""
    get_db().update_consultant(g.consultant["id"], session_epoch=g.consultant["session_epoch"] + 1)
    audit("logout_everywhere")
    session.clear()
    return redirect(url_for("console.login"))


class ConsoleSessions(SecureCookieSessionInterface):
    """Signed-cookie sessions for the console, the one surface with a login; elsewhere, none at all."""

    def open_session(self, app, request):
        """The console's session; a null one for LINE's webhook and every other path."""
        # Reading and verifying a cookie costs a webhook request more than its own checks do.
        if request.path != bp.url_prefix and not request.path.startswith(bp.url_prefix + "/"):
            return self.make_null_session(app)
        return super().open_session(app, request)


def configure_sessions(app) -> None:
    """The console's session: where it applies, and its cookie settings."""
    app.session_interface = ConsoleSessions()
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("SESSION_COOKIE_SECURE", str(app.config.get("PUBLIC_URL", "")).startswith("https"))
