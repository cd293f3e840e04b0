"""Intent matching: TF-IDF centroids and nearest examples over an inverted index, plus keyword boosts."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

from .features import features, weigh
from .phrases import PREFIX_MARK, PhraseFinder

# Posting lists longer than this belong to features too common to tell examples apart.
MAX_POSTINGS = 400


@dataclass(frozen=True)
class Weights:
    """How the evidence is combined; fixed by benchmarks/intents.py calibration, see there."""

    centroid: float = 0.5
    nearest: float = 0.5
    keyword: float = 0.15
    keyword_cap: int = 2


@dataclass(frozen=True)
class Document:
    """One training text: an example or a keyword of an intent, already folded."""

    intent: str
    text: str
    is_keyword: bool = False


class IntentMatcher:
    """Ranks intents for a folded message; immutable after construction, safe to share between threads."""

    def __init__(self, documents: Iterable[Document], weights: Weights = Weights()):
        docs = [d for d in documents if d.text]
        self.weights = weights
        self.intent_ids = tuple(sorted({d.intent for d in docs}))
        index_of = {intent: i for i, intent in enumerate(self.intent_ids)}
        counts = [features(d.text) for d in docs]
        df = Counter()
        for c in counts:
            df.update(c.keys())
        n = len(docs)
        self._idf = {f: math.log((n + 1) / (k + 1)) + 1.0 for f, k in df.items()}

        centroids = [defaultdict(float) for _ in self.intent_ids]
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._doc_intent = []
        for doc, c in zip(docs, counts):
            vec = weigh(c, self._idf)
            intent = index_of[doc.intent]
            for f, w in vec.items():
                centroids[intent][f] += w
            if not doc.is_keyword:
                doc_id = len(self._doc_intent)
                self._doc_intent.append(intent)
                for f, w in vec.items():
                    postings[f].append((doc_id, w))
        centroid_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for intent, centroid in enumerate(centroids):
            norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
            for f, w in centroid.items():
                centroid_postings[f].append((intent, w / norm))
        self._centroids = {f: tuple(p) for f, p in centroid_postings.items()}
        self._postings = {f: tuple(p) for f, p in postings.items() if len(p) <= MAX_POSTINGS}
        self._keywords = _KeywordIndex((index_of[d.intent], d.text) for d in docs if d.is_keyword)

    def rank(self, folded: str) -> list[tuple[str, float]]:
        """All intents with a score in 0..1, best first."""
        query = weigh(features(folded), self._idf)
        size = len(self.intent_ids)
        centroid = [0.0] * size
        nearest_doc: dict[int, float] = defaultdict(float)
        for f, qw in query.items():
            for intent, w in self._centroids.get(f, ()):
                centroid[intent] += qw * w
            for doc_id, w in self._postings.get(f, ()):
                nearest_doc[doc_id] += qw * w
        nearest = [0.0] * size
        for doc_id, sim in nearest_doc.items():
            intent = self._doc_intent[doc_id]
            if sim > nearest[intent]:
                nearest[intent] = sim
        hits = self._keywords.hits(folded, size)
        wt = self.weights
        scores = [
            min(1.0, wt.centroid * centroid[i] + wt.nearest * nearest[i] + wt.keyword * min(hits[i], wt.keyword_cap))
            for i in range(size)
        ]
        return sorted(zip(self.intent_ids, scores), key=lambda pair: pair[1], reverse=True)


class _KeywordIndex:
    """Which intents' keywords occur in a folded text; Latin keywords of four letters or more match as stems."""

    def __init__(self, keywords: Iterable[tuple[int, str]]):
        self._intents: dict[str, set[int]] = defaultdict(set)
        for intent, kw in keywords:
            phrase = kw + PREFIX_MARK if len(kw) >= 4 and kw[-1].isascii() else kw
            self._intents[phrase].add(intent)
        self._finder = PhraseFinder(self._intents)

    def hits(self, text: str, size: int) -> list[int]:
        """Number of distinct keywords of each intent found in `text`."""
        counts = [0] * size
        for phrase in self._finder.find(text):
            for intent in self._intents[phrase]:
                counts[intent] += 1
        return counts
