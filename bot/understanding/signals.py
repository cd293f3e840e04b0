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
TERM_SEPARATOR = "+"
ALTERNATIVE_SEPARATOR = "|"
NEGATION = "!"
NOT_NOW_TABLE = "not_now"


@dataclass(frozen=True)
class Rule:
    """Fires when every term has one alternative in the text and no negated term has any."""

    severity: str
    lang: str
    source: str
    terms: tuple[frozenset[str], ...]
    negations: tuple[frozenset[str], ...]

    def fires(self, present: set[str]) -> bool:
        """True when the found phrases satisfy this rule."""
        return all(not present.isdisjoint(t) for t in self.terms) and all(present.isdisjoint(n) for n in self.negations)


class SignalSet:
    """All rules, searched with one phrase index; immutable after construction. A `not_now` phrase (past
    or hypothetical) silences the emergency rules only."""

    def __init__(self, rules: Iterable[Rule], not_now: Iterable[str] = ()):
        self.rules = tuple(sorted(rules, key=lambda r: SEVERITIES.index(r.severity)))
        self.not_now = frozenset(not_now)
        phrases = {p for r in self.rules for term in r.terms + r.negations for p in term} | self.not_now
        self._finder = PhraseFinder(phrases)

    def detect(self, folded: str) -> str | None:
        """The severity of the most severe rule that fires on a folded text, or None."""
        fired = self.matching(folded)
        return fired[0].severity if fired else None

    def matching(self, folded: str) -> list[Rule]:
        """Every rule that fires on a folded text, most severe first."""
        present = self._finder.find(folded)
        past = not self.not_now.isdisjoint(present)
        return [r for r in self.rules if r.fires(present) and not (past and r.severity == "emergency")]


def parse_rule(severity: str, lang: str, source: str) -> Rule:
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
    return Rule(severity, lang, source, tuple(terms), tuple(negations))


def _fold_alternative(text: str) -> str:
    stem = text.strip().endswith(PREFIX_MARK)
    folded = fold(text.strip().rstrip(PREFIX_MARK))
    return folded + PREFIX_MARK if stem else folded


def load_signals(path: str | Path) -> SignalSet:
    """Read signals.toml: one table per severity and a [not_now] table, each with one list per language."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise CatalogueError(f"signals.toml: {e}") from e
    not_now = data.pop(NOT_NOW_TABLE, {})
    rules = []
    for severity, by_lang in data.items():
        if severity not in SEVERITIES or not isinstance(by_lang, dict):
            raise CatalogueError(f"signals.toml: unknown table [{severity}]")
        for lang, sources in by_lang.items():
            if lang not in LANGUAGES or not isinstance(sources, list):
                raise CatalogueError(f"signals.toml: [{severity}].{lang} must be a list for a known language")
            rules.extend(parse_rule(severity, lang, s) for s in sources)
    return SignalSet(rules, (_fold_alternative(p) for phrases in not_now.values() for p in phrases))
