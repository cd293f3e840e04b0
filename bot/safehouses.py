"""Children's safe houses (こどもSOSの家): the CSV format, its validation, the geometry and the searches."""
from __future__ import annotations

import csv
import io
import math
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from .safehouse_store import SafeHouseStore

SAMPLE_CSV = Path(__file__).resolve().parent / "data" / "sample_safehouses.csv"
DEFAULT_RADIUS_M = 1000
WALKING_M_PER_MIN = 80  # the Japanese real-estate standard (不動産の表示に関する公正競争規約)
EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = math.radians(1) * EARTH_RADIUS_M
APPROXIMATE_CELL_M = 100  # private homes are shown at the centre of a cell of about this size
# Japan from Okinotorishima (20.4°N) to Etorofu (45.6°N), Yonaguni (122.9°E) to Minamitorishima (154°E).
JAPAN = (20.4, 45.6, 122.9, 154.0)
AREA_CACHE_SECONDS = 60  # how soon an import by another process reaches the text search


@dataclass(frozen=True)
class Kind:
    """A kind of safe house: its code, its name in a Japanese CSV, and the other names a CSV may use."""

    code: str
    ja: str
    aliases: tuple[str, ...]


KINDS = {kind.code: kind for kind in (
    Kind("shop", "店舗", ("shop", "store", "店", "お店", "商店", "小売店", "飲食店")),
    Kind("convenience_store", "コンビニ", ("convenience store", "konbini", "コンビニエンスストア")),
    Kind("office", "事業所", ("office", "business", "company", "会社", "企業", "事務所")),
    Kind("public_facility", "公共施設", ("public facility", "public", "公共", "公民館", "児童館")),
    Kind("medical", "医療機関", ("medical", "clinic", "hospital", "pharmacy", "病院", "診療所", "薬局")),
    Kind("private_home", "個人宅", ("private home", "home", "house", "residence", "住宅", "民家",
                                   "一般家庭", "個人")),
)}
PRIVATE_HOME = "private_home"
_area_indexes: dict[str, tuple[float, AreaIndex]] = {}  # by database file, for AREA_CACHE_SECONDS


@dataclass(frozen=True)
class Column:
    """A CSV column: the field it fills, its Japanese and English headers, other accepted headers."""

    field: str
    ja: str
    en: str
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS = (
    Column("name", "名称", "name", ("施設名", "名前", "店舗名"), required=True),
    Column("kind", "種別", "kind", ("種類", "区分", "type"), required=True),
    Column("address", "住所", "address", ("所在地",), required=True),
    Column("latitude", "緯度", "lat", ("latitude",), required=True),
    Column("longitude", "経度", "lon", ("longitude", "lng", "long"), required=True),
    Column("district", "学区", "district", ("校区", "小学校区", "school district", "school_district")),
    Column("area", "地区", "area", ("町名", "地域")),
    Column("romaji", "ローマ字", "romaji", ("area_romaji", "地区ローマ字")),
    Column("hours", "時間", "hours", ("受入時間", "対応時間", "営業時間")),
    Column("notes", "備考", "notes", ("note", "メモ")),
    Column("active", "有効", "active", ("enabled",)),
    Column("sample", "サンプル", "sample"),
)
FIELDS = tuple(column.field for column in COLUMNS)
YES = {"1", "true", "yes", "y", "○", "◯", "有効", "はい"}
NO = {"0", "false", "no", "n", "×", "無効", "いいえ"}
MAX_TEXT = 200


def _fold(text: str) -> str:
    """Compare-friendly form of a header, kind or flag: NFKC, lower case, one space for `_`, `-`, spaces."""
    return re.sub(r"[\s_\-]+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


HEADERS = {_fold(name): column for column in COLUMNS
           for name in (column.ja, column.en, column.field, *column.aliases)}
KIND_NAMES = {_fold(name): kind.code for kind in KINDS.values()
              for name in (kind.code, kind.ja, *kind.aliases)}


@dataclass
class House:
    """One safe house as the CSV describes it."""

    name: str
    kind: str
    address: str
    latitude: float
    longitude: float
    district: str = ""
    area: str = ""
    romaji: str = ""
    hours: str = ""
    notes: str = ""
    active: bool = True
    sample: bool = False

    @property
    def key(self) -> str:
        """What makes a house the same house across imports: its name and address."""
        return "\n".join(" ".join(unicodedata.normalize("NFKC", part).split())
                         for part in (self.name, self.address))

    def row(self) -> dict:
        """The house as a row of the safehouses table."""
        shown_lat, shown_lon = shown_point(self.kind, self.latitude, self.longitude)
        return {"key": self.key, **{name: getattr(self, name) for name in FIELDS},
                "active": int(self.active), "sample": int(self.sample),
                "shown_lat": shown_lat, "shown_lon": shown_lon}

    @classmethod
    def from_row(cls, row: dict) -> "House":
        """The house of a table row."""
        return cls(**{name: row[name] for name in FIELDS})


@dataclass(frozen=True)
class Problem:
    """Why a row (or the whole file, when row is None) cannot be imported."""

    row: int | None
    reason: str
    column: str = ""

    def __str__(self) -> str:
        where = "file" if self.row is None else f"row {self.row}"
        return f"{where}: {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did, or would do with --dry-run, or why it did nothing."""

    encoding: str = ""
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row is valid (and, unless a dry run, was written)."""
        return not self.problems

    def summary(self) -> str:
        """One line for people: counts, or how many problems stopped the import."""
        if self.problems:
            return f"nothing imported: {len(self.problems)} problem(s) in {self.rows} row(s)"
        verb = "would add" if self.dry_run else "added"
        return (f"{self.rows} row(s) read ({self.encoding}): {verb} {self.added}, "
                f"{'would update' if self.dry_run else 'updated'} {self.updated}, "
                f"unchanged {self.unchanged}")


# -- CSV --------------------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and its encoding: UTF-8 (with or without BOM), else Shift_JIS."""
    if b"\x00" in data[:4096]:  # UTF-16, as Excel's "Unicode text" saves it, would decode as cp932 junk
        raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL bytes: UTF-16 or binary")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # cp932 is Shift_JIS as Windows and Excel write it (with NEC and IBM extensions such as ①, 髙).
    return data.decode("cp932"), "shift_jis"


def parse_csv(data: bytes) -> tuple[list[House], list[Problem], str]:
    """Read and validate every row; return the houses, every problem found, and the encoding."""
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError:
        return [], [Problem(None, "the file is neither UTF-8 nor Shift_JIS text (save it as CSV)")], ""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        return [], [Problem(None, "the file is empty")], encoding
    columns, problems = _columns(header)
    if problems:
        return [], problems, encoding
    houses, seen = [], {}
    for record in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        house, row_problems = _house(number, columns, record)
        if house is not None and house.key in seen:
            row_problems.append(Problem(number, f"duplicate of row {seen[house.key]} (same name, address)"))
        elif house is not None:
            seen[house.key] = number
        problems += row_problems
        if house is not None and not row_problems:
            houses.append(house)
    return houses, problems, encoding


def _columns(header: list[str]) -> tuple[list[Column | None], list[Problem]]:
    columns = [HEADERS.get(_fold(name)) for name in header]
    problems = [Problem(None, f"unknown column {name!r}") for name, column in zip(header, columns)
                if column is None and name.strip()]
    found = [column.field for column in columns if column]
    problems += [Problem(None, f"column {field!r} appears {found.count(field)} times")
                 for field in dict.fromkeys(found) if found.count(field) > 1]
    problems += [Problem(None, f"required column {column.ja} / {column.en} is missing")
                 for column in COLUMNS if column.required and column.field not in found]
    return columns, problems


def _house(number: int, columns: list[Column | None], record: list[str]
           ) -> tuple[House | None, list[Problem]]:
    if len(record) > len(columns):
        return None, [Problem(number, f"{len(record)} cells but {len(columns)} columns")]
    cells = {column.field: cell.strip() for column, cell in zip(columns, record) if column}
    problems = []

    def fail(field_name: str, reason: str) -> None:
        column = next(c for c in COLUMNS if c.field == field_name)
        problems.append(Problem(number, reason, f"{column.ja}/{column.en}"))

    for column in COLUMNS:
        value = cells.get(column.field, "")
        if column.required and not value:
            fail(column.field, "required, but empty")
        elif len(value) > MAX_TEXT:
            fail(column.field, f"longer than {MAX_TEXT} characters")
    kind = KIND_NAMES.get(_fold(cells.get("kind", "")))
    if cells.get("kind") and kind is None:
        fail("kind", f"unknown kind {cells['kind']!r} (known: {', '.join(k.ja for k in KINDS.values())}"
                     f" or {', '.join(KINDS)})")
    lat, lon = (_number(cells.get(name, "")) for name in ("latitude", "longitude"))
    for name, value in (("latitude", lat), ("longitude", lon)):
        if cells.get(name) and value is None:
            fail(name, f"not a number: {cells[name]!r}")
    if lat is not None and lon is not None and not in_japan(lat, lon):
        swapped = " (latitude and longitude swapped?)" if in_japan(lon, lat) else ""
        fail("latitude", f"{lat}, {lon} is outside Japan{swapped}")
    flags = {}
    for name, default in (("active", True), ("sample", False)):
        value = _fold(cells.get(name, ""))
        if value and value not in YES | NO:
            fail(name, f"not a yes/no value: {cells[name]!r} (use 1 or 0)")
        flags[name] = value in YES if value else default
    if problems:
        return None, problems
    return House(name=cells["name"], kind=kind, address=cells["address"], latitude=lat, longitude=lon,
                 district=cells.get("district", ""), area=cells.get("area", ""),
                 romaji=cells.get("romaji", ""), hours=cells.get("hours", ""),
                 notes=cells.get("notes", ""), **flags), []


def _number(text: str) -> float | None:
    try:
        value = float(unicodedata.normalize("NFKC", text))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def write_csv(houses: list[House], headers: str = "ja") -> str:
    """The houses as CSV text with Japanese (`ja`) or English (`en`) headers and kind names."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.ja if headers == "ja" else column.en for column in COLUMNS])
    for house in houses:
        values = {**{name: getattr(house, name) for name in FIELDS},
                  "kind": KINDS[house.kind].ja if headers == "ja" else house.kind,
                  "latitude": repr(house.latitude), "longitude": repr(house.longitude),
                  "active": int(house.active), "sample": int(house.sample)}
        writer.writerow([values[name] for name in FIELDS])
    return out.getvalue()


# -- import and export ------------------------------------------------------------------------------


def import_csv(store_or_db, data: bytes, dry_run: bool = False) -> ImportReport:
    """Validate a CSV file and import all of its rows in one transaction, or none when any is wrong."""
    houses, problems, encoding = parse_csv(data)
    report = ImportReport(encoding=encoding, rows=len(houses) + len({p.row for p in problems} - {None}),
                          dry_run=dry_run, problems=problems)
    if problems:
        return report
    store = SafeHouseStore.of(store_or_db)
    rows = [house.row() for house in houses]
    existing = store.by_key([row["key"] for row in rows])
    new = [row for row in rows if row["key"] not in existing]
    changed = [row for row in rows if row["key"] in existing
               and any(existing[row["key"]][name] != value for name, value in row.items())]
    report.added, report.updated = len(new), len(changed)
    report.unchanged = len(rows) - len(new) - len(changed)
    if not dry_run:
        store.write(new, changed)
        _area_indexes.pop(store.path(), None)
    return report


def export_csv(store_or_db, headers: str = "ja", encoding: str = "utf-8") -> bytes:
    """Every house (active or not) in the import format; UTF-8 with a BOM so that Excel reads it."""
    text = write_csv([House.from_row(row) for row in SafeHouseStore.of(store_or_db).all()], headers)
    return text.encode("utf-8-sig") if encoding == "utf-8" else text.encode("cp932")


def load_sample(store_or_db) -> ImportReport:
    """Import the fictional demo houses of bot/data/sample_safehouses.csv (again: nothing changes)."""
    return import_csv(store_or_db, SAMPLE_CSV.read_bytes())


# -- geometry ---------------------------------------------------------------------------------------


def in_japan(lat: float, lon: float) -> bool:
    """True when a point lies within Japan's extreme points."""
    south, north, west, east = JAPAN
    return south <= lat <= north and west <= lon <= east


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((phi2 - phi1) / 2) ** 2
         + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) of a box that holds every point within radius_m of (lat, lon)."""
    # 1% margin: the R*Tree stores 32-bit floats, rounded outwards, and the circle must fit in the box.
    dlat = math.degrees(radius_m / EARTH_RADIUS_M) * 1.01
    dlon = dlat / max(math.cos(math.radians(min(abs(lat) + dlat, 89.0))), 1e-6)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def shown_point(kind: str, lat: float, lon: float) -> tuple[float, float]:
    """Where a house is shown: exactly, except private homes, at the centre of a ~100 m grid cell."""
    if kind != PRIVATE_HOME:
        return lat, lon
    step_lat = math.degrees(APPROXIMATE_CELL_M / EARTH_RADIUS_M)
    row = math.floor(lat / step_lat)
    centre_lat = (row + 0.5) * step_lat
    step_lon = step_lat / math.cos(math.radians(centre_lat))
    centre_lon = (math.floor(lon / step_lon) + 0.5) * step_lon
    return round(centre_lat, 5), round(centre_lon, 5)


def walking_minutes(metres: float) -> int:
    """Minutes on foot at 80 m a minute, at least one."""
    return max(1, math.ceil(metres / WALKING_M_PER_MIN))


# -- search -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """A house as users may see it: a private home has no name, address, notes or exact point."""

    id: int
    kind: str
    name: str | None
    address: str | None
    lat: float
    lon: float
    district: str
    area: str
    romaji: str
    hours: str
    notes: str | None
    sample: bool
    distance_m: float | None = None

    @property
    def approximate(self) -> bool:
        """True when the point is only near the house (private homes)."""
        return self.kind == PRIVATE_HOME

    @classmethod
    def from_row(cls, row: dict, distance: float | None = None) -> "Match":
        """The public view of a table row."""
        private = row["kind"] == PRIVATE_HOME
        return cls(id=row["id"], kind=row["kind"], name=None if private else row["name"],
                   address=None if private else row["address"], lat=row["shown_lat"],
                   lon=row["shown_lon"], district=row["district"] or "", area=row["area"] or "",
                   romaji=row["romaji"] or "", hours=row["hours"] or "",
                   notes=None if private else row["notes"] or "", sample=bool(row["sample"]),
                   distance_m=distance)


def find_near(db, lat: float, lon: float, radius_m: float = DEFAULT_RADIUS_M, limit: int = 10) -> list[Match]:
    """The active houses within radius_m of a point, nearest first (at most `limit`)."""
    store = SafeHouseStore.of(db)
    box = bounding_box(lat, lon, radius_m)
    scale = (METRES_PER_DEGREE, METRES_PER_DEGREE * math.cos(math.radians(lat)))
    # The index's rough order can differ from the exact one among houses a metre or two apart, so
    # more than `limit` are read, and more again when inactive houses take up places.
    count = 2 * limit + 10
    while True:
        rows = store.roughly_nearest(lat, lon, box, scale, radius_m * 1.005 + 5, count)
        exact = sorted((distance_m(lat, lon, row["shown_lat"], row["shown_lon"]), row["id"], row)
                       for row in rows if row["active"])
        found = [(distance, row) for distance, _, row in exact if distance <= radius_m]
        if len(found) >= limit or len(rows) < count:
            return [Match.from_row(row, distance) for distance, row in found[:limit]]
        count *= 4


@dataclass(frozen=True)
class AreaResult:
    """The houses of the area (district, town or its romaji name) a text names."""

    area: str
    matches: list[Match]


# Suffixes that a text may leave out: 糸井小学校区 is asked for as 糸井小 or 糸井, 美園町 as 美園.
_SUFFIXES = ("小学校区", "中学校区", "小学校", "中学校", "学校区", "校区", "学区", "地区", "小", "中", "町")
_ROMAJI_SUFFIXES = ("cho", "machi", "chome", "ku", "mura", "shogakko", "elementary", "school", "district")
_FUZZY_CUTOFF = 85


class AreaIndex:
    """The district, town and romaji names of the active houses, ready to be found in a text."""

    def __init__(self, labels: list[tuple[str, str]]):
        self.names: dict[str, list[tuple[str, str]]] = {}
        self.romaji: dict[str, list[tuple[str, str]]] = {}
        for column, label in labels:
            table, keys = ((self.romaji, _romaji_keys(label)) if column == "romaji"
                           else (self.names, _name_forms(label)))
            for key in keys:
                table.setdefault(key, []).append((column, label))
        self.longest_name = max(map(len, self.names), default=0)
        self.longest_romaji = max(map(len, self.romaji), default=0)
        self.fuzzy_keys = [key for key in self.romaji if len(key) >= 4]

    def find(self, text: str) -> dict[str, set[str]]:
        """The names a text names best, by column: whole names (the longest) beat near spellings."""
        folded = _kana_fold(text)
        query = "".join(folded.split())
        words = re.findall(r"[a-z]+", _romaji_fold(_to_romaji(folded)))
        phrases = words + [a + b for a, b in zip(words, words[1:])]
        # (2, 1, length) for a whole district or town name, (2, 0, length) for a whole romaji name (kana
        # become romaji, so particles can spell one by chance), (1, 0, similarity) for a near spelling.
        scores: dict[tuple[str, str], tuple[int, int, float]] = {}

        def score(labels: list[tuple[str, str]], value: tuple[int, int, float]) -> None:
            for label in labels:
                scores[label] = max(scores.get(label, value), value)

        for part in _substrings(query, 2, self.longest_name):
            score(self.names.get(part, []), (2, 1, len(part)))
        for phrase in phrases:
            score(self.romaji.get(phrase, []), (2, 0, len(phrase)))
            # Inside a longer word a name counts from 4 letters: みそのちょう holds misono, ojisan no oji.
            for part in _substrings(phrase, 4, self.longest_romaji):
                score(self.romaji.get(part, []), (2, 0, len(part)))
        if not scores:
            for phrase in (phrase for phrase in phrases if len(phrase) >= 4):
                for key, similarity, _ in process.extract(phrase, self.fuzzy_keys, scorer=fuzz.ratio,
                                                          score_cutoff=_FUZZY_CUTOFF, limit=None):
                    score(self.romaji[key], (1, 0, similarity))
        best = max(scores.values(), default=None)
        chosen: dict[str, set[str]] = {}
        for (column, label), value in scores.items():
            if value == best:
                chosen.setdefault(column, set()).add(label)
        return chosen


def find_by_area(db, text: str, limit: int = 10) -> AreaResult | None:
    """The houses of the district or town a text names ("糸井小の近く", "near Misono"); None if none."""
    store = SafeHouseStore.of(db)
    chosen = _area_index(store).find(text)
    rows = store.houses_in_areas(chosen, limit) if chosen else []
    if not rows:
        return None
    names = sorted(chosen.get("area", ())) or sorted(chosen.get("district", ()))
    # A romaji name stands for the town of its houses.
    name = names[0] if names else next((row["area"] for row in rows if row["area"]), min(chosen["romaji"]))
    return AreaResult(name, [Match.from_row(row) for row in rows])


def _area_index(store: SafeHouseStore) -> AreaIndex:
    """The area names of a database file, read again after AREA_CACHE_SECONDS (memory: every time)."""
    path, now = store.path(), time.monotonic()
    expires, index = _area_indexes.get(path, (0.0, None))
    if index is None or now >= expires or not path:
        index = AreaIndex(store.area_labels())
        if path:
            _area_indexes[path] = (now + AREA_CACHE_SECONDS, index)
    return index


def _substrings(text: str, shortest: int, longest: int):
    for start in range(len(text)):
        for end in range(start + shortest, min(len(text), start + longest) + 1):
            yield text[start:end]


def _name_forms(label: str) -> list[str]:
    """A name as a text may write it: whole, or without its suffix (糸井小学校区 → 糸井), 2 characters+."""
    full = _kana_fold("".join(label.split()))
    forms = [full] + [full[: -len(suffix)] for suffix in _SUFFIXES if full.endswith(suffix)][:1]
    return [form for form in forms if len(form) >= 2]


def _romaji_keys(label: str) -> set[str]:
    """A romaji name as a text may write it: Misono-cho → misonocho, misono."""
    tokens = re.findall(r"[a-z]+", _romaji_fold(label))
    if not tokens:
        return set()
    whole = "".join(tokens)
    while len(tokens) > 1 and tokens[-1] in _ROMAJI_SUFFIXES:
        tokens.pop()
    return {whole, "".join(tokens), tokens[0]}


def _kana_fold(text: str) -> str:
    """NFKC, lower case, katakana as hiragana: 沼ノ端 and 沼の端 become the same."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in folded)


def _romaji_fold(text: str) -> str:
    """Lower-case ASCII romaji without macrons, long vowels written once (Ōji, Ouji, Oji → oji)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"ou|oo", "o", re.sub(r"uu", "u", plain))


def _kana_table() -> dict[str, str]:
    rows = {"": "あいうえお", "k": "かきくけこ", "s": "さしすせそ", "t": "たちつてと", "n": "なにぬねの",
            "h": "はひふへほ", "m": "まみむめも", "y": "や.ゆ.よ", "r": "らりるれろ", "w": "わ...を",
            "g": "がぎぐげご", "z": "ざじずぜぞ", "d": "だぢづでど", "b": "ばびぶべぼ", "p": "ぱぴぷぺぽ"}
    table = {kana: consonant + vowel for consonant, row in rows.items()
             for vowel, kana in zip("aiueo", row) if kana != "."}
    table.update({"し": "shi", "ち": "chi", "つ": "tsu", "ふ": "fu", "じ": "ji", "ぢ": "ji", "づ": "zu",
                  "を": "o", "ん": "n", "ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o", "ー": ""})
    for kana in "きしちにひみりぎじびぴ":
        stem = table[kana][:-1]
        for small, vowel in zip("ゃゅょ", "auo"):
            table[kana + small] = stem + vowel if stem in ("sh", "ch", "j") else stem + "y" + vowel
    return table


_KANA = _kana_table()


def _to_romaji(text: str) -> str:
    """Hepburn romaji of the hiragana in a text, the rest unchanged, so that みその finds Misono."""
    out, double, i = [], False, 0
    while i < len(text):
        step = 2 if text[i:i + 2] in _KANA else 1
        chunk = text[i:i + step]
        i += step
        if chunk == "っ":
            double = True
            continue
        romaji = _KANA.get(chunk, chunk)
        out.append(romaji[:1] * double + romaji if chunk in _KANA else chunk)
        double = False
    return "".join(out)
