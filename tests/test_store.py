"""Tests of bot.store's writing discipline: writers in turn, each commit on disk before it returns."""
from __future__ import annotations

import multiprocessing
import os

from bot.store import Store, connect, prepare

WRITERS, EVENTS = 4, 150


def _ingest_many(path: str, writer: int) -> None:
    store = Store(connect(path))
    try:
        for n in range(EVENTS):
            store.ingest([{"event_id": f"{writer}-{n}", "lane": f"U{writer}", "timestamp": n, "type": "message",
                           "mode": "active", "body": "{}"}], received_at=0.0)
    finally:
        store.close()


def test_writers_in_several_processes_all_land(tmp_path):
    path = str(tmp_path / "mamoru.sqlite3")
    prepare(path)
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_ingest_many, args=(path, w)) for w in range(WRITERS)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * WRITERS
    store = Store(connect(path))
    assert store.inbox_counts() == {"pending": WRITERS * EVENTS}
    store.close()


def test_a_commit_syncs_the_write_ahead_log(tmp_path, monkeypatch):
    path = str(tmp_path / "mamoru.sqlite3")
    prepare(path)
    store = Store(connect(path))
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")),
                                                  real_fsync(fd)))
    store.ingest([{"event_id": "e1", "lane": "U1", "timestamp": 1, "type": "message", "mode": "active",
                   "body": "{}"}], received_at=0.0)
    assert synced == [path + "-wal"]
    with store.atomic():
        store.set_setting("a", "1")
        store.set_setting("b", "2")
    assert len(synced) == 2
    store.close()
