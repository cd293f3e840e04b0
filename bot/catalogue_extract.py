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


def fill_source_catalogue(path: str) -> None:
    """Make the English catalogue complete: English is the source language, so msgstr = msgid."""
    from babel.messages.pofile import read_po, write_po

    with open(path, "rb") as po:
        catalogue = read_po(po)
    for message in catalogue:
        if message.id and not message.string:
            message.string = message.id
    with open(path, "wb") as po:
        write_po(po, catalogue, width=100)


if __name__ == "__main__":
    import sys

    for path in sys.argv[1:]:
        fill_source_catalogue(path)
