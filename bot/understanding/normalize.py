"""Text normalisation: width, case, kana and diacritic folding, masking of URLs and numbers."""
from __future__ import annotations

import re
import tomllib
import unicodedata
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

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
# Letters NFD does not decompose but people type without their stroke or ligature.
_LATIN_EXTRA = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
# Japanese long vowels as romanised by foreigners: "bouhan touroku", "bohan toroku" and "bōhan tōroku" meet.
_ROMAJI_LONG = re.compile(r"(?<=[bcdfghjkmnprstwyz])(?:ou|oo|uu)")


def nfkc(text: str) -> str:
    """Unicode NFKC (full/half width, compatibility forms) with every decimal digit made ASCII."""
    text = unicodedata.normalize("NFKC", text)
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        text = "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)
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
    if text.isascii():
        return text
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and _is_latin(out[-1]):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).translate(_LATIN_EXTRA)


def _is_latin(ch: str) -> bool:
    code = ord(ch)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF


def _fold_letters(text: str) -> str:
    text = fold_kana(strip_diacritics(mask(nfkc(text)).casefold()))
    return _ROMAJI_LONG.sub(lambda m: m.group(0)[0], text)


def _alternation(phrases) -> re.Pattern:
    """One regex for many folded phrases, longest first; Latin phrases only match whole words."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile("|".join(rf"(?<![a-z]){re.escape(p)}(?![a-z])" if p.isascii() else re.escape(p)
                               for p in ordered))


_LEXICON = tomllib.loads((Path(__file__).with_name("data") / "lexicon.toml").read_text(encoding="utf-8"))
_LANGUAGE_NAMES = _alternation(_fold_letters(n) for n in _LEXICON["language_names"])
_ROMAJI = {_fold_letters(k): _fold_letters(v) for k, v in _LEXICON["romaji"].items()}
_ROMAJI_TERMS = _alternation(_ROMAJI)


def fold(text: str) -> str:
    """Full matching form: NFKC, masks, case, diacritics, kana, romanised long vowels, language names,
    one space; romanised Japanese terms gain their Japanese spelling at the end."""
    text = _LANGUAGE_NAMES.sub(f" {LANGUAGE_TOKEN} ", _fold_letters(text))
    japanese = [_ROMAJI[m.group()] for m in _ROMAJI_TERMS.finditer(text)]
    if japanese:
        text = text + " " + " ".join(dict.fromkeys(japanese))
    return _SPACES.sub(" ", text).strip()
