"""Hidden tests of exercise notebook 08_activations, with the reference answers they compare
with. INSTRUCTOR ONLY: never give this file to learners (see instructor/README.md)."""
import numpy as np

from nnlessons import activations, calculus, losses
from nnlessons.grading.suite import Suite

suite = Suite("08_activations")

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

@suite.test(function="relu", points=1, hidden=True,
            case="your function changed its input",
            hint="work on a new array (np.maximum, np.where, z - m) instead of assigning into z "
                 "(z[z < 0] = ..., z -= ...): the caller's array must stay as it was")
def relu_leaves_input_alone(student, expect):
    leaves_input_alone(student.relu, expect, np.linspace(-3, 3, 7), "z=linspace(-3, 3, 7)")


@suite.test(function="relu", points=1, hidden=True,
            case="integer inputs",
            hint="np.asarray(z, dtype=float) first: an integer array keeps integers, and any "
                 "fraction written into it is cut off")
def relu_integer_input(student, expect):
    z = np.array([[-3, -1, 0], [1, 2, 5]])
    floats_from_integers(expect, student.relu(z), activations.relu(z),
                         "z=[[-3, -1, 0], [1, 2, 5]] (integers)")


@suite.test(function="relu_prime", points=1, hidden=True,
            case="a value exactly at a boundary: z exactly 0",
            hint="at exactly z = 0 the slope is taken to be 0: test z > 0, not z >= 0")
def relu_prime_at_zero(student, expect):
    z = np.array([-1.0, 0.0, 1.0])
    expect.close(student.relu_prime(z), [0.0, 0.0, 1.0], inputs="z=[-1, 0, 1]",
                 hint="at exactly z = 0 the slope is taken to be 0: test z > 0, not z >= 0")


@suite.test(function="relu_prime", points=1, hidden=True,
            case="integer inputs: a 2-D array of integers",
            hint="(z > 0) is an array of booleans: turn it into numbers with .astype(float); the "
                 "answer has z's shape")
def relu_prime_floats_of_any_shape(student, expect):
    z = np.array([[-4, 0, 3], [2, -1, 7]])
    got = student.relu_prime(z)
    expect.shape(got, (2, 3), inputs="z=[[-4, 0, 3], [2, -1, 7]] (integers)")
    expect.dtype(got, "f", inputs="z=[[-4, 0, 3], [2, -1, 7]] (integers)",
                 hint="(z > 0) is an array of booleans: turn it into numbers with "
                      ".astype(float)")
    expect.close(got, activations.relu_prime(z), inputs="z=[[-4, 0, 3], [2, -1, 7]]")


@suite.test(function="relu_prime", points=1, hidden=True,
            case="your function changed its input",
            hint="work on a new array (np.maximum, np.where, z - m) instead of assigning into z "
                 "(z[z < 0] = ..., z -= ...): the caller's array must stay as it was")
def relu_prime_leaves_input_alone(student, expect):
    leaves_input_alone(student.relu_prime, expect, np.linspace(-3, 3, 7), "z=linspace(-3, 3, 7)")


# --- leaky_relu(z, slope=0.01), leaky_relu_prime(z, slope=0.01) ----------------------------------

@suite.test(function="leaky_relu", points=1, hidden=True,
            case="your function changed its input",
            hint="work on a new array (np.maximum, np.where, z - m) instead of assigning into z "
                 "(z[z < 0] = ..., z -= ...): the caller's array must stay as it was")
def leaky_relu_leaves_input_alone(student, expect):
    leaves_input_alone(student.leaky_relu, expect, np.linspace(-3, 3, 7),
                       "z=linspace(-3, 3, 7), slope=0.1", slope=0.1)


@suite.test(function="leaky_relu", points=1, hidden=True,
            case="integer inputs",
            hint="np.asarray(z, dtype=float) first: an integer array keeps integers, and any "
                 "fraction written into it is cut off")
def leaky_relu_integer_input(student, expect):
    z = np.array([[-30, -1, 0], [1, 2, 5]])
    floats_from_integers(expect, student.leaky_relu(z, slope=0.1),
                         activations.leaky_relu(z, slope=0.1),
                         "z=[[-30, -1, 0], [1, 2, 5]] (integers), slope=0.1")


@suite.test(function="leaky_relu_prime", points=1, hidden=True,
            case="a value exactly at a boundary: z exactly 0",
            hint="at exactly z = 0 the slope is taken from the z <= 0 side: test z > 0")
def leaky_relu_prime_at_zero(student, expect):
    z = np.array([0.0])
    expect.close(student.leaky_relu_prime(z, slope=0.1), [0.1], inputs="z=[0], slope=0.1",
                 hint="at exactly z = 0 the slope is taken from the z <= 0 side: test z > 0")


@suite.test(function="leaky_relu_prime", points=1, hidden=True,
            case="integer inputs: a 2-D array of integers, with another slope",
            hint="the answer is floats of z's shape, 1 or the slope you are given: np.where(z > "
                 "0, 1.0, slope)")
def leaky_relu_prime_floats_of_any_shape(student, expect):
    z = np.array([[-4, 0], [3, 2], [-1, 7]])
    got = student.leaky_relu_prime(z, slope=0.25)
    inputs = "z=[[-4, 0], [3, 2], [-1, 7]] (integers), slope=0.25"
    expect.shape(got, (3, 2), inputs=inputs)
    expect.dtype(got, "f", inputs=inputs)
    expect.close(got, activations.leaky_relu_prime(z, slope=0.25), inputs=inputs)


# --- elu(z, alpha=1.0), elu_prime(z, alpha=1.0) --------------------------------------------------

@suite.test(function="elu", points=1, hidden=True,
            case="very large inputs: positive and negative",
            hint="e^1000 is infinite, and infinity times 0 is NaN: choose with np.where, and "
                 "take e^z only of np.minimum(z, 0)")
def elu_large_inputs(student, expect):
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    got = student.elu(z)
    inputs = "z=[-1000, -50, 0, 50, 1000]"
    expect.finite(got, inputs=inputs,
                  hint="e^1000 is infinite, and infinity times 0 is NaN: choose with np.where, "
                       "and take e^z only of np.minimum(z, 0)")
    expect.close(got, activations.elu(z), inputs=inputs)


@suite.test(function="elu", points=1, hidden=True,
            case="your function changed its input",
            hint="work on a new array (np.maximum, np.where, z - m) instead of assigning into z "
                 "(z[z < 0] = ..., z -= ...): the caller's array must stay as it was")
def elu_leaves_input_alone(student, expect):
    leaves_input_alone(student.elu, expect, np.linspace(-3, 3, 7), "z=linspace(-3, 3, 7)")


@suite.test(function="elu", points=1, hidden=True,
            case="integer inputs",
            hint="np.asarray(z, dtype=float) first: an integer array keeps integers, and any "
                 "fraction written into it is cut off")
def elu_integer_input(student, expect):
    z = np.array([[-3, -1, 0], [1, 2, 5]])
    floats_from_integers(expect, student.elu(z, alpha=2.0), activations.elu(z, alpha=2.0),
                         "z=[[-3, -1, 0], [1, 2, 5]] (integers), alpha=2")


@suite.test(function="elu_prime", points=1, hidden=True,
            case="a value exactly at a boundary: z exactly 0",
            hint="at exactly z = 0 the slope is taken from the z <= 0 side, alpha e^0 = alpha: "
                 "test z > 0")
def elu_prime_at_zero(student, expect):
    z = np.array([0.0])
    expect.close(student.elu_prime(z, alpha=0.5), [0.5], inputs="z=[0], alpha=0.5",
                 hint="at exactly z = 0 the slope is taken from the z <= 0 side, alpha e^0 = "
                      "alpha: test z > 0")


@suite.test(function="elu_prime", points=1, hidden=True,
            case="very large inputs: positive and negative",
            hint="e^1000 is infinite: take e^z only of np.minimum(z, 0)")
def elu_prime_large_inputs(student, expect):
    z = np.array([[-1000.0, -20.0], [20.0, 1000.0]])
    got = student.elu_prime(z)
    inputs = "z=[[-1000, -20], [20, 1000]]"
    expect.shape(got, (2, 2), inputs=inputs)
    expect.finite(got, inputs=inputs,
                  hint="e^1000 is infinite: take e^z only of np.minimum(z, 0)")
    expect.close(got, activations.elu_prime(z), inputs=inputs)


# --- softmax(z) ----------------------------------------------------------------------------------

@suite.test(function="softmax", points=2, hidden=True,
            case="very large inputs: very large and very negative scores",
            hint="subtract each ROW's largest score before np.exp: then nothing overflows and no "
                 "row sums to 0")
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


@suite.test(function="softmax", points=1, hidden=True,
            case="a batch of one example: a 1-D array (the scores of one example)",
            hint="work along axis=-1 (the last axis) so that one row of shape (k,) works too")
def softmax_one_row(student, expect):
    """A 1-D array is the scores of one example."""
    z = np.array([1.0, 2.0, 3.0, 4.0])
    got = student.softmax(z)
    expect.shape(got, (4,), inputs="z=[1, 2, 3, 4] (1-D)",
                 hint="work along axis=-1 (the last axis) so that one row of shape (k,) works "
                      "too")
    expect.close(got, activations.softmax(z), inputs="z=[1, 2, 3, 4] (1-D)")


@suite.test(function="softmax", points=1, hidden=True,
            case="a batch of one example",
            hint="normalise along the row; over axis=0 every entry of a single example becomes 1")
def softmax_single_example(student, expect):
    z = np.array([[0.5, -1.0, 2.0, 0.0]])
    got = student.softmax(z)
    expect.shape(got, (1, 4), inputs="z=[[0.5, -1, 2, 0]] (one example)")
    expect.close(got, activations.softmax(z), inputs="z=[[0.5, -1, 2, 0]] (one example)",
                 hint="normalise along the row; over axis=0 every entry of a single example "
                      "becomes 1")


@suite.test(function="softmax", points=1, hidden=True,
            case="your function changed its input",
            hint="work on a new array (np.maximum, np.where, z - m) instead of assigning into z "
                 "(z[z < 0] = ..., z -= ...): the caller's array must stay as it was")
def softmax_leaves_input_alone(student, expect):
    leaves_input_alone(student.softmax, expect, scores(4, 3, 3), "z of shape (3, 3)")


@suite.test(function="softmax", points=1, hidden=True,
            case="integer inputs: integer scores",
            hint="np.asarray(z, dtype=float) first: an integer array keeps integers, and any "
                 "fraction written into it is cut off")
def softmax_integer_scores(student, expect):
    z = np.array([[1, 2, 3], [0, 0, 0], [5, 1, 1]])
    floats_from_integers(expect, student.softmax(z), activations.softmax(z),
                         "z=[[1, 2, 3], [0, 0, 0], [5, 1, 1]] (integers)")


# --- softmax_cross_entropy_gradient(scores, labels) ----------------------------------------------

@suite.test(function="softmax_cross_entropy_gradient", points=2, hidden=True,
            case="checked against a numerical gradient: a batch of scores",
            hint="the loss is the mean cross-entropy over the batch: divide by the number of "
                 "examples")
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


@suite.test(function="softmax_cross_entropy_gradient", points=1, hidden=True,
            case="very large inputs: very large and very negative scores",
            hint="use your stable softmax, which stays finite")
def xent_gradient_large_scores(student, expect):
    z = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0]])
    labels = np.array([2, 1])
    got = student.softmax_cross_entropy_gradient(z, labels)
    inputs = "scores=[[1000, 0, -1000], [-1000, -1000, -1000]], labels=[2, 1]"
    expect.finite(got, inputs=inputs, hint="use your stable softmax")
    expect.close(got, losses.categorical_cross_entropy_from_logits_gradient(z, labels),
                 inputs=inputs)


@suite.test(function="softmax_cross_entropy_gradient", points=1, hidden=True,
            case="a batch of one example",
            hint="softmax of the row minus 1 at the right class, divided by the number of "
                 "examples (1 here); keep the shape (1, k)")
def xent_gradient_one_example(student, expect):
    z, labels = np.array([[0.2, -0.4, 1.5, 0.0, 0.3]]), np.array([4])
    got = student.softmax_cross_entropy_gradient(z, labels)
    inputs = "one example with 5 scores, label 4"
    expect.shape(got, (1, 5), inputs=inputs)
    expect.close(got, losses.categorical_cross_entropy_from_logits_gradient(z, labels),
                 inputs=inputs)


@suite.test(function="softmax_cross_entropy_gradient", points=1, hidden=True,
            case="your function changed its input",
            hint="work on a new array (np.maximum, np.where, z - m) instead of assigning into z "
                 "(z[z < 0] = ..., z -= ...): the caller's array must stay as it was")
def xent_gradient_leaves_inputs_alone(student, expect):
    z, labels = scores(6, 4, 3), np.array([2, 0, 1, 2])
    _, changed = student.softmax_cross_entropy_gradient.call_checking_inputs(z, labels)
    expect.unchanged(changed, inputs="scores of shape (4, 3), labels=[2, 0, 1, 2]",
                     hint=COPY_HINT)


# --- classifier_backward(X, labels, W1, b1, W2, b2) -> dict -----------------------------------

from nnlessons.network import MLP  # noqa: E402
from nnlessons.grading.suites.ex08_activations import (CLASSIFIER_NAMES,  # noqa: E402
                                                       check_classifier_gradients)


def classifier(seed, m, h, k, bias_shift=0.0):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(size=(m, h)), "b1": rng.normal(0, 0.5, size=h) + bias_shift,
            "W2": rng.normal(size=(h, k)), "b2": rng.normal(0, 0.5, size=k)}


def classifier_reference(X, labels, params):
    net = MLP([X.shape[1], params["W1"].shape[1], params["W2"].shape[1]], ["relu", "softmax"])
    net.set_parameters(params)
    return net.loss_and_gradients(X, labels, "cross_entropy")[1]


@suite.test(function="classifier_backward", points=3, hidden=True,
            case="checked against a numerical gradient: a classifier",
            hint="every parameter must pass the notebook's gradient check; the output layer's "
                 "bias gradient sums the deltas, the hidden layer uses the ReLU's slope")
def classifier_numerical_check(student, expect):
    rng = np.random.default_rng(60)
    X, labels = rng.normal(size=(9, 5)), rng.integers(0, 4, size=9)
    params = classifier(61, 5, 7, 4)
    got = student.classifier_backward(X, labels, **params)
    expect.true(isinstance(got, dict) and all(name in got for name in CLASSIFIER_NAMES),
                "classifier_backward should return a dict with the keys W1, b1, W2, b2")

    def loss(values):
        A1 = np.maximum(X @ values["W1"] + values["b1"], 0.0)
        return losses.categorical_cross_entropy_from_logits(A1 @ values["W2"] + values["b2"],
                                                            labels)

    expect.agrees_numerically(got, {name: params[name] for name in CLASSIFIER_NAMES}, loss,
                              "9 examples, a 5-7-4 network")


@suite.test(function="classifier_backward", points=1, hidden=True, case="a batch of one example",
            hint="the mean is over the examples: with one example nothing is divided, and the "
                 "bias gradients still sum over axis 0")
def classifier_one_example(student, expect):
    rng = np.random.default_rng(65)
    X, labels = rng.normal(size=(1, 5)), np.array([1])
    params = classifier(66, 5, 6, 3)  # four of its six hidden neurons are on
    check_classifier_gradients(expect, student.classifier_backward(X, labels, **params),
                               classifier_reference(X, labels, params), "one example")


@suite.test(function="classifier_backward", points=1, hidden=True,
            case="very large inputs: a wide network with many classes and very large scores",
            hint="the bias gradients are sums of the deltas over the examples; before np.exp, "
                 "subtract each row's largest score, as softmax does")
def classifier_many_classes(student, expect):
    rng = np.random.default_rng(64)
    X, labels = rng.normal(size=(30, 6)), rng.integers(0, 10, size=30)
    params = classifier(65, 6, 20, 10, bias_shift=-0.5)  # many hidden neurons off
    params["W2"] = params["W2"] * 300.0  # scores in the hundreds and thousands
    check_classifier_gradients(expect, student.classifier_backward(X, labels, **params),
                               classifier_reference(X, labels, params), "30 examples, 10 classes")


@suite.test(function="classifier_backward", points=1, hidden=True,
            case="your function changed its input",
            hint="work on new arrays; never write into X, the labels or the weights")
def classifier_leaves_inputs_alone(student, expect):
    rng = np.random.default_rng(66)
    X, labels = rng.normal(size=(5, 3)), rng.integers(0, 3, size=5)
    params = classifier(67, 3, 4, 3)
    _, changed = student.classifier_backward.call_checking_inputs(
        X, labels, params["W1"], params["b1"], params["W2"], params["b2"])
    expect.unchanged(changed)
