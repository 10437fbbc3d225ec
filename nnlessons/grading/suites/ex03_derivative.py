"""Grader of exercise notebook 03_derivative: the central difference, the crowd loss's derivative,
the chain rule to a weight, and a numerical gradient of a function of an array."""
import numpy as np

from nnlessons import calculus, descent
from nnlessons.grading import functions
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
})

CROWD = ref("nnlessons.grading.functions.crowd_loss")


# --- central_difference(f, x, h=1e-5) -> float ------------------------------------------------

@suite.test(function="central_difference", points=2)
def slope_of_crowd_loss(student, expect):
    """The slope of (y - 500)^2 at the guesses 350 and 600."""
    for guess in (350.0, 600.0):
        got = student.central_difference(CROWD, guess)
        expect.close(got, 2 * (guess - 500), rtol=1e-6,
                     inputs=f"f(y) = (y - 500)**2, x = {guess:g}",
                     hint="(f(x + h) - f(x - h)) / (2 * h): the two points are 2h apart, so "
                          "divide by 2h, not h")


@suite.test(function="central_difference", points=1)
def returns_one_number(student, expect):
    """The estimate is one number (a float)."""
    got = student.central_difference(CROWD, 420.0)
    expect.true(np.ndim(got) == 0 and not isinstance(got, bool) and scalar(got) is not None,
                "central_difference should return one number", inputs="f = crowd loss, x = 420",
                hint="return the estimate itself: float((f(x + h) - f(x - h)) / (2 * h))")


@suite.test(function="central_difference", points=2, hidden=True)
def uses_the_given_step(student, expect):
    # (1.1^3 - 0.9^3) / 0.2 = 3.01 exactly; a one-sided step gives 3.31, dividing by h gives 6.02
    got = student.central_difference(ref("nnlessons.grading.functions.cube"), 1.0, h=0.1)
    expect.close(got, ((1.1 ** 3) - (0.9 ** 3)) / 0.2, rtol=1e-9,
                 inputs="f(x) = x**3, x = 1, h = 0.1",
                 hint="use both points x - h and x + h with the h you are given, and divide "
                      "by 2 * h")


@suite.test(function="central_difference", points=1, hidden=True)
def slope_of_bumpy_curve(student, expect):
    for x in (-1.8, -0.3, 0.0, 1.2):
        got = student.central_difference(ref("nnlessons.descent.bumpy_loss"), x)
        expect.close(got, float(descent.bumpy_gradient(x)), rtol=1e-6, atol=1e-6,
                     inputs=f"f = descent.bumpy_loss, x = {x}")


@suite.test(function="central_difference", points=1, hidden=True)
def whole_number_point(student, expect):
    got = student.central_difference(CROWD, 350)
    expect.close(got, -300.0, rtol=1e-6, inputs="x = 350 given as an int")


# --- crowd_loss_derivative(y) -----------------------------------------------------------------

@suite.test(function="crowd_loss_derivative", points=2)
def worked_numbers(student, expect):
    """dL/dy = 2(y - 500): negative below the true count, zero at it, positive above."""
    for guess in (350.0, 500.0, 600.0):
        expect.close(student.crowd_loss_derivative(guess), 2 * (guess - 500), inputs=f"y = {guess:g}",
                     hint="2 * (y - 500): check the sign. Below 500 the slope is negative "
                          "(raising the guess lowers the loss)")


@suite.test(function="crowd_loss_derivative", points=1)
def array_of_guesses(student, expect):
    """An array of guesses gives an array of slopes of the same shape."""
    y = np.array([0.0, 250.0, 500.0, 1000.0])
    got = student.crowd_loss_derivative(y)
    expect.shape(got, (4,), inputs="y = [0, 250, 500, 1000]",
                 hint="NumPy arithmetic works element by element: no loop needed")
    expect.close(got, 2 * (y - 500), inputs="y = [0, 250, 500, 1000]")


@suite.test(function="crowd_loss_derivative", points=1, hidden=True)
def agrees_with_central_difference(student, expect):
    y = np.random.default_rng(3).uniform(-200, 1200, size=(2, 3))
    want = np.array([calculus.numerical_derivative(functions.crowd_loss, v) for v in y.flat])
    got = student.crowd_loss_derivative(y)
    expect.shape(got, (2, 3), inputs="y of shape (2, 3)")
    expect.close(got, want.reshape(2, 3), rtol=1e-6, inputs="random guesses of shape (2, 3)")


@suite.test(function="crowd_loss_derivative", points=1, hidden=True)
def crowd_derivative_leaves_input_alone(student, expect):
    y = np.array([350.0, 600.0])
    _, changed = student.crowd_loss_derivative.call_checking_inputs(y)
    expect.unchanged(changed, inputs="y = [350, 600]")


# --- weight_derivative(w, x, target) ----------------------------------------------------------

@suite.test(function="weight_derivative", points=2)
def worked_example(student, expect):
    """w = 7, x = 50, target 500: the guess is 350, so dL/dw = -300 * 50."""
    got = student.weight_derivative(7.0, 50.0, 500.0)
    expect.close(got, 2 * (7.0 * 50.0 - 500.0) * 50.0, inputs="w = 7, x = 50, target = 500",
                 hint="dL/dw = dL/dy * dy/dw: the slope for the guess, 2 (y - target), times "
                      "how much the guess moves with the weight, x")


@suite.test(function="weight_derivative", points=2, hidden=True)
def agrees_with_central_difference_of_w(student, expect):
    rng = np.random.default_rng(5)
    for w, x, target in rng.uniform(-3, 3, size=(4, 3)):
        want = calculus.numerical_derivative(lambda v: (v * x - target) ** 2, w)
        expect.close(student.weight_derivative(float(w), float(x), float(target)), want,
                     rtol=1e-6, atol=1e-8, inputs=f"w = {w:.3f}, x = {x:.3f}, target = {target:.3f}")


@suite.test(function="weight_derivative", points=1, hidden=True)
def zero_at_the_target(student, expect):
    expect.close(student.weight_derivative(10.0, 50.0, 500.0), 0.0,
                 inputs="w = 10, x = 50, target = 500 (the guess is exactly right)")


# --- numerical_gradient(f, w, h=1e-5) ---------------------------------------------------------

BOWL = ref("nnlessons.descent.bowl_loss")


@suite.test(function="numerical_gradient", points=2)
def gradient_of_the_bowl(student, expect):
    """Agrees with the bowl's exact gradient, one slope per weight."""
    for w in ([0.0, 0.0], [6.0, -1.0]):
        w = np.array(w)
        got = student.numerical_gradient(BOWL, w)
        expect.shape(got, (2,), inputs=f"f = descent.bowl_loss, w = {w.tolist()}",
                     hint="one slope per weight: an array shaped like w")
        expect.close(got, descent.bowl_gradient(w), rtol=1e-6, atol=1e-7,
                     inputs=f"f = descent.bowl_loss, w = {w.tolist()}",
                     hint="nudge one entry at a time by +h and -h, keeping the others as they "
                          "were, and put it back before the next entry")


@suite.test(function="numerical_gradient", points=1)
def zero_at_the_bottom(student, expect):
    """At the lowest point (4, 3) every slope is zero."""
    got = student.numerical_gradient(BOWL, np.array([4.0, 3.0]))
    expect.close(got, [0.0, 0.0], atol=1e-6, inputs="f = descent.bowl_loss, w = [4, 3]")


@suite.test(function="numerical_gradient", points=1, hidden=True)
def whole_number_weights(student, expect):
    w = np.array([1, -2])
    got = student.numerical_gradient(BOWL, w)
    expect.dtype(got, "f", inputs="w = np.array([1, -2]) (integers)")
    expect.close(got, descent.bowl_gradient(w), rtol=1e-6, atol=1e-7,
                 inputs="w = np.array([1, -2]) (integers)",
                 hint="adding h = 1e-5 to an integer array rounds it away: copy w as floats")


@suite.test(function="numerical_gradient", points=2, hidden=True)
def matrix_of_weights(student, expect):
    W = np.random.default_rng(7).normal(size=(3, 2))
    got = student.numerical_gradient(ref("nnlessons.grading.functions.weighted_squares"), W)
    expect.shape(got, (3, 2), inputs="w of shape (3, 2)")
    expect.close(got, functions.weighted_squares_gradient(W), rtol=1e-6, atol=1e-7,
                 inputs="f = sum of (i + 1) * w_i**2 over the entries of a (3, 2) array")
