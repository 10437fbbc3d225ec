"""Grader of exercise notebook 08_activations: ReLU, leaky ReLU and ELU with their derivatives,
a numerically stable softmax over rows, and the gradient of softmax with cross-entropy."""
import numpy as np

from nnlessons import activations, calculus, losses
from nnlessons.grading.suite import Suite

# `get` hands out every reference activation by name, so it is off limits wherever one is.
suite = Suite("08_activations", functions=[
    "relu", "relu_prime", "leaky_relu", "leaky_relu_prime", "elu", "elu_prime", "softmax",
    "softmax_cross_entropy_gradient"], forbidden={
    "relu": ["nnlessons.activations.relu", "nnlessons.activations.get"],
    "relu_prime": ["nnlessons.activations.relu_prime", "nnlessons.activations.get"],
    "leaky_relu": ["nnlessons.activations.leaky_relu", "nnlessons.activations.get"],
    "leaky_relu_prime": ["nnlessons.activations.leaky_relu_prime", "nnlessons.activations.get"],
    "elu": ["nnlessons.activations.elu", "nnlessons.activations.get"],
    "elu_prime": ["nnlessons.activations.elu_prime", "nnlessons.activations.get"],
    "softmax": ["nnlessons.activations.softmax", "nnlessons.activations.get"],
    "softmax_cross_entropy_gradient": [
        "nnlessons.activations.softmax", "nnlessons.activations.get",
        "nnlessons.losses.categorical_cross_entropy_from_logits_gradient"],
})

COPY_HINT = "work on a new array (np.maximum, np.where, z - m) instead of assigning into z " \
            "(z[z < 0] = ..., z -= ...): the caller's array must stay as it was"
INT_HINT = "np.asarray(z, dtype=float) first: an integer array keeps integers, and any " \
           "fraction written into it is cut off"


def scores(seed, n, k, scale=2.0):
    return np.random.default_rng(seed).normal(0.0, scale, size=(n, k))


def leaves_input_alone(student_function, expect, z, inputs, **kwargs):
    _, changed = student_function.call_checking_inputs(z, **kwargs)
    expect.unchanged(changed, inputs=inputs, hint=COPY_HINT)


def floats_from_integers(expect, got, want, inputs):
    expect.shape(got, want.shape, inputs=inputs)
    expect.dtype(got, "f", inputs=inputs, hint=INT_HINT)
    expect.close(got, want, inputs=inputs)


# --- relu(z), relu_prime(z) ----------------------------------------------------------------------

@suite.test(function="relu", points=2)
def relu_values(student, expect):
    """max(0, z), elementwise."""
    z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    got = student.relu(z)
    expect.shape(got, (5,), inputs="z=[-2, -0.5, 0, 0.5, 3]",
                 hint="np.maximum(0, z) works on the whole array at once")
    expect.close(got, activations.relu(z), inputs="z=[-2, -0.5, 0, 0.5, 3]",
                 hint="negative z become 0, positive z stay as they are")


@suite.test(function="relu", points=1)
def relu_keeps_shape(student, expect):
    """A batch: one row per example, any number of columns."""
    z = scores(1, 3, 4)
    got = student.relu(z)
    expect.shape(got, (3, 4), inputs="z of shape (3, 4)", hint="the answer has z's shape")
    expect.close(got, activations.relu(z), inputs="z of shape (3, 4)")


@suite.test(function="relu", points=1, hidden=True)
def relu_leaves_input_alone(student, expect):
    leaves_input_alone(student.relu, expect, np.linspace(-3, 3, 7), "z=linspace(-3, 3, 7)")


@suite.test(function="relu", points=1, hidden=True)
def relu_integer_input(student, expect):
    z = np.array([[-3, -1, 0], [1, 2, 5]])
    floats_from_integers(expect, student.relu(z), activations.relu(z),
                         "z=[[-3, -1, 0], [1, 2, 5]] (integers)")


@suite.test(function="relu_prime", points=2)
def relu_prime_values(student, expect):
    """1 where z > 0, else 0."""
    z = np.array([-2.0, -0.5, 0.5, 3.0])
    got = student.relu_prime(z)
    expect.shape(got, (4,), inputs="z=[-2, -0.5, 0.5, 3]")
    expect.close(got, [0.0, 0.0, 1.0, 1.0], inputs="z=[-2, -0.5, 0.5, 3]",
                 hint="the slope of ReLU is 1 where z > 0 and 0 where z < 0 (the slope, not the "
                      "value max(0, z))")


@suite.test(function="relu_prime", points=1, hidden=True)
def relu_prime_at_zero(student, expect):
    z = np.array([-1.0, 0.0, 1.0])
    expect.close(student.relu_prime(z), [0.0, 0.0, 1.0], inputs="z=[-1, 0, 1]",
                 hint="at exactly z = 0 the slope is taken to be 0: test z > 0, not z >= 0")


@suite.test(function="relu_prime", points=1, hidden=True)
def relu_prime_floats_of_any_shape(student, expect):
    z = np.array([[-4, 0, 3], [2, -1, 7]])
    got = student.relu_prime(z)
    expect.shape(got, (2, 3), inputs="z=[[-4, 0, 3], [2, -1, 7]] (integers)")
    expect.dtype(got, "f", inputs="z=[[-4, 0, 3], [2, -1, 7]] (integers)",
                 hint="(z > 0) is an array of booleans: turn it into numbers with "
                      ".astype(float)")
    expect.close(got, activations.relu_prime(z), inputs="z=[[-4, 0, 3], [2, -1, 7]]")


@suite.test(function="relu_prime", points=1, hidden=True)
def relu_prime_leaves_input_alone(student, expect):
    leaves_input_alone(student.relu_prime, expect, np.linspace(-3, 3, 7), "z=linspace(-3, 3, 7)")


# --- leaky_relu(z, slope=0.01), leaky_relu_prime(z, slope=0.01) ----------------------------------

@suite.test(function="leaky_relu", points=2)
def leaky_relu_values(student, expect):
    """z where z > 0, else 0.01 z (the default slope)."""
    z = np.array([-100.0, -2.0, 0.0, 0.5, 3.0])
    got = student.leaky_relu(z)
    expect.shape(got, (5,), inputs="z=[-100, -2, 0, 0.5, 3]")
    expect.close(got, activations.leaky_relu(z), inputs="z=[-100, -2, 0, 0.5, 3], slope=0.01",
                 hint="the small slope multiplies the NEGATIVE z; positive z pass unchanged")


@suite.test(function="leaky_relu", points=1)
def leaky_relu_other_slope(student, expect):
    """The slope is an argument: here 0.2."""
    z = scores(2, 2, 3)
    got = student.leaky_relu(z, slope=0.2)
    expect.shape(got, (2, 3), inputs="z of shape (2, 3), slope=0.2")
    expect.close(got, activations.leaky_relu(z, slope=0.2), inputs="z of shape (2, 3), slope=0.2",
                 hint="use the argument slope, not a fixed 0.01")


@suite.test(function="leaky_relu", points=1, hidden=True)
def leaky_relu_leaves_input_alone(student, expect):
    leaves_input_alone(student.leaky_relu, expect, np.linspace(-3, 3, 7),
                       "z=linspace(-3, 3, 7), slope=0.1", slope=0.1)


@suite.test(function="leaky_relu", points=1, hidden=True)
def leaky_relu_integer_input(student, expect):
    z = np.array([[-30, -1, 0], [1, 2, 5]])
    floats_from_integers(expect, student.leaky_relu(z, slope=0.1),
                         activations.leaky_relu(z, slope=0.1),
                         "z=[[-30, -1, 0], [1, 2, 5]] (integers), slope=0.1")


@suite.test(function="leaky_relu_prime", points=2)
def leaky_relu_prime_values(student, expect):
    """1 where z > 0, else the slope."""
    z = np.array([-3.0, -0.5, 0.5, 3.0])
    got = student.leaky_relu_prime(z, slope=0.1)
    expect.shape(got, (4,), inputs="z=[-3, -0.5, 0.5, 3], slope=0.1")
    expect.close(got, [0.1, 0.1, 1.0, 1.0], inputs="z=[-3, -0.5, 0.5, 3], slope=0.1",
                 hint="below zero the slope is the argument slope (0.1 here), above zero it is 1")


@suite.test(function="leaky_relu_prime", points=1)
def leaky_relu_prime_default_slope(student, expect):
    z = np.array([-1.0, 2.0])
    expect.close(student.leaky_relu_prime(z), [0.01, 1.0], inputs="z=[-1, 2], default slope",
                 hint="the default slope is 0.01")


@suite.test(function="leaky_relu_prime", points=1, hidden=True)
def leaky_relu_prime_at_zero(student, expect):
    z = np.array([0.0])
    expect.close(student.leaky_relu_prime(z, slope=0.1), [0.1], inputs="z=[0], slope=0.1",
                 hint="at exactly z = 0 the slope is taken from the z <= 0 side: test z > 0")


@suite.test(function="leaky_relu_prime", points=1, hidden=True)
def leaky_relu_prime_floats_of_any_shape(student, expect):
    z = np.array([[-4, 0], [3, 2], [-1, 7]])
    got = student.leaky_relu_prime(z, slope=0.25)
    inputs = "z=[[-4, 0], [3, 2], [-1, 7]] (integers), slope=0.25"
    expect.shape(got, (3, 2), inputs=inputs)
    expect.dtype(got, "f", inputs=inputs)
    expect.close(got, activations.leaky_relu_prime(z, slope=0.25), inputs=inputs)


# --- elu(z, alpha=1.0), elu_prime(z, alpha=1.0) --------------------------------------------------

@suite.test(function="elu", points=2)
def elu_values(student, expect):
    """z where z > 0, else alpha (e^z - 1)."""
    z = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
    got = student.elu(z)
    expect.shape(got, (5,), inputs="z=[-3, -1, 0, 0.5, 2]")
    expect.close(got, activations.elu(z), inputs="z=[-3, -1, 0, 0.5, 2], alpha=1",
                 hint="below zero: alpha * (np.exp(z) - 1), which goes from 0 down to -alpha")


@suite.test(function="elu", points=1)
def elu_alpha(student, expect):
    """alpha scales the negative side only."""
    z = np.array([-2.0, -0.5, 1.0, 4.0])
    got = student.elu(z, alpha=0.5)
    expect.close(got, activations.elu(z, alpha=0.5), inputs="z=[-2, -0.5, 1, 4], alpha=0.5",
                 hint="alpha multiplies (e^z - 1) for z <= 0; positive z pass unchanged")


@suite.test(function="elu", points=1, hidden=True)
def elu_large_inputs(student, expect):
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    got = student.elu(z)
    inputs = "z=[-1000, -50, 0, 50, 1000]"
    expect.finite(got, inputs=inputs,
                  hint="e^1000 is infinite, and infinity times 0 is NaN: choose with np.where, "
                       "and take e^z only of np.minimum(z, 0)")
    expect.close(got, activations.elu(z), inputs=inputs)


@suite.test(function="elu", points=1, hidden=True)
def elu_leaves_input_alone(student, expect):
    leaves_input_alone(student.elu, expect, np.linspace(-3, 3, 7), "z=linspace(-3, 3, 7)")


@suite.test(function="elu", points=1, hidden=True)
def elu_integer_input(student, expect):
    z = np.array([[-3, -1, 0], [1, 2, 5]])
    floats_from_integers(expect, student.elu(z, alpha=2.0), activations.elu(z, alpha=2.0),
                         "z=[[-3, -1, 0], [1, 2, 5]] (integers), alpha=2")


@suite.test(function="elu_prime", points=2)
def elu_prime_values(student, expect):
    """1 where z > 0, else alpha e^z."""
    z = np.array([-3.0, -1.0, 0.5, 2.0])
    got = student.elu_prime(z)
    expect.shape(got, (4,), inputs="z=[-3, -1, 0.5, 2]")
    expect.close(got, activations.elu_prime(z), inputs="z=[-3, -1, 0.5, 2], alpha=1",
                 hint="the slope of alpha (e^z - 1) is alpha e^z; above zero the slope is 1")


@suite.test(function="elu_prime", points=1)
def elu_prime_alpha(student, expect):
    """With alpha = 2 the slope below zero doubles."""
    z = np.array([-2.0, -1.0, 1.0])
    got = student.elu_prime(z, alpha=2.0)
    expect.close(got, activations.elu_prime(z, alpha=2.0), inputs="z=[-2, -1, 1], alpha=2",
                 hint="alpha stays in the derivative: d/dz alpha (e^z - 1) = alpha e^z")


@suite.test(function="elu_prime", points=1, hidden=True)
def elu_prime_at_zero(student, expect):
    z = np.array([0.0])
    expect.close(student.elu_prime(z, alpha=0.5), [0.5], inputs="z=[0], alpha=0.5",
                 hint="at exactly z = 0 the slope is taken from the z <= 0 side, alpha e^0 = "
                      "alpha: test z > 0")


@suite.test(function="elu_prime", points=1, hidden=True)
def elu_prime_large_inputs(student, expect):
    z = np.array([[-1000.0, -20.0], [20.0, 1000.0]])
    got = student.elu_prime(z)
    inputs = "z=[[-1000, -20], [20, 1000]]"
    expect.shape(got, (2, 2), inputs=inputs)
    expect.finite(got, inputs=inputs,
                  hint="e^1000 is infinite: take e^z only of np.minimum(z, 0)")
    expect.close(got, activations.elu_prime(z), inputs=inputs)


# --- softmax(z) ----------------------------------------------------------------------------------

@suite.test(function="softmax", points=2)
def softmax_three_scores(student, expect):
    """Two examples with three scores each."""
    z = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])
    got = student.softmax(z)
    inputs = "z=[[2, 1, 0.1], [0, 0, 0]]"
    expect.shape(got, (2, 3), inputs=inputs, hint="one probability per score: z's shape")
    expect.close(got, activations.softmax(z), inputs=inputs,
                 hint="e^z divided by the sum of e^z over the same ROW (axis=-1, "
                      "keepdims=True); three equal scores give 1/3 each")


@suite.test(function="softmax", points=1)
def softmax_rows_sum_to_one(student, expect):
    """Every row is a probability distribution."""
    z = scores(3, 5, 4)
    got = student.softmax(z)
    expect.shape(got, (5, 4), inputs="z of shape (5, 4)")
    sums = np.sum(got, axis=1)
    expect.true(np.allclose(sums, 1.0), f"the rows should sum to 1; they sum to "
                f"{np.round(sums, 4).tolist()}", inputs="z of shape (5, 4)",
                hint="normalise over the classes of one example (axis=-1), not over the "
                     "examples (axis=0)")
    expect.close(got, activations.softmax(z), inputs="z of shape (5, 4)")


@suite.test(function="softmax", points=2, hidden=True)
def softmax_large_scores(student, expect):
    z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0],
                  [1000.0, 999.0, 998.0]])
    got = student.softmax(z)
    inputs = "z=[[1000, -1000, 0], [-1000, -1000, -1000], [1000, 999, 998]]"
    expect.shape(got, (3, 3), inputs=inputs)
    expect.finite(got, inputs=inputs,
                  hint="subtract each ROW's largest score before np.exp: e^1000 overflows to "
                       "infinity, and e^-1000 underflows to 0, so 0/0 = NaN")
    expect.close(np.sum(got, axis=1), np.ones(3), inputs=inputs, what="the row sums")
    expect.close(got, activations.softmax(z), inputs=inputs)


@suite.test(function="softmax", points=1, hidden=True)
def softmax_one_row(student, expect):
    """A 1-D array is the scores of one example."""
    z = np.array([1.0, 2.0, 3.0, 4.0])
    got = student.softmax(z)
    expect.shape(got, (4,), inputs="z=[1, 2, 3, 4] (1-D)",
                 hint="work along axis=-1 (the last axis) so that one row of shape (k,) works "
                      "too")
    expect.close(got, activations.softmax(z), inputs="z=[1, 2, 3, 4] (1-D)")


@suite.test(function="softmax", points=1, hidden=True)
def softmax_single_example(student, expect):
    z = np.array([[0.5, -1.0, 2.0, 0.0]])
    got = student.softmax(z)
    expect.shape(got, (1, 4), inputs="z=[[0.5, -1, 2, 0]] (one example)")
    expect.close(got, activations.softmax(z), inputs="z=[[0.5, -1, 2, 0]] (one example)",
                 hint="normalise along the row; over axis=0 every entry of a single example "
                      "becomes 1")


@suite.test(function="softmax", points=1, hidden=True)
def softmax_leaves_input_alone(student, expect):
    leaves_input_alone(student.softmax, expect, scores(4, 3, 3), "z of shape (3, 3)")


@suite.test(function="softmax", points=1, hidden=True)
def softmax_integer_scores(student, expect):
    z = np.array([[1, 2, 3], [0, 0, 0], [5, 1, 1]])
    floats_from_integers(expect, student.softmax(z), activations.softmax(z),
                         "z=[[1, 2, 3], [0, 0, 0], [5, 1, 1]] (integers)")


# --- softmax_cross_entropy_gradient(scores, labels) ----------------------------------------------

@suite.test(function="softmax_cross_entropy_gradient", points=2)
def xent_gradient_values(student, expect):
    """(softmax(scores) - onehot(labels)) / n for three examples."""
    z = np.array([[2.0, 1.0, 0.1], [0.5, 0.5, 3.0], [-1.0, 2.0, 0.0]])
    labels = np.array([0, 2, 1])
    got = student.softmax_cross_entropy_gradient(z, labels)
    inputs = "scores of shape (3, 3), labels=[0, 2, 1]"
    expect.shape(got, (3, 3), inputs=inputs, hint="one slope per score: the shape of scores")
    expect.close(got, losses.categorical_cross_entropy_from_logits_gradient(z, labels),
                 inputs=inputs,
                 hint="softmax(scores) minus 1 at each example's right class, divided by the "
                      "number of examples (the loss is a mean, not a sum)")


@suite.test(function="softmax_cross_entropy_gradient", points=2, hidden=True)
def xent_gradient_agrees_with_numerical(student, expect):
    z, labels = scores(5, 6, 4), np.array([0, 3, 1, 1, 2, 0])
    got = student.softmax_cross_entropy_gradient(z, labels)
    expect.shape(got, (6, 4), inputs="scores of shape (6, 4)")
    numerical = calculus.numerical_gradient(
        lambda s: losses.categorical_cross_entropy_from_logits(s, labels), z.copy())
    error = calculus.relative_error(np.asarray(got, dtype=float), numerical)
    expect.true(error < 1e-6, f"the gradient disagrees with a numerical gradient check "
                f"(relative error {error:.1e}; below 1e-6 means right)",
                inputs="6 examples, 4 classes",
                hint="the mean cross-entropy over the batch: divide by the number of examples")


@suite.test(function="softmax_cross_entropy_gradient", points=1, hidden=True)
def xent_gradient_large_scores(student, expect):
    z = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0]])
    labels = np.array([2, 1])
    got = student.softmax_cross_entropy_gradient(z, labels)
    inputs = "scores=[[1000, 0, -1000], [-1000, -1000, -1000]], labels=[2, 1]"
    expect.finite(got, inputs=inputs, hint="use your stable softmax")
    expect.close(got, losses.categorical_cross_entropy_from_logits_gradient(z, labels),
                 inputs=inputs)


@suite.test(function="softmax_cross_entropy_gradient", points=1, hidden=True)
def xent_gradient_one_example(student, expect):
    z, labels = np.array([[0.2, -0.4, 1.5, 0.0, 0.3]]), np.array([4])
    got = student.softmax_cross_entropy_gradient(z, labels)
    inputs = "one example with 5 scores, label 4"
    expect.shape(got, (1, 5), inputs=inputs)
    expect.close(got, losses.categorical_cross_entropy_from_logits_gradient(z, labels),
                 inputs=inputs)


@suite.test(function="softmax_cross_entropy_gradient", points=1, hidden=True)
def xent_gradient_leaves_inputs_alone(student, expect):
    z, labels = scores(6, 4, 3), np.array([2, 0, 1, 2])
    _, changed = student.softmax_cross_entropy_gradient.call_checking_inputs(z, labels)
    expect.unchanged(changed, inputs="scores of shape (4, 3), labels=[2, 0, 1, 2]",
                     hint=COPY_HINT)
