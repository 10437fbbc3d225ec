"""Hidden tests of exercise notebook 01_neuron, with the reference answers they compare with.
INSTRUCTOR ONLY: never give this file to learners (see instructor/README.md)."""
import numpy as np

from nnlessons import activations, neuron
from nnlessons.grading.suite import Suite

suite = Suite("01_neuron")


def batch(seed, n, m):
    return np.random.default_rng(seed).normal(size=(n, m))


# --- weighted_sum(X, weights, bias) -> (n,) ---------------------------------------------------

@suite.test(function="weighted_sum", points=2, hidden=True,
            case="ordinary inputs of another size: many examples with several inputs each",
            hint="one weighted sum per row of X: X @ weights + bias works for any number of "
                 "examples and inputs")
def many_examples_random(student, expect):
    X, w = batch(1, 37, 5), np.random.default_rng(2).normal(size=5)
    got = student.weighted_sum(X, w, -0.7)
    expect.close(got, neuron.weighted_sum(X, w, -0.7), inputs="37 random examples of 5 inputs")


@suite.test(function="weighted_sum", points=1, hidden=True,
            case="your function changed its input",
            hint="compute a new array (X @ weights + bias); do not change X or the weights in "
                 "place")
def weighted_sum_leaves_inputs_alone(student, expect):
    X, w = batch(3, 6, 4), np.random.default_rng(4).normal(size=4)
    _, changed = student.weighted_sum.call_checking_inputs(X, w, 0.5)
    expect.unchanged(changed, inputs="X of shape (6, 4)")


# --- sigmoid(z) -------------------------------------------------------------------------------

@suite.test(function="sigmoid", points=2, hidden=True,
            case="very large inputs: far below and far above 0",
            hint="stay finite and keep tiny probabilities: for z below 0, compute the sigmoid "
                 "from e^z (never e^(-z), which overflows to infinity and rounds the answer to "
                 "0); forms like e^z / (1 + e^z) for z above 0 give infinity / infinity = NaN")
def sigmoid_large_inputs(student, expect):
    # e^(-z) overflows below z = -709.8 while sigmoid(z) = e^z stays a (subnormal) float down to
    # z = -745: there the naive 1 / (1 + e^(-z)) gives 0 where the answer is not 0.
    z = np.array([-1000.0, -730.0, -715.0, -709.9, -40.0, 40.0, 709.9, 1000.0])
    got = student.sigmoid(z)
    expect.finite(got, inputs="z=[-1000, -730, -715, -709.9, -40, 40, 709.9, 1000]")
    expect.close(got, activations.sigmoid(z), rtol=1e-5, atol=0.0,
                 inputs="z=[-1000, -730, -715, -709.9, -40, 40, 709.9, 1000]")


@suite.test(function="sigmoid", points=1, hidden=True,
            case="your function changed its input",
            hint="np.exp(-z) makes a new array; writing into z (z *= -1, out=z) changes the "
                 "caller's data")
def sigmoid_leaves_input_alone(student, expect):
    z = np.linspace(-3, 3, 7)
    _, changed = student.sigmoid.call_checking_inputs(z)
    expect.unchanged(changed, inputs="z=linspace(-3, 3, 7)")


# --- layer_forward(X, weights, biases) -> (n, k) ----------------------------------------------

@suite.test(function="layer_forward", points=2, hidden=True,
            case="ordinary inputs of another size: more neurons than inputs (a weight matrix that "
                 "is not square)",
            hint="X (n, m) @ weights (m, k) + biases (k,) has shape (n, k): use the weights as "
                 "given, not transposed")
def layer_not_square(student, expect):
    X, W = batch(5, 11, 4), np.random.default_rng(6).normal(size=(4, 7))
    b = np.random.default_rng(7).normal(size=7)
    got = student.layer_forward(X, W, b)
    expect.shape(got, (11, 7), inputs="X (11, 4), weights (4, 7), biases (7,)")
    expect.close(got, activations.sigmoid(X @ W + b), inputs="random X (11, 4)")


@suite.test(function="layer_forward", points=1, hidden=True,
            case="a batch of one example",
            hint="keep X two-dimensional: one example gives one row of activations, shape (1, k)")
def layer_one_example(student, expect):
    X, W, b = batch(8, 1, 3), batch(9, 3, 2), np.zeros(2)
    expect.close(student.layer_forward(X, W, b), activations.sigmoid(X @ W + b),
                 inputs="a batch of a single example, X (1, 3)")


# --- two_layer_forward(X, W1, b1, W2, b2) -> (n, k2) ------------------------------------------

@suite.test(function="two_layer_forward", points=2, hidden=True,
            case="ordinary inputs of another size: a wider network with several outputs",
            hint="each layer is sigmoid(A @ W + b), the second reading the first layer's "
                 "activations; the answer has one column per output neuron")
def two_layers_random(student, expect):
    X, W1, W2 = batch(10, 9, 4), batch(11, 4, 6), batch(12, 6, 3)
    b1, b2 = np.random.default_rng(13).normal(size=6), np.random.default_rng(14).normal(size=3)
    want = activations.sigmoid(activations.sigmoid(X @ W1 + b1) @ W2 + b2)
    got = student.two_layer_forward(X, W1, b1, W2, b2)
    expect.shape(got, (9, 3), inputs="X (9, 4) through a 4-6-3 network")
    expect.close(got, want, inputs="random X (9, 4) through a 4-6-3 network")
