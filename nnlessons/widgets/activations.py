r"""Lesson 08: activation functions, vanishing gradients and dying ReLUs.

Three views side by side:

1. an activation $f(z)$ and its derivative $f'(z)$;
2. the size of the gradient $\partial L/\partial W^l$ in every layer of a deep, narrow network, for
   sigmoid, tanh and ReLU (log scale). Backpropagation multiplies by $f'(z)$ once per layer:
   sigmoid's slope is at most 1/4, so its gradients shrink geometrically towards the input;
   the starting weights' scale (initialisation) multiplies in too;
3. the share of hidden units whose input is $z \le 0$ for every training example while training
   on two moons, for ReLU and for leaky ReLU, at a learning rate you choose. A unit is
   *inactive* for an example when its $z \le 0$ there; inactive for every example, a ReLU unit
   is *dead*: its slope is 0 everywhere, no gradient reaches its weights, and it never changes
   again. A leaky unit is never dead: below zero its slope is still 0.01, so it keeps learning,
   a hundred times slower (`silent_units` measures it).
"""
from dataclasses import dataclass
from types import MappingProxyType

import ipywidgets as w
import numpy as np
from matplotlib.ticker import LogLocator, NullLocator

from .. import activations as act
from .. import data, plots
from ..network import MLP
from ..training import fit
from ._base import Explorer, Memo, choice, readonly
from ._layers import fixed_legend
from ._layout import freeze_layout

__all__ = ["activation_explorer", "ActivationExplorer", "ActivationState", "gradient_sizes",
           "gradient_limits", "layer_sizes", "dead_unit_shares", "dead_shares_by_layer",
           "silent_units", "ACTIVATIONS", "INITS"]

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu")
INITS = {"Xavier / He (auto)": "auto", "small (std 0.01)": 0.01, "large (std 1)": 1.0}
WIDTH = 32
DEAD_EPOCHS = 30
MIN_DEPTH, MAX_DEPTH = 2, 30
Z = readonly(np.linspace(-5.0, 5.0, 201))
# one style per legend entry, for the line and for its legend
SHAPE_STYLES = {"f(z)": {"color": plots.COLORS["blue"]},
                "f'(z)": {"color": plots.COLORS["vermillion"], "ls": "--"}}
# the curves differ in marker and line style as well as colour
GRADIENT_STYLES = {name: {"color": plots.COLORS[color], "marker": marker, "ls": ls, "ms": 4}
                   for name, color, marker, ls in (("sigmoid", "blue", "o", "-"),
                                                   ("tanh", "orange", "s", "--"),
                                                   ("relu", "green", "^", ":"))}
DEAD_STYLES = {"relu": {"color": plots.COLORS["green"], "marker": "o", "ls": "-", "ms": 3},
               "leaky_relu": {"color": plots.COLORS["purple"], "marker": "s", "ls": "--",
                              "ms": 3}}


def gradient_sizes(activation, depth, init="auto", width=WIDTH, seed=0):
    r"""Root-mean-square of $\partial L/\partial W^l$ for each of `depth` layers (input side
    first) of a network `width` wide, for one random batch and $\partial L/\partial a = 1/n$."""
    if activation not in act.ELEMENTWISE:
        raise ValueError(f"activation must be one of {', '.join(act.ELEMENTWISE)}; "
                         f"got {activation!r}")
    if not (isinstance(depth, (int, np.integer)) and depth >= 1):
        raise ValueError(f"depth must be a whole number >= 1; got {depth!r}")
    net = MLP([width] * (depth + 1), activation, seed=seed, init=init)
    X = np.random.default_rng(seed).normal(size=(64, width))
    with np.errstate(under="ignore"):
        out = net.forward(X)
        grads = net.backward(np.full_like(out, 1.0 / len(X)))
        return readonly([np.sqrt(np.mean(grads[f"W{l}"] ** 2)) for l in range(1, depth + 1)])


def layer_sizes(activation, depth, init="auto", width=WIDTH, seed=0):
    r"""What `gradient_sizes` multiplies, layer by layer (input side first), for the same network
    and batch: `"delta"` the RMS of $\delta^l = \partial L/\partial z^l$, `"inputs"` the RMS of
    the layer's inputs $a^{l-1}$ (layer 1's are the data), `"slope"` the mean of $f'(z^l)$.
    The weight gradient $\partial L/\partial W^l = (a^{l-1})^\top \delta^l$ is built from the
    inputs and the deltas, but its RMS is not the product of their RMS values: it sums, over the
    examples, products that partly cancel. The two say which way each part goes, not how much
    of the gradient each accounts for."""
    gradient_sizes(activation, depth, init, width, seed)  # checks the arguments
    net = MLP([width] * (depth + 1), activation, seed=seed, init=init)
    X = np.random.default_rng(seed).normal(size=(64, width))
    f_prime = act.get(activation)[1]
    with np.errstate(under="ignore"):
        out = net.forward(X)
        net.backward(np.full_like(out, 1.0 / len(X)))
        rms = lambda values: readonly([np.sqrt(np.mean(v ** 2)) for v in values])  # noqa: E731
        return {"delta": rms(net.deltas), "inputs": rms(net.activations[:-1]),
                "slope": readonly([np.mean(f_prime(z)) for z in net.zs])}


def gradient_limits(sizes_of=gradient_sizes):
    """Whole decades that hold every gradient size the explorer can show, for fixed axes.

    Backpropagation multiplies once per layer, so a size grows or shrinks geometrically with
    depth: the extremes are those of the deepest network (the shallowest is checked too).
    `sizes_of` computes the sizes (an explorer passes its memory of `gradient_sizes`)."""
    sizes = np.concatenate([sizes_of(name, depth, init)
                            for name in GRADIENT_STYLES for init in INITS.values()
                            for depth in (MIN_DEPTH, MAX_DEPTH)])
    positive = sizes[sizes > 0]
    return (10.0 ** np.floor(np.log10(positive.min())),
            10.0 ** np.ceil(np.log10(positive.max())))


def dead_unit_shares(activation, learning_rate, epochs=DEAD_EPOCHS, seed=0):
    """Train a 2-32-32-2 network on two moons; after every epoch record the share of hidden
    units whose input is <= 0 for every training example (dead, for ReLU; merely inactive
    everywhere, for leaky ReLU). Returns (shares, accuracy, message)."""
    shares, history, _, _ = _train_moons(activation, learning_rate, epochs, seed)
    accuracy = history.train_accuracy[-1] if history.train_accuracy else None
    return readonly(shares), accuracy, history.message if history.diverged else ""


def silent_units(activation, learning_rate, epochs=DEAD_EPOCHS, seed=0):
    """After the training of `dead_unit_shares`: the number of hidden units with z <= 0 on every
    training example, and the largest gradient that reaches the incoming weights of any of
    them over the whole training set. For ReLU it is exactly 0 (they are dead); for leaky ReLU
    it is not (they still learn). Returns (units, largest gradient)."""
    _, _, net, (X, y) = _train_moons(activation, learning_rate, epochs, seed)
    _, grads = net.loss_and_gradients(X, y, "cross_entropy")
    silent = [np.all(z <= 0, axis=0) for z in net.zs[:-1]]  # the forward pass of that call
    largest = max((float(np.abs(grads[f"W{l + 1}"][:, units]).max())
                   for l, units in enumerate(silent) if units.any()), default=0.0)
    return int(sum(units.sum() for units in silent)), largest


def dead_shares_by_layer(activation, learning_rate, epochs=DEAD_EPOCHS, seed=0):
    """The training of `dead_unit_shares`, with the share of units whose input is <= 0 for every
    training example kept per hidden layer: an array (epochs + 1, 2), first hidden layer in
    column 0. A first-layer unit's inputs are the data, which never change, so a dead one stays
    dead; a second-layer unit's inputs are the first layer's outputs, which change as the
    first layer trains, so a unit dead for today's inputs may not be for tomorrow's."""
    shares, _, _, _ = _train_moons(activation, learning_rate, epochs, seed, _dead_by_layer)
    return readonly(shares)


def _dead_by_layer(net, X):
    net.forward(X)
    return [float(np.mean(np.all(z <= 0, axis=0))) for z in net.zs[:-1]]


def _train_moons(activation, learning_rate, epochs, seed, measure=None):
    measure = _dead_share if measure is None else measure
    X, y = data.two_moons(200, 0.1, seed=seed)
    net = MLP([2, WIDTH, WIDTH, 2], [activation, activation, "softmax"], seed=seed)
    shares = [measure(net, X)]

    def record(epoch, history):
        shares.append(measure(net, X))

    history = fit(net, X, y, epochs=epochs, batch_size=20, learning_rate=learning_rate,
                  seed=seed, on_epoch_end=record)
    return shares, history, net, (X, y)


def _dead_share(net, X):
    net.forward(X)
    return float(np.mean(np.concatenate([np.all(z <= 0, axis=0) for z in net.zs[:-1]])))


@dataclass(frozen=True, eq=False)
class ActivationState:
    """An activation's values `f` and slopes `f_prime` over `z`; the gradient sizes per layer
    of networks `depth` layers deep (by activation); and the dead-unit shares, accuracy and
    any divergence message of the two-moons runs at `learning_rate` (by activation)."""
    activation: str
    z: np.ndarray
    f: np.ndarray
    f_prime: np.ndarray
    depth: int
    init: str
    sizes: MappingProxyType
    learning_rate: float
    dead: MappingProxyType
    message: str = ""


class ActivationExplorer(Explorer):
    title = "Activations: slopes, vanishing gradients and dying ReLUs"
    figsize = (11.0, 3.75)
    nrows, ncols = 1, 3
    width_ratios = (0.8, 1.0, 1.0)
    # one background per learning rate (see `background_key`): going back to a rate tried
    # before costs no more than a drag
    backgrounds_kept = 8

    def __init__(self, activation="sigmoid", depth=10, init="Xavier / He (auto)",
                 learning_rate=0.1):
        self._sizes = Memo(gradient_sizes, 256)
        self._dead = Memo(dead_unit_shares, 128)
        self._limits = gradient_limits(self._sizes)
        style = {"description_width": "initial"}
        controls = {
            "activation": choice(ACTIVATIONS, activation, "activation",
                                 "the activation drawn with its slope in the left panel"),
            "depth": w.IntSlider(depth, MIN_DEPTH, MAX_DEPTH, description="layers (depth)",
                                 tooltip="number of layers of the networks in the middle panel",
                                 style=style),
            "init": choice(list(INITS), init, "starting weights",
                           "how the deep networks' weights are drawn before training"),
            # a new rate trains two networks: train once the slider is let go
            "learning_rate": w.FloatLogSlider(learning_rate, base=10, min=-2, max=1, step=0.1,
                                              description="learning rate η (dead units)",
                                              style=style, continuous_update=False),
        }
        super().__init__(controls)
        freeze_layout(self)

    def compute(self, activation="sigmoid", depth=10, init="Xavier / He (auto)",
                learning_rate=0.1):
        f, f_prime = act.get(activation)
        scale = INITS[init]
        sizes = {name: self._sizes(name, int(depth), scale) for name in ("sigmoid", "tanh",
                                                                          "relu")}
        rate = float(np.round(learning_rate, 6))
        dead = {name: self._dead(name, rate) for name in ("relu", "leaky_relu")}
        notes = [d[2] for d in dead.values() if d[2]]
        for name, g in sizes.items():
            positive = g[g > 0]
            if positive.size < g.size:
                notes.append(f"{name}: some layers get exactly zero gradient (every unit dead).")
            elif g[0] < 1e-6 * g[-1]:
                notes.append(f"{name}: the first layer's gradient is {g[0] / g[-1]:.1e} times the "
                             f"last layer's; it has all but vanished.")
            elif g[0] > 1e6 * g[-1]:
                notes.append(f"{name}: the first layer's gradient is {g[0] / g[-1]:.1e} times the "
                             f"last layer's; it explodes.")
        return ActivationState(activation, Z, readonly(f(Z)), readonly(f_prime(Z)), int(depth),
                               init, MappingProxyType(sizes), rate, MappingProxyType(dead),
                               " ".join(notes))

    def background_key(self, state):
        # every axis is fixed for all settings, so the panels stop jumping; the right panel
        # (two networks trained at the learning rate) changes only with the rate, which
        # updates once let go: it is drawn with the background, so a drag of the depth or a
        # new activation redraws only the other two panels
        return (state.learning_rate,)

    def draw_background(self, state):
        shape, grads, dead = self.axes
        shape.set_xlim(Z[0], Z[-1])
        shape.set_ylim(-1.6, 2.6)
        plots.label(shape, "", "z", "value", legend=False)
        # legends whose entries never change are drawn once, in places no setting's data reaches
        fixed_legend(shape, SHAPE_STYLES, loc="upper left")
        grads.set_yscale("log")
        grads.set_xlim(0.5, MAX_DEPTH + 0.5)
        grads.set_ylim(*self._limits)
        # one tick per ten decades: the range spans dozens of them
        grads.yaxis.set_major_locator(LogLocator(base=10.0 ** 10))
        grads.yaxis.set_minor_locator(NullLocator())
        plots.label(grads, "", "layer (1 = nearest the input)", "RMS of dL/dW (log)",
                    legend=False)
        fixed_legend(grads, GRADIENT_STYLES, loc="upper left", ncols=3, columnspacing=0.8,
                     handlelength=1.8)
        dead.set_xlim(-0.5, DEAD_EPOCHS + 0.5)
        dead.set_ylim(-3, 103)
        plots.label(dead, "", "epoch", "share of hidden units (%)", legend=False)
        self._draw_dead_units(dead, state)

    def _draw_dead_units(self, dead, state):
        for name, style in DEAD_STYLES.items():
            shares, accuracy, note = state.dead[name]
            kind = "dead" if name == "relu" else "inactive"
            label = f"{name} ({kind})\n" + (f"accuracy {accuracy:.2f}" if accuracy is not None
                                            else "diverged")
            dead.plot(np.arange(len(shares)), 100 * shares, label=label, **style)
        # two digits keep the longest title (a rate like 0.0158) inside the frozen layout
        dead.set_title(f"Units with z ≤ 0, rate {state.learning_rate:.2g}")
        dead.legend(loc="best", framealpha=0.9)

    def draw(self, state):
        shape, grads, _ = self.axes
        shape.plot(state.z, state.f, **SHAPE_STYLES["f(z)"])
        shape.plot(state.z, state.f_prime, **SHAPE_STYLES["f'(z)"])
        shape.set_title(f"{state.activation} and its slope")
        layers = np.arange(1, state.depth + 1)
        for name, g in state.sizes.items():
            shown = np.where(g > 0, g, np.nan)   # log axes cannot show 0
            grads.plot(layers, shown, **GRADIENT_STYLES[name])
        grads.set_title(f"Gradient per layer, {state.init.split(' (')[0]} start")

    def describe(self, state):
        sizes = ", ".join(f"{name} {g[0] / g[-1]:.1e}" if g[-1] > 0 else f"{name} n/a"
                          for name, g in state.sizes.items())
        dead = ", ".join(f"{name} {100 * d[0][-1]:.0f}%" for name, d in state.dead.items())
        return (f"The pictures: {state.activation} and its slope (left), the gradient's size "
                f"per layer of {state.depth}-layer sigmoid, tanh and relu networks (middle), "
                f"the share of hidden units with z ≤ 0 while two networks train at learning "
                f"rate {state.learning_rate:.2g} (right). "
                f"First layer's gradient / last layer's ({state.depth} layers): {sizes}. "
                f"Hidden units with z ≤ 0 on every example after {DEAD_EPOCHS} epochs: {dead}. "
                f"ReLU's are dead (slope 0: no gradient ever reaches them); leaky ReLU's are only "
                f"inactive: through their slope of 0.01 they still learn, slowly.")


def activation_explorer(activation="sigmoid", depth=10, init="Xavier / He (auto)",
                        learning_rate=0.1):
    """An activation and its slope; gradient size per layer for sigmoid, tanh and ReLU; dead
    ReLU units against leaky ReLU at a chosen learning rate."""
    return ActivationExplorer(activation, depth, init, learning_rate)


def benchmark_cases():
    settings = [{"activation": a, "depth": d, "init": i, "learning_rate": lr}
                for a, d, i, lr in (("sigmoid", 10, "Xavier / He (auto)", 0.1),
                                    ("tanh", 20, "Xavier / He (auto)", 0.1),
                                    ("relu", 20, "small (std 0.01)", 1.0),
                                    ("leaky_relu", 5, "large (std 1)", 2.0),
                                    ("elu", 30, "Xavier / He (auto)", 0.1),
                                    ("sigmoid", 2, "large (std 1)", 10.0))]
    # the slider that redraws while dragging: depth, at one rate and activation
    depths = [{"depth": d} for d in list(range(2, MAX_DEPTH + 1, 3)) + [MAX_DEPTH]]
    return [("activation_explorer", activation_explorer, settings),
            ("activation_explorer: depth slider", activation_explorer, depths)]
