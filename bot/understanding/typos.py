"""Typo repair for Latin-script words: an unknown word gains the known word one edit away."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .normalize import MASK_TOKENS

MIN_LENGTH = 6
# A word must be seen this often in intents/ to be trusted as the right spelling of a typo.
MIN_COUNT = 3
_WORD = re.compile(r"[a-z][a-z']+")


class Speller:
    """Knows the Latin words of the intents data; immutable after construction."""

    def __init__(self, texts: Iterable[str]):
        counts = Counter(w for t in texts for w in _WORD.findall(t))
        self._known = frozenset(counts)
        buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word, n in counts.items():
            if n >= MIN_COUNT and len(word) >= MIN_LENGTH and word not in MASK_TOKENS:
                buckets[word[0], len(word)].append(word)
        self._buckets = {key: tuple(words) for key, words in buckets.items()}

    def repair(self, folded: str) -> str:
        """The folded text with the likely spelling of each unknown word appended (the typo stays)."""
        fixes = []
        for word in set(_WORD.findall(folded)):
            if len(word) < MIN_LENGTH or word in self._known:
                continue
            fix = self._closest(word)
            if fix:
                fixes.append(fix)
        return folded + " " + " ".join(sorted(fixes)) if fixes else folded

    def _closest(self, word: str) -> str | None:
        candidates = [w for size in (len(word) - 1, len(word), len(word) + 1)
                      for w in self._buckets.get((word[0], size), ())]
        match = process.extractOne(word, candidates, scorer=Levenshtein.distance, score_cutoff=1)
        return match[0] if match else None
