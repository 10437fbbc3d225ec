"""Training speed of nnlessons against PyTorch, side by side, on a grid of sizes.

    pip install torch threadpoolctl   # CPU wheels: --index-url https://download.pytorch.org/whl/cpu
    python benchmarks/training.py [--quick] [--pairs 7] [--threads 1 2] [--activation relu]

Both train the same network, MLP 64-h-10 with h = 64, 256, 1024 (hidden layer `--activation`,
softmax output, cross-entropy, plain SGD at learning rate 0.1, float64) on the digits, from the
same initial weights, on the same mini-batches in the same order (the shuffles come from the same
seeded generator), with batch 1, 32 and 256, and both score the whole training set after every
epoch, as `nnlessons.fit` does. At the end both must hold the same weights (to 1e-12).

What makes the figures mean something on a shared machine:
- both sides are pinned to the same number of threads: threadpoolctl for numpy's BLAS,
  `torch.set_num_threads` for PyTorch (unpinned, a loaded machine makes extra threads wait on each
  other, and the ratio measures the load, not the code);
- they run interleaved, in turn first, so a change of load hits both; each point reports the
  median and the range of `--pairs` (at least five) ratios ours / PyTorch of one run each;
- with more than one thread, each run starts after a pause of SETTLE seconds: OpenBLAS's and
  OpenMP's worker threads keep spinning on a core for a while after their last call, and
  would otherwise take it from whichever side runs next;
- the header names the BLAS kernel numpy runs (threadpoolctl's "architecture"), and a note says
  when OPENBLAS_CORETYPE forces one: some machines force an older processor's kernel (Haswell,
  no AVX-512) for the sake of older OpenBLAS builds, which halves numpy's matrix products at
  the sizes of the course while PyTorch's own BLAS still picks the fastest;
- the load average is printed with every row, and the script says when the machine was too busy:
  a load above the machine's cores (other work was waiting for a core) or a wide range of ratios.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

from nnlessons import MLP, data, fit

WIDTHS = (64, 256, 1024)
BATCHES = (1, 32, 256)
EPOCHS = {1: 1, 32: 4, 256: 12}        # each run takes a few tenths of a second at most
QUICK_EPOCHS = {1: 1, 32: 2, 256: 4}
RATE, SEED = 0.1, 0
TOLERANCE = 1e-12                      # the two sets of final weights must agree to this
WIDE = 1.3                             # a largest / smallest ratio above this is too wide
SETTLE = 0.3                           # seconds for idle worker threads to stop spinning


def need(module):
    try:
        return __import__(module)
    except ImportError:
        sys.exit(f"this benchmark needs {module}: pip install torch threadpoolctl "
                 f"(CPU wheels: pip install torch --index-url "
                 f"https://download.pytorch.org/whl/cpu)")


def digits_train():
    X, y = data.digits()
    X_train, _, y_train, _ = data.train_test_split(X, y, 0.25, seed=0)
    return X_train, y_train


def run_ours(sizes, activation, X, y, epochs, batch):
    net = MLP(sizes, [activation, "softmax"], seed=SEED)
    start = time.perf_counter()
    fit(net, X, y, epochs=epochs, batch_size=batch, learning_rate=RATE, seed=SEED)
    return time.perf_counter() - start, net.weights + net.biases


def run_torch(torch, sizes, activation, X, y, epochs, batch):
    initial = MLP(sizes, [activation, "softmax"], seed=SEED)
    hidden = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh,
              "elu": torch.nn.ELU}[activation]
    model = torch.nn.Sequential(torch.nn.Linear(sizes[0], sizes[1]), hidden(),
                                torch.nn.Linear(sizes[1], sizes[2])).double()
    layers = (model[0], model[2])
    with torch.no_grad():
        for layer, W, b in zip(layers, initial.weights, initial.biases):
            layer.weight.copy_(torch.from_numpy(W.T))
            layer.bias.copy_(torch.from_numpy(b))
    optimiser = torch.optim.SGD(model.parameters(), lr=RATE)
    loss_fn = torch.nn.CrossEntropyLoss()
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    rng = np.random.default_rng(SEED)  # the shuffles nnlessons.fit draws
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.from_numpy(rng.permutation(len(X)))
        for i in range(0, len(X), batch):
            rows = order[i:i + batch]
            optimiser.zero_grad()
            loss_fn(model(X[rows]), y[rows]).backward()
            optimiser.step()
        with torch.no_grad():  # the epoch's score, as fit records it
            scores = model(X)
            _ = loss_fn(scores, y).item(), (scores.argmax(1) == y).double().mean().item()
    seconds = time.perf_counter() - start
    params = [layer.weight.detach().numpy().T for layer in layers] + \
        [layer.bias.detach().numpy() for layer in layers]
    return seconds, params


def measure(torch, sizes, activation, X, y, epochs, batch, pairs, settle):
    """`pairs` interleaved runs of each side, each side first in turn, after one warm-up run of
    each, each run after a pause of `settle` seconds. Returns the times of both, the ratios and
    the largest difference of final weights."""
    def ours_run():
        time.sleep(settle)
        return run_ours(sizes, activation, X, y, epochs, batch)

    def torch_run():
        time.sleep(settle)
        return run_torch(torch, sizes, activation, X, y, epochs, batch)

    ours_run(), torch_run()
    ours, theirs, gap = [], [], 0.0
    for i in range(pairs):
        first, second = (ours_run, torch_run) if i % 2 == 0 else (torch_run, ours_run)
        a, b = first(), second()
        (s_ours, p_ours), (s_torch, p_torch) = (a, b) if i % 2 == 0 else (b, a)
        ours.append(s_ours)
        theirs.append(s_torch)
        gap = max([gap] + [float(np.max(np.abs(p - q))) for p, q in zip(p_ours, p_torch)])
    ratios = [a / b for a, b in zip(ours, theirs)]
    return ours, theirs, ratios, gap


def blas_names(threadpoolctl):
    return ", ".join(sorted({f"{p['internal_api']} {p['version']} {p.get('architecture') or ''}"
                             for p in threadpoolctl.threadpool_info()
                             if p["user_api"] == "blas"}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer epochs per run (the same grid, the same number of pairs)")
    parser.add_argument("--pairs", type=int, default=7, help="paired runs per point (>= 5)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--activation", default="relu", choices=["relu", "sigmoid", "tanh", "elu"])
    parser.add_argument("--widths", type=int, nargs="+", default=list(WIDTHS))
    parser.add_argument("--batches", type=int, nargs="+", default=list(BATCHES))
    args = parser.parse_args()
    if args.pairs < 5:
        parser.error("--pairs must be at least 5: a median and a range of fewer mean little")
    torch, threadpoolctl = need("torch"), need("threadpoolctl")
    torch.set_num_interop_threads(1)
    epochs_for = QUICK_EPOCHS if args.quick else EPOCHS
    X, y = digits_train()
    cores = os.cpu_count()

    print(f"nnlessons vs PyTorch {torch.__version__}, numpy {np.__version__} "
          f"({blas_names(threadpoolctl)}); digits, {len(X)} training examples; "
          f"{args.activation} hidden layer, softmax + cross-entropy, SGD lr {RATE}, float64; "
          f"{args.pairs} interleaved pairs per point; {cores} cores")
    kernel = os.environ.get("OPENBLAS_CORETYPE")
    if kernel:
        print(f"NOTE: OPENBLAS_CORETYPE={kernel} is set, so numpy's BLAS runs OpenBLAS's {kernel} "
              f"kernel instead of the one it picks for this processor, while PyTorch's BLAS "
              f"picks its own: the figures then compare the kernels as much as the code. Some "
              f"machines set it (with OPENBLAS_L2_SIZE) for older OpenBLAS builds; to compare "
              f"the code, run this command alone with both unset: "
              f"env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/training.py ...")
    print("load average at the start (1, 5, 15 min): "
          + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    busy, failed = [], []
    for threads in args.threads:
        with threadpoolctl.threadpool_limits(limits=threads):
            torch.set_num_threads(threads)
            pools = ", ".join(f"{p['internal_api']} {p['num_threads']}"
                              for p in threadpoolctl.threadpool_info())
            print(f"\n{threads} thread{'s' * (threads > 1)}: thread pools {pools}; "
                  f"torch {torch.get_num_threads()}")
            print(f"{'network':>11} {'batch':>5} {'epochs':>6} {'ours ms/epoch':>13} "
                  f"{'torch ms/epoch':>14}  {'ours/torch median [range]':<26} "
                  f"{'weights gap':>11}  load 1 min")
            for width in args.widths:
                for batch in args.batches:
                    sizes, epochs = [64, width, 10], epochs_for[batch]
                    load_before = os.getloadavg()[0]
                    ours, theirs, ratios, gap = measure(torch, sizes, args.activation, X, y,
                                                        epochs, batch, args.pairs,
                                                        SETTLE if threads > 1 else 0.0)
                    load = max(load_before, os.getloadavg()[0])
                    notes = []
                    if load > cores:
                        notes.append("busy")
                    if max(ratios) / min(ratios) > WIDE:
                        notes.append("wide")
                    if gap > TOLERANCE:
                        notes.append("WEIGHTS DIFFER")
                        failed.append((sizes, batch, threads, gap))
                    if "busy" in notes or "wide" in notes:
                        busy.append((sizes, batch, threads))
                    name = "-".join(map(str, sizes))
                    spread = (f"{statistics.median(ratios):.2f} "
                              f"[{min(ratios):.2f}-{max(ratios):.2f}]")
                    print(f"{name:>11} {batch:>5} {epochs:>6} "
                          f"{statistics.median(ours) / epochs * 1e3:13.2f} "
                          f"{statistics.median(theirs) / epochs * 1e3:14.2f}  {spread:<26} "
                          f"{gap:11.1e}  {load:5.2f}  {' '.join(notes)}", flush=True)
    print("\nload average at the end (1, 5, 15 min): "
          + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    if busy:
        print(f"\nTHE MACHINE WAS TOO BUSY for {len(busy)} of these rows to mean much: 'busy' "
              f"rows ran at a load average above the {cores} cores (other work was waiting for "
              f"a core), 'wide' rows had a largest ratio more than {WIDE}x the smallest. "
              f"Measure again on a quiet machine.")
    else:
        print("\nThe machine was quiet enough: every load average at most the cores, every "
              f"range of ratios within {WIDE}x.")
    if failed:
        print(f"\nFAILED: the two sides ended with different weights (more than {TOLERANCE:g} "
              f"apart) at {failed}")
        sys.exit(1)
    print(f"Both sides ended with the same weights (to {TOLERANCE:g}) at every point.")


if __name__ == "__main__":
    main()
