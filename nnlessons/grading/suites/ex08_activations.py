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
    "softmax": ["nnlessons.activations.softmax", "nnlessons.activations.get",
                "nnlessons.losses._softmax_and_cross_entropy"],
    "softmax_cross_entropy_gradient": [
        "nnlessons.activations.softmax", "nnlessons.activations.get",
        "nnlessons.losses._softmax_and_cross_entropy",
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


@suite.test(function="relu", points=1, case="integer inputs")
def relu_of_integers(student, expect):
    """Integer z: the answer is floats."""
    got = student.relu(np.array([-4, 0, 2, 7]))
    inputs = "z=np.array([-4, 0, 2, 7]) (integers)"
    expect.shape(got, (4,), inputs=inputs)
    expect.dtype(got, "f", inputs=inputs, hint=INT_HINT)
    expect.close(got, [0.0, 0.0, 2.0, 7.0], inputs=inputs)


@suite.test(function="relu", points=1, case="your function changed its input")
def relu_input_left_alone(student, expect):
    """The caller's z is the same after the call."""
    _, changed = student.relu.call_checking_inputs(np.array([-1.5, 0.0, 2.5]))
    expect.unchanged(changed, inputs="z=[-1.5, 0, 2.5]", hint=COPY_HINT)


@suite.test(function="relu_prime", points=2, case="ordinary inputs of another size")
def relu_prime_values(student, expect):
    """1 where z > 0, else 0."""
    z = np.array([-2.0, -0.5, 0.5, 3.0])
    got = student.relu_prime(z)
    expect.shape(got, (4,), inputs="z=[-2, -0.5, 0.5, 3]")
    expect.close(got, [0.0, 0.0, 1.0, 1.0], inputs="z=[-2, -0.5, 0.5, 3]",
                 hint="the slope of ReLU is 1 where z > 0 and 0 where z < 0 (the slope, not the "
                      "value max(0, z))")


@suite.test(function="relu_prime", points=1, case="a value exactly at a boundary: z exactly 0")
def relu_prime_of_zero(student, expect):
    """At exactly z = 0 the slope is taken as 0 (the z <= 0 side)."""
    got = student.relu_prime(np.array([[0.0, 4.0], [-0.25, 0.0]]))
    expect.close(got, [[0.0, 1.0], [0.0, 0.0]], inputs="z=[[0, 4], [-0.25, 0]]",
                 hint="at exactly z = 0 the slope is 0: test z > 0, not z >= 0")


@suite.test(function="relu_prime", points=1, case="integer inputs")
def relu_prime_of_integers(student, expect):
    """Integer z: the slopes are floats (1.0 and 0.0), not booleans or integers."""
    got = student.relu_prime(np.array([[3, -2], [0, 1]]))
    inputs = "z=np.array([[3, -2], [0, 1]]) (integers)"
    expect.shape(got, (2, 2), inputs=inputs)
    expect.dtype(got, "f", inputs=inputs, hint=INT_HINT)
    expect.close(got, [[1.0, 0.0], [0.0, 1.0]], inputs=inputs)


@suite.test(function="relu_prime", points=1, case="your function changed its input")
def relu_prime_input_left_alone(student, expect):
    """The caller's z is the same after the call."""
    _, changed = student.relu_prime.call_checking_inputs(np.array([-2.0, 0.5, 1.0]))
    expect.unchanged(changed, inputs="z=[-2, 0.5, 1]", hint=COPY_HINT)


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


@suite.test(function="leaky_relu", points=1, case="integer inputs")
def leaky_relu_of_integers(student, expect):
    """Integer z: -20 * 0.05 = -1.0, as floats."""
    got = student.leaky_relu(np.array([-20, 0, 3]), slope=0.05)
    inputs = "z=np.array([-20, 0, 3]) (integers), slope=0.05"
    expect.shape(got, (3,), inputs=inputs)
    expect.dtype(got, "f", inputs=inputs, hint=INT_HINT)
    expect.close(got, [-1.0, 0.0, 3.0], inputs=inputs)


@suite.test(function="leaky_relu", points=1, case="your function changed its input")
def leaky_relu_input_left_alone(student, expect):
    """The caller's z is the same after the call."""
    _, changed = student.leaky_relu.call_checking_inputs(np.array([-2.0, 1.0, -0.5]))
    expect.unchanged(changed, inputs="z=[-2, 1, -0.5], default slope", hint=COPY_HINT)


@suite.test(function="leaky_relu_prime", points=2, case="ordinary inputs of another size")
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


@suite.test(function="leaky_relu_prime", points=1,
            case="a value exactly at a boundary: z exactly 0")
def leaky_relu_prime_of_zero(student, expect):
    """At exactly z = 0 the slope is taken from the z <= 0 side: the argument slope."""
    got = student.leaky_relu_prime(np.array([0.0, -2.0, 3.0]), slope=0.3)
    expect.close(got, [0.3, 0.3, 1.0], inputs="z=[0, -2, 3], slope=0.3",
                 hint="at exactly z = 0 the slope is the argument slope: test z > 0 for the 1")


@suite.test(function="leaky_relu_prime", points=1, case="integer inputs")
def leaky_relu_prime_of_integers(student, expect):
    """Integer z: the slopes are floats."""
    got = student.leaky_relu_prime(np.array([[-3, 5], [0, 2]]), slope=0.5)
    inputs = "z=np.array([[-3, 5], [0, 2]]) (integers), slope=0.5"
    expect.shape(got, (2, 2), inputs=inputs)
    expect.dtype(got, "f", inputs=inputs, hint=INT_HINT)
    expect.close(got, [[0.5, 1.0], [0.5, 1.0]], inputs=inputs)


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


@suite.test(function="elu", points=1, case="integer inputs")
def elu_of_integers(student, expect):
    """Integer z: e^-2 - 1 as a float."""
    got = student.elu(np.array([-2, 0, 3]))
    inputs = "z=np.array([-2, 0, 3]) (integers), alpha=1"
    expect.shape(got, (3,), inputs=inputs)
    expect.dtype(got, "f", inputs=inputs, hint=INT_HINT)
    expect.close(got, [-0.8646647167633873, 0.0, 3.0], inputs=inputs)


@suite.test(function="elu", points=1, case="very large inputs: positive and negative")
def elu_of_huge_numbers(student, expect):
    """z of -700 and 800: finite, about -1 and 800."""
    got = student.elu(np.array([-700.0, -30.0, 30.0, 800.0]))
    inputs = "z=[-700, -30, 30, 800]"
    expect.finite(got, inputs=inputs,
                  hint="e^800 is infinite, and infinity times 0 is NaN: take e^z only of the "
                       "z <= 0 side (np.minimum(z, 0))")
    expect.close(got, [-1.0, -0.9999999999999064, 30.0, 800.0], inputs=inputs)


@suite.test(function="elu", points=1, case="your function changed its input")
def elu_input_left_alone(student, expect):
    """The caller's z is the same after the call."""
    _, changed = student.elu.call_checking_inputs(np.array([-1.0, 0.5, -2.0]))
    expect.unchanged(changed, inputs="z=[-1, 0.5, -2]", hint=COPY_HINT)


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


@suite.test(function="elu_prime", points=1, case="a value exactly at a boundary: z exactly 0")
def elu_prime_of_zero(student, expect):
    """At exactly z = 0 the slope is taken from the z <= 0 side: alpha e^0 = alpha."""
    got = student.elu_prime(np.array([-0.5, 0.0, 0.5]), alpha=3.0)
    expect.close(got, [1.8195919791379003, 3.0, 1.0], inputs="z=[-0.5, 0, 0.5], alpha=3",
                 hint="at exactly z = 0 the slope is alpha e^0 = alpha: test z > 0 for the 1")


@suite.test(function="elu_prime", points=1, case="very large inputs: positive and negative")
def elu_prime_of_huge_numbers(student, expect):
    """z of -900 and 900: slopes 0 and 1, never NaN."""
    got = student.elu_prime(np.array([-900.0, 900.0, -30.0]))
    inputs = "z=[-900, 900, -30]"
    expect.finite(got, inputs=inputs, hint="e^900 is infinite: take e^z only of np.minimum(z, 0)")
    expect.close(got, [0.0, 1.0, 9.357622968840175e-14], inputs=inputs)


# --- softmax(z) ----------------------------------------------------------------------------------

@suite.test(function="softmax", points=2, case="ordinary inputs of another size")
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


@suite.test(function="softmax", points=1,
            case="a batch of one example: one row, and a 1-D array (the scores of one example)")
def softmax_of_one_example(student, expect):
    """One example, as a (1, 3) row and as a 1-D array: normalised along its scores."""
    got = student.softmax(np.array([[3.0, 1.0, -1.0]]))
    expect.shape(got, (1, 3), inputs="z=[[3, 1, -1]] (one example)")
    expect.close(got, [[0.8668133321973347, 0.11731042782619835, 0.015876239976466762]],
                 inputs="z=[[3, 1, -1]] (one example)",
                 hint="normalise along the row; over axis=0 every entry of a single example "
                      "becomes 1")
    got = student.softmax(np.array([2.0, -1.0, 0.0]))
    expect.shape(got, (3,), inputs="z=[2, -1, 0] (1-D)",
                 hint="work along axis=-1 (the last axis) so that one row of shape (k,) works")
    expect.close(got, [0.8437947344813396, 0.04201006613406606, 0.1141951993845945],
                 inputs="z=[2, -1, 0] (1-D)")


@suite.test(function="softmax", points=1,
            case="very large inputs: very large and very negative scores")
def softmax_of_huge_scores(student, expect):
    """Scores of 500 and -900: finite probabilities, rows summing to 1."""
    got = student.softmax(np.array([[500.0, 502.0, -800.0], [-900.0, -901.0, -899.0]]))
    inputs = "z=[[500, 502, -800], [-900, -901, -899]]"
    expect.shape(got, (2, 3), inputs=inputs)
    expect.finite(got, inputs=inputs,
                  hint="subtract each ROW's largest score before np.exp: e^502 overflows to "
                       "infinity, and e^-900 underflows to 0, so 0/0 = NaN")
    expect.close(got, [[0.11920292202211755, 0.8807970779778823, 0.0],
                       [0.24472847105479764, 0.09003057317038046, 0.6652409557748218]],
                 inputs=inputs)


@suite.test(function="softmax", points=1, case="integer inputs")
def softmax_of_integers(student, expect):
    """Integer scores: subtracting the row's largest must not stay in integers."""
    got = student.softmax(np.array([[2, 0, 1], [4, 4, 0]]))
    inputs = "z=np.array([[2, 0, 1], [4, 4, 0]]) (integers)"
    expect.shape(got, (2, 3), inputs=inputs)
    expect.dtype(got, "f", inputs=inputs, hint=INT_HINT)
    expect.close(got, [[0.6652409557748218, 0.09003057317038046, 0.24472847105479764],
                       [0.4954626425778431, 0.4954626425778431, 0.009074714844313747]],
                 inputs=inputs)


@suite.test(function="softmax", points=1, case="your function changed its input")
def softmax_input_left_alone(student, expect):
    """The caller's scores are the same after the call."""
    _, changed = student.softmax.call_checking_inputs(np.array([[1.0, 3.0], [-2.0, 0.5]]))
    expect.unchanged(changed, inputs="z=[[1, 3], [-2, 0.5]]", hint=COPY_HINT)


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


@suite.test(function="softmax_cross_entropy_gradient", points=1,
            case="checked against a numerical gradient: a batch of scores")
def xent_gradient_numerically(student, expect):
    """The expected values are a numerical gradient (central differences, h = 1e-5) of the mean
    cross-entropy, nudging one score at a time."""
    inputs = ("scores=[[0.3, -1.2, 0.8], [1, 0, -0.5]], labels=[2, 0]; expected: a numerical "
              "gradient of the mean cross-entropy")
    got = student.softmax_cross_entropy_gradient(np.array([[0.3, -1.2, 0.8], [1.0, 0.0, -0.5]]),
                                                 np.array([2, 0]))
    expect.shape(got, (2, 3), inputs=inputs)
    expect.close(got, [[0.17410371394022126, 0.038847789574081304, -0.21295150351985367],
                       [-0.18573414039546596, 0.11561194881437585, 0.07012219158664124]],
                 rtol=1e-5, atol=1e-8, inputs=inputs,
                 hint="the loss is the mean cross-entropy over the batch: divide by the number "
                      "of examples")


@suite.test(function="softmax_cross_entropy_gradient", points=1,
            case="very large inputs: very large and very negative scores")
def xent_gradient_of_huge_scores(student, expect):
    """Scores of 1200 and -900: finite slopes."""
    inputs = "scores=[[800, -900, 0], [1200, 1200, 1199]], labels=[0, 2]"
    got = student.softmax_cross_entropy_gradient(
        np.array([[800.0, -900.0, 0.0], [1200.0, 1200.0, 1199.0]]), np.array([0, 2]))
    expect.finite(got, inputs=inputs, hint="use your stable softmax, which stays finite")
    expect.close(got, [[0.0, 0.0, 0.0],
                       [0.2111593991257591, 0.2111593991257591, -0.4223187982515182]],
                 inputs=inputs)


@suite.test(function="softmax_cross_entropy_gradient", points=1, case="a batch of one example")
def xent_gradient_single_example(student, expect):
    """One example: softmax of its row minus 1 at its class, divided by 1."""
    inputs = "scores=[[1, -0.5, 0.25]], labels=[1]"
    got = student.softmax_cross_entropy_gradient(np.array([[1.0, -0.5, 0.25]]), np.array([1]))
    expect.shape(got, (1, 3), inputs=inputs, hint="keep the shape (1, k)")
    expect.close(got, [[0.5897976636568125, -0.8683983528530855, 0.278600689196273]],
                 inputs=inputs)


@suite.test(function="softmax_cross_entropy_gradient", points=1,
            case="your function changed its input")
def xent_gradient_inputs_left_alone(student, expect):
    """The caller's scores and labels are the same after the call."""
    _, changed = student.softmax_cross_entropy_gradient.call_checking_inputs(
        np.array([[0.1, 0.9], [2.0, -1.0], [0.0, 0.0]]), np.array([1, 0, 1]))
    expect.unchanged(changed, inputs="scores=[[0.1, 0.9], [2, -1], [0, 0]], labels=[1, 0, 1]",
                     hint=COPY_HINT)


# --- classifier_backward(X, labels, W1, b1, W2, b2) -> dict -----------------------------------
# Past what lesson 08 wrote out: the notebook gives a backward pass with two planted bugs, and
# the learner finds them with a gradient check and returns the fixed function.
suite.forbidden["classifier_backward"] = [
    "nnlessons.network.MLP._backward", "nnlessons.network.loss_value",
    "nnlessons.activations.softmax", "nnlessons.activations.relu_prime",
    "nnlessons.losses._softmax_and_cross_entropy",
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


def classifier_233():
    """A 2-3-3 classifier whose hidden sums are never exactly 0 on the examples below."""
    return {"W1": np.array([[0.6, -0.4, 0.9], [0.2, 0.7, -0.3]]), "b1": np.array([0.1, 0.05, -0.2]),
            "W2": np.array([[0.5, -0.8, 0.3], [1.1, 0.2, -0.6], [-0.4, 0.9, 0.7]]),
            "b2": np.array([0.0, 0.1, -0.1])}


CLASSIFIER_233 = ("W1 = [[0.6, -0.4, 0.9], [0.2, 0.7, -0.3]], b1 = [0.1, 0.05, -0.2], "
                  "W2 = [[0.5, -0.8, 0.3], [1.1, 0.2, -0.6], [-0.4, 0.9, 0.7]], "
                  "b2 = [0, 0.1, -0.1]")


@suite.test(function="classifier_backward", points=1,
            case="checked against a numerical gradient: a classifier")
def classifier_numerically(student, expect):
    """The expected values are a numerical gradient (central differences, h = 1e-5) of the mean
    cross-entropy, nudging one weight at a time: what the notebook's gradient check does."""
    X, labels = np.array([[1.0, -0.5], [0.3, 0.8], [-1.2, 0.4]]), np.array([0, 1, 2])
    check_classifier_gradients(expect, student.classifier_backward(X, labels, **classifier_233()), {
        "W1": [[-0.07842039632111053, -0.4481671482703397, 0.3087945915525303],
               [0.3441390670988475, 0.25358331171565496, -0.15439729578181627]],
        "b1": [0.14626403340711747, 0.5181868767190068, 0.3087945915525303],
        "W2": [[-0.07301259804526339, -0.04636772596988691, 0.1193803239818436],
               [0.2460043450613902, -0.044403581567209464, -0.2016007634830785],
               [-0.22138599157228708, 0.09475406048675693, 0.1266319310633257]],
        "b2": [0.11801129389255037, -0.04503001724831534, -0.0729812766664395]},
        "X = [[1, -0.5], [0.3, 0.8], [-1.2, 0.4]], labels = [0, 1, 2], " + CLASSIFIER_233
        + "; expected: a numerical gradient of the loss",
        hint="run the notebook's gradient check on your function: it names the parameters "
             "whose gradients are still off")


@suite.test(function="classifier_backward", points=1, case="a batch of one example")
def classifier_single_example(student, expect):
    """One example (its second hidden neuron is off): nothing to average, biases still summed."""
    X, labels = np.array([[0.6, -0.2]]), np.array([2])
    check_classifier_gradients(expect, student.classifier_backward(X, labels, **classifier_233()), {
        "W1": [[-0.17535462436224186, 0.0, -0.15756977962596838],
               [0.05845154145408063, 0.0, 0.052523259875322796]],
        "b1": [-0.2922577072704031, 0.0, -0.26261629937661396],
        "W2": [[0.12468237412197396, 0.13425882897996735, -0.2589412031019413], [0.0, 0.0, 0.0],
               [0.11874511821140381, 0.12786555140949277, -0.24661066962089656]],
        "b2": [0.29686279552850947, 0.31966387852373185, -0.6165266740522413]},
        "X = [[0.6, -0.2]], labels = [2], " + CLASSIFIER_233,
        hint="the mean is over the examples: with one example nothing is divided, and the bias "
             "gradients still sum over axis 0")


@suite.test(function="classifier_backward", points=1,
            case="very large inputs: very large scores")
def classifier_huge_scores(student, expect):
    """W2 400 times larger: scores in the hundreds, finite gradients."""
    X, labels = np.array([[1.0, 2.0], [-1.0, 0.5]]), np.array([0, 2])
    params = classifier_233()
    params["W2"] = params["W2"] * 400.0
    got = student.classifier_backward(X, labels, **params)
    inputs = ("X = [[1, 2], [-1, 0.5]], labels = [0, 2], the network of classifier_numerically "
              "with W2 times 400 (scores from -232 to 666)")
    for name in CLASSIFIER_NAMES if isinstance(got, dict) else ():
        expect.finite(got.get(name), what=f"the gradient {name}", inputs=inputs,
                      hint="before np.exp, subtract each row's largest score, as softmax does")
    check_classifier_gradients(expect, got, {
        "W1": [[0.0, -340.0, 0.0], [0.0, 170.0, 0.0]], "b1": [0.0, 340.0, 0.0],
        "W2": [[0.0, 0.0, 0.0], [0.4, 3.704065445041361e-126, -0.4], [0.0, 0.0, 0.0]],
        "b2": [0.5, 4.630081806301701e-126, -0.5]}, inputs)
