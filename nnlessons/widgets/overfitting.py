r"""Lesson 07: overfitting, and what holds it back.

A network with one input, a hidden layer of tanh neurons and one output (the package's
`MLP([1, hidden, 1], ["tanh", "identity"])`) learns a few noisy points of $\sin(2\pi x)$
(`nnlessons.data.noisy_curve`). A separate validation set, drawn from the same curve with the
same noise and never trained on, tells how well it does on new points. With many hidden neurons
and few points, the training loss keeps falling while the validation loss turns up: the network
memorises the noise. The early-stopping epoch is where the validation loss is lowest.

Training is `fit`'s, one epoch at a time so that the losses can be recorded along the way:
`nnlessons.training.train_epoch` with the whole training set as one batch (gradient descent on
the mean squared error with L2 weight decay $\tfrac{\lambda}{2}\sum W^2$), scored with
`training.score` every `EVERY` epochs, at one fixed learning rate for every setting,
`LEARNING_RATE`. As lesson 04 showed, a rate too large for the loss's curvature overshoots and
the loss grows; the more hidden neurons, the steeper the curvature, and `LEARNING_RATE` is
small enough for the largest network the sliders offer.
"""
import itertools
from dataclasses import dataclass

import ipywidgets as w
import numpy as np
from matplotlib.transforms import offset_copy

from .. import data, plots
from ..network import MLP
from ..training import score, train_epoch
from ._base import Explorer, Memo, readonly
from ._layers import fixed_legend
from ._layout import freeze_layout

__all__ = ["overfitting_explorer", "OverfittingExplorer", "CurveFit", "OverfittingState",
           "curve_network", "train_curve_fit", "every_setting", "HIDDEN", "L2", "POINTS", "NOISE",
           "EPOCHS", "LEARNING_RATE"]

HIDDEN = (1, 2, 3, 5, 10, 20, 40, 60)
L2 = (0.0, 1e-4, 1e-3, 1e-2, 3e-2, 1e-1)
POINTS = (4, 6, 8, 12, 20, 30, 50, 80)
NOISE = (0.0, 0.1, 0.2, 0.3, 0.5)
EPOCHS = 2000
EVERY = 10          # record the losses every EVERY epochs
# One rate for every setting. Its training loss never leaps (tests/test_widgets_05_09.py tries
# every setting of the sliders): 0.05 already did, for 60 neurons on 4 points.
LEARNING_RATE = 0.02
N_VALIDATION = 60
GRID = readonly(np.linspace(0.0, 1.0, 150)[:, None])
TRUE_CURVE = readonly(data.true_curve(GRID[:, 0]))
# Fixed, so that settings can be compared: the top holds every loss (the largest, about 3, are
# at the start); below 1e-4 only a training loss goes, when a network has all but memorised a
# few points, and its curve leaving the bottom says just that.
LOSS_LIMITS = (1e-4, 1e1)
# Underfitting: the training loss ends this far above the noise floor (the noise variance, the
# loss of the true curve itself), a tenth of the variance of the curve (1/2): the model cannot
# follow even the points it is trained on.
UNDERFIT_MARGIN = 0.05
LEGEND_DROP = 40    # points from the axes' bottom to a legend's top: room for ticks and label
# one style per legend entry, for the line and for its legend
LOSS_STYLES = {"training loss": {"color": plots.COLORS["blue"]},
               "validation loss": {"color": plots.COLORS["vermillion"], "ls": "-."},
               "early stopping": {"color": "black", "ls": "--", "lw": 1.2}}
CURVE_STYLES = {"true curve": {"color": "0.4", "lw": 1.5, "ls": ":"},
                f"network after {EPOCHS} epochs": {"color": plots.COLORS["blue"]},
                "network at early stopping": {"color": plots.COLORS["green"], "ls": "--"},
                "training points": {"color": plots.COLORS["orange"], "ls": "", "marker": "o",
                                    "mec": "black"}}


def every_setting():
    """Every setting of the explorer's four sliders: (hidden, l2, n_points, noise)."""
    return itertools.product(HIDDEN, L2, POINTS, NOISE)


def _inputs(x):
    return 2.0 * np.asarray(x) - 1.0  # inputs rescaled from [0, 1] to [-1, 1]


def curve_network(hidden, seed=0):
    """`MLP([1, hidden, 1], ["tanh", "identity"])` with its tanh "kinks" spread over the inputs
    (input weights of standard deviation 4, each bias putting its neuron's kink at a random
    place in [-1, 1]): every neuron starts with its own piece of the curve."""
    rng = np.random.default_rng(seed)
    W1 = rng.normal(0.0, 4.0, (1, hidden))
    net = MLP([1, hidden, 1], ["tanh", "identity"])
    net.set_parameters({"W1": W1, "b1": -W1[0] * rng.uniform(-1.0, 1.0, hidden),
                        "W2": rng.normal(0.0, 1.0 / np.sqrt(hidden), (hidden, 1)),
                        "b2": np.zeros(1)})
    return net


@dataclass(frozen=True, eq=False)
class CurveFit:
    """One training run: `epochs` (where the losses were recorded), `train_loss`, `val_loss`,
    `best_epoch` (lowest validation loss), the training points `X`, `y`, the fitted curves on
    `GRID` at the end (`final`) and at the best epoch (`early`), and the number of weights and
    biases (`parameters`)."""
    epochs: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    best_epoch: int
    X: np.ndarray
    y: np.ndarray
    final: np.ndarray
    early: np.ndarray
    parameters: int


def train_curve_fit(hidden, l2, n_points, noise, epochs=EPOCHS, seed=0, input_noise=0.0):
    """Train `curve_network(hidden)` on `n_points` noisy points for `epochs` epochs of full-batch
    gradient descent at `LEARNING_RATE` with L2 strength `l2`; return its `CurveFit`.

    `input_noise` > 0 is noise during training: every epoch trains on the points with their
    x moved by fresh Gaussian noise of that standard deviation (in units of x), so no epoch sees
    exactly the same points and the noise of the targets cannot be memorised exactly. Scoring
    uses the points as they are."""
    for name, value, options in (("hidden", hidden, HIDDEN), ("n_points", n_points, POINTS)):
        if not (isinstance(value, (int, np.integer)) and value >= 1):
            raise ValueError(f"{name} must be a whole number >= 1 (e.g. one of {options}); "
                             f"got {value!r}")
    if not (l2 >= 0 and noise >= 0 and input_noise >= 0):
        raise ValueError(f"l2, noise and input_noise must be >= 0; got l2={l2!r}, "
                         f"noise={noise!r}, input_noise={input_noise!r}")
    X, y = data.noisy_curve(n_points, noise, seed=seed)
    X_val, y_val = data.noisy_curve(N_VALIDATION, noise, seed=seed + 1)
    x, x_val, grid = _inputs(X), _inputs(X_val), _inputs(GRID)
    net = curve_network(hidden, seed)
    rng = np.random.default_rng(seed)  # full batches in a fixed order: nothing is drawn
    jitter = np.random.default_rng(seed + 2)  # the noise during training, fresh every epoch
    recorded, train_loss, val_loss = [], [], []
    best_epoch, early = None, None
    for epoch in range(epochs + 1):
        if epoch % EVERY == 0:
            recorded.append(epoch)
            train_loss.append(score(net, x, y, "mse")[0])
            val_loss.append(score(net, x_val, y_val, "mse")[0])
            if best_epoch is None or val_loss[-1] < min(val_loss[:-1]):
                best_epoch, early = epoch, net.predict(grid)[:, 0]
        if epoch < epochs:
            # x is rescaled by 2 (see `_inputs`), so noise of std s in x is 2 s in the input
            shaken = x + jitter.normal(0.0, 2.0 * input_noise, x.shape) if input_noise else x
            train_epoch(net, shaken, y, "mse", LEARNING_RATE, n_points, rng, l2=l2,
                        shuffle=False)
    return CurveFit(readonly(recorded), readonly(train_loss), readonly(val_loss), best_epoch,
                    readonly(X), readonly(y), readonly(net.predict(grid)[:, 0]), readonly(early),
                    sum(p.size for p in net.parameters().values()))


@dataclass(frozen=True, eq=False)
class OverfittingState:
    """A run at the explorer's settings and what the readout says of it."""
    run: CurveFit
    hidden: int
    l2: float
    n_points: int
    noise: float
    final_train: float
    final_val: float
    best_val: float
    gap: float
    overfits: bool
    underfits: bool = False
    message: str = ""


class OverfittingExplorer(Explorer):
    title = "Overfitting: training loss against validation loss"
    figsize = (11.0, 4.6)
    nrows, ncols = 1, 2

    def __init__(self, hidden=60, l2=0.0, n_points=20, noise=0.3):
        self._runs = Memo(train_curve_fit, 512)
        # every new setting trains a network (a few tenths of a second): train once when the
        # slider is let go, not at every value it passes on the way
        on_release = {"style": {"description_width": "initial"}, "continuous_update": False}
        controls = {
            "hidden": w.SelectionSlider(options=HIDDEN, value=hidden,
                                        description="hidden neurons", **on_release),
            "l2": w.SelectionSlider(options=L2, value=l2, description="L2 strength λ",
                                    **on_release),
            "n_points": w.SelectionSlider(options=POINTS, value=n_points,
                                          description="training points", **on_release),
            "noise": w.SelectionSlider(options=NOISE, value=noise, description="noise in the data",
                                       **on_release),
        }
        super().__init__(controls)
        freeze_layout(self)

    def compute(self, hidden=60, l2=0.0, n_points=20, noise=0.3):
        run = self._runs(int(hidden), float(l2), int(n_points), float(noise))
        final_train, final_val = run.train_loss[-1], run.val_loss[-1]
        best_val = run.val_loss.min()
        gap = final_val - final_train
        message = ""
        if noise == 0:
            message = ("With no noise there is nothing to memorise but the curve itself: "
                       "the validation loss follows the training loss.")
        underfits = bool(final_train > float(noise) ** 2 + UNDERFIT_MARGIN)
        overfits = bool(not underfits and final_val > 1.1 * best_val and gap > 0 and final_train
                        <= run.train_loss[run.epochs == run.best_epoch][0])
        return OverfittingState(run, int(hidden), float(l2), int(n_points), float(noise),
                                float(final_train), float(final_val), float(best_val), float(gap),
                                overfits, underfits, message)

    def background_key(self, state):
        return ()  # the axes fit every setting; the true curve and the legends never change

    def draw_background(self, state):
        losses, curve = self.axes
        losses.set_yscale("log")
        losses.set_xlim(-0.02 * EPOCHS, 1.02 * EPOCHS)
        losses.set_ylim(*LOSS_LIMITS)
        plots.label(losses, "", "epoch", "mean squared error (log)", legend=False)
        # the legends' entries never change (the numbers that do are in the titles): drawn once,
        # below the axes, where no setting's data can run under them
        _fixed_legend(losses, LOSS_STYLES, ncols=3)
        curve.plot(GRID[:, 0], TRUE_CURVE, **CURVE_STYLES["true curve"])
        curve.set_xlim(-0.03, 1.03)
        curve.set_ylim(-2.2, 2.2)
        plots.label(curve, "", "x", "y", legend=False)
        _fixed_legend(curve, CURVE_STYLES, ncols=2)

    def draw(self, state):
        losses, curve = self.axes
        run = state.run
        losses.plot(run.epochs, run.train_loss, **LOSS_STYLES["training loss"])
        losses.plot(run.epochs, run.val_loss, **LOSS_STYLES["validation loss"])
        losses.axvline(run.best_epoch, **LOSS_STYLES["early stopping"])
        losses.set_title(f"Loss over training: early stopping at epoch {run.best_epoch}")
        curve.plot(GRID[:, 0], run.final, **CURVE_STYLES[f"network after {EPOCHS} epochs"])
        curve.plot(GRID[:, 0], run.early, **CURVE_STYLES["network at early stopping"])
        curve.plot(run.X[:, 0], run.y[:, 0], **CURVE_STYLES["training points"])
        curve.set_title(f"What the network learned from {state.n_points} points")

    def describe(self, state):
        if state.underfits:
            floor = state.noise ** 2
            verdict = (f"underfitting: the training loss ends far above the noise floor "
                       f"{floor:.3f}, give or take {floor * np.sqrt(2 / state.n_points):.3f} "
                       f"for {state.n_points} points (the loss of the true curve itself), so "
                       f"the network is too small or too regularised to follow the curve")
        elif state.overfits:
            verdict = ("overfitting: the validation loss has risen "
                       f"{state.final_val / state.best_val:.2f}x above its lowest")
        else:
            verdict = "neither clear overfitting nor underfitting"
        return (f"{state.run.parameters} weights and biases for {state.n_points} points. "
                f"Training loss {state.final_train:.4f}, validation loss "
                f"{state.final_val:.4f} (lowest {state.best_val:.4f} at epoch "
                f"{state.run.best_epoch}): {verdict}.")


def _fixed_legend(ax, entries, ncols):
    """A fixed legend centred under the x-axis label (see `_layers.fixed_legend`)."""
    under = offset_copy(ax.transAxes, ax.figure, y=-LEGEND_DROP, units="points")
    return fixed_legend(ax, entries, loc="upper center", ncols=ncols, bbox_to_anchor=(0.5, 0.0),
                        bbox_transform=under, fontsize=11)


def overfitting_explorer(hidden=60, l2=0.0, n_points=20, noise=0.3):
    """Hidden neurons, L2 strength, training points and noise against training and validation
    loss, with the early-stopping epoch and the fitted curve."""
    return OverfittingExplorer(hidden, l2, n_points, noise)


def benchmark_cases():
    settings = [{"hidden": h, "l2": l2, "n_points": n, "noise": s}
                for h, l2, n, s in ((40, 0.0, 12, 0.3), (40, 1e-2, 12, 0.3), (3, 0.0, 12, 0.3),
                                    (40, 0.0, 50, 0.3), (10, 1e-3, 20, 0.2),
                                    (60, 0.0, 8, 0.5), (5, 0.0, 80, 0.1))]
    return [("overfitting_explorer", overfitting_explorer, settings)]
