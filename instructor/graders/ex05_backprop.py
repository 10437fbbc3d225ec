"""Hidden tests of exercise notebook 05_backprop, with the reference answers they compare with.
INSTRUCTOR ONLY: never give this file to learners (see instructor/README.md)."""
import numpy as np

from nnlessons import activations, calculus
from nnlessons.network import MLP
from nnlessons.grading.suite import Suite, ref
from nnlessons.grading.suites.ex05_backprop import NAMES, check_gradients, forum_gradients

suite = Suite("05_backprop")


def network(seed, m, h, k, scale=1.0):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(0, scale, size=(m, h)), "b1": rng.normal(0, 0.1, size=h),
            "W2": rng.normal(0, scale, size=(h, k)), "b2": rng.normal(0, 0.1, size=k)}


def reference_gradients(X, targets, params, output):
    """The course's own backprop (computed here, in the grader's process)."""
    params = {name: np.asarray(value, dtype=float) for name, value in params.items()}
    X, targets = np.asarray(X, dtype=float), np.asarray(targets, dtype=float)
    net = MLP([X.shape[1], params["W1"].shape[1], params["W2"].shape[1]], ["sigmoid", output])
    net.set_parameters(params)
    _, grads = net.loss_and_gradients(X, targets, "mse")
    return grads


# --- sigmoid_prime_from_output(a) -------------------------------------------------------------

@suite.test(function="sigmoid_prime_from_output", points=1, hidden=True,
            case="a 2-D array: activations",
            hint="a * (1 - a), elementwise, keeps the shape of a")
def keeps_the_shape(student, expect):
    a = activations.sigmoid(np.random.default_rng(21).normal(size=(3, 4)))
    got = student.sigmoid_prime_from_output(a)
    expect.shape(got, (3, 4), inputs="a of shape (3, 4)")
    expect.close(got, a * (1 - a), inputs="a of shape (3, 4)")


@suite.test(function="sigmoid_prime_from_output", points=1, hidden=True,
            case="your function changed its input",
            hint="a * (1 - a) makes a new array; do not write into a")
def slope_leaves_input_alone(student, expect):
    a = np.linspace(0.05, 0.95, 7)
    _, changed = student.sigmoid_prime_from_output.call_checking_inputs(a)
    expect.unchanged(changed, inputs="a = linspace(0.05, 0.95, 7)")


# --- backprop(X, targets, W1, b1, W2, b2, output="sigmoid") -> dict --------------------------

@suite.test(function="backprop", points=1, hidden=True,
            case="a batch of one example",
            hint="keep every array two-dimensional; dL/db sums delta over the examples "
                 "(axis=0), even when there is only one")
def backprop_one_example(student, expect):
    rng = np.random.default_rng(4)
    X, T = rng.normal(size=(1, 4)), rng.uniform(size=(1, 1))
    params = network(5, 4, 3, 1)
    check_gradients(expect, student.backprop(X, T, **params),
                    reference_gradients(X, T, params, "sigmoid"), "a batch of one example")


@suite.test(function="backprop", points=2, hidden=True,
            case="ordinary inputs of another size: a large batch and several outputs",
            hint="the N of 2 (A2 - T) / N is T.size, every output of every example, not the "
                 "number of examples")
def large_batch_several_outputs(student, expect):
    rng = np.random.default_rng(6)
    X, T = rng.normal(size=(64, 5)), rng.uniform(size=(64, 3))
    params = network(7, 5, 8, 3)
    check_gradients(expect, student.backprop(X, T, **params),
                    reference_gradients(X, T, params, "sigmoid"),
                    "64 examples, a 5-8-3 network (the mean is over all 64 x 3 outputs)")


@suite.test(function="backprop", points=2, hidden=True,
            case="checked against a numerical gradient: a two-layer network",
            hint="every gradient must agree with a numerical gradient check: go back layer by "
                 "layer, delta1 = (delta2 @ W2.T) * A1 (1 - A1)")
def agrees_with_numerical_gradient(student, expect):
    rng = np.random.default_rng(8)
    X, T = rng.normal(size=(6, 2)), rng.uniform(size=(6, 2))
    params = network(9, 2, 3, 2)
    got = student.backprop(X, T, **params)
    expect.true(isinstance(got, dict) and all(name in got for name in NAMES),
                "backprop should return a dict with the keys W1, b1, W2, b2")

    def loss(values):
        A1 = activations.sigmoid(X @ values["W1"] + values["b1"])
        return np.mean((activations.sigmoid(A1 @ values["W2"] + values["b2"]) - T) ** 2)

    expect.agrees_numerically(got, {name: params[name] for name in NAMES}, loss,
                              "6 examples, a 2-3-2 network")


@suite.test(function="backprop", points=1, hidden=True,
            case="very large inputs: very large weighted sums (saturated neurons)",
            hint="take the slopes from the activations, A (1 - A), which stay finite; do not "
                 "compute e^z again")
def saturated_neurons(student, expect):
    rng = np.random.default_rng(10)
    X, T = rng.normal(size=(8, 3)) * 30, rng.uniform(size=(8, 1))
    params = network(11, 3, 4, 1, scale=20.0)
    got = student.backprop(X, T, **params)
    for name in NAMES if isinstance(got, dict) else ():
        expect.finite(got.get(name), what=f"the gradient {name}",
                      inputs="inputs and weights so large that sigmoid(z) saturates")
    check_gradients(expect, got, reference_gradients(X, T, params, "sigmoid"),
                    "weighted sums in the hundreds (saturated neurons)")


@suite.test(function="backprop", points=1, hidden=True,
            case="your function changed its input",
            hint="build new arrays; do not change X, the targets or the weights in place")
def backprop_leaves_inputs_alone(student, expect):
    rng = np.random.default_rng(12)
    X, T = rng.normal(size=(5, 2)), rng.uniform(size=(5, 1))
    params = network(13, 2, 3, 1)
    _, changed = student.backprop.call_checking_inputs(X, T, params["W1"], params["b1"],
                                                       params["W2"], params["b2"])
    expect.unchanged(changed, inputs="X (5, 2), a 2-3-1 network")


@suite.test(function="backprop", points=1, hidden=True,
            case="another value of an optional argument: the forum's slope handed in, with a "
                 "linear output",
            hint="take the hidden layer's sigmoid slope from the slope argument too (the output "
                 "layer of output=\"identity\" has none)")
def forum_slope_linear_output(student, expect):
    rng = np.random.default_rng(14)
    X, T = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    params = network(15, 3, 4, 2)
    got = student.backprop(X, T, **params, output="identity",
                           slope=ref("nnlessons.grading.functions.forum_sigmoid_slope"))
    check_gradients(expect, got, forum_gradients(
        reference_gradients(X, T, params, "identity"), "identity"),
        "5 examples, a 3-4-2 network, output='identity', the forum's slope")


# --- update(params, grads, learning_rate) -> dict ---------------------------------------------

@suite.test(function="update", points=2, hidden=True,
            case="your function changed its input",
            hint="build new arrays (w - lr * g) instead of changing w in place (w -= ...)")
def update_leaves_inputs_alone(student, expect):
    params, grads = network(16, 3, 2, 2), network(17, 3, 2, 2)
    _, changed = student.update.call_checking_inputs(params, grads, 0.1)
    expect.unchanged(changed, inputs="params, grads, learning_rate = 0.1",
                     hint="build new arrays (w - lr * g) instead of changing w in place (w -= ...)")


@suite.test(function="update", points=1, hidden=True,
            case="ordinary inputs of another size: a network with three layers",
            hint="go through every entry of params, whatever the names, not just W1, b1, W2, b2")
def any_parameter_names(student, expect):
    rng = np.random.default_rng(18)
    params = {name: rng.normal(size=(2, 2)) for name in ("W1", "W2", "W3")}
    params.update({name: rng.normal(size=2) for name in ("b1", "b2", "b3")})
    grads = {name: rng.normal(size=value.shape) for name, value in params.items()}
    got = student.update(params, grads, 0.01)
    expect.true(isinstance(got, dict) and set(got) == set(params),
                "update should return one entry per parameter, whatever the names",
                inputs="a three-layer network: W1, b1, W2, b2, W3, b3")
    for name in params:
        expect.close(got[name], params[name] - 0.01 * grads[name], what=f"the new {name}")


# --- relative_error(analytic, numerical) -> float ---------------------------------------------

@suite.test(function="relative_error", points=1, hidden=True,
            case="nothing to do: two gradients that are both zero",
            hint="keep the bottom of the fraction at least 1e-12, so that 0 / 0 never happens")
def both_zero(student, expect):
    got = student.relative_error(np.zeros(3), np.zeros(3))
    expect.finite(got, inputs="both all zeros", hint="keep the bottom at least 1e-12")
    expect.close(got, 0.0, inputs="both all zeros")


@suite.test(function="relative_error", points=1, hidden=True,
            case="a 2-D array: gradients in 2-D arrays",
            hint="take the norm of the whole array (np.linalg.norm with no axis): the answer is "
                 "one number")
def random_matrices(student, expect):
    rng = np.random.default_rng(19)
    a, n = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    got = student.relative_error(a, n)
    expect.true(np.ndim(got) == 0, "relative_error should return one number",
                inputs="two (4, 3) arrays", hint="np.linalg.norm of the whole array, no axis")
    expect.close(got, calculus.relative_error(a, n), inputs="two random (4, 3) arrays")


@suite.test(function="relative_error", points=1, hidden=True,
            case="a value exactly at a boundary: two tiny gradients, not both zero",
            hint="divide by max(||a|| + ||n||, 1e-12), as the docstring says: the bottom is kept "
                 "at least 1e-12 for every input, not only when both are zero")
def relative_error_tiny_gradients(student, expect):
    # Their sizes add up to 4e-13, below the floor: 2e-13 / 1e-12 = 0.2, where dividing by the
    # sum gives 0.5.
    a, n = np.array([3e-13, 0.0]), np.array([1e-13, 0.0])
    expect.close(student.relative_error(a, n), calculus.relative_error(a, n),
                 inputs="analytic = [3e-13, 0], numerical = [1e-13, 0]",
                 hint="divide by max(||a|| + ||n||, 1e-12)")


# --- backprop_tanh(X, targets, W1, b1, W2, b2) -> dict ----------------------------------------

def tanh_reference(X, targets, params):
    X, targets = np.asarray(X, dtype=float), np.asarray(targets, dtype=float)
    net = MLP([X.shape[1], params["W1"].shape[1], params["W2"].shape[1]], ["tanh", "identity"])
    net.set_parameters(params)
    return net.loss_and_gradients(X, targets, "mse")[1]


@suite.test(function="backprop_tanh", points=2, hidden=True,
            case="checked against a numerical gradient: a tanh network",
            hint="run a gradient check on your own tanh network: if the hidden layer is off, "
                 "the slope you derived is")
def tanh_agrees_with_numerical_gradient(student, expect):
    rng = np.random.default_rng(40)
    X, T = rng.normal(size=(7, 4)), rng.normal(size=(7, 3))
    params = network(41, 4, 5, 3)
    got = student.backprop_tanh(X, T, **params)
    expect.true(isinstance(got, dict) and all(name in got for name in NAMES),
                "backprop_tanh should return a dict with the keys W1, b1, W2, b2")

    def loss(values):
        A1 = np.tanh(X @ values["W1"] + values["b1"])
        return np.mean((A1 @ values["W2"] + values["b2"] - T) ** 2)

    expect.agrees_numerically(got, {name: params[name] for name in NAMES}, loss,
                              "7 examples, a 4-5-3 tanh network")


@suite.test(function="backprop_tanh", points=1, hidden=True, case="a batch of one example",
            hint="keep every array two-dimensional; the bias gradients sum over axis 0")
def tanh_one_example(student, expect):
    rng = np.random.default_rng(42)
    X, T = rng.normal(size=(1, 3)), rng.normal(size=(1, 2))
    params = network(43, 3, 4, 2)
    check_gradients(expect, student.backprop_tanh(X, T, **params),
                    tanh_reference(X, T, params), "one example, a 3-4-2 tanh network")


@suite.test(function="backprop_tanh", points=1, hidden=True,
            case="very large inputs: very large weighted sums (saturated neurons)",
            hint="write the slope with tanh's output, which stays between -1 and 1; "
                 "recomputing exponentials of huge sums overflows")
def tanh_saturated(student, expect):
    rng = np.random.default_rng(44)
    X, T = rng.normal(size=(6, 3)) * 30, rng.normal(size=(6, 1))
    params = network(45, 3, 4, 1, scale=20.0)
    got = student.backprop_tanh(X, T, **params)
    for name in NAMES if isinstance(got, dict) else ():
        expect.finite(got.get(name), what=f"the gradient {name}")
    check_gradients(expect, got, tanh_reference(X, T, params), "saturated tanh neurons")


@suite.test(function="backprop_tanh", points=1, hidden=True,
            case="your function changed its input",
            hint="build new arrays; do not change X, the targets or the weights in place")
def tanh_leaves_inputs_alone(student, expect):
    rng = np.random.default_rng(46)
    X, T = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    params = network(47, 2, 3, 1)
    _, changed = student.backprop_tanh.call_checking_inputs(X, T, params["W1"], params["b1"],
                                                            params["W2"], params["b2"])
    expect.unchanged(changed)
