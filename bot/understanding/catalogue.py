"""Loading and checking the intents/ directory: one TOML file per intent."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

LANGUAGES = ("ja", "en", "zh-Hans", "zh-Hant", "ko", "vi", "tl", "pt-BR", "ne", "id")
NONE_INTENT = "none"
SIGNALS_FILE = "signals.toml"
MAX_LABEL = 20


class CatalogueError(ValueError):
    """An intents file is missing a field or breaks a rule of intents/README.md."""


@dataclass(frozen=True)
class Intent:
    """One intent as the app sees it, plus the examples and keywords the matcher learns from."""

    id: str
    label: str
    answer: str
    follow_ups: tuple[str, ...]
    escalate: bool
    examples: Mapping[str, tuple[str, ...]] = field(repr=False)
    keywords: Mapping[str, tuple[str, ...]] = field(repr=False)


def load_intents(directory: str | Path) -> Mapping[str, Intent]:
    """Read every intent file in `directory` (not signals.toml) into a read-only id -> Intent mapping."""
    intents = {}
    for path in sorted(Path(directory).glob("*.toml")):
        if path.name == SIGNALS_FILE:
            continue
        intent = parse_intent(path)
        if intent.id in intents:
            raise CatalogueError(f"{path.name}: duplicate intent id {intent.id!r}")
        intents[intent.id] = intent
    if not intents:
        raise CatalogueError(f"{directory}: no intent files")
    return MappingProxyType(intents)


def parse_intent(path: Path) -> Intent:
    """Parse and check one intent file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise CatalogueError(f"{path.name}: {e}") from e
    intent_id = data.get("id")
    if not isinstance(intent_id, str) or path.stem != intent_id:
        raise CatalogueError(f"{path.name}: id must be a string equal to the file name")
    is_none = intent_id == NONE_INTENT
    label = data.get("label", "")
    answer = data.get("answer", "")
    if not is_none and not (isinstance(label, str) and label and len(label) <= MAX_LABEL):
        raise CatalogueError(f"{path.name}: label must be 1..{MAX_LABEL} characters")
    if not is_none and not (isinstance(answer, str) and answer.strip()):
        raise CatalogueError(f"{path.name}: answer is required")
    escalate = data.get("escalate", False)
    follow_ups = data.get("follow_ups", [])
    if not isinstance(escalate, bool):
        raise CatalogueError(f"{path.name}: escalate must be true or false")
    if not (isinstance(follow_ups, list) and all(isinstance(f, str) for f in follow_ups)):
        raise CatalogueError(f"{path.name}: follow_ups must be a list of intent ids")
    examples = _per_language(path, data, "examples")
    if not any(examples.values()):
        raise CatalogueError(f"{path.name}: no examples")
    return Intent(
        id=intent_id,
        label=label,
        answer=answer.strip(),
        follow_ups=tuple(follow_ups),
        escalate=escalate,
        examples=examples,
        keywords=_per_language(path, data, "keywords"),
    )


def _per_language(path: Path, data: dict, table: str) -> Mapping[str, tuple[str, ...]]:
    section = data.get(table, {})
    if not isinstance(section, dict):
        raise CatalogueError(f"{path.name}: [{table}] must be a table")
    out = {}
    for lang, items in section.items():
        if lang not in LANGUAGES:
            raise CatalogueError(f"{path.name}: [{table}] has unknown language {lang!r}")
        if not (isinstance(items, list) and all(isinstance(i, str) and i.strip() for i in items)):
            raise CatalogueError(f"{path.name}: [{table}].{lang} must be a list of non-empty strings")
        out[lang] = tuple(items)
    return MappingProxyType(out)
