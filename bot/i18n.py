"""Languages we answer in, and their Babel catalogues from locales/."""
from __future__ import annotations

import gettext
from dataclasses import dataclass
from pathlib import Path

from babel.support import Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "ja"


@dataclass(frozen=True)
class Language:
    """A language of the bot: BCP 47 tag, catalogue folder, and its own name for the picker."""

    tag: str
    locale: str
    name: str


# Each language is offered under its own name, which is why these names are not translated.
LANGUAGES = (
    Language("ja", "ja", "日本語"),
    Language("ja-x-easy", "ja_easy", "やさしい にほんご"),
    Language("en", "en", "English"),
    Language("zh-Hans", "zh_Hans", "简体中文"),
    Language("zh-Hant", "zh_Hant", "繁體中文"),
    Language("ko", "ko", "한국어"),
    Language("vi", "vi", "Tiếng Việt"),
    Language("tl", "tl", "Tagalog"),
    Language("pt-BR", "pt_BR", "Português"),
    Language("ne", "ne", "नेपाली"),
    Language("id", "id", "Bahasa Indonesia"),
)
BY_TAG = {language.tag: language for language in LANGUAGES}

# LINE profile tags (and common variants) that name one of our languages differently.
ALIASES = {
    "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant", "zh-hant": "zh-Hant",
    "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-hans": "zh-Hans", "zh": "zh-Hans",
    "pt": "pt-BR", "fil": "tl", "in": "id",
}


def supported_language(tag: str | None) -> str | None:
    """Map any BCP 47 tag (e.g. LINE's `zh-TW`, `en-US`) to one of ours, or None."""
    if not tag:
        return None
    lowered = tag.replace("_", "-").lower()
    for candidate in (lowered, "-".join(lowered.split("-")[:2]), lowered.split("-")[0]):
        if candidate in ALIASES:
            return ALIASES[candidate]
        for language in LANGUAGES:
            if language.tag.lower() == candidate:
                return language.tag
    return None


def same_language(a: str, b: str) -> bool:
    """True when two of our tags share a primary language (ja and easy Japanese, the two Chineses)."""
    return a.split("-")[0] == b.split("-")[0]


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; it is translated where it is shown."""
    return message


def source_text(text: str) -> str:
    """The msgid of a text that lives in intents/ (trimmed the same way by extractor and bot)."""
    return text.strip()


STAFF_LANGUAGES = (BY_TAG["ja"], BY_TAG["en"])  # the console and staff notifications
STAFF_DOMAIN = "console"


class Catalogs:
    """The compiled catalogues of one domain in every language it has, loaded once."""

    def __init__(self, locales_dir: Path = LOCALES_DIR, domain: str = DOMAIN,
                 languages: tuple[Language, ...] = LANGUAGES):
        self._translations = {language.tag: _load(locales_dir, language, domain) for language in languages}

    def __call__(self, tag: str | None) -> gettext.NullTranslations:
        """The translations for a language tag, Japanese when the tag is not ours."""
        return self._translations.get(supported_language(tag) or DEFAULT_LANGUAGE,
                                      self._translations[DEFAULT_LANGUAGE])


def staff_catalogs(locales_dir: Path = LOCALES_DIR) -> Catalogs:
    """The console's catalogues (Japanese and English)."""
    return Catalogs(locales_dir, STAFF_DOMAIN, STAFF_LANGUAGES)


def _load(locales_dir: Path, language: Language, domain: str) -> gettext.NullTranslations:
    path = locales_dir / language.locale / "LC_MESSAGES" / f"{domain}.mo"
    if not path.exists():
        return gettext.NullTranslations()
    with open(path, "rb") as catalogue:
        return Translations(catalogue, domain=domain)
