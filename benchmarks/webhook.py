"""Webhook benchmark: gunicorn as in the Procfile, the fake LINE API on loopback, signed events.

    .venv/bin/python benchmarks/webhook.py [--quick] [--rounds N] [--ingest-only]

Prints one table: ingest throughput against a bare Flask endpoint under the same server and load (the two
taking turns for N rounds), time to the 200, time from webhook to the LINE API call, peak RSS, and events
lost or doubled when the fake fails 10 % of calls. Every address is on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.line_fake import sign_webhook  # noqa: E402

SECRET = "benchmark-secret"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def procfile_workers() -> list[str]:
    """The gunicorn options of the Procfile's web line, less its address and app (so the two can't drift)."""
    web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    words = shlex.split(web.removeprefix("web:"))[1:-1]
    options = []
    for name, value in zip(words[::2], words[1::2]):
        if name != "--bind":
            options += [name, value]
    return options


class Server:
    """gunicorn serving an app factory, with the Procfile's worker setup."""

    def __init__(self, app: str, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [BIN / "gunicorn", *procfile_workers(), "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
             app], cwd=ROOT, env={**os.environ, **env}, start_new_session=True)
        wait_until_up(self.url + "/healthz")

    def peak_rss_mb(self) -> float:
        """Sum of the peak resident memory (VmHWM) of the master and its workers."""
        pids = [self.process.pid] + [int(p) for p in subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout.split()]
        total = 0
        for pid in pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
        return total / 1024

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def event_body(user: str, text: str) -> tuple[str, str]:
    token = uuid.uuid4().hex
    event = {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
             "source": {"type": "user", "userId": user}, "webhookEventId": uuid.uuid4().hex.upper()[:26],
             "deliveryContext": {"isRedelivery": False}, "replyToken": token,
             "message": {"type": "text", "id": uuid.uuid4().hex[:16], "text": text, "quoteToken": "q"}}
    return json.dumps({"destination": "Ubench", "events": [event]}, ensure_ascii=False), token


def post(url: str, body: str) -> float:
    """Post one signed webhook; return seconds to the 200 (raise on anything else)."""
    request = urllib.request.Request(url + "/callback", data=body.encode(), method="POST", headers={
        "Content-Type": "application/json", "X-Line-Signature": sign_webhook(body, SECRET)})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()
        if answer.status != 200:
            raise RuntimeError(answer.status)
    return time.perf_counter() - start


def _closed_loop(args) -> int:
    url, seconds, threads = args
    stop = time.monotonic() + seconds
    counts = [0] * threads

    def client(i):
        while time.monotonic() < stop:
            post(url, event_body(f"Uload{i % 50}", "こんにちは")[0])
            counts[i] += 1

    pool = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(counts)


def throughput(url: str, seconds: float) -> float:
    """Acknowledged events per second with 2 load processes x 8 connections each."""
    with Pool(2) as pool:
        done = sum(pool.map(_closed_loop, [(url, seconds, 8)] * 2))
    return done / seconds


def open_loop(url: str, rate: float, count: int, text: str = "こんにちは", user=lambda i: f"Urate{i % 40}"):
    """Send `count` events at `rate`/s; return [(reply token, send time, seconds to 200)]."""
    results = []
    lock = threading.Lock()
    start = time.monotonic()

    def one(i):
        body, token = event_body(user(i), text)
        sent = time.time()
        took = post(url, body)
        with lock:
            results.append((token, sent, took, user(i)))

    with ThreadPoolExecutor(64) as pool:
        for i in range(count):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, i)
    return results


def fake_log(fake_url: str) -> dict:
    with urllib.request.urlopen(fake_url + "/fake/log", timeout=30) as answer:
        return json.load(answer)


def configure_fake(fake_url: str, **settings) -> None:
    request = urllib.request.Request(fake_url + "/fake/config", data=json.dumps(settings).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=5).read()


def percentile(values, q) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def first_call_at(log: dict) -> dict[str, float]:
    """Reply token -> time of the first API call that carried it."""
    first = {}
    for r in log["requests"]:
        token = (r["json"] or {}).get("replyToken")
        if token and token not in first:
            first[token] = r["at"]
    return first


def wait_idle(server_url: str, timeout: float = 900) -> float:
    """Wait until the service has nothing waiting in its inbox or outbox; return the seconds waited."""
    start = time.monotonic()
    deadline = start + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(server_url + "/healthz", timeout=10) as answer:
            health = json.load(answer)
        if not any(health["inbox"].get(s) for s in ("pending", "claimed")) and not any(
                health["outbox"].get(s) for s in ("queued", "sending")):
            return time.monotonic() - start
        time.sleep(0.5)
    raise SystemExit("the service did not drain in time")


def answers_per_event(log: dict, sent: list) -> list[int]:
    """How many answers each sent event got: replies carry its token, pushes go to its own user."""
    by_token = {}
    for d in log["delivered"]:
        key = d["reply_token"] if d["kind"] == "reply" else d["to"]
        by_token[key] = by_token.get(key, 0) + 1
    return [by_token.get(token, 0) + by_token.get(user, 0) for token, _, _, user in sent]


def ingest_rounds(env: dict, seconds: float, rounds: int) -> list[tuple[str, str]]:
    """Bare and durable ingest taking turns `rounds` times, each durable run on a fresh database.

    This machine's figures drift from minute to minute, so each round compares runs a few seconds apart,
    and the median of the rounds' ratios is the figure to quote.
    """
    rows, ratios = [], []
    for n in range(rounds):
        bare_rate = served_throughput("benchmarks.bare_app:create_app()", env, seconds)
        rate = served_throughput("bot:create_app()", {**env, "MAMORU_DATABASE": f"{env['MAMORU_DATABASE']}.round{n}"},
                                 seconds)
        ratios.append(rate / bare_rate)
        rows.append((f"round {n + 1}: ingest, bare Flask / durable inbox (events/s)",
                     f"{bare_rate:.0f} / {rate:.0f} = {rate / bare_rate:.1%}"))
    rows.append((f"durable / bare, median of {rounds} rounds", f"{statistics.median(ratios):.1%}"))
    return rows


def served_throughput(app: str, env: dict, seconds: float) -> float:
    """Acknowledged events per second of `app` on a server started for this run alone."""
    server = Server(app, env)
    try:
        return throughput(server.url, seconds)
    finally:
        server.stop()


def full_run(env: dict, fake_url: str, seconds: float, soak: int, rounds: int) -> list[tuple[str, str]]:
    """Every row of the table: ingest, backlog, latencies, the soak with failures, memory."""
    rows = ingest_rounds(env, seconds, rounds)
    server = Server("bot:create_app()", env)
    try:
        # A full-speed ingest run leaves a backlog (acknowledged, not yet answered): time how long the
        # worker takes to answer all of it before the latency runs start.
        rate = throughput(server.url, seconds)
        drained = wait_idle(server.url)
        rows.append((f"backlog of an ingest run ({int(rate * seconds)} events) answered in (s)",
                     f"{drained:.0f}"))
        at200 = open_loop(server.url, 200, seconds * 200)
        rows.append(("p50 / p99 time to 200 at 200 events/s (ms)",
                     f"{1000 * percentile([r[2] for r in at200], .5):.1f} / "
                     f"{1000 * percentile([r[2] for r in at200], .99):.1f}"))
        wait_idle(server.url)
        at100 = open_loop(server.url, 100, seconds * 100)
        wait_idle(server.url)
        calls = first_call_at(fake_log(fake_url))
        delays = [calls[token] - sent for token, sent, _, _ in at100 if token in calls]
        rows.append(("p50 / p99 webhook to API call at 100 events/s (ms)",
                     f"{1000 * percentile(delays, .5):.1f} / {1000 * percentile(delays, .99):.1f}"))
        configure_fake(fake_url, failure_rate=0.1)
        before = len(fake_log(fake_url)["requests"])
        soaked = open_loop(server.url, 100, soak, user=lambda i: f"Usoak{i:06d}")
        wait_idle(server.url)
        log = fake_log(fake_url)
        answers = answers_per_event(log, soaked)
        calls = [r for r in log["requests"][before:] if r["path"].startswith("/v2/bot/message/")]
        rows += [(f"{soak} events at 100/s, fake failing 10 % of calls (500)", f"{len(calls)} calls"),
                 ("  events lost (no answer delivered)", str(answers.count(0))),
                 ("  events doubled (answered more than once)", str(sum(n > 1 for n in answers)))]
        rows.append(("peak RSS, gunicorn master + workers (MB)", f"{server.peak_rss_mb():.0f}"))
    finally:
        server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="shorter runs (a smoke test, not a measurement)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the ingest comparison (default 5)")
    parser.add_argument("--ingest-only", action="store_true", help="only the ingest comparison")
    args = parser.parse_args()
    seconds, soak = (3, 1000) if args.quick else (10, 10000)
    fake = subprocess.Popen([sys.executable, "-m", "bot.line_fake"], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    fake_url = fake.stdout.readline().strip()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": "bench", "LINE_API_HOST": fake_url,
                   "MAMORU_DATABASE": f"{tmp}/bench.sqlite3", "MAMORU_SECRET_KEY": "bench"}
            if args.ingest_only:
                rows = ingest_rounds(env, seconds, args.rounds)
            else:
                rows = full_run(env, fake_url, seconds, soak, args.rounds)
    finally:
        fake.terminate()
    width = max(len(r[0]) for r in rows)
    print(f"\nwebhook benchmark ({os.cpu_count()} cores, gunicorn {' '.join(procfile_workers())} as in the Procfile,"
          " load generator on the same machine)")
    for name, value in rows:
        print(f"{name:<{width}}  {value:>14}")


if __name__ == "__main__":
    main()
