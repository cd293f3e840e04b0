"""Finding many folded phrases in a folded text in one pass, respecting word edges in Latin script."""
from __future__ import annotations

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
        for i in range(size):
            if i and _word_char(text[i - 1]) and _word_char(text[i]):
                continue
            keys = [text[i:i + 2]]
            if text[i] in self._single:
                keys.append(text[i])
            for key in keys:
                for phrase, body, stem in self._index.get(key, ()):
                    if not text.startswith(body, i):
                        continue
                    end = i + len(body)
                    if stem or end >= size or not (_word_char(body[-1]) and _word_char(text[end])):
                        found.add(phrase)
        return found


def _word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
