"""Speed (and, with --calibrate, the none threshold) of the understanding engine.

    .venv/bin/python benchmarks/intents.py              # start-up, latency, throughput, peak RSS
    .venv/bin/python benchmarks/intents.py --calibrate  # cross-validate the none threshold on intents/

Latency is measured over the labelled development texts in ../shared/eval when they are there
(all languages), otherwise over every example in intents/. --calibrate never looks at those
development texts: it holds out a fold of the intents/ examples at a time.
"""
from __future__ import annotations

import time

_IMPORT_START = time.perf_counter()

import argparse  # noqa: E402
import glob  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.understanding import load_engine  # noqa: E402
from bot.understanding.catalogue import NONE_INTENT, load_intents  # noqa: E402
from bot.understanding.engine import THRESHOLD, _has_words  # noqa: E402
from bot.understanding.matcher import Document, IntentMatcher  # noqa: E402
from bot.understanding.normalize import fold  # noqa: E402

DEV_GLOB = str(ROOT.parent / "shared" / "eval" / "dev-*.jsonl")
IMPORT_S = time.perf_counter() - _IMPORT_START


def benchmark_texts(engine) -> tuple[list[str], str]:
    """The texts to time: the development messages if present, else the intents examples."""
    texts = [json.loads(line)["text"] for path in sorted(glob.glob(DEV_GLOB))
             for line in open(path, encoding="utf-8") if line.strip()]
    if texts:
        return texts, "shared/eval dev texts"
    return [t for i in engine.intents.values() for ts in i.examples.values() for t in ts], "intents/ examples"


def speed(intents_dir: Path, rounds: int) -> None:
    """Print import and load time, p50/p99 latency, single-core throughput and peak RSS."""
    with tempfile.TemporaryDirectory() as cache_dir:
        wall, cpu = time.perf_counter(), time.process_time()
        load_engine(intents_dir, cache_dir)
        build_wall, build_cpu = time.perf_counter() - wall, time.process_time() - cpu
        wall, cpu = time.perf_counter(), time.process_time()
        engine = load_engine(intents_dir, cache_dir)
        load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
    texts, source = benchmark_texts(engine)
    for text in texts[:50]:
        engine.classify(text)
    wall_times, cpu_times = [], []
    for _ in range(rounds):
        for text in texts:
            wall, cpu = time.perf_counter(), time.process_time()
            engine.classify(text)
            cpu_times.append(time.process_time() - cpu)
            wall_times.append(time.perf_counter() - wall)
    rows = [
        ("messages timed", f"{len(wall_times)} ({source}, {rounds} rounds)"),
        ("import (bot package, numpy, rapidfuzz)", f"{IMPORT_S * 1000:.0f} ms wall"),
        ("first start: build + compile (all languages)", f"{build_wall * 1000:.0f} ms wall, "
                                                        f"{build_cpu * 1000:.0f} ms CPU"),
        ("start: load the compiled engine", f"{load_wall * 1000:.0f} ms wall, {load_cpu * 1000:.0f} ms CPU"),
        ("latency p50", f"{_ms(wall_times, 0.5)} wall, {_ms(cpu_times, 0.5)} CPU"),
        ("latency p99", f"{_ms(wall_times, 0.99)} wall, {_ms(cpu_times, 0.99)} CPU"),
        ("throughput, one core", f"{len(cpu_times) / sum(cpu_times):.0f} messages/s"),
        ("peak RSS", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print("(wall times include other processes' load on this machine; CPU times are this process alone)")


def _ms(samples: list[float], quantile: float) -> str:
    ordered = sorted(samples)
    return f"{ordered[min(len(ordered) - 1, int(len(ordered) * quantile))] * 1000:.3f} ms"


def calibrate(intents_dir: Path, folds: int, seed: int) -> None:
    """Cross-validate the none threshold on the intents examples and print the trade-off."""
    intents = load_intents(intents_dir)
    examples = [(i.id, t) for i in intents.values() for ts in i.examples.values() for t in ts]
    keywords = [Document(i.id, k, is_keyword=True) for i in intents.values()
                for ws in i.keywords.values() for k in map(fold, ws) if _has_words(k)]
    random.Random(seed).shuffle(examples)
    held_out = []
    for k in range(folds):
        train = [Document(intent, fold(t)) for n, (intent, t) in enumerate(examples) if n % folds != k]
        matcher = IntentMatcher(train + keywords, none_intent=NONE_INTENT)
        for n, (intent, text) in enumerate(examples):
            if n % folds == k:
                held_out.append((intent, *matcher.best(fold(text))))
    print(f"{folds}-fold cross-validation over {len(held_out)} intents/ examples (current threshold {THRESHOLD})")
    print(f"{'threshold':>9} {'accuracy':>8} {'none_false_accept':>17} {'in_scope_false_none':>19}")
    for threshold in [t / 100 for t in range(10, 31, 2)]:
        ok = fa = none_n = false_none = 0
        for gold, guess, score in held_out:
            guess = NONE_INTENT if score < threshold else guess
            ok += guess == gold
            if gold == NONE_INTENT:
                none_n += 1
                fa += guess != NONE_INTENT
            else:
                false_none += guess == NONE_INTENT
        in_scope = len(held_out) - none_n
        print(f"{threshold:9.2f} {ok / len(held_out):8.3f} {fa / max(1, none_n):17.3f} "
              f"{false_none / max(1, in_scope):19.3f}")


def main() -> int:
    """Run the speed benchmark or the calibration."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--intents", type=Path, default=ROOT / "intents")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the texts when timing")
    parser.add_argument("--calibrate", action="store_true", help="cross-validate the none threshold instead")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.calibrate:
        calibrate(args.intents, args.folds, args.seed)
    else:
        speed(args.intents, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
