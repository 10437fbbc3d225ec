r"""Lesson 01: one neuron with two inputs, seen over the whole input plane.

The neuron multiplies each input by its weight, adds its bias and passes the sum through an
activation $f$ (the sigmoid $\sigma(z) = 1/(1 + e^{-z})$ first):
$$z = w_1 x_1 + w_2 x_2 + b, \qquad a = f(z).$$
Every point $(x_1, x_2)$ of the plane is one possible input, so the neuron's output over the
plane is a picture of the function it computes. The explorer draws the straight line where the
weighted sum is 0, $w_1 x_1 + w_2 x_2 + b = 0$, for every activation: on it the output is $f(0)$
(0.5 for the sigmoid, 0 for tanh; ReLU switches on there), on one side larger, on the other
smaller (for ReLU: 0). The line lies $|b|/\lVert w\rVert$ from the origin, at right angles to
$w = (w_1, w_2)$: the bias moves it, and a weight turns it *and* moves it (it changes
$\lVert w\rVert$).

Also here: `draw_loop`, the six-step map of how a network learns, and `draw_network`, a small
network drawn with its weights as lines, both used as static figures in lesson 01.
"""
import html
from dataclasses import dataclass

import ipywidgets as w
import matplotlib
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import TwoSlopeNorm
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import activations as act
from .. import neuron as nn_neuron
from .. import plots
from ._base import Explorer, choice, readonly
from ._layout import freeze_layout

__all__ = ["neuron_explorer", "NeuronExplorer", "NeuronState", "Arithmetic", "neuron_grid",
           "weighted_sum_grid", "decision_line", "arithmetic", "color_scale", "color_norm",
           "draw_loop", "draw_network", "ACTIVATIONS", "LIMIT", "LOOP_STEPS"]

ACTIVATIONS = tuple(act.ELEMENTWISE)   # sigmoid, tanh, relu, leaky_relu, elu, identity
LIMIT = 3.0                            # the plane shown: -LIMIT <= x1, x2 <= LIMIT
RESOLUTION = 61                        # grid points per side: smooth enough, fast to draw
# The activation panel shows z in [-Z_REACH, Z_REACH] whatever the settings (|z| can reach 35 at
# the sliders' ends, but a window that wide flattens every curve into a step); a point beyond is
# noted as off the chart.
Z_REACH = 10.0
Z_CURVE = readonly(np.linspace(-Z_REACH, Z_REACH, 241))
# The bounded activations colour their whole range; the others the outputs of that z window.
COLOR_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}
POINT_STYLE = {"marker": "o", "ls": "", "color": plots.COLORS["yellow"], "ms": 11,
               "markeredgecolor": "black", "markeredgewidth": 1.5}   # the chosen input

LOOP_STEPS = ("Give the network\nan example",
              "It answers\n(untrained: wrongly)",
              "Measure how wrong:\nthe loss",
              "Work out how each weight\nshould change",
              "Change every weight\na little",
              "Repeat over many examples;\nthen test on new ones")
# Which lessons teach which step, for the map's colours and legend.
# Each group's boxes also have their own outline (solid, dashed, dotted, dash-dot), so the map
# does not rely on colour alone.
LOOP_LESSONS = (("lesson 01: neuron", (0, 1), "sky", "-"),
                ("lesson 02: loss", (2,), "orange", "--"),
                ("lessons 03-05: derivatives, descent, backprop", (3, 4), "green", ":"),
                ("lessons 06-07: batches, overfitting", (5,), "purple", "-."))


AXIS = readonly(np.linspace(-LIMIT, LIMIT, RESOLUTION))   # x1 (and x2) over the plane
PLANE = readonly(np.column_stack([x.ravel() for x in np.meshgrid(AXIS, AXIS)]))  # input per row


def neuron_grid(w1, w2, b, activation="sigmoid"):
    """The neuron's output $f(w_1 x_1 + w_2 x_2 + b)$ at every point of the plane.

    Returns `(axis, outputs)`: `axis` holds the RESOLUTION values of x1 (and of x2) and
    `outputs[i, j]` is the output for x1 = axis[j], x2 = axis[i] (rows go up the x2 axis)."""
    outputs = nn_neuron.neuron(PLANE, np.array([w1, w2], dtype=np.float64), float(b), activation)
    return AXIS, outputs.reshape(RESOLUTION, RESOLUTION)


def weighted_sum_grid(w1, w2, b):
    """The weighted sum $z = w_1 x_1 + w_2 x_2 + b$ at every point of the plane, laid out as
    `neuron_grid`'s outputs."""
    sums = nn_neuron.weighted_sum(PLANE, np.array([w1, w2], dtype=np.float64), float(b))
    return sums.reshape(RESOLUTION, RESOLUTION)


def decision_line(w1, w2, b):
    r"""The line $w_1 x_1 + w_2 x_2 + b = 0$ where the weighted sum is 0: returns
    `(distance, nearest)`, its distance $|b|/\lVert w\rVert$ from the origin and its point
    nearest the origin, $-b\,w/\lVert w\rVert^2$ (the line is at right angles to $w$)."""
    weights = np.array([w1, w2], dtype=np.float64)
    norm = float(np.hypot(w1, w2))
    if norm == 0.0:
        raise ValueError("w1 and w2 are both 0: z = b everywhere, so there is no line z = 0")
    return abs(float(b)) / norm, -float(b) * weights / norm ** 2


def _number(value):
    """A number for a sum written out, short (slider values need no trailing zeros), negative
    ones in brackets so that "+ (-1.5)" reads clearly."""
    text = f"{value:.3g}"
    return f"({text})" if value < 0 else text


@dataclass(frozen=True)
class Arithmetic:
    """The neuron's arithmetic for one input: `z` (the weighted sum), `a` (the output), and
    `sum_text` and `activation_text`, the two lines written out with the numbers."""
    z: float
    a: float
    sum_text: str
    activation_text: str


def arithmetic(w1, w2, b, x1, x2, activation="sigmoid"):
    """The neuron's arithmetic for one input, as numbers and as text (an `Arithmetic`)."""
    z = float(nn_neuron.weighted_sum([x1, x2], [w1, w2], b)[0])
    f, _ = act.get(activation)
    a = float(f(z))
    sum_text = (f"z = {_number(w1)}×{_number(x1)} + {_number(w2)}×{_number(x2)} + {_number(b)}"
                f" = {z:.3g}")
    return Arithmetic(z, a, sum_text, f"a = {activation}({z:.3g}) = {a:.3f}")


def color_scale(activation):
    """The heat map's fixed colour scale for an activation: `(low, high, extend)`.

    Sigmoid and tanh use their whole range; an unbounded activation uses f(z) for
    -Z_REACH <= z <= Z_REACH, and `extend` ("max", "min", "both" or "neither") says on which
    side outputs beyond it are possible (they take the end colour). The scale always holds 0 and
    1, and so f(0) of every activation (0.5 for the sigmoid, 0 for the others)."""
    f, _ = act.get(activation)
    ends = f(np.array([-10.0 * Z_REACH, -Z_REACH, Z_REACH, 10.0 * Z_REACH]))
    low, high = COLOR_RANGE.get(activation, (min(float(ends[1]), 0.0), max(float(ends[2]), 1.0)))
    margin = 0.01 * (high - low)    # elu's -0.99995 at -Z_REACH is as good as its floor, -1
    below, above = ends[0] < low - margin, ends[3] > high + margin
    extend = {(True, True): "both", (True, False): "min", (False, True): "max"}
    return low, high, extend.get((bool(below), bool(above)), "neither")


def color_norm(activation):
    """The heat map's colours for an activation: white (the colour map's middle) at f(0), the
    output on the line z = 0, so the white band lies on that line for every activation; the
    two ends of `color_scale` on either side. ReLU has nothing below f(0) = 0: its white
    starts at the bottom of the scale (a vanishing sliver below it keeps the norm valid)."""
    f, _ = act.get(activation)
    centre = float(f(0.0))
    low, high, _ = color_scale(activation)
    if low >= centre:
        low = centre - 1e-6 * (high - centre)
    return TwoSlopeNorm(centre, low, high)


@dataclass(frozen=True, eq=False)
class NeuronState:
    """The settings, the outputs over the plane (`outputs[i, j]` for x1 = `axis[j]`,
    x2 = `axis[i]`) with their range, the weighted sums `sums` over the same grid and whether
    they cross 0 (the line z = 0 is in the window), and the chosen input's arithmetic. With an activation the explorer does not know there is only the `message`."""
    activation: str
    w1: float = 0.0
    w2: float = 0.0
    b: float = 0.0
    x1: float = 0.0
    x2: float = 0.0
    axis: np.ndarray | None = None
    outputs: np.ndarray | None = None
    low: float = 0.0
    high: float = 0.0
    crosses: bool = False
    point: Arithmetic | None = None
    message: str = ""
    sums: np.ndarray | None = None

    @property
    def known(self):
        return self.outputs is not None


class NeuronExplorer(Explorer):
    title = "One neuron: two weights, a bias and an activation"
    figsize = (11.0, 4.4)
    nrows, ncols = 1, 2
    # a figure per activation: going back to one redraws only the heat map and the point
    backgrounds_kept = len(ACTIVATIONS)

    def __init__(self, w1=2.0, w2=-1.0, b=0.5, activation="sigmoid", x1=1.0, x2=0.5):
        # one colour map for every heat map this explorer draws: a fresh one per picture would
        # rebuild its colour table on every update
        self._cmap = matplotlib.colormaps[plots.DIVERGING]
        style = {"description_width": "initial"}

        def slider(value, low, high, name):
            # three to a row: six controls in two rows of an 850 px output area
            return w.FloatSlider(value, min=low, max=high, step=0.1, description=name,
                                 style=style, continuous_update=True,
                                 layout=w.Layout(width="270px"))

        controls = {
            "w1": slider(w1, -5.0, 5.0, "weight w1"),
            "w2": slider(w2, -5.0, 5.0, "weight w2"),
            "b": slider(b, -5.0, 5.0, "bias b"),
            "activation": choice(ACTIVATIONS, activation, "activation function f",
                                 "the function f that turns z into the output a"),
            "x1": slider(x1, -LIMIT, LIMIT, "input x1"),
            "x2": slider(x2, -LIMIT, LIMIT, "input x2"),
        }
        super().__init__(controls)
        # room between the panels for the colour bar's widest tick labels (tanh's "-0.75"); lay
        # the figure out again with it before the layout is frozen
        self.fig.get_layout_engine().set(wspace=0.1)
        self.fig.draw_without_rendering()
        self.update()
        freeze_layout(self)

    def compute(self, w1=2.0, w2=-1.0, b=0.5, activation="sigmoid", x1=1.0, x2=0.5):
        if activation not in ACTIVATIONS:
            return NeuronState(str(activation), message=f"activation must be one of "
                                                        f"{', '.join(ACTIVATIONS)}; got "
                                                        f"{activation!r}")
        axis, outputs = neuron_grid(w1, w2, b, activation)
        low, high = float(outputs.min()), float(outputs.max())
        sums = weighted_sum_grid(w1, w2, b)
        point = arithmetic(w1, w2, b, x1, x2, activation)
        # the line z = 0 means the same for every activation (the output is f(0) on it); a level
        # of the output such as 0.5 means something for the sigmoid only
        crosses = float(sums.min()) < 0.0 < float(sums.max())
        message = ""
        if w1 == 0 and w2 == 0:
            message = (f"Both weights are 0, so the inputs do not matter: the neuron gives "
                       f"{activation}({b:g}) = {point.a:.3f} everywhere, its bias alone.")
        elif not crosses:
            side = "above" if sums.min() >= 0.0 else "below"
            f, _ = act.get(activation)
            message = (f"The weighted sum z stays {side} 0 everywhere in this window "
                       f"(the output from {low:.3g} to {high:.3g}), so the line z = 0, where "
                       f"the output is {activation}(0) = {float(f(0.0)):.3g}, lies outside it. "
                       f"Move the bias towards 0 or make the weights larger.")
        return NeuronState(activation, float(w1), float(w2), float(b), float(x1), float(x2),
                           axis, readonly(outputs), low, high, crosses, point, message,
                           readonly(sums))

    # ---- drawing ---------------------------------------------------------------------------
    def background_key(self, state):
        # only the activation changes the colour bar, the curve and the curve's axes
        return (state.activation if state.known else None,)

    def draw_background(self, state):
        heat, curve = self.axes
        if not state.known:
            return
        activation = state.activation
        heat.set_xlim(-LIMIT, LIMIT)
        heat.set_ylim(-LIMIT, LIMIT)
        heat.grid(False)
        # the picture (drawn over the background) would hide half of each spine; its edge is
        # outline enough
        heat.spines[:].set_visible(False)
        _, _, extend = color_scale(activation)
        scale = ScalarMappable(color_norm(activation), self._cmap)
        bar = self.fig.colorbar(scale, cax=heat.inset_axes([1.03, 0.0, 0.04, 1.0]), extend=extend)
        bar.ax.set_title("a", fontsize=12)  # above, not beside: tick labels change width
        plots.label(heat, f"Output over the input plane ({activation})", "input x1", "input x2",
                    legend=False)
        # Below the panel, where the picture (drawn over the background) cannot hide it, so it is
        # drawn once: `ax.legend` makes one that is redrawn on every update.
        heat.add_artist(Legend(heat, [Line2D([], [], color="black", lw=2.0),
                                      Line2D([], [], **POINT_STYLE)],
                               ["z = 0 (output f(0))", "the input (x1, x2)"], ncols=2,
                               loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False))

        f, _ = act.get(activation)
        a = f(Z_CURVE)
        lines = [curve.plot(Z_CURVE, a, color=plots.COLORS["blue"])[0],
                 curve.axvline(0.0, color="0.4", ls="--", lw=1.2),
                 Line2D([], [], **POINT_STYLE)]
        low, high = min(float(a.min()), 0.0), max(float(a.max()), 1.0)
        curve.set_xlim(-Z_REACH, Z_REACH)
        curve.set_ylim(low - 0.05 * (high - low), high + 0.35 * (high - low))  # room for the sum
        plots.label(curve, "The activation: a = f(z)", "weighted sum z", "output a",
                    legend=False)
        # Its entries change only with the activation, so this legend is a background artist
        # (`ax.legend` makes one that is redrawn on every update).
        curve.add_artist(Legend(curve, lines, [f"a = {activation}(z)", "z = 0", "this input"],
                                loc="lower right", framealpha=0.9))

    # The plane's picture and its line z = 0 are the middle layer (see `_layers`): moving the
    # input point (x1, x2) leaves them alone, and they are most of a redraw.
    def middle_key(self, state):
        return (state.activation, state.w1, state.w2, state.b) if state.known else None

    def draw_middle(self, state):
        heat, _ = self.axes
        # its extent is the background's fixed limits, so imshow's autoscaling changes nothing
        heat.imshow(state.outputs, origin="lower", extent=(-LIMIT, LIMIT, -LIMIT, LIMIT),
                    cmap=self._cmap, norm=color_norm(state.activation),
                    interpolation="bilinear", aspect="auto")
        if state.crosses:
            heat.plot(*zero_line(state.w1, state.w2, state.b), color="black", lw=2.0)

    def draw(self, state):
        heat, curve = self.axes
        if not state.known:
            heat.set_title("no picture: see the message")
            return
        heat.plot(state.x1, state.x2, clip_on=False, **POINT_STYLE)
        self._draw_activation(curve, state)

    def _draw_activation(self, ax, state):
        point = state.point
        text = f"{point.sum_text}\n{point.activation_text}"
        if abs(point.z) > Z_REACH:
            text += f"\n(z is off the chart, beyond {'+' if point.z > 0 else '-'}{Z_REACH:g})"
        ax.plot(point.z, point.a, **POINT_STYLE)
        ax.text(0.02, 0.97, text, transform=ax.transAxes, va="top", ha="left", fontsize=11,
                bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "0.7"})

    def describe(self, state):
        if not state.known:
            return ""
        point = state.point
        return (f"<pre style='font-size:13px'>{html.escape(point.sum_text)}\n"
                f"{html.escape(point.activation_text)}</pre>"
                f"Over the plane the output runs from {state.low:.3f} to {state.high:.3f}.")


def zero_line(w1, w2, b):
    r"""Two points of the line $z = w_1x_1 + w_2x_2 + b = 0$, far enough apart to cross the whole
    plane shown (the axes cut it at their edges), as `(x1s, x2s)`; the weights not both 0.

    The weighted sum is linear, so where it is 0 is a straight line: the point of it nearest
    the origin, $-b\,w/\lVert w\rVert^2$, and from there both ways along $(-w_2, w_1)$. Drawn as
    two points it costs a fraction of a contour of the grid, on every slider move."""
    norm = np.hypot(w1, w2)
    near = -b / norm**2 * np.array([w1, w2])
    along = np.array([-w2, w1]) / norm * (3.0 * LIMIT)  # past every corner of the plane
    return [near[0] - along[0], near[0] + along[0]], [near[1] - along[1], near[1] + along[1]]


def neuron_explorer(w1=2.0, w2=-1.0, b=0.5, activation="sigmoid", x1=1.0, x2=0.5):
    """Sliders for two weights and a bias, a choice of activation and one input: the output over
    the input plane with its line z = 0 (output f(0): 0.5 for the sigmoid, 0 for tanh, where ReLU
    switches on), and the arithmetic for the chosen input."""
    return NeuronExplorer(w1, w2, b, activation, x1, x2)


# ---- static figures of lesson 01 -----------------------------------------------------------
def draw_loop(ax):
    """Draw the six-step loop of learning as a circle of numbered boxes, coloured by the lessons
    that teach each step."""
    angles = np.pi / 2 - np.arange(6) * 2 * np.pi / 6     # clockwise from the top
    centres = np.column_stack([1.55 * np.cos(angles), np.sin(angles)])
    step_color, step_outline = {}, {}
    for _, steps, color, outline in LOOP_LESSONS:
        for step in steps:
            step_color[step], step_outline[step] = plots.COLORS[color], outline
    boxes = [ax.text(x, y, f"{i + 1}. {LOOP_STEPS[i]}", ha="center", va="center", fontsize=11,
                     bbox={"boxstyle": "round,pad=0.5", "fc": step_color[i], "ec": "black",
                           "ls": step_outline[i], "lw": 1.8, "alpha": 0.9}, zorder=3)
             for i, (x, y) in enumerate(centres)]
    for i in range(6):
        j = (i + 1) % 6
        # clipped at both boxes' outlines, so an arrow never runs into a box
        ax.annotate("", xy=centres[j], xytext=centres[i],
                    arrowprops={"arrowstyle": "-|>", "mutation_scale": 18, "lw": 1.8,
                                "color": "0.3", "connectionstyle": "arc3,rad=-0.25",
                                "patchA": boxes[i].get_bbox_patch(),
                                "patchB": boxes[j].get_bbox_patch(),
                                "shrinkA": 4, "shrinkB": 4}, zorder=2)
    ax.text(0, 0, "learning\n= this loop,\nmany times", ha="center", va="center", fontsize=12,
            style="italic")
    ax.set_xlim(-2.3, 2.3)
    ax.set_ylim(-1.35, 1.35)
    ax.set_axis_off()
    ax.set_title("How a network learns: the six-step loop")
    ax.legend(handles=[Patch(fc=plots.COLORS[c], ec="black", ls=outline, lw=1.8, label=name)
                       for name, _, c, outline in LOOP_LESSONS],
              loc="center left", bbox_to_anchor=(1.0, 0.5), title="taught in")
    return ax


def draw_network(ax, weights, values=None):
    """Draw a dense network: one column of circles per layer, one line per weight (blue for
    positive, dashed vermillion for negative, thicker for larger). `weights` lists the
    (inputs, neurons) matrices; `values`, if given, lists each layer's numbers (inputs first) to
    write in the circles."""
    sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
    columns = [np.linspace(0.5 * (n - 1), -0.5 * (n - 1), n) for n in sizes]
    biggest = max(float(np.max(np.abs(W))) for W in weights) or 1.0
    for layer, W in enumerate(weights):
        for i, y0 in enumerate(columns[layer]):
            for j, y1 in enumerate(columns[layer + 1]):
                positive = W[i, j] >= 0
                color = plots.COLORS["blue"] if positive else plots.COLORS["vermillion"]
                ax.plot([layer, layer + 1], [y0, y1], color=color, ls="-" if positive else "--",
                        zorder=1,
                        lw=0.5 + 4.5 * abs(W[i, j]) / biggest)
    names = ["input"] + ["hidden"] * (len(sizes) - 2) + ["output"]
    for layer, ys in enumerate(columns):
        ax.scatter(np.full(len(ys), layer), ys, s=1300, c="white", edgecolors="black",
                   linewidths=1.5, zorder=2)
        for k, y in enumerate(ys):
            text = f"{values[layer][k]:.2f}" if values is not None else ""
            ax.text(layer, y, text, ha="center", va="center", fontsize=11, zorder=3)
        ax.text(layer, 0.5 * max(sizes) + 0.05, f"{names[layer]}\nlayer", ha="center",
                va="bottom", fontsize=11)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-0.5 * max(sizes) - 0.1, 0.5 * max(sizes) + 0.55)
    ax.set_axis_off()
    ax.legend(handles=[Line2D([], [], color=plots.COLORS["blue"], lw=3, label="positive weight"),
                       Line2D([], [], color=plots.COLORS["vermillion"], lw=3, ls="--",
                              label="negative weight (dashed)")],
              loc="lower center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    return ax


def _slider_walk(activation):
    """A learner's path: one slider moved per update (each dict still holds every setting),
    through both ends, points off the activation panel, both weights 0, and back."""
    settings = {"w1": 2.0, "w2": -1.0, "b": 0.5, "activation": activation, "x1": 1.0, "x2": 0.5}
    moves = [("w1", 5.0), ("x1", 3.0), ("w2", -5.0), ("x2", -3.0), ("b", -5.0), ("w1", 0.0),
             ("w2", 0.0), ("b", 5.0), ("w1", -4.0), ("x1", -3.0), ("w2", 1.5), ("b", 0.5),
             ("x1", 1.0), ("x2", 0.5), ("w1", 2.0), ("w2", -1.0)]
    walk = []
    for name, value in moves:
        settings = {**settings, name: value}
        walk.append(settings)
    return walk


def benchmark_cases():
    sweep = [{"w1": w1} for w1 in np.linspace(-5.0, 5.0, 21).round(1)]
    # Each of these changes the activation, which redraws the whole figure (a new colour bar and
    # curve): the speed of a menu choice, not of a slider, and a check of every background.
    menu = [{"w1": w1, "w2": w2, "b": b, "activation": f, "x1": x1, "x2": x2}
            for w1, w2, b, f, x1, x2 in ((2.0, -1.0, 0.5, "sigmoid", 1.0, 0.5),
                                         (0.5, 3.0, -2.0, "tanh", -2.0, 1.0),
                                         (-4.0, 1.0, 5.0, "relu", 3.0, -3.0),
                                         (0.0, 0.0, 1.0, "sigmoid", 0.0, 0.0),
                                         (1.5, 1.5, 0.0, "elu", -1.0, -1.0),
                                         (5.0, -5.0, -5.0, "identity", 2.5, 0.5))]
    return [("neuron_explorer: weight slider", neuron_explorer, sweep),
            ("neuron_explorer: every slider (relu)", neuron_explorer, _slider_walk("relu")),
            ("neuron_explorer: activation menu", neuron_explorer, menu)]
