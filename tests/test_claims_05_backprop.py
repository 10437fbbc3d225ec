"""Claim tests of lesson 05: what its prose says about its own numbers, recomputed."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import claims_support as claims  # noqa: E402

from nnlessons import MLP  # noqa: E402
from nnlessons.calculus import numerical_gradient  # noqa: E402
from nnlessons.widgets import backprop  # noqa: E402

X = np.asarray(backprop.EXAMPLE).reshape(1, -1)
T = backprop.TARGET


@pytest.fixture(scope="module")
def lesson():
    return claims.lesson("05_backprop")


def network():
    net = MLP([2, 2, 1], "sigmoid")
    net.set_parameters(backprop.initial_parameters(hidden=2))
    return net


def test_one_hidden_weight_chain_term_by_term(lesson):
    lesson.says("One hidden weight, term by term")
    lesson.says("Take the weight $W^1_{21}$ from input $x_2$ to hidden neuron $h_1$")
    net = network()
    _, grads = net.loss_and_gradients(X, [[T]], "mse")
    y, h = net.activations[2][0, 0], net.activations[1][0]
    links = [2 * (y - T), y * (1 - y), net.weights[1][0, 0], h[0] * (1 - h[0]), X[0, 1]]
    assert np.prod(links) == pytest.approx(grads["W1"][1, 0], rel=1e-12)
    lesson.prints(f"product of all five: dL/dW1_21 = {np.prod(links):+.6f}")
    lesson.prints(f"dh1/dz1    = h1(1 - h1) = {links[3]:+.6f}")
    lesson.prints(f"the first four links, h1's delta: {np.prod(links[:4]):+.6f}")
    assert np.prod(links[:4]) == pytest.approx(net.deltas[0][0, 0], rel=1e-12)
    lesson.says("The last link is the value the weight carries, $x_2 = 0.5$: it halves $h_1$'s "
                "delta into this weight's gradient")
    assert X[0, 1] == 0.5
    assert f"{grads['W1'][1, 0]:+.6f}" != f"{net.deltas[0][0, 0]:+.6f}"   # visibly different
    lesson.says("The weight $W^1_{11}$ from $x_1 = 1$ has the same chain with last link 1: its "
                "gradient equals $h_1$'s delta")
    assert X[0, 0] == 1.0 and grads["W1"][0, 0] == net.deltas[0][0, 0]
    lesson.says("The entry for $x_2 \\to h_1$ is the product of the five links above")
    lesson.prints(f"x2 -> h1: w = {net.weights[0][1, 0]:+.4f}, dL/dw = {grads['W1'][1, 0]:+.6f}")
    for i in range(2):     # the weights printed per connection, not flattened
        for j in range(2):
            lesson.prints(f"W1_{i + 1}{j + 1}, x{i + 1} -> h{j + 1}: {net.weights[0][i, j]:+.4f}")
    assert "[ 2.0409 -2.5557" not in lesson.outputs


def test_hidden_delta_one_neuron_at_a_time(lesson):
    lesson.says(r"\delta^1_j = \delta^2 \cdot W^2_{j1} \cdot h_j\,(1 - h_j)")
    lesson.says("in the course's notation $h = a^1$, and the output $y = a^2$")
    net = network()
    net.loss_and_gradients(X, [[T]], "mse")
    delta2 = net.deltas[1][0, 0]
    h = net.activations[1][0]
    assert np.array_equal(net.activations[1][0], h) and net.activations[2].shape == (1, 1)
    for j in range(2):
        mine = delta2 * net.weights[1][j, 0] * h[j] * (1 - h[j])
        assert mine == pytest.approx(net.deltas[0][0, j], rel=1e-12)
        lesson.prints(f"hidden h{j + 1}: delta = {mine:+.6f}")


def test_backward_agrees_with_the_hand_computation_to_rounding(lesson):
    lesson.says("so it must agree with it to rounding")
    assert "to the last digit" not in lesson.markdown
    net = network()
    y = net.forward(X)
    h = net.activations[1][0]
    delta2 = 2 * (y[0] - T) * y[0] * (1 - y[0])
    delta1 = (delta2 @ net.weights[1].T) * h * (1 - h)
    mine = {"W1": np.outer(X[0], delta1), "b1": delta1, "W2": np.outer(h, delta2), "b2": delta2}
    grads = net.backward(2 * (y - T))
    for name, value in mine.items():
        assert np.max(np.abs(grads[name] - value)) < 1e-15
        lesson.prints(f"{name}: largest difference from the hand computation below 1e-15 "
                      "(rounding)")


def test_static_figure_shows_this_networks_gradients(lesson):
    lesson.prints("the figure's numbers are this network's: True")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    drawn = backprop.draw_backward_pass(ax)
    plt.close(fig)
    _, grads = network().loss_and_gradients(X, [[T]], "mse")
    assert np.allclose(drawn.grads["W1"], grads["W1"])


def test_paths_add_in_a_2_2_2_network(lesson):
    lesson.says("the paths add")
    lesson.says("Only the sum of both paths agrees with the referee.")
    wide = MLP([2, 2, 2], "sigmoid", seed=3, init=1.0)
    targets = np.array([[0.2, 0.9]])
    _, grads = wide.loss_and_gradients(X, targets, "mse")
    y, h = wide.activations[2][0], wide.activations[1][0]
    paths = (y - targets[0]) * y * (1 - y) * wide.weights[1][0]
    slope = h[0] * (1 - h[0]) * X[0, 0]
    numeric = numerical_gradient(lambda _: wide.loss(X, targets, "mse"), wide.weights[0])[0, 0]
    assert paths.sum() * slope == pytest.approx(grads["W1"][0, 0], rel=1e-10)
    assert paths.sum() * slope == pytest.approx(numeric, rel=1e-6)
    assert abs(paths[0] * slope - numeric) > abs(numeric)   # one path alone is far off
    lesson.prints(f"dL/dW1_11 from both paths:  {paths.sum() * slope:+.6f}")
    lesson.prints(f"central difference:         {numeric:+.6f}")
    # the note on the reused numbers is true: seed 3's first weights are the stepper's
    lesson.says("the two weights printed here, $-0.4526$ and $-0.2156$, are the ones the 2-2-1 "
                "network had on $h_1 \\to y$ and $h_2 \\to y$")
    small = network().weights[1][:, 0]
    assert [f"{v:+.4f}" for v in wide.weights[1][0]] == [f"{v:+.4f}" for v in small] \
        == ["-0.4526", "-0.2156"]
    for k in range(2):
        lesson.prints(f"(h1 -> y{k + 1}) {wide.weights[1][0, k]:+.4f}")


def test_one_update_lowers_the_loss_and_the_gradient_sign(lesson):
    lesson.says("The output, 0.3962, is above its target 0.2")
    net = network()
    loss, grads = net.loss_and_gradients(X, [[T]], "mse")
    assert net.activations[2][0, 0] > T and grads["W2"][0, 0] > 0
    for name, p in net.parameters().items():
        p -= 1.0 * grads[name]
    after = net.loss(X, [[T]], "mse")
    assert after < loss
    lesson.says("One step lowered the loss.")
    lesson.prints(f"loss before the update {loss:.5f}, after one update {after:.5f}")


def test_one_rule_for_reading_a_gradient_check(lesson):
    lesson.says("about $10^{-7}$ or less: backprop and the referee agree")
    lesson.says("$10^{-2}$ or more: a bug")
    lesson.says("in between: look closer")
    lesson.says("read by one rule in float64: about $10^{-7}$ or less, agree; $10^{-2}$ or more, "
                "a bug; in between, look closer")
    lesson.prints("rule: relative error <= 1e-07: agree; >= 0.01: a bug; between: look closer")
    right, wrong = network(), MLP([2, 2, 1], "sigmoid",
                                  derivatives={"sigmoid": backprop.wrong_sigmoid_derivative})
    wrong.set_parameters(backprop.initial_parameters(hidden=2))
    assert backprop.gradient_check(right) <= 1e-7
    assert backprop.gradient_check(wrong) >= 1e-2
    lesson.prints("wrong derivative y(y - 1): relative error 1.0e+00: a bug")
    # one home for the rule: the lesson's verdict, the stepper's and the package's are one
    from nnlessons.calculus import AGREE, BUG, verdict
    assert (AGREE, BUG) == (1e-7, 1e-2)
    for relative, words in ((5e-8, "agree"), (5e-7, "look closer"), (2e-2, "a bug")):
        assert verdict(relative) == words == backprop.check_verdict(relative, 1.0)
    assert verdict(backprop.gradient_check(right)) == "agree"
    assert verdict(backprop.gradient_check(wrong)) == "a bug"
    # the lesson reads its checks with the package's verdict, not a copy of the rule
    import nbformat
    code = "\n".join(c.source for c in nbformat.read(lesson.path, as_version=4).cells
                     if c.cell_type == "code")
    assert "def verdict" not in code and "verdict" in code
    assert any(line.startswith("from nnlessons.calculus import") and "verdict" in line
               for line in code.splitlines())


def test_the_wrong_derivative_makes_the_loss_climb(lesson):
    lesson.says("The loss climbs instead of falling")
    right = backprop.train_rounds(hidden=2, learning_rate=1.0, wrong=False)
    wrong = backprop.train_rounds(hidden=2, learning_rate=1.0, wrong=True)
    assert wrong[-1].loss > wrong[0].loss and right[-1].loss < right[0].loss
    assert all(r.check >= 1e-2 for r in wrong)
    lesson.prints(f"wrong derivative: loss in round 1 {wrong[0].loss:.5f}, in round 40 "
                  f"{wrong[-1].loss:.5f}")
    lesson.says("In the hidden layer the sign flips twice and happens to come out right")
    net = MLP([2, 2, 1], "sigmoid", derivatives={"sigmoid": backprop.wrong_sigmoid_derivative})
    net.set_parameters(backprop.initial_parameters(hidden=2))
    _, bad = net.loss_and_gradients(X, [[T]], "mse")
    _, good = network().loss_and_gradients(X, [[T]], "mse")
    assert np.allclose(bad["W2"], -good["W2"]) and np.allclose(bad["W1"], good["W1"])


def test_seed_slips_named(lesson):
    lesson.says('Some notes write this update as "dw/dl = loss · a · lrt". That is not it')
    lesson.says("the forum's $y(y - 1)$ (the right slope is $y(1 - y)$)")
    lesson.says("A superscript here is a layer number, never a power")
