"""Speed (and, with --calibrate, the none threshold) of the understanding engine.

    .venv/bin/python benchmarks/intents.py              # load time, latency, throughput, peak RSS
    .venv/bin/python benchmarks/intents.py --calibrate  # cross-validate the none threshold on intents/

Latency is measured over the labelled development texts in ../shared/eval when they are there
(all languages), otherwise over every example in intents/. --calibrate never looks at those
development texts: it holds out a fold of the intents/ examples at a time.
"""
from __future__ import annotations

import argparse
import glob
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.understanding import load_engine  # noqa: E402
from bot.understanding.catalogue import NONE_INTENT, load_intents  # noqa: E402
from bot.understanding.engine import THRESHOLD, _has_words  # noqa: E402
from bot.understanding.matcher import Document, IntentMatcher  # noqa: E402
from bot.understanding.normalize import fold  # noqa: E402

DEV_GLOB = str(ROOT.parent / "shared" / "eval" / "dev-*.jsonl")


def benchmark_texts(engine) -> tuple[list[str], str]:
    """The texts to time: the development messages if present, else the intents examples."""
    texts = [json.loads(line)["text"] for path in sorted(glob.glob(DEV_GLOB))
             for line in open(path, encoding="utf-8") if line.strip()]
    if texts:
        return texts, "shared/eval dev texts"
    return [t for i in engine.intents.values() for ts in i.examples.values() for t in ts], "intents/ examples"


def speed(intents_dir: Path, rounds: int) -> None:
    """Print load time, p50/p99 latency, single-core throughput and peak RSS."""
    start = time.perf_counter()
    engine = load_engine(intents_dir)
    load_s = time.perf_counter() - start
    texts, source = benchmark_texts(engine)
    for text in texts[:50]:
        engine.classify(text)
    latencies = []
    cpu_start = time.process_time()
    for _ in range(rounds):
        for text in texts:
            t0 = time.perf_counter()
            engine.classify(text)
            latencies.append(time.perf_counter() - t0)
    cpu = time.process_time() - cpu_start
    latencies.sort()
    rows = [
        ("messages timed", f"{len(latencies)} ({source}, {rounds} rounds)"),
        ("load_engine", f"{load_s * 1000:.0f} ms"),
        ("latency p50", f"{latencies[len(latencies) // 2] * 1000:.3f} ms"),
        ("latency p99", f"{latencies[int(len(latencies) * 0.99)] * 1000:.3f} ms"),
        ("latency max", f"{latencies[-1] * 1000:.3f} ms"),
        ("throughput, one core", f"{len(latencies) / cpu:.0f} messages/s"),
        ("peak RSS", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


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
