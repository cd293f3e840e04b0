"""Language identification per message: script first, then word profiles for Latin-script languages."""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Iterable, Mapping

from .normalize import MASK_TOKENS, mask, nfkc, strip_diacritics

LATIN_LANGS = ("en", "tl", "id", "pt-BR", "vi", "ne")
# Language used when a message carries no evidence at all (an emoji, a number).
DEFAULT_LANG = "ja"
# Weight of one occurrence of a hand-listed word against one occurrence in an intents example.
LISTED_WORD_WEIGHT = 4
SMOOTHING = 0.1
LETTER_BONUS = 6.0

_QUOTED = re.compile(r"「[^」]*」|『[^』]*』|\"[^\"]*\"|“[^”]*”|【[^】]*】")
_LATIN_WORD = re.compile(r"[a-z][a-z']*")


def _script_counts(text: str) -> Counter:
    counts: Counter = Counter()
    for ch in text:
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            counts["hangul"] += 1
        elif 0x0900 <= code <= 0x097F:
            counts["deva"] += 1
        elif 0x3041 <= code <= 0x309F:
            counts["hira"] += 1
        elif 0x30A0 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
            counts["kata"] += 1
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
            counts["han"] += 1
        elif ch.isalpha() and code < 0x250 or 0x1E00 <= code <= 0x1EFF:
            counts["latin"] += 1
    return counts


@lru_cache(maxsize=8192)
def _han_class(ch: str) -> tuple[bool, bool, bool]:
    """(in a Japanese charset, simplified-only, traditional-only) for one Han character."""
    return _encodable(ch, "cp932"), _encodable(ch, "gb2312") and not _encodable(ch, "big5"), \
        _encodable(ch, "big5") and not _encodable(ch, "gb2312")


def _encodable(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


class LanguageIdentifier:
    """Identifies ja, en, zh-Hans, zh-Hant, ko, vi, tl, pt-BR, ne and id; immutable after construction."""

    def __init__(self, word_lists: Mapping[str, str], letters: Mapping[str, str], chinese_markers: str,
                 examples: Mapping[str, Iterable[str]]):
        counts: dict[str, Counter] = {lang: Counter() for lang in LATIN_LANGS}
        listed: set[str] = set()
        for lang, words in word_lists.items():
            for word in words.split():
                counts[lang][word] += LISTED_WORD_WEIGHT
                listed.add(word)
        cjk_counts = {"ja": Counter(), "zh": Counter()}
        for lang, texts in examples.items():
            for text in texts:
                if lang in counts:
                    counts[lang].update(_LATIN_WORD.findall(strip_diacritics(text.casefold())))
                elif lang in ("ja", "zh-Hans", "zh-Hant"):
                    cjk_counts[lang[:2]].update(_han_bigrams(text))
        self._listed = frozenset(listed)
        self._log_prob = self._log_table(counts)
        self._vocab = frozenset().union(*counts.values())
        self._cjk_log_prob = self._log_table(cjk_counts)
        self._letters = {lang: frozenset(v) for lang, v in letters.items()}
        self._markers = frozenset(chinese_markers)

    @staticmethod
    def _log_table(counts: Mapping[str, Counter]) -> dict[str, tuple[dict[str, float], float]]:
        vocab = set().union(*counts.values())
        table = {}
        for lang, c in counts.items():
            denom = sum(c.values()) + SMOOTHING * len(vocab)
            table[lang] = ({w: math.log((n + SMOOTHING) / denom) for w, n in c.items()},
                           math.log(SMOOTHING / denom))
        return table

    @staticmethod
    def _latin_words(text: str) -> list[str]:
        folded = strip_diacritics(mask(nfkc(text)).casefold())
        return [w for w in _LATIN_WORD.findall(folded) if w not in MASK_TOKENS]

    def identify(self, text: str) -> str:
        """Return the BCP 47 tag of the language the message is written in."""
        text = nfkc(text)
        outside = _QUOTED.sub(" ", text)
        counts = _script_counts(outside)
        if counts["hangul"] + counts["deva"] + counts["hira"] + counts["kata"] + counts["han"] + counts["latin"] < 2:
            outside, counts = text, _script_counts(text)
        if counts["hangul"] >= 2:
            return "ko"
        if counts["deva"] >= 2:
            return "ne"
        cjk = counts["hira"] + counts["kata"] + counts["han"]
        words = self._latin_words(outside)
        if words:
            hits = sum(w in self._listed for w in words)
            if not cjk or hits >= 2 or (hits and (len(words) >= 3 or len(words) * 2 >= cjk)):
                return self._latin_language(outside, words)
        if cjk:
            return self._cjk_language(outside, counts)
        return DEFAULT_LANG

    def _latin_language(self, original: str, words: list[str]) -> str:
        known = [w for w in words if w in self._vocab]
        scores = {lang: sum(logp.get(w, unseen) for w in known) for lang, (logp, unseen) in self._log_prob.items()}
        for lang, letters in self._letters.items():
            scores[lang] += LETTER_BONUS * sum(ch in letters for ch in original)
        return max(LATIN_LANGS, key=lambda lang: scores[lang])

    def _cjk_language(self, text: str, counts: Counter) -> str:
        han = [ch for ch in text if 0x3400 <= ord(ch) <= 0x9FFF or 0xF900 <= ord(ch) <= 0xFAFF]
        classes = [_han_class(ch) for ch in han]
        not_japanese = sum(not jis for jis, _, _ in classes)
        markers = sum(ch in self._markers for ch in text)
        zh_evidence = 2 * markers + not_japanese
        ja_evidence = 2 * counts["hira"] + (counts["kata"] if not markers else 0)
        if ja_evidence > zh_evidence or (counts["hira"] and ja_evidence == zh_evidence):
            return "ja"
        if zh_evidence == 0 and not self._chinese_bigrams(text):
            return "ja"
        simplified = sum(s for _, s, _ in classes)
        traditional = sum(t for _, _, t in classes)
        return "zh-Hant" if traditional > simplified else "zh-Hans"

    def _chinese_bigrams(self, text: str) -> bool:
        grams = _han_bigrams(text)
        if not grams:
            return False
        ja_logp, ja_unseen = self._cjk_log_prob["ja"]
        zh_logp, zh_unseen = self._cjk_log_prob["zh"]
        ja = sum(ja_logp.get(g, ja_unseen) for g in grams)
        zh = sum(zh_logp.get(g, zh_unseen) for g in grams)
        return zh > ja


def _han_bigrams(text: str) -> list[str]:
    chars = [ch for ch in text if 0x3400 <= ord(ch) <= 0x9FFF or 0xF900 <= ord(ch) <= 0xFAFF or 0x3040 <= ord(ch) <= 0x30FF]
    return [a + b for a, b in zip(chars, chars[1:])] + chars
