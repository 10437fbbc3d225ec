"""Claim tests of lesson 01: what its prose says about its own numbers, recomputed."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import claims_support as claims  # noqa: E402

from nnlessons import MLP  # noqa: E402
from nnlessons.activations import sigmoid  # noqa: E402
from nnlessons.neuron import neuron, weighted_sum  # noqa: E402
from nnlessons.widgets import neuron as neuron_w  # noqa: E402

X_ONE, W, B = np.array([1.0, 0.5]), np.array([2.0, -1.0]), 0.5


@pytest.fixture(scope="module")
def lesson():
    return claims.lesson("01_neuron")


def test_e_is_named_and_the_sigmoid_gives_one_half_at_zero(lesson):
    lesson.says("$e$ is Euler's number, 2.718...")
    lesson.prints(f"e = {np.e:.6f}...")
    lesson.says("$z = 0$ gives exactly $1/2$")
    assert sigmoid(0.0) == 0.5
    lesson.prints("sigmoid(+0) = 0.5000")


def test_a_hard_step_does_not_move_a_sigmoid_moves_a_little(lesson):
    lesson.says("The hard step does not move at all")
    lesson.says("The sigmoid moves a little")
    step = [float(weighted_sum(X_ONE, [w1, W[1]], B)[0] > 0) for w1 in (2.0, 2.1)]
    smooth = [float(sigmoid(weighted_sum(X_ONE, [w1, W[1]], B))[0]) for w1 in (2.0, 2.1)]
    assert step[1] - step[0] == 0.0
    change = smooth[1] - smooth[0]
    assert 0 < change < 0.05
    lesson.prints(f"change {change:+.4f}")


def test_line_distance_is_b_over_norm_w_and_the_lower_bias_moves_it_out(lesson):
    lesson.says(r"its distance from the origin $(0, 0)$ is")
    lesson.says(r"Our neuron's line lies $0.5/\sqrt{5} = 0.2236$ from the origin")
    distances = {}
    for w1, w2, b in [(2.0, -1.0, 0.5), (2.0, -1.0, -2.5), (0.5, 3.0, 0.0)]:
        distance, nearest = neuron_w.decision_line(w1, w2, b)
        assert w1 * nearest[0] + w2 * nearest[1] + b == pytest.approx(0.0, abs=1e-12)
        distances[b] = distance
        _, outputs = neuron_w.neuron_grid(w1, w2, b)
        lesson.prints(f"line {distance:.4f} from the origin; fires (output > 0.5) on "
                      f"{np.mean(outputs > 0.5):.0%} of the square shown")
    assert distances[0.5] == pytest.approx(0.5 / np.sqrt(5))
    lesson.says("shifts its line further from the origin (from 0.2236 to 1.1180)")
    assert distances[-2.5] > distances[0.5]
    lesson.says("it fires on a smaller part of the square shown (54% against 30%)")
    fires = [np.mean(neuron_w.neuron_grid(2.0, -1.0, b)[1] > 0.5) for b in (0.5, -2.5)]
    assert fires[1] < fires[0]
    assert [f"{f:.0%}" for f in fires] == ["54%", "30%"]


def test_on_the_whole_plane_every_neuron_fires_on_half():
    """The 54% and 30% are the square's: in ever larger windows the share tends to one half."""
    for b in (0.5, -2.5):
        shares = []
        for half_width in (3.0, 30.0, 300.0):
            axis = np.linspace(-half_width, half_width, 401)
            x1, x2 = np.meshgrid(axis, axis)
            shares.append(np.mean(2.0 * x1 - 1.0 * x2 + b > 0))
        assert abs(shares[-1] - 0.5) < 0.01 < abs(shares[0] - 0.5)
        assert abs(shares[-1] - 0.5) < abs(shares[1] - 0.5) < abs(shares[0] - 0.5)


def test_the_explorer_follows_its_question_and_answer(lesson):
    """One idea per cell: the question, its run and answer, then the explorer's instructions,
    then the explorer."""
    import nbformat
    cells = nbformat.read(lesson.path, as_version=4).cells
    where = {key: next(i for i, c in enumerate(cells) if key in c.source)
             for key in ("half true", "in zip((1.0, 2.0, 4.0)", "It does both",
                         "## Try it: the neuron explorer", "widgets.neuron_explorer()")}
    order = list(where.values())
    assert order == sorted(order) and len(set(order)) == len(order)
    assert "Predict, then run" in cells[where["half true"]].source
    assert "Try it" not in cells[where["half true"]].source
    lesson.says("A level such as 0.5 would mean nothing for tanh or ReLU.")


def test_a_weight_turns_and_slides_the_line(lesson):
    lesson.says("But a weight does both")
    lesson.says("it comes closer to the origin (0.3536, 0.2236, 0.1213)")
    angles, distances = [], []
    for w1 in (1.0, 2.0, 4.0):
        distance, _ = neuron_w.decision_line(w1, W[1], B)
        angles.append(np.degrees(np.arctan2(W[1], w1)))
        distances.append(distance)
        lesson.prints(f"w1 = {w1:g}: arrow w points at {angles[-1]:+.1f} degrees, "
                      f"line {distance:.4f} from the origin")
    assert len(set(np.round(angles, 6))) == 3          # it turns
    assert distances[0] > distances[1] > distances[2]  # and it comes closer


def test_doubling_weights_and_bias_keeps_the_line_and_sharpens_the_step(lesson):
    lesson.says("the output at $x$ goes from 0.8808 to 0.9820")
    d1, d2 = (neuron_w.decision_line(*(s * W), s * B)[0] for s in (1.0, 2.0))
    assert d1 == pytest.approx(d2)
    a1, a2 = (neuron(X_ONE, s * W, s * B)[0] for s in (1.0, 2.0))
    assert a2 > a1
    lesson.prints(f"output at x {a1:.4f}")
    lesson.prints(f"output at x {a2:.4f}")


def test_memory_is_the_weights(tmp_path, lesson):
    lesson.says("Same inputs, different answers")
    X = np.array([[1.0, 0.5], [0.0, 0.0], [-1.0, 2.0], [2.0, -1.0]])
    net_a = MLP([2, 3, 1], "sigmoid", seed=1, init=2.0)
    net_b = MLP([2, 3, 1], "sigmoid", seed=2, init=2.0)
    assert not np.allclose(net_a.forward(X), net_b.forward(X))
    lesson.says("after loading network A's numbers it is network A")
    net_a.save(tmp_path / "a.npz")
    fresh = MLP([2, 3, 1], "sigmoid", seed=99, init=2.0)
    assert not np.allclose(fresh.forward(X), net_a.forward(X))
    fresh.load(tmp_path / "a.npz")
    assert np.array_equal(fresh.forward(X), net_a.forward(X))
    lesson.prints("identical answers: True")


def test_first_hidden_neuron_is_the_neuron_by_hand(lesson):
    from nnlessons.neuron import layer_forward
    lesson.says("The first hidden neuron's answer for the first example, 0.8808")
    X = np.array([[1.0, 0.5], [0.0, 0.0], [-1.0, 2.0], [2.0, -1.0]])
    W1 = np.array([[2.0, -1.0, 0.5], [-1.0, 1.5, 1.0]])
    b1 = np.array([0.5, 0.0, -1.0])
    assert np.array_equal(X[0], X_ONE) and np.array_equal(W1[:, 0], W) and b1[0] == B
    layer = layer_forward(X, W1, b1)[0, 0]
    assert layer == neuron(X_ONE, W, B)[0]
    lesson.prints(f"first neuron, first example: {layer:.4f}; our neuron on that example: "
                  f"{neuron(X_ONE, W, B)[0]:.4f}; the same number: True")
    lesson.prints(f"our neuron: z = 2.0, output a = sigmoid(z) = {neuron(X_ONE, W, B)[0]:.4f}")
