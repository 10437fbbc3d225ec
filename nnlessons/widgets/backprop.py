r"""Lesson 05: backpropagation, one step at a time, on a network small enough to draw.

The network is the package's own `MLP([2, hidden, 1], "sigmoid")`, 2 or 3 hidden neurons; it
learns one example with the squared error $L = (y - t)^2$, trained by `nnlessons.training.fit`
with one update per epoch. Each *round* is six steps:

1. forward through the hidden layer: $z^1 = x W^1 + b^1$, $h = \sigma(z^1)$;
2. forward through the output: $z^2 = h W^2 + b^2$, $y = \sigma(z^2)$;
3. the loss $L = (y - t)^2$;
4. backward through the output layer: $\delta^2 = 2(y - t)\,\sigma'$,
   $\partial L/\partial W^2 = h^\top\delta^2$;
5. backward through the hidden layer: $\delta^1 = (\delta^2 (W^2)^\top) \odot \sigma'$,
   $\partial L/\partial W^1 = x^\top\delta^1$;
6. the update $w \leftarrow w - \eta\,\partial L/\partial w$ for every weight and bias.

Every number the stepper writes is one the network kept: `fit`'s `on_update` hook sees each
update before its step, while the network still holds that example's `zs`, `activations` and
`deltas`. $\sigma'$ written with the neuron's output $a$ is $a(1 - a)$. The "wrong derivative"
switch builds the network with `derivatives={"sigmoid": wrong_sigmoid_derivative}`, the slope
$a(a - 1)$ of a widely read write-up: backpropagation uses it, the loss climbs, and the gradient
check (backprop against central differences of `MLP.loss`) fails.
"""
import html
from dataclasses import dataclass
from types import MappingProxyType

import ipywidgets as w
import numpy as np
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.ticker import NullLocator

from .. import plots
from ..calculus import AGREE, numerical_gradient, relative_error, verdict
from ..network import MLP
from ..training import fit
from ._base import Explorer, Memo, readonly
from ._layout import freeze_layout

__all__ = ["backprop_stepper", "BackpropStepper", "Round", "StepperState", "stepper_network",
           "initial_parameters", "wrong_sigmoid_derivative", "train_rounds", "gradient_check",
           "draw_backward_pass",
           "check_passes", "check_verdict", "PHASES", "EXAMPLE", "TARGET"]

PHASES = ("forward: hidden layer", "forward: output", "loss", "backward: output layer",
          "backward: hidden layer", "update")
EXAMPLE = readonly([1.0, 0.5])   # the one input the network learns
TARGET = 0.2                     # ... and its target output
ROUNDS = 40                      # rounds the stepper can show
PARAMS = ("W1", "b1", "W2", "b2")
LOSS_FLOOR = 1e-6                # the loss axis's bottom: a working run gets there in 40 rounds
NODE_STYLE = {"ls": "none", "marker": "o", "ms": 32, "mfc": "white", "mec": plots.COLORS["blue"],
              "mew": 2, "zorder": 2}
NOTE_BOX = {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.75", "lw": 0.8}
NODE_RIM = 17.0                  # points from a neuron's centre to the outside of its ring
CHECK_FLOOR = 1e-10              # gradients this close agree, however small (see `check_passes`)
FONT = 11                        # points: every number on the drawing reads from a projector


def _rim(ax, centre, towards):
    """The point where the edge from a neuron at `centre` to `towards` leaves the neuron's ring.
    Found on the screen, where the ring is round, with the axes where the layout put them."""
    a, b = ax.transData.transform([centre, towards])
    step = (b - a) / np.hypot(*(b - a)) * NODE_RIM * ax.figure.dpi / 72.0
    return ax.transData.inverted().transform(a + step)


def _positions(hidden):
    """Where the 2 inputs, the `hidden` hidden neurons and the output sit on the drawing."""
    return ([(0.0, 0.75), (0.0, -0.75)], [(1.45, y) for y in np.linspace(1.2, -1.2, hidden)],
            (2.5, 0.0))


def _small(value):
    """A gradient or delta with 4 decimals, or in powers of ten once those would read 0.0000."""
    return f"{value:+.4f}" if value == 0 or abs(value) >= 5e-5 else f"{value:+.1e}"


def _edge_label_at(layer):
    """How far along an edge (0 at its source, 1 at its target) its weight is written. The
    input layer's edges cross in the middle: written near the neuron they feed, their labels
    stand in one column, in pairs, one pair per hidden neuron."""
    return 0.68 if layer == 1 else 0.5


def wrong_sigmoid_derivative(y):
    r"""The sigmoid's slope as a widely read write-up prints it, $y(y - 1)$ with the neuron's
    output $y = \sigma(z)$: the right one, $y(1 - y)$, with the wrong sign. For `MLP`'s
    `derivatives`, which take the output, as backpropagation computes the slope."""
    return y * (y - 1.0)


def stepper_network(hidden=2, wrong=False, seed=3):
    """The stepper's `MLP([2, hidden, 1], "sigmoid")` at its starting weights (standard
    deviation 1, biases 0); with `wrong`, backpropagation uses `wrong_sigmoid_derivative`."""
    if hidden not in (2, 3):
        raise ValueError(f"hidden must be 2 or 3; got {hidden!r}")
    return MLP([2, hidden, 1], "sigmoid", seed=seed, init=1.0,
               derivatives={"sigmoid": wrong_sigmoid_derivative} if wrong else None)


def initial_parameters(hidden, seed=3):
    """The starting weights and biases of `stepper_network(hidden)`, by name (copies)."""
    net = stepper_network(hidden, seed=seed)
    return {name: p.copy() for name, p in net.parameters().items()}


def _one_example(x=EXAMPLE, target=TARGET):
    return np.asarray(x, dtype=np.float64).reshape(1, -1), np.array([[float(target)]])


def _compare(net, grads, X, T):
    """Backprop's `grads` against central differences of `net.loss`, every parameter in one
    vector: `(relative error, largest difference)`. `numerical_gradient` nudges the network's
    own weights, one at a time, and puts each back."""
    numeric = np.concatenate([numerical_gradient(lambda _: net.loss(X, T, "mse"), p).ravel()
                              for p in net.parameters().values()])
    analytic = np.concatenate([grads[name].ravel() for name in net.parameters()])
    return relative_error(analytic, numeric), float(np.abs(analytic - numeric).max())


def gradient_check(net, x=EXAMPLE, target=TARGET):
    """Relative error between `net`'s backpropagation and central differences of its loss, over
    every weight and bias, for the example `x` with its `target`."""
    X, T = _one_example(x, target)
    return _compare(net, net.loss_and_gradients(X, T, "mse")[1], X, T)[0]


def check_verdict(relative, difference):
    """How to read the stepper's gradient check: `calculus.verdict`, the course's one rule
    ("agree" at a relative error of about 1e-7 or less, "a bug" at 1e-2 or more, "look closer"
    between), except where both gradients have all but vanished (a loss near 0): central
    differences are then off by their own error, about 1e-12 here, which is large beside a
    gradient of 1e-7. So two gradients that differ by less than `CHECK_FLOOR` agree too."""
    return "agree" if difference < CHECK_FLOOR else verdict(relative)


def check_passes(relative, difference):
    """Does backprop agree with central differences? `check_verdict` says "agree"."""
    return check_verdict(relative, difference) == "agree"


def _frozen(arrays):
    return MappingProxyType({name: readonly(a) for name, a in arrays.items()})


@dataclass(frozen=True, eq=False)
class Round:
    """One round of the stepper, as the network computed it: the parameters before the update
    (`params`) and after it (`new`), the forward pass (`z1`, `h`, `z2`, `y` for the one
    example), the `loss`, the deltas and gradients of backpropagation, and the gradient check
    (its relative error `check`, the largest `difference`, its `verdict` by the course's rule,
    and whether it `passes`: the verdict is "agree")."""
    params: MappingProxyType
    z1: np.ndarray
    h: np.ndarray
    z2: np.ndarray
    y: np.ndarray
    loss: float
    delta1: np.ndarray
    delta2: np.ndarray
    grads: MappingProxyType
    check: float
    difference: float
    verdict: str
    passes: bool
    new: MappingProxyType


def train_rounds(hidden=2, learning_rate=1.0, wrong=False, rounds=ROUNDS, seed=3):
    """Train `stepper_network(hidden, wrong)` on the one example for `rounds` rounds with `fit`
    (one update per epoch, batch size 1) and return a `Round` per update, recorded by
    `on_update` while the network still holds what that update's forward and backward passes
    computed."""
    net = stepper_network(hidden, wrong, seed)
    X, T = _one_example()
    seen = []

    def record(update):
        relative, difference = _compare(net, update.gradients, X, T)
        seen.append(dict(params=_frozen(net.parameters()), z1=readonly(net.zs[0][0]),
                         h=readonly(net.activations[1][0]), z2=readonly(net.zs[1][0]),
                         y=readonly(net.activations[2][0]), loss=update.loss,
                         delta1=readonly(net.deltas[0][0]), delta2=readonly(net.deltas[1][0]),
                         grads=_frozen(update.gradients), check=relative,
                         difference=difference,
                         verdict=check_verdict(relative, difference),
                         passes=check_passes(relative, difference)))

    fit(net, X, T, loss="mse", epochs=rounds, batch_size=1, learning_rate=learning_rate,
        on_update=record)
    after = [r["params"] for r in seen[1:]] + [_frozen(net.parameters())]
    return tuple(Round(**r, new=new) for r, new in zip(seen, after))


def _draw_graph(ax):
    """The network's fixed part: its edges, its neurons (2 hidden: the top and bottom ones of
    3), their names and the input's values."""
    xs, (top, *_, bottom), out = _positions(2)
    for x0, y0 in xs:
        for x1, y1 in (top, bottom):
            ax.plot([x0, x1], [y0, y1], color="0.6", lw=1.2, zorder=1)
    for x0, y0 in (top, bottom):
        ax.plot([x0, out[0]], [y0, out[1]], color="0.6", lw=1.2, zorder=1)
    nodes = xs + [top, bottom, out]
    ax.plot([p[0] for p in nodes], [p[1] for p in nodes], **NODE_STYLE)
    for name, (x0, y0) in zip(("x1", "x2", "h1", None, "y"), nodes):
        if name:  # the bottom hidden neuron is h2 or h3: its name is drawn per update
            ax.text(x0, y0, name, ha="center", va="center", fontsize=FONT, zorder=4)
    for (x0, y0), va, side in zip(xs, ("bottom", "top"), (1, -1)):  # x1 above, x2 below
        ax.text(x0, y0 + side * 0.26, f"x{1 if side > 0 else 2} = "
                f"{EXAMPLE[0 if side > 0 else 1]:.2f}", ha="center", va=va,
                fontsize=FONT, zorder=4)
    ax.set_xlim(-0.3, 3.55)
    ax.set_ylim(-2.25, 1.75)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)


def _write_values(ax, now, phase, hidden, learning_rate, wrong=None):
    """What the round `now` has computed by its step `phase` (0 to 5, or None for everything
    up to the backward pass), written on the network: weights, gradients, the hidden and output
    values, deltas, the loss and the gradient check. With `wrong` given (the stepper), the
    derivative in use and this round's gradient check are written at every step: they belong to
    the round, and the wrong derivative must show at its first step too."""
    always = wrong is not None
    phase = 4 if phase is None else phase   # step 5 of 6 shows the whole backward pass
    params = now.new if phase == 5 else now.params
    g = now.grads
    xs, hs, out = _positions(hidden)
    blue, orange, red = plots.COLORS["blue"], plots.COLORS["orange"], plots.COLORS["vermillion"]
    if len(hs) == 3:
        # the middle neuron's edges stop at the rims of the neurons the background drew
        # (drawn on top of those, they would cross them); the middle neuron covers its own end
        middle = hs[1]
        ends = [_rim(ax, node, middle) for node in (*xs, out)]
        ax.plot([p for end in ends for p in (end[0], middle[0], np.nan)],
                [p for end in ends for p in (end[1], middle[1], np.nan)],
                color="0.6", lw=1.2, zorder=1)
        ax.plot(*middle, **NODE_STYLE)
        ax.text(*middle, "h2", ha="center", va="center", fontsize=FONT, zorder=4)
    ax.text(*hs[-1], f"h{len(hs)}", ha="center", va="center", fontsize=FONT, zorder=4)
    for layer, (sources, targets, W) in enumerate(((xs, hs, "W1"), (hs, [out], "W2")), 1):
        backward_done = (phase >= 4) if layer == 1 else (phase >= 3)
        shows_gradient = backward_done and phase < 5
        t = _edge_label_at(layer)
        for i, (x0, y0) in enumerate(sources):
            for j, (x1, y1) in enumerate(targets):
                text = f"w {params[W][i, j]:+.3f}"
                if shows_gradient:
                    text += f"\ng {_small(g[W][i, j])}"
                ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), text, ha="center",
                        va="center", fontsize=FONT, linespacing=1.1,
                        color=red if shows_gradient else "black",
                        bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none"},
                        zorder=3)
    for j, (x0, y0) in enumerate(hs):
        notes = f"h = {now.h[j]:.3f}\nz = {now.z1[j]:+.3f}\nb = {params['b1'][j]:+.3f}"
        if phase == 4:
            notes += f"\nδ = {_small(now.delta1[j])}"
        ax.text(x0, y0 - 0.26, notes, ha="center", va="top", fontsize=FONT,
                linespacing=1.1, color=red if phase == 4 else "black", bbox=NOTE_BOX,
                zorder=4)
    notes = f"b = {params['b2'][0]:+.3f}"
    if phase >= 1:
        notes = f"y = {now.y[0]:.3f}\nz = {now.z2[0]:+.3f}\n" + notes
    if 3 <= phase < 5:
        notes += f"\nδ = {_small(now.delta2[0])}"
    ax.text(out[0], out[1] - 0.26, notes, ha="center", va="top", fontsize=FONT,
            linespacing=1.1, color=red if 3 <= phase < 5 else "black", bbox=NOTE_BOX,
            zorder=4)
    if phase >= 2:
        ax.text(2.77, 0.0, f"L = (y - t)²\n= ({now.y[0]:.3f} - {TARGET})²\n"
                           f"= {now.loss:.4g}", ha="left", va="center", fontsize=FONT + 1,
                color=orange, fontweight="bold")
    if phase >= 3 or always:
        detail = (f"relative error {now.check:.1e}" if now.check <= AGREE or not now.passes
                  else f"gradients ≈ 0: they differ\nby {now.difference:.0e} only")
        color = {"agree": plots.COLORS["green"], "look closer": orange, "a bug": red}
        text = f"gradient check: {now.verdict}\n{detail}"
        if always:
            y = float(now.y[0])
            slope = "σ' used: " + ("y(y - 1)" if wrong else "y(1 - y)")
            if phase >= 1:  # from the step that computes y
                slope += f" = {y * (y - 1.0) if wrong else y * (1.0 - y):+.3f}"
            text = f"{slope}\ngradient check, this round:\n{now.verdict}, {detail}"
        ax.text(-0.28, -2.2, text, ha="left", va="bottom", fontsize=FONT, linespacing=1.1,
                fontweight="bold", color=color[now.verdict])
    if phase == 5:
        ax.text(1.45, 1.72, f"updated: w ← w - {learning_rate:g} × g",
                ha="center", va="top", fontsize=FONT + 1, color=blue)


@dataclass(frozen=True, eq=False)
class StepperState:
    """What the stepper shows: `round` and `phase` (both from 0) of the run at these settings,
    that round (`now`), the losses of the rounds so far, and the whole runs with the right and
    the wrong derivative, for the faint curves."""
    round: int
    phase: int
    phase_name: str
    hidden: int
    learning_rate: float
    wrong: bool
    now: Round
    losses: np.ndarray
    right_losses: np.ndarray
    wrong_losses: np.ndarray
    message: str = ""


class BackpropStepper(Explorer):
    """Controls a hand can use: a **round** slider (40 values), a **step** slider for the six
    steps of a round, and previous / next step buttons that walk across rounds, one click per
    step. The readout and the drawing show at every step the derivative in use and this round's
    gradient check, so the wrong-derivative switch shows its effect even at the first step."""
    title = "Backpropagation, step by step"
    figsize = (11.0, 4.7)
    nrows, ncols = 1, 2
    width_ratios = (2.1, 1.0)  # the network's numbers need the room more than the loss curve

    def __init__(self, hidden=2, learning_rate=1.0, wrong=False):
        self._runs = Memo(train_rounds, 64)
        style = {"description_width": "initial"}
        controls = {
            "round": w.IntSlider(1, 1, ROUNDS, description="round", style=style,
                                 tooltip="which round (one forward pass, backward pass and "
                                         "update) to show",
                                 layout=w.Layout(width="330px")),
            "step": w.IntSlider(1, 1, len(PHASES), description="step of the round", style=style,
                                tooltip="1 forward: hidden, 2 forward: output, 3 loss, "
                                        "4 backward: output, 5 backward: hidden, 6 update",
                                layout=w.Layout(width="250px")),
            "hidden": w.ToggleButtons(options=[2, 3], value=hidden, description="hidden neurons",
                                      tooltips=["2 hidden neurons", "3 hidden neurons"],
                                      style={**style, "button_width": "42px"}),
            # a new rate trains twice (the right and the wrong derivative): once the slider is
            # let go
            "learning_rate": w.FloatSlider(learning_rate, min=0.1, max=5.0, step=0.1,
                                           description="learning rate η", style=style,
                                           continuous_update=False,
                                           layout=w.Layout(width="270px")),
            "wrong": w.Checkbox(wrong, description="wrong sigmoid derivative y(y - 1)",
                                indent=False, layout=w.Layout(width="270px")),
        }
        self.previous = w.Button(description="◀ previous step", layout=w.Layout(width="125px"),
                                 tooltip="one step back (across rounds)")
        self.next = w.Button(description="next step ▶", layout=w.Layout(width="125px"),
                             tooltip="one step on (across rounds)")
        self.previous.on_click(self.guarded(lambda _: self.walk(-1)))
        self.next.on_click(self.guarded(lambda _: self.walk(+1)))
        super().__init__(controls)
        freeze_layout(self)
        if hidden == 3:
            self.update()  # the middle neuron's edges were placed before the first layout

    def control_widgets(self):
        c = self.controls
        return [c["round"], c["step"], self.previous, self.next, c["hidden"],
                c["learning_rate"], c["wrong"]]

    # ---- walking: one step is a (round, step) pair, numbered 0 to ROUNDS * 6 - 1 ------------
    def position(self):
        """The step shown, counted from 0 across rounds (round 1 step 1 is 0)."""
        return (self.controls["round"].value - 1) * len(PHASES) + self.controls["step"].value - 1

    def go_to(self, position):
        """Show step `position` (counted from 0 across rounds, clipped to the run)."""
        position = int(np.clip(position, 0, ROUNDS * len(PHASES) - 1))
        n, phase = divmod(position, len(PHASES))
        return self.set(round=n + 1, step=phase + 1)

    def walk(self, by):
        """The previous (`by` -1) or next (+1) step, from a round's last step to the next's
        first."""
        return self.go_to(self.position() + by)

    def update(self):
        png = super().update()
        at = self.position()
        self.previous.disabled = at <= 0
        self.next.disabled = at >= ROUNDS * len(PHASES) - 1
        return png

    def compute(self, round=1, step=1, hidden=2, learning_rate=1.0, wrong=False):
        hidden, learning_rate, wrong = int(hidden), float(learning_rate), bool(wrong)
        right = self._runs(hidden, learning_rate, False)
        buggy = self._runs(hidden, learning_rate, True)
        rounds = buggy if wrong else right
        n = int(np.clip(round, 1, len(rounds))) - 1
        phase = int(np.clip(step, 1, len(PHASES))) - 1
        now = rounds[n]
        message = ""
        if not now.passes:
            message = (f"Gradient check of round {n + 1}: {now.verdict} (relative error "
                       f"{now.check:.2g}; 1e-7 or less would agree). " + (
                           "The derivative y(y - 1) has the wrong sign: the output layer steps "
                           "uphill and the loss climbs." if wrong else
                           "Compare backprop with the formulas step by step."))
        losses = [r.loss for r in rounds]
        return StepperState(n, phase, PHASES[phase], hidden, learning_rate, wrong, now,
                            readonly(losses[:n + 1]), readonly([r.loss for r in right]),
                            readonly([r.loss for r in buggy]), message)

    def describe(self, state):
        now = state.now
        y = float(now.y[0])
        used = y * (y - 1.0) if state.wrong else y * (1.0 - y)
        name = "wrong y(y - 1)" if state.wrong else "right y(1 - y)"
        hidden = ", ".join(f"{(a * (a - 1.0) if state.wrong else a * (1.0 - a)):+.4f}"
                           for a in now.h)
        rule = verdict(now.check)
        return (f"Round {state.round + 1} of {ROUNDS}, step {state.phase + 1} of 6 "
                f"({html.escape(state.phase_name)}) of the 2-{state.hidden}-1 network: output "
                f"y = {y:.4f}, loss {now.loss:.4g}. Sigmoid derivative in use: <b>{name}</b>, "
                f"σ'(y) = {used:+.4f} at the output, {hidden} at the hidden neurons. Gradient "
                f"check of this round: relative error {now.check:.1e}, <b>{now.verdict}</b>"
                + ("" if rule == now.verdict else
                   f" (both gradients ≈ 0: they differ by {now.difference:.0e} only)")
                + ".")

    # ---- drawing ---------------------------------------------------------------------------
    # Two layers (see `_layers`): the background holds what neither the step nor the controls
    # change, so that switching between 2 and 3 hidden neurons costs no full redraw. The hidden
    # neurons at the top and bottom sit in the same place for both sizes; only the middle one of
    # three, with its edges, is drawn per update.
    def background_key(self, state):
        return ()

    def draw_background(self, state):
        graph, curve = self.axes
        _draw_graph(graph)

        # a log scale fits both network sizes and every learning rate without moving: the loss
        # (y - t)² stays below 0.8² < 1, and falls by orders of magnitude when training works
        curve.set_yscale("log")
        curve.yaxis.set_minor_locator(NullLocator())
        curve.set_xlim(0, ROUNDS + 1)
        # two empty decades above the highest loss hold the legend, clear of every curve
        curve.set_ylim(LOSS_FLOOR, 100.0)
        curve.set_yticks(np.logspace(np.log10(LOSS_FLOOR), 0, 7))
        curve.set_xlabel("round")
        curve.set_ylabel("loss (y - t)², log scale")
        # the legend's entries never change, so it is drawn once, with stand-in handles; the
        # two derivatives differ in line style as well as colour
        handles = [Line2D([], [], label=label, **style) for label, style in LOSS_STYLES.items()]
        legend = Legend(curve, handles, [h.get_label() for h in handles], loc="upper right",
                        framealpha=0.9)
        legend.set_zorder(1.5)  # under the moving curves, in a full redraw as in a layered one
        curve.add_artist(legend)

    def draw(self, state):
        graph, curve = self.axes
        self._draw_values(graph, state)
        self._draw_losses(curve, state)

    def _draw_values(self, ax, state):
        _write_values(ax, state.now, state.phase, state.hidden, state.learning_rate,
                      wrong=state.wrong)
        ax.set_title(f"Round {state.round + 1}, step {state.phase + 1} of 6: "
                     f"{state.phase_name}")

    def _draw_losses(self, ax, state):
        n = state.round
        rounds = np.arange(1, len(state.right_losses) + 1)
        # a loss below the axis's floor (even an exact 0) is drawn on the floor, not lost
        right, wrong, so_far = (np.maximum(losses, LOSS_FLOOR)
                                for losses in (state.right_losses, state.wrong_losses,
                                               state.losses))
        styles = list(LOSS_STYLES.values())
        ax.plot(rounds, right, **styles[0])
        ax.plot(rounds, wrong, **styles[1])
        color = plots.COLORS["vermillion"] if state.wrong else plots.COLORS["blue"]
        ax.plot(rounds[:n + 1], so_far, **{**styles[2], "color": color,
                                            "ls": "--" if state.wrong else "-"})
        ax.plot(rounds[n], so_far[-1], clip_on=False, **styles[3])
        ax.set_title("Loss before each update")


# The loss panel's curves: the legend (drawn once) shows these styles.
LOSS_STYLES = {
    "right derivative y(1 - y), all rounds": dict(color=plots.COLORS["blue"], alpha=0.35, lw=2.0),
    "wrong derivative y(y - 1), all rounds": dict(color=plots.COLORS["vermillion"], alpha=0.35,
                                                  lw=2.0, ls="--"),
    "rounds so far (dots)": dict(color="0.3", marker="o", ms=4, lw=1.5),
    "this round": dict(color="black", marker="D", ms=8, ls="none"),
}


def draw_backward_pass(ax, now=None, hidden=2):
    r"""Draw one round of the stepper as a static figure, for pages where widgets do not run: the
    network with every forward value ($z$, $h$, $y$, the loss) and every gradient, $g =
    \partial L/\partial w$ beside each weight on its edge and $\delta = \partial L/\partial z$
    (which is also $\partial L/\partial b$) beside each neuron: the stepper's step 5 of 6, drawn
    by the stepper's own code. `now` is a `Round` (default: the first round of
    `train_rounds(hidden)`); returns the `Round` drawn."""
    if now is None:
        now = train_rounds(hidden)[0]
    hidden = len(now.h)
    _draw_graph(ax)
    _write_values(ax, now, None, hidden, learning_rate=None)
    red = plots.COLORS["vermillion"]
    ax.legend(handles=[Line2D([], [], color=red, lw=3, label="on each edge: weight w, g = ∂L/∂w"),
                       Line2D([], [], color=red, lw=3, ls=":",
                              label="at each neuron: h or y, z, bias b, δ = ∂L/∂z = ∂L/∂b")],
              loc="upper right", framealpha=0.9, fontsize=FONT)
    ax.set_title("One example forward and backward: every value and gradient")
    return now


def backprop_stepper(hidden=2, learning_rate=1.0, wrong=False):
    """Step through forward pass, loss, backward pass and update of a 2-2-1 (or 2-3-1) network
    learning one example; every value and gradient is written on the drawing."""
    return BackpropStepper(hidden, learning_rate, wrong)


def benchmark_cases():
    steps = [{"round": 1 + s // 6, "step": 1 + s % 6} for s in range(0, 60, 1)]
    mixed = [{"round": 1 + s // 6, "step": 1 + s % 6, "hidden": h, "wrong": bad}
             for s, h, bad in ((5, 2, False), (11, 3, True), (40, 2, True), (200, 3, False),
                               (0, 2, True))]
    return [("backprop_stepper: stepping", backprop_stepper, steps),
            ("backprop_stepper: switching", backprop_stepper, mixed)]
