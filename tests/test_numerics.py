"""The worked numbers of the curriculum, and stability at the extremes (no warnings, no inf/NaN)."""
import warnings

import numpy as np
import pytest

from nnlessons import activations as act
from nnlessons import losses
from nnlessons.calculus import numerical_derivative
from nnlessons.descent import (BOWL_MINIMUM, bowl_gradient, bowl_loss, bumpy_gradient, bumpy_loss,
                               gradient_descent)
from nnlessons.neuron import layer_forward, neuron, weighted_sum

EXTREME = np.array([-1e4, -1000.0, -50.0, 0.0, 50.0, 1000.0, 1e4])


def test_crowd_squared_errors():
    assert losses.squared_error(350, 500) == 22500
    assert losses.squared_error(600, 500) == 10000
    assert losses.squared_error(500, 500) == 0


def test_crowd_derivatives():
    loss = lambda y: (y - 500) ** 2  # noqa: E731
    assert numerical_derivative(loss, 350) == pytest.approx(-300, abs=1e-6)
    assert numerical_derivative(loss, 600) == pytest.approx(200, abs=1e-6)


def test_sigmoid_and_softmax_are_finite_and_quiet_at_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = act.sigmoid(EXTREME)
        p = act.softmax(np.vstack([EXTREME, -EXTREME, np.full(7, 1e4)]))
        d = act.sigmoid_prime(EXTREME)
    assert np.all(np.isfinite(s)) and s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    assert np.all(np.isfinite(p)) and np.allclose(p.sum(axis=1), 1.0)
    assert np.all(np.isfinite(d))


@pytest.mark.parametrize("name", act.NAMES)
def test_every_activation_is_quiet_at_extremes(name):
    f, _ = act.get(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = f(EXTREME[None, :])
    assert np.all(np.isfinite(out))


def test_cross_entropy_is_finite_for_probabilities_at_0_and_1():
    p = np.array([[0.0], [1.0], [0.0], [1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bce = losses.binary_cross_entropy(p, y)
        bce_grad = losses.binary_cross_entropy_gradient(p, y)
        probs = np.array([[1.0, 0.0], [0.0, 1.0]])
        cce = losses.categorical_cross_entropy(probs, [1, 1])
        cce_grad = losses.categorical_cross_entropy_gradient(probs, [1, 1])
        logits = losses.categorical_cross_entropy_from_logits([[1e4, -1e4]], [1])
        bce_logits = losses.binary_cross_entropy_from_logits([[1e4], [-1e4]], [[0.0], [1.0]])
    for value in (bce, cce, logits, bce_logits):
        assert np.isfinite(value)
    assert np.all(np.isfinite(bce_grad)) and np.all(np.isfinite(cce_grad))
    assert logits == pytest.approx(2e4)  # exact: log-sum-exp loses nothing


def test_losses_are_means_not_sums():
    y = np.zeros((4, 1))
    assert losses.mse(np.ones((4, 1)), y) == 1.0
    assert losses.mse(np.ones((40, 1)), np.zeros((40, 1))) == 1.0
    half = np.full((6, 1), 0.5)
    assert losses.binary_cross_entropy(half, np.ones((6, 1))) == pytest.approx(np.log(2))


def test_logit_losses_agree_with_probability_losses():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(5, 3))
    labels = rng.integers(0, 3, size=5)
    assert losses.categorical_cross_entropy_from_logits(z, labels) == pytest.approx(
        losses.categorical_cross_entropy(act.softmax(z), labels))
    y = rng.integers(0, 2, size=(5, 3))
    assert losses.binary_cross_entropy_from_logits(z, y) == pytest.approx(
        losses.binary_cross_entropy(act.sigmoid(z), y))


def test_one_hot_and_one_hot_labels_are_accepted():
    probs = act.softmax(np.random.default_rng(1).normal(size=(3, 4)))
    labels = np.array([0, 3, 1])
    assert losses.categorical_cross_entropy(probs, losses.one_hot(labels, 4)) == pytest.approx(
        losses.categorical_cross_entropy(probs, labels))


def test_neuron_arithmetic():
    assert weighted_sum([1.0, 2.0], [0.5, -1.0], 0.25)[0] == pytest.approx(-1.25)
    X = np.array([[1.0, 2.0], [0.0, 0.0]])
    assert neuron(X, [0.0, 0.0], 0.0).tolist() == [0.5, 0.5]
    out = layer_forward(X, np.ones((2, 3)), np.zeros(3), "relu")
    assert out.shape == (2, 3) and out[0].tolist() == [3.0, 3.0, 3.0]


def test_gradient_descent_finds_the_bowl_minimum():
    path = gradient_descent(bowl_gradient, [0.0, 0.0], learning_rate=0.3, steps=300, loss=bowl_loss)
    assert not path.diverged
    np.testing.assert_allclose(path.final, BOWL_MINIMUM, atol=1e-6)
    assert path.losses[-1] < 1e-10 and len(path.points) == 301
    assert np.all(np.diff(path.losses) <= 1e-12)  # a good rate never goes uphill on a bowl


def test_gradient_descent_diverges_with_a_message_and_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = gradient_descent(bowl_gradient, [0.0, 0.0], learning_rate=50.0, steps=1000,
                                loss=bowl_loss)
    assert path.diverged and "too large" in path.message
    assert np.all(np.isfinite(path.points)) and np.all(np.isfinite(path.losses))


def test_the_start_decides_which_valley_descent_finds():
    left = gradient_descent(bumpy_gradient, [-0.5], 0.05, 300).final[0]
    right = gradient_descent(bumpy_gradient, [0.5], 0.05, 300).final[0]
    assert left == pytest.approx(-1.47, abs=0.01) and right == pytest.approx(1.35, abs=0.01)
    assert bumpy_loss(left) < bumpy_loss(right)  # left is the global minimum


def test_binary_cross_entropy_keeps_the_digits_of_a_confident_right_answer():
    # -log(1 - p) = p + p^2/2 + ...: log(1 - p) gets the loss at p = 1e-12 wrong in the fifth
    # digit, log1p(-p) to the last (abs=0: pytest.approx would otherwise allow 1e-12 absolute)
    assert losses.binary_cross_entropy([1e-12], [0.0]) == pytest.approx(1e-12 + 5e-25, rel=1e-15,
                                                                         abs=0)
    assert losses.binary_cross_entropy([1 - 1e-12], [1.0]) == pytest.approx(
        -np.log(1 - 1e-12), rel=1e-15, abs=0)


def test_logit_losses_keep_the_digits_of_confident_right_answers():
    # the exact losses are log(1 + e^-40) and log(1 + e^-80 + e^-60): far below rounding of 1
    assert losses.binary_cross_entropy_from_logits([40.0], [1.0]) == pytest.approx(
        np.exp(-40.0), rel=1e-15, abs=0)
    assert losses.categorical_cross_entropy_from_logits([[40.0, -40.0, -20.0]], [0]) == \
        pytest.approx(np.exp(-80.0) + np.exp(-60.0), rel=1e-15, abs=0)
    assert losses.binary_cross_entropy_from_logits_gradient([40.0], [1.0])[0] == pytest.approx(
        -np.exp(-40.0), rel=1e-15, abs=0)
    grad = losses.categorical_cross_entropy_from_logits_gradient([[40.0, -40.0, -20.0]], [0])
    assert grad[0, 0] == pytest.approx(-(np.exp(-80.0) + np.exp(-60.0)), rel=1e-14, abs=0)


def test_network_loss_is_not_clipped_and_stays_quiet_at_extreme_logits():
    from nnlessons.network import MLP
    sigmoid_net, softmax_net = MLP([1, 1], "sigmoid"), MLP([1, 2], "softmax")
    X = np.array([[1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for z in (40.0, 1e4):
            sigmoid_net.weights[0][:] = z
            # label 0 against a sure 1: the loss is z (plus log(1 + e^-z)), not a clipped 27.6
            assert sigmoid_net.loss(X, [[0.0]], "binary_cross_entropy") == pytest.approx(z)
            value, grads = sigmoid_net.loss_and_gradients(X, [[0.0]], "binary_cross_entropy")
            assert value == pytest.approx(z) and grads["W1"][0, 0] == pytest.approx(1.0)
            softmax_net.weights[0][:] = [[z, -z]]
            value, grads = softmax_net.loss_and_gradients(X, [1], "cross_entropy")
            assert value == pytest.approx(2 * z) and np.all(np.isfinite(grads["W1"]))


def test_the_sums_by_blas_are_the_sums_and_their_vectors_of_ones_stay_ones():
    """`_row_sums` and `_column_sums` multiply by a vector of ones made once for each length;
    nothing a caller does to a result can change those ones."""
    values = np.arange(12.0).reshape(3, 4)
    for _ in range(2):  # the second time from the kept vectors of ones
        np.testing.assert_allclose(act._row_sums(values), [6.0, 22.0, 38.0])
        np.testing.assert_allclose(act._column_sums(values), [12.0, 15.0, 18.0, 21.0])
        out = np.empty(4)
        assert act._column_sums(values, out=out) is out
        np.testing.assert_allclose(out, [12.0, 15.0, 18.0, 21.0])
    with pytest.raises(ValueError, match="read-only"):
        act._ones(4)[0] = 2.0
    assert np.array_equal(act._ones(3), np.ones(3))
    rows = np.random.default_rng(0).normal(size=(257, 7))
    np.testing.assert_allclose(act._column_sums(rows), rows.sum(axis=0), rtol=1e-13, atol=1e-13)


def test_softmax_and_its_cross_entropy_computed_together_are_the_numbers_computed_apart():
    """The network's forward pass takes both from one set of exponentials
    (`losses._softmax_and_cross_entropy`): the probabilities must be `softmax`'s and the loss
    the log-sum-exp formula's, to the last bit, ties of the largest score and a confident right
    answer (whose tiny loss log1p keeps) included."""
    np.testing.assert_allclose(act._row_sums(np.arange(12.0).reshape(3, 4)), [6.0, 22.0, 38.0])
    rng = np.random.default_rng(4)
    z = rng.normal(scale=3.0, size=(50, 10))
    z[0, 3] = z[0, 7] = z[0].max() + 1.0      # two largest scores alike
    z[1] = -40.0
    z[1, 2] = 40.0                             # class 2 at a probability of 1 - 9e-35
    labels = rng.integers(0, 10, size=50)
    labels[1] = 2
    probabilities, value = losses._softmax_and_cross_entropy(z, labels)
    np.testing.assert_array_equal(probabilities, act.softmax(z))
    rows = np.arange(50)
    shifted = z - z.max(axis=1, keepdims=True)
    others = np.exp(shifted)
    others[rows, shifted.argmax(axis=1)] = 0.0
    per_example = np.log1p(act._row_sums(others)) - shifted[rows, labels]
    assert value == float(per_example.sum()) / 50
    assert per_example[1] == pytest.approx(9 * np.exp(-80.0), rel=1e-12)  # not rounded to 0
    assert value == losses.categorical_cross_entropy_from_logits(z, labels)
