"""The translation catalogues: complete, not fuzzy, same placeholders, up to date with the sources."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALES_DIR

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
LABEL_LIMIT = 20  # LINE's quick-reply label limit


def catalogue(locale: str):
    with open(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def entries(locale: str):
    return [m for m in catalogue(locale) if m.id]


@pytest.mark.parametrize("locale", [language.locale for language in LANGUAGES])
def test_catalogue_is_complete_and_not_fuzzy(locale):
    missing = [m.id[:60] for m in entries(locale) if not m.string]
    fuzzy = [m.id[:60] for m in entries(locale) if m.fuzzy]
    assert missing == [] and fuzzy == []


@pytest.mark.parametrize("locale", [language.locale for language in LANGUAGES])
def test_translations_keep_the_placeholders(locale):
    wrong = [m.id[:60] for m in entries(locale)
             if sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))]
    assert wrong == []


@pytest.mark.parametrize("locale", [language.locale for language in LANGUAGES])
def test_labels_fit_a_quick_reply_and_emergency_lines_start_with_110(locale):
    for message in entries(locale):
        if any(comment.endswith(" label") for comment in message.auto_comments):
            assert len(message.string) <= LABEL_LIMIT, message.string
        if message.id.startswith("110"):
            assert message.string.startswith("110"), message.string


def test_every_catalogue_has_every_message_of_the_template():
    with open(LOCALES_DIR / "messages.pot", "rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    for language in LANGUAGES:
        assert {m.id for m in entries(language.locale)} == template, language.locale


def test_template_is_up_to_date_with_code_and_intents(tmp_path):
    fresh = tmp_path / "fresh.pot"
    root = Path(__file__).resolve().parent.parent
    subprocess.run([Path(sys.executable).with_name("pybabel"), "-q", "extract", "-F", "babel.cfg",
                    "-o", str(fresh), "."], cwd=root, check=True)
    with open(fresh, "rb") as pot:
        extracted = {m.id for m in read_po(pot) if m.id}
    with open(LOCALES_DIR / "messages.pot", "rb") as pot:
        committed = {m.id for m in read_po(pot) if m.id}
    assert extracted - committed == set(), "run `make extract` and translate the new strings"
