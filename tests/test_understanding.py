"""Tests of bot.understanding: data files, normalisation, language id, intents, escalation, threads, streams."""
from __future__ import annotations

import dataclasses
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.understanding import Engine, Understanding, classify_stream, load_engine
from bot.understanding.catalogue import LANGUAGES, NONE_INTENT, SIGNALS_FILE, load_intents, parse_intent
from bot.understanding.normalize import LANGUAGE_TOKEN, fold, nfkc, strip_diacritics
from bot.understanding.signals import load_signals, parse_rule
from bot.understanding.typos import Speller

ROOT = Path(__file__).resolve().parents[1]
INTENTS = ROOT / "intents"
SPEC = ROOT.parent / "shared" / "spec" / "intents.md"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return load_engine(INTENTS)


# --- data files -------------------------------------------------------------------------------------

def test_every_intent_file_parses_with_its_fields():
    files = [p for p in INTENTS.glob("*.toml") if p.name != SIGNALS_FILE]
    assert files
    for path in files:
        intent = parse_intent(path)
        assert intent.id == path.stem
        assert isinstance(intent.escalate, bool)
        assert set(intent.examples) <= set(LANGUAGES)
        assert sum(len(v) for v in intent.examples.values()) > 0
        if intent.id != NONE_INTENT:
            assert 0 < len(intent.label) <= 20, path.name
            assert intent.answer, path.name
            assert set(intent.examples) == set(LANGUAGES), f"{path.name} lacks a language"


def test_follow_ups_name_existing_intents():
    intents = load_intents(INTENTS)
    for intent in intents.values():
        assert set(intent.follow_ups) <= set(intents), intent.id


@pytest.mark.skipif(not SPEC.exists(), reason="shared/spec not beside the repository")
def test_every_catalogue_id_has_a_file():
    ids = set(re.findall(r"^\| `([a-z_.]+)` \|", SPEC.read_text(encoding="utf-8"), re.M))
    assert ids, "no ids found in the spec"
    assert ids <= set(load_intents(INTENTS))


def test_signals_file_loads_for_every_language():
    signals = load_signals(INTENTS / SIGNALS_FILE)
    assert {r.lang for r in signals.rules} == set(LANGUAGES)
    assert {r.severity for r in signals.rules} == {"emergency", "urgent", "normal"}
    assert signals.loss_intent in load_intents(INTENTS)


def test_rule_syntax():
    rule = parse_rule("urgent", "en", "paid|sent + yen* + !didn't")
    assert rule.fires({"paid", "yen*"})
    assert not rule.fires({"paid"})
    assert not rule.fires({"paid", "yen*", "didn't"})


# --- normalisation -----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, folded", [
    ("Cảnh Sát", "canh sat"),
    ("ĐÀ NẴNG", "da nang"),
    ("canh sat", "canh sat"),
    ("ＡＴＭ", "atm"),
    ("ｲﾝｽﾀ", "いんすた"),
    ("カード", "かーど"),
    ("Não", "nao"),
])
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_romanised_japanese_meets_its_kanji():
    for typed in ("bouhan touroku", "bōhan tōroku", "bohan toroku"):
        assert fold(typed) == "bohan toroku " + fold("防犯登録"), typed
    assert fold("akushitsu shouhou itu apa").endswith(fold("悪質商法"))


def test_traditional_and_simplified_han_meet():
    assert fold("帳戶被盜") == fold("账户被盗")
    assert fold("確認") == fold("确认")


def test_speller_adds_the_known_word_one_edit_away():
    speller = Speller(["password reset", "password", "the password"])
    assert speller.repair("i typed my pasword") == "i typed my pasword password"
    assert speller.repair("i typed my passport") == "i typed my passport"
    assert speller.repair("password") == "password"


def test_diacritics_leave_kana_and_devanagari_alone():
    assert strip_diacritics("が") == "が"
    assert strip_diacritics("ठगी") == "ठगी"


def test_masks_urls_phones_and_numbers_but_keeps_hotlines():
    folded = fold("確認 http://smbc-card-check.top/login 050-3xxx-xxxx 20万円 #9110 110番")
    assert "urlx" in folded and "telx" in folded
    assert "0万" in folded and "9110" in folded and "110番" in folded
    assert "smbc" not in folded


def test_devanagari_digits_become_ascii():
    assert nfkc("२९,८००") == "29,800"


def test_language_names_become_one_token():
    for text in ("Tiếng Việt", "English", "中国語", "한국어", "bahasa Indonesia"):
        assert fold(text) == LANGUAGE_TOKEN, text
    assert fold("di Jepang") == "di jepang"


# --- language identification -------------------------------------------------------------------------

@pytest.mark.parametrize("text, lang", [
    ("詐欺かどうか教えてください", "ja"),
    ("Someone keeps calling me about a refund", "en"),
    ("我收到了一条奇怪的短信，这是诈骗吗", "zh-Hans"),
    ("我收到一封奇怪的簡訊，這是詐騙嗎", "zh-Hant"),
    ("이상한 문자가 왔는데 사기인가요?", "ko"),
    ("Tôi nhận được tin nhắn lạ, có phải lừa đảo không?", "vi"),
    ("toi nhan duoc tin nhan la, co phai lua dao khong", "vi"),
    ("May nag-text sa akin, scam po ba ito?", "tl"),
    ("Recebi uma mensagem estranha, é golpe?", "pt-BR"),
    ("मलाई अनौठो म्यासेज आयो, ठगी हो?", "ne"),
    ("malai euta anautho message aayo, yo thagi ho ki?", "ne"),
    ("Saya dapat pesan aneh, ini penipuan nggak?", "id"),
    ("Hôm qua có người tự xưng là 警察 gọi cho em", "vi"),
    ("クーリングオフ是幾天？可以用電子郵件嗎？", "zh-Hant"),
    ("ゆうちょ銀行에서 문자가 왔어요", "ko"),
    ("is this real? 「お客様の口座が停止されました」", "en"),
    ("Salamat po", "tl"),
    ("obrigado!", "pt-BR"),
    ("terima kasih", "id"),
    ("dhanyabad", "ne"),
])
def test_language(engine, text, lang):
    assert engine.classify(text).lang == lang


# --- intents and escalation: short dialogues in our own words ----------------------------------------

@pytest.mark.parametrize("text, intent, escalate", [
    ("こんにちは", "greeting", False),
    ("ありがとう、助かりました", "thanks", False),
    ("何ができるか教えて", "menu", False),
    ("English please", "language.change", False),
    ("担当の方と直接お話ししたいです", "human", True),
    ("孫を名乗る男から、会社のお金をなくしたので今日中に100万円必要だと電話があった", "scam.ore_ore", False),
    ("区役所から医療費の還付金があるのでATMに行ってと電話がきた", "scam.refund", False),
    ("I got a text saying my parcel could not be delivered, with a link to reschedule", "scam.phishing", False),
    ("An app ad with a famous businessman promises 30% profit every month if I deposit now", "scam.investment", False),
    ("Nakatanggap ako ng package na hindi ko inorder at may kasamang bill", "sales.unsolicited", False),
    ("Con tôi bị một người lạ chụp ảnh ở công viên hôm qua", "kids.suspicious_person", False),
    ("자전거를 도둑맞았어요. 어디에 신고해요?", "crime.bicycle_theft", False),
    ("Como funciona a cooling off? Quantos dias eu tenho?", "sales.cooling_off", False),
    ("छिमेकमा गस्ती गर्ने स्वयंसेवक समूहमा सामेल हुन चाहन्छु", "volunteer", False),
    ("Saya mau berhenti berlangganan info kejahatan lewat email", "alerts.subscribe", False),
    ("明天会下雨吗？", NONE_INTENT, False),
    ("what's a good ramen place near the station?", NONE_INTENT, False),
])
def test_dialogue(engine, text, intent, escalate):
    result = engine.classify(text)
    assert (result.intent, result.escalate) == (intent, escalate), result


@pytest.mark.parametrize("about, living", [
    ("警察を名乗ってビデオ通話で逮捕状を見せる詐欺ってありますか？",
     "いま警察を名乗る人とビデオ通話中で、逮捕状を見せられて振り込めと言われています"),
    ("What should I know about people who pretend to be from the bank and collect cash cards?",
     "A man from the bank is coming to my flat in an hour to collect my cash card"),
    ("Paano malalaman kung scam ang isang investment group?",
     "Nagpadala na ako ng 300,000 yen sa investment group at hindi ko na ma-withdraw, na-scam ako"),
    ("Làm sao để dạy con tránh người lạ?",
     "Có người lạ đang đi theo con gái em từ trường về, bây giờ vẫn đứng dưới nhà"),
])
def test_asking_about_is_not_living_through(engine, about, living):
    assert not engine.classify(about).escalate
    assert engine.classify(living).escalate


@pytest.mark.parametrize("text, severity", [
    ("今、知らない男にずっとつけられていて怖い", "emergency"),
    ("Someone is trying to force my front door open right now", "emergency"),
    ("暗証番号を電話の相手に教えてしまいました", "urgent"),
    ("Je ne sais pas", None),
    ("I want to talk to a real person please", "normal"),
])
def test_severity(engine, text, severity):
    assert engine.classify(text).severity == severity


@pytest.mark.parametrize("text, escalate", [
    ("銀行を名乗る電話で暗証番号を聞かれたけど、教えていません", False),
    ("Someone called pretending to be from my bank and asked for my PIN, but I did not give it", False),
    ("I gave my PIN to the caller, I didn't know what to do", True),
])
def test_negations_only_cancel_what_they_deny(engine, text, escalate):
    assert engine.classify(text).escalate is escalate


def test_money_already_handed_over_is_victim(engine):
    result = engine.classify("息子を名乗る電話で、会社の先輩という人に現金200万円を渡してしまった")
    assert (result.intent, result.escalate, result.severity) == ("scam.victim", True, "urgent")


def test_empty_and_noise(engine):
    for text in ("", "   ", "🙂", "12345"):
        result = engine.classify(text)
        assert result.intent == NONE_INTENT and not result.escalate
        assert 0.0 <= result.score <= 1.0


def test_understanding_is_frozen(engine):
    result = engine.classify("hello")
    assert isinstance(result, Understanding)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.intent = "menu"


def test_engine_exposes_intents_for_the_app(engine):
    human = engine.intents["human"]
    assert human.escalate and human.label and human.answer and isinstance(human.follow_ups, tuple)


# --- the compiled engine ----------------------------------------------------------------------------

def _copy_intents(target: Path) -> Path:
    target.mkdir()
    for path in INTENTS.glob("*.toml"):
        (target / path.name).write_bytes(path.read_bytes())
    return target


def test_compiled_engine_answers_like_a_fresh_build(engine, tmp_path):
    texts = [exs[0] for intent in engine.intents.values() for exs in intent.examples.values()]
    load_engine(INTENTS, tmp_path)
    (compiled,) = tmp_path.glob("engine-*.pickle")
    cached = load_engine(INTENTS, tmp_path)
    assert [cached.classify(t) for t in texts] == [engine.classify(t) for t in texts]
    assert cached.intents["human"].examples == engine.intents["human"].examples
    assert list(tmp_path.glob("engine-*.pickle")) == [compiled]


def test_editing_an_intent_rebuilds_the_compiled_engine(tmp_path):
    intents = _copy_intents(tmp_path / "intents")
    cache = tmp_path / "cache"
    assert load_engine(intents, cache).classify("ぴよぴよ体操教室").intent == NONE_INTENT
    volunteer = intents / "volunteer.toml"
    volunteer.write_text(volunteer.read_text(encoding="utf-8").replace(
        "ja = [", 'ja = [\n  "ぴよぴよ体操教室",', 1), encoding="utf-8")
    assert load_engine(intents, cache).classify("ぴよぴよ体操教室").intent == "volunteer"
    assert len(list(cache.glob("engine-*.pickle"))) == 1


def test_an_unreadable_compiled_engine_is_rebuilt(engine, tmp_path):
    load_engine(INTENTS, tmp_path)
    (compiled,) = tmp_path.glob("engine-*.pickle")
    compiled.write_bytes(b"truncated")
    rebuilt = load_engine(INTENTS, tmp_path)
    assert rebuilt.classify("オレオレ詐欺の電話が来た") == engine.classify("オレオレ詐欺の電話が来た")
    assert compiled.stat().st_size > 1000


# --- concurrency and streams ------------------------------------------------------------------------

def test_concurrent_classify_gives_the_same_results(engine):
    texts = [ex for intent in engine.intents.values() for exs in intent.examples.values() for ex in exs[:2]]
    expected = [engine.classify(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            assert list(pool.map(engine.classify, texts)) == expected


def test_classify_stream(engine):
    lines = [
        json.dumps({"id": "a", "text": "還付金があるからATMへ行けと言われた"}, ensure_ascii=False),
        "",
        "not json",
        json.dumps({"id": "c", "text": 5}),
        json.dumps({"id": "d", "text": "Xin chào"}, ensure_ascii=False),
    ]
    out = io.StringIO()
    classify_stream(engine, io.StringIO("\n".join(lines) + "\n"), out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in records] == ["a", None, "c", "d"]
    assert records[0]["intent"] == "scam.refund" and records[0]["lang"] == "ja"
    assert set(records[0]) == {"id", "intent", "lang", "score", "escalate"}
    assert "error" in records[1] and "error" in records[2]
    assert records[3]["lang"] == "vi"
    assert "還付金" not in out.getvalue() or "\\u" not in out.getvalue()


@pytest.mark.parametrize("text, lang", [
    ("還付金の電話", "ja"),
    ("給料未払い", "ja"),
    ("了解です", "ja"),
    ("还付金是什么", "zh-Hans"),
    ("這是詐騙嗎", "zh-Hant"),
])
def test_kanji_shared_by_japanese_and_chinese_do_not_decide_the_language(engine, text, lang):
    assert engine.classify(text).lang == lang
