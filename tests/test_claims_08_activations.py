"""Lesson 08's words about its own numbers, recomputed with the package (see claims_support)."""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import claims_support as claims  # noqa: E402

from nnlessons import activations as act  # noqa: E402
from nnlessons.widgets import activations as explore  # noqa: E402

lesson = claims.lesson("08_activations")
DEPTH = 10


def test_sigmoid_shrinks_by_more_than_four_per_layer_tanh_barely_vanishes():
    lesson.says("The sigmoid's gradient vanishes as promised: it shrinks by more than 4 in every "
                "layer")
    lesson.says("Tanh's does not vanish here: layer 1's gradient is even a little larger")
    sizes = {name: explore.gradient_sizes(name, DEPTH) for name in ("sigmoid", "tanh", "relu")}
    factor = {name: (g[-1] / g[0]) ** (1 / (DEPTH - 1)) for name, g in sizes.items()}
    assert factor["sigmoid"] > 4
    assert np.all(sizes["sigmoid"][1:] / sizes["sigmoid"][:-1] > 4)   # in every layer
    assert sizes["sigmoid"][0] / sizes["sigmoid"][-1] < 1e-6
    assert 1 < sizes["tanh"][0] / sizes["tanh"][-1] < 2
    assert 1 / 5 < sizes["relu"][0] / sizes["relu"][-1] < 5             # "within a factor of a few"
    lesson.prints(f"shrinks by a factor {factor['sigmoid']:.2f} per layer")
    lesson.says("at least 4 per layer (measured: more than 5)")
    assert factor["sigmoid"] > 5
    assert act.sigmoid_prime(np.linspace(-10, 10, 2001)).max() == 0.25


def test_why_tanh_escapes_slopes_deltas_and_inputs():
    lesson.says("For the sigmoid every slope is below $1/4$ and the deltas collapse, by a factor "
                "of about a million")
    sigmoid, tanh = explore.layer_sizes("sigmoid", DEPTH), explore.layer_sizes("tanh", DEPTH)
    assert sigmoid["slope"].max() < 0.25
    assert 1e-7 < sigmoid["delta"][0] / sigmoid["delta"][-1] < 1e-5
    assert sigmoid["inputs"][0] / sigmoid["inputs"][-1] < 2
    lesson.says("the deltas shrink by less than ten times over ten layers")
    assert 0.5 < tanh["slope"].min() and tanh["slope"].max() <= 1
    assert 0.1 < tanh["delta"][0] / tanh["delta"][-1] < 1
    assert 2 < tanh["inputs"][0] / tanh["inputs"][-1] < 6       # "grow by a few times"
    lesson.prints(f"delta layer 1 / layer 10: {tanh['delta'][0] / tanh['delta'][-1]:.1e}")


def test_poor_starts_make_tanh_gradients_vanish_or_grow():
    lesson.says("with std 0.01 they are minute in every layer")
    small = explore.gradient_sizes("tanh", DEPTH, 0.01)
    large = explore.gradient_sizes("tanh", DEPTH, 1.0)
    assert small.max() < 1e-10
    assert np.all(np.diff(large) < 0)      # "tanh's grow towards the input"


def test_dead_relus_get_no_gradient_inactive_leaky_units_do():
    lesson.says("Not far fewer: at rate 2.0 most leaky units also end with $z \\le 0$ on every "
                "example")
    relu, _, _ = explore.dead_unit_shares("relu", 2.0)
    leaky, _, _ = explore.dead_unit_shares("leaky_relu", 2.0)
    assert leaky[-1] > 0.5 and leaky[-1] < relu[-1]
    lesson.says("Exactly 0 for ReLU: those units are dead")
    dead_units, dead_gradient = explore.silent_units("relu", 2.0)
    idle_units, idle_gradient = explore.silent_units("leaky_relu", 2.0)
    assert dead_units == round(relu[-1] * 64) and dead_gradient == 0.0
    assert idle_units == round(leaky[-1] * 64) and idle_gradient > 0
    lesson.prints(f"{dead_units} units with z <= 0 everywhere, largest gradient on their "
                  f"weights 0.0e+00")


def test_tanh_outputs_are_not_probabilities_softmax_ones_are():
    lesson.says("A claim to correct: tanh is not a multi-class output")
    scores = np.array([2.0, 1.0, 0.1])
    assert abs(act.softmax(scores).sum() - 1) < 1e-12
    assert abs(act.tanh(scores).sum() - 1) > 0.5 and act.tanh(np.array([-1.0])).min() < 0
    lesson.prints(f"sum: {act.tanh(scores).sum():.4f}")
