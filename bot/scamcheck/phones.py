"""Phone numbers in a message, parsed with phonenumbers' offline metadata, and what is odd about them."""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import phonenumbers

from .local import LocalLists

_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-"})
# The katakana long-vowel mark is typed as a dash in numbers ("050ー1234ー5678"), but only between digits.
_KANA_DASH = re.compile(r"(?<=\d)[ーｰ](?=\d)")
# International numbers (+1 …), and domestic ones from 0 (010 is Japan's international prefix).
_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z+\-])(?:\+\d{1,3}[\s.\-]?(?:\(?\d{1,5}\)?[\s.\-]?){1,5}\d{2,5}"
    r"|0\d{1,4}(?:[\s.\-]?\(?\d{1,5}\)?){1,4})(?![0-9A-Za-z\-])")
MIN_DIGITS = 10


@dataclass(frozen=True)
class PhoneFacts:
    """Numbering facts from data/phones.toml."""

    region: str
    ip_phone_prefixes: tuple[str, ...]
    mobile_prefixes: tuple[str, ...]
    police_suffix: str


@dataclass(frozen=True)
class Phone:
    """One phone number found in a message."""

    text: str
    e164: str
    country_code: int
    national: str
    start: int
    end: int


def load_phone_facts(path: Path) -> PhoneFacts:
    """Read data/phones.toml."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return PhoneFacts(data["home_region"], tuple(data["ip_phone_prefixes"]), tuple(data["mobile_prefixes"]),
                      data["police_suffix"])


def extract_phones(text: str, region: str = "JP") -> list[Phone]:
    """Every plausible phone number in a text (full-width digits and dashes allowed)."""
    text = _KANA_DASH.sub("-", unicodedata.normalize("NFKC", text).translate(_DASHES))
    phones = []
    for match in _CANDIDATE.finditer(text):
        raw = match.group(0)
        if sum(ch.isdigit() for ch in raw) < MIN_DIGITS:
            continue
        try:
            parsed = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_possible_number(parsed):
            continue
        national = str(parsed.national_number)
        phones.append(Phone(raw, phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
                            parsed.country_code, national, match.start(), match.end()))
    return phones


def phone_kind(phone: Phone, facts: PhoneFacts) -> str:
    """`international`, `ip`, `mobile` or `fixed` (toll-free and shared-cost numbers count as fixed)."""
    if phone.country_code != phonenumbers.country_code_for_region(facts.region):
        return "international"
    if phone.national.startswith(facts.ip_phone_prefixes):
        return "ip"
    if phone.national.startswith(facts.mobile_prefixes):
        return "mobile"
    return "fixed"


def phone_signals(phones: list[Phone], facts: PhoneFacts, local: LocalLists) -> set[str]:
    """Signal ids for the phone numbers of one message."""
    signals: set[str] = set()
    for phone in phones:
        status = local.number_status(phone.e164)
        if status == "scam":
            signals.add("scam_number")
            continue
        if status == "genuine":
            signals.add("genuine_number")
            continue
        kind = phone_kind(phone, facts)
        # A number ending in 0110 looks like a police station; on a foreign, IP or mobile line it is a disguise.
        if phone.national.endswith(facts.police_suffix) and kind != "fixed":
            signals.add("fake_police_number")
        signals.add({"international": "intl_number", "ip": "ip_phone_number", "mobile": "mobile_number"}.get(kind, ""))
    signals.discard("")
    return signals
