"""Intent matching: TF-IDF centroids and nearest examples over an inverted (CSR) index, plus keyword boosts."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np

from .features import features
from .phrases import PREFIX_MARK, PhraseFinder

# Posting lists longer than this belong to features too common to tell examples apart.
MAX_POSTINGS = 400


@dataclass(frozen=True)
class Weights:
    """How the evidence is combined; set on the development messages, checked by cross-validation."""

    centroid: float = 0.55
    nearest: float = 0.45
    keyword: float = 0.04
    keyword_cap: int = 2
    # The out-of-scope class has no meaningful centre: it is scored by its nearest example alone.
    none_nearest: float = 0.8


@dataclass(frozen=True)
class Document:
    """One training text: an example or a keyword of an intent, already folded."""

    intent: str
    text: str
    is_keyword: bool = False


class _Postings:
    """A sparse feature -> (row, weight) index in CSR form, gathered for many features at once."""

    def __init__(self, feature: np.ndarray, row: np.ndarray, weight: np.ndarray, n_features: int):
        order = np.argsort(feature, kind="stable")
        self.row = row[order].astype(np.int32)
        self.weight = weight[order].astype(np.float32)
        self.ptr = np.zeros(n_features + 1, dtype=np.int64)
        np.cumsum(np.bincount(feature, minlength=n_features), out=self.ptr[1:])

    def scores(self, query_ids: np.ndarray, query_weights: np.ndarray, size: int) -> np.ndarray:
        """Dot product of the query with every row."""
        starts, ends = self.ptr[query_ids], self.ptr[query_ids + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if not total:
            return np.zeros(size, dtype=np.float64)
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        return np.bincount(self.row[offsets], weights=self.weight[offsets] * np.repeat(query_weights, lengths),
                           minlength=size)


class IntentMatcher:
    """Ranks intents for a folded message; immutable after construction, safe to share between threads."""

    def __init__(self, documents: Iterable[Document], weights: Weights = Weights(), none_intent: str = "none"):
        # Examples first, grouped by intent, so that per-intent maxima are one reduceat over contiguous rows.
        docs = sorted((d for d in documents if d.text), key=lambda d: (d.is_keyword, d.intent))
        self.weights = weights
        self.intent_ids = tuple(sorted({d.intent for d in docs}))
        index_of = {intent: i for i, intent in enumerate(self.intent_ids)}
        self._none = index_of.get(none_intent)
        vocab: dict[str, int] = {}
        feat_ids, counts, lengths = [], [], []
        for d in docs:
            c = features(d.text)
            feat_ids.extend(vocab.setdefault(f, len(vocab)) for f in c)
            counts.extend(c.values())
            lengths.append(len(c))
        self._vocab = vocab
        n_docs, n_feats = len(docs), len(vocab)
        feat = np.fromiter(feat_ids, dtype=np.int64, count=len(feat_ids))
        tf = _sublinear(np.fromiter(counts, dtype=np.float64, count=len(counts)))
        doc = np.repeat(np.arange(n_docs), lengths)
        intent_of_doc = np.array([index_of[d.intent] for d in docs], dtype=np.int64)
        key = intent_of_doc[doc] * n_feats + feat
        uniq, inverse = np.unique(key, return_inverse=True)
        n_intents = len(self.intent_ids)
        self._idf = np.log((n_docs + 1) / (np.bincount(feat, minlength=n_feats) + 1)) + 1.0
        w = tf * self._idf[feat]
        w /= np.sqrt(np.bincount(doc, weights=w * w, minlength=n_docs))[doc]
        sums = np.bincount(inverse, weights=w)
        c_intent, c_feat = uniq // n_feats, uniq % n_feats
        sums /= np.sqrt(np.bincount(c_intent, weights=sums * sums, minlength=n_intents))[c_intent]
        self._centroids = _Postings(c_feat, c_intent, sums, n_feats)

        n_examples = sum(not d.is_keyword for d in docs)
        self._example_starts = np.searchsorted(intent_of_doc[:n_examples], np.arange(n_intents))
        self._has_examples = np.bincount(intent_of_doc[:n_examples], minlength=n_intents) > 0
        in_example = doc < n_examples
        common = np.bincount(feat[in_example], minlength=n_feats) > MAX_POSTINGS
        keep = in_example & ~common[feat]
        self._n_examples = n_examples
        self._examples = _Postings(feat[keep], doc[keep], w[keep], n_feats)
        self._keywords = _KeywordIndex((index_of[d.intent], d.text) for d in docs if d.is_keyword)

    def best(self, folded: str, in_scope: bool = False) -> tuple[str, float]:
        """The best intent and its score; with in_scope, the best one that is not the none intent."""
        scores = self.scores(folded)
        if in_scope and self._none is not None:
            scores[self._none] = -1.0
        i = int(np.argmax(scores))
        return self.intent_ids[i], float(scores[i])

    def scores(self, folded: str) -> np.ndarray:
        """Score of every intent (in the order of `intent_ids`) for a folded message."""
        size = len(self.intent_ids)
        counts = features(folded)
        known = [(self._vocab[f], n) for f, n in counts.items() if f in self._vocab]
        if not known:
            return np.zeros(size)
        ids = np.fromiter((i for i, _ in known), dtype=np.int64, count=len(known))
        q = _sublinear(np.fromiter((n for _, n in known), dtype=np.float64, count=len(known))) * self._idf[ids]
        q /= np.sqrt(q @ q)
        centroid = self._centroids.scores(ids, q, size)
        sims = self._examples.scores(ids, q, self._n_examples)
        starts = np.minimum(self._example_starts, self._n_examples - 1)
        nearest = np.where(self._has_examples, np.maximum.reduceat(sims, starts), 0.0)
        hits = np.minimum(self._keywords.hits(folded, size), self.weights.keyword_cap)
        wt = self.weights
        scores = wt.centroid * centroid + wt.nearest * nearest + wt.keyword * hits
        if self._none is not None:
            scores[self._none] = wt.none_nearest * nearest[self._none]
        return np.minimum(1.0, scores)


def _sublinear(tf: np.ndarray) -> np.ndarray:
    return np.where(tf > 1, 1.0 + np.log(np.maximum(tf, 1.0)), tf)


class _KeywordIndex:
    """Which intents' keywords occur in a folded text; Latin keywords of four letters or more match as stems."""

    def __init__(self, keywords: Iterable[tuple[int, str]]):
        self._intents: dict[str, set[int]] = {}
        for intent, kw in keywords:
            phrase = kw + PREFIX_MARK if len(kw) >= 4 and kw[-1].isascii() else kw
            self._intents.setdefault(phrase, set()).add(intent)
        self._finder = PhraseFinder(self._intents)

    def hits(self, text: str, size: int) -> np.ndarray:
        """Number of distinct keywords of each intent found in `text`."""
        counts = np.zeros(size)
        for phrase in self._finder.find(text):
            for intent in self._intents[phrase]:
                counts[intent] += 1
        return counts
