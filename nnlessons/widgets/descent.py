r"""Lesson 04: gradient descent on a bowl, and a landscape with two valleys.

**The bowl.** A neuron with two weights, no bias and no activation, output
$y = w_1 x_1 + w_2 x_2$, on data whose targets were made by $t = 4x_1 + 3x_2$
(`nnlessons.descent.bowl_loss`): the mean squared error is a bowl, lowest at $(4, 3)$. Each step
is $w \leftarrow w - \eta\,\nabla L(w)$.

Along a line through the bottom the bowl is a parabola $c\,s^2$ with its own curvature $c$ for
each direction; the flattest and the steepest, $c_{\min}$ and $c_{\max}$, are at right angles
(they are half the eigenvalues of the Hessian $\tfrac{2}{n}X^\top X$). A step multiplies the
distance to the bottom along a direction of curvature $c$ by $1 - 2c\eta$, so, as in lesson 04:

- $\eta \le 1/(2c_{\max})$: every direction shrinks without changing sign (**no zig-zag**); a
  tiny $\eta$ shrinks it by almost nothing per step (**too small**);
- $\eta = 1/(c_{\min} + c_{\max})$: the slower of the two factors is smallest (**fastest**), and
  the steep direction already zig-zags a little;
- $1/(2c_{\max}) < \eta < 1/c_{\max}$: the steep direction changes sign every step, the path
  zig-zags across the valley and still settles (**overshooting**);
- $\eta \ge 1/c_{\max}$: $|1 - 2c_{\max}\eta| \ge 1$, each jump lands further out, the loss grows
  without bound (**diverging**).

The presets are computed from $c_{\min}$ and $c_{\max}$, not guessed, and placed on the
learning-rate slider's grid, so that the slider can show a preset's rate exactly.

**Two valleys.** `nnlessons.descent.bumpy_loss` has one weight, a global minimum and a higher
local one, with a hilltop between them. Plain descent with small steps rolls into the valley on
the side of the hilltop where it starts, and there it stays.
"""
from dataclasses import dataclass
from types import MappingProxyType

import ipywidgets as w
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, NullLocator

from .. import plots
from ..descent import (BOWL_MINIMUM, DIVERGED, bowl_gradient, bowl_loss, bumpy_gradient,
                       bumpy_loss, gradient_descent)
from ._base import Explorer, choice, readonly
from ._layers import fixed_legend
from ._layout import freeze_layout

__all__ = ["descent_explorer", "DescentExplorer", "DescentState", "local_minimum_explorer",
           "LocalMinimumExplorer", "ValleyState", "bowl_hessian", "curvature", "preset_rates",
           "rate_regime", "run_bowl", "bumpy_landmarks", "run_bumpy", "PRESETS", "RATE_SLIDER",
           "W1_RANGE", "W2_RANGE", "W_RANGE"]

# One preset per regime of the module docstring, in the lesson's order and with its names.
PRESETS = ("too small", "no zig-zag", "fastest", "overshooting", "diverging")
# The learning-rate slider: log10 of the rate from -2 to 0.7, on a grid of 1e-4 (a step of 0.023%,
# so a preset on the grid is within 0.012% of its exact rate and prints the same 4 digits).
RATE_SLIDER = {"min": -2.0, "max": 0.7, "step": 0.0001}
FASTEST_BAND = 0.01              # within 1% of 1/(c_min + c_max) counts as "fastest"
NO_ZIG_ZAG_BAND = 1e-3           # up to 0.1% past 1/(2c_max) the zig-zag is too small to see
CUSTOM = "custom"
W1_RANGE = (-3.0, 11.0)          # the window on the bowl, centred on its lowest point (4, 3)
W2_RANGE = (-4.0, 10.0)
SLOW_STEPS = 100                 # needing more steps than the slider offers counts as "too small"
LOSS_FLOOR = 1e-16               # losses below this are drawn here on the log scale

W_RANGE = (-2.3, 2.3)            # the window on the two-valley landscape
SETTLED = 1e-3                   # |slope| below this: the walk has come to rest in a valley
BUMPY_W = readonly(np.linspace(*W_RANGE, 300))  # where the landscape's curve is drawn
# Losses of a walk that settles lie between 0.28 (the global minimum) and 6.2 (the highest start);
# a diverging one passes 1e4 within a step or two, and is drawn at the top edge from there.
BUMPY_LOSS_RANGE = (0.1, 1e4)

# How the moving artists look; the legends, drawn once with the background, show the same styles.
BOWL_STYLES = {
    "path": dict(marker="o", color=plots.COLORS["blue"], lw=1.6, ms=4),
    "gradient: uphill": dict(color=plots.COLORS["vermillion"]),
    "start": dict(marker="o", ls="", color="black", ms=8),
    "lowest point (4, 3)": dict(marker="*", ls="", color=plots.COLORS["orange"], ms=16),
}
LOSS_STYLE = dict(marker="o", color=plots.COLORS["blue"], ms=4)
VALLEY_STYLES = {
    "path": dict(marker="o", color=plots.COLORS["blue"], lw=1.2, ms=4),
    "start": dict(marker="o", ls="", color="black", ms=8),
}
MINIMUM_STYLES = {
    "global": dict(marker="*", ls="", color=plots.COLORS["green"], ms=16),
    "local": dict(marker="X", ls="", color=plots.COLORS["orange"], ms=13),
}
BUMPY_LOSS_STYLE = dict(marker="o", color=plots.COLORS["blue"], ms=3)


# ---- the bowl ---------------------------------------------------------------------------------
def bowl_hessian():
    r"""The bowl's Hessian $\tfrac{2}{n}X^\top X$, read off its gradient: the gradient is linear in
    $w$, so column $j$ is $\nabla L(e_j) - \nabla L(0)$."""
    zero = bowl_gradient(np.zeros(2))
    return np.column_stack([bowl_gradient(u) - zero for u in np.eye(2)])


def curvature():
    r"""The bowl's curvatures $(c_{\min}, c_{\max})$, flattest first, and the steepest direction:
    along a unit direction $u$ through the bottom the loss is $c\,s^2$, and the extreme $c$ are
    half the Hessian's eigenvalues (the Hessian is the slope of the gradient, $2c$ per
    direction)."""
    values, vectors = np.linalg.eigh(bowl_hessian())
    return values / 2.0, vectors[:, -1]


def on_slider(rate):
    """The learning rate nearest `rate` on the slider's grid (10 to a multiple of its step)."""
    grid = RATE_SLIDER["min"] + RATE_SLIDER["step"] * np.round(
        (np.log10(rate) - RATE_SLIDER["min"]) / RATE_SLIDER["step"])
    return float(10.0 ** grid)


def exact_rates():
    r"""The rate of each preset, from the curvatures: $0.05/(2c_{\max})$, $1/(2c_{\max})$,
    $1/(c_{\min} + c_{\max})$, $1.8/(2c_{\max})$ and $2.5/(2c_{\max})$."""
    (c_min, c_max), _ = curvature()
    smooth = 1.0 / (2.0 * c_max)
    return dict(zip(PRESETS, (0.05 * smooth, smooth, 1.0 / (c_min + c_max), 1.8 * smooth,
                              2.5 * smooth)))


def preset_rates():
    """The learning rate of each preset (`exact_rates`), placed on the slider's grid."""
    return {name: on_slider(rate) for name, rate in exact_rates().items()}


def rate_regime(learning_rate):
    r"""Name the behaviour of a learning rate on the bowl, from its curvatures: "too small",
    "no zig-zag", "fastest", "overshooting" or "diverging" (see the module docstring).

    Returns `(name, factor, steps)`: `factor` $= \max(|1 - 2c_{\min}\eta|, |1 - 2c_{\max}\eta|)$,
    how much each step multiplies the distance to the bottom along the slower direction, and
    `steps` the number of steps to get 1000 times closer (None when it never gets closer)."""
    (c_min, c_max), _ = curvature()
    factor = float(max(abs(1.0 - 2.0 * c_min * learning_rate),
                       abs(1.0 - 2.0 * c_max * learning_rate)))
    if factor >= 1.0:
        return "diverging", factor, None
    steps = int(np.ceil(np.log(1e-3) / np.log(factor))) if factor > 0 else 1
    if abs(learning_rate * (c_min + c_max) - 1.0) <= FASTEST_BAND:
        return "fastest", factor, steps
    if 2.0 * c_max * learning_rate > 1.0 + NO_ZIG_ZAG_BAND:
        return "overshooting", factor, steps
    if steps > SLOW_STEPS:
        return "too small", factor, steps
    return "no zig-zag", factor, steps


def run_bowl(start, learning_rate, steps):
    """Gradient descent on the bowl from `start`: the `DescentPath` of `nnlessons.descent`."""
    return gradient_descent(bowl_gradient, np.asarray(start, dtype=np.float64), learning_rate,
                            steps, loss=bowl_loss)


def _bowl_grid():
    w1, w2 = np.meshgrid(np.linspace(*W1_RANGE, 70), np.linspace(*W2_RANGE, 70))
    return w1, w2, bowl_loss(np.stack([w1, w2], axis=-1)), np.geomspace(0.05, 200, 10)


@dataclass(frozen=True, eq=False)
class DescentState:
    """A walk on the bowl: its `start`, `learning_rate` and `steps`, the `points` and `losses`
    along it, how the rate behaves (`regime`, the distance `factor` per step, the
    `steps_needed` to get 1000 times closer), the divergence `limit` 1/c_max and the gradient
    at the start."""
    start: np.ndarray
    learning_rate: float
    steps: int
    points: np.ndarray
    losses: np.ndarray
    diverged: bool
    regime: str
    factor: float
    steps_needed: int | None
    limit: float
    gradient: np.ndarray
    message: str = ""


class DescentExplorer(Explorer):
    title = "Gradient descent on the bowl"
    figsize = (11.0, 3.9)
    nrows, ncols = 1, 2

    def __init__(self, w1=-2.0, w2=-2.0, learning_rate=None, steps=30, preset="fastest"):
        rates = preset_rates()
        if learning_rate is None:
            learning_rate = rates.get(preset, rates["fastest"])
        elif not _same_rate(learning_rate, rates.get(preset)):
            preset = CUSTOM
        style = {"description_width": "initial"}
        controls = {
            "w1": w.FloatSlider(w1, min=W1_RANGE[0], max=W1_RANGE[1], step=0.5,
                                description="start w1", style=style,
                                tooltip="where the walk starts: weight w1",
                                layout=w.Layout(width="270px")),
            "w2": w.FloatSlider(w2, min=W2_RANGE[0], max=W2_RANGE[1], step=0.5,
                                description="start w2", style=style,
                                tooltip="where the walk starts: weight w2",
                                layout=w.Layout(width="270px")),
            "steps": w.IntSlider(steps, min=0, max=100, description="steps taken", style=style,
                                 layout=w.Layout(width="270px")),
            "learning_rate": w.FloatLogSlider(learning_rate, base=10, **RATE_SLIDER,
                                              description="learning rate η",
                                              readout_format=".3f", style=style,
                                              layout=w.Layout(width="360px")),
            "preset": choice([CUSTOM, *PRESETS], preset, "preset learning rate",
                             "one learning rate per regime, from the curvatures"),
        }
        # Registered before the base class's observers, so that choosing a preset moves the
        # learning-rate slider first and the figure is drawn once, with the preset's rate.
        controls["preset"].observe(self.guarded(self._preset_chosen), names="value")
        controls["learning_rate"].observe(self.guarded(self._rate_moved), names="value")
        self._rates = rates
        self._surface = _bowl_grid()  # the contours, computed once per explorer
        super().__init__(controls)
        freeze_layout(self)

    def _preset_chosen(self, change):
        if change["new"] in self._rates:
            holding, self._holding = self._holding, True
            try:
                self.controls["learning_rate"].value = self._rates[change["new"]]
            finally:
                self._holding = holding

    def _rate_moved(self, change):
        preset = self.controls["preset"]
        if preset.value in self._rates and not _same_rate(change["new"],
                                                          self._rates[preset.value]):
            holding, self._holding = self._holding, True
            try:
                preset.value = CUSTOM
            finally:
                self._holding = holding

    def compute(self, w1=-2.0, w2=-2.0, learning_rate=1.0, steps=30, preset=None):
        start = np.array([np.clip(w1, *W1_RANGE), np.clip(w2, *W2_RANGE)], dtype=np.float64)
        learning_rate = float(learning_rate)
        if preset in self._rates and _same_rate(learning_rate, self._rates[preset]):
            # the browser's copy of a preset's rate draws exactly what the preset draws
            learning_rate = self._rates[preset]
        steps = int(np.clip(steps, 0, 1000))
        path = run_bowl(start, learning_rate, steps)
        regime, factor, needed = rate_regime(learning_rate)
        limit = 1.0 / curvature()[0][-1]
        message = ""
        if path.diverged:
            message = (f"The walk {path.message} Above 1/c_max = {limit:.3f} every step lands "
                       f"further from the bottom than the last.")
        elif len(path.losses) > 1 and path.losses[-1] > path.losses[0]:
            message = (f"The loss grew from {path.losses[0]:.3g} to {path.losses[-1]:.3g} in "
                       f"{len(path.losses) - 1} steps: a learning rate of {learning_rate:.3f}, "
                       f"above 1/c_max = {limit:.3f}, overshoots further each step and is "
                       f"diverging. Lower it.")
        return DescentState(readonly(start), learning_rate, steps, readonly(path.points),
                            readonly(path.losses), path.diverged, regime, factor, needed, limit,
                            readonly(bowl_gradient(start)), message)

    def background_key(self, state):
        return ()  # the contours, the limits and the legends never change

    def draw_background(self, state):
        surface, curve = self.axes
        w1, w2, loss, levels = self._surface
        surface.contour(w1, w2, loss, levels=levels, colors="0.65", linewidths=0.9)
        surface.set_xlim(*W1_RANGE)
        surface.set_ylim(*W2_RANGE)
        plots.label(surface, "", "weight w1", "weight w2", legend=False)
        # above the contours, below the moving path (zorder 3), as a full redraw would stack them
        fixed_legend(surface, [Line2D([], [], label=label, **style)
                                for label, style in BOWL_STYLES.items()],
                      zorder=2.5, loc="upper left")
        curve.set_yscale("log")
        curve.yaxis.set_minor_locator(NullLocator())
        # every loss fits: gradient_descent stops a walk before its loss reaches DIVERGED
        curve.set_ylim(LOSS_FLOOR / 10, DIVERGED * 10)
        curve.set_xlim(-0.5, self.controls["steps"].max + 0.5)
        curve.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
        plots.label(curve, "", "step", f"loss (log scale, {LOSS_FLOOR:.0e} at the floor)",
                    legend=False)
        fixed_legend(curve, [Line2D([], [], label="loss after each step", **LOSS_STYLE)],
                      loc="upper right", zorder=1.9)

    def draw(self, state):
        surface, curve = self.axes
        path_style, gradient_style, start_style, lowest_style = BOWL_STYLES.values()
        points = state.points
        surface.plot(points[:, 0], points[:, 1], zorder=3, label="path", **path_style)
        start, gradient = state.start, state.gradient
        size = np.linalg.norm(gradient)
        if size > 0:
            arrow = 1.8 * gradient / size
            surface.quiver(*start, *arrow, angles="xy", scale_units="xy", scale=1.0,
                           color=gradient_style["color"], width=0.006, zorder=4)
        surface.plot(*start, zorder=3, label="start", **start_style)
        surface.plot(*BOWL_MINIMUM, zorder=3, **lowest_style)  # on top of a path that ends there
        # a fixed title height: left to itself, matplotlib measures every tick label to place it
        surface.set_title(f"Learning rate {state.learning_rate:.3f}: {state.regime}", y=1.0)
        losses = np.maximum(state.losses, LOSS_FLOOR)
        curve.plot(np.arange(len(losses)), losses, label="loss after each step", **LOSS_STYLE)
        label = "diverged" if state.diverged else f"loss {state.losses[-1]:.2g}"
        curve.set_title(f"Loss per step ({label})", y=1.0)

    def describe(self, state):
        end, regime = state.points[-1], state.regime
        if regime == "diverging":
            how = "each step multiplies the distance to the bottom by at least 1: it never arrives"
        else:
            how = (f"each step multiplies the distance to the bottom by at most "
                   f"{state.factor:.3f}, so about {state.steps_needed} steps bring it "
                   f"1000 times closer")
        rates = exact_rates()
        return (f"<p>Learning rate {state.learning_rate:.3f} is <b>{regime}</b>: {how}. "
                f"No zig-zag up to 1/(2c_max) = {rates['no zig-zag']:.3f}, fastest at "
                f"1/(c_min + c_max) = {rates['fastest']:.3f}, a zig-zag that settles up to "
                f"1/c_max = {state.limit:.3f}, diverging beyond.</p>"
                f"<p>Start ({state.start[0]:.1f}, {state.start[1]:.1f}), loss "
                f"{state.losses[0]:.3g}; after {len(state.points) - 1} steps "
                f"w = ({end[0]:.3f}, {end[1]:.3f}), loss {state.losses[-1]:.3g}.</p>")


def slider_position(rate):
    """Which position of the learning-rate slider `rate` sits at: the number of steps of its
    grid (in log10) from the slider's left end, rounded as the browser's slider rounds."""
    return int(np.round((np.log10(rate) - RATE_SLIDER["min"]) / RATE_SLIDER["step"]))


def _same_rate(a, b):
    """Whether two rates are one slider position. The browser's slider puts a rate set from
    Python on its grid and sends that back, changed by its own arithmetic (0.30000000000000004
    for 0.3, or 10 to a rounded power): the same position is the same rate, any move of the
    slider by a learner is at least one position away."""
    if b is None or not (np.isfinite(a) and a > 0):
        return False
    return slider_position(a) == slider_position(b)


def descent_explorer(w1=-2.0, w2=-2.0, learning_rate=None, steps=30, preset="fastest"):
    """Walk downhill on the bowl from a start you choose: the path on the contours and the loss
    per step, for any learning rate, or a preset (too small, no zig-zag, fastest, overshooting,
    diverging)."""
    return DescentExplorer(w1, w2, learning_rate, steps, preset)


# ---- two valleys ------------------------------------------------------------------------------
def _find_landmarks():
    """Where `bumpy_loss` is flat: its global minimum, its local minimum and the hilltop between,
    found where its slope changes sign (a grid, then bisection)."""
    grid = np.linspace(-3.0, 3.0, 601)
    slope = bumpy_gradient(grid)
    flats = []
    for i in np.flatnonzero(np.sign(slope[:-1]) != np.sign(slope[1:])):
        lo, hi = grid[i], grid[i + 1]
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if np.sign(bumpy_gradient(mid)) == np.sign(bumpy_gradient(lo)):
                lo = mid
            else:
                hi = mid
        flats.append((0.5 * (lo + hi), slope[i] < 0))  # falling then rising: a minimum
    minima = sorted((x for x, is_min in flats if is_min), key=lambda x: float(bumpy_loss(x)))
    hilltop = next(x for x, is_min in flats if not is_min)
    return {"global": float(minima[0]), "local": float(minima[1]), "hilltop": float(hilltop)}


# found once, at import (in under a millisecond), and read-only
_LANDMARKS = MappingProxyType(_find_landmarks())


def bumpy_landmarks():
    """Where `bumpy_loss` is flat, by name: "global" (its global minimum), "local" (its local
    minimum) and "hilltop" (between them). A read-only mapping."""
    return _LANDMARKS


def run_bumpy(start, learning_rate, steps):
    """Gradient descent on the two-valley landscape. Returns the `DescentPath` and which valley
    it ended in: "global", "local", or None (still moving, or diverged)."""
    path = gradient_descent(bumpy_gradient, np.array([float(start)]), learning_rate, steps,
                            loss=lambda w: bumpy_loss(w[0]))
    end = float(path.final[0])
    found = None
    if not path.diverged and abs(float(bumpy_gradient(end))) < SETTLED:
        marks = bumpy_landmarks()
        found = min(("global", "local"), key=lambda name: abs(marks[name] - end))
    return path, found


@dataclass(frozen=True, eq=False)
class ValleyState:
    """A walk on the two-valley landscape: its settings, the `points` and `losses` along it, the
    valley it `found` ("global", "local" or None), where it `end`s, and the landmarks."""
    start: float
    learning_rate: float
    steps: int
    points: np.ndarray
    losses: np.ndarray
    found: str | None
    diverged: bool
    end: float
    marks: MappingProxyType
    message: str = ""


class LocalMinimumExplorer(Explorer):
    title = "A local minimum beside the global one"
    figsize = (11.0, 4.8)
    nrows, ncols = 1, 2

    def __init__(self, start=1.8, learning_rate=0.05, steps=60):
        style = {"description_width": "initial"}
        controls = {
            "start": w.FloatSlider(start, min=-2.2, max=2.2, step=0.05, description="start w",
                                   tooltip="where the walk starts",
                                   style=style, layout=w.Layout(width="420px")),
            "learning_rate": w.FloatLogSlider(learning_rate, base=10, min=-3, max=-0.3,
                                              step=0.05, description="learning rate η",
                                              readout_format=".3f", style=style),
            "steps": w.IntSlider(steps, min=1, max=200, description="steps taken", style=style),
        }
        super().__init__(controls)
        freeze_layout(self)

    def compute(self, start=1.8, learning_rate=0.05, steps=60):
        start = float(np.clip(start, -2.2, 2.2))
        learning_rate, steps = float(learning_rate), int(np.clip(steps, 1, 1000))
        path, found = run_bumpy(start, learning_rate, steps)
        marks = bumpy_landmarks()
        end = float(path.final[0])
        if path.diverged:
            message = (f"The walk {path.message} On this landscape the walls get steeper and "
                       f"steeper, so one overshoot leads to a bigger one.")
        elif found is None:
            message = (f"After {len(path.points) - 1} steps the walk is still moving (slope "
                       f"{float(bumpy_gradient(end)):+.3f} at w = {end:.3f}): take more steps, or "
                       f"the learning rate makes it bounce between the walls.")
        else:
            message = ""
        return ValleyState(start, learning_rate, steps, readonly(path.points[:, 0]),
                           readonly(path.losses), found, path.diverged, end, marks, message)

    def background_key(self, state):
        return ()  # the landscape, the limits and the legends never change

    def draw_background(self, state):
        curve_ax, loss_ax = self.axes
        marks = bumpy_landmarks()
        curve = curve_ax.plot(BUMPY_W, bumpy_loss(BUMPY_W), color="0.45", label="loss L(w)")[0]
        hilltop = curve_ax.axvline(marks["hilltop"], color="0.45", ls=":", lw=1.2,
                                   label=f"hilltop, w = {marks['hilltop']:.2f}")
        curve_ax.set_xlim(*W_RANGE)
        curve_ax.set_ylim(-0.3, 8.5)
        plots.label(curve_ax, "", "weight w", "loss L", legend=False)
        moving = [Line2D([], [], label=label, **style) for label, style in VALLEY_STYLES.items()]
        minima = [Line2D([], [], label=f"{name} minimum, w = {marks[name]:.2f}", **style)
                  for name, style in MINIMUM_STYLES.items()]
        fixed_legend(curve_ax, [curve, hilltop, *moving, *minima], loc="upper center", ncols=2,
                      fontsize=11, zorder=1.9)
        levels = [loss_ax.axhline(float(bumpy_loss(marks[name])), color=style["color"], ls=ls,
                                  lw=1.5, label=f"{name} minimum's loss")
                  for (name, style), ls in zip(MINIMUM_STYLES.items(), ("--", ":"))]
        loss_ax.set_yscale("log")  # a diverging walk reaches astronomical losses in a few steps
        loss_ax.yaxis.set_minor_locator(NullLocator())
        loss_ax.set_ylim(*BUMPY_LOSS_RANGE)
        loss_ax.set_xlim(-0.5, self.controls["steps"].max + 0.5)
        loss_ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
        plots.label(loss_ax, "", "step", "loss L (log scale)", legend=False)
        fixed_legend(loss_ax, [Line2D([], [], label="loss after each step", **BUMPY_LOSS_STYLE),
                                *levels], loc="upper right", zorder=1.9)

    def draw(self, state):
        curve_ax, loss_ax = self.axes
        marks = state.marks
        path_style, start_style = VALLEY_STYLES.values()
        shown = np.abs(state.points) <= W_RANGE[1]
        curve_ax.plot(state.points[shown], state.losses[shown], label="path", **path_style)
        curve_ax.plot(state.start, bumpy_loss(state.start), label="start", **start_style)
        for name, style in MINIMUM_STYLES.items():  # on top of a path that ends there
            curve_ax.plot(marks[name], bumpy_loss(marks[name]), **style)
        found = {"global": "found the global minimum", "local": "stuck in the local minimum",
                 None: "diverged" if state.diverged else "still moving"}[state.found]
        # a fixed title height: left to itself, matplotlib measures every tick label to place it
        curve_ax.set_title(f"From w = {state.start:.2f}: {found}", y=1.0)
        top = BUMPY_LOSS_RANGE[1]
        loss_ax.plot(np.arange(len(state.losses)), np.minimum(state.losses, top),
                     label="loss after each step", **BUMPY_LOSS_STYLE)
        if np.max(state.losses) > top:
            # middle left: clear of the legend and of every walk that settles (losses below 7)
            loss_ax.text(0.04, 0.6, f"losses above {top:,.0f} are drawn at the top edge",
                         transform=loss_ax.transAxes, fontsize=11)
        loss_ax.set_title("Loss per step (diverged)" if state.diverged else "Loss per step",
                          y=1.0)

    def describe(self, state):
        marks, found = state.marks, state.found
        if found is None:
            where = "has not come to rest in a valley"
        else:
            other = "local" if found == "global" else "global"
            where = (f"came to rest at w = {state.end:.3f}, loss "
                     f"{float(bumpy_loss(state.end)):.3f}: the <b>{found} minimum</b> (the "
                     f"{other} one is at w = {marks[other]:.3f}, loss "
                     f"{float(bumpy_loss(marks[other])):.3f})")
        return (f"<p>Starting at w = {state.start:.2f} with learning rate "
                f"{state.learning_rate:.3f}, descent {where}. With small steps, a start left of "
                f"the hilltop at w = {marks['hilltop']:.3f} rolls into the global valley, a start "
                f"right of it into the local one.</p>")


def local_minimum_explorer(start=1.8, learning_rate=0.05, steps=60):
    """Gradient descent on a one-weight loss with two valleys: the start decides which one it
    finds, and it says which."""
    return LocalMinimumExplorer(start, learning_rate, steps)


def benchmark_cases():
    rates = preset_rates()
    bowl = [{"w1": a, "w2": b, "learning_rate": rates[p], "steps": s}
            for a, b, p, s in ((-2.0, -2.0, "fastest", 30), (0.0, 8.0, "too small", 100),
                               (10.0, -3.0, "overshooting", 60), (-2.0, 9.0, "diverging", 100),
                               (6.0, 6.0, "no zig-zag", 10), (-3.0, -4.0, "overshooting", 100))]
    presets = [{"preset": p} for p in PRESETS]
    bumpy = [{"start": s, "learning_rate": lr, "steps": n}
             for s, lr, n in ((1.8, 0.05, 60), (-0.5, 0.05, 60), (0.2, 0.01, 200),
                              (2.2, 0.3, 200), (-2.2, 0.001, 1), (0.0, 0.1, 100))]
    return [("descent_explorer", descent_explorer, bowl),
            ("descent_explorer: presets", descent_explorer, presets),
            ("local_minimum_explorer", local_minimum_explorer, bumpy)]
