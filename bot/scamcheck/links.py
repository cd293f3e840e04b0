"""Web addresses in a message: extraction (also of obfuscated ones) and what is wrong with them."""
from __future__ import annotations

import ipaddress
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import tldextract
from rapidfuzz.distance import Levenshtein

from .brands import Brand
from .local import LocalLists

# Offline: the Public Suffix List snapshot shipped inside tldextract, never fetched at run time.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

_DEFANG = [
    (re.compile(r"(?<![a-z])h(?:xx|\*\*|tt)p(s?)(?=[:\[])", re.IGNORECASE), r"http\1"),
    (re.compile(r"\[:\]|\(:\)"), ":"),
    (re.compile(r"\s*(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|<dot>)\s*", re.IGNORECASE), "."),
    (re.compile(r"\[/\]"), "/"),
]
# Ideographic full stops people (and scammers dodging filters) type between domain labels.
_IDEOGRAPHIC_DOT = re.compile(r"(?<=[A-Za-z0-9-])[。｡](?=[A-Za-z0-9-]+(?:[.。｡/]|\b))")
_HOST_CHARS = r"a-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff-"
_PATH = r"(?:[/?#][^\s<>\"'()（）「」『』【】、，]*)?"
_WITH_SCHEME = re.compile(r"(?:https?|ftp)://(?P<host>[^\s/?#:<>\"'()（）「」『』【】、，]+)(?::\d+)?(?P<path>" + _PATH + ")",
                          re.IGNORECASE)
_BARE = re.compile(rf"(?<![{_HOST_CHARS}@.])(?P<host>(?:www\.)?(?:[{_HOST_CHARS}]+\.)+[{_HOST_CHARS}]{{2,}})(?::\d+)?"
                   rf"(?P<path>{_PATH})", re.IGNORECASE)
# Letters that look alike in a domain: Cyrillic and Greek twins, digits for letters, "rn" for "m".
_CONFUSABLES = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "ɡ": "g", "ӏ": "l", "κ": "k", "ο": "o", "α": "a", "ν": "v", "ρ": "p", "ι": "i", "τ": "t",
    "0": "o", "1": "l", "3": "e", "5": "s", "7": "t", "|": "l",
})
_MULTI_CONFUSABLES = (("rn", "m"), ("vv", "w"), ("cl", "d"))
# Tokens shorter than this only count as a whole part of a label: "nta" must not be found in "rental".
MIN_FUZZY_TOKEN = 5


@dataclass(frozen=True)
class Link:
    """One web address found in a message."""

    text: str
    host: str
    path: str
    registered: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class LinkFacts:
    """Lists about domains from data/links.toml."""

    shorteners: frozenset[str]
    unusual_tlds: frozenset[str]
    phishing_words: tuple[str, ...]
    trusted_suffixes: tuple[str, ...]
    trusted_local_labels: frozenset[str]


def load_link_facts(path: Path) -> LinkFacts:
    """Read data/links.toml."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return LinkFacts(frozenset(data["shorteners"]), frozenset(data["unusual_tlds"]), tuple(data["phishing_words"]),
                     tuple(data["trusted_suffixes"]), frozenset(data["trusted_local_labels"]))


def defang(text: str) -> str:
    """Undo the usual obfuscations of addresses: hxxp, [.], (dot), full-width and ideographic dots."""
    text = unicodedata.normalize("NFKC", text)
    for pattern, replacement in _DEFANG:
        text = pattern.sub(replacement, text)
    return _IDEOGRAPHIC_DOT.sub(".", text)


def extract_links(text: str) -> list[Link]:
    """Every web address in an already defanged text, with its registered domain from the PSL."""
    links: list[Link] = []
    taken: list[tuple[int, int]] = []
    for pattern, needs_suffix in ((_WITH_SCHEME, False), (_BARE, True)):
        for match in pattern.finditer(text):
            if any(s <= match.start() < e for s, e in taken):
                continue
            link = _link(match, needs_suffix)
            if link:
                links.append(link)
                taken.append((match.start(), match.end()))
    return sorted(links, key=lambda link: link.start)


def _link(match: re.Match, needs_suffix: bool) -> Link | None:
    host = match.group("host").lower().rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    if _is_ip(host):
        return Link(match.group(0), host, match.group("path"), host, "", match.start(), match.end())
    parts = _EXTRACT(host)
    if needs_suffix and not (parts.suffix and parts.domain):
        return None
    registered = parts.top_domain_under_public_suffix or host
    return Link(match.group(0), host, unquote(match.group("path") or ""), registered, parts.suffix,
                match.start(), match.end())


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(re.fullmatch(r"\d+", host))
    return True


def link_signals(links: list[Link], brands: tuple[Brand, ...], mentioned: list[Brand], facts: LinkFacts,
                 local: LocalLists) -> set[str]:
    """Signal ids for the links of one message, given the brands its text names."""
    signals: set[str] = set()
    genuine = 0
    for link in links:
        status = local.domain_status(link.host, link.registered)
        if status == "scam":
            signals.add("scam_domain")
            continue
        if status == "genuine" or _trusted(link, facts) or any(b.owns(link.host) for b in brands):
            genuine += 1
            continue
        signals |= _unknown_link_signals(link, brands, facts)
        if mentioned:
            signals.add("brand_link_mismatch")
    if links and genuine == len(links):
        signals.add("official_link")
    return signals


def _trusted(link: Link, facts: LinkFacts) -> bool:
    if any(link.suffix == s or link.suffix.endswith("." + s) for s in facts.trusted_suffixes):
        return True
    label = link.registered.split(".", 1)[0]
    # Geographic .jp suffixes have at least two labels (tomakomai.hokkaido.jp, hokkaido.jp).
    return label in facts.trusted_local_labels and link.suffix.endswith(".jp")


def _unknown_link_signals(link: Link, brands: tuple[Brand, ...], facts: LinkFacts) -> set[str]:
    signals = {"unknown_link"}
    if _is_ip(link.host):
        return signals | {"ip_host"}
    if link.registered in facts.shorteners or link.host in facts.shorteners:
        signals.add("url_shortener")
    if link.suffix.rsplit(".", 1)[-1] in facts.unusual_tlds:
        signals.add("unusual_tld")
    if any(not label.isascii() or label.startswith("xn--") for label in link.host.split(".")):
        signals.add("punycode_domain")
    domain_label = link.registered[: -len(link.suffix) - 1] if link.suffix else link.registered
    if any(_imitates(domain_label, token) for brand in brands for token in brand.tokens):
        signals.add("lookalike_domain")
    subdomain = link.host[: -len(link.registered)].rstrip(".")
    elsewhere = f"{subdomain} {link.path.lower()}"
    if any(_contains_token(elsewhere, token) for brand in brands for token in brand.tokens):
        signals.add("brand_in_subdomain")
    if any(word in link.host for word in facts.phishing_words):
        signals.add("phishy_domain_words")
    return signals


def skeleton(label: str) -> str:
    """A domain label with look-alike letters replaced ("rnercari" and "mercarі" become "mercari")."""
    if label.startswith("xn--"):
        try:
            label = label.encode("ascii").decode("idna")
        except UnicodeError:
            pass
    label = unicodedata.normalize("NFKC", label).lower().translate(_CONFUSABLES)
    for many, one in _MULTI_CONFUSABLES:
        label = label.replace(many, one)
    return label


def _imitates(label: str, token: str) -> bool:
    """True when a domain label borrows or nearly spells a brand token."""
    if _contains_token(label, token):
        return True
    if len(token) < MIN_FUZZY_TOKEN:
        return False
    shape = skeleton(label)
    token_shape = skeleton(token)
    candidates = [shape, *re.split(r"[-_.]", shape)]
    return token_shape in shape or any(Levenshtein.distance(c, token_shape, score_cutoff=1) <= 1 for c in candidates)


def _contains_token(text: str, token: str) -> bool:
    if len(token) >= MIN_FUZZY_TOKEN:
        return token in text
    return re.search(rf"(?<![a-z0-9]){re.escape(token)}(?![a-z0-9])", text) is not None
