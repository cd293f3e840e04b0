"""Text normalisation for matching: width, case, kana, diacritics, Han variants, masks, Japanese spellings."""
from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

# Numbers that carry meaning by themselves (emergency and consultation lines) survive masking.
KEPT_NUMBERS = frozenset({"110", "119", "188", "189", "9110", "8103", "8891", "7119"})

URL_TOKEN = " urlx "
TEL_TOKEN = " telx "
MAIL_TOKEN = " mailx "
LANGUAGE_TOKEN = "langx"
MASK_TOKENS = frozenset({"urlx", "telx", "mailx", LANGUAGE_TOKEN})

_URL = re.compile(
    r"(?:https?://|www\.)[!-~]+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|jp|xyz|top|info|biz|cc|co|io|me|app|link|site|online|shop|vip|icu|club|cn|tk)\b(?:/[!-~]*)?",
    re.IGNORECASE,
)
_MAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Japanese phone numbers, also the half-hidden ones people paste ("050-3xxx-xxxx").
_TEL = re.compile(r"(?<![\w#])(?:\+?81[- ]?|0)[0-9x]{1,4}[- ][0-9x]{1,4}[- ][0-9x]{3,4}(?![\w])|(?<![\w#])0[5-9]0[0-9]{8}(?!\d)", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SPACES = re.compile(r"\s+")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_ACCENTED_LATIN = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
# Letters NFD does not decompose but people type without their stroke or ligature.
_LATIN_EXTRA = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
# Japanese long vowels as romanised by foreigners: "bouhan touroku", "bohan toroku" and "bōhan tōroku" meet.
_ROMAJI_LONG = re.compile(r"(?<=[bcdfghjkmnprstwyz])(?:ou|oo|uu)")


def nfkc(text: str) -> str:
    """Unicode NFKC (full/half width, compatibility forms) with every decimal digit made ASCII."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii() and _OTHER_DIGIT.search(text):
        text = _OTHER_DIGIT.sub(lambda m: str(unicodedata.digit(m.group())), text)
    return text


def mask(text: str) -> str:
    """Replace URLs, e-mail addresses and phone numbers by tokens and other numbers by 0."""
    text = _URL.sub(URL_TOKEN, text)
    text = _MAIL.sub(MAIL_TOKEN, text)
    text = _TEL.sub(TEL_TOKEN, text)
    return _NUMBER.sub(_mask_number, text)


def _mask_number(match: re.Match) -> str:
    digits = match.group(0)
    return digits if digits in KEPT_NUMBERS else "0"


def fold_kana(text: str) -> str:
    """Fold katakana to hiragana so that ひらがな and カタカナ spellings meet."""
    return text.translate(_KATAKANA_TO_HIRAGANA)


def strip_diacritics(text: str) -> str:
    """Remove accents from Latin letters only ("cảnh sát" -> "canh sat"), leaving kana and Devanagari intact."""
    return text if text.isascii() else _ACCENTED_LATIN.sub(lambda m: _plain_letter(m.group()), text)


@lru_cache(maxsize=4096)
def _plain_letter(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).translate(_LATIN_EXTRA)


_DATA = Path(__file__).with_name("data")


def _han_variants() -> dict[int, str]:
    data = tomllib.loads((_DATA / "han_variants.toml").read_text(encoding="utf-8"))
    return {ord(pair[0]): pair[1] for pair in data["pairs"].split()}


_TO_SIMPLIFIED = _han_variants()


def _fold_letters(text: str) -> str:
    text = fold_kana(strip_diacritics(mask(nfkc(text)).casefold())).translate(_TO_SIMPLIFIED)
    return _ROMAJI_LONG.sub(lambda m: m.group(0)[0], text)


class _PhraseMap:
    """Finds folded phrases in a folded text: Latin ones as whole words, others anywhere."""

    _WORD = re.compile(r"[a-z0-9']+")

    def __init__(self, phrases: dict[str, str]):
        self._latin = {p: v for p, v in phrases.items() if p.isascii()}
        self._first_words = {p.split(" ")[0] for p in self._latin}
        self._longest = max((p.count(" ") + 1 for p in self._latin), default=0)
        by_first: dict[str, list[tuple[str, str]]] = {}
        for p, v in sorted(phrases.items(), key=lambda pv: -len(pv[0])):
            if not p.isascii():
                by_first.setdefault(p[0], []).append((p, v))
        self._other = by_first

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, value) of every match, without overlaps, in text order."""
        found = []
        words = [(m.start(), m.end()) for m in self._WORD.finditer(text)]
        i = 0
        while i < len(words):
            if text[words[i][0]:words[i][1]] not in self._first_words:
                i += 1
                continue
            for n in range(min(self._longest, len(words) - i), 0, -1):
                last = i + n - 1
                if any(words[j + 1][0] != words[j][1] + 1 for j in range(i, last)):
                    continue
                value = self._latin.get(text[words[i][0]:words[last][1]])
                if value is not None:
                    found.append((words[i][0], words[last][1], value))
                    i = last
                    break
            i += 1
        taken = [(a, b) for a, b, _ in found]
        candidates = [] if text.isascii() else [pv for ch in self._other.keys() & set(text) for pv in self._other[ch]]
        for phrase, value in sorted(candidates, key=lambda pv: -len(pv[0])):
            start = text.find(phrase)
            while start != -1:
                end = start + len(phrase)
                if all(end <= a or start >= b for a, b in taken):
                    found.append((start, end, value))
                    taken.append((start, end))
                start = text.find(phrase, end)
        return sorted(found)


_LEXICON = tomllib.loads((_DATA / "lexicon.toml").read_text(encoding="utf-8"))
_LANGUAGE_NAMES = _PhraseMap({_fold_letters(n): LANGUAGE_TOKEN for n in _LEXICON["language_names"]})
_SPELLINGS = _PhraseMap({_fold_letters(k): _fold_letters(v) for table in ("romaji", "japanese_spellings")
                         for k, v in _LEXICON[table].items()})


def fold(text: str) -> str:
    """Full matching form: NFKC, masks, case, diacritics, kana, Han variants, romanised long vowels,
    language names, one space; romanised or kana-only Japanese terms gain their usual spelling at the end."""
    text = _fold_letters(text)
    parts, last = [], 0
    for start, end, token in _LANGUAGE_NAMES.spans(text):
        parts += [text[last:start], f" {token} "]
        last = end
    text = "".join(parts) + text[last:]
    usual = [value for _, _, value in _SPELLINGS.spans(text)]
    if usual:
        text = text + " " + " ".join(dict.fromkeys(usual))
    return _SPACES.sub(" ", text).strip()
