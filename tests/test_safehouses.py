"""Children's safe houses (こどもSOSの家): CSV import and export, searches, and the LINE answers."""
import csv
import gettext
import io
import json
import math

import pytest
from sqlite_utils import Database

from bot.db import get_db
from bot.migrations import migrate
from bot.safehouse_replies import area_answer, location_answer
from bot.safehouse_store import SafeHouseStore
from bot.safehouses import (SAMPLE_CSV, distance_m, export_csv, find_by_area, find_near, import_csv,
                            parse_csv)
from bot.store import connect

JA_HEADER = ["名称", "種別", "住所", "緯度", "経度", "学区", "地区", "ローマ字", "時間", "備考"]
EN_HEADER = ["name", "kind", "address", "lat", "lon", "district", "area", "romaji", "hours", "notes"]
STATION = (42.6383, 141.6040)
NORTH_M = 1 / 111_195  # degrees of latitude per metre


def csv_bytes(header, rows, encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode(encoding)


def house(name, kind="店舗", lat=STATION[0], lon=STATION[1], address=None, district="若草小学校区",
          area="表町", romaji="Omote-machi", hours="9:00-18:00", notes=""):
    return [name, kind, address or f"苫小牧市表町1丁目 {name}", f"{lat:.6f}", f"{lon:.6f}", district, area,
            romaji, hours, notes]


def north_of_station(name, metres, kind="店舗", **fields):
    return house(name, kind, lat=STATION[0] + metres * NORTH_M, **fields)


@pytest.fixture
def db(app):
    """The app's database, with the migrations applied."""
    with app.app_context():
        yield get_db().db


def rows(db):
    return [dict(row) for row in db.query("SELECT * FROM safehouses ORDER BY id")]


class Marked(gettext.NullTranslations):
    """Translations that mark every string they translate, to find strings that bypass `tr`."""

    def gettext(self, message):
        return f"«{message}»"


def texts(node):
    """Every user-visible string of a message: text components, labels, alt texts, titles."""
    if isinstance(node, list):
        return [t for item in node for t in texts(item)]
    if not isinstance(node, dict):
        return []
    found = [node[key] for key in ("text", "altText", "label", "title", "address") if key in node]
    return found + [t for key, value in node.items() if key != "quickReply" for t in texts(value)]


def bubbles(messages):
    flex = next(m for m in messages if m["type"] == "flex")
    return flex["contents"]["contents"]


# -- import -----------------------------------------------------------------------------------------


def test_good_file_is_imported_with_every_field(db):
    data = csv_bytes(JA_HEADER, [house("サンプル商店", hours="9:00-19:00", notes="入口に旗"),
                                 house("サンプル宅", "個人宅", lat=42.64, lon=141.61)])
    report = import_csv(db, data)
    assert report.ok and (report.rows, report.added, report.updated) == (2, 2, 0)
    shop, home = rows(db)
    assert (shop["name"], shop["kind"], shop["district"], shop["area"], shop["romaji"]) == (
        "サンプル商店", "shop", "若草小学校区", "表町", "Omote-machi")
    assert (shop["hours"], shop["notes"], shop["active"], shop["sample"]) == ("9:00-19:00", "入口に旗", 1, 0)
    assert (shop["latitude"], shop["longitude"]) == (42.6383, 141.604)
    assert (shop["shown_lat"], shop["shown_lon"]) == (shop["latitude"], shop["longitude"])
    assert home["kind"] == "private_home" and (home["latitude"], home["longitude"]) == (42.64, 141.61)


def test_file_with_bad_rows_imports_nothing_and_names_each_row_with_why(db):
    data = csv_bytes(JA_HEADER, [
        house("よい店"),                                   # row 2: fine
        house(""),                                        # row 3: no name
        house("海の上", lat=35.0, lon=160.0),              # row 4: outside Japan
        house("入れ替え", lat=141.6, lon=42.6),            # row 5: latitude and longitude swapped
        house("謎の店", kind="宇宙船"),                    # row 6: unknown kind
        house("よい店"),                                   # row 7: same name and address as row 2
        ["数字でない", "店舗", "苫小牧市", "北緯42度", "141.6"],  # row 8: not a number
    ])
    report = import_csv(db, data)
    assert not report.ok and rows(db) == []
    why = {problem.row: str(problem) for problem in report.problems}
    assert sorted(why) == [3, 4, 5, 6, 7, 8]
    assert "名称" in why[3] and "required" in why[3]
    assert "outside Japan" in why[4] and "swapped" not in why[4]
    assert "swapped" in why[5]
    assert "unknown kind '宇宙船'" in why[6]
    assert "duplicate of row 2" in why[7]
    assert "not a number: '北緯42度'" in why[8]


def test_cli_import_names_bad_rows_and_fails(runner, db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(JA_HEADER, [house("よい店"), house("謎の店", kind="宇宙船")]))
    result = runner.invoke(args=["sos", "import", str(path)])
    assert result.exit_code == 1
    assert "row 3: 種別/kind: unknown kind" in result.stderr and "nothing imported" in result.stderr
    assert rows(db) == []


def test_unknown_or_missing_columns_refuse_the_whole_file(db):
    report = import_csv(db, csv_bytes(["名称", "住所", "緯度", "経度", "色"], [["店", "住所", "42.6", "141.6", "赤"]]))
    reasons = [str(problem) for problem in report.problems]
    assert "file: unknown column '色'" in reasons
    assert any("required column 種別 / kind is missing" in reason for reason in reasons)
    assert rows(db) == []


def test_utf16_or_binary_file_is_refused_as_such(db):
    report = import_csv(db, csv_bytes(JA_HEADER, [house("店")], encoding="utf-16"))
    assert [str(problem) for problem in report.problems] == [
        "file: the file is neither UTF-8 nor Shift_JIS text (save it as CSV)"]


def test_shift_jis_file_is_read(db):
    data = csv_bytes(JA_HEADER, [house("髙橋商店①", notes="ｻﾝﾌﾟﾙ")], encoding="cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = import_csv(db, data)
    assert report.ok and report.encoding == "shift_jis"
    assert rows(db)[0]["name"] == "髙橋商店①" and rows(db)[0]["notes"] == "ｻﾝﾌﾟﾙ"


def test_english_headers_and_kind_names(db):
    data = csv_bytes(EN_HEADER, [house("Sample Konbini", "convenience store"),
                                 house("Sample Home", "private home", lat=42.64)])
    assert import_csv(db, data).ok
    assert [row["kind"] for row in rows(db)] == ["convenience_store", "private_home"]


def test_reimporting_the_same_file_changes_nothing_and_a_changed_row_is_updated(db):
    data = csv_bytes(JA_HEADER, [house("店A"), house("店B")])
    import_csv(db, data)
    before = rows(db)
    report = import_csv(db, data)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 2)
    assert rows(db) == before
    report = import_csv(db, csv_bytes(JA_HEADER, [house("店A"), house("店B", hours="10:00-17:00")]))
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    assert [row["hours"] for row in rows(db)] == ["9:00-18:00", "10:00-17:00"]
    assert [row["id"] for row in rows(db)] == [row["id"] for row in before]


def test_dry_run_reports_without_writing(runner, db, tmp_path):
    path = tmp_path / "houses.csv"
    path.write_bytes(csv_bytes(JA_HEADER, [house("店A"), house("店B")]))
    result = runner.invoke(args=["sos", "import", "--dry-run", str(path)])
    assert result.exit_code == 0 and "would add 2" in result.output
    assert rows(db) == []
    result = runner.invoke(args=["sos", "import", str(path)])
    assert result.exit_code == 0 and "added 2" in result.output and len(rows(db)) == 2


@pytest.mark.parametrize("headers,encoding", [("ja", "utf-8"), ("en", "utf-8"), ("ja", "shift_jis")])
def test_export_round_trip(db, headers, encoding):
    assert import_csv(db, SAMPLE_CSV.read_bytes()).ok
    exported = export_csv(db, headers=headers, encoding=encoding)
    fresh = Database(memory=True)
    migrate(fresh)
    report = import_csv(fresh, exported)
    assert report.ok and report.added == len(rows(db)) > 0
    assert rows(fresh) == rows(db)
    assert import_csv(db, exported).unchanged == len(rows(db))
    assert parse_csv(exported)[0] == parse_csv(SAMPLE_CSV.read_bytes())[0]


def test_cli_export_writes_the_import_format(runner, db, tmp_path):
    import_csv(db, csv_bytes(JA_HEADER, [house("店A")]))
    result = runner.invoke(args=["sos", "export", "--headers", "en", str(tmp_path / "out.csv")])
    assert result.exit_code == 0
    exported = (tmp_path / "out.csv").read_bytes().decode("utf-8-sig")
    assert exported.splitlines()[0].startswith("name,kind,address,lat,lon,district")
    assert "店A,shop," in exported


def test_load_sample_only_in_demo_mode_and_idempotent(app, runner, db):
    result = runner.invoke(args=["sos", "load-sample"])
    assert "not in demo mode" in result.output and rows(db) == []
    app.config["DEMO"] = True
    first = runner.invoke(args=["sos", "load-sample"])
    loaded = rows(db)
    second = runner.invoke(args=["sos", "load-sample"])
    assert first.exit_code == second.exit_code == 0
    assert 35 <= len(loaded) <= 45 and rows(db) == loaded and "added 0, updated 0" in second.output
    assert all(row["sample"] == 1 and row["name"].startswith("サンプル") for row in loaded)
    assert all("架空" in row["notes"] for row in loaded)


# -- searches ---------------------------------------------------------------------------------------


def test_nearest_houses_in_order_within_the_radius(db):
    import_csv(db, csv_bytes(JA_HEADER, [
        north_of_station("900 m", 900), north_of_station("100 m", 100), north_of_station("1500 m", 1500),
        north_of_station("1003 m", 1003),
        north_of_station("300 m", 300), house("西 600 m", lon=STATION[1] - 600 / (111_195 * math.cos(
            math.radians(STATION[0]))))]))
    found = find_near(db, *STATION, radius_m=1000)
    assert [m.name for m in found] == ["100 m", "300 m", "西 600 m", "900 m"]
    assert [round(m.distance_m, -1) for m in found] == [100, 300, 600, 900]
    assert [m.name for m in find_near(db, *STATION, radius_m=250)] == ["100 m"]
    assert [m.name for m in find_near(db, *STATION, radius_m=1000, limit=2)] == ["100 m", "300 m"]
    assert [m.name for m in find_near(db, *STATION, radius_m=2000)][-2:] == ["1003 m", "1500 m"]


def test_inactive_houses_are_not_found_even_when_many_are_nearer(db):
    closed = [north_of_station(f"閉店{n}", 5 * n) + ["0"] for n in range(60)]
    import_csv(db, csv_bytes(JA_HEADER + ["有効"], closed + [north_of_station("営業中", 700) + ["1"]]))
    assert [m.name for m in find_near(db, *STATION, radius_m=1000, limit=3)] == ["営業中"]


def test_private_home_never_exposes_address_name_or_exact_coordinates(db):
    lat, lon = 42.641234, 141.606789
    import_csv(db, csv_bytes(JA_HEADER, [house("山田太郎様宅", "個人宅", lat=lat, lon=lon,
                                               address="苫小牧市若草町3丁目12-34", notes="山田さん")]))
    found = find_near(db, lat, lon, radius_m=1000)
    assert len(found) == 1
    home = found[0]
    assert home.name is None and home.address is None and home.notes is None and home.approximate
    assert (home.lat, home.lon) != (lat, lon) and 0 < distance_m(lat, lon, home.lat, home.lon) <= 100
    assert home.district == "若草小学校区"
    messages = location_answer(Marked(), found, radius_m=1000, language="en")
    messages += area_answer(Marked(), "表町", find_by_area(db, "表町").matches, language="en")
    dumped = json.dumps(messages, ensure_ascii=False)
    for secret in ("山田", "12-34", "若草町3丁目", "42.641234", "141.606789", "42.64123", "141.60679"):
        assert secret not in dumped
    location = messages[2]
    assert (location["type"], location["latitude"], location["longitude"]) == ("location", home.lat, home.lon)


def test_private_homes_near_each_other_share_an_approximate_point(db):
    import_csv(db, csv_bytes(JA_HEADER, [house("宅1", "個人宅", lat=42.64101, lon=141.60601),
                                         house("宅2", "個人宅", lat=42.64106, lon=141.60608)]))
    first, second = find_near(db, 42.641, 141.606, radius_m=500)
    assert (first.lat, first.lon) == (second.lat, second.lon)


@pytest.mark.parametrize("text,area", [
    ("糸井小の近く", "糸井"), ("near Misono", "美園町"), ("美園", "美園町"), ("みその", "美園町"),
    ("沼の端のこどもSOSの家", "沼ノ端"), ("Numanohta", "沼ノ端"), ("錦岡", "錦岡"), ("錦町の近く", "錦町"),
])
def test_text_search_by_district_or_area(db, text, area):
    import_csv(db, SAMPLE_CSV.read_bytes())
    found = find_by_area(db, text)
    assert found is not None and found.area == area and found.matches
    stored = {row["id"]: row for row in rows(db)}
    assert all(area in (stored[m.id]["area"], stored[m.id]["district"].replace("小学校区", ""))
               for m in found.matches)


def test_text_search_for_itoi_school_finds_the_district(db):
    import_csv(db, SAMPLE_CSV.read_bytes())
    found = find_by_area(db, "糸井小の近く")
    districts = {row["id"]: row["district"] for row in rows(db)}
    assert {districts[m.id] for m in found.matches} == {"糸井小学校区"}
    assert len(found.matches) == sum(1 for row in rows(db) if row["district"] == "糸井小学校区" and row["active"])


def test_a_written_town_name_beats_romaji_that_kana_spell_by_chance(db):
    import_csv(db, csv_bytes(JA_HEADER, [house("北の店", area="北町", romaji="Kita-machi", district="北小学校区"),
                                         house("美園の店", area="美園町", romaji="Misono-cho", district="")]))
    assert find_by_area(db, "美園町のきたがわ").area == "美園町"
    assert find_by_area(db, "きたまちの近く").area == "北町"


def test_text_search_sees_an_import_by_another_connection_at_once(app, db):
    assert find_by_area(db, "美園") is None
    other = connect(app.config["DATABASE"])
    import_csv(other, SAMPLE_CSV.read_bytes())
    other.close()
    assert find_by_area(db, "美園").area == "美園町"


@pytest.mark.parametrize("text", ["hello", "こんにちは", "オレオレ詐欺の電話がきた", "ojisan"])
def test_text_without_an_area_finds_nothing(db, text):
    import_csv(db, SAMPLE_CSV.read_bytes())
    assert find_by_area(db, text) is None


# -- LINE answers -----------------------------------------------------------------------------------


def test_location_answer_is_a_valid_flex_carousel(db):
    import_csv(db, SAMPLE_CSV.read_bytes())
    found = find_near(db, *STATION, radius_m=1000)
    messages = location_answer(gettext.NullTranslations(), found, radius_m=1000, language="ja",
                               quick=[{"type": "action", "action": {"type": "location", "label": "位置"}}])
    assert [m["type"] for m in messages] == ["text", "flex", "location"] and len(messages) <= 5
    flex = messages[1]
    assert flex["contents"]["type"] == "carousel" and 0 < len(flex["altText"]) <= 1500
    assert 1 <= len(bubbles(messages)) <= 10
    for bubble in bubbles(messages):
        assert bubble["type"] == "bubble" and bubble["body"]["type"] == "box"
        assert all(component["text"] for component in bubble["body"]["contents"])
        (button,) = bubble["footer"]["contents"]
        assert button["type"] == "button" and button["action"]["type"] == "uri"
        assert button["action"]["uri"].startswith("https://www.google.com/maps/search/?api=1&query=")
        assert 0 < len(button["action"]["label"]) <= 20
    first = bubbles(messages)[0]["body"]["contents"]
    assert first[0]["text"] == found[0].name and "m · " in first[2]["text"] and "min walk" in first[2]["text"]
    assert messages[2]["title"].startswith(found[0].name) and len(messages[2]["title"]) <= 100
    assert "quickReply" in messages[-1] and all("quickReply" not in m for m in messages[:-1])


def test_carousel_holds_at_most_ten_bubbles_and_a_short_alt_text(db):
    import_csv(db, csv_bytes(JA_HEADER, [north_of_station("とても長い名前の店" * 8 + str(n), 10 * n)
                                         for n in range(30)]))
    found = find_near(db, *STATION, radius_m=1000, limit=30)
    assert len(found) == 30
    messages = location_answer(gettext.NullTranslations(), found, radius_m=1000, language="ja")
    assert len(bubbles(messages)) == 10 and len(messages[1]["altText"]) <= 1500


def test_every_visible_string_is_translated_or_data(db):
    import_csv(db, SAMPLE_CSV.read_bytes())
    found = find_near(db, 42.6466, 141.6170, radius_m=1000)
    assert any(m.approximate for m in found) and any(m.sample for m in found)
    data = {value for m in found for value in (m.name, m.address, m.district, m.area, m.hours, m.notes,
                                               f"{m.area} ({m.romaji})") if value}
    for string in texts(location_answer(Marked(), found, radius_m=1000, language="en")):
        assert "«" in string or string in data or all(part in data for part in string.split(" · ")), string


def test_answers_say_which_houses_are_samples_and_show_romaji_to_other_languages(db):
    import_csv(db, SAMPLE_CSV.read_bytes())
    found = find_near(db, 42.6466, 141.6170, radius_m=1000)
    messages = location_answer(gettext.NullTranslations(), found, radius_m=1000, language="vi")
    assert "sample houses" in messages[0]["text"]
    assert all(any(component["text"] == "Sample (fictional)" for component in bubble["body"]["contents"])
               for bubble in bubbles(messages))
    assert "(Sample (fictional))" in messages[2]["title"]
    assert "美園町 (Misono-cho)" in json.dumps(messages, ensure_ascii=False)
    japanese = location_answer(gettext.NullTranslations(), found, radius_m=1000, language="ja")
    assert "Misono-cho" not in json.dumps(japanese, ensure_ascii=False)


def test_nothing_near_says_so_with_110_and_where_to_go(db):
    import_csv(db, SAMPLE_CSV.read_bytes())
    assert find_near(db, 42.70, 141.60, radius_m=1000) == []
    (message,) = location_answer(gettext.NullTranslations(), [], radius_m=1000, language="en")
    assert message["type"] == "text" and "1000 m" in message["text"] and "110" in message["text"]
    assert "convenience store" in message["text"] and "bright, busy place" in message["text"]


def test_area_answer_is_a_carousel_without_distances(db):
    import_csv(db, SAMPLE_CSV.read_bytes())
    found = find_by_area(db, "near Misono")
    messages = area_answer(gettext.NullTranslations(), found.area, found.matches, language="en")
    assert [m["type"] for m in messages] == ["text", "flex"] and "美園町" in messages[0]["text"]
    assert "min walk" not in json.dumps(messages) and len(bubbles(messages)) == len(found.matches)


def test_store_accepts_the_app_store_or_its_database(app):
    with app.app_context():
        store = get_db()
        assert SafeHouseStore.of(store).db is store.db and SafeHouseStore.of(store.db).db is store.db
