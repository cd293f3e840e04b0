"""Escalation signals from intents/signals.toml: rules of co-occurring phrases, one severity each."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .catalogue import LANGUAGES, CatalogueError
from .normalize import fold
from .phrases import PREFIX_MARK, PhraseFinder

# Most severe first; a message takes the most severe signal it carries.
SEVERITIES = ("emergency", "urgent", "normal")
LOSS_TABLE = "loss"
LOSS_SEVERITY = "urgent"
NOT_NOW_TABLE = "not_now"
TERM_SEPARATOR = "+"
ALTERNATIVE_SEPARATOR = "|"
NEGATION = "!"


@dataclass(frozen=True)
class Rule:
    """Fires when every term has one alternative in the text and no negated term has any."""

    severity: str
    lang: str
    source: str
    terms: tuple[frozenset[str], ...]
    negations: tuple[frozenset[str], ...]
    loss: bool = False

    def fires(self, present: set[str]) -> bool:
        """True when the found phrases satisfy this rule."""
        return all(not present.isdisjoint(t) for t in self.terms) and all(present.isdisjoint(n) for n in self.negations)


@dataclass(frozen=True)
class Signal:
    """What the rules say about one message: the severity (or None) and whether money is already lost."""

    severity: str | None
    loss: bool


class SignalSet:
    """All rules, searched with one phrase index; immutable after construction. A `not_now` phrase (past
    or hypothetical) silences the emergency rules only."""

    def __init__(self, rules: Iterable[Rule], not_now: Iterable[str] = (), loss_intent: str | None = None,
                 loss_relabels: Iterable[str] = ()):
        self.rules = tuple(sorted(rules, key=lambda r: SEVERITIES.index(r.severity)))
        self.not_now = frozenset(not_now)
        self.loss_intent = loss_intent
        self.loss_relabels = frozenset(loss_relabels)
        phrases = {p for r in self.rules for term in r.terms + r.negations for p in term} | self.not_now
        self._finder = PhraseFinder(phrases)
        # A rule can only fire when one alternative of its first term is present.
        by_first: dict[str, list[int]] = {}
        for n, rule in enumerate(self.rules):
            for p in rule.terms[0]:
                by_first.setdefault(p, []).append(n)
        self._by_first = by_first

    def detect(self, folded: str) -> Signal:
        """The most severe signal of a folded text, and whether a loss rule fired."""
        fired = self.matching(folded)
        return Signal(fired[0].severity if fired else None, any(r.loss for r in fired))

    def matching(self, folded: str) -> list[Rule]:
        """Every rule that fires on a folded text, most severe first."""
        present = self._finder.find(folded)
        if not present:
            return []
        past = not self.not_now.isdisjoint(present)
        candidates = sorted({n for p in present for n in self._by_first.get(p, ())})
        return [r for r in map(self.rules.__getitem__, candidates)
                if r.fires(present) and not (past and r.severity == "emergency")]


def parse_rule(severity: str, lang: str, source: str, loss: bool = False) -> Rule:
    """Parse "a|b + c + !d" into a Rule; alternatives are folded like the messages they are matched in."""
    terms, negations = [], []
    for raw in source.split(TERM_SEPARATOR):
        raw = raw.strip()
        negated = raw.startswith(NEGATION)
        alternatives = frozenset(_fold_alternative(a) for a in raw.lstrip(NEGATION).split(ALTERNATIVE_SEPARATOR))
        alternatives = frozenset(a for a in alternatives if a.rstrip(PREFIX_MARK))
        if not alternatives:
            raise CatalogueError(f"signals.toml: empty term in {source!r}")
        (negations if negated else terms).append(alternatives)
    if not terms:
        raise CatalogueError(f"signals.toml: rule {source!r} has no positive term")
    return Rule(severity, lang, source, tuple(terms), tuple(negations), loss)


def _fold_alternative(text: str) -> str:
    stem = text.strip().endswith(PREFIX_MARK)
    folded = fold(text.strip().rstrip(PREFIX_MARK))
    return folded + PREFIX_MARK if stem else folded


def load_signals(path: str | Path) -> SignalSet:
    """Read signals.toml: a table per severity, [loss] and [not_now], each with one list per language."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise CatalogueError(f"signals.toml: {e}") from e
    not_now = data.pop(NOT_NOW_TABLE, {})
    loss_intent = data.pop("loss_intent", None)
    loss_relabels = data.pop("loss_relabels", [])
    rules = []
    for table, by_lang in data.items():
        if table not in SEVERITIES + (LOSS_TABLE,) or not isinstance(by_lang, dict):
            raise CatalogueError(f"signals.toml: unknown table [{table}]")
        loss = table == LOSS_TABLE
        for lang, sources in by_lang.items():
            if lang not in LANGUAGES or not isinstance(sources, list):
                raise CatalogueError(f"signals.toml: [{table}].{lang} must be a list for a known language")
            rules.extend(parse_rule(LOSS_SEVERITY if loss else table, lang, s, loss) for s in sources)
    not_now_phrases = (_fold_alternative(p) for phrases in not_now.values() for p in phrases)
    return SignalSet(rules, not_now_phrases, loss_intent, loss_relabels)
