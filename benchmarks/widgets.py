"""How fast each widget answers a learner: compute, draw and render the PNG, per update.

    python benchmarks/widgets.py [--updates 50]

Every module of `nnlessons.widgets` lists its demos in `benchmark_cases()`: `(name, make, settings)`
where `make()` builds the explorer and `settings` is a list of dicts that a learner might set one
after another. Each demo gets a warm-up, then `--updates` timed updates cycling through its settings.
Prints the median and 95th percentile in milliseconds. Target: median <= 50 ms, p95 <= 100 ms.

Demos remember what they computed (a trained network per setting, in memos of their own), so
most of those updates are a redraw. The "first visit" columns time each setting once more with
that memory wiped (`Explorer.forget`): the wait for a setting nobody has tried yet, training
included (sliders that retrain update when they are let go, so a drag costs one of these, not
one per value passed).
"""
import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from nnlessons import widgets  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def timed_set(explorer, values):
    start = time.perf_counter()
    explorer.set(**values)
    return (time.perf_counter() - start) * 1000


def first_visits(explorer, settings):
    times = []
    for i, values in enumerate(settings):
        explorer.forget()
        explorer.set(**settings[i - 1])  # untimed: brings back the previous setting
        times.append(timed_set(explorer, values))
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=50)
    args = parser.parse_args()
    print(f"{'widget':38s} {'median ms':>10s} {'p95 ms':>8s}  {'target':7s}"
          f"{'first visit: median':>21s} {'max':>7s}")
    worst_ok = True
    for _, name, make, settings in widgets.benchmark_cases():
        explorer = make()
        for values in settings[:5]:
            explorer.set(**values)
        times = [timed_set(explorer, settings[i % len(settings)]) for i in range(args.updates)]
        median, p95 = statistics.median(times), percentile(times, 95)
        ok = median <= 50 and p95 <= 100
        worst_ok &= ok
        fresh = first_visits(explorer, settings)
        print(f"{name:38s} {median:10.1f} {p95:8.1f}  {'met' if ok else 'MISSED':7s}"
              f"{statistics.median(fresh):21.1f} {max(fresh):7.1f}")
    print("all targets met" if worst_ok else "some targets missed")


if __name__ == "__main__":
    main()
