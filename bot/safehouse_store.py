"""All SQL of the children's safe houses: the safehouses table and its R*Tree index."""
from __future__ import annotations

from sqlite_utils import Database

CHUNK = 500  # parameters per IN (…) list, well under SQLite's limit
AREA_COLUMNS = ("district", "area", "romaji")


class SafeHouseStore:
    """Reads and writes of the safe houses, on a sqlite-utils Database."""

    def __init__(self, db: Database):
        self.db = db

    @classmethod
    def of(cls, store_or_db) -> "SafeHouseStore":
        """The safe-house store of a Database, of the app's Store, or itself."""
        if isinstance(store_or_db, cls):
            return store_or_db
        return cls(store_or_db if isinstance(store_or_db, Database) else store_or_db.db)

    def path(self) -> str:
        """The database file ("" for an in-memory database)."""
        return next(file for _, name, file in self.db.execute("PRAGMA database_list") if name == "main")

    def by_key(self, keys: list[str]) -> dict[str, dict]:
        """The stored rows of the given keys, by key."""
        found = {}
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start:start + CHUNK]
            found.update((row["key"], row) for row in self._rows(
                f"SELECT * FROM safehouses WHERE key IN ({', '.join('?' * len(chunk))})", chunk))
        return found

    def write(self, new: list[dict], changed: list[dict]) -> None:
        """Insert new houses and update changed ones (matched by key), in one transaction."""
        with self.db.atomic():
            if new:
                names = list(new[0])
                placeholders = ", ".join(f":{name}" for name in names)
                self.db.conn.executemany(
                    f"INSERT INTO safehouses ({', '.join(names)}) VALUES ({placeholders})", new)
            if changed:
                names = [name for name in changed[0] if name != "key"]
                self.db.conn.executemany(
                    f"UPDATE safehouses SET {', '.join(f'{n} = :{n}' for n in names)} WHERE key = :key",
                    changed)

    def all(self) -> list[dict]:
        """Every house, active or not, in the order they were added."""
        return self._rows("SELECT * FROM safehouses ORDER BY id", [])

    def roughly_nearest(self, lat: float, lon: float, box: tuple[float, float, float, float],
                        scale: tuple[float, float], within_m: float, count: int) -> list[dict]:
        """Rows (inactive ones too) of up to `count` houses in the box (south, north, west, east), nearest
        first by a flat-earth distance on the index's coordinates, in metres by `scale` (per degree of
        latitude, of longitude); only those within `within_m`."""
        # Sorting in SQL on the R*Tree's own (32-bit) coordinates reads a table row only for the few
        # houses returned; CROSS JOIN keeps the index as the outer loop.
        south, north, west, east = box
        return self._rows("""
            WITH near AS (
                SELECT id, dy * dy + dx * dx AS d2 FROM (
                    SELECT id, ((min_lat + max_lat) / 2 - :lat) * :per_lat AS dy,
                               ((min_lon + max_lon) / 2 - :lon) * :per_lon AS dx
                    FROM safehouse_index
                    WHERE max_lat >= :south AND min_lat <= :north AND max_lon >= :west AND min_lon <= :east)
                WHERE d2 <= :within2 ORDER BY d2 LIMIT :count)
            SELECT h.* FROM near CROSS JOIN safehouses h ON h.id = near.id ORDER BY near.d2""",
            {"lat": lat, "lon": lon, "per_lat": scale[0], "per_lon": scale[1], "south": south,
             "north": north, "west": west, "east": east, "within2": within_m * within_m, "count": count})

    def area_labels(self) -> list[tuple[str, str]]:
        """(column, value) of every district, town and romaji name of the active houses."""
        return [(column, value) for column in AREA_COLUMNS for (value,) in self.db.execute(
            f"SELECT DISTINCT {column} FROM safehouses WHERE active = 1 AND {column} != ''")]

    def houses_in_areas(self, areas: dict[str, set[str]], limit: int) -> list[dict]:
        """Active houses whose district, town or romaji name is one of `areas`; private homes last."""
        selects, params = [], []
        for column, values in areas.items():
            if column not in AREA_COLUMNS:
                raise ValueError(f"not an area column: {column}")
            # One SELECT per column, so that each can read the (active, district, area, romaji) index.
            selects.append(f"SELECT id FROM safehouses WHERE active = 1 AND {column} IN"
                           f" ({', '.join('?' * len(values))})")
            params += sorted(values)
        return self._rows(
            f"SELECT * FROM safehouses WHERE id IN ({' UNION '.join(selects)})"
            " ORDER BY kind = 'private_home', name, id LIMIT ?", [*params, limit])

    def _rows(self, sql: str, params) -> list[dict]:
        cursor = self.db.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
