"""Batch classification over JSON lines, as `mamoru classify` and the scorer use it."""
from __future__ import annotations

from typing import IO

from ..jsonlines import answer_lines
from .engine import Engine


def classify_stream(engine: Engine, infile: IO[str], outfile: IO[str]) -> None:
    """Read {"id", "text"} JSON lines and write {"id", "intent", "lang", "score", "escalate"} per line."""
    def answer(text: str) -> dict:
        result = engine.classify(text)
        return {"intent": result.intent, "lang": result.lang, "score": result.score, "escalate": result.escalate}

    answer_lines(infile, outfile, answer)
