"""The scam checker: verdicts on pasted messages in several languages, links, phone numbers, OCR, replies."""
import gettext
import io
import json
import shutil
import tomllib
from pathlib import Path
from urllib.parse import unquote

import pytest
from PIL import Image, ImageDraw, ImageFont

from bot.scamcheck import LocalLists, check_image, check_stream, load_checker, looks_pasted
from bot.scamcheck.checker import DATA_DIR
from bot.scamcheck.links import defang, extract_links, skeleton
from bot.scamcheck.phones import extract_phones
from bot.scamcheck.replies import MAX_URI, SHARE_URI, verdict_messages
from bot.scamcheck.verdict import Verdict, explained_signals

TR = gettext.NullTranslations()


@pytest.fixture(scope="module")
def checker():
    return load_checker()


# (pasted message, expected risk). Written for these tests, not taken from the evaluation sets.
DIALOG = [
    # Japanese scams
    ("【佐川急便】お客様宛にお荷物のお届けがありましたが、受取人不在のため持ち帰りました。配送状況はこちら：http://sagawa-kz.duckdns.org/", "high"),
    ("【国税庁】未納の所得税があります。本日中に納付いただけない場合、財産の差押えを行います。https://nta-go-jp.cfd/pay", "high"),
    ("【楽天カード】カードのご利用を一時制限しています。ご本人確認のため以下よりログインしてください https://rakuten-card.secure-check.xyz", "high"),
    ("こちらは東京地方検察庁です。あなたの口座がマネーロンダリングに使われています。捜査のためLINEで連絡してください。誰にも話さないでください。", "high"),
    ("市役所の福祉課です。医療費の払い戻しが3万円あります。期限が今日までなので、お近くのコンビニのATMに行って携帯で電話してください。", "high"),
    ("全国銀行協会の者です。お客様のキャッシュカードが不正利用されています。これから職員がカードを取りに伺いますので、暗証番号を紙に書いて封筒に入れておいてください。", "high"),
    ("おれだよ。会社のお金が入ったカバン電車に置き忘れちゃって、今日中に200万必要なんだ。上司の部下が取りに行くから用意して", "high"),
    ("即日5万円！荷物を受け取るだけの簡単なお仕事。身分証の写真を送ってくれればすぐ紹介します。詳しくはテレグラムで", "high"),
    ("元本保証で月利10%、絶対に損しない投資です。LINEグループに参加して先生の指示どおりに買うだけ", "high"),
    ("審査なしで50万円まで融資可能です。保証金3万円を先にお振込みください。", "high"),
    ("帰国する留学生の皆さん、使わなくなった銀行口座とキャッシュカードを1万円で買い取ります。", "high"),
    ("近所で工事をしている業者が来て、屋根の瓦がずれていて危ないので今すぐ直さないと雨漏りすると言われた。無料で点検してくれるって", "medium"),
    # Japanese genuine
    ("【ヤマト運輸】12月3日にお荷物をお届け予定です。日時変更はこちら https://www.kuronekoyamato.co.jp/ytc/customer/", "low"),
    ("【三井住友銀行】インターネットバンキングのパスワードを変更しました。お心当たりがない場合は、当行ウェブサイトに記載の番号までご連絡ください。"
     "当行からSMSでパスワードをお尋ねすることはありません。", "low"),
    ("楽天銀行の認証コードは 123456 です。このコードを他人に教えないでください。", "low"),
    ("〇〇市からのお知らせ：特殊詐欺の被害が増えています。市職員が電話でATMの操作をお願いすることはありません。", "low"),
    ("警察署から電話があって、先週落とした財布が届いているので、身分証を持って受け取りに来てくださいとのことでした", "low"),
    ("【〇〇市】マイナンバーカードの交付通知書を送付しました。予約は市公式サイト https://www.city.tomakomai.hokkaido.jp/ から", "low"),
    ("飲み会の会費、3000円を今週中に幹事の山田まで渡してね", "low"),
    # English
    ("Your Apple ID has been locked due to unusual sign-in activity. Verify your account now at http://appleid-verify-support.com", "high"),
    ("Hi mum, I dropped my phone in the toilet, this is my new number. Can you send me ¥80,000 today? I'll explain later, don't tell dad", "high"),
    ("This is the Tokyo Metropolitan Police. A warrant has been issued for your arrest for money laundering. Join a video call on Skype now.", "high"),
    ("Your verification code for LINE is 123456. Do not share this code with anyone.", "low"),
    ("Bank notice: we will never ask for your PIN. If someone calls asking for it, hang up and call the number on the back of your card.", "low"),
    # Chinese
    ("【日本邮政】您的包裹因地址不完整无法投递，请在24小时内更新信息：https://japanpost-cn.top", "high"),
    ("我是东京警视厅的警察，你的银行账户涉嫌洗钱，已经发出逮捕令。请加LINE视频通话配合调查，不要告诉任何人。", "high"),
    ("這週六的聚餐改到晚上七點，地點不變。", "low"),
    # Korean
    ("엄마 나 폰 액정이 깨져서 임시폰으로 연락해. 급하게 상품권 좀 사서 핀번호 보내줄 수 있어?", "high"),
    ("인터넷 요금 청구서: 12월 이용 요금은 4,500엔입니다. 자동이체로 결제됩니다.", "low"),
    ("원금 보장, 절대 손실 없습니다. 월 수익률 30% 보장 리딩방 참여하세요", "high"),
    # Vietnamese
    ("Tuyển người nhận hàng tại nhà, lương cao 3 man/ngày, việc nhẹ. Gửi ảnh thẻ ngoại kiều qua Telegram để nhận việc.", "high"),
    ("Tối nay mình nấu lẩu nhé, bạn mua thêm rau giúp mình.", "low"),
    # Tagalog
    ("Ma, nasira ang phone ko, bagong number ko ito. Padalhan mo ako ng pera ngayon din, kailangan ko lang.", "high"),
    ("Nanay, padala ko na yung pera para sa tuition ni bunso. Pakisabi na lang kung natanggap.", "low"),
    # Portuguese
    ("Ganhe dinheiro fácil! Lucro garantido de 20% por semana investindo em criptomoeda. Entre no nosso grupo do WhatsApp agora!", "high"),
    ("Olá! Sua consulta no hospital está marcada para 12/12 às 9h. Traga o cartão do seguro.", "low"),
    # Indonesian
    ("Polisi Tokyo: Anda tersangka kasus pencucian uang. Surat penangkapan sudah keluar. Lakukan panggilan video lewat LINE sekarang.", "high"),
    ("Pengingat: iuran asuransi kesehatan bulan Desember dibayar sebelum tanggal 31 di konbini dengan slip pembayaran.", "low"),
    # Nepali
    ("टोकियो प्रहरीबाट: तपाईंको खाता मनी लाउन्डरिङमा प्रयोग भएको छ, गिरफ्तार हुनबाट बच्न भिडियो कल गर्नुहोस् र कसैलाई नभन्नुहोस्।", "high"),
    ("भोलि बिहान ९ बजे कक्षा सुरु हुन्छ।", "low"),
]


@pytest.mark.parametrize("message, expected", DIALOG)
def test_dialog_risk(checker, message, expected):
    assert checker.check(message).risk == expected


@pytest.mark.parametrize("message, pattern", [
    ("市役所の福祉課です。医療費の払い戻しがあります。ATMに行って携帯で電話してください。", "scam.refund"),
    ("Hi mum, this is my new number. Can you send me ¥80,000 today?", "scam.ore_ore"),
    ("【佐川急便】不在のため持ち帰りました。http://sagawa-kz.duckdns.org/", "scam.phishing"),
    ("高价收购银行卡、手机卡，回国前的同学可以联系我，微信 abc123", "scam.dark_job"),
])
def test_pattern_names_the_scam(checker, message, pattern):
    assert checker.check(message).pattern == pattern


def test_low_risk_has_no_pattern(checker):
    verdict = checker.check("今日の夕飯カレーでいい？帰りに牛乳買ってきて")
    assert (verdict.risk, verdict.pattern, verdict.reasons(TR)) == ("low", "none", [])


def test_warning_sentence_cancels_the_cue_it_denies(checker):
    assert "pin_request" not in checker.signals("当行職員が暗証番号をお尋ねすることは決してありません。")
    assert "pin_request" in checker.signals("確認のため、暗証番号を教えてください。")
    assert "secrecy" in checker.signals("このことは家族には言わないでください。")


# ---- links ----

@pytest.mark.parametrize("text, host", [
    ("hxxps://sagawa-id4[.]top/abc", "sagawa-id4.top"),
    ("見て sagawa-exp(dot)co(dot)jp", "sagawa-exp.co.jp"),
    ("ｈｔｔｐｓ：／／ｂｉｔ．ｌｙ／ａｂｃ", "bit.ly"),
    ("詳細はamazon。co。jp/x", "amazon.co.jp"),
    ("こちらhttps://japanpost.redelivery-jp.top です", "japanpost.redelivery-jp.top"),
])
def test_links_are_found_even_when_obfuscated(text, host):
    assert [link.host for link in extract_links(defang(text))] == [host]


def test_words_with_dots_are_not_links():
    assert extract_links(defang("ver 2.0 と ¥12.000、index.html を見て。e.g. this")) == []


def test_registered_domain_comes_from_the_public_suffix_list():
    (link,) = extract_links("https://japanpost.redelivery-jp.top/r")
    assert (link.registered, link.suffix) == ("redelivery-jp.top", "top")
    (link,) = extract_links("https://post.japanpost.jp/index.html")
    assert link.registered == "japanpost.jp"


@pytest.mark.parametrize("text, signal", [
    ("https://amaz0n-jp.com/login", "lookalike_domain"),
    ("https://rnercari.com/", "lookalike_domain"),
    ("https://\u0430mazon.co.jp/", "punycode_domain"),
    ("https://xn--80ak6aa92e.com/", "punycode_domain"),
    ("https://japanpost.redelivery-jp.top/", "brand_in_subdomain"),
    ("https://example.net/sagawa/redelivery", "brand_in_subdomain"),
    ("https://bit.ly/3abcd", "url_shortener"),
    ("http://203.0.113.7/login", "ip_host"),
    ("https://parcel-info.xyz/", "unusual_tld"),
])
def test_suspicious_links(checker, text, signal):
    assert signal in checker.signals(text)


def test_cyrillic_letters_are_seen_through():
    assert skeleton("\u0430mazon") == "amazon"
    assert skeleton("rnercari") == "mercari"


def test_official_domains_count_as_genuine(checker):
    signals = checker.signals("【ヤマト運輸】お届け予定 https://www.kuronekoyamato.co.jp/ytc/")
    assert "official_link" in signals and "lookalike_domain" not in signals
    assert "brand_link_mismatch" in checker.signals("【ヤマト運輸】お届け予定 https://yamato-track.example.com/")


def test_local_lists_of_domains(checker):
    local = LocalLists(scam_domains=frozenset({"evil-shop.jp"}), genuine_domains=frozenset({"tomakomai-coop.jp"}))
    marked = checker.with_local(local)
    assert marked.check("セール中！ https://www.evil-shop.jp/sale").risk == "high"
    assert "official_link" in marked.signals("組合だより https://tomakomai-coop.jp/news")


# ---- phone numbers ----

@pytest.mark.parametrize("text, e164", [
    ("詳細：050-0712-6638", "+815007126638"),
    ("着信 +1 (202) 555-0110 から", "+12025550110"),
    ("010-1-202-555-0110", "+12025550110"),
    ("０９０－０８１７－３３２０", "+819008173320"),
])
def test_phone_numbers_are_parsed(text, e164):
    assert [phone.e164 for phone in extract_phones(text)] == [e164]


def test_tracking_numbers_and_dates_are_not_phone_numbers():
    assert extract_phones("伝票番号：4823-1179-0035、2025-12-02 09:00") == []


@pytest.mark.parametrize("text, signal", [
    ("警察です。折り返しは +1 202 555 0110 へ", "fake_police_number"),
    ("+44 7700 900123 からの着信", "intl_number"),
    ("詳細：050-0712-6638", "ip_phone_number"),
])
def test_phone_signals(checker, text, signal):
    assert signal in checker.signals(text)


def test_real_police_station_number_is_not_a_warning(checker):
    assert checker.signals("苫小牧警察署 0144-35-0110") & {"fake_police_number", "intl_number"} == set()


def test_local_lists_of_numbers(checker):
    local = LocalLists(scam_numbers=frozenset({"03-5555-0123"}), genuine_numbers=frozenset({"+81 144 35 0110"}))
    marked = checker.with_local(local)
    assert "scam_number" in marked.signals("至急 0355550123 までお電話ください")
    assert "genuine_number" in marked.signals("苫小牧警察署 0144-35-0110")


# ---- trigger ----

@pytest.mark.parametrize("text", [
    "【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました。https://sagawa-xx.top",
    "Subject: Your account\nDear customer, please confirm your details.",
    "こんなSMSが来た『お客様の口座が不正利用されています。至急下記番号までご連絡ください』",
    "この番号から電話が来た 050-1234-5678 出たほうがいい？",
])
def test_pasted_messages_are_recognised(text):
    assert looks_pasted(text)


@pytest.mark.parametrize("text", ["これって詐欺？", "How can I protect my parents from phone scams?",
                                  "還付金詐欺ってどういう手口ですか", "こんにちは"])
def test_plain_questions_stay_questions(text):
    assert not looks_pasted(text)


# ---- stream ----

def test_check_stream_writes_one_line_per_input(checker):
    infile = io.StringIO('{"id": "a", "text": "高价收购银行卡，回国前的同学联系微信"}\n\nnot json\n{"id": "c", "text": 3}\n')
    out = io.StringIO()
    check_stream(checker, infile, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0]["id"] == "a" and lines[0]["risk"] == "high" and lines[0]["pattern"] == "scam.dark_job"
    assert "account_sale" in lines[0]["signals"]
    assert "error" in lines[1] and lines[2] == {"id": "c", "error": "field 'text' must be a string"}


# ---- data and wording ----

def test_every_signal_is_weighted_and_explained():
    cue_ids = {c["id"] for c in tomllib.loads((DATA_DIR / "cues.toml").read_text(encoding="utf-8"))["cue"]}
    scoring = tomllib.loads((DATA_DIR / "scoring.toml").read_text(encoding="utf-8"))
    weighted = set(scoring["signal"])
    combos = {c["id"] for c in scoring["combo"]}
    referenced = {s for c in scoring["combo"] for s in c.get("any_of", []) + c.get("and_any_of", [])}
    assert cue_ids <= weighted and referenced <= weighted
    assert weighted | combos <= explained_signals()


def test_reasons_skip_genuine_signs_and_keep_the_strongest_first():
    verdict = Verdict("high", "scam.phishing", ("lookalike_domain", "urgency", "protective_notice", "unknown_link"))
    reasons = verdict.reasons(TR, limit=2)
    assert len(reasons) == 2 and "imitates" in reasons[0]
    assert not any("warning genuine senders" in reason for reason in verdict.reasons(TR, limit=9))


# ---- replies ----

def test_warning_reply_has_reasons_advice_and_a_share_button(checker):
    messages = verdict_messages(TR, checker.check("【佐川急便】不在のため持ち帰りました https://sagawa-id4.top"))
    assert 1 < len(messages) <= 5
    body = messages[0]["text"]
    assert "High risk" in body and "imitates" in body and "110" in body
    uri = messages[1]["template"]["actions"][0]["uri"]
    assert uri.startswith(SHARE_URI) and len(uri) <= MAX_URI and "9110" in unquote(uri)


def test_share_uri_stays_within_lines_limit_in_long_translations(checker):
    class Japanese:
        def gettext(self, message):
            return "詐欺に注意。" * 60 + "{reason}" if "{reason}" in message else message
    verdict = checker.check("【佐川急便】不在のため持ち帰りました https://sagawa-id4.top")
    uri = verdict_messages(Japanese(), verdict)[1]["template"]["actions"][0]["uri"]
    assert len(uri) <= MAX_URI


def test_low_risk_reply_has_no_share_button(checker):
    (message,) = verdict_messages(TR, checker.check("明日の保護者会は14時から体育館です。"))
    assert "No warning signs" in message["text"] and "not mean it is safe" in message["text"]


# ---- screenshots ----

def _tesseract_reads(*langs):
    if not shutil.which("tesseract"):
        return False
    import pytesseract
    return set(langs) <= set(pytesseract.get_languages(config=""))


def _sms_screenshot(lines, font) -> bytes:
    image = Image.new("RGB", (760, 120 + 50 * len(lines)), (242, 242, 247))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((20, 40, 740, 80 + 50 * len(lines)), 24, fill=(229, 229, 234))
    for i, line in enumerate(lines):
        draw.text((45, 60 + 50 * i), line, fill=(0, 0, 0), font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.mark.skipif(not _tesseract_reads("eng", "jpn"), reason="tesseract with jpn and eng is not installed")
def test_screenshot_of_a_fake_delivery_sms_is_high(checker):
    png = _sms_screenshot(["SAGAWA: We could not deliver your parcel", "because nobody was home. Confirm the",
                           "redelivery here: https://sagawa-id4.top/r"], ImageFont.load_default(size=28))
    verdict = check_image(png, checker)
    assert verdict.readable and verdict.risk == "high" and "sagawa-id4.top" in verdict.text


CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@pytest.mark.skipif(not (_tesseract_reads("eng", "jpn") and CJK_FONT.exists()), reason="needs tesseract jpn and a CJK font")
def test_screenshot_of_a_japanese_delivery_sms_is_high(checker):
    png = _sms_screenshot(["【佐川急便】お荷物のお届けにあがりましたが", "不在のため持ち帰りました。",
                           "再配達はこちら https://sagawa-id4.top/r"], ImageFont.truetype(str(CJK_FONT), 28))
    verdict = check_image(png, checker)
    assert verdict.risk == "high" and "佐川急便" in verdict.text


def test_image_without_text_gets_a_clear_answer(checker):
    blank = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(blank, "PNG")
    for data in (blank.getvalue(), b"not an image"):
        verdict = check_image(data, checker)
        assert not verdict.readable and verdict.risk == "low"
        assert "could not read" in verdict_messages(TR, verdict)[0]["text"]
