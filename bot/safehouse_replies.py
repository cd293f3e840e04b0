"""LINE messages that show children's safe houses (こどもSOSの家), in the user's language."""
from __future__ import annotations

from urllib.parse import urlencode

from .i18n import same_language
from .line_messages import MAX_QUICK_REPLIES, text
from .safehouses import Match, walking_minutes

MAX_BUBBLES = 10  # LINE allows 12 bubbles in a carousel; ten keep the answer readable
ALT_TEXT = 1500
MAP_URL = "https://www.google.com/maps/search/?"
BUTTON_LABEL = 20
MUTED, ALERT, ACCENT = "#666666", "#c0392b", "#1a7f37"


def kind_label(tr, kind: str) -> str:
    """The translated name of a kind of safe house."""
    labels = {"shop": tr.gettext("Shop"), "convenience_store": tr.gettext("Convenience store"),
              "office": tr.gettext("Office"), "public_facility": tr.gettext("Public facility"),
              "medical": tr.gettext("Clinic or pharmacy"), "private_home": tr.gettext("Private home")}
    return labels[kind]


def location_answer(tr, matches: list[Match], *, radius_m: int, language: str,
                    quick: list[dict] | None = None) -> list[dict]:
    """The answer to a shared location: houses nearest first and the nearest on a map, or what to do."""
    if not matches:
        return [text(tr.gettext(
            "There is no children's safe house (こどもSOSの家) within {radius} m of this place. If you are "
            "in danger now, call 110. Otherwise go into a convenience store or a bright, busy place and "
            "ask an adult for help.").format(radius=radius_m), quick)]
    intro = tr.gettext("Children's safe houses (こどもSOSの家) within {radius} m, nearest first. Run in and "
                       "tell the adult there what happened. If you are in danger now, call 110."
                       ).format(radius=radius_m)
    heading = tr.gettext("Children's safe houses near you")
    messages = [text(_with_sample_note(tr, intro, matches)),
                _carousel(tr, heading, matches, language), _location(tr, matches[0])]
    return [*messages[:-1], _with_quick(messages[-1], quick)]


def area_answer(tr, area: str, matches: list[Match], *, language: str,
                quick: list[dict] | None = None) -> list[dict]:
    """The answer to a text that names a district or town: its houses as a carousel."""
    intro = tr.gettext("Children's safe houses (こどもSOSの家) in {area}. Run in and tell the adult there "
                       "what happened. If you are in danger now, call 110.").format(area=area)
    heading = tr.gettext("Children's safe houses in {area}").format(area=area)
    return [text(_with_sample_note(tr, intro, matches)),
            _with_quick(_carousel(tr, heading, matches, language), quick)]


def map_uri(lat: float, lon: float) -> str:
    """A map that opens at a point, in LINE's browser or the map app."""
    return MAP_URL + urlencode({"api": 1, "query": f"{lat:.6f},{lon:.6f}"})


def _title(tr, match: Match) -> str:
    return match.name or tr.gettext("Private home")


def _distance(tr, match: Match) -> str:
    if match.approximate:
        return tr.gettext("About {distance} m · {minutes} min walk").format(
            distance=max(100, int(round(match.distance_m, -2))), minutes=walking_minutes(match.distance_m))
    return tr.gettext("{distance} m · {minutes} min walk").format(
        distance=int(round(match.distance_m, -1)), minutes=walking_minutes(match.distance_m))


def _place(match: Match, language: str) -> str:
    """Town (with its romaji for readers of other languages) and school district."""
    area = match.area
    if area and match.romaji and not same_language(language, "ja"):
        area = f"{area} ({match.romaji})"
    return " · ".join(part for part in (area, match.district) if part)


def _bubble(tr, match: Match, language: str) -> dict:
    def line(value: str, **style) -> dict:
        return {"type": "text", "text": value[:300], "wrap": True, "size": "xs", **style}

    body = [line(_title(tr, match), size="md", weight="bold")]
    if not match.approximate:
        body.append(line(kind_label(tr, match.kind), color=MUTED))
    if match.distance_m is not None:
        body.append(line(_distance(tr, match), size="sm", weight="bold", color=ACCENT))
    if place := _place(match, language):
        body.append(line(place))
    if match.address:
        body.append(line(match.address, color=MUTED))
    if match.hours:
        body.append(line(tr.gettext("Hours: {hours}").format(hours=match.hours)))
    if match.notes:
        body.append(line(match.notes, color=MUTED))
    if match.approximate:
        body.append(line(tr.gettext("Private home: the point on the map is only approximate."), color=MUTED))
    if match.sample:
        body.append(line(tr.gettext("Sample (fictional)"), weight="bold", color=ALERT))
    button = {"type": "button", "style": "primary", "height": "sm", "action": {
        "type": "uri", "label": tr.gettext("Open map")[:BUTTON_LABEL], "uri": map_uri(match.lat, match.lon)}}
    return {"type": "bubble", "size": "kilo",
            "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
            "footer": {"type": "box", "layout": "vertical", "contents": [button]}}


def _carousel(tr, heading: str, matches: list[Match], language: str) -> dict:
    shown = matches[:MAX_BUBBLES]
    entries = [_title(tr, m) + (f" ({_distance(tr, m)})" if m.distance_m is not None else "") for m in shown]
    alt = f"{heading}: " + " / ".join(entries)
    return {"type": "flex", "altText": alt if len(alt) <= ALT_TEXT else alt[:ALT_TEXT - 1] + "…",
            "contents": {"type": "carousel", "contents": [_bubble(tr, m, language) for m in shown]}}


def _location(tr, match: Match) -> dict:
    """The nearest house as a LINE location message; a private home only at its approximate point."""
    title = match.name or tr.gettext("Private home (approximate location)")
    if match.sample:
        title = f"{title} ({tr.gettext('Sample (fictional)')})"
    address = match.address or " · ".join(p for p in (match.area, match.district) if p) or title
    return {"type": "location", "title": title[:100], "address": address[:100],
            "latitude": match.lat, "longitude": match.lon}


def _with_sample_note(tr, body: str, matches: list[Match]) -> str:
    if any(match.sample for match in matches):
        return body + "\n" + tr.gettext("These are sample houses for the demonstration; they do not exist.")
    return body


def _with_quick(message: dict, quick: list[dict] | None) -> dict:
    return {**message, "quickReply": {"items": quick[:MAX_QUICK_REPLIES]}} if quick else message
