"""Folding of messages and cue patterns into one comparable form, and sentence spans."""
from __future__ import annotations

import re
import unicodedata

from ..understanding.normalize import fold_kana, strip_diacritics

# Sentence ends; commas are kept inside a sentence so that "…場合は、詐欺です" stays one warning.
_SENTENCE_END = re.compile(r"[。．！？!?\n]+|\.(?=\s|$)")


def fold(text: str) -> str:
    """NFKC, lower case, Latin accents removed, katakana as hiragana; the length may change."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return text if text.isascii() else fold_kana(strip_diacritics(text))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a folded text."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans
