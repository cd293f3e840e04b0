"""JSON-lines batch commands (`mamoru classify`, `mamoru check`): one answer per {"id", "text"} line."""
from __future__ import annotations

import json
from typing import IO, Callable


def answer_lines(infile: IO[str], outfile: IO[str], answer: Callable[[str], dict]) -> None:
    """Write {"id", **answer(text)} for each {"id", "text"} line read; a line that is not such an
    object gets {"id", "error"} instead of stopping the run."""
    for line in infile:
        if not line.strip():
            continue
        item_id, text, error = _parse(line)
        record = {"id": item_id, "error": error} if error else {"id": item_id, **answer(text)}
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
