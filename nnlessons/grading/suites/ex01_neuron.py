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
    expect.close(got, [5.5, 0.0, 2.5, -0.5], inputs=f"X={X.tolist()}, weights={w.tolist()}, "
                 f"bias=1", hint="add the bias once per example, not once per input")


# --- sigmoid(z) -------------------------------------------------------------------------------

@suite.test(function="sigmoid", points=2)
def sigmoid_values(student, expect):
    """A few values: sigmoid(0) is 0.5, and it is a smooth step from 0 to 1."""
    z = np.array([-2.0, 0.0, 1.0, 3.0])
    expect.close(student.sigmoid(z),
                 [0.11920292202211755, 0.5, 0.7310585786300049, 0.9525741268224334],
                 inputs="z=[-2, 0, 1, 3]",
                 hint="1 / (1 + e^(-z)); check the sign inside the exponential: "
                      "sigmoid(0) = 0.5 and sigmoid(3) is close to 1")


@suite.test(function="sigmoid", points=1)
def sigmoid_keeps_shape(student, expect):
    """Applied elementwise, so a (2, 3) batch stays (2, 3)."""
    z = np.array([[-2.5, -1.5, -0.5], [0.5, 1.5, 2.5]])
    got = student.sigmoid(z)
    expect.shape(got, (2, 3), inputs="z of shape (2, 3)",
                 hint="use np.exp on the whole array, no loop and no sum")
    expect.close(got, [[0.07585818002124356, 0.18242552380635632, 0.37754066879814546],
                       [0.6224593312018546, 0.8175744761936437, 0.9241418199787566]],
                 inputs=f"z={z.tolist()}")


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
    expect.close(got, [[0.6456563062257954, 0.289050497374996],
                       [0.700567142473973, 0.598687660112452]],
                 inputs=f"X={X.tolist()}, weights={W.tolist()}, biases={b.tolist()}",
                 hint="sigmoid(X @ weights + biases): weights first multiplied, then the bias "
                      "of each neuron added, then the sigmoid")


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
    expect.shape(got, (2, 1), inputs="X (2, 2), W1 (2, 3), W2 (3, 1)")
    expect.close(got, [[0.49067042959457685], [0.554063986014784]],
                 inputs="X=[[0, 1], [1, 1]] through a 2-3-1 network",
                 hint="the second layer reads the first layer's activations (after the "
                      "sigmoid), not X")
