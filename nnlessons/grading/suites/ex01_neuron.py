"""Grader of exercise notebook 01_neuron: a neuron and a layer, forward, over a batch.

The public tests, shipped for the learner's self-check. Their expected values are stored, not
computed (instructor/expected_values.py computed them once); the hidden tests are the
instructor's (instructor/graders/ex01_neuron.py)."""
import numpy as np

from nnlessons.grading.suite import Suite

NO_REFERENCE = ["nnlessons.neuron.weighted_sum", "nnlessons.neuron.neuron",
                "nnlessons.neuron.layer_forward"]
suite = Suite("01_neuron", functions=["weighted_sum", "sigmoid", "layer_forward",
                                      "two_layer_forward"], forbidden={
    "weighted_sum": NO_REFERENCE,
    "sigmoid": ["nnlessons.activations.sigmoid", "nnlessons.activations.get"],
    "layer_forward": NO_REFERENCE + ["nnlessons.activations.sigmoid"],
    "two_layer_forward": NO_REFERENCE + ["nnlessons.activations.sigmoid"],
}, hidden_counts={"weighted_sum": 2, "sigmoid": 2, "layer_forward": 2, "two_layer_forward": 1})


# --- weighted_sum(X, weights, bias) -> (n,) ---------------------------------------------------

# What the usual bias mistakes give on one_example (X @ w = [-1.5]) and on batch_of_examples
# (X @ w = [4.5, -1, 1.5, -1.5]).
ONE_EXAMPLE_MISTAKES = [
    ([-1.75], "the bias has the wrong sign: it is added, z = X @ weights + bias"),
    ([-1.0], "the bias is added once per input (2 times here): add it once per example, after "
             "the sum"),
    ([-1.5], "the bias is missing: add it to each example's sum"),
]
BIAS_MISTAKES = [
    ([3.5, -2.0, 0.5, -2.5], "the bias has the wrong sign: it is added, z = X @ weights + bias"),
    ([7.5, 2.0, 4.5, 1.5], "the bias is added once per input (3 times here): add it once per "
                           "example, after the sum"),
    ([4.5, -1.0, 1.5, -1.5], "the bias is missing: add it to each example's sum"),
]


def bias_mistake(got, mistakes, default="each example's inputs times the weights, summed, "
                 "plus the bias once"):
    """The hint naming the mistake whose answer `got` equals, else `default`."""
    try:
        values = np.asarray(got, dtype=float)
        for wrong, hint in mistakes:
            if values.shape == np.shape(wrong) and np.allclose(values, wrong):
                return hint
    except (TypeError, ValueError):
        pass
    return default


@suite.test(function="weighted_sum", points=2, case="a batch of one example")
def one_example(student, expect):
    """One example with two inputs, worked by hand."""
    got = student.weighted_sum(np.array([[1.0, 2.0]]), np.array([0.5, -1.0]), 0.25)
    expect.close(got, [-1.25], inputs="X=[[1, 2]], weights=[0.5, -1], bias=0.25",
                 hint=bias_mistake(got, ONE_EXAMPLE_MISTAKES, "1*0.5 + 2*(-1) + 0.25 = -1.25: "
                                   "each input times its weight, summed, plus the bias"))


@suite.test(function="weighted_sum", points=2, case="ordinary inputs of another size")
def batch_of_examples(student, expect):
    """Four examples at once: one weighted sum per row."""
    X = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0], [1.0, 1.0, 1.0], [-1.0, 2.0, 0.5]])
    w = np.array([0.5, -1.0, 2.0])
    got = student.weighted_sum(X, w, 1.0)
    expect.shape(got, (4,), inputs="X of shape (4, 3), weights of shape (3,)",
                 hint="one number per example (row of X): X @ weights gives shape (4,)")
    expect.close(got, [5.5, 0.0, 2.5, -0.5], inputs=f"X={X.tolist()}, weights={w.tolist()}, "
                 f"bias=1", hint=bias_mistake(got, BIAS_MISTAKES))


@suite.test(function="weighted_sum", points=1, case="your function changed its input")
def weighted_sum_keeps_its_inputs(student, expect):
    """X and the weights are the caller's: the answer is a new array."""
    X, w = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([0.5, 0.25])
    _, changed = student.weighted_sum.call_checking_inputs(X, w, 1.0)
    expect.unchanged(changed, inputs="X=[[1, 2], [3, -1]], weights=[0.5, 0.25], bias=1",
                     hint="compute a new array; do not write into X or the weights")


# --- sigmoid(z) -------------------------------------------------------------------------------

@suite.test(function="sigmoid", points=2, case="ordinary inputs of another size")
def sigmoid_values(student, expect):
    """A few values: sigmoid(0) is 0.5, and it is a smooth step from 0 to 1."""
    z = np.array([-2.0, 0.0, 1.0, 3.0])
    expect.close(student.sigmoid(z),
                 [0.11920292202211755, 0.5, 0.7310585786300049, 0.9525741268224334],
                 inputs="z=[-2, 0, 1, 3]",
                 hint="1 / (1 + e^(-z)); check the sign inside the exponential: "
                      "sigmoid(0) = 0.5 and sigmoid(3) is close to 1")


@suite.test(function="sigmoid", points=1, case="a 2-D array")
def sigmoid_keeps_shape(student, expect):
    """Applied elementwise, so a (2, 3) batch stays (2, 3)."""
    z = np.array([[-2.5, -1.5, -0.5], [0.5, 1.5, 2.5]])
    got = student.sigmoid(z)
    expect.shape(got, (2, 3), inputs="z of shape (2, 3)",
                 hint="use np.exp on the whole array, no loop and no sum")
    expect.close(got, [[0.07585818002124356, 0.18242552380635632, 0.37754066879814546],
                       [0.6224593312018546, 0.8175744761936437, 0.9241418199787566]],
                 inputs=f"z={z.tolist()}")


@suite.test(function="sigmoid", points=2, case="very large inputs")
def sigmoid_very_large_inputs(student, expect):
    """Far from 0 the answer stays finite, and a tiny probability is not rounded to 0."""
    z = np.array([-1000.0, -720.0, 0.0, 720.0, 1000.0])
    got = student.sigmoid(z)
    expect.finite(got, inputs="z=[-1000, -720, 0, 720, 1000]",
                  hint="e^z / (1 + e^z) is infinity / infinity = NaN for a large z")
    expect.close(got, [0.0, 2.0322308024e-313, 0.5, 1.0, 1.0], rtol=1e-6, atol=0.0,
                 inputs="z=[-1000, -720, 0, 720, 1000]",
                 hint="sigmoid(-720) is e^(-720) = 2e-313, a tiny number a float can hold; "
                      "1 / (1 + e^(720)) makes e^(720) overflow to infinity and gives 0: for z "
                      "below 0, compute it from e^z")


@suite.test(function="sigmoid", points=1, case="your function changed its input")
def sigmoid_keeps_its_input(student, expect):
    """z is the caller's array: the answer is a new one."""
    z = np.array([-1.0, 0.0, 2.0])
    _, changed = student.sigmoid.call_checking_inputs(z)
    expect.unchanged(changed, inputs="z=[-1, 0, 2]",
                     hint="make a new array; writing into z (z *= -1, out=z) changes the "
                          "caller's data")


# --- layer_forward(X, weights, biases) -> (n, k) ----------------------------------------------

@suite.test(function="layer_forward", points=2, case="ordinary inputs of another size")
def layer_small(student, expect):
    """Two examples, three inputs, two neurons: the activations of the whole layer."""
    X = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0]])
    W = np.array([[0.1, -0.2], [0.4, 0.3], [-0.5, 0.6]])
    b = np.array([0.0, -0.1])
    got = student.layer_forward(X, W, b)
    expect.shape(got, (2, 2), inputs="X (2, 3), weights (3, 2), biases (2,)",
                 hint="a row per example, a column per neuron: X @ weights has shape (2, 2)")
    expect.close(got, [[0.6456563062257954, 0.289050497374996],
                       [0.700567142473973, 0.598687660112452]],
                 inputs=f"X={X.tolist()}, weights={W.tolist()}, biases={b.tolist()}",
                 hint="sigmoid(X @ weights + biases): weights first multiplied, then the bias "
                      "of each neuron added, then the sigmoid")


@suite.test(function="layer_forward", points=1, case="a batch of one example")
def layer_forward_one_row(student, expect):
    """One example (one row of X) gives one row of activations, shape (1, k)."""
    X = np.array([[2.0, -1.0, 0.5]])
    W = np.array([[0.3, -0.2], [0.1, 0.4], [-0.6, 0.5]])
    b = np.array([0.1, -0.3])
    got = student.layer_forward(X, W, b)
    expect.shape(got, (1, 2), inputs="X (1, 3), weights (3, 2), biases (2,)",
                 hint="keep X two-dimensional: one example is one row, shape (1, k)")
    expect.close(got, [[0.574442516811659, 0.29943285752602705]],
                 inputs=f"X={X.tolist()}, weights={W.tolist()}, biases={b.tolist()}")


# --- two_layer_forward(X, W1, b1, W2, b2) -> (n, k2) ------------------------------------------

@suite.test(function="two_layer_forward", points=3, case="ordinary inputs of another size")
def two_layers_small(student, expect):
    """A 2-3-1 network on two examples."""
    X = np.array([[0.0, 1.0], [1.0, 1.0]])
    W1 = np.array([[0.2, -0.4, 0.1], [0.5, 0.3, -0.6]])
    b1 = np.array([0.1, 0.0, -0.1])
    W2 = np.array([[1.0], [-2.0], [0.5]])
    b2 = np.array([0.3])
    got = student.two_layer_forward(X, W1, b1, W2, b2)
    expect.shape(got, (2, 1), inputs="X (2, 2), W1 (2, 3), W2 (3, 1)")
    expect.close(got, [[0.49067042959457685], [0.554063986014784]],
                 inputs="X=[[0, 1], [1, 1]] through a 2-3-1 network",
                 hint="the second layer reads the first layer's activations (after the "
                      "sigmoid), not X")
