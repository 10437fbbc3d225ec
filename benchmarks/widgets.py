"""How fast each widget answers a learner: compute, draw and render the PNG, per update.

    python benchmarks/widgets.py [--updates 50]

Every module of `nnlessons.widgets` lists its demos in `benchmark_cases()`: `(name, make, settings)`
where `make()` builds the explorer and `settings` is a list of dicts that a learner might set one
after another. Each demo gets a warm-up, then `--updates` timed updates cycling through its settings.
Prints the median and 95th percentile in milliseconds. Target: median <= 50 ms, p95 <= 100 ms.
"""
import argparse
import importlib
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from nnlessons.widgets import MODULES  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=50)
    args = parser.parse_args()
    print(f"{'widget':38s} {'median ms':>10s} {'p95 ms':>8s}  target")
    worst_ok = True
    for module_name in MODULES:
        try:
            module = importlib.import_module(f"nnlessons.widgets.{module_name}")
        except ModuleNotFoundError:
            continue
        for name, make, settings in module.benchmark_cases():
            explorer = make()
            for s in settings[:5]:
                explorer.set(**s)
            times = []
            for i in range(args.updates):
                start = time.perf_counter()
                explorer.set(**settings[i % len(settings)])
                times.append((time.perf_counter() - start) * 1000)
            median, p95 = statistics.median(times), percentile(times, 95)
            ok = median <= 50 and p95 <= 100
            worst_ok &= ok
            print(f"{name:38s} {median:10.1f} {p95:8.1f}  {'met' if ok else 'MISSED'}")
    print("all targets met" if worst_ok else "some targets missed")


if __name__ == "__main__":
    main()
