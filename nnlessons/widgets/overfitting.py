r"""Lesson 07: overfitting, and what holds it back.

A network with one input, a hidden layer of tanh neurons and one output learns a few noisy points
of $\sin(2\pi x)$ (`nnlessons.data.noisy_curve`). A separate validation set, drawn from the same
curve with the same noise and never trained on, tells how well it does on new points. With many
hidden neurons and few points, the training loss keeps falling while the validation loss turns up:
the network memorises the noise. The early-stopping epoch is where the validation loss is lowest.

Training is full-batch gradient descent on the mean squared error with L2 weight decay
$\tfrac{\lambda}{2}\sum W^2$, the same update as `nnlessons.training.sgd_step`, with a learning
rate set afresh every few epochs from the loss's curvature (`stable_rate`): no fixed rate suits
every setting, since the curvature grows with the number of hidden neurons and changes while
training (weight decay raises it), and a step too long for it makes the training loss leap up.
"""
import functools

import ipywidgets as w
import numpy as np
from matplotlib.transforms import offset_copy

from .. import data, plots
from ._base import Explorer
from ._layers import fixed_legend
from ._layout import freeze_layout

__all__ = ["overfitting_explorer", "OverfittingExplorer", "train_curve_fit", "stable_rate",
           "HIDDEN", "L2", "POINTS", "NOISE", "EPOCHS"]

HIDDEN = (1, 2, 3, 5, 10, 20, 40, 60)
L2 = (0.0, 1e-4, 1e-3, 1e-2, 3e-2, 1e-1)
POINTS = (4, 6, 8, 12, 20, 30, 50, 80)
NOISE = (0.0, 0.1, 0.2, 0.3, 0.5)
EPOCHS = 2000
EVERY = 10          # record the losses every EVERY epochs
# the learning rate is worked out again every RATE_EVERY epochs (`stable_rate`): the curvature
# drifts slowly, and the rate's factor-2 margin covers the drift in between
RATE_EVERY = 10
N_VALIDATION = 60
GRID = np.linspace(0.0, 1.0, 150)[:, None]
TRUE_CURVE = data.true_curve(GRID[:, 0])
# Fixed, so that settings can be compared: the top holds every loss (the largest, about 3, are
# at the start); below 1e-4 only a training loss goes, when a network has all but memorised a
# few points, and its curve leaving the bottom says just that.
LOSS_LIMITS = (1e-4, 1e1)
LEGEND_DROP = 40    # points from the axes' bottom to a legend's top: room for ticks and label
# one style per legend entry, for the line and for its legend
LOSS_STYLES = {"training loss": {"color": plots.COLORS["blue"]},
               "validation loss": {"color": plots.COLORS["vermillion"]},
               "early stopping": {"color": "black", "ls": "--", "lw": 1.2}}
CURVE_STYLES = {"true curve": {"color": "0.4", "lw": 1.5, "ls": ":"},
                f"network after {EPOCHS} epochs": {"color": plots.COLORS["blue"]},
                "network at early stopping": {"color": plots.COLORS["green"], "ls": "--"},
                "training points": {"color": plots.COLORS["orange"], "ls": "", "marker": "o",
                                    "mec": "black"}}


def _predict(params, x):
    W1, b1, W2, b2 = params
    return np.tanh((2.0 * x - 1.0) @ W1 + b1) @ W2 + b2  # inputs rescaled from [0, 1] to [-1, 1]


def gradients(params, x, a, residual, l2):
    r"""Backpropagation through the 1-hidden-1 tanh network for the loss
    $L = \frac{1}{n}\sum (y - t)^2 + \frac{\lambda}{2}(\lVert W^1\rVert^2 + \lVert W^2\rVert^2)$,
    given the hidden activations `a` and the residuals $y - t$ of the forward pass.
    Returns $(\partial L/\partial W^1, \partial L/\partial b^1, \partial L/\partial W^2,
    \partial L/\partial b^2)$."""
    W1, _, W2, _ = params
    g = (2.0 / len(x)) * residual                 # dL/d(output)
    d = (g @ W2.T) * (1.0 - a * a)               # backprop through tanh
    return x.T @ d + l2 * W1, d.sum(axis=0), a.T @ g + l2 * W2, g.sum(axis=0)


def stable_rate(x, a, W2, l2):
    r"""A learning rate at most half the largest stable one, for the current weights.

    Near a minimum the loss is a bowl; along a direction of curvature $\kappa$ a step of
    $\eta\kappa > 2$ overshoots further than it started, and the loss grows. Leaving out the
    part that fades with the residuals (the Gauss-Newton approximation), the steepest curvature
    is at most $\bar\kappa = \frac{2}{n}\lVert J\rVert_F^2 + \lambda$, with $J$ the
    derivatives of the $n$ outputs with respect to every weight and bias:
    $\lVert J\rVert_F^2 = \sum_i \bigl(1 + \sum_j a_{ij}^2 + \sum_j (x_i^2 + 1)(1 - a_{ij}^2)^2
    (W^2_j)^2\bigr)$. Returns $\eta = 1/\bar\kappa$, so that $\eta\kappa \le 1$.

    The bound moves while training: L2 shrinks the input weights but not the biases, so the
    hidden neurons flatten towards constants that rise and fall together, and the output layer's
    curvature climbs towards $2H$: a rate fixed at the start can become too long mid-run."""
    slope = 1.0 - a * a
    jacobian_sq = len(x) + np.vdot(a, a) + np.vdot(x * x + 1.0, (slope * slope) @ (W2 * W2))
    return 1.0 / (2.0 / len(x) * jacobian_sq + l2)


@functools.lru_cache(maxsize=512)
def train_curve_fit(hidden, l2, n_points, noise, epochs=EPOCHS, seed=0):
    """Train a 1-`hidden`-1 tanh network on `n_points` noisy points; return its history.

    Returns a dict with `epochs` (where the losses were recorded), `train_loss`, `val_loss`,
    `best_epoch` (lowest validation loss), the points, and the fitted curves on `GRID` at the end
    (`final`) and at the best epoch (`early`).
    """
    for name, value, options in (("hidden", hidden, HIDDEN), ("n_points", n_points, POINTS)):
        if not (isinstance(value, (int, np.integer)) and value >= 1):
            raise ValueError(f"{name} must be a whole number >= 1 (e.g. one of {options}); "
                             f"got {value!r}")
    if not (l2 >= 0 and noise >= 0):
        raise ValueError(f"l2 and noise must be >= 0; got l2={l2!r}, noise={noise!r}")
    X, y = data.noisy_curve(n_points, noise, seed=seed)
    X_val, y_val = data.noisy_curve(N_VALIDATION, noise, seed=seed + 1)
    x, x_val = 2.0 * X - 1.0, 2.0 * X_val - 1.0
    rng = np.random.default_rng(seed)
    # tanh "kinks" spread over the inputs, so every neuron starts with its own piece of the curve
    W1 = rng.normal(0.0, 4.0, (1, hidden))
    b1 = -W1[0] * rng.uniform(-1.0, 1.0, hidden)
    W2 = rng.normal(0.0, 1.0 / np.sqrt(hidden), (hidden, 1))
    b2 = np.zeros(1)
    recorded, train_loss, val_loss = [], [], []
    best, best_params = np.inf, None
    for epoch in range(epochs + 1):
        a = np.tanh(x @ W1 + b1)
        residual = a @ W2 + b2 - y
        if epoch % EVERY == 0:
            val = float(np.mean((np.tanh(x_val @ W1 + b1) @ W2 + b2 - y_val) ** 2))
            recorded.append(epoch)
            train_loss.append(float(np.mean(residual ** 2)))
            val_loss.append(val)
            if val < best:
                best, best_epoch = val, epoch
                best_params = (W1.copy(), b1.copy(), W2.copy(), b2.copy())
        if epoch == epochs:
            break
        if epoch % RATE_EVERY == 0:
            rate = stable_rate(x, a, W2, l2)
        gW1, gb1, gW2, gb2 = gradients((W1, b1, W2, b2), x, a, residual, l2)
        W2 -= rate * gW2
        b2 -= rate * gb2
        W1 -= rate * gW1
        b1 -= rate * gb1
    return {"epochs": np.array(recorded), "train_loss": np.array(train_loss),
            "val_loss": np.array(val_loss), "best_epoch": best_epoch, "X": X, "y": y,
            "final": _predict((W1, b1, W2, b2), GRID)[:, 0],
            "early": _predict(best_params, GRID)[:, 0],
            "parameters": 3 * hidden + 1}


class OverfittingExplorer(Explorer):
    title = "Overfitting: training loss against validation loss"
    figsize = (12.0, 4.6)
    nrows, ncols = 1, 2

    def __init__(self, hidden=60, l2=0.0, n_points=20, noise=0.3):
        # every new setting trains a network (about 0.1 s): train once when the slider is let
        # go, not at every value it passes on the way
        on_release = {"style": {"description_width": "initial"}, "continuous_update": False}
        controls = {
            "hidden": w.SelectionSlider(options=HIDDEN, value=hidden,
                                        description="hidden neurons", **on_release),
            "l2": w.SelectionSlider(options=L2, value=l2, description="L2 strength",
                                    **on_release),
            "n_points": w.SelectionSlider(options=POINTS, value=n_points,
                                          description="training points", **on_release),
            "noise": w.SelectionSlider(options=NOISE, value=noise, description="noise",
                                       **on_release),
        }
        super().__init__(controls)
        freeze_layout(self)

    def compute(self, hidden=60, l2=0.0, n_points=20, noise=0.3):
        run = train_curve_fit(int(hidden), float(l2), int(n_points), float(noise))
        final_train, final_val = run["train_loss"][-1], run["val_loss"][-1]
        best_val = run["val_loss"].min()
        gap = final_val - final_train
        message = ""
        if noise == 0:
            message = ("With no noise there is nothing to memorise but the curve itself: "
                       "the validation loss follows the training loss.")
        return dict(run, hidden=int(hidden), l2=float(l2), n_points=int(n_points),
                    noise=float(noise), final_train=float(final_train),
                    final_val=float(final_val), best_val=float(best_val), gap=float(gap),
                    overfits=bool(final_val > 1.1 * best_val and gap > 0 and final_train
                                  <= run["train_loss"][run["epochs"] == run["best_epoch"]][0]),
                    message=message)

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
        losses.plot(state["epochs"], state["train_loss"], **LOSS_STYLES["training loss"])
        losses.plot(state["epochs"], state["val_loss"], **LOSS_STYLES["validation loss"])
        losses.axvline(state["best_epoch"], **LOSS_STYLES["early stopping"])
        losses.set_title(f"Loss over training: early stopping at epoch {state['best_epoch']}")
        curve.plot(GRID[:, 0], state["final"], **CURVE_STYLES[f"network after {EPOCHS} epochs"])
        curve.plot(GRID[:, 0], state["early"], **CURVE_STYLES["network at early stopping"])
        curve.plot(state["X"][:, 0], state["y"][:, 0], **CURVE_STYLES["training points"])
        curve.set_title(f"What the network learned from {state['n_points']} points")

    def describe(self, state):
        verdict = ("overfitting: the validation loss has risen "
                   f"{state['final_val'] / state['best_val']:.2f}x above its lowest"
                   if state["overfits"] else "no clear overfitting")
        return (f"{state['parameters']} weights and biases for {state['n_points']} points. "
                f"Training loss {state['final_train']:.4f}, validation loss "
                f"{state['final_val']:.4f} (lowest {state['best_val']:.4f} at epoch "
                f"{state['best_epoch']}): {verdict}.")


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
