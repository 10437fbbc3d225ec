r"""Lesson 02: the loss, one number for how wrong an answer is.

**Crowd counting.** The true crowd is $t = 500$. A guess $y$ is off by the error $t - y$, and its
squared error $L(y) = (t - y)^2$ is positive whichever way the guess misses and grows fast with
the size of the miss. Over all guesses it is a parabola with its lowest point, $L = 0$, at
$y = t$.

**Probabilities.** For a yes/no question the network answers with a probability $\hat p$ of
"yes"; the target (the label) is $t \in \{0, 1\}$. Binary cross-entropy
$$L_{\text{CE}}(\hat p) = -\big(t \log \hat p + (1 - t)\log(1 - \hat p)\big)$$
($\log$ the natural logarithm) is $-\log \hat p$ when the answer is yes and $-\log(1 - \hat p)$
when it is no: 0 for a certain right answer, without bound for a certain wrong one. Squared
error $(t - \hat p)^2$ never exceeds 1. Their slopes say how hard training pushes $\hat p$:
$\partial L_{\text{SE}}/\partial \hat p = 2(\hat p - t)$ stays between -2 and 2, while
$\partial L_{\text{CE}}/\partial \hat p = (\hat p - t)/(\hat p(1 - \hat p))$ grows without bound
as a confident answer turns out wrong.
"""
from dataclasses import dataclass

import ipywidgets as w
import numpy as np
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.ticker import NullLocator

from .. import losses, plots
from ._base import Explorer, readonly
from ._layers import fixed_legend
from ._layout import freeze_layout

__all__ = ["loss_explorer", "LossExplorer", "LossState", "cross_entropy_explorer",
           "CrossEntropyExplorer", "CrossEntropyState", "crowd_loss", "probability_losses",
           "loss_curves", "slope_curves", "TRUE_CROWD", "GUESSES"]

TRUE_CROWD = 500
GUESSES = readonly(np.linspace(0.0, 1000.0, 201))  # the guesses the curve is drawn over
# p runs over [0, 1] but the curves stop short of 0 and 1, where cross-entropy is log(0).
P_CURVE = readonly(np.linspace(0.002, 0.998, 250))
# the squared error of every guess in GUESSES: the curve the crowd explorer draws
CROWD_CURVE = readonly(losses.squared_error(GUESSES, np.full_like(GUESSES, TRUE_CROWD)))
CE_TOP = 5.0                                   # the loss axis stops here; larger values are noted
SLOPE_FLOOR, SLOPE_TOP = 1e-2, 1e3             # the log slope axis; points beyond sit at its ends


def crowd_loss(guess, target=TRUE_CROWD):
    """The error `target - guess` and the squared error `(target - guess)**2` of one guess."""
    if not np.isfinite(guess):
        raise ValueError(f"guess must be a finite number of people; got {guess!r}")
    return {"guess": float(guess), "target": float(target), "error": float(target - guess),
            "squared_error": float(losses.squared_error(guess, target))}


@dataclass(frozen=True)
class LossState:
    """One guess of the crowd, its error and its squared error (see `crowd_loss`)."""
    guess: float
    target: float
    error: float
    squared_error: float
    message: str = ""


# the marks of the crowd explorer, in its legend and on the plot
ERROR_STYLE = dict(color=plots.COLORS["orange"], lw=5, ls="-", marker="|", ms=16, mew=3)
GUESS_STYLE = dict(color=plots.COLORS["vermillion"], marker="o", ls="none", ms=10)


class LossExplorer(Explorer):
    title = "Crowd counting: how wrong is a guess?"
    figsize = (9.0, 4.2)

    def __init__(self, guess=350):
        controls = {"guess": w.IntSlider(guess, 0, 1000, step=10, description="your guess",
                                         style={"description_width": "initial"},
                                         layout=w.Layout(width="480px"))}
        super().__init__(controls)
        freeze_layout(self)

    def compute(self, guess=350):
        return LossState(**crowd_loss(guess))

    def background_key(self, state):
        return ()  # the curve and the axes never change

    def draw_background(self, state):
        ax = self.axes
        ax.plot(GUESSES, CROWD_CURVE, color=plots.COLORS["blue"],
                label="squared error (500 - guess)²")
        ax.plot(TRUE_CROWD, 0.0, "*", color=plots.COLORS["green"], ms=16, zorder=4,
                label="true crowd 500: loss 0")
        ax.set_xlim(0, 1000)
        ax.set_ylim(-8000, 262000)
        ax.ticklabel_format(axis="y", style="plain")
        ax.yaxis.set_major_formatter("{x:,.0f}")
        plots.label(ax, "", "guess (people)", "squared error", legend=False)
        # the legend names what each mark is, the same for every guess: drawn once (a legend
        # made on every update cost two thirds of it); the title gives this guess's numbers
        fixed_legend(ax, [*ax.get_lines(), ("error 500 - guess", ERROR_STYLE),
                          ("your guess and its squared error", GUESS_STYLE)],
                     loc="upper center")

    def draw(self, state):
        ax = self.axes
        guess, error, loss = state.guess, state.error, state.squared_error
        ax.vlines(guess, 0.0, loss, color=plots.COLORS["vermillion"], ls=":", lw=1.5)
        ax.plot([guess, TRUE_CROWD], [0.0, 0.0], **ERROR_STYLE, solid_capstyle="butt",
                zorder=3)
        ax.plot(guess, loss, **GUESS_STYLE, zorder=5, clip_on=False)
        ax.set_title(f"Guess {guess:g}: error 500 - {guess:g} = {error:g}, "
                     f"squared error {loss:,.0f}")

    def describe(self, state):
        g, e, loss = state.guess, state.error, state.squared_error
        return (f"error = target - guess = 500 - {g:g} = {e:g}; "
                f"squared error = ({e:g})² = <b>{loss:,.0f}</b>")


def loss_explorer(guess=350):
    """Move the guess for a crowd of 500: the squared-error curve, the current point, its value."""
    return LossExplorer(guess)


# ---- cross-entropy beside squared error ----------------------------------------------------
def loss_curves(label):
    """Both losses of a probability p̂ over `P_CURVE`, for the target t = `label`, 0 or 1:
    (p̂, squared, cross)."""
    t = float(label)
    squared = (t - P_CURVE) ** 2
    cross = -(t * np.log(P_CURVE) + (1.0 - t) * np.log(1.0 - P_CURVE))
    return P_CURVE, squared, cross


def slope_curves(label):
    """How steep each loss is over `P_CURVE`, for the target t = `label`:
    (|2(p̂ - t)|, |p̂ - t| / (p̂(1 - p̂)))."""
    t = float(label)
    return np.abs(2.0 * (P_CURVE - t)), np.abs((P_CURVE - t) / (P_CURVE * (1.0 - P_CURVE)))


def probability_losses(p, label):
    """For one probability `p` and a label 0 or 1: both losses and both slopes, computed by
    `nnlessons.losses` (which clips p into [1e-12, 1 - 1e-12] before taking a log)."""
    if label not in (0, 1):
        raise ValueError(f"label must be 0 or 1; got {label!r}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be a probability between 0 and 1; got {p!r}")
    p_, t_ = [float(p)], [float(label)]
    return {"p": float(p), "label": int(label),
            "squared": losses.mse(p_, t_), "cross": losses.binary_cross_entropy(p_, t_),
            "squared_slope": float(losses.mse_gradient(p_, t_)[0]),
            "cross_slope": float(losses.binary_cross_entropy_gradient(p_, t_)[0])}


@dataclass(frozen=True, eq=False)
class CrossEntropyState:
    """A probability `p` and its `label`, both losses and both slopes there (see
    `probability_losses`), the curves of the label's losses and slopes over `P_CURVE`, and how
    far `p` is from the label (`wrongness`, 1 for a certain wrong answer)."""
    p: float
    label: int
    squared: float
    cross: float
    squared_slope: float
    cross_slope: float
    curves: tuple
    slope_curves: tuple
    wrongness: float
    message: str = ""


class CrossEntropyExplorer(Explorer):
    title = "A probability p̂ and its target t: cross-entropy beside squared error"
    figsize = (11.0, 4.6)
    nrows, ncols = 1, 2

    def __init__(self, p=0.1, label=1):
        style = {"description_width": "initial"}
        controls = {
            "p": w.FloatSlider(p, min=0.0, max=1.0, step=0.01, description="probability p̂",
                               style=style, readout_format=".2f",
                               layout=w.Layout(width="420px")),
            "label": w.ToggleButtons(options=[0, 1], value=label, description="target t",
                                     style=style),
        }
        super().__init__(controls)
        freeze_layout(self)

    def compute(self, p=0.1, label=1):
        values = probability_losses(p, label)
        wrongness = abs(values["label"] - values["p"])
        message = ""
        if wrongness == 1.0:
            message = (f"p̂ = {p:g} for a target {label}: certain and wrong. Cross-entropy "
                       f"would be -log 0, infinite; nnlessons clips p̂ to 1e-12 first, "
                       f"so it reports {values['cross']:.1f}. Squared error is only "
                       f"{values['squared']:.0f}.")
        return CrossEntropyState(**values, curves=loss_curves(label),
                                 slope_curves=slope_curves(label), wrongness=wrongness,
                                 message=message)

    # one background per target: the curves and the legend change only with t, a dragged p̂
    # moves only the points, and going back to the other t costs no more than a drag
    backgrounds_kept = 2

    def background_key(self, state):
        return (state.label,)  # the limits and scales fit both labels

    def draw_background(self, state):
        values, slopes = self.axes
        values.set_xlim(0, 1)
        values.set_ylim(0, CE_TOP)
        plots.label(values, "", "probability p̂ of 'yes'", "loss", legend=False)
        slopes.set_yscale("log")
        slopes.yaxis.set_minor_locator(NullLocator())  # dozens of minor ticks cost a redraw dearly
        slopes.set_xlim(0, 1)
        slopes.set_ylim(SLOPE_FLOOR, SLOPE_TOP)
        plots.label(slopes, "How steep each loss is at p̂ (log scale)",
                    "probability p̂ of 'yes'",
                    "size of the slope", legend=False)
        # this legend reads the same for both labels: drawn once as a background artist (not
        # `ax.legend`, whose legend is redrawn on every update)
        se_color, ce_color = plots.COLORS["blue"], plots.COLORS["vermillion"]
        slopes.add_artist(Legend(slopes, [Line2D([], [], color=se_color),
                                          Line2D([], [], color=ce_color, ls="--")],
                                 ["squared error: |2(p̂ - t)|",
                                  "cross-entropy: |p̂ - t| / (p̂(1 - p̂))"],
                                 loc="upper center", framealpha=0.9))
        grid, squared, cross = state.curves
        values.plot(grid, squared, color=se_color, ls="-",
                    label=f"squared error ({state.label} - p̂)²")
        values.plot(grid, cross, color=ce_color, ls="--", label="cross-entropy")
        values.legend(loc="upper center", framealpha=0.9)
        se_slope, ce_slope = state.slope_curves
        slopes.plot(grid, se_slope, color=se_color, ls="-")
        slopes.plot(grid, ce_slope, color=ce_color, ls="--")

    def draw(self, state):
        values, slopes = self.axes
        p, label = state.p, state.label
        se_color, ce_color = plots.COLORS["blue"], plots.COLORS["vermillion"]
        for value, color in ((state.squared, se_color), (state.cross, ce_color)):
            shown = min(value, CE_TOP - 0.15)
            values.plot(p, shown, "s" if color == ce_color else "o", color=color, ms=10,
                        markeredgecolor="black", zorder=4,
                        clip_on=False)
            if value > CE_TOP:
                values.annotate(f"{value:.1f} (off the chart)", (p, shown),
                                xytext=(-10 if p > 0.5 else 10, -45),  # below the legend
                                textcoords="offset points", ha="right" if p > 0.5 else "left",
                                fontsize=11, color=color,
                                arrowprops={"arrowstyle": "-|>", "color": color})
        values.set_title(f"Target t = {label}, p̂ = {p:.2f}: squared {state.squared:.3f}, "
                         f"CE {state.cross:.3f}")
        for value, color in ((state.squared_slope, se_color), (state.cross_slope, ce_color)):
            shown = float(np.clip(abs(value), SLOPE_FLOOR, SLOPE_TOP))
            slopes.plot(p, shown, "s" if color == ce_color else "o", color=color, ms=10,
                        markeredgecolor="black", zorder=4,
                        clip_on=False)

    def describe(self, state):
        return (f"p̂ = {state.p:.2f}, target t = {state.label}: "
                f"squared error <b>{state.squared:.4f}</b> "
                f"(slope {state.squared_slope:+.3g}), "
                f"cross-entropy <b>{state.cross:.4f}</b> (slope {state.cross_slope:+.3g})")


def cross_entropy_explorer(p=0.1, label=1):
    """A probability p̂ and a target t (the label, 0 or 1): binary cross-entropy beside squared
    error, their values and their slopes; a confident wrong answer costs far more under
    cross-entropy."""
    return CrossEntropyExplorer(p, label)


def benchmark_cases():
    guesses = [{"guess": g} for g in range(0, 1001, 50)]
    probabilities = [{"p": p, "label": y} for p, y in
                     ((0.1, 1), (0.5, 1), (0.9, 1), (0.99, 1), (0.0, 1), (1.0, 1), (0.01, 0),
                      (0.3, 0), (0.75, 0), (1.0, 0))]
    return [("loss_explorer", loss_explorer, guesses),
            ("cross_entropy_explorer", cross_entropy_explorer, probabilities)]
