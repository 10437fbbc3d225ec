r"""Lesson 03: the derivative is the slope of the loss curve, and two nearby points estimate it.

The crowd-counting loss of lesson 02, $L(y) = (y - 500)^2$, has the derivative

$$\frac{dL}{dy} = 2\,(y - 500),$$

the slope of the line that touches the curve at $y$ (the tangent). Negative: raising $y$ lowers
the loss. Positive: lowering $y$ does. Its size says how steep the curve is there.

Two nearby points estimate the slope without any algebra:

- one-sided: $\dfrac{L(y + h) - L(y)}{h}$, which for this parabola is exactly $2(y - 500) + h$,
  wrong by $h$;
- central: $\dfrac{L(y + h) - L(y - h)}{2h}$, in which the $h$ terms cancel: for a parabola it is
  exact, and for other curves wrong by a multiple of $h^2$ instead of $h$.

Neither can use a tiny $h$: $L(y \pm h)$ is stored with about 16 significant digits, so the
difference of two nearly equal numbers loses digits, an error that grows like $1/h$.
"""
from dataclasses import dataclass

import ipywidgets as w
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import LogLocator, NullLocator

from .. import plots
from ..calculus import numerical_derivative
from ._base import Explorer, readonly
from ._layers import fixed_legend
from ._layout import freeze_layout

__all__ = ["slope_explorer", "SlopeExplorer", "SlopeState", "crowd_loss", "crowd_slope", "advice",
           "one_sided_difference", "error_curves", "TARGET", "H_GRID"]

TARGET = 500.0                          # the true crowd
Y_RANGE = (250.0, 750.0)                # guesses the explorer offers
H_GRID = readonly(np.logspace(-12, 2, 57))      # steps h for the error-versus-h panel
CURVE_Y = readonly(np.linspace(*Y_RANGE, 201))  # guesses the loss curve is drawn over
FLOOR = 1e-13                           # an error of exactly 0 is drawn here on the log scale
ROUNDING_ALERT = 1e-6                   # central error, relative to the slope, called "ruined"

# How the moving lines look; the legends, drawn once, show the same styles. The numbers they stood
# for (each slope, your h) are in the title, on the sliders and in the readout.
CURVE_STYLES = {
    "tangent: the exact slope": dict(ls="--", color=plots.COLORS["vermillion"]),
    "central: points y ± h": dict(marker="o", color=plots.COLORS["green"], lw=1.4, ms=5),
    "one-sided: points y, y + h": dict(marker="s", ls=":", color=plots.COLORS["orange"], lw=1.4,
                                       ms=5),
    "your guess y": dict(marker="o", ls="", color="black", ms=8),
}
ERROR_STYLES = {
    "one-sided": dict(color=plots.COLORS["orange"], ls="--"),
    "central": dict(color=plots.COLORS["green"]),
    "your h": dict(color="black", lw=1, ls=":"),
}


def crowd_loss(y):
    r"""$L(y) = (y - 500)^2$ for a guess (or an array of guesses) $y$."""
    return (np.asarray(y, dtype=np.float64) - TARGET) ** 2


def crowd_slope(y):
    r"""The exact derivative $dL/dy = 2(y - 500)$."""
    return 2.0 * (np.asarray(y, dtype=np.float64) - TARGET)


def advice(slope):
    """Which way to move the guess to lower the loss, read from the sign of the slope."""
    if slope < 0:
        return "raise y"
    if slope > 0:
        return "lower y"
    return "stay: this is the bottom"


def one_sided_difference(f, x, h):
    r"""The one-sided estimate $\dfrac{f(x + h) - f(x)}{h}$, to compare with the central one."""
    x = float(x)
    return (float(f(x + h)) - float(f(x))) / h


def error_curves(y, hs=H_GRID):
    """Absolute errors of the central and the one-sided estimates at `y` for every step in `hs`."""
    exact = float(crowd_slope(y))
    central = np.array([numerical_derivative(crowd_loss, y, h) for h in hs])
    one_sided = np.array([one_sided_difference(crowd_loss, y, h) for h in hs])
    return np.abs(central - exact), np.abs(one_sided - exact)


@dataclass(frozen=True, eq=False)
class SlopeState:
    """A guess `y` and a step `h`: the loss there, the exact slope and the advice it gives,
    the central and one-sided estimates with their errors, and both errors over `H_GRID`."""
    y: float
    h: float
    loss: float
    exact: float
    advice: str
    central: float
    one_sided: float
    central_error: float
    one_sided_error: float
    central_errors: np.ndarray
    one_sided_errors: np.ndarray
    message: str = ""


class SlopeExplorer(Explorer):
    title = "The slope of the loss curve, exact and estimated"
    figsize = (11.0, 4.3)
    nrows, ncols = 1, 2

    def __init__(self, y=350.0, h=10.0 ** 1.5):
        style = {"description_width": "initial"}
        controls = {
            "y": w.FloatSlider(y, min=Y_RANGE[0], max=Y_RANGE[1], step=1.0,
                               description="guess y", style=style,
                               layout=w.Layout(width="420px")),
            "h": w.FloatLogSlider(h, base=10, min=-12, max=2, step=0.25,
                                  description="step size h", readout_format=".1e", style=style),
        }
        super().__init__(controls)
        freeze_layout(self)

    def compute(self, y=350.0, h=10.0):
        y = float(np.clip(y, *Y_RANGE))
        h = float(np.clip(h, H_GRID[0], H_GRID[-1]))
        exact = float(crowd_slope(y))
        central = numerical_derivative(crowd_loss, y, h)
        one_sided = one_sided_difference(crowd_loss, y, h)
        central_errors, one_sided_errors = error_curves(y)
        message = ""
        if abs(central - exact) > ROUNDING_ALERT * max(abs(exact), 1.0):
            message = (f"A step h = {h:.1e} is so small that L(y + h) and L(y - h) agree in almost "
                       f"every stored digit: rounding spoils the estimate (off by "
                       f"{abs(central - exact):.2g}). Steps near 1e-5 are the usual choice.")
        return SlopeState(y, h, float(crowd_loss(y)), exact, advice(exact), central, one_sided,
                          abs(central - exact), abs(one_sided - exact), central_errors,
                          one_sided_errors, message)

    def background_key(self, state):
        return ()  # the loss curve, the limits, the scales and the legends never change

    def draw_background(self, state):
        curve_ax, error_ax = self.axes
        curve = curve_ax.plot(CURVE_Y, crowd_loss(CURVE_Y), color=plots.COLORS["blue"],
                              label="loss (y - 500)²")[0]
        curve_ax.set_xlim(*Y_RANGE)
        curve_ax.set_ylim(-6000, 66000)
        plots.label(curve_ax, "", "guess y", "loss L", legend=False)
        fixed_legend(curve_ax, [curve, *(Line2D([], [], label=label, **style)
                                          for label, style in CURVE_STYLES.items())],
                      loc="upper center", zorder=1.9)
        error_ax.set_xscale("log")
        error_ax.set_yscale("log")
        for axis in (error_ax.xaxis, error_ax.yaxis):  # a tick every 2 decades is enough
            axis.set_major_locator(LogLocator(base=100.0))
            axis.set_minor_locator(NullLocator())
        error_ax.set_xlim(H_GRID[0], H_GRID[-1])
        error_ax.set_ylim(FLOOR / 3, 1e3)
        plots.label(error_ax, "", "step h", "|estimate - exact| (0 drawn at 1e-13)",
                    legend=False)
        fixed_legend(error_ax, [Line2D([], [], label=label, **style)
                                 for label, style in ERROR_STYLES.items()],
                     loc="upper center", zorder=1.9)

    def draw(self, state):
        curve_ax, error_ax = self.axes
        self._draw_curve(curve_ax, state)
        self._draw_errors(error_ax, state)

    def _draw_curve(self, ax, state):
        y, h, exact = state.y, state.h, state.exact
        tangent, central, one_sided, guess = CURVE_STYLES.values()
        near = np.array([y - 90.0, y + 90.0])
        ax.plot(near, state.loss + exact * (near - y), **tangent)
        both = np.array([y - h, y + h])
        ax.plot(both, crowd_loss(both), **central)
        right = np.array([y, y + h])
        ax.plot(right, crowd_loss(right), **one_sided)
        ax.plot(y, state.loss, **guess)
        # a fixed title height: left to itself, matplotlib measures every tick label to place it
        ax.set_title(f"dL/dy = 2(y - 500) = {exact:+.0f}: {state.advice}", y=1.0)

    def _draw_errors(self, ax, state):
        one_sided, central, your_h = ERROR_STYLES.values()
        # the error curves depend on y, so they move with it
        ax.plot(H_GRID, np.maximum(state.one_sided_errors, FLOOR), **one_sided)
        ax.plot(H_GRID, np.maximum(state.central_errors, FLOOR), **central)
        ax.plot(state.h, max(state.one_sided_error, FLOOR), "s", color=plots.COLORS["orange"],
                ms=9)
        ax.plot(state.h, max(state.central_error, FLOOR), "o", color=plots.COLORS["green"],
                ms=9)
        ax.axvline(state.h, **your_h)
        ax.set_title("Error of each estimate as h shrinks", y=1.0)

    def describe(self, state):
        return (f"<table><tr><th></th><th>slope at y = {state.y:.0f}</th><th>error</th></tr>"
                f"<tr><td>exact 2(y - 500)</td><td>{state.exact:+.6f}</td><td></td></tr>"
                f"<tr><td>central, h = {state.h:.1e}</td><td>{state.central:+.6f}</td>"
                f"<td>{state.central_error:.1e}</td></tr>"
                f"<tr><td>one-sided, h = {state.h:.1e}</td><td>{state.one_sided:+.6f}</td>"
                f"<td>{state.one_sided_error:.1e}</td></tr></table>"
                f"<p>Loss {state.loss:.0f}; the sign of the slope says: <b>{state.advice}"
                f"</b>.</p>")


def slope_explorer(y=350.0, h=10.0 ** 1.5):
    """Move the guess y along the loss curve (y - 500)²: its tangent, the exact slope with the
    advice it gives, and the central and one-sided estimates for a step h with their errors."""
    return SlopeExplorer(y, h)


def benchmark_cases():
    guesses = [{"y": y} for y in (350.0, 380.0, 420.0, 470.0, 500.0, 540.0, 600.0, 700.0)]
    steps = [{"h": 10.0 ** e} for e in (2, 1, 0, -2, -5, -8, -10, -12)]
    return [("slope_explorer: guess", slope_explorer, guesses),
            ("slope_explorer: step h", slope_explorer, steps)]
