"""Grader of exercise notebook 01_neuron: a neuron and a layer, forward, over a batch."""
import numpy as np

from nnlessons import activations, neuron
from nnlessons.grading.suite import Suite

NO_REFERENCE = ["nnlessons.neuron.weighted_sum", "nnlessons.neuron.neuron",
                "nnlessons.neuron.layer_forward"]
suite = Suite("01_neuron", functions=["weighted_sum", "sigmoid", "layer_forward",
                                      "two_layer_forward"], forbidden={
    "weighted_sum": NO_REFERENCE,
    "sigmoid": ["nnlessons.activations.sigmoid", "nnlessons.activations.get"],
    "layer_forward": NO_REFERENCE + ["nnlessons.activations.sigmoid"],
    "two_layer_forward": NO_REFERENCE + ["nnlessons.activations.sigmoid"],
})


def batch(seed, n, m):
    return np.random.default_rng(seed).normal(size=(n, m))


# --- weighted_sum(X, weights, bias) -> (n,) ---------------------------------------------------

@suite.test(function="weighted_sum", points=2)
def one_example(student, expect):
    """One example with two inputs, worked by hand."""
    got = student.weighted_sum(np.array([[1.0, 2.0]]), np.array([0.5, -1.0]), 0.25)
    expect.close(got, [-1.25], inputs="X=[[1, 2]], weights=[0.5, -1], bias=0.25",
                 hint="1*0.5 + 2*(-1) + 0.25 = -1.25: each input times its weight, summed, "
                      "plus the bias")


@suite.test(function="weighted_sum", points=2)
def batch_of_examples(student, expect):
    """Four examples at once: one weighted sum per row."""
    X = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0], [1.0, 1.0, 1.0], [-1.0, 2.0, 0.5]])
    w = np.array([0.5, -1.0, 2.0])
    got = student.weighted_sum(X, w, 1.0)
    expect.shape(got, (4,), inputs="X of shape (4, 3), weights of shape (3,)",
                 hint="one number per example (row of X): X @ weights gives shape (4,)")
    expect.close(got, X @ w + 1.0, inputs=f"X={X.tolist()}, weights={w.tolist()}, bias=1",
                 hint="add the bias once per example, not once per input")


@suite.test(function="weighted_sum", points=2, hidden=True)
def many_examples_random(student, expect):
    X, w = batch(1, 37, 5), np.random.default_rng(2).normal(size=5)
    got = student.weighted_sum(X, w, -0.7)
    expect.close(got, neuron.weighted_sum(X, w, -0.7), inputs="37 random examples of 5 inputs")


@suite.test(function="weighted_sum", points=1, hidden=True)
def weighted_sum_leaves_inputs_alone(student, expect):
    X, w = batch(3, 6, 4), np.random.default_rng(4).normal(size=4)
    _, changed = student.weighted_sum.call_checking_inputs(X, w, 0.5)
    expect.unchanged(changed, inputs="X of shape (6, 4)")


# --- sigmoid(z) -------------------------------------------------------------------------------

@suite.test(function="sigmoid", points=2)
def sigmoid_values(student, expect):
    """A few values: sigmoid(0) is 0.5, and it is a smooth step from 0 to 1."""
    z = np.array([-2.0, 0.0, 1.0, 3.0])
    expect.close(student.sigmoid(z), activations.sigmoid(z), inputs="z=[-2, 0, 1, 3]",
                 hint="1 / (1 + e^(-z)); check the sign inside the exponential: "
                      "sigmoid(0) = 0.5 and sigmoid(3) is close to 1")


@suite.test(function="sigmoid", points=1)
def sigmoid_keeps_shape(student, expect):
    """Applied elementwise, so a (2, 3) batch stays (2, 3)."""
    z = np.arange(6.0).reshape(2, 3) - 2.5
    got = student.sigmoid(z)
    expect.shape(got, (2, 3), inputs="z of shape (2, 3)",
                 hint="use np.exp on the whole array, no loop and no sum")
    expect.close(got, activations.sigmoid(z), inputs=f"z={z.tolist()}")


@suite.test(function="sigmoid", points=2, hidden=True)
def sigmoid_large_inputs(student, expect):
    z = np.array([-1000.0, -40.0, 40.0, 1000.0])
    got = student.sigmoid(z)
    expect.finite(got, inputs="z=[-1000, -40, 40, 1000]")
    expect.close(got, activations.sigmoid(z), inputs="z=[-1000, -40, 40, 1000]")


@suite.test(function="sigmoid", points=1, hidden=True)
def sigmoid_leaves_input_alone(student, expect):
    z = np.linspace(-3, 3, 7)
    _, changed = student.sigmoid.call_checking_inputs(z)
    expect.unchanged(changed, inputs="z=linspace(-3, 3, 7)")


# --- layer_forward(X, weights, biases) -> (n, k) ----------------------------------------------

@suite.test(function="layer_forward", points=2)
def layer_small(student, expect):
    """Two examples, three inputs, two neurons: the activations of the whole layer."""
    X = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0]])
    W = np.array([[0.1, -0.2], [0.4, 0.3], [-0.5, 0.6]])
    b = np.array([0.0, -0.1])
    got = student.layer_forward(X, W, b)
    expect.shape(got, (2, 2), inputs="X (2, 3), weights (3, 2), biases (2,)",
                 hint="a row per example, a column per neuron: X @ weights has shape (2, 2)")
    expect.close(got, activations.sigmoid(X @ W + b),
                 inputs=f"X={X.tolist()}, weights={W.tolist()}, biases={b.tolist()}",
                 hint="sigmoid(X @ weights + biases): weights first multiplied, then the bias "
                      "of each neuron added, then the sigmoid")


@suite.test(function="layer_forward", points=2, hidden=True)
def layer_not_square(student, expect):
    X, W = batch(5, 11, 4), np.random.default_rng(6).normal(size=(4, 7))
    b = np.random.default_rng(7).normal(size=7)
    got = student.layer_forward(X, W, b)
    expect.shape(got, (11, 7), inputs="X (11, 4), weights (4, 7), biases (7,)")
    expect.close(got, activations.sigmoid(X @ W + b), inputs="random X (11, 4)")


@suite.test(function="layer_forward", points=1, hidden=True)
def layer_one_example(student, expect):
    X, W, b = batch(8, 1, 3), batch(9, 3, 2), np.zeros(2)
    expect.close(student.layer_forward(X, W, b), activations.sigmoid(X @ W + b),
                 inputs="a batch of a single example, X (1, 3)")


# --- two_layer_forward(X, W1, b1, W2, b2) -> (n, k2) ------------------------------------------

@suite.test(function="two_layer_forward", points=3)
def two_layers_small(student, expect):
    """A 2-3-1 network on two examples."""
    X = np.array([[0.0, 1.0], [1.0, 1.0]])
    W1 = np.array([[0.2, -0.4, 0.1], [0.5, 0.3, -0.6]])
    b1 = np.array([0.1, 0.0, -0.1])
    W2 = np.array([[1.0], [-2.0], [0.5]])
    b2 = np.array([0.3])
    got = student.two_layer_forward(X, W1, b1, W2, b2)
    hidden_layer = activations.sigmoid(X @ W1 + b1)
    expect.shape(got, (2, 1), inputs="X (2, 2), W1 (2, 3), W2 (3, 1)")
    expect.close(got, activations.sigmoid(hidden_layer @ W2 + b2),
                 inputs="X=[[0, 1], [1, 1]] through a 2-3-1 network",
                 hint="the second layer reads the first layer's activations (after the "
                      "sigmoid), not X")


@suite.test(function="two_layer_forward", points=2, hidden=True)
def two_layers_random(student, expect):
    X, W1, W2 = batch(10, 9, 4), batch(11, 4, 6), batch(12, 6, 3)
    b1, b2 = np.random.default_rng(13).normal(size=6), np.random.default_rng(14).normal(size=3)
    want = activations.sigmoid(activations.sigmoid(X @ W1 + b1) @ W2 + b2)
    got = student.two_layer_forward(X, W1, b1, W2, b2)
    expect.shape(got, (9, 3), inputs="X (9, 4) through a 4-6-3 network")
    expect.close(got, want, inputs="random X (9, 4) through a 4-6-3 network")
