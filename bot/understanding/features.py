"""Sparse features of a folded message: words, word pairs and character n-grams per script."""
from __future__ import annotations

import math
import re
from collections import Counter

from .normalize import MASK_TOKENS

# A mask has no character n-grams, so it counts as several occurrences to weigh like a real word.
MASK_WEIGHT = 2

# One alternative per script run; CJK runs have no word boundaries, so they get character n-grams only.
_TOKEN = re.compile(
    r"(?P<latin>[a-z0-9']+)"
    r"|(?P<hangul>[\u3131-\u318e\uac00-\ud7a3]+)"
    r"|(?P<deva>[\u0900-\u0963\u0971-\u097f]+)"
    r"|(?P<cjk>[\u3041-\u30ff\u3400-\u9fff\uf900-\ufaff々〆]+)"
    r"|(?P<symbol>[\U0001F300-\U0001FAFF\u2600-\u27bf])"
)


def tokens(folded: str) -> list[tuple[str, str]]:
    """Split a folded text into (script, token) runs."""
    return [(m.lastgroup, m.group()) for m in _TOKEN.finditer(folded)]


def features(folded: str) -> Counter:
    """Count the features of a folded text."""
    out: Counter = Counter()
    previous = None
    for script, tok in tokens(folded):
        if script == "cjk":
            _char_ngrams(out, tok, 1, 3)
            previous = None
            continue
        if script == "symbol":
            out["s:" + tok] += 1
            continue
        if script == "hangul":
            # Korean words carry their particles ("자전거를", "자전거가"): syllable n-grams match, words rarely do.
            _char_ngrams(out, tok, 1, 3)
            previous = None
            continue
        out["w:" + tok] += MASK_WEIGHT if tok in MASK_TOKENS else 1
        if previous is not None:
            out["b:" + previous + " " + tok] += 1
        previous = tok
        if script == "latin":
            # Masks (urlx, langx...) stand for a whole entity: their letters must not meet real words.
            if not tok.isdigit() and tok not in MASK_TOKENS:
                _char_ngrams(out, "<" + tok + ">", 3, 4)
        else:
            _char_ngrams(out, "<" + tok + ">", 2, 4)
    return out


def _char_ngrams(out: Counter, text: str, low: int, high: int) -> None:
    size = len(text)
    for n in range(low, high + 1):
        for i in range(size - n + 1):
            out[text[i:i + n]] += 1


def weigh(counts: Counter, idf: dict[str, float]) -> dict[str, float]:
    """Sublinear TF-IDF vector with unit length; features unknown to `idf` are dropped."""
    get = idf.get
    vec = {f: (w if n == 1 else w * (1.0 + math.log(n))) for f, n in counts.items() if (w := get(f)) is not None}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    if norm:
        scale = 1.0 / norm
        vec = {f: v * scale for f, v in vec.items()}
    return vec
