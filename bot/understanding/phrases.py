"""Finding many folded phrases in a folded text in one pass, respecting word edges in Latin script."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

PREFIX_MARK = "*"


class PhraseFinder:
    """Index of phrases by their first characters; a Latin phrase must start at a word edge and, unless
    it ends with "*" (a stem: "transfer*"), end at one too."""

    def __init__(self, phrases: Iterable[str]):
        index: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
        for phrase in set(phrases):
            stem = phrase.endswith(PREFIX_MARK)
            body = phrase.rstrip(PREFIX_MARK)
            if body:
                index[body[:2]].append((phrase, body, stem))
        self._index = {key: tuple(v) for key, v in index.items()}
        self._single = {key for key in self._index if len(key) == 1}

    def find(self, text: str) -> set[str]:
        """The phrases (as given, with their "*") that occur in `text`."""
        found = set()
        size = len(text)
        index, single = self._index, self._single
        for m in _CANDIDATE_START.finditer(text):
            i = m.start()
            keys = (text[i:i + 2], text[i]) if text[i] in single else (text[i:i + 2],)
            for key in keys:
                for phrase, body, stem in index.get(key, ()):
                    if not text.startswith(body, i):
                        continue
                    end = i + len(body)
                    if stem or end >= size or not (_word_char(body[-1]) and _word_char(text[end])):
                        found.add(phrase)
        return found


# Where a phrase may start: the first letter or digit of a Latin word, or any other non-space character.
_CANDIDATE_START = re.compile(r"(?<![a-z0-9])[a-z0-9]|[^a-z0-9\s]")


def _word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
