"""The fixed cost of `fit` per epoch: what it spends beyond the work an epoch must do.

    python benchmarks/fit_overhead.py [--epochs 20000] [--repeats 7]

A tiny network (MLP 2-2-1, sigmoid, one example, batch 1) makes an epoch one update, so the
epoch's work is small and fit's bookkeeping shows. The work an epoch must do is timed on its own,
with the package's functions fit itself calls: the update (forward, loss, backward, the step,
the divergence check; shuffling the one example) and the epoch's score of the training data
(forward, loss, accuracy). The fixed cost is fit's time per epoch minus that. Each is run
`--repeats` times, interleaved, on one thread, timed in this process's CPU time
(`time.process_time`: the time other processes take on a loaded machine is not counted); the
fastest run of each (the one the machine disturbed least) and the medians are printed.
"""
import argparse
import os
import statistics
import time

import numpy as np

from nnlessons import MLP, fit, training

X, T = np.array([[1.0, 0.5]]), np.array([[1.0]])
LOSS, RATE = "binary_cross_entropy", 0.5


def time_fit(epochs):
    net = MLP([2, 2, 1], "sigmoid", seed=3)
    start = time.process_time()
    fit(net, X, T, loss=LOSS, epochs=epochs, batch_size=1, learning_rate=RATE, seed=0)
    return (time.process_time() - start) / epochs


def time_work(epochs):
    """The same epochs with nothing but their work: shuffle, update, check, score."""
    net = MLP([2, 2, 1], "sigmoid", seed=3)
    scratch = training._Scratch(net)
    rng = np.random.default_rng(0)
    start = time.process_time()
    for _ in range(epochs):
        order = rng.permutation(1)
        X_shuffled, T_shuffled = X[order], T[order]  # the epoch's shuffled copy, sliced
        _, grads = net._loss_and_gradients(X_shuffled[0:1], T_shuffled[0:1], LOSS,
                                          scratch.gradients)
        training.sgd_step(net, grads, RATE, 0.0, scratch)
        training._all_within(net, scratch, training.LIMIT)  # the divergence check
        training._score(net, X, T, LOSS)
    return (time.process_time() - start) / epochs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
        print("threadpoolctl is not installed (pip install threadpoolctl): BLAS threads not "
              "pinned")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with (threadpool_limits(limits=1) if threadpool_limits else open(os.devnull)):
        time_fit(200), time_work(200)  # warm up
        fits, works = [], []
        for _ in range(args.repeats):
            fits.append(time_fit(args.epochs))
            works.append(time_work(args.epochs))
    print(f"MLP 2-2-1, one example, batch 1: one update per epoch, {args.epochs} epochs, "
          f"{args.repeats} runs each; us per epoch, fastest run (median)")
    for name, times in (("fit", fits), ("the work of an epoch", works)):
        print(f"  {name:<22} {min(times) * 1e6:6.1f} ({statistics.median(times) * 1e6:.1f})")
    costs = sorted((f - w) * 1e6 for f, w in zip(fits, works))
    print(f"  fit's fixed cost       {(min(fits) - min(works)) * 1e6:6.1f} "
          f"({(statistics.median(fits) - statistics.median(works)) * 1e6:.1f}); paired runs: "
          f"median {statistics.median(costs):.1f}, range {costs[0]:.1f} to {costs[-1]:.1f}")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
