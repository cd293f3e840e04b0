"""The understanding engine: normalise, identify the language, match the intent, decide escalation."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .catalogue import NONE_INTENT, SIGNALS_FILE, Intent, load_intents
from .compiled import load_or_build
from .langid import DEFAULT_LANG, LanguageIdentifier
from .matcher import Document, IntentMatcher
from .normalize import MASK_TOKENS, fold
from .signals import SEVERITIES, SignalSet, load_signals
from .typos import Speller

DATA_DIR = Path(__file__).with_name("data")
# Below this matcher score the engine answers `none` rather than guess a topic. Set on the development
# messages (long, real-world); `benchmarks/intents.py --calibrate` shows the trade-off on held-out examples.
THRESHOLD = 0.2
# Intents that a signal of this severity stands for, and the severity such an intent carries by itself.
SEVERITY_INTENT = {"emergency": "emergency", "normal": "human"}
INTENT_SEVERITY = {intent: severity for severity, intent in SEVERITY_INTENT.items()}
DEFAULT_INTENT_SEVERITY = "urgent"


@dataclass(frozen=True)
class Understanding:
    """What the engine understood of one message."""

    intent: str
    lang: str
    score: float
    escalate: bool
    severity: str | None


class Engine:
    """Classifies messages; holds only immutable state, so one instance serves many threads."""

    def __init__(self, intents: Mapping[str, Intent], matcher: IntentMatcher, langid: LanguageIdentifier,
                 signals: SignalSet, speller: Speller, threshold: float = THRESHOLD):
        self.intents = intents
        self.matcher = matcher
        self.langid = langid
        self.signals = signals
        self.speller = speller
        self.threshold = threshold

    def classify(self, text: str) -> Understanding:
        """Understand one message."""
        text = text or ""
        folded = fold(text)
        lang = self.langid.identify(text) if folded else DEFAULT_LANG
        intent, score = NONE_INTENT, 0.0
        # Signals read the message as written: a "repaired" inflection could turn "he sent" into "I sent".
        signal = self.signals.detect(folded)
        severity = signal.severity
        if _has_words(folded):
            # A message that carries an escalation signal is in scope even when its wording is unusual.
            intent, score = self.matcher.best(self.speller.repair(folded), in_scope=severity is not None)
            if score < self.threshold and severity is None:
                intent = NONE_INTENT
        # The spec puts money already handed over under scam.victim, whatever scam took it.
        if signal.loss and intent in self.signals.loss_relabels and self.signals.loss_intent in self.intents:
            intent = self.signals.loss_intent
        # Danger now outranks the topic (the reply must start with 110); a plain request for a person is `human`.
        info = self.intents.get(intent)
        routed = SEVERITY_INTENT.get(severity)
        if routed in self.intents and not (info and info.escalate):
            intent, info = routed, self.intents[routed]
        if info is not None and info.escalate:
            severity = _most_severe(severity, INTENT_SEVERITY.get(intent, DEFAULT_INTENT_SEVERITY))
        return Understanding(intent=intent, lang=lang, score=round(score, 4), escalate=severity is not None,
                             severity=severity)


def _has_words(folded: str) -> bool:
    """True when the text has letters beyond the URL/number masks: a bare number or emoji is not a topic."""
    return any(ch.isalpha() for word in folded.split() if word not in MASK_TOKENS for ch in word)


def _most_severe(a: str | None, b: str | None) -> str | None:
    present = [s for s in (a, b) if s is not None]
    return min(present, key=SEVERITIES.index) if present else None


def load_engine(intents_dir: str | Path, cache_dir: str | Path | None = None) -> Engine:
    """The engine for `intents_dir`: the compiled copy in `cache_dir` while it is current, else a fresh build."""
    if cache_dir is None:
        return build_engine(intents_dir)
    return load_or_build(Path(intents_dir), Path(cache_dir), lambda: build_engine(intents_dir))


def build_engine(intents_dir: str | Path) -> Engine:
    """Build an Engine from the intents, signals and language data."""
    intents_dir = Path(intents_dir)
    intents = load_intents(intents_dir)
    documents = []
    for intent in intents.values():
        for texts in intent.examples.values():
            documents.extend(Document(intent.id, fold(t)) for t in texts)
        for words in intent.keywords.values():
            # A keyword that folds to a mask ("English" -> langx) is not specific to any intent.
            documents.extend(Document(intent.id, k, is_keyword=True) for k in map(fold, words) if _has_words(k))
    langdata = tomllib.loads((DATA_DIR / "langid.toml").read_text(encoding="utf-8"))
    examples_by_lang: dict[str, list[str]] = {}
    for intent in intents.values():
        for lang, texts in intent.examples.items():
            examples_by_lang.setdefault(lang, []).extend(texts)
    langid = LanguageIdentifier(langdata["words"], langdata["letters"], langdata["chinese"]["markers"],
                                examples_by_lang)
    signals_path = intents_dir / SIGNALS_FILE
    signals = load_signals(signals_path) if signals_path.exists() else SignalSet(())
    speller = Speller([d.text for d in documents] + [p for r in signals.rules for t in r.terms for p in t])
    return Engine(intents, IntentMatcher(documents, none_intent=NONE_INTENT), langid, signals, speller)
