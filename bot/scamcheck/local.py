"""Local lists of domains and phone numbers that consultants marked as scam or genuine."""
from __future__ import annotations

from dataclasses import dataclass, field

import phonenumbers

HOME_REGION = "JP"


@dataclass(frozen=True)
class LocalLists:
    """Domains (hosts or registered domains) and numbers (any common notation) marked by consultants."""

    scam_domains: frozenset[str] = field(default_factory=frozenset)
    genuine_domains: frozenset[str] = field(default_factory=frozenset)
    scam_numbers: frozenset[str] = field(default_factory=frozenset)
    genuine_numbers: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self):
        # Normalise once, so that "0144-35-0110", "0144350110" and "+81 144 35 0110" all meet.
        for name in ("scam_domains", "genuine_domains"):
            object.__setattr__(self, name, frozenset(_domain_key(d) for d in getattr(self, name)))
        for name in ("scam_numbers", "genuine_numbers"):
            object.__setattr__(self, name, frozenset(filter(None, (number_key(n) for n in getattr(self, name)))))

    def domain_status(self, host: str, registered: str) -> str | None:
        """`scam`, `genuine` or None for a link's host and registered domain."""
        for key in (host, registered):
            if key in self.scam_domains:
                return "scam"
        for key in (host, registered):
            if key in self.genuine_domains:
                return "genuine"
        return None

    def number_status(self, e164: str) -> str | None:
        """`scam`, `genuine` or None for a number in E.164."""
        if e164 in self.scam_numbers:
            return "scam"
        if e164 in self.genuine_numbers:
            return "genuine"
        return None


def _domain_key(domain: str) -> str:
    domain = domain.strip().lower().rstrip(".")
    return domain[4:] if domain.startswith("www.") else domain


def number_key(number: str, region: str = HOME_REGION) -> str | None:
    """A phone number in E.164 ("+81144350110"), or None when it cannot be parsed."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
