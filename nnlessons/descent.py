r"""Gradient descent on any differentiable function (lesson 04).

The gradient $\nabla L(w)$ points uphill, fastest (toward the steepest *increase*). Stepping the other way, a little at a time,
$$w \leftarrow w - \eta\,\nabla L(w),$$
walks downhill; $\eta$ (the learning rate) sets the step size. Too small and the walk is slow; too
large and each step jumps across the valley, and the loss can grow without bound (divergence).
"""
from dataclasses import dataclass

import numpy as np

from . import _validate as v
from . import data

# Past this size a weight or a loss has left every sensible landscape: call it divergence and stop
# before float64 overflows and fills the path with inf and NaN.
DIVERGED = 1e12


@dataclass
class DescentPath:
    """Where gradient descent went: `points` (steps + 1, d), starting point first; `losses` (the
    loss at each point, if a loss function was given); whether it `diverged`; and a `message`."""
    points: np.ndarray
    losses: np.ndarray | None
    diverged: bool
    message: str

    @property
    def final(self):
        return self.points[-1]


def gradient_descent(gradient, start, learning_rate, steps, loss=None):
    r"""Run `steps` updates $w \leftarrow w - \eta\,\nabla L(w)$ from `start`.

    `gradient(w)` returns an array shaped like `w`; `loss(w)`, if given, a number. Stops early,
    with `diverged=True` and a message, when the weights or the loss pass 1e12 or stop being
    finite: the learning rate was too large.
    """
    w = v.as_array("start", start).copy()
    if w.ndim == 0:
        w = w.reshape(1)
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive number; got {learning_rate!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a whole number >= 0; got {steps!r}")
    points, losses = [w.copy()], ([float(loss(w))] if loss else None)
    message = f"{steps} steps taken"
    diverged = False
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(1, steps + 1):
            w = w - learning_rate * np.asarray(gradient(w), dtype=np.float64).reshape(w.shape)
            value = float(loss(w)) if loss else 0.0
            if not (np.all(np.isfinite(w)) and np.all(np.abs(w) < DIVERGED)
                    and np.isfinite(value) and abs(value) < DIVERGED):
                diverged = True
                message = (f"diverged at step {step}: the weights ran off to very large values. "
                           f"The learning rate {learning_rate:g} is too large; try a smaller one.")
                break
            points.append(w.copy())
            if loss:
                losses.append(value)
    return DescentPath(np.array(points), None if loss is None else np.array(losses),
                       diverged, message)


# The bowl of lesson 04: a neuron with two weights and no bias on data made by t = 4 x1 + 3 x2.
# Read-only: every bowl_loss and bowl_gradient reads them, so nothing may change them.
_BOWL_X, _BOWL_Y = data.bowl()
BOWL_MINIMUM = np.array([4.0, 3.0])
_BOWL_X.setflags(write=False)
_BOWL_Y.setflags(write=False)
BOWL_MINIMUM.setflags(write=False)


def bowl_loss(w):
    r"""Mean squared error of the neuron's output $y = w_1 x_1 + w_2 x_2$ against the targets
    $t$ of `data.bowl()`; lowest, 0,
    at $(4, 3)$. `w` is (2,) or a batch of weight pairs (..., 2)."""
    w = np.asarray(w, dtype=np.float64)
    predictions = w @ _BOWL_X.T  # (..., n)
    return np.mean((predictions - _BOWL_Y[:, 0]) ** 2, axis=-1)


def bowl_gradient(w):
    r"""$\nabla L = \frac{2}{n} X^\top (Xw - t)$ with the targets $t$: component $j$ is
    $\frac{2}{n}\sum_i e_i x_{ij}$, each example's error $e_i = y_i - t_i$ times its input $j$."""
    w = np.asarray(w, dtype=np.float64)
    residual = _BOWL_X @ w - _BOWL_Y[:, 0]
    return 2.0 * _BOWL_X.T @ residual / len(_BOWL_X)


def bumpy_loss(w):
    r"""A one-weight landscape with two valleys: $L(w) = \tfrac12 w^4 - 2w^2 + \tfrac12 w + 3$.
    Its global minimum is near $w = -1.47$, a local one near $w = 1.35$."""
    w = np.asarray(w, dtype=np.float64)
    return 0.5 * w ** 4 - 2.0 * w ** 2 + 0.5 * w + 3.0


def bumpy_gradient(w):
    r"""$L'(w) = 2w^3 - 4w + \tfrac12$."""
    w = np.asarray(w, dtype=np.float64)
    return 2.0 * w ** 3 - 4.0 * w + 0.5
