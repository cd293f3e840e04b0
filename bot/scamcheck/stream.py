"""Batch checking over JSON lines, as `mamoru check` and the scorer use it."""
from __future__ import annotations

from typing import IO

from ..jsonlines import answer_lines
from .checker import Checker


def check_stream(checker: Checker, infile: IO[str], outfile: IO[str]) -> None:
    """Read {"id", "text"} JSON lines and write {"id", "risk", "pattern", "signals"} per line."""
    def answer(text: str) -> dict:
        verdict = checker.check(text)
        return {"risk": verdict.risk, "pattern": verdict.pattern, "signals": list(verdict.signals)}

    answer_lines(infile, outfile, answer)
