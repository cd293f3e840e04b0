"""Brands and public bodies that scams impersonate, with their real domains (data/brands.toml)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .cues import compile_alternatives


@dataclass(frozen=True)
class Brand:
    """A sender people trust: its name, real registered domains and the strings fakes borrow."""

    name: str
    domains: tuple[str, ...]
    tokens: tuple[str, ...]
    mention: re.Pattern

    def owns(self, host: str) -> bool:
        """True when a host is one of the brand's domains or under one."""
        return any(host == d or host.endswith("." + d) for d in self.domains)


def load_brands(path: Path) -> tuple[Brand, ...]:
    """Read data/brands.toml."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Brand(b["name"], tuple(d.lower() for d in b["domains"]),
              tuple(t.lower() for t in b["tokens"]),
              compile_alternatives([re.escape(n) for n in b["names"]]))
        for b in data["brand"])


def mentioned_brands(brands: tuple[Brand, ...], folded: str) -> list[Brand]:
    """The brands a folded text names."""
    return [brand for brand in brands if brand.mention.search(folded)]
