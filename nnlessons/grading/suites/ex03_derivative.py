"""Grader of exercise notebook 03_derivative: the central difference, the crowd loss's derivative,
the chain rule to a weight, and a numerical gradient of a function of an array.

The public tests, shipped for the learner's self-check. Their expected values are stored, not
computed (instructor/expected_values.py computed them once); the hidden tests are the
instructor's (instructor/graders/ex03_derivative.py)."""
import numpy as np

from nnlessons.grading.expect import scalar
from nnlessons.grading.suite import Suite, ref

# The reference derivatives of lesson 03: writing them is the exercise.
CALCULUS = ["nnlessons.calculus.numerical_derivative", "nnlessons.calculus.numerical_gradient",
            "nnlessons.calculus.gradient_check"]
suite = Suite("03_derivative", functions=["central_difference", "crowd_loss_derivative",
                                          "weight_derivative", "numerical_gradient"], forbidden={
    "central_difference": CALCULUS,
    "crowd_loss_derivative": CALCULUS + ["nnlessons.losses.mse_gradient"],
    "weight_derivative": CALCULUS,
    "numerical_gradient": CALCULUS,
}, hidden_counts={"central_difference": 3, "crowd_loss_derivative": 2, "weight_derivative": 2,
                  "numerical_gradient": 3})

CROWD = ref("nnlessons.grading.functions.crowd_loss")
BOWL = ref("nnlessons.descent.bowl_loss")


# --- central_difference(f, x, h=1e-5) -> float ------------------------------------------------

@suite.test(function="central_difference", points=2, case="ordinary inputs of another size")
def slope_of_crowd_loss(student, expect):
    """The slope of (y - 500)^2 at the guesses 350 and 600."""
    for guess, slope in ((350.0, -300.0), (600.0, 200.0)):
        got = student.central_difference(CROWD, guess)
        expect.close(got, slope, rtol=1e-6, inputs=f"f(y) = (y - 500)**2, x = {guess:g}",
                     hint="(f(x + h) - f(x - h)) / (2 * h): the two points are 2h apart, so "
                          "divide by 2h, not h")


@suite.test(function="central_difference", points=1, case="the type of the answer")
def returns_one_number(student, expect):
    """The estimate is one number (a float)."""
    got = student.central_difference(CROWD, 420.0)
    expect.true(np.ndim(got) == 0 and not isinstance(got, bool) and scalar(got) is not None,
                "central_difference should return one number", inputs="f = crowd loss, x = 420",
                hint="return the estimate itself: float((f(x + h) - f(x - h)) / (2 * h))")


@suite.test(function="central_difference", points=1,
            case="another value of an optional argument: a step h other than the default")
def slope_with_a_wide_step(student, expect):
    """With h = 0.5 the central difference of x^3 at 2 is 3 * 2^2 + h^2 = 12.25."""
    got = student.central_difference(ref("nnlessons.grading.functions.cube"), 2.0, h=0.5)
    expect.close(got, 12.25, rtol=1e-9, inputs="f(x) = x**3, x = 2, h = 0.5",
                 hint="use the h you are given (not 1e-5), at both x - h and x + h; a one-sided "
                      "difference gives 15.25, dividing by h gives 24.5")


@suite.test(function="central_difference", points=1,
            case="integer inputs: a point given as a whole number (an int)")
def slope_at_a_whole_number(student, expect):
    """x = 475 given as an int: the slope of (y - 500)^2 there is -50."""
    got = student.central_difference(CROWD, 475)
    expect.close(got, -49.99999987376213, rtol=1e-6, inputs="f(y) = (y - 500)**2, x = 475 (an int)",
                 hint="the answer must not depend on whether x is an int or a float: do not "
                      "round x or the answer")


# --- crowd_loss_derivative(y) -----------------------------------------------------------------

@suite.test(function="crowd_loss_derivative", points=2, case="ordinary inputs of another size")
def worked_numbers(student, expect):
    """dL/dy = 2(y - 500): negative below the true count, zero at it, positive above."""
    for guess, slope in ((350.0, -300.0), (500.0, 0.0), (600.0, 200.0)):
        expect.close(student.crowd_loss_derivative(guess), slope, inputs=f"y = {guess:g}",
                     hint="2 * (y - 500): check the sign. Below 500 the slope is negative "
                          "(raising the guess lowers the loss)")


@suite.test(function="crowd_loss_derivative", points=1, case="ordinary inputs of another size")
def array_of_guesses(student, expect):
    """An array of guesses gives an array of slopes of the same shape."""
    got = student.crowd_loss_derivative(np.array([0.0, 250.0, 500.0, 1000.0]))
    expect.shape(got, (4,), inputs="y = [0, 250, 500, 1000]",
                 hint="NumPy arithmetic works element by element: no loop needed")
    expect.close(got, [-1000.0, -500.0, 0.0, 1000.0], inputs="y = [0, 250, 500, 1000]")


@suite.test(function="crowd_loss_derivative", points=1, case="a 2-D array: guesses")
def grid_of_guesses(student, expect):
    """A (2, 2) array of guesses gives a (2, 2) array of slopes."""
    y = np.array([[300.0, 500.0], [700.0, 450.0]])
    got = student.crowd_loss_derivative(y)
    expect.shape(got, (2, 2), inputs="y = [[300, 500], [700, 450]]",
                 hint="NumPy arithmetic keeps the shape of y: no loop, no flattening")
    expect.close(got, [[-400.0, 0.0], [400.0, -100.0]], inputs="y = [[300, 500], [700, 450]]")


@suite.test(function="crowd_loss_derivative", points=1, case="your function changed its input")
def crowd_guesses_left_alone(student, expect):
    """The caller's array of guesses is the same after the call."""
    _, changed = student.crowd_loss_derivative.call_checking_inputs(
        np.array([420.0, 510.0, 500.0]))
    expect.unchanged(changed, inputs="y = [420, 510, 500]",
                     hint="return a new array; y -= 500 or y *= 2 changes the caller's data")


# --- weight_derivative(w, x, target) ----------------------------------------------------------

@suite.test(function="weight_derivative", points=2, case="ordinary inputs of another size")
def worked_example(student, expect):
    """w = 7, x = 50, target 500: the guess is 350, so dL/dw = -300 * 50."""
    got = student.weight_derivative(7.0, 50.0, 500.0)
    expect.close(got, -15000.0, inputs="w = 7, x = 50, target = 500",
                 hint="dL/dw = dL/dy * dy/dw: the slope for the guess, 2 (y - target), times "
                      "how much the guess moves with the weight, x")


@suite.test(function="weight_derivative", points=1,
            case="a value exactly at a boundary: a weight whose guess is exactly right")
def zero_when_the_guess_is_right(student, expect):
    """w = -2, x = -3: the guess w x = 6 is the target, so the slope is 0."""
    expect.close(student.weight_derivative(-2.0, -3.0, 6.0), 0.0,
                 inputs="w = -2, x = -3, target = 6 (the guess is exactly right)",
                 hint="at the lowest point of the loss the slope is 0: 2 (w x - target) x")


# --- numerical_gradient(f, w, h=1e-5) ---------------------------------------------------------

@suite.test(function="numerical_gradient", points=2, case="ordinary inputs of another size")
def gradient_of_the_bowl(student, expect):
    """Agrees with the bowl's exact gradient, one slope per weight."""
    for w, slopes in (([0.0, 0.0], [-3.0491980779616643, -2.8156331046757197]),
                      ([6.0, -1.0], [0.91399938279832, -2.9400445979909433])):
        got = student.numerical_gradient(BOWL, np.array(w))
        expect.shape(got, (2,), inputs=f"f = descent.bowl_loss, w = {w}",
                     hint="one slope per weight: an array shaped like w")
        expect.close(got, slopes, rtol=1e-6, atol=1e-7, inputs=f"f = descent.bowl_loss, w = {w}",
                     hint="nudge one entry at a time by +h and -h, keeping the others as they "
                          "were, and put it back before the next entry")


@suite.test(function="numerical_gradient", points=1, case="a value exactly at a boundary")
def zero_at_the_bottom(student, expect):
    """At the lowest point (4, 3) every slope is zero."""
    got = student.numerical_gradient(BOWL, np.array([4.0, 3.0]))
    expect.close(got, [0.0, 0.0], atol=1e-6, inputs="f = descent.bowl_loss, w = [4, 3]")


@suite.test(function="numerical_gradient", points=1, case="a 2-D array: weights in a 2-D array")
def gradient_of_a_grid(student, expect):
    """f = sum of (i + 1) w_i^2 over the entries of a (2, 2) array: one slope per entry."""
    inputs = "f = sum of (i + 1) * w_i**2 over the entries in flat order, w = [[1, -1], [0.5, 2]]"
    got = student.numerical_gradient(ref("nnlessons.grading.functions.weighted_squares"),
                                     np.array([[1.0, -1.0], [0.5, 2.0]]))
    expect.shape(got, (2, 2), inputs=inputs,
                 hint="the answer has the shape of w: visit every entry (np.ndindex(w.shape))")
    expect.close(got, [[2.0, -4.0], [3.0, 16.0]], rtol=1e-6, atol=1e-7, inputs=inputs,
                 hint="nudge every entry, one at a time, whatever the shape of w")


@suite.test(function="numerical_gradient", points=1, case="integer inputs: integer weights")
def gradient_at_whole_numbers(student, expect):
    """Weights given as integers: the slopes are still right, as floats."""
    inputs = "f = sum of (i + 1) * w_i**2, w = np.array([2, -1, 3]) (integers)"
    got = student.numerical_gradient(ref("nnlessons.grading.functions.weighted_squares"),
                                     np.array([2, -1, 3]))
    expect.dtype(got, "f", inputs=inputs, hint="the slopes are floats even when w is not")
    expect.close(got, [4.0, -4.0, 18.0], rtol=1e-6, atol=1e-7, inputs=inputs,
                 hint="adding h = 1e-5 to an integer array rounds it away: work on a float copy")


@suite.test(function="numerical_gradient", points=1,
            case="your function changed its input: f writes into the array it is handed")
def weights_left_alone(student, expect):
    """An f that overwrites the array it is handed must not reach the caller's w."""
    _, changed = student.numerical_gradient.call_checking_inputs(
        ref("nnlessons.grading.functions.weighted_squares_then_nan"), np.array([-1.0, 0.25]))
    expect.unchanged(changed, inputs="w = [-1, 0.25] (floats), an f that overwrites its "
                                     "argument with NaN after computing its value",
                     hint="hand f a float copy of w, never the caller's array")
