"""Scam-checker benchmark: load time, latency per pasted text, latency per screenshot (OCR + check).

    .venv/bin/python benchmarks/check.py [--quick]

Texts are the labelled development set in ../shared/eval/ when present, else built-in samples; each is
checked several times. Screenshots are phone-sized PNGs drawn with Pillow (a Japanese SMS when a CJK
font is installed, an English one otherwise). Prints one table; targets: p99 < 20 ms per text,
< 3 s per screenshot.
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from bot.scamcheck import check_image, load_checker  # noqa: E402

DEV_SET = ROOT.parent / "shared" / "eval" / "scamcheck-dev.jsonl"
SAMPLES = [
    "【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました。配送物は下記よりご確認ください http://sagawa-xq.top",
    "【ヤマト運輸】お荷物お届けのお知らせ。受け取り日時の変更は https://www.kuronekoyamato.co.jp/ から",
    "警察を名乗る人から電話で、あなたの口座が犯罪に使われている、LINEでビデオ通話してと言われた",
    "Your verification code is 482913. Do not share this code with anyone.",
    "Hi mum, this is my new number. Can you send me ¥50,000 today? Don't tell dad.",
    "高价收购日本银行卡，回国前的同学联系微信",
]
CJK_FONTS = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"]
JA_SMS = ["SMS・MMS  今日 10:42", "【日本郵便】お届け先の住所情報に", "不備があるため、お荷物をお届け", "できませんでした。再配達には",
          "手数料のお支払いが必要です。", "https://japanpost.redelivery-jp.top", "※本日中にお手続きがない場合、", "お荷物は返送されます。"]
EN_SMS = ["Text Message  Today 10:42", "Japan Post: we could not deliver", "your parcel because the address", "is incomplete. Pay the redelivery",
          "fee within 24 hours:", "https://japanpost.redelivery-jp.top"]


def texts() -> list[str]:
    if DEV_SET.exists():
        return [json.loads(line)["text"] for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return SAMPLES


def screenshot() -> tuple[str, bytes]:
    """A 1080×1920 chat screenshot with one SMS bubble."""
    font_path = next((p for p in CJK_FONTS if Path(p).exists()), None)
    font = ImageFont.truetype(font_path, 44) if font_path else ImageFont.load_default(size=44)
    lines = JA_SMS if font_path else EN_SMS
    image = Image.new("RGB", (1080, 1920), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1080, 160), fill=(246, 246, 246))
    draw.rounded_rectangle((40, 260, 1000, 300 + 66 * len(lines)), 40, fill=(233, 233, 235))
    for i, line in enumerate(lines):
        draw.text((80, 290 + 66 * i), line, fill=(0, 0, 0), font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return ("ja" if font_path else "en"), out.getvalue()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer rounds")
    args = ap.parse_args()
    rounds, shots = (2, 3) if args.quick else (10, 10)

    start = time.perf_counter()
    checker = load_checker()
    load_ms = (time.perf_counter() - start) * 1000

    corpus = texts()
    text_ms = []
    for _ in range(rounds):
        for text in corpus:
            start = time.perf_counter()
            checker.check(text)
            text_ms.append((time.perf_counter() - start) * 1000)

    lang, png = screenshot()
    shot_s, verdict = [], None
    for _ in range(shots):
        start = time.perf_counter()
        verdict = check_image(png, checker)
        shot_s.append(time.perf_counter() - start)

    rows = [
        ("load_checker", f"{load_ms:.0f} ms", "", "", "once"),
        (f"text check ({len(text_ms)} calls)", f"{statistics.median(text_ms):.2f} ms", f"{percentile(text_ms, 0.99):.2f} ms",
         f"{max(text_ms):.2f} ms", "p99 < 20 ms"),
        (f"screenshot 1080x1920 {lang} ({len(shot_s)} calls)", f"{statistics.median(shot_s):.2f} s",
         f"{percentile(shot_s, 0.99):.2f} s", f"{max(shot_s):.2f} s", f"p99 < 3 s; verdict {verdict.risk}"),
    ]
    print(f"{'what':42} {'p50':>10} {'p99':>10} {'max':>10}  target")
    for what, p50, p99, worst, target in rows:
        print(f"{what:42} {p50:>10} {p99:>10} {worst:>10}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
