"""The translation catalogues: complete, not fuzzy, same placeholders, up to date with the sources."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALES_DIR, STAFF_DOMAIN, STAFF_LANGUAGES

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
LABEL_LIMIT = 20  # LINE's quick-reply label limit
CATALOGUES = [(language.locale, "messages") for language in LANGUAGES] + [
    (language.locale, STAFF_DOMAIN) for language in STAFF_LANGUAGES]


def catalogue(locale: str, domain: str = "messages"):
    with open(LOCALES_DIR / locale / "LC_MESSAGES" / f"{domain}.po", "rb") as po:
        return read_po(po)


def entries(locale: str, domain: str = "messages"):
    return [m for m in catalogue(locale, domain) if m.id]


@pytest.mark.parametrize("locale,domain", CATALOGUES)
def test_catalogue_is_complete_and_not_fuzzy(locale, domain):
    missing = [m.id for m in entries(locale, domain) if not m.string]
    fuzzy = [m.id for m in entries(locale, domain) if m.fuzzy]
    assert missing == [] and fuzzy == []


@pytest.mark.parametrize("locale,domain", CATALOGUES)
def test_translations_keep_the_placeholders(locale, domain):
    def placeholders(text):
        return sorted(PLACEHOLDER.findall(text if isinstance(text, str) else " ".join(text)))
    wrong = [m.id for m in entries(locale, domain) if placeholders(m.id) != placeholders(m.string)]
    assert wrong == []


@pytest.mark.parametrize("locale", [language.locale for language in LANGUAGES])
def test_labels_fit_a_quick_reply_and_emergency_lines_start_with_110(locale):
    for message in entries(locale):
        if any(comment.endswith(" label") for comment in message.auto_comments):
            assert len(message.string) <= LABEL_LIMIT, message.string
        if message.id.startswith("110"):
            assert message.string.startswith("110"), message.string


@pytest.mark.parametrize("locale,domain", CATALOGUES)
def test_every_catalogue_has_every_message_of_its_template(locale, domain):
    with open(LOCALES_DIR / f"{domain}.pot", "rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    assert {m.id for m in entries(locale, domain)} == template


@pytest.mark.parametrize("config,domain", [("babel.cfg", "messages"), ("babel-console.cfg", STAFF_DOMAIN)])
def test_templates_are_up_to_date_with_the_sources(tmp_path, config, domain):
    fresh = tmp_path / "fresh.pot"
    root = Path(__file__).resolve().parent.parent
    subprocess.run([Path(sys.executable).with_name("pybabel"), "-q", "extract", "-F", config,
                    "-o", str(fresh), "."], cwd=root, check=True)
    with open(fresh, "rb") as pot:
        extracted = {m.id for m in read_po(pot) if m.id}
    with open(LOCALES_DIR / f"{domain}.pot", "rb") as pot:
        committed = {m.id for m in read_po(pot) if m.id}
    assert extracted - committed == set(), "run `make extract` and translate the new strings"
