"""The compiled engine: a built Engine kept on disk, reused while intents/, its data and its code are unchanged."""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import platform
import tempfile
from pathlib import Path
from types import MappingProxyType
from typing import Callable

import numpy as np

PACKAGE_DIR = Path(__file__).resolve().parent
PREFIX = "engine-"
SUFFIX = ".pickle"

log = logging.getLogger("mamoru.understanding")


def fingerprint(intents_dir: Path) -> str:
    """A digest of everything the built engine depends on: intents, language data, engine code, versions."""
    digest = hashlib.sha256(f"{platform.python_version()} {np.__version__}".encode())
    for directory, pattern in ((intents_dir, "*.toml"), (PACKAGE_DIR / "data", "*"), (PACKAGE_DIR, "*.py")):
        for path in sorted(Path(directory).glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def load_or_build(intents_dir: Path, cache_dir: Path, build: Callable[[], object]):
    """The engine from `cache_dir` when its fingerprint matches, else `build()` written there for next time."""
    path = Path(cache_dir) / f"{PREFIX}{fingerprint(intents_dir)}{SUFFIX}"
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        pass
    except Exception as e:  # a truncated or foreign file must never stop the service: rebuild it
        log.warning("compiled engine %s unreadable (%s): rebuilding", path.name, type(e).__name__)
    engine = build()
    try:
        _write(path, engine)
    except OSError as e:
        log.warning("could not keep the compiled engine in %s: %s", cache_dir, e)
    return engine


def _write(path: Path, engine: object) -> None:
    """Write atomically (several web processes may build at once) and drop the stale builds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=PREFIX, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            _Pickler(f, protocol=pickle.HIGHEST_PROTOCOL).dump(engine)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for old in path.parent.glob(f"{PREFIX}*{SUFFIX}"):
        if old != path:
            old.unlink(missing_ok=True)


def _read_only(mapping: dict) -> MappingProxyType:
    return MappingProxyType(mapping)


class _Pickler(pickle.Pickler):
    """Pickles the catalogue's read-only mappings, which the standard pickler refuses."""

    def reducer_override(self, obj):
        if type(obj) is MappingProxyType:
            return _read_only, (dict(obj),)
        return NotImplemented
