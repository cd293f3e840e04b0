"""Whether a chat message is a pasted SMS, e-mail or chat to check, or a question to answer."""
from __future__ import annotations

import re

from .links import defang, extract_links
from .phones import extract_phones

MIN_WITH_LINK_OR_NUMBER = 20
MIN_MULTILINE = 80
MIN_LINES = 3
MIN_LONG_PROSE = 200
MIN_QUOTE = 24
# How SMS, e-mails and notices open: 【佐川急便】, [Web발신], 件名：, Subject:, From:
_HEADER = re.compile(r"^\s*(?:【[^】\n]{1,30}】|\[[^\]\n]{1,30}\]|(?:件名|差出人|送信元|subject|from|de|dari|from:)\s*[:：])",
                     re.IGNORECASE)
_QUOTE = re.compile(r"『[^』]{%d,}』|「[^」]{%d,}」|\"[^\"]{%d,}\"|“[^”]{%d,}”" % ((MIN_QUOTE,) * 4))
_QUESTION_END = re.compile(r"(?:[?？]|か|かな|の|吗|嗎|요|니|không|ba|po|não)\s*[。.!！]*\s*$", re.IGNORECASE)


def looks_pasted(text: str) -> bool:
    """True when a message reads like a pasted SMS, e-mail or chat rather than a plain question."""
    text = (text or "").strip()
    if len(text) < MIN_WITH_LINK_OR_NUMBER:
        return False
    if _HEADER.match(text) or _QUOTE.search(text):
        return True
    if extract_links(defang(text)) or extract_phones(text):
        return True
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) >= MIN_LINES and len(text) >= MIN_MULTILINE:
        return True
    return len(text) >= MIN_LONG_PROSE and not _QUESTION_END.search(text)
