r"""Lesson 06: full batch, stochastic and mini-batch gradient descent, side by side.

A neuron with two weights and no bias, $y = w_1 x_1 + w_2 x_2$ (the package's
`MLP([2, 1], "identity", bias=False)`), learns noisy targets $t = 4x_1 + 3x_2$ + noise (the bowl of
lesson 04 with noise added). With two weights the whole loss surface can be drawn, so the path
each way of batching takes across it is visible:

- **full batch**: every example before each update, one update per epoch, a smooth path;
- **stochastic** (SGD): one example per update, $n$ updates per epoch, a jittery path;
- **mini-batch** of $b$ examples: $\lceil n/b \rceil$ updates per epoch, in between.

Each is trained by `nnlessons.training.fit` with that batch size: an update is
$w \leftarrow w - \eta\,\nabla L_{\text{batch}}(w)$, with $\nabla L_{\text{batch}}$ the gradient
of the batch's mean squared error, and `fit`'s `on_update` hook records the weights before each
step: the path.
"""
import time
from dataclasses import dataclass

import ipywidgets as w
import numpy as np
from matplotlib.ticker import NullLocator

from .. import data, plots
from ..network import MLP
from ..training import decay, fit, score, train_epoch
from ._base import Explorer, Memo, readonly
from ._layers import fixed_legend
from ._layout import freeze_layout

__all__ = ["batch_explorer", "BatchExplorer", "BatchRun", "BatchState", "batch_data",
           "run_batches", "full_loss", "START", "N_EXAMPLES", "well_data", "well_loss",
           "well_descent", "WELL_TILT", "seconds_per_update", "updates_to_reach"]

N_EXAMPLES = 48
START = readonly([-1.0, -2.0])  # where every run starts, far enough out to see the path
MAX_EPOCHS = 30                  # the epoch slider's end
COLORS = (plots.COLORS["blue"], plots.COLORS["vermillion"], plots.COLORS["green"])
# the three runs' loss curves differ in marker and line style as well as colour
EPOCH_LOOKS = ({"marker": "o", "ls": "-"}, {"marker": "s", "ls": "--"},
               {"marker": "^", "ls": ":"})


def batch_data(n=N_EXAMPLES, noise=0.5, seed=0):
    """`n` examples of t = 4 x1 + 3 x2 plus Gaussian `noise`: the noisy bowl (read-only)."""
    X, y = data.bowl(n, seed=seed)
    return readonly(X), readonly(y[:, 0] + np.random.default_rng(seed + 1).normal(0.0, noise, n))


def full_loss(weights, X, y):
    """Mean squared error over all examples for one weight pair or a stack of them (..., 2)."""
    weights = np.asarray(weights, dtype=np.float64)
    residual = weights @ X.T - y          # (..., n)
    return np.mean(residual ** 2, axis=-1)


@dataclass(frozen=True, eq=False)
class BatchRun:
    """One run of mini-batch gradient descent from `START`: `path` (updates + 1, 2) holds the
    weights before each update and after the last, `update_loss` the batch's loss before each
    update, `epoch_loss` the full loss at the start and after every epoch. `diverged_in` is the
    epoch in which the weights blew up (past `training.LIMIT`), or None. A run can also be
    `growing` without having blown up yet: its loss is larger than at the start."""
    batch_size: int
    learning_rate: float
    updates_per_epoch: int
    path: np.ndarray
    update_loss: np.ndarray
    epoch_loss: np.ndarray
    diverged_in: int | None

    @property
    def diverged(self):
        return self.diverged_in is not None

    @property
    def epochs(self):
        return len(self.epoch_loss) - 1

    @property
    def growing(self):
        """Not blown up yet, but worse than at the start: the loss is on its way up."""
        return not self.diverged and self.epoch_loss[-1] > self.epoch_loss[0]

    @property
    def outcome(self):
        """The run's end, in words a table can show: its loss, or how it diverged."""
        if self.diverged:
            return f"diverged in epoch {self.diverged_in}"
        if self.growing:
            return f"{self.epoch_loss[-1]:,.0f}, growing: diverging"
        return f"{self.epoch_loss[-1]:.3f}"

    @property
    def name(self):
        return ("The full batch" if self.batch_size == N_EXAMPLES
                else f"Batch size {self.batch_size}")

    @property
    def message(self):
        if self.diverged:
            return (f"{self.name} diverged in epoch {self.diverged_in}: a "
                    f"learning rate of {self.learning_rate:.3g} makes each step overshoot the "
                    f"valley by more than it corrects. Lower the learning rate.")
        if self.growing:
            return (f"{self.name} is diverging: its loss grew from "
                    f"{self.epoch_loss[0]:,.1f} at the start to {self.epoch_loss[-1]:,.1f} after "
                    f"{self.epochs} epoch(s), and its path leaves the picture. Lower the "
                    f"learning rate.")
        return ""

    def first(self, epochs):
        """This run as it stood after `epochs` epochs: the run of that many epochs (training
        goes epoch by epoch, so the first ones do not depend on how many follow)."""
        if (self.diverged_in if self.diverged else self.epochs) <= epochs:
            return self
        updates = epochs * self.updates_per_epoch
        return BatchRun(self.batch_size, self.learning_rate, self.updates_per_epoch,
                        self.path[:updates + 1], self.update_loss[:updates],
                        self.epoch_loss[:epochs + 1], None)


def run_batches(batch_size, learning_rate, epochs, reshuffle=True, seed=0, factor=1.0):
    """Train the two weights from `START` by mini-batch gradient descent: `fit` with this
    `batch_size` on `batch_data()`. Returns a `BatchRun`.

    `factor` < 1 shrinks the learning rate by that factor every epoch (`training.decay`):
    epoch e runs at `learning_rate * factor ** (e - 1)`.

    With `reshuffle` the examples are shuffled afresh every epoch; without it they are shuffled
    once and then visited in that same order every epoch."""
    X, y = batch_data()
    n = len(X)
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be between 1 and {n}; got {batch_size}")
    rng = np.random.default_rng(seed)
    if not reshuffle:
        order = rng.permutation(n)
        X, y = X[order], y[order]
    net = MLP([2, 1], "identity", bias=False)
    net.set_parameters({"W1": START[:, None]})
    path = []
    schedule = decay(learning_rate, factor) if factor != 1 else learning_rate
    history = fit(net, X, y, loss="mse", epochs=epochs, batch_size=batch_size,
                  learning_rate=schedule, seed=rng, shuffle=reshuffle,
                  on_update=lambda update: path.append(net.weights[0][:, 0].copy()))
    if not history.diverged:
        path.append(net.weights[0][:, 0].copy())
    return BatchRun(batch_size, float(learning_rate), -(-n // batch_size), readonly(path),
                    readonly(history.update_loss),
                    readonly([full_loss(START, X, y), *history.train_loss]),
                    history.epochs + 1 if history.diverged else None)


@dataclass(frozen=True, eq=False)
class BatchState:
    """The three runs the explorer shows, by name, at one learning rate and number of epochs."""
    runs: dict
    learning_rate: float
    epochs: int
    message: str = ""


class BatchExplorer(Explorer):
    title = "Full batch, stochastic and mini-batch gradient descent"
    figsize = (11.0, 4.3)
    nrows, ncols = 2, 2

    def __init__(self, batch_size=8, learning_rate=0.1, epochs=10, reshuffle=True):
        # every run is trained for the slider's MAX_EPOCHS and shown as far as `epochs` goes,
        # so moving the epoch slider trains nothing
        self._runs = Memo(lambda b, rate, again: run_batches(b, rate, MAX_EPOCHS, again), 256)
        self._X, self._y = batch_data()
        w1, w2 = np.meshgrid(np.linspace(-2.0, 8.0, 60), np.linspace(-3.0, 7.0, 60))
        self._surface = (w1, w2, full_loss(np.stack([w1, w2], axis=-1), self._X, self._y))
        self._best = readonly(np.linalg.lstsq(self._X, self._y, rcond=None)[0])
        style = {"description_width": "initial"}
        controls = {
            "batch_size": w.IntSlider(batch_size, 1, N_EXAMPLES, description="mini-batch size",
                                      style=style),
            # a new rate trains three networks, SGD's 1,440 updates among them: once the
            # slider is let go
            "learning_rate": w.FloatLogSlider(learning_rate, base=10, min=-3, max=0.5, step=0.05,
                                              description="learning rate η", style=style,
                                              continuous_update=False),
            "epochs": w.IntSlider(epochs, 1, MAX_EPOCHS, description="epochs shown", style=style,
                                  tooltip="how many epochs of the three runs to show"),
            "reshuffle": w.Checkbox(reshuffle, description="reshuffle every epoch", indent=False),
        }
        super().__init__(controls)
        freeze_layout(self)

    def compute(self, batch_size=8, learning_rate=0.1, epochs=10, reshuffle=True):
        batch_size = int(np.clip(batch_size, 1, N_EXAMPLES))
        rate, epochs, reshuffle = float(learning_rate), int(epochs), bool(reshuffle)
        runs = {name: self._runs(b, rate, reshuffle).first(epochs)
                for name, b in (("full batch", N_EXAMPLES), ("stochastic (batch 1)", 1),
                                (f"mini-batch of {batch_size}", batch_size))}
        messages = [run.message for run in runs.values() if run.message]
        return BatchState(runs, rate, epochs, " ".join(dict.fromkeys(messages)))

    # ---- drawing ---------------------------------------------------------------------------
    # Two layers (see `_layers`): the contours, markers, limits, labels and legends never change,
    # so they are drawn once; an update draws only the paths, the loss curves and the titles.
    def background_key(self, state):
        return ()

    def draw_background(self, state):
        w1, w2, loss = self._surface
        levels = np.geomspace(0.3, 80, 9)
        # the updates per epoch of full batch and SGD never change: their legends say it, and
        # only the mini-batch's title has to (fewer letters to draw on every update)
        paths = ("path, 1 update per epoch", f"path, {N_EXAMPLES} updates per epoch",
                 "path of the weights")
        for ax, color, path in zip(self.axes.flat, COLORS, paths):
            ax.contour(w1, w2, loss, levels=levels, colors="0.6", linewidths=0.8, zorder=1)
            ax.plot(*START, "o", color="black", ms=6)
            ax.set_xlim(-2.0, 8.0)
            ax.set_ylim(-3.0, 7.0)
            ax.set_xlabel("weight w1")
            ax.set_ylabel("weight w2")
            fixed_legend(ax, [(path, {"color": color, "lw": 1.2}),
                               ("start", {"color": "black", "marker": "o", "ms": 6, "ls": "none"}),
                               ("lowest loss", {"color": plots.COLORS["orange"], "marker": "*",
                                                "ms": 14, "ls": "none"})],
                         loc="upper right", zorder=1.5)
        ax = self.axes[1, 1]
        # fixed axes for every setting: the epoch slider's whole range, and losses from below the
        # noise floor (about 0.2) up past where a diverging run leaves the picture
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlim(-0.5, MAX_EPOCHS + 0.5)
        ax.set_ylim(0.05, 1e3)
        ax.set_xlabel("epoch")
        ax.set_ylabel("mean squared error (log)")
        fixed_legend(ax, [(f"{name}, per epoch", {"color": color, "ms": 4, **look})
                           for name, color, look in zip(("full batch", "stochastic (batch 1)",
                                                         "mini-batch"), COLORS, EPOCH_LOOKS)],
                     loc="upper right", zorder=1.5)

    def draw(self, state):
        best = self._best
        for ax, (name, run), color in zip(self.axes.flat, state.runs.items(), COLORS):
            path = run.path
            ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=1.2, alpha=0.9, label="path")
            # drawn with the path so that the target stays on top of it
            ax.plot(*best, "*", color=plots.COLORS["orange"], ms=14)
            per_epoch = (f", {run.updates_per_epoch} per epoch" if name.startswith("mini")
                         else "")
            ax.set_title(f"{name}{per_epoch}: {len(run.update_loss)} updates")
        ax = self.axes[1, 1]
        for run, color, look in zip(state.runs.values(), COLORS, EPOCH_LOOKS):
            x_updates = np.arange(1, len(run.update_loss) + 1) / run.updates_per_epoch
            if len(x_updates) > len(run.epoch_loss):
                ax.plot(x_updates, run.update_loss, color=color, lw=0.7, alpha=0.45)
            ax.plot(np.arange(len(run.epoch_loss)), run.epoch_loss, color=color, ms=4, **look)
        ax.set_title("Loss (thin: each update's batch)")

    def describe(self, state):
        rows = "".join(
            f"<tr><td>{name}</td><td>{run.updates_per_epoch}</td>"
            f"<td>{run.outcome}</td></tr>"
            for name, run in state.runs.items())
        return (f"<table><tr><th>batching</th><th>updates per epoch</th>"
                f"<th>loss after {state.epochs} epoch(s)</th></tr>{rows}</table>")


def batch_explorer(batch_size=8, learning_rate=0.1, epochs=10, reshuffle=True):
    """Full batch, SGD and a mini-batch of your size on the same data: paths on the loss
    contours, loss per update and per epoch, updates per epoch."""
    return BatchExplorer(batch_size, learning_rate, epochs, reshuffle)


def benchmark_cases():
    settings = [{"batch_size": b, "learning_rate": lr, "epochs": e, "reshuffle": r}
                for b, lr, e, r in ((8, 0.1, 10, True), (16, 0.1, 10, True), (4, 0.05, 10, True),
                                    (32, 0.2, 20, False), (1, 0.02, 5, True),
                                    (12, 0.1, 10, True), (24, 0.3, 15, True))]
    return [("batch_explorer", batch_explorer, settings)]


# A landscape with a poor minimum, built on purpose. One weight w, and example i's loss is
#     L_i(w) = (w^2 - 1)^2 + (WELL_TILT + c_i) w,     with the c_i of mean 0,
# so the mean loss over all examples is (w^2 - 1)^2 + WELL_TILT w: a deep minimum near w = -1,
# a shallow (poor) one near w = +1, a ridge between. A batch's gradient is the exact one plus
# the mean of its c_i: the smaller the batch, the larger that noise.
WELL_TILT = 0.8


def well_data(n=N_EXAMPLES, spread=10.0, seed=0):
    """The examples' c_i: `n` Gaussian numbers of standard deviation `spread`, centred to mean 0
    (so that the full batch's gradient is exactly that of `well_loss`)."""
    c = np.random.default_rng(seed).normal(0.0, spread, n)
    return readonly(c - c.mean())


def well_loss(w):
    r"""The mean loss over all examples, $(w^2 - 1)^2 + 0.8\,w$."""
    w = np.asarray(w, dtype=np.float64)
    return (w ** 2 - 1) ** 2 + WELL_TILT * w


def well_descent(starts, batch_size, learning_rate, epochs, c=None, seed=0):
    """Mini-batch gradient descent on the well, from every start in `starts` at once, each
    start with its own reshuffle every epoch (so the runs are independent). Returns the final
    weights. The gradient of a batch B is 4w(w^2 - 1) + WELL_TILT + mean of c_i over B."""
    c = well_data() if c is None else np.asarray(c, dtype=np.float64)
    w = np.array(starts, dtype=np.float64)
    rng = np.random.default_rng(seed)
    order = np.tile(np.arange(len(c)), (len(w), 1))
    for _ in range(epochs):
        order = rng.permuted(order, axis=1)
        for first in range(0, len(c), batch_size):
            noise = c[order[:, first:first + batch_size]].mean(axis=1)
            w = w - learning_rate * (4 * w * (w ** 2 - 1) + WELL_TILT + noise)
    return w


def seconds_per_update(net, X, targets, batch_size, learning_rate, epochs, repeats=3):
    """The time of one update alone: `epochs` epochs of `training.train_epoch` on `net`, with
    no scoring between them, the fastest of `repeats` (a busy machine only slows a run down),
    divided by the number of updates. `net` is trained by it."""
    loss = "cross_entropy" if net.activation_names[-1] == "softmax" else "mse"
    best = np.inf
    for _ in range(repeats):
        rng = np.random.default_rng(0)
        start = time.perf_counter()
        updates = sum(len(train_epoch(net, X, targets, loss, learning_rate, batch_size, rng))
                      for _ in range(epochs))
        best = min(best, (time.perf_counter() - start) / updates)
    return best


def updates_to_reach(net, X, targets, target_loss, batch_size, learning_rate, every=10,
                     max_epochs=3000, seed=0):
    """How many updates `fit` needs until the loss on all of (`X`, `targets`) is at most
    `target_loss`, checked every `every` updates (through `on_update`, before each step), so
    that a batch size with many updates per epoch is not charged for a whole epoch."""
    loss = "cross_entropy" if net.activation_names[-1] == "softmax" else "mse"
    reached = []

    def check(update):
        if not reached and update.step % every == 0 and \
                score(net, X, targets, loss)[0] <= target_loss:
            reached.append(update.step)

    fit(net, X, targets, epochs=max_epochs, batch_size=batch_size, learning_rate=learning_rate,
        seed=seed, on_update=check, on_epoch_end=lambda epoch, history: bool(reached))
    return reached[0] if reached else None
