"""Babel extractor for intents/*.toml: labels and answers become catalogue entries."""
from __future__ import annotations

import tomllib

from .i18n import source_text


def extract_intents(fileobj, keywords, comment_tags, options):
    """Yield (line, function, message, comments) for an intent file's label and answer."""
    intent = tomllib.loads(fileobj.read().decode("utf-8"))
    for field in ("label", "answer"):
        text = source_text(intent.get(field) or "")
        if text:
            yield 1, "gettext", text, [f"{intent['id']} {field}"]
