"""Every derivative in the package against central differences, in float64 (relative error < 1e-6)."""
import numpy as np
import pytest

from nnlessons import activations as act
from nnlessons import losses
from nnlessons.calculus import gradient_check, numerical_gradient, relative_error
from nnlessons.network import MLP

TOLERANCE = 1e-6


def random_away_from_kinks(rng, shape):
    """Random scores that keep clear of 0, where ReLU-like functions have a kink."""
    z = rng.normal(0, 2, size=shape)
    return np.where(np.abs(z) < 0.05, 0.5, z)


@pytest.mark.parametrize("name", [n for n in act.ELEMENTWISE])
def test_activation_derivative(name):
    f, f_prime = act.get(name)
    z = random_away_from_kinks(np.random.default_rng(1), (7, 5))
    # d/dz of sum(f(z)) is f'(z) elementwise, because each output depends on its own z only
    error = gradient_check(lambda zz: np.sum(f(zz)), f_prime(z), z.copy())
    assert error < TOLERANCE, f"{name}: relative error {error:.2e}"


@pytest.mark.parametrize("slope", [0.01, 0.2])
def test_leaky_relu_derivative_with_other_slope(slope):
    z = random_away_from_kinks(np.random.default_rng(2), (4, 3))
    error = gradient_check(lambda zz: np.sum(act.leaky_relu(zz, slope)),
                           act.leaky_relu_prime(z, slope), z.copy())
    assert error < TOLERANCE


def test_elu_derivative_with_alpha():
    z = random_away_from_kinks(np.random.default_rng(3), (4, 3))
    error = gradient_check(lambda zz: np.sum(act.elu(zz, 0.5)), act.elu_prime(z, 0.5), z.copy())
    assert error < TOLERANCE


def test_softmax_backward():
    rng = np.random.default_rng(4)
    z, g = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    analytic = act.softmax_backward(act.softmax(z), g)
    error = gradient_check(lambda zz: np.sum(g * act.softmax(zz)), analytic, z.copy())
    assert error < TOLERANCE


LOSS_CASES = {
    "mse": (losses.mse, losses.mse_gradient, "real"),
    "binary_cross_entropy": (losses.binary_cross_entropy, losses.binary_cross_entropy_gradient,
                             "probability"),
    "binary_cross_entropy_from_logits": (losses.binary_cross_entropy_from_logits,
                                         losses.binary_cross_entropy_from_logits_gradient, "real"),
    "categorical_cross_entropy": (losses.categorical_cross_entropy,
                                  losses.categorical_cross_entropy_gradient, "distribution"),
    "categorical_cross_entropy_from_logits": (losses.categorical_cross_entropy_from_logits,
                                              losses.categorical_cross_entropy_from_logits_gradient,
                                              "real"),
}


@pytest.mark.parametrize("name", LOSS_CASES)
def test_loss_gradient(name):
    loss, gradient, kind = LOSS_CASES[name]
    rng = np.random.default_rng(5)
    n, k = 8, 3
    if "categorical" in name:
        targets = rng.integers(0, k, size=n)
    elif "binary" in name:
        targets = rng.integers(0, 2, size=(n, k)).astype(float)
    else:
        targets = rng.normal(size=(n, k))
    outputs = {"real": rng.normal(size=(n, k)),
               "probability": rng.uniform(0.05, 0.95, size=(n, k)),
               "distribution": act.softmax(rng.normal(size=(n, k)))}[kind]
    error = gradient_check(lambda o: loss(o, targets), gradient(outputs, targets), outputs.copy())
    assert error < TOLERANCE, f"{name}: relative error {error:.2e}"


NETWORKS = [
    ([3, 4, 2], ["sigmoid", "identity"], "mse"),
    ([3, 5, 4, 1], ["tanh", "elu", "sigmoid"], "binary_cross_entropy"),
    ([3, 5, 3], ["leaky_relu", "softmax"], "cross_entropy"),
    ([3, 4, 3], ["relu", "softmax"], "mse"),        # softmax through the general backward path
    ([3, 4, 1], ["sigmoid", "sigmoid"], "mse"),
]


@pytest.mark.parametrize("sizes, names, loss", NETWORKS)
def test_mlp_backward_matches_numerical_gradient(sizes, names, loss):
    rng = np.random.default_rng(6)
    net = MLP(sizes, names, seed=7)
    for b in net.biases:  # non-zero biases, so their gradients are tested in general position
        b[:] = rng.normal(0, 0.5, size=b.shape)
    X = rng.normal(size=(10, sizes[0]))
    if loss == "cross_entropy":
        targets = rng.integers(0, sizes[-1], size=10)
    elif loss == "binary_cross_entropy":
        targets = rng.integers(0, 2, size=(10, sizes[-1]))
    else:
        targets = rng.normal(size=(10, sizes[-1]))
    _, grads = net.loss_and_gradients(X, targets, loss)
    for name, param in net.parameters().items():
        numerical = numerical_gradient(lambda _: net.loss(X, targets, loss), param)
        error = relative_error(grads[name], numerical)
        assert error < TOLERANCE, f"{name}: relative error {error:.2e}"


def test_backward_from_an_output_gradient_matches_loss_and_gradients():
    rng = np.random.default_rng(8)
    net = MLP([2, 3, 1], "sigmoid", seed=1)
    X, y = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    _, expected = net.loss_and_gradients(X, y, "mse")
    out = net.forward(X)
    got = net.backward(losses.mse_gradient(out, y))
    for name in expected:
        np.testing.assert_allclose(got[name], expected[name], rtol=1e-12)


def test_wrong_sigmoid_derivative_is_caught_by_the_gradient_check():
    """The curriculum's bug: y(y - 1) instead of a(1 - a) has the wrong sign."""
    z = np.random.default_rng(9).normal(size=(4, 3))
    a = act.sigmoid(z)
    wrong = a * (a - 1)
    assert gradient_check(lambda zz: np.sum(act.sigmoid(zz)), wrong, z.copy()) > 0.99


def test_numerical_gradient_restores_params():
    params = np.array([1.0, -2.0, 3.0])
    before = params.copy()
    numerical_gradient(lambda p: np.sum(p ** 3), params)
    assert np.array_equal(params, before)


def test_relative_error_of_two_zeros_is_zero():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


# ---- the landscapes of lessons 04 and 06, whose gradients are written by hand -------------------
@pytest.mark.parametrize("point", [[0.0, 0.0], [4.0, 3.0], [-1.5, 7.2], [10.0, -4.0]])
def test_bowl_gradient(point):
    from nnlessons import descent
    w = np.array(point)
    numeric = numerical_gradient(descent.bowl_loss, w.copy())
    analytic = descent.bowl_gradient(w)
    # at the minimum both are (numerically) zero: compare absolutely there
    assert np.allclose(analytic, numeric, atol=1e-6)
    if np.linalg.norm(analytic) > 1e-3:
        assert relative_error(analytic, numeric) < TOLERANCE


@pytest.mark.parametrize("w", [-2.0, -1.0, 0.3, 1.35, 2.5])
def test_bumpy_gradient(w):
    from nnlessons import descent
    numeric = numerical_gradient(lambda p: float(descent.bumpy_loss(p[0])), np.array([w]))
    assert abs(descent.bumpy_gradient(w) - numeric[0]) < 1e-6 * max(1.0, abs(numeric[0]))


def test_batch_explorer_step_is_minus_learning_rate_times_the_gradient():
    # One full-batch update moves the weights by -eta * grad of the full loss: recover the
    # gradient the widget used and compare it with central differences.
    from nnlessons.widgets import batches
    X, y = batches.batch_data()
    eta = 0.01
    run = batches.run_batches(len(X), eta, 1)
    used = (run["path"][0] - run["path"][1]) / eta
    numeric = numerical_gradient(lambda w: float(batches.full_loss(w, X, y)),
                                 run["path"][0].copy())
    assert relative_error(used, numeric) < TOLERANCE


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_overfitting_explorer_backprop(l2):
    from nnlessons.widgets import overfitting
    rng = np.random.default_rng(5)
    x, t = rng.uniform(-1, 1, (9, 1)), rng.normal(size=(9, 1))
    params = [rng.normal(size=(1, 4)), rng.normal(size=4), rng.normal(size=(4, 1)),
              rng.normal(size=1)]

    def loss(ps):
        W1, b1, W2, b2 = ps
        out = np.tanh(x @ W1 + b1) @ W2 + b2
        return float(np.mean((out - t) ** 2) + 0.5 * l2 * (np.sum(W1 ** 2) + np.sum(W2 ** 2)))

    a = np.tanh(x @ params[0] + params[1])
    residual = a @ params[2] + params[3] - t
    analytic = overfitting.gradients(params, x, a, residual, l2)
    for i, grad in enumerate(analytic):
        def loss_of(p, i=i):
            return loss([p if j == i else q for j, q in enumerate(params)])
        numeric = numerical_gradient(loss_of, params[i].copy())
        assert relative_error(grad, numeric) < TOLERANCE, i
