"""Consultation hours: when consultants answer, and when they are next back."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

JST = timezone(timedelta(hours=9))
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Hours:
    """Weekly opening hours in Japan time, minus holidays."""

    days: frozenset[int]
    opens: time
    closes: time
    holidays: frozenset[date]

    @classmethod
    def parse(cls, spec: str, holidays: str = "") -> "Hours":
        """Read 'mon-fri 09:00-17:00' and a comma-separated list of ISO dates."""
        day_part, time_part = spec.split()
        first, _, last = day_part.lower().partition("-")
        start, end = DAYS.index(first), DAYS.index(last or first)
        opens, closes = (time.fromisoformat(t) for t in time_part.split("-"))
        return cls(frozenset(range(start, end + 1)), opens, closes,
                   frozenset(date.fromisoformat(d.strip()) for d in holidays.split(",") if d.strip()))

    def _open_on(self, day: date) -> bool:
        return day.weekday() in self.days and day not in self.holidays

    def is_open(self, moment: datetime) -> bool:
        """True when consultants are at work at `moment`."""
        local = moment.astimezone(JST)
        return self._open_on(local.date()) and self.opens <= local.time() < self.closes

    def next_opening(self, moment: datetime) -> datetime:
        """The next time consultants start work after `moment` (Japan time)."""
        local = moment.astimezone(JST)
        day = local.date()
        if local.time() >= self.opens:
            day += timedelta(days=1)
        for _ in range(366):
            if self._open_on(day):
                return datetime.combine(day, self.opens, JST)
            day += timedelta(days=1)
        raise ValueError("no opening day within a year")
