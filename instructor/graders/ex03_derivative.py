"""Hidden tests of exercise notebook 03_derivative, with the reference answers they compare with.
INSTRUCTOR ONLY: never give this file to learners (see instructor/README.md)."""
import numpy as np

from nnlessons import calculus, descent
from nnlessons.grading import functions
from nnlessons.grading.suite import Suite, ref
from nnlessons.grading.suites.ex03_derivative import BOWL, CROWD

suite = Suite("03_derivative")


def weighted_squares_gradient(w):
    r"""The exact gradient of nnlessons.grading.functions.weighted_squares:
    $\partial f/\partial w_i = 2(i + 1)\,w_i$, shaped like `w`."""
    w = np.asarray(w, dtype=np.float64)
    return 2.0 * np.arange(1, w.size + 1).reshape(w.shape) * w


# --- central_difference(f, x, h=1e-5) -> float ------------------------------------------------

@suite.test(function="central_difference", points=2, hidden=True,
            case="another value of an optional argument: a step h other than the default",
            hint="use both points x - h and x + h with the h you are given, and divide by 2 * h")
def uses_the_given_step(student, expect):
    # (1.1^3 - 0.9^3) / 0.2 = 3.01 exactly; a one-sided step gives 3.31, dividing by h gives 6.02
    got = student.central_difference(ref("nnlessons.grading.functions.cube"), 1.0, h=0.1)
    expect.close(got, ((1.1 ** 3) - (0.9 ** 3)) / 0.2, rtol=1e-9,
                 inputs="f(x) = x**3, x = 1, h = 0.1",
                 hint="use both points x - h and x + h with the h you are given, and divide "
                      "by 2 * h")


@suite.test(function="central_difference", points=1, hidden=True,
            case="ordinary inputs of another size: a curve with several valleys, at several "
                 "points",
            hint="the central difference works for any f: call the f you are given at x + h "
                 "and at x - h")
def slope_of_bumpy_curve(student, expect):
    for x in (-1.8, -0.3, 0.0, 1.2):
        got = student.central_difference(ref("nnlessons.descent.bumpy_loss"), x)
        expect.close(got, float(descent.bumpy_gradient(x)), rtol=1e-6, atol=1e-6,
                     inputs=f"f = descent.bumpy_loss, x = {x}")


@suite.test(function="central_difference", points=1, hidden=True,
            case="integer inputs: a point given as a whole number (an int)",
            hint="the answer must not depend on whether x is an int or a float: do not round x "
                 "or the answer")
def whole_number_point(student, expect):
    got = student.central_difference(CROWD, 350)
    expect.close(got, -300.0, rtol=1e-6, inputs="x = 350 given as an int")


# --- crowd_loss_derivative(y) -----------------------------------------------------------------

@suite.test(function="crowd_loss_derivative", points=1, hidden=True,
            case="a 2-D array: guesses",
            hint="2 * (y - 500), elementwise, keeps the shape of y")
def agrees_with_central_difference(student, expect):
    y = np.random.default_rng(3).uniform(-200, 1200, size=(2, 3))
    want = np.array([calculus.numerical_derivative(functions.crowd_loss, v) for v in y.flat])
    got = student.crowd_loss_derivative(y)
    expect.shape(got, (2, 3), inputs="y of shape (2, 3)")
    expect.close(got, want.reshape(2, 3), rtol=1e-6, inputs="random guesses of shape (2, 3)")


@suite.test(function="crowd_loss_derivative", points=1, hidden=True,
            case="your function changed its input",
            hint="return a new array (2 * (y - 500)); y -= 500 changes the caller's data")
def crowd_derivative_leaves_input_alone(student, expect):
    y = np.array([350.0, 600.0])
    _, changed = student.crowd_loss_derivative.call_checking_inputs(y)
    expect.unchanged(changed, inputs="y = [350, 600]")


# --- weight_derivative(w, x, target) ----------------------------------------------------------

@suite.test(function="weight_derivative", points=2, hidden=True,
            case="ordinary inputs of another size: weights, inputs and targets of either sign",
            hint="dL/dw = 2 (w x - target) x: keep the sign of each factor, and use the x and "
                 "target you are given")
def agrees_with_central_difference_of_w(student, expect):
    rng = np.random.default_rng(5)
    for w, x, target in rng.uniform(-3, 3, size=(4, 3)):
        want = calculus.numerical_derivative(lambda v: (v * x - target) ** 2, w)
        expect.close(student.weight_derivative(float(w), float(x), float(target)), want,
                     rtol=1e-6, atol=1e-8, inputs=f"w = {w:.3f}, x = {x:.3f}, target = {target:.3f}")


@suite.test(function="weight_derivative", points=1, hidden=True,
            case="a value exactly at a boundary: a weight whose guess is exactly right",
            hint="when w x equals the target the loss is at its lowest, so the slope is 0")
def zero_at_the_target(student, expect):
    expect.close(student.weight_derivative(10.0, 50.0, 500.0), 0.0,
                 inputs="w = 10, x = 50, target = 500 (the guess is exactly right)")


# --- numerical_gradient(f, w, h=1e-5) ---------------------------------------------------------

@suite.test(function="numerical_gradient", points=1, hidden=True,
            case="integer inputs: integer weights",
            hint="adding h = 1e-5 to an integer array rounds it away: copy w as floats "
                 "(np.array(w, dtype=float))")
def whole_number_weights(student, expect):
    w = np.array([1, -2])
    got = student.numerical_gradient(BOWL, w)
    expect.dtype(got, "f", inputs="w = np.array([1, -2]) (integers)")
    expect.close(got, descent.bowl_gradient(w), rtol=1e-6, atol=1e-7,
                 inputs="w = np.array([1, -2]) (integers)",
                 hint="adding h = 1e-5 to an integer array rounds it away: copy w as floats")


@suite.test(function="numerical_gradient", points=2, hidden=True,
            case="a 2-D array: weights in a 2-D array",
            hint="nudge every entry, one at a time, whatever the shape of w (np.ndindex(w.shape) "
                 "visits them all); the answer has the shape of w")
def matrix_of_weights(student, expect):
    W = np.random.default_rng(7).normal(size=(3, 2))
    got = student.numerical_gradient(ref("nnlessons.grading.functions.weighted_squares"), W)
    expect.shape(got, (3, 2), inputs="w of shape (3, 2)")
    expect.close(got, weighted_squares_gradient(W), rtol=1e-6, atol=1e-7,
                 inputs="f = sum of (i + 1) * w_i**2 over the entries of a (3, 2) array")


@suite.test(function="numerical_gradient", points=1, hidden=True,
            case="your function changed its input: f writes into the array it is handed",
            hint="hand f a float copy of w (np.array(w, dtype=float)), never the caller's array: "
                 "f may change the array it is given")
def numerical_gradient_leaves_input_alone(student, expect):
    # np.asarray(w, dtype=float) of a float array is the caller's array itself: nudging and
    # restoring it looks harmless, until an f that writes into its argument leaves NaN there.
    w = np.array([0.5, -1.5, 2.0])
    _, changed = student.numerical_gradient.call_checking_inputs(
        ref("nnlessons.grading.functions.weighted_squares_then_nan"), w)
    expect.unchanged(changed, inputs="w = [0.5, -1.5, 2] (floats), an f that overwrites its "
                                     "argument with NaN after computing its value")
