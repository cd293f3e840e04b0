"""Configuration read from the environment (and an optional .env) by the app factory."""
from __future__ import annotations

import os
from pathlib import Path

from dotenv import dotenv_values

DEFAULT_LINE_API_HOST = "https://api.line.me"

# Environment variable -> (config key, default). Deployment facts that answers quote
# (city, office, police station) live here so that the catalogue text stays generic.
ENVIRONMENT = {
    "LINE_CHANNEL_SECRET": ("LINE_CHANNEL_SECRET", None),
    "LINE_CHANNEL_ACCESS_TOKEN": ("LINE_CHANNEL_ACCESS_TOKEN", None),
    "LINE_API_HOST": ("LINE_API_HOST", DEFAULT_LINE_API_HOST),
    "MAMORU_DATABASE": ("DATABASE", None),
    "MAMORU_CACHE_DIR": ("CACHE_DIR", None),
    "MAMORU_SECRET_KEY": ("SECRET_KEY", None),
    "PORT": ("PORT", "5000"),
    "MAMORU_WORKER": ("WORKER", "thread"),
    "MAMORU_CLAIM_LEASE_SECONDS": ("CLAIM_LEASE_SECONDS", "30"),
    "MAMORU_CITY": ("CITY", "苫小牧市"),
    "MAMORU_OFFICE": ("OFFICE", "消費生活センター"),
    "MAMORU_OFFICE_PHONE": ("OFFICE_PHONE", "188"),
    "MAMORU_OFFICE_HOURS": ("OFFICE_HOURS", "平日 9:00-17:00"),
    "MAMORU_POLICE_STATION": ("POLICE_STATION", "苫小牧警察署"),
    "MAMORU_POLICE_PHONE": ("POLICE_PHONE", "0144-35-0110"),
    "MAMORU_CONSULT_HOURS": ("CONSULT_HOURS", "mon-fri 09:00-17:00"),
    "MAMORU_HOLIDAYS": ("HOLIDAYS", ""),
    "MAMORU_NOTIFY_LINE_TO": ("NOTIFY_LINE_TO", None),
    "MAMORU_NOTIFY_WEBHOOK_URL": ("NOTIFY_WEBHOOK_URL", None),
    "MAMORU_NOTIFY_INCLUDE_TEXT": ("NOTIFY_INCLUDE_TEXT", ""),
    "MAMORU_PUBLIC_URL": ("PUBLIC_URL", ""),
    "MAMORU_STAFF_LANGUAGE": ("STAFF_LANGUAGE", "ja"),
    "MAMORU_SOS_RADIUS_M": ("SOS_RADIUS_M", "1000"),
}

INTEGER_KEYS = {"PORT", "CLAIM_LEASE_SECONDS", "SOS_RADIUS_M"}


def from_environment(instance_path: str, environ: dict[str, str] | None = None) -> dict:
    """Return the app's configuration from .env and the process environment (the latter wins)."""
    values = {k: v for k, v in dotenv_values(".env").items() if v is not None}
    values.update(os.environ if environ is None else environ)
    config = {}
    for variable, (key, default) in ENVIRONMENT.items():
        value = values.get(variable) or default
        config[key] = int(value) if key in INTEGER_KEYS and value is not None else value
    if not config["DATABASE"]:
        config["DATABASE"] = str(Path(instance_path) / "mamoru.sqlite3")
    if not config["CACHE_DIR"]:
        config["CACHE_DIR"] = str(Path(instance_path) / "cache")
    config["DEMO"] = not (config["LINE_CHANNEL_SECRET"] and config["LINE_CHANNEL_ACCESS_TOKEN"])
    return config


def deployment_facts(config: dict) -> dict[str, str]:
    """Return the placeholders answers may use ({city}, {office}, …) from the configuration."""
    return {
        "city": config["CITY"],
        "office": config["OFFICE"],
        "office_phone": config["OFFICE_PHONE"],
        "office_hours": config["OFFICE_HOURS"],
        "police_station": config["POLICE_STATION"],
        "police_phone": config["POLICE_PHONE"],
    }
