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
    ratio = sizes["sigmoid"][0] / sizes["sigmoid"][-1]
    assert 1 / 4.5e6 < ratio < 1 / 3e6                                  # "about a four-millionth"
    lesson.says("layer 1's is $2.7 \\cdot 10^{-7}$ of layer 10's, about a four-millionth")
    lesson.prints(f"ratio {ratio:.1e}")
    lesson.prints("factor by which each layer's gradient is smaller than the next one's: "
                  + str(np.round(sizes["sigmoid"][1:] / sizes["sigmoid"][:-1], 2)))
    assert 1 < sizes["tanh"][0] / sizes["tanh"][-1] < 2
    assert 1 / 5 < sizes["relu"][0] / sizes["relu"][-1] < 5             # "within a factor of a few"
    lesson.prints(f"shrinks by a factor {factor['sigmoid']:.2f} per layer")
    lesson.says("at least 4 per layer (measured: 5.37 on average)")
    lesson.says("(measured above: more than 4 in every layer, 5.37 on average)")
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


def test_the_parts_do_not_multiply_to_the_gradient():
    lesson.says("do not multiply to the gradient ratio")
    for name in ("sigmoid", "tanh"):
        parts = explore.layer_sizes(name, DEPTH)
        g = explore.gradient_sizes(name, DEPTH)
        product = (parts["delta"][0] / parts["delta"][-1]) * (parts["inputs"][0] / parts["inputs"][-1])
        measured = g[0] / g[-1]
        assert not 0.5 < product / measured < 2     # off by more than a factor 2


def test_poor_starts_are_uniformly_tiny_or_grow_not_depthwise_vanishing():
    lesson.says("With std 0.01 the gradient is minute in every layer")
    lesson.says("nothing shrinks layer after layer on the way back")
    for name in ("tanh", "relu"):
        small = explore.gradient_sizes(name, DEPTH, 0.01)
        assert small.max() < 1e-10
        assert small[0] / small[-1] > 0.1       # layer 1 not much smaller than layer 10
    lesson.says("With std 1 tanh's units saturate, and its\ngradient grows towards the input "
                "(layer 1's is over a hundred times layer 10's)")
    large = explore.gradient_sizes("tanh", DEPTH, 1.0)
    assert np.all(np.diff(large) < 0) and large[0] / large[-1] > 100
    lesson.prints(f"tanh large (std 1)       : gradient in layer 1 {large[0]:.1e}, in layer 10 "
                  f"{large[-1]:.1e}")


def test_first_layer_dead_units_stay_dead_second_layer_ones_come_back():
    lesson.says("In the first layer the share never falls")
    lesson.says("In the second layer it goes up and down")
    by_layer = explore.dead_shares_by_layer("relu", 2.0)
    assert np.all(np.diff(by_layer[:, 0]) >= 0)
    falls = int(np.sum(np.diff(by_layer[:, 1]) < 0))
    assert falls >= 3 and by_layer[:, 1].max() > by_layer[-1, 1]
    lesson.prints(f"hidden layer 2: dead share after epoch 1 {100 * by_layer[1, 1]:3.0f}%, "
                  f"after 30 {100 * by_layer[-1, 1]:3.0f}%, highest {100 * by_layer[:, 1].max():3.0f}%; "
                  f"epochs in which it fell: {falls}")
    # the split by layer is the same training as dead_unit_shares
    shares, _, _ = explore.dead_unit_shares("relu", 2.0)
    assert np.allclose(shares, by_layer.mean(axis=1))


def test_a_large_rate_kills_many_in_the_first_epoch():
    lesson.says("A large learning rate kills many at once: at rate 2.0 below, a third or more of the units die\nin the first epoch")
    by_layer = explore.dead_shares_by_layer("relu", 2.0)
    assert by_layer[1].mean() - by_layer[0].mean() > 0.3 and by_layer[1].min() >= 1 / 3
    slow = explore.dead_shares_by_layer("relu", 0.1)
    assert slow[-1].mean() < 0.2


def test_leaky_units_get_a_gradient_but_no_comeback_is_claimed():
    lesson.says("a leaky ReLU guarantees a gradient, not a comeback")
    shares, _, _ = explore.dead_unit_shares("leaky_relu", 2.0)
    assert shares[-1] > 0.5                      # most stayed below in these 30 epochs


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


def test_softmax_bars_are_probabilities_and_tanh_bars_are_not():
    lesson = claims.lesson("08_activations")
    lesson.says("softmax's bars add up to 1 and keep the scores' order")
    lesson.says("they add up to more than 1, so they are not probabilities")
    scores = np.array([2.0, 1.0, 0.1])
    p_hat, squashed = act.softmax(scores), act.tanh(scores)
    assert np.isclose(p_hat.sum(), 1.0) and np.all(np.diff(p_hat) < 0)
    assert np.all(np.diff(squashed) < 0) and squashed.sum() > 1.0
    lesson.prints(f"sum: {squashed.sum():.4f}")
