r"""Lesson 01: one neuron with two inputs, seen over the whole input plane.

The neuron multiplies each input by its weight, adds its bias and passes the sum through an
activation $f$ (the sigmoid $\sigma(z) = 1/(1 + e^{-z})$ first):
$$z = w_1 x_1 + w_2 x_2 + b, \qquad a = f(z).$$
Every point $(x_1, x_2)$ of the plane is one possible input, so the neuron's output over the
plane is a picture of the function it computes. For the sigmoid, $a = 0.5$ exactly where $z = 0$,
the straight line $w_1 x_1 + w_2 x_2 + b = 0$: the weights turn that line, the bias shifts it.

Also here: `draw_loop`, the six-step map of how a network learns, and `draw_network`, a small
network drawn with its weights as lines, both used as static figures in lesson 01.
"""
import functools
import html

import ipywidgets as w
import numpy as np
from matplotlib.colors import TwoSlopeNorm
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import activations as act
from .. import neuron as nn_neuron
from .. import plots
from ._base import Explorer
from ._layout import freeze_layout

__all__ = ["neuron_explorer", "NeuronExplorer", "neuron_grid", "arithmetic", "draw_loop",
           "draw_network", "ACTIVATIONS", "LIMIT", "LOOP_STEPS"]

ACTIVATIONS = tuple(act.ELEMENTWISE)   # sigmoid, tanh, relu, leaky_relu, elu, identity
LIMIT = 3.0                            # the plane shown: -LIMIT <= x1, x2 <= LIMIT
RESOLUTION = 61                        # grid points per side: smooth enough, fast to draw
# Outputs of the bounded activations have a fixed colour scale; the others use the data's range.
COLOR_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}

LOOP_STEPS = ("Give the network\nan example",
              "It answers\n(untrained: wrongly)",
              "Measure how wrong:\nthe loss",
              "Work out how each weight\nshould change",
              "Change every weight\na little",
              "Repeat over many examples;\nthen test on new ones")
# Which lessons teach which step, for the map's colours and legend.
LOOP_LESSONS = (("lesson 01: neuron", (0, 1), "sky"), ("lesson 02: loss", (2,), "orange"),
                ("lessons 03-05: derivatives, descent, backprop", (3, 4), "green"),
                ("lessons 06-07: batches, overfitting", (5,), "purple"))


@functools.lru_cache(maxsize=1)
def _plane():
    axis = np.linspace(-LIMIT, LIMIT, RESOLUTION)
    x1, x2 = np.meshgrid(axis, axis)
    X = np.column_stack([x1.ravel(), x2.ravel()])   # one input per row
    X.setflags(write=False)
    return axis, X


def neuron_grid(w1, w2, b, activation="sigmoid"):
    """The neuron's output $f(w_1 x_1 + w_2 x_2 + b)$ at every point of the plane.

    Returns `(axis, outputs)`: `axis` holds the RESOLUTION values of x1 (and of x2) and
    `outputs[i, j]` is the output for x1 = axis[j], x2 = axis[i] (rows go up the x2 axis)."""
    axis, X = _plane()
    outputs = nn_neuron.neuron(X, np.array([w1, w2], dtype=np.float64), float(b), activation)
    return axis, outputs.reshape(RESOLUTION, RESOLUTION)


def _number(value):
    """A number for a sum written out, short (slider values need no trailing zeros), negative
    ones in brackets so that "+ (-1.5)" reads clearly."""
    text = f"{value:.3g}"
    return f"({text})" if value < 0 else text


def arithmetic(w1, w2, b, x1, x2, activation="sigmoid"):
    """The neuron's arithmetic for one input, as numbers and as text.

    Returns a dict with `z` (the weighted sum), `a` (the output), and `sum_text` and
    `activation_text`, the two lines written out with the numbers."""
    z = float(nn_neuron.weighted_sum([x1, x2], [w1, w2], b)[0])
    f, _ = act.get(activation)
    a = float(f(z))
    sum_text = (f"z = {_number(w1)}×{_number(x1)} + {_number(w2)}×{_number(x2)} + {_number(b)}"
                f" = {z:.3g}")
    activation_text = f"a = {activation}({z:.3g}) = {a:.3f}"
    return {"z": z, "a": a, "sum_text": sum_text, "activation_text": activation_text}


class NeuronExplorer(Explorer):
    title = "One neuron: two weights, a bias and an activation"
    figsize = (11.0, 4.4)
    nrows, ncols = 1, 2

    def __init__(self, w1=2.0, w2=-1.0, b=0.5, activation="sigmoid", x1=1.0, x2=0.5):
        style = {"description_width": "initial"}

        def slider(value, low, high, name):
            return w.FloatSlider(value, min=low, max=high, step=0.1, description=name,
                                 style=style, continuous_update=True)

        controls = {
            "w1": slider(w1, -5.0, 5.0, "weight w1"),
            "w2": slider(w2, -5.0, 5.0, "weight w2"),
            "b": slider(b, -5.0, 5.0, "bias b"),
            "activation": w.Dropdown(options=ACTIVATIONS, value=activation,
                                     description="activation", style=style),
            "x1": slider(x1, -LIMIT, LIMIT, "input x1"),
            "x2": slider(x2, -LIMIT, LIMIT, "input x2"),
        }
        super().__init__(controls)
        # room between the panels for the colour bar's widest tick labels (tanh's "-0.75")
        self.fig.get_layout_engine().set(wspace=0.1)
        self.update()
        freeze_layout(self)

    def compute(self, w1=2.0, w2=-1.0, b=0.5, activation="sigmoid", x1=1.0, x2=0.5):
        if activation not in ACTIVATIONS:
            return {"message": f"activation must be one of {', '.join(ACTIVATIONS)}; "
                               f"got {activation!r}"}
        axis, outputs = neuron_grid(w1, w2, b, activation)
        low, high = float(outputs.min()), float(outputs.max())
        point = arithmetic(w1, w2, b, x1, x2, activation)
        crosses = low < 0.5 < high
        message = ""
        if w1 == 0 and w2 == 0:
            message = (f"Both weights are 0, so the inputs do not matter: the neuron gives "
                       f"{activation}({b:g}) = {point['a']:.3f} everywhere, its bias alone.")
        elif not crosses:
            side = "above" if low >= 0.5 else "below"
            message = (f"The output stays {side} 0.5 everywhere in this window "
                       f"(from {low:.3g} to {high:.3g}), so there is no 0.5 line to draw. "
                       f"Move the bias towards 0 or make the weights larger.")
        return {"w1": float(w1), "w2": float(w2), "b": float(b), "activation": activation,
                "x1": float(x1), "x2": float(x2), "axis": axis, "outputs": outputs,
                "low": low, "high": high, "crosses": crosses, "point": point,
                "message": message}

    # ---- drawing ---------------------------------------------------------------------------
    def draw(self, state):
        heat, curve = self.axes
        if "outputs" not in state:
            heat.set_title("no picture: see the message")
            return
        self._draw_plane(heat, state)
        self._draw_activation(curve, state)

    def _draw_plane(self, ax, state):
        axis, outputs = state["axis"], state["outputs"]
        low, high = COLOR_RANGE.get(state["activation"],
                                    (min(state["low"], 0.0), max(state["high"], 1.0)))
        image = ax.imshow(outputs, origin="lower", extent=(-LIMIT, LIMIT, -LIMIT, LIMIT),
                          cmap=plots.DIVERGING, norm=TwoSlopeNorm(0.5, low, high),
                          interpolation="bilinear", aspect="auto")
        handles = []
        if state["crosses"]:
            ax.contour(axis, axis, outputs, levels=[0.5], colors="black", linewidths=2.0)
            handles.append(Line2D([], [], color="black", lw=2.0, label="output = 0.5"))
        ax.plot(state["x1"], state["x2"], "o", color=plots.COLORS["yellow"], ms=11, clip_on=False,
                markeredgecolor="black", markeredgewidth=1.5)
        handles.append(Line2D([], [], marker="o", ls="", color=plots.COLORS["yellow"],
                              markeredgecolor="black", ms=10,
                              label=f"input ({state['x1']:.1f}, {state['x2']:.1f})"))
        ax.legend(handles=handles, loc="upper right", framealpha=0.9)
        ax.grid(False)
        bar = self.fig.colorbar(image, cax=ax.inset_axes([1.03, 0.0, 0.04, 1.0]))
        bar.ax.set_title("a", fontsize=12)  # above, not beside: tick labels change width
        plots.label(ax, f"Output over the input plane ({state['activation']})",
                    "input x1", "input x2", legend=False)

    def _draw_activation(self, ax, state):
        point = state["point"]
        reach = max(6.0, abs(point["z"]) * 1.15)
        z = np.linspace(-reach, reach, 241)
        f, _ = act.get(state["activation"])
        a = f(z)
        ax.plot(z, a, color=plots.COLORS["blue"], label=f"a = {state['activation']}(z)")
        low, high = min(float(a.min()), 0.0), max(float(a.max()), 1.0)
        ax.set_ylim(low - 0.05 * (high - low), high + 0.35 * (high - low))  # room for the sum
        ax.axhline(0.5, color="0.4", ls="--", lw=1.2, label="a = 0.5")
        ax.plot(point["z"], point["a"], "o", color=plots.COLORS["yellow"], ms=11,
                markeredgecolor="black", markeredgewidth=1.5, label="this input")
        ax.text(0.02, 0.97, f"{point['sum_text']}\n{point['activation_text']}",
                transform=ax.transAxes, va="top", ha="left", fontsize=11,
                bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "0.7"})
        plots.label(ax, "The activation: a = f(z)", "weighted sum z", "output a")
        ax.legend(loc="lower right", framealpha=0.9)

    def describe(self, state):
        if "point" not in state:
            return ""
        point = state["point"]
        return (f"<pre style='font-size:13px'>{html.escape(point['sum_text'])}\n"
                f"{html.escape(point['activation_text'])}</pre>"
                f"Over the plane the output runs from {state['low']:.3f} to {state['high']:.3f}.")


def neuron_explorer(w1=2.0, w2=-1.0, b=0.5, activation="sigmoid", x1=1.0, x2=0.5):
    """Sliders for two weights and a bias, a choice of activation and one input: the output over
    the input plane with its 0.5 line, and the arithmetic for the chosen input."""
    return NeuronExplorer(w1, w2, b, activation, x1, x2)


# ---- static figures of lesson 01 -----------------------------------------------------------
def draw_loop(ax):
    """Draw the six-step loop of learning as a circle of numbered boxes, coloured by the lessons
    that teach each step."""
    angles = np.pi / 2 - np.arange(6) * 2 * np.pi / 6     # clockwise from the top
    centres = np.column_stack([1.55 * np.cos(angles), np.sin(angles)])
    step_color = {}
    for _, steps, color in LOOP_LESSONS:
        for step in steps:
            step_color[step] = plots.COLORS[color]
    boxes = [ax.text(x, y, f"{i + 1}. {LOOP_STEPS[i]}", ha="center", va="center", fontsize=11,
                     bbox={"boxstyle": "round,pad=0.5", "fc": step_color[i], "ec": "black",
                           "alpha": 0.9}, zorder=3)
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
    ax.legend(handles=[Patch(fc=plots.COLORS[c], ec="black", label=name)
                       for name, _, c in LOOP_LESSONS],
              loc="center left", bbox_to_anchor=(1.0, 0.5), title="taught in")
    return ax


def draw_network(ax, weights, values=None):
    """Draw a dense network: one column of circles per layer, one line per weight (blue for
    positive, vermillion for negative, thicker for larger). `weights` lists the (inputs, neurons)
    matrices; `values`, if given, lists each layer's numbers (inputs first) to write in the
    circles."""
    sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
    columns = [np.linspace(0.5 * (n - 1), -0.5 * (n - 1), n) for n in sizes]
    biggest = max(float(np.max(np.abs(W))) for W in weights) or 1.0
    for layer, W in enumerate(weights):
        for i, y0 in enumerate(columns[layer]):
            for j, y1 in enumerate(columns[layer + 1]):
                color = plots.COLORS["blue"] if W[i, j] >= 0 else plots.COLORS["vermillion"]
                ax.plot([layer, layer + 1], [y0, y1], color=color, zorder=1,
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
                       Line2D([], [], color=plots.COLORS["vermillion"], lw=3,
                              label="negative weight")],
              loc="lower center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    return ax


def benchmark_cases():
    sweep = [{"w1": w1} for w1 in np.linspace(-5.0, 5.0, 21).round(1)]
    mixed = [{"w1": w1, "w2": w2, "b": b, "activation": f, "x1": x1, "x2": x2}
             for w1, w2, b, f, x1, x2 in ((2.0, -1.0, 0.5, "sigmoid", 1.0, 0.5),
                                          (0.5, 3.0, -2.0, "tanh", -2.0, 1.0),
                                          (-4.0, 1.0, 5.0, "relu", 3.0, -3.0),
                                          (0.0, 0.0, 1.0, "sigmoid", 0.0, 0.0),
                                          (1.5, 1.5, 0.0, "elu", -1.0, -1.0),
                                          (5.0, -5.0, -5.0, "identity", 2.5, 0.5))]
    return [("neuron_explorer: weight slider", neuron_explorer, sweep),
            ("neuron_explorer: every control", neuron_explorer, mixed)]
