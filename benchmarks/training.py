"""Seconds per epoch of an MLP 64-64-10 on the digits, and the same training in PyTorch.

    python benchmarks/training.py [--repeats 5]

Batch 32, 20 epochs, plain SGD at learning rate 0.1, ReLU hidden layer, softmax + cross-entropy,
float64. When PyTorch is importable, it trains the same network from the same initial weights on
the same batches in the same order (the shuffles are drawn from the same seeded generator), on
the CPU, and the script prints the ratio ours / PyTorch (target: <= 1.0) and how far the two
sets of final weights are apart (they should agree to rounding). Both sides also compute the
training loss and accuracy once per epoch, as `nnlessons.fit` does.
"""
import argparse
import statistics
import time

import numpy as np

from nnlessons import MLP, data, fit
from nnlessons.training import accuracy

SIZES, EPOCHS, BATCH, RATE, SEED = [64, 64, 10], 20, 32, 0.1, 0


def digits_split():
    X, y = data.digits()
    return data.train_test_split(X, y, 0.25, seed=0)


def time_ours(X_train, y_train):
    net = MLP(SIZES, ["relu", "softmax"], seed=SEED)
    start = time.perf_counter()
    fit(net, X_train, y_train, epochs=EPOCHS, batch_size=BATCH, learning_rate=RATE, seed=SEED)
    return time.perf_counter() - start, net


def time_torch(torch, X_train, y_train):
    initial = MLP(SIZES, ["relu", "softmax"], seed=SEED)
    model = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
    model = model.double()
    with torch.no_grad():
        for layer, W, b in zip((model[0], model[2]), initial.weights, initial.biases):
            layer.weight.copy_(torch.from_numpy(W.T))
            layer.bias.copy_(torch.from_numpy(b))
    optimiser = torch.optim.SGD(model.parameters(), lr=RATE)
    loss_fn = torch.nn.CrossEntropyLoss()
    X = torch.from_numpy(X_train)
    y = torch.from_numpy(y_train)
    rng = np.random.default_rng(SEED)  # the same shuffles as nnlessons.fit draws
    start = time.perf_counter()
    for _ in range(EPOCHS):
        order = torch.from_numpy(rng.permutation(len(X)))
        for i in range(0, len(X), BATCH):
            rows = order[i:i + BATCH]
            optimiser.zero_grad()
            loss = loss_fn(model(X[rows]), y[rows])
            loss.backward()
            optimiser.step()
        with torch.no_grad():  # per-epoch bookkeeping, as fit does
            scores = model(X)
            _ = loss_fn(scores, y).item(), (scores.argmax(1) == y).double().mean().item()
    seconds = time.perf_counter() - start
    weights = [model[0].weight.detach().numpy().T, model[2].weight.detach().numpy().T]
    return seconds, weights, model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    X_train, X_test, y_train, y_test = digits_split()
    print(f"MLP {SIZES}, digits train {len(X_train)} / test {len(X_test)}, batch {BATCH}, "
          f"{EPOCHS} epochs, SGD lr {RATE}, float64; best of {args.repeats} runs\n")

    ours = [time_ours(X_train, y_train) for _ in range(args.repeats)]
    ours_seconds = min(s for s, _ in ours)
    net = ours[0][1]
    print(f"nnlessons: {ours_seconds / EPOCHS * 1000:7.2f} ms per epoch "
          f"(median {statistics.median(s for s, _ in ours) / EPOCHS * 1000:.2f}), "
          f"test accuracy {accuracy(net, X_test, y_test):.4f}")

    try:
        import torch
    except ImportError:
        print("PyTorch is not importable: no comparison (pip install torch to compare).")
        return
    runs = [time_torch(torch, X_train, y_train) for _ in range(args.repeats)]
    torch_seconds = min(s for s, _, _ in runs)
    _, torch_weights, model = runs[0]
    with torch.no_grad():
        predicted = model(torch.from_numpy(X_test)).argmax(1).numpy()
    gap = max(float(np.max(np.abs(a - b))) for a, b in zip(net.weights, torch_weights))
    print(f"PyTorch {torch.__version__} ({torch.get_num_threads()} threads): "
          f"{torch_seconds / EPOCHS * 1000:7.2f} ms per epoch, "
          f"test accuracy {np.mean(predicted == y_test):.4f}")
    print(f"largest difference between the two sets of final weights: {gap:.2e}")
    ratio = ours_seconds / torch_seconds
    print(f"ratio ours / PyTorch: {ratio:.2f} (target <= 1.0: {'met' if ratio <= 1 else 'MISSED'})")


if __name__ == "__main__":
    main()
