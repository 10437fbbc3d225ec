"""Grader of exercise notebook 05_backprop: the sigmoid's derivative from its output, backprop
through a two-layer network over a batch, the update step and the gradient check's relative
error."""
import numpy as np

from nnlessons import activations, calculus
from nnlessons.network import MLP
from nnlessons.grading.suite import Suite

# Backprop must be written, not borrowed: the reference network's backward pass (every public
# method that computes gradients goes through MLP._backward) and its loss are taken out.
NO_NETWORK = ["nnlessons.network.MLP._backward", "nnlessons.network.loss_value"]
NO_SIGMOID_PRIME = ["nnlessons.activations.sigmoid_prime", "nnlessons.activations.get"]
NO_NUMERICAL = ["nnlessons.calculus.numerical_gradient", "nnlessons.calculus.gradient_check"]
suite = Suite("05_backprop", functions=["sigmoid_prime_from_output", "backprop", "update",
                                        "relative_error"], forbidden={
    "sigmoid_prime_from_output": NO_SIGMOID_PRIME,
    "backprop": NO_SIGMOID_PRIME + NO_NETWORK + NO_NUMERICAL,
    "update": ["nnlessons.training.sgd_step"],
    "relative_error": ["nnlessons.calculus.relative_error", "nnlessons.calculus.gradient_check"],
})

NAMES = ("W1", "b1", "W2", "b2")


def network(seed, m, h, k, scale=1.0):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(0, scale, size=(m, h)), "b1": rng.normal(0, 0.1, size=h),
            "W2": rng.normal(0, scale, size=(h, k)), "b2": rng.normal(0, 0.1, size=k)}


def reference_gradients(X, targets, params, output):
    """The course's own backprop (computed here, in the grader's process)."""
    net = MLP([X.shape[1], params["W1"].shape[1], params["W2"].shape[1]], ["sigmoid", output])
    net.set_parameters(params)
    _, grads = net.loss_and_gradients(X, targets, "mse")
    return grads


def check_gradients(expect, got, want, inputs, hint=None):
    expect.true(isinstance(got, dict), "backprop should return a dict "
                '{"W1": ..., "b1": ..., "W2": ..., "b2": ...}', inputs=inputs)
    missing = [name for name in NAMES if name not in got]
    expect.true(not missing, f"the dict backprop returns has no key {missing[:1]}: it needs "
                f"the keys W1, b1, W2, b2", inputs=inputs)
    for name in NAMES:
        expect.shape(got[name], want[name].shape, inputs=inputs, what=f"the gradient {name}",
                     hint="each gradient has the shape of its parameter: dL/dW = A.T @ delta, "
                          "dL/db = delta.sum(axis=0)")
    for name in ("W2", "b2", "W1", "b1"):  # the last layer first, like backprop itself
        expect.close(got[name], want[name], rtol=1e-6, atol=1e-10, inputs=inputs,
                     what=f"the gradient {name}", hint=hint)


# --- sigmoid_prime_from_output(a) -------------------------------------------------------------

@suite.test(function="sigmoid_prime_from_output", points=2)
def matches_the_slope_of_sigmoid(student, expect):
    """Given a = sigmoid(z), the slope of the sigmoid at z."""
    z = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
    got = student.sigmoid_prime_from_output(activations.sigmoid(z))
    expect.close(got, activations.sigmoid_prime(z), inputs="a = sigmoid([-3, -1, 0, 0.5, 2])",
                 hint="a * (1 - a), never negative: a * (a - 1) has the sign wrong")


@suite.test(function="sigmoid_prime_from_output", points=1)
def largest_in_the_middle(student, expect):
    """At a = 0.5 the slope is 0.25; where the neuron is sure (a = 0 or 1) it is 0."""
    a = np.array([0.0, 0.5, 1.0])
    expect.close(student.sigmoid_prime_from_output(a), a * (1 - a), inputs="a = [0, 0.5, 1]")


@suite.test(function="sigmoid_prime_from_output", points=1, hidden=True)
def keeps_the_shape(student, expect):
    a = activations.sigmoid(np.random.default_rng(21).normal(size=(3, 4)))
    got = student.sigmoid_prime_from_output(a)
    expect.shape(got, (3, 4), inputs="a of shape (3, 4)")
    expect.close(got, a * (1 - a), inputs="a of shape (3, 4)")


@suite.test(function="sigmoid_prime_from_output", points=1, hidden=True)
def slope_leaves_input_alone(student, expect):
    a = np.linspace(0.05, 0.95, 7)
    _, changed = student.sigmoid_prime_from_output.call_checking_inputs(a)
    expect.unchanged(changed, inputs="a = linspace(0.05, 0.95, 7)")


# --- backprop(X, targets, W1, b1, W2, b2, output="sigmoid") -> dict --------------------------

@suite.test(function="backprop", points=3)
def xor_network(student, expect):
    """A 2-3-1 network with a sigmoid output on the four XOR examples."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    T = np.array([[0.0], [1.0], [1.0], [0.0]])
    params = network(1, 2, 3, 1)
    got = student.backprop(X, T, **params)
    check_gradients(expect, got, reference_gradients(X, T, params, "sigmoid"),
                    "the 4 XOR examples, a 2-3-1 network, sigmoid output",
                    hint="start from dL/dA2 = 2 (A2 - T) / N with N = T.size (a mean, not a "
                         "sum), multiply by A2 (1 - A2), then go back with W2.T")


@suite.test(function="backprop", points=2)
def linear_output(student, expect):
    """output="identity": the output layer has no activation, so delta2 = dL/dA2."""
    rng = np.random.default_rng(2)
    X, T = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    params = network(3, 3, 4, 2)
    got = student.backprop(X, T, **params, output="identity")
    check_gradients(expect, got, reference_gradients(X, T, params, "identity"),
                    "5 examples, a 3-4-2 network, output='identity'",
                    hint="with a linear output, A2 = Z2 and delta2 is dL/dA2 = 2 (A2 - T) / "
                         "T.size itself: no sigmoid slope at the output (the hidden layer "
                         "still has one)")


@suite.test(function="backprop", points=1, hidden=True)
def one_example(student, expect):
    rng = np.random.default_rng(4)
    X, T = rng.normal(size=(1, 4)), rng.uniform(size=(1, 1))
    params = network(5, 4, 3, 1)
    check_gradients(expect, student.backprop(X, T, **params),
                    reference_gradients(X, T, params, "sigmoid"), "a batch of one example")


@suite.test(function="backprop", points=2, hidden=True)
def large_batch_several_outputs(student, expect):
    rng = np.random.default_rng(6)
    X, T = rng.normal(size=(64, 5)), rng.uniform(size=(64, 3))
    params = network(7, 5, 8, 3)
    check_gradients(expect, student.backprop(X, T, **params),
                    reference_gradients(X, T, params, "sigmoid"),
                    "64 examples, a 5-8-3 network (the mean is over all 64 x 3 outputs)")


@suite.test(function="backprop", points=2, hidden=True)
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

    for name in NAMES:
        trial = {key: value.copy() for key, value in params.items()}
        numerical = calculus.numerical_gradient(lambda p: loss({**trial, name: p}), trial[name])
        expect.shape(got[name], numerical.shape, what=f"the gradient {name}")
        error = calculus.relative_error(got[name], numerical)
        expect.true(error < 1e-6, f"the gradient {name} disagrees with a numerical gradient "
                    f"check (relative error {error:.1e}; below 1e-6 means right)",
                    inputs="6 examples, a 2-3-2 network")


@suite.test(function="backprop", points=1, hidden=True)
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


@suite.test(function="backprop", points=1, hidden=True)
def backprop_leaves_inputs_alone(student, expect):
    rng = np.random.default_rng(12)
    X, T = rng.normal(size=(5, 2)), rng.uniform(size=(5, 1))
    params = network(13, 2, 3, 1)
    _, changed = student.backprop.call_checking_inputs(X, T, params["W1"], params["b1"],
                                                       params["W2"], params["b2"])
    expect.unchanged(changed, inputs="X (5, 2), a 2-3-1 network")


# --- update(params, grads, learning_rate) -> dict ---------------------------------------------

@suite.test(function="update", points=2)
def one_step_downhill(student, expect):
    """Each parameter moves by -learning_rate times its gradient."""
    params, grads = network(14, 2, 3, 1), network(15, 2, 3, 1)
    got = student.update(params, grads, 0.5)
    expect.true(isinstance(got, dict) and all(name in got for name in NAMES),
                "update should return a dict with the same keys as params",
                inputs="params and grads with the keys W1, b1, W2, b2")
    for name in NAMES:
        expect.close(got[name], params[name] - 0.5 * grads[name], inputs="learning_rate = 0.5",
                     what=f"the new {name}",
                     hint="w - learning_rate * grad: minus, to step downhill")


@suite.test(function="update", points=2, hidden=True)
def update_leaves_inputs_alone(student, expect):
    params, grads = network(16, 3, 2, 2), network(17, 3, 2, 2)
    _, changed = student.update.call_checking_inputs(params, grads, 0.1)
    expect.unchanged(changed, inputs="params, grads, learning_rate = 0.1",
                     hint="build new arrays (w - lr * g) instead of changing w in place (w -= ...)")


@suite.test(function="update", points=1, hidden=True)
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

@suite.test(function="relative_error", points=1)
def identical_gradients(student, expect):
    """Two equal gradients: 0."""
    g = np.array([0.5, -1.0, 2.0])
    expect.close(student.relative_error(g, g.copy()), 0.0, inputs="analytic = numerical")


@suite.test(function="relative_error", points=2)
def twice_and_opposite(student, expect):
    """Twice as long: 1/3. Pointing the opposite way: 1."""
    n = np.array([[0.3, -0.4], [1.2, 0.0]])
    expect.close(student.relative_error(2 * n, n), 1 / 3, inputs="analytic = 2 * numerical",
                 hint="||a - n|| / (||a|| + ||n||): ||n|| / (2||n|| + ||n||) = 1/3; divide by "
                      "the sum of both lengths, not by one of them")
    expect.close(student.relative_error(-n, n), 1.0, inputs="analytic = -numerical")


@suite.test(function="relative_error", points=1, hidden=True)
def both_zero(student, expect):
    got = student.relative_error(np.zeros(3), np.zeros(3))
    expect.finite(got, inputs="both all zeros", hint="keep the bottom at least 1e-12")
    expect.close(got, 0.0, inputs="both all zeros")


@suite.test(function="relative_error", points=1, hidden=True)
def random_matrices(student, expect):
    rng = np.random.default_rng(19)
    a, n = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    got = student.relative_error(a, n)
    expect.true(np.ndim(got) == 0, "relative_error should return one number",
                inputs="two (4, 3) arrays", hint="np.linalg.norm of the whole array, no axis")
    expect.close(got, calculus.relative_error(a, n), inputs="two random (4, 3) arrays")
