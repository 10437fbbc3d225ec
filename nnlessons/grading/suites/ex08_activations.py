"""Grader of exercise notebook 08_activations: ReLU, leaky ReLU and ELU with their derivatives,
a numerically stable softmax over rows, and the gradient of softmax with cross-entropy.

The public tests, shipped for the learner's self-check. Their expected values are stored, not
computed (instructor/expected_values.py computed them once); the hidden tests are the
instructor's (instructor/graders/ex08_activations.py)."""
import numpy as np

from nnlessons.grading.suite import Suite

# `get` hands out every reference activation by name, so it is off limits wherever one is.
suite = Suite("08_activations", functions=[
    "relu", "relu_prime", "leaky_relu", "leaky_relu_prime", "elu", "elu_prime", "softmax",
    "softmax_cross_entropy_gradient"], forbidden={
    "relu": ["nnlessons.activations.relu", "nnlessons.activations.get"],
    "relu_prime": ["nnlessons.activations.relu_prime", "nnlessons.activations.get",
                   "nnlessons.activations.relu_prime_from_output",
                   "nnlessons.activations.prime_from_output"],
    "leaky_relu": ["nnlessons.activations.leaky_relu", "nnlessons.activations.get"],
    "leaky_relu_prime": ["nnlessons.activations.leaky_relu_prime", "nnlessons.activations.get",
                         "nnlessons.activations.leaky_relu_prime_from_output",
                         "nnlessons.activations.prime_from_output"],
    "elu": ["nnlessons.activations.elu", "nnlessons.activations.get"],
    "elu_prime": ["nnlessons.activations.elu_prime", "nnlessons.activations.get",
                  "nnlessons.activations.elu_prime_from_output",
                  "nnlessons.activations.prime_from_output"],
    "softmax": ["nnlessons.activations.softmax", "nnlessons.activations.get"],
    "softmax_cross_entropy_gradient": [
        "nnlessons.activations.softmax", "nnlessons.activations.get",
        "nnlessons.losses.categorical_cross_entropy_from_logits_gradient",
        "nnlessons.losses._cross_entropy_gradient_from_softmax"],
}, hidden_counts={"relu": 2, "relu_prime": 3, "leaky_relu": 2, "leaky_relu_prime": 2, "elu": 3,
                  "elu_prime": 2, "softmax": 5, "softmax_cross_entropy_gradient": 4})

COPY_HINT = "work on a new array (np.maximum, np.where, z - m) instead of assigning into z " \
            "(z[z < 0] = ..., z -= ...): the caller's array must stay as it was"
INT_HINT = "np.asarray(z, dtype=float) first: an integer array keeps integers, and any " \
           "fraction written into it is cut off"


# --- relu(z), relu_prime(z) ----------------------------------------------------------------------

@suite.test(function="relu", points=2, case="ordinary inputs of another size")
def relu_values(student, expect):
    """max(0, z), elementwise."""
    z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    got = student.relu(z)
    expect.shape(got, (5,), inputs="z=[-2, -0.5, 0, 0.5, 3]",
                 hint="np.maximum(0, z) works on the whole array at once")
    expect.close(got, [0.0, 0.0, 0.0, 0.5, 3.0], inputs="z=[-2, -0.5, 0, 0.5, 3]",
                 hint="negative z become 0, positive z stay as they are")


@suite.test(function="relu", points=1, case="a 2-D array")
def relu_keeps_shape(student, expect):
    """A batch: one row per example, any number of columns."""
    z = np.array([[1.2, -0.7, 0.0, 2.5], [-1.8, 0.4, -0.1, 3.1], [0.9, -2.2, 1.6, -0.5]])
    got = student.relu(z)
    expect.shape(got, (3, 4), inputs="z of shape (3, 4)", hint="the answer has z's shape")
    expect.close(got, [[1.2, 0.0, 0.0, 2.5], [0.0, 0.4, 0.0, 3.1], [0.9, 0.0, 1.6, 0.0]],
                 inputs=f"z={z.tolist()}")


@suite.test(function="relu_prime", points=2, case="a value exactly at a boundary")
def relu_prime_values(student, expect):
    """1 where z > 0, else 0."""
    z = np.array([-2.0, -0.5, 0.5, 3.0])
    got = student.relu_prime(z)
    expect.shape(got, (4,), inputs="z=[-2, -0.5, 0.5, 3]")
    expect.close(got, [0.0, 0.0, 1.0, 1.0], inputs="z=[-2, -0.5, 0.5, 3]",
                 hint="the slope of ReLU is 1 where z > 0 and 0 where z < 0 (the slope, not the "
                      "value max(0, z))")


# --- leaky_relu(z, slope=0.01), leaky_relu_prime(z, slope=0.01) ----------------------------------

@suite.test(function="leaky_relu", points=2, case="ordinary inputs of another size")
def leaky_relu_values(student, expect):
    """z where z > 0, else 0.01 z (the default slope)."""
    z = np.array([-100.0, -2.0, 0.0, 0.5, 3.0])
    got = student.leaky_relu(z)
    expect.shape(got, (5,), inputs="z=[-100, -2, 0, 0.5, 3]")
    expect.close(got, [-1.0, -0.02, 0.0, 0.5, 3.0], inputs="z=[-100, -2, 0, 0.5, 3], slope=0.01",
                 hint="the small slope multiplies the NEGATIVE z; positive z pass unchanged")


@suite.test(function="leaky_relu", points=1, case="another value of an optional argument")
def leaky_relu_other_slope(student, expect):
    """The slope is an argument: here 0.2."""
    z = np.array([[-1.5, 0.8, -0.3], [2.1, -2.6, 0.4]])
    got = student.leaky_relu(z, slope=0.2)
    expect.shape(got, (2, 3), inputs="z of shape (2, 3), slope=0.2")
    expect.close(got, [[-0.30000000000000004, 0.8, -0.06], [2.1, -0.52, 0.4]],
                 inputs=f"z={z.tolist()}, slope=0.2",
                 hint="use the argument slope, not a fixed 0.01")


@suite.test(function="leaky_relu_prime", points=2, case="a value exactly at a boundary")
def leaky_relu_prime_values(student, expect):
    """1 where z > 0, else the slope."""
    z = np.array([-3.0, -0.5, 0.5, 3.0])
    got = student.leaky_relu_prime(z, slope=0.1)
    expect.shape(got, (4,), inputs="z=[-3, -0.5, 0.5, 3], slope=0.1")
    expect.close(got, [0.1, 0.1, 1.0, 1.0], inputs="z=[-3, -0.5, 0.5, 3], slope=0.1",
                 hint="below zero the slope is the argument slope (0.1 here), above zero it is 1")


@suite.test(function="leaky_relu_prime", points=1, case="another value of an optional argument")
def leaky_relu_prime_default_slope(student, expect):
    z = np.array([-1.0, 2.0])
    expect.close(student.leaky_relu_prime(z), [0.01, 1.0], inputs="z=[-1, 2], default slope",
                 hint="the default slope is 0.01")


# --- elu(z, alpha=1.0), elu_prime(z, alpha=1.0) --------------------------------------------------

@suite.test(function="elu", points=2, case="ordinary inputs of another size")
def elu_values(student, expect):
    """z where z > 0, else alpha (e^z - 1)."""
    z = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
    got = student.elu(z)
    expect.shape(got, (5,), inputs="z=[-3, -1, 0, 0.5, 2]")
    expect.close(got, [-0.950212931632136, -0.6321205588285577, 0.0, 0.5, 2.0],
                 inputs="z=[-3, -1, 0, 0.5, 2], alpha=1",
                 hint="below zero: alpha * (np.exp(z) - 1), which goes from 0 down to -alpha")


@suite.test(function="elu", points=1, case="another value of an optional argument")
def elu_alpha(student, expect):
    """alpha scales the negative side only."""
    z = np.array([-2.0, -0.5, 1.0, 4.0])
    got = student.elu(z, alpha=0.5)
    expect.close(got, [-0.43233235838169365, -0.1967346701436833, 1.0, 4.0],
                 inputs="z=[-2, -0.5, 1, 4], alpha=0.5",
                 hint="alpha multiplies (e^z - 1) for z <= 0; positive z pass unchanged")


@suite.test(function="elu_prime", points=2, case="ordinary inputs of another size")
def elu_prime_values(student, expect):
    """1 where z > 0, else alpha e^z."""
    z = np.array([-3.0, -1.0, 0.5, 2.0])
    got = student.elu_prime(z)
    expect.shape(got, (4,), inputs="z=[-3, -1, 0.5, 2]")
    expect.close(got, [0.049787068367863944, 0.36787944117144233, 1.0, 1.0],
                 inputs="z=[-3, -1, 0.5, 2], alpha=1",
                 hint="the slope of alpha (e^z - 1) is alpha e^z; above zero the slope is 1")


@suite.test(function="elu_prime", points=1, case="another value of an optional argument")
def elu_prime_alpha(student, expect):
    """With alpha = 2 the slope below zero doubles."""
    z = np.array([-2.0, -1.0, 1.0])
    got = student.elu_prime(z, alpha=2.0)
    expect.close(got, [0.2706705664732254, 0.7357588823428847, 1.0],
                 inputs="z=[-2, -1, 1], alpha=2",
                 hint="alpha stays in the derivative: d/dz alpha (e^z - 1) = alpha e^z")


# --- softmax(z) ----------------------------------------------------------------------------------

@suite.test(function="softmax", points=2, case="a batch of one example")
def softmax_three_scores(student, expect):
    """Two examples with three scores each."""
    z = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])
    got = student.softmax(z)
    inputs = "z=[[2, 1, 0.1], [0, 0, 0]]"
    expect.shape(got, (2, 3), inputs=inputs, hint="one probability per score: z's shape")
    expect.close(got, [[0.6590011388859679, 0.24243297070471392, 0.09856589040931818],
                       [0.3333333333333333, 0.3333333333333333, 0.3333333333333333]],
                 inputs=inputs,
                 hint="e^z divided by the sum of e^z over the same ROW (axis=-1, "
                      "keepdims=True); three equal scores give 1/3 each")


@suite.test(function="softmax", points=1, case="ordinary inputs of another size")
def softmax_rows_sum_to_one(student, expect):
    """Every row is a probability distribution."""
    z = np.array([[0.5, -1.2, 2.3, 0.1], [-0.4, 0.0, 1.1, -2.0], [3.0, 1.5, -0.7, 0.6]])
    got = student.softmax(z)
    expect.shape(got, (3, 4), inputs="z of shape (3, 4)")
    sums = np.sum(got, axis=1)
    expect.true(np.allclose(sums, 1.0), f"the rows should sum to 1; they sum to "
                f"{np.round(sums, 4).tolist()}", inputs=f"z={z.tolist()}",
                hint="normalise over the classes of one example (axis=-1), not over the "
                     "examples (axis=0)")
    expect.close(got, [[0.1265398150107109, 0.023116739339137795, 0.7655212710268303,
                        0.08482217462332102],
                       [0.13936485303909837, 0.207907929746873, 0.6245899386545978,
                        0.028137278559430826],
                       [0.7470649834390591, 0.16669272939604132, 0.018470080893119235,
                        0.0677722062717803]], inputs=f"z={z.tolist()}")


# --- softmax_cross_entropy_gradient(scores, labels) ----------------------------------------------

@suite.test(function="softmax_cross_entropy_gradient", points=2,
            case="ordinary inputs of another size")
def xent_gradient_values(student, expect):
    """(softmax(scores) - onehot(labels)) / n for three examples."""
    z = np.array([[2.0, 1.0, 0.1], [0.5, 0.5, 3.0], [-1.0, 2.0, 0.0]])
    labels = np.array([0, 2, 1])
    got = student.softmax_cross_entropy_gradient(z, labels)
    inputs = "scores of shape (3, 3), labels=[0, 2, 1]"
    expect.shape(got, (3, 3), inputs=inputs, hint="one slope per score: the shape of scores")
    expect.close(got, [[-0.1136662870380107, 0.08081099023490464, 0.03285529680310606],
                       [0.02350315355373502, 0.02350315355373502, -0.04700630710747008],
                       [0.01400335537802202, -0.05206842183955348, 0.0380650664615315]],
                 inputs=inputs,
                 hint="softmax(scores) minus 1 at each example's right class, divided by the "
                      "number of examples (the loss is a mean, not a sum)")


# --- classifier_backward(X, labels, W1, b1, W2, b2) -> dict -----------------------------------
# Past what lesson 08 wrote out: the notebook gives a backward pass with two planted bugs, and
# the learner finds them with a gradient check and returns the fixed function.
suite.forbidden["classifier_backward"] = [
    "nnlessons.network.MLP._backward", "nnlessons.network.loss_value",
    "nnlessons.activations.softmax", "nnlessons.activations.relu_prime",
    "nnlessons.activations.get", "nnlessons.losses.categorical_cross_entropy_from_logits_gradient",
    "nnlessons.calculus.numerical_gradient"]
suite.hidden_counts["classifier_backward"] = 4
CLASSIFIER_NAMES = ("W1", "b1", "W2", "b2")


def check_classifier_gradients(expect, got, want, inputs, hint=None):
    """The learner's gradients (a dict) against `want`, form first, the last layer first."""
    expect.true(isinstance(got, dict) and all(name in got for name in CLASSIFIER_NAMES),
                "classifier_backward should return a dict with the keys W1, b1, W2, b2",
                inputs=inputs)
    for name in CLASSIFIER_NAMES:
        expect.shape(got[name], np.shape(want[name]), inputs=inputs, what=f"the gradient {name}",
                     hint="each gradient has the shape of its parameter")
    for name in ("W2", "b2", "W1", "b1"):
        expect.close(got[name], want[name], rtol=1e-6, atol=1e-10, inputs=inputs,
                     what=f"the gradient {name}", hint=hint)


@suite.test(function="classifier_backward", points=3,
            case="ordinary inputs of another size: a 3-4-3 classifier on three examples")
def classifier_small_net(student, expect):
    """A 3-4-3 classifier on three examples: all four gradients."""
    X = np.array([[0.5, -1.0, 2.0], [1.5, 0.2, -0.3], [-0.7, 0.4, 0.1]])
    labels = np.array([2, 0, 1])
    params = {"W1": np.array([[0.4, -0.9, 0.2, 0.1], [0.7, 0.3, -0.5, 0.6],
                              [-0.2, 0.8, 0.1, -0.4]]),
              "b1": np.array([0.05, 0.1, -0.1, 0.0]),
              "W2": np.array([[1.0, -0.5, 0.3], [-0.8, 0.6, 0.2], [0.3, 1.1, -0.7],
                              [0.5, -0.2, 0.9]]),
              "b2": np.array([0.2, -0.1, 0.0])}
    got = student.classifier_backward(X, labels, **params)
    check_classifier_gradients(expect, got, {
        "W1": [[-0.3150214773437861, 0.11844830834284156, 0.12731993980001638,
                -0.10498563846828947],
               [0.05373283387807896, -0.10060032062805796, -0.48538846668743935,
                0.0770325250248984],
               [0.055241941615466646, 0.07853397480425324, 0.9635660400283973,
                0.013616267410900844]],
        "b1": [0.07460532305813036, -0.09021449385261732, 0.3988577465296619,
               0.20064111805556561],
        "W2": [[-0.11071096694763263, 0.02277006566212895, 0.08794090128550366],
               [0.10171249562500985, 0.046836630965439816, -0.14854912659044966],
               [0.024282285516999215, 0.16685931396477627, -0.1911415994817755],
               [-0.043774955800082095, -0.011604056257924463, 0.055379012058006556]],
        "b2": [-0.02404274788396734, 0.07879184299445877, -0.05474909511049145]},
        "3 examples, a 3-4-3 network (ReLU, softmax, mean cross-entropy)",
        hint="run the notebook's gradient check on your function: it names the parameters "
             "whose gradients are still off")


@suite.test(function="classifier_backward", points=1, case="your function changed its input")
def classifier_keeps_its_inputs(student, expect):
    """X, the labels and the weights are the caller's: the gradients are new arrays."""
    X, labels = np.array([[0.5, -1.0], [1.5, 0.2], [-0.7, 0.4]]), np.array([1, 0, 1])
    params = {"W1": np.array([[0.4, -0.9, 0.2], [0.7, 0.3, -0.5]]),
              "b1": np.array([0.05, 0.1, -0.1]),
              "W2": np.array([[1.0, -0.5], [-0.8, 0.6], [0.3, 1.1]]), "b2": np.array([0.2, -0.1])}
    _, changed = student.classifier_backward.call_checking_inputs(
        X, labels, params["W1"], params["b1"], params["W2"], params["b2"])
    expect.unchanged(changed, inputs="3 examples, a 2-3-2 classifier",
                     hint="work on new arrays; never write into X, the labels or the weights")
