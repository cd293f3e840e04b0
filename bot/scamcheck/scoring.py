"""Weights of signals, their combinations and the risk thresholds (data/scoring.toml)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

GENUINE = "genuine"
NO_PATTERN = "none"
GENERAL_PATTERN = "scam.general"


@dataclass(frozen=True)
class SignalInfo:
    """How one signal counts."""

    weight: float
    kind: str
    patterns: Mapping[str, float]


@dataclass(frozen=True)
class Combo:
    """A derived signal for signs that mean more together than apart."""

    id: str
    weight: float
    any_of: frozenset[str]
    and_any_of: frozenset[str]
    min_kinds: int
    patterns: Mapping[str, float]

    def fires(self, signals: set[str], kinds: set[str]) -> bool:
        """True when the combination is present among the signals."""
        if self.min_kinds:
            return len(kinds) >= self.min_kinds
        return bool(self.any_of & signals) and bool(self.and_any_of & signals)


@dataclass(frozen=True)
class Assessment:
    """The scored outcome before it is dressed as a Verdict."""

    risk: str
    score: float
    pattern: str
    signals: tuple[str, ...]


class Scoring:
    """Turns a set of signal ids into risk, pattern and reasons ordered by weight."""

    def __init__(self, signals: Mapping[str, SignalInfo], combos: tuple[Combo, ...], high: float, medium: float):
        self.signals = signals
        self.combos = combos
        self.high = high
        self.medium = medium

    def assess(self, found: set[str]) -> Assessment:
        """Score the signals of one message."""
        found = {s for s in found if s in self.signals}
        kinds = {self.signals[s].kind for s in found if self.signals[s].weight > 0 and self.signals[s].kind != GENUINE}
        weights = {s: self.signals[s].weight for s in found}
        patterns: dict[str, float] = {}
        for s in found:
            for pattern, hint in self.signals[s].patterns.items():
                patterns[pattern] = patterns.get(pattern, 0.0) + hint
        for combo in self.combos:
            if combo.fires(found, kinds):
                weights[combo.id] = combo.weight
                for pattern, hint in combo.patterns.items():
                    patterns[pattern] = patterns.get(pattern, 0.0) + hint
        score = round(sum(weights.values()), 2)
        risk = "high" if score >= self.high else "medium" if score >= self.medium else "low"
        if risk == "low":
            pattern = NO_PATTERN
        else:
            pattern = max(sorted(patterns), key=patterns.get) if patterns else GENERAL_PATTERN
        ordered = tuple(sorted(weights, key=lambda s: (-weights[s], s)))
        return Assessment(risk, score, pattern, ordered)


def load_scoring(path: Path) -> Scoring:
    """Read data/scoring.toml."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    signals = {sid: SignalInfo(float(s["weight"]), s["kind"], dict(s.get("patterns", {})))
               for sid, s in data["signal"].items()}
    combos = tuple(Combo(c["id"], float(c["weight"]), frozenset(c.get("any_of", ())), frozenset(c.get("and_any_of", ())),
                         int(c.get("min_kinds", 0)), dict(c.get("patterns", {})))
                   for c in data.get("combo", ()))
    return Scoring(signals, combos, float(data["risk"]["high"]), float(data["risk"]["medium"]))
