"""Speed of the children's safe-house (こどもSOSの家) import and searches with 100 000 generated houses.

    .venv/bin/python benchmarks/sos.py [--houses 100000] [--queries 2000] [--radius 1000]

Two layouts: "japan" spreads the houses around 40 cities (a nationwide list), "one city" puts them all
in 15 x 12 km around Tomakomai (far denser than any real list: the worst case for the R*Tree prefilter).
Each run imports a generated CSV into a fresh database file (parse, validate, write, index), imports it
again (nothing changes), then times nearest-houses queries at points near random houses, area text
searches (the first one reads the area names, which each process keeps for a minute) and an export.
"in box" is the mean number of houses in the R*Tree's bounding box of a query.
"""
from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.safehouses import (KINDS, bounding_box, export_csv, find_by_area, find_near,  # noqa: E402
                            import_csv)
from bot.store import connect, prepare  # noqa: E402

CITIES = [(43.062, 141.354), (38.268, 140.872), (35.690, 139.692), (35.444, 139.638), (35.181, 136.906),
          (34.694, 135.502), (34.690, 135.196), (35.012, 135.768), (34.385, 132.455), (33.590, 130.402),
          (31.597, 130.557), (26.212, 127.681), (36.562, 136.656), (37.916, 139.036), (36.391, 139.060),
          (36.366, 140.471), (35.605, 140.123), (34.975, 138.383), (34.710, 137.726), (34.662, 133.935),
          (33.839, 132.766), (33.559, 133.531), (32.803, 130.708), (33.250, 131.612), (31.911, 131.424),
          (40.822, 140.747), (39.702, 141.154), (39.720, 140.103), (38.240, 140.364), (37.750, 140.468),
          (36.651, 138.181), (35.664, 138.568), (35.391, 136.722), (34.730, 136.509), (35.004, 135.868),
          (34.686, 135.832), (34.226, 135.167), (35.504, 134.238), (35.472, 133.051), (42.638, 141.604)]
TOMAKOMAI = (42.6383, 141.6040)
METRES_PER_DEGREE = 111_195
SYLLABLES = ("ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu me mo "
             "ya yu yo ra ri ru re ro wa ga").split()


def romaji(number: int) -> str:
    """A made-up town name in romaji, one for each number below 64 000."""
    return "".join(SYLLABLES[number // 40 ** i % 40] for i in range(3))


def generate(layout: str, count: int, rng: random.Random) -> bytes:
    """A CSV file of `count` houses with 2 000 districts; every seventh one a private home."""
    kinds = [kind.ja for kind in KINDS.values()]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["名称", "種別", "住所", "緯度", "経度", "学区", "地区", "ローマ字", "時間"])
    for n in range(count):
        if layout == "japan":
            lat0, lon0 = rng.choice(CITIES)
            lat, lon = rng.gauss(lat0, 0.04), rng.gauss(lon0, 0.05)
        else:
            lat = TOMAKOMAI[0] + rng.uniform(-6000, 6000) / METRES_PER_DEGREE
            lon = TOMAKOMAI[1] + rng.uniform(-7500, 7500) / (METRES_PER_DEGREE * 0.736)
        area = n % 2000
        kind = kinds[-1] if n % 7 == 0 else rng.choice(kinds[:-1])
        writer.writerow([f"テスト{n}", kind, f"テスト市{area}町{n}番", f"{lat:.6f}", f"{lon:.6f}",
                         f"テスト{area}小学校区", f"テスト{area}町", f"{romaji(area).title()}-cho", "9:00-18:00"])
    return out.getvalue().encode("utf-8")


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    ordered = sorted(seconds)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def run(layout: str, houses: int, queries: int, radius: int, folder: Path) -> dict:
    """Import, re-import, query and export one layout; return its row of the table."""
    rng = random.Random(7)
    data = generate(layout, houses, rng)
    path = str(folder / f"{layout.replace(' ', '_')}.sqlite3")
    prepare(path)
    db = connect(path)
    import_s, report = timed(lambda: import_csv(db, data))
    assert report.ok and report.added == houses, report.summary()
    reimport_s, report = timed(lambda: import_csv(db, data))
    assert report.unchanged == houses, report.summary()
    points = [(float(lat) + rng.gauss(0, 0.003), float(lon) + rng.gauss(0, 0.003))
              for lat, lon in (line.split(",")[3:5] for line in rng.sample(
                  data.decode().splitlines()[1:], queries))]
    for lat, lon in points[:50]:
        find_near(db, lat, lon, radius)
    near, found = [], []
    for lat, lon in points:
        seconds, matches = timed(lambda: find_near(db, lat, lon, radius))
        near.append(seconds)
        found.append(len(matches))
    lats, lons = np.loadtxt(io.StringIO(data.decode()), delimiter=",", skiprows=1, usecols=(3, 4),
                            unpack=True)
    candidates = statistics.mean(
        int(np.count_nonzero((lats >= south) & (lats <= north) & (lons >= west) & (lons <= east)))
        for south, north, west, east in (bounding_box(lat, lon, radius) for lat, lon in points[:200]))
    area_cold_s, _ = timed(lambda: find_by_area(db, "テスト1小の近く"))  # reads the area names
    area = [timed(lambda: find_by_area(db, text))[0]
            for text in [f"テスト{rng.randrange(2000)}小の近く" for _ in range(50)]
            + [f"near {romaji(rng.randrange(2000)).title()}" for _ in range(50)]]
    export_s, exported = timed(lambda: export_csv(db))
    db.close()
    return {"layout": layout, "houses": houses, "import_s": import_s, "reimport_s": reimport_s,
            "near": percentiles(near), "in_box": candidates, "found": statistics.mean(found),
            "area_cold": area_cold_s * 1000, "area": percentiles(area), "export_s": export_s,
            "export_mb": len(exported) / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--houses", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--radius", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = [run(layout, args.houses, args.queries, args.radius, Path(folder))
                   for layout in ("japan", "one city")]
    print(f"\n{args.houses:,} houses, {args.queries:,} nearest-houses queries (radius {args.radius} m, "
          f"at most 10 results), 100 area text searches\n")
    header = ("layout", "import", "re-import", "near p50", "near p99", "in box", "found",
              "area first", "area p50", "area p99", "export")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for r in results:
        print(f"| {r['layout']} | {r['import_s']:.2f} s | {r['reimport_s']:.2f} s | {r['near'][0]:.2f} ms | "
              f"{r['near'][1]:.2f} ms | {r['in_box']:.0f} | {r['found']:.1f} | {r['area_cold']:.0f} ms | "
              f"{r['area'][0]:.1f} ms | "
              f"{r['area'][1]:.1f} ms | {r['export_s']:.2f} s ({r['export_mb']:.1f} MB) |")


if __name__ == "__main__":
    main()
