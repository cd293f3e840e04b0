"""Tests of bot.store and bot.group_commit: writers in turn, commits on disk and shared, claims in lane order."""
from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
import time

import pytest

from bot.group_commit import CommitFailed, GroupCommit
from bot.store import Store, connect, prepare

WRITERS, EVENTS = 4, 150
REQUESTS = 8


@pytest.fixture
def store(tmp_path):
    """A store on a fresh database."""
    path = str(tmp_path / "mamoru.sqlite3")
    prepare(path)
    store = Store(connect(path))
    yield store
    store.close()


def event(event_id: str, lane: str, timestamp: int) -> dict:
    """An inbox row."""
    return {"event_id": event_id, "lane": lane, "timestamp": timestamp, "type": "message", "mode": "active",
            "body": "{}"}


def _ingest_many(path: str, writer: int) -> None:
    store = Store(connect(path))
    try:
        for n in range(EVENTS):
            store.ingest([event(f"{writer}-{n}", f"U{writer}", n)], received_at=0.0)
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
    store.ingest([event("e1", "U1", 1)], received_at=0.0)
    assert synced == [path + "-wal"]
    with store.atomic():
        store.set_setting("a", "1")
        store.set_setting("b", "2")
    assert len(synced) == 2
    store.close()


def test_a_claim_takes_the_lane_that_waited_longest_and_skips_lanes_being_worked_on(store):
    store.ingest([event("b1", "Ub", 2), event("a1", "Ua", 1), event("a2", "Ua", 3), event("c1", "Uc", 4)], 0.0)
    assert [row["event_id"] for row in store.claim_lane("w1", lease=30)] == ["a1", "a2"]
    assert [row["event_id"] for row in store.claim_lane("w2", lease=30)] == ["b1"]
    store.ingest([event("a3", "Ua", 5)], 0.0)
    assert [row["event_id"] for row in store.claim_lane("w3", lease=30)] == ["c1"]
    assert store.claim_lane("w4", lease=30) == []


def test_a_claim_left_by_a_dead_worker_is_taken_again_after_its_lease(store):
    store.ingest([event("a1", "Ua", 1)], 0.0)
    assert store.claim_lane("dead", lease=30)
    assert store.claim_lane("alive", lease=30) == []
    [row] = store.claim_lane("alive", lease=-1)
    assert (row["event_id"], row["claimed_by"], row["attempts"]) == ("a1", "alive", 2)


def test_messages_leave_in_order_per_lane_and_a_lane_waits_for_its_oldest(store):
    first = store.enqueue("Ua", [{"type": "text", "text": "1"}], purpose="answer")
    second = store.enqueue("Ua", [{"type": "text", "text": "2"}], purpose="answer")
    other = store.enqueue("Ub", [{"type": "text", "text": "3"}], purpose="answer")
    assert store.claim_outgoing("w", lease=30)["id"] == first
    assert store.claim_outgoing("w", lease=30)["id"] == other
    assert store.claim_outgoing("w", lease=30) is None
    store.retry_later(first, time.time() + 60, "500")
    assert store.claim_outgoing("w", lease=30) is None
    store.retry_later(first, 0, "500")
    assert store.claim_outgoing("w", lease=30)["id"] == first
    store.mark_sent(first)
    assert store.claim_outgoing("w", lease=30)["id"] == second


def test_requests_waiting_on_a_commit_share_the_next_one(tmp_path, monkeypatch):
    path = str(tmp_path / "mamoru.sqlite3")
    prepare(path)
    committer = GroupCommit(path)
    batches = []
    real_ingest = Store.ingest

    def ingest(store, rows, received_at):
        batches.append([row["event_id"] for row in rows])
        if len(batches) == 1:  # hold the first commit until every other request has queued behind it
            deadline = time.monotonic() + 10
            while len(committer._queue) < REQUESTS and time.monotonic() < deadline:
                time.sleep(0.001)
        return real_ingest(store, rows, received_at)

    monkeypatch.setattr(Store, "ingest", ingest)
    first = threading.Thread(target=committer.ingest, args=([event("e0", "U0", 0)], 0.0))
    first.start()
    while not batches:
        time.sleep(0.001)
    others = [threading.Thread(target=committer.ingest, args=([event(f"e{n}", f"U{n}", n)], 0.0))
              for n in range(1, REQUESTS)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(timeout=30)
    assert batches[0] == ["e0"]
    assert sorted(batches[1]) == sorted(f"e{n}" for n in range(1, REQUESTS)) and len(batches) == 2
    store = Store(connect(path))
    assert store.inbox_counts() == {"pending": REQUESTS}
    store.close()


def test_a_failed_group_commit_raises_in_its_request_and_the_next_commit_works(tmp_path, monkeypatch):
    path = str(tmp_path / "mamoru.sqlite3")
    prepare(path)
    committer = GroupCommit(path)
    real_ingest = Store.ingest

    def failing_ingest(store, rows, received_at):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Store, "ingest", failing_ingest)
    with pytest.raises(CommitFailed) as failure:
        committer.ingest([event("e1", "U1", 1)], 0.0)
    assert isinstance(failure.value.__cause__, sqlite3.OperationalError)
    monkeypatch.setattr(Store, "ingest", real_ingest)
    committer.ingest([event("e2", "U1", 2)], 0.0)
    store = Store(connect(path))
    assert [row["event_id"] for row in store.db.query("SELECT event_id FROM inbox")] == ["e2"]
    store.close()
