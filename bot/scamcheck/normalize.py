"""Folding of messages and cue patterns into one comparable form, and sentence spans."""
from __future__ import annotations

import re
import unicodedata

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
# Letters NFD does not decompose but people type without their stroke.
_LATIN_EXTRA = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "ı": "i"})
# Sentence ends; commas are kept inside a sentence so that "…場合は、詐欺です" stays one warning.
_SENTENCE_END = re.compile(r"[。．！？!?\n]+|\.(?=\s|$)")


def fold(text: str) -> str:
    """NFKC, lower case, Latin accents removed, katakana as hiragana; the length may change."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        text = _strip_latin_accents(text).translate(_KATAKANA_TO_HIRAGANA)
    return text


def _strip_latin_accents(text: str) -> str:
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and _is_latin(out[-1]):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).translate(_LATIN_EXTRA)


def _is_latin(ch: str) -> bool:
    code = ord(ch)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF


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
