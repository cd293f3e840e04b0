"""The console's language (Japanese or English) and its gettext for code and templates."""
from __future__ import annotations

from flask import current_app, g, request, session

from ..i18n import STAFF_LANGUAGES, staff_catalogs


def staff_language() -> str:
    """The consultant's chosen console language, else the browser's preference, else the default."""
    chosen = session.get("ui_lang")
    if chosen:
        return chosen
    offered = [language.tag for language in STAFF_LANGUAGES]
    return request.accept_languages.best_match(offered) or current_app.config["STAFF_LANGUAGE"]


def _(message: str, **values) -> str:
    """Translate a console string into the consultant's language."""
    if "staff_tr" not in g:
        g.staff_tr = current_app.extensions["mamoru.staff_catalogs"](staff_language())
    text = g.staff_tr.gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, **values) -> str:
    """Translate a console string with a count."""
    if "staff_tr" not in g:
        g.staff_tr = current_app.extensions["mamoru.staff_catalogs"](staff_language())
    return g.staff_tr.ngettext(singular, plural, n).format(n=n, **values)


def init_app(app) -> None:
    """Load the staff catalogues and give templates {% trans %} and _()."""
    app.extensions["mamoru.staff_catalogs"] = staff_catalogs()
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=False)
