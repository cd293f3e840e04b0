"""Batch checking over JSON lines, as `mamoru check` and the scorer use it."""
from __future__ import annotations

import json
from typing import IO

from .checker import Checker


def check_stream(checker: Checker, infile: IO[str], outfile: IO[str]) -> None:
    """Read {"id", "text"} JSON lines and write {"id", "risk", "pattern", "signals"} per line;
    a line that is not such an object gets {"id", "error"} instead of stopping the run."""
    for line in infile:
        if not line.strip():
            continue
        item_id, text, error = _parse(line)
        if error:
            record = {"id": item_id, "error": error}
        else:
            verdict = checker.check(text)
            record = {"id": item_id, "risk": verdict.risk, "pattern": verdict.pattern, "signals": list(verdict.signals)}
        outfile.write(json.dumps(record, ensure_ascii=False) + "\n")
    outfile.flush()


def _parse(line: str) -> tuple[object, str, str | None]:
    try:
        item = json.loads(line)
    except ValueError as e:
        return None, "", f"invalid JSON: {e}"
    if not isinstance(item, dict):
        return None, "", "expected a JSON object"
    text = item.get("text")
    if not isinstance(text, str):
        return item.get("id"), "", "field 'text' must be a string"
    return item.get("id"), text, None
