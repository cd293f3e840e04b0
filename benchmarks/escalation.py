"""Escalation benchmark: how fast an escalated message reaches the console, and a reply reaches LINE.

    .venv/bin/python benchmarks/escalation.py [--cases N]

gunicorn as in the Procfile and the fake LINE API on 127.0.0.1, under the background load of the webhook
benchmark (100 events/s). For each case: a resident's "money already gone" message is posted; a logged-in
console session polls the inbox until the case is listed (time to console); the consultant then replies
and we poll the fake API until the push arrives (time to LINE).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.webhook import (  # noqa: E402
    SECRET, Server, event_body, fake_log, open_loop, percentile, post)

PASSWORD = "benchmark password"
VICTIM = "さっき詐欺にあって50万円振り込んでしまいました、どうしよう"


class Console:
    """A consultant's browser session: cookies and the CSRF token."""

    def __init__(self, url: str):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = self._token("/console/login")
        self.post("/console/login", username="bench", password=PASSWORD)
        self.token = self._token("/console/")

    def get(self, path: str) -> str:
        with self.opener.open(self.url + path, timeout=10) as answer:
            return answer.read().decode()

    def post(self, path: str, **form) -> None:
        data = urllib.parse.urlencode({**form, "csrf_token": self.token}).encode()
        self.opener.open(urllib.request.Request(self.url + path, data=data, method="POST"), timeout=10).read()

    def _token(self, path: str) -> str:
        return re.search(r'name="csrf-token" content="([^"]+)"', self.get(path))[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20)
    args = parser.parse_args()
    fake = subprocess.Popen([sys.executable, "-m", "bot.line_fake"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    fake_url = fake.stdout.readline().strip()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": "bench", "LINE_API_HOST": fake_url,
               "MAMORU_DATABASE": f"{tmp}/bench.sqlite3", "MAMORU_SECRET_KEY": "bench"}
        subprocess.run([Path(sys.executable).with_name("mamoru"), "consultant", "add", "bench", "--role",
                        "admin", "--password", PASSWORD], cwd=ROOT, env={**os.environ, **env}, check=True,
                       capture_output=True)
        server = Server("bot:create_app()", env)
        stop = threading.Event()
        load = threading.Thread(target=lambda: [open_loop(server.url, 100, 100) for _ in iter(stop.is_set, True)],
                                daemon=True)
        try:
            load.start()
            console = Console(server.url)
            to_console, to_line = [], []
            for number in range(args.cases):
                user = f"Uescalate{number:04d}"
                body, _ = event_body(user, VICTIM)
                start = time.perf_counter()
                post(server.url, body)
                while f"#{number + 1}<" not in console.get("/console/inbox/rows"):
                    time.sleep(0.02)
                to_console.append(time.perf_counter() - start)
                sent = time.time()
                console.post(f"/console/cases/{number + 1}/reply", text="相談員です。お電話ください。")
                # Timed by the fake's own clock at arrival: polling its whole log takes longer as the log grows.
                while not (pushed := [d["at"] for d in fake_log(fake_url)["delivered"]
                                      if d["to"] == user and d["kind"] == "push"]):
                    time.sleep(0.02)
                to_line.append(pushed[0] - sent)
                time.sleep(0.5)
        finally:
            stop.set()
            load.join(timeout=30)
            server.stop()
            fake.terminate()
    print(f"\nescalation benchmark ({os.cpu_count()} cores, {args.cases} cases, background load 100 events/s)")
    for name, values in (("webhook -> listed in the console", to_console),
                         ("consultant reply -> fake LINE API", to_line)):
        print(f"{name:<36} p50 {1000 * percentile(values, .5):7.1f} ms   p99 {1000 * percentile(values, .99):7.1f} ms"
              f"   max {1000 * max(values):7.1f} ms")


if __name__ == "__main__":
    main()
