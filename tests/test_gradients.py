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


@pytest.mark.parametrize("name", [n for n in act.ELEMENTWISE])
def test_derivative_from_the_output(name):
    """What backpropagation uses: the slope computed from the output a = f(z) the forward pass
    kept, against central differences of f, and equal to the slope computed from z."""
    f, f_prime = act.get(name)
    slope = act.prime_from_output(name)
    z = random_away_from_kinks(np.random.default_rng(5), (7, 5))
    from_output = np.asarray(slope(f(z)), dtype=np.float64)
    error = gradient_check(lambda zz: np.sum(f(zz)), from_output, z.copy())
    assert error < TOLERANCE, f"{name}: relative error {error:.2e}"
    np.testing.assert_allclose(from_output, f_prime(z), rtol=1e-12, atol=1e-15)


def test_derivatives_from_the_output_with_other_slope_and_alpha():
    z = random_away_from_kinks(np.random.default_rng(6), (4, 3))
    for f, slope in ((lambda zz: act.leaky_relu(zz, 0.2),
                      lambda zz: act.leaky_relu_prime_from_output(act.leaky_relu(zz, 0.2), 0.2)),
                     (lambda zz: act.elu(zz, 0.5),
                      lambda zz: act.elu_prime_from_output(act.elu(zz, 0.5), 0.5))):
        assert gradient_check(lambda zz: np.sum(f(zz)), slope(z), z.copy()) < TOLERANCE


def test_relu_slope_at_the_kink_is_zero_from_the_output_too():
    z = np.array([-1.0, 0.0, 1e-300, 2.0])
    assert act.relu_prime_from_output(act.relu(z)).tolist() == act.relu_prime(z).tolist()


def test_prime_from_output_refuses_softmax_and_unknown_names():
    with pytest.raises(ValueError, match="softmax has no elementwise derivative"):
        act.prime_from_output("softmax")
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        act.prime_from_output("swish")


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
    ([3, 4, 2], ["relu", "tanh"], "mse"),           # a tanh output: its slope from a^L
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


@pytest.mark.parametrize("names", [["sigmoid", "tanh", "sigmoid"], ["relu", "elu", "identity"],
                                   ["leaky_relu", "sigmoid", "identity"]])
def test_backward_uses_the_kept_activations_not_the_weighted_sums(names):
    """Lesson 05's backward pass: every slope from the activations the forward pass kept,
    a(1 - a), 1 - a^2, a > 0. With the kept weighted sums spoiled, the gradients stay the same."""
    rng = np.random.default_rng(8)
    net = MLP([3, 4, 5, 2], names, seed=9)
    X, T = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    _, expected = net.loss_and_gradients(X, T, "mse")
    net.forward(X)
    net.zs = [np.full_like(z, np.nan) for z in net.zs]
    output_gradient = losses.mse_gradient(net.activations[-1], T)
    for name, g in net.backward(output_gradient).items():
        np.testing.assert_array_equal(g, expected[name])


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


# ---- the landscapes of lessons 04 (gradients written by hand) and 06 (trained by fit) ----------
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
    # gradient the widget's training used and compare it with central differences.
    from nnlessons.widgets import batches
    X, y = batches.batch_data()
    eta = 0.01
    run = batches.run_batches(len(X), eta, 1)
    used = (run.path[0] - run.path[1]) / eta
    numeric = numerical_gradient(lambda w: float(batches.full_loss(w, X, y)), run.path[0].copy())
    assert relative_error(used, numeric) < TOLERANCE


# ---- numerical_gradient on any layout: the nudges reach the array the network holds ---------
def _network_and_its_loss():
    rng = np.random.default_rng(11)
    net = MLP([3, 4, 2], ["tanh", "identity"], seed=2)
    X, T = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    return net, (lambda _: net.loss(X, T, "mse")), net.loss_and_gradients(X, T, "mse")[1]


@pytest.mark.parametrize("layout", ["transposed", "fortran", "slice"])
def test_numerical_gradient_nudges_the_array_it_is_given(layout):
    net, loss, grads = _network_and_its_loss()
    if layout == "fortran":
        net.weights[0] = np.asfortranarray(net.weights[0])
        params, expected = net.weights[0], grads["W1"]
    elif layout == "transposed":
        params, expected = net.weights[0].T, grads["W1"].T
    else:
        params, expected = net.weights[0][:, 1:], grads["W1"][:, 1:]
    assert not params.flags.c_contiguous  # the layouts a reshape(-1) would have copied
    before = net.weights[0].copy()
    numerical = numerical_gradient(loss, params)
    assert relative_error(expected, numerical) < TOLERANCE
    assert np.array_equal(net.weights[0], before)  # every entry put back exactly


def test_numerical_gradient_restores_the_entry_when_f_raises():
    params = np.array([1.0, 2.0])

    def fails_when_nudged(p):
        if p[0] != 1.0:
            raise ArithmeticError("nudged")
        return 0.0

    with pytest.raises(ArithmeticError):
        numerical_gradient(fails_when_nudged, params)
    assert params.tolist() == [1.0, 2.0]


# ---- every loss against its gradient where the outputs saturate -----------------------------
def _central_difference(f, x, h):
    """The slope of f at the number x, and the floor of its own rounding error: the values of f
    are known to half a unit in their last place, and that error is divided by 2h."""
    plus, minus = f(x + h), f(x - h)
    return (plus - minus) / (2 * h), np.spacing(max(abs(plus), abs(minus))) / h


def _agree(analytic, numeric, floor):
    return abs(analytic - numeric) <= 1e-6 * abs(numeric) + floor


# the probabilities of confident answers, as exact binary fractions, so that p +- h is exact:
# 1e-12 itself is where the clip starts (see the test after this one)
TINY = 2.0 ** -39           # 1.8e-12
STEP_NEAR_0 = TINY * 2.0 ** -20
STEP_NEAR_1 = 2.0 ** -50    # 8 units in the last place of numbers just below 1


@pytest.mark.parametrize("p, h", [(TINY, STEP_NEAR_0), (1 - TINY, STEP_NEAR_1),
                                  (0.5, 1e-6)])
@pytest.mark.parametrize("label", [0.0, 1.0])
def test_probability_losses_match_their_gradients_at_saturated_outputs(p, h, label):
    bce = lambda q: losses.binary_cross_entropy([q], [label])  # noqa: E731
    numeric, floor = _central_difference(bce, p, h)
    analytic = losses.binary_cross_entropy_gradient([p], [label])[0]
    assert _agree(analytic, numeric, floor), (analytic, numeric)
    k = int(label)  # the right class of two, with probability p
    row = lambda q: [[q, 1 - q]] if k == 0 else [[1 - q, q]]  # noqa: E731
    cce = lambda q: losses.categorical_cross_entropy(row(q), [k])  # noqa: E731
    numeric, floor = _central_difference(cce, p, h)
    analytic = losses.categorical_cross_entropy_gradient(row(p), [k])[0, k]
    assert _agree(analytic, numeric, floor), (analytic, numeric)


@pytest.mark.parametrize("label", [0.0, 1.0])
def test_at_the_clip_the_gradient_is_the_slope_from_inside(label):
    """Probabilities are clipped to [1e-12, 1 - 1e-12]; at the edge the loss has a kink, and
    the gradient is its slope on the unclipped side (a one-sided difference of second order,
    (-3 L(p) + 4 L(p + s) - L(p + 2s)) / 2s, with s pointing inside)."""
    def bce(q):
        return losses.binary_cross_entropy([q], [label])
    for p, s in ((losses.EPS, 1e-18), (1 - losses.EPS, -STEP_NEAR_1)):
        one_sided = (-3 * bce(p) + 4 * bce(p + s) - bce(p + 2 * s)) / (2 * s)
        analytic = losses.binary_cross_entropy_gradient([p], [label])[0]
        assert abs(analytic - one_sided) <= 1e-5 * abs(analytic), (p, analytic, one_sided)


@pytest.mark.parametrize("z", [-40.0, -5.0, 0.0, 5.0, 40.0])
@pytest.mark.parametrize("label", [0, 1])
def test_logit_losses_match_their_gradients_at_saturated_outputs(z, label):
    bce = lambda s: losses.binary_cross_entropy_from_logits([s], [float(label)])  # noqa: E731
    numeric, floor = _central_difference(bce, z, 1e-5)
    analytic = losses.binary_cross_entropy_from_logits_gradient([z], [float(label)])[0]
    assert _agree(analytic, numeric, floor), (analytic, numeric)
    scores = np.array([z, -z, 0.5 * z])  # three classes, the first two far apart
    for k in range(3):
        def cce(s, k=k):
            return losses.categorical_cross_entropy_from_logits(
                [np.where(np.arange(3) == label, s, scores)], [k])
        numeric, floor = _central_difference(cce, scores[label], 1e-5)
        analytic = losses.categorical_cross_entropy_from_logits_gradient([scores], [k])[0, label]
        assert _agree(analytic, numeric, floor), (k, analytic, numeric)


@pytest.mark.parametrize("y", [-40.0, 0.0, 1e-12, 40.0])
def test_mse_matches_its_gradient(y):
    numeric, floor = _central_difference(lambda o: losses.mse([o], [1.0]), y, 1e-5)
    assert _agree(losses.mse_gradient([y], [1.0])[0], numeric, floor)


SATURATED = [  # (output activation, loss, targets): logits of +-40 for every label
    ("sigmoid", "binary_cross_entropy", [[1.0, 0.0]]),
    ("sigmoid", "binary_cross_entropy", [[0.0, 1.0]]),
    ("softmax", "cross_entropy", [0]),
    ("softmax", "cross_entropy", [1]),
    ("sigmoid", "mse", [[1.0, 0.0]]),
    ("sigmoid", "mse", [[0.0, 1.0]]),
]


@pytest.mark.parametrize("output, loss, targets", SATURATED)
def test_network_loss_and_gradients_agree_where_the_outputs_saturate(output, loss, targets):
    """The loss MLP reports and the gradients it follows are of one function, even where every
    probability rounds to 0 or 1: central differences of `net.loss` agree with backprop."""
    net = MLP([1, 2], output)
    net.weights[0][:] = [[40.0, -40.0]]  # logits +40 and -40 for the input 1
    X = np.array([[1.0]])
    _, grads = net.loss_and_gradients(X, targets, loss)
    for name, param in net.parameters().items():
        for index in np.ndindex(param.shape):
            def loss_at(value, index=index):
                original = param[index]
                param[index] = value
                try:
                    return net.loss(X, targets, loss)
                finally:
                    param[index] = original
            numeric, floor = _central_difference(loss_at, param[index], 1e-5)
            assert _agree(grads[name][index], numeric, floor), (name, index, grads[name][index],
                                                                numeric)


# ---- the hooks: a wrong derivative, a network without biases -------------------------------
def forum_sigmoid_prime(y):
    """The forum's y(y - 1), written with the neuron's output y: the sign is wrong."""
    return y * (y - 1.0)


def test_a_replaced_derivative_changes_backprop_and_the_gradient_check_catches_it():
    rng = np.random.default_rng(12)
    X, T = rng.normal(size=(5, 2)), rng.uniform(size=(5, 1))
    right = MLP([2, 3, 1], "sigmoid", seed=4)
    wrong = MLP([2, 3, 1], "sigmoid", seed=4, derivatives={"sigmoid": forum_sigmoid_prime})
    assert np.array_equal(wrong.forward(X), right.forward(X))  # the forward pass is unchanged
    assert wrong.loss(X, T, "mse") == right.loss(X, T, "mse")
    _, good = right.loss_and_gradients(X, T, "mse")
    _, bad = wrong.loss_and_gradients(X, T, "mse")
    # the output layer's delta has one wrong slope: its gradients have the wrong sign; the
    # hidden layer's delta has two, which cancel (so the check must look at every layer)
    for name, sign in (("W2", -1), ("b2", -1), ("W1", 1), ("b1", 1)):
        np.testing.assert_allclose(bad[name], sign * good[name], rtol=1e-12)
    for name, param in wrong.parameters().items():
        numerical = numerical_gradient(lambda _: wrong.loss(X, T, "mse"), param)
        assert relative_error(good[name], numerical) < TOLERANCE
    every = lambda grads: np.concatenate([g.ravel() for g in grads.values()])  # noqa: E731
    numerical = every({name: numerical_gradient(lambda _: wrong.loss(X, T, "mse"), param)
                       for name, param in wrong.parameters().items()})
    assert relative_error(every(bad), numerical) > 0.1


@pytest.mark.parametrize("loss", ["mse", "binary_cross_entropy"])
def test_a_network_without_biases_has_only_weights_and_their_gradients(loss):
    rng = np.random.default_rng(13)
    net = MLP([3, 4, 1], ["tanh", "sigmoid"], seed=1, bias=False)
    assert list(net.parameters()) == ["W1", "W2"]
    X, T = rng.normal(size=(7, 3)), rng.integers(0, 2, size=(7, 1)).astype(float)
    _, grads = net.loss_and_gradients(X, T, loss)
    assert list(grads) == ["W1", "W2"]
    for name, param in net.parameters().items():
        numerical = numerical_gradient(lambda _: net.loss(X, T, loss), param)
        assert relative_error(grads[name], numerical) < TOLERANCE
    assert np.array_equal(net.forward(X), act.sigmoid(np.tanh(X @ net.weights[0]) @ net.weights[1]))
