"""The scam checker: one pass over a message's text, links and numbers, then a weighted verdict."""
from __future__ import annotations

from pathlib import Path

from .brands import Brand, load_brands, mentioned_brands
from .cues import CueSet, load_cues
from .links import LinkFacts, defang, extract_links, link_signals, load_link_facts
from .local import LocalLists
from .normalize import fold
from .phones import PhoneFacts, extract_phones, load_phone_facts, phone_signals
from .scoring import Scoring, load_scoring
from .verdict import Verdict

DATA_DIR = Path(__file__).with_name("data")
WARM_UP = "https://www.example.com 03-1234-5678 +1 202 555 0100"


class Checker:
    """Checks pasted messages; holds only immutable state, so one instance serves many threads."""

    def __init__(self, cues: CueSet, brands: tuple[Brand, ...], link_facts: LinkFacts, phone_facts: PhoneFacts,
                 scoring: Scoring, local: LocalLists | None = None):
        self.cues = cues
        self.brands = brands
        self.link_facts = link_facts
        self.phone_facts = phone_facts
        self.scoring = scoring
        self.local = local or LocalLists()

    def with_local(self, local: LocalLists) -> Checker:
        """The same checker with other local lists (e.g. after consultants updated the store)."""
        return Checker(self.cues, self.brands, self.link_facts, self.phone_facts, self.scoring, local)

    def signals(self, text: str) -> set[str]:
        """Every signal id found in a message."""
        clean = defang(text or "")
        links = extract_links(clean)
        phones = extract_phones(clean, self.phone_facts.region)
        # Cues and brand names are read from the prose only: "sagawa" inside a fake address is the
        # address's fault, judged by the link checks.
        prose = _blank_out(clean, [(l.start, l.end) for l in links] + [(p.start, p.end) for p in phones])
        folded = fold(prose)
        mentioned = mentioned_brands(self.brands, folded)
        found = self.cues.detect(folded)
        found |= link_signals(links, self.brands, mentioned, self.link_facts, self.local)
        found |= phone_signals(phones, self.phone_facts, self.local)
        return found

    def subjects(self, text: str) -> tuple[list[str], list[str]]:
        """The registered domains and the numbers (E.164) a message mentions, for the local lists."""
        clean = defang(text or "")
        domains = sorted({link.registered or link.host for link in extract_links(clean)})
        numbers = sorted({phone.e164 for phone in extract_phones(clean, self.phone_facts.region)})
        return domains, numbers

    def check(self, text: str) -> Verdict:
        """The verdict for one pasted message."""
        assessment = self.scoring.assess(self.signals(text))
        return Verdict(assessment.risk, assessment.pattern, assessment.signals, assessment.score, text or "")


def _blank_out(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def load_checker(data_dir: str | Path | None = None, local: LocalLists | None = None) -> Checker:
    """Load the cue, brand, link, phone and scoring data once and build a Checker."""
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    checker = Checker(load_cues(data_dir / "cues.toml"), load_brands(data_dir / "brands.toml"),
                      load_link_facts(data_dir / "links.toml"), load_phone_facts(data_dir / "phones.toml"),
                      load_scoring(data_dir / "scoring.toml"), local)
    # The Public Suffix List and the phone metadata load lazily; pay for that now, not on a user's message.
    checker.check(WARM_UP)
    return checker
