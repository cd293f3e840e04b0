"""Sparse features of a folded message: words, word pairs and character n-grams per script."""
from __future__ import annotations

import re
from collections import Counter

from .normalize import MASK_TOKENS

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
    feats: list[str] = []
    previous = None
    for script, tok in tokens(folded):
        if script == "symbol":
            feats.append("s:" + tok)
            continue
        if script in ("cjk", "hangul"):
            # No word boundaries in CJK; Korean words carry their particles ("자전거를", "자전거가"):
            # character n-grams match where whole words rarely do.
            feats.extend(_char_ngrams(tok, 1, 3))
            previous = None
            continue
        feats.append("w:" + tok)
        if tok in MASK_TOKENS:
            # A mask (urlx, langx...) stands for a whole entity: no letters to share with real words,
            # so it counts twice to weigh like a word with its n-grams.
            feats.append("w:" + tok)
        elif script == "latin":
            if not tok.isdigit():
                feats.extend(_char_ngrams("<" + tok + ">", 3, 4))
        else:
            feats.extend(_char_ngrams("<" + tok + ">", 2, 4))
        if previous is not None:
            feats.append("b:" + previous + " " + tok)
        previous = tok
    return Counter(feats)


def _char_ngrams(text: str, low: int, high: int) -> list[str]:
    size = len(text)
    return [text[i:i + n] for n in range(low, high + 1) for i in range(size - n + 1)]
