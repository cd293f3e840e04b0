"""The inbox of cases and one case's thread, with the consultant's actions."""
from __future__ import annotations

import time
from datetime import datetime

from babel.dates import format_timedelta
from flask import abort, current_app, g, redirect, render_template, request, session, url_for

from ..db import get_db
from ..hours import JST
from ..i18n import LANGUAGES
from ..replies import CANNED_REPLIES
from . import bp
from .auth import audit, login_required
from .i18n import _, staff_language


@bp.app_template_filter("jst")
def jst(timestamp: float | None) -> str:
    """A timestamp as Japan time."""
    return datetime.fromtimestamp(timestamp, JST).strftime("%Y-%m-%d %H:%M:%S") if timestamp else ""


@bp.app_template_filter("waiting")
def waiting(since: float | None) -> str:
    """How long someone has waited, in words, in the console's language."""
    if not since:
        return ""
    return format_timedelta(time.time() - since, locale=staff_language(), add_direction=False)


def _filters() -> dict:
    return {key: request.args.get(key, "") for key in ("lang", "intent", "assignee")} | {
        "status": request.args.get("status", "open")}


def _case_or_404(case_id: int) -> dict:
    case = get_db().case(case_id)
    if case is None:
        abort(404)
    return case


@bp.get("/")
@login_required
def inbox():
    """Open cases, most severe and longest waiting first, with filters."""
    filters = _filters()
    return render_template("console/inbox.html", cases=get_db().cases(g.consultant["id"], **filters),
                           filters=filters, languages=LANGUAGES,
                           intents=sorted(current_app.extensions["mamoru.engine"].intents))


@bp.get("/inbox/rows")
@login_required
def inbox_rows():
    """The inbox table body alone, for the page's live refresh."""
    return render_template("console/_inbox_rows.html",
                           cases=get_db().cases(g.consultant["id"], **_filters()))


def _read_thread(case: dict) -> list[dict]:
    """The case's messages, marked as read by the consultant looking at them."""
    messages = get_db().thread(case)
    if messages:
        get_db().mark_read(case["id"], g.consultant["id"], messages[-1]["id"])
    return messages


@bp.get("/cases/<int:case_id>")
@login_required
def case(case_id: int):
    """One case: the conversation, notes, reply box and actions."""
    store = get_db()
    case = _case_or_404(case_id)
    messages = _read_thread(case)
    audit("view_case", case_id)
    dialogue = current_app.extensions["mamoru.dialogue"]
    canned = [(source, dialogue.replies("ja").canned(source)["text"]) for source in CANNED_REPLIES]
    return render_template("console/case.html", case=case, messages=messages, notes=store.notes(case_id),
                           canned=canned, user=store.user(case["user_id"]) or {})


@bp.get("/cases/<int:case_id>/messages")
@login_required
def case_messages(case_id: int):
    """The conversation alone, for the page's live refresh."""
    return render_template("console/_messages.html", messages=_read_thread(_case_or_404(case_id)))


@bp.post("/cases/<int:case_id>/assign")
@login_required
def assign(case_id: int):
    """Take the case."""
    _case_or_404(case_id)
    get_db().assign(case_id, g.consultant["id"])
    audit("assign", case_id)
    return redirect(url_for("console.case", case_id=case_id))


@bp.post("/cases/<int:case_id>/note")
@login_required
def note(case_id: int):
    """Add an internal note (never sent to the resident)."""
    _case_or_404(case_id)
    body = request.form.get("text", "").strip()
    if body:
        get_db().add_note(case_id, g.consultant["id"], body[:5000])
        audit("note", case_id)
    return redirect(url_for("console.case", case_id=case_id))


@bp.post("/cases/<int:case_id>/reply")
@login_required
def reply(case_id: int):
    """Send a typed or canned reply to the resident in their language."""
    case = _case_or_404(case_id)
    typed, canned = request.form.get("text", "").strip(), request.form.get("canned", "")
    if canned and canned not in CANNED_REPLIES:
        abort(400)
    if typed or canned:
        consultations = current_app.extensions["mamoru.consultations"]
        outbox_id = consultations.reply(get_db(), case, g.consultant, typed=typed[:5000], canned=canned)
        audit("reply", case_id, f"canned:{CANNED_REPLIES.index(canned)}" if canned else f"outbox:{outbox_id}")
    return redirect(url_for("console.case", case_id=case_id))


@bp.post("/cases/<int:case_id>/resolve")
@login_required
def resolve(case_id: int):
    """Close the case; the resident gets a closing message and the bot again."""
    case = _case_or_404(case_id)
    if case["status"] == "open":
        current_app.extensions["mamoru.consultations"].resolve(get_db(), case)
        audit("resolve", case_id)
    return redirect(url_for("console.case", case_id=case_id))


@bp.post("/cases/<int:case_id>/reopen")
@login_required
def reopen(case_id: int):
    """Reopen a closed case (unless the resident has another open one)."""
    _case_or_404(case_id)
    if get_db().reopen_case(case_id):
        audit("reopen", case_id)
    return redirect(url_for("console.case", case_id=case_id))


@bp.post("/language")
def language():
    """Switch the console between Japanese and English."""
    if request.form.get("lang") in ("ja", "en"):
        session["ui_lang"] = request.form["lang"]
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url)
                    else url_for("console.inbox"))


@bp.app_template_global()
def severity_label(severity: str) -> str:
    """A severity's name in the console's language."""
    return {"emergency": _("Emergency"), "urgent": _("Urgent"), "normal": _("Normal")}.get(severity, severity)
