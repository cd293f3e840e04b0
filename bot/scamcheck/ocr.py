"""Screenshots: Tesseract OCR of the text in an image, then the same check as for pasted text."""
from __future__ import annotations

import io
import logging
import re

from PIL import Image, ImageOps, ImageStat, UnidentifiedImageError

from .checker import Checker, load_checker
from .verdict import Verdict

log = logging.getLogger(__name__)

# Tesseract language packs per user language; Japanese and English are always read, because the
# messages people receive in Japan are mostly in those, whatever language the user speaks.
BASE_LANGS = ("jpn", "eng")
OCR_LANGS = {
    "zh-Hans": "chi_sim", "zh-Hant": "chi_tra", "ko": "kor", "vi": "vie", "tl": "fil", "pt-BR": "por",
    "ne": "nep", "id": "ind",
}
# Small screenshots are upscaled: Tesseract reads best with capital letters about 30 px high.
MIN_WIDTH = 1000
MAX_SIDE = 2400
MIN_TEXT_CHARS = 4
# Mean grey level below which a screenshot is in dark mode.
DARK_MEAN = 110
# Tesseract's Japanese model puts spaces between CJK characters; they would break every cue.
_CJK = r"\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\uac00-\ud7af"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")


def ocr_languages(user_lang: str | None) -> str:
    """The Tesseract language string for a user ("jpn+eng+kor" for Korean)."""
    extra = OCR_LANGS.get(user_lang or "")
    return "+".join(BASE_LANGS + ((extra,) if extra else ()))


def image_text(image_bytes: bytes, user_lang: str | None = None) -> str:
    """The text Tesseract reads in an image; "" when the image cannot be opened or has no text.
    Raises pytesseract.TesseractNotFoundError when Tesseract is not installed."""
    import pytesseract

    try:
        image = Image.open(io.BytesIO(image_bytes))
        image.load()
    except (UnidentifiedImageError, OSError):
        return ""
    image = _prepare(image)
    text = pytesseract.image_to_string(image, lang=ocr_languages(user_lang), config="--psm 6")
    return _CJK_GAP.sub("", text).strip()


def _prepare(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image).convert("L")
    # Dark-mode screenshots: Tesseract wants dark text on a light background.
    if ImageStat.Stat(image).mean[0] < DARK_MEAN:
        image = ImageOps.invert(image)
    if image.width < MIN_WIDTH:
        scale = min(MIN_WIDTH / image.width, MAX_SIDE / max(image.size))
        if scale > 1:
            image = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
    return ImageOps.autocontrast(image)


def check_image(image_bytes: bytes, checker: Checker | None = None, user_lang: str | None = None) -> Verdict:
    """The verdict for a screenshot; `readable` is False when no text could be read (or OCR is missing)."""
    checker = checker or load_checker()
    try:
        text = image_text(image_bytes, user_lang)
    except Exception as error:  # pytesseract missing binary or language pack: answer, do not crash the turn
        log.warning("OCR unavailable: %s", error)
        text = ""
    if len(re.sub(r"\W", "", text)) < MIN_TEXT_CHARS:
        return Verdict("low", "none", (), 0.0, text, readable=False)
    verdict = checker.check(text)
    return Verdict(verdict.risk, verdict.pattern, verdict.signals, verdict.score, text)
