"""Grader of exercise notebook 04_gradient_descent: the bowl's gradient, a gradient-descent loop
that keeps its path and reports divergence, and the learning-rate experiment."""
import numpy as np

from nnlessons import data, descent
from nnlessons.grading.suite import Suite, ref

suite = Suite("04_gradient_descent", functions=["bowl_gradient", "gradient_descent",
                                                "steps_to_converge"], forbidden={
    "bowl_gradient": ["nnlessons.descent.bowl_gradient", "nnlessons.losses.mse_gradient",
                      "nnlessons.calculus.numerical_gradient"],
    "gradient_descent": ["nnlessons.descent.gradient_descent"],
    "steps_to_converge": ["nnlessons.descent.gradient_descent"],
})

BOWL_GRADIENT = ref("nnlessons.descent.bowl_gradient")


def bowl_data():
    X, y = data.bowl()
    return X, y[:, 0]


def reference_path(gradient, start, learning_rate, steps):
    result = descent.gradient_descent(gradient, np.array(start, dtype=float), learning_rate, steps)
    return result.points, result.diverged


def path_and_flag(expect, got, inputs):
    """The learner's (path, diverged), checked for its form first."""
    expect.true(isinstance(got, (tuple, list)) and len(got) == 2,
                "gradient_descent should return two things: (path, diverged)", inputs=inputs,
                hint="end with  return np.array(path), diverged")
    path, diverged = got
    expect.true(isinstance(diverged, bool), f"diverged should be True or False; got {diverged!r}",
                inputs=inputs)
    return np.asarray(path, dtype=float) if np.ndim(path) else path, diverged


# --- bowl_gradient(w, X, y) -> (2,) -----------------------------------------------------------

@suite.test(function="bowl_gradient", points=2)
def gradient_at_the_origin(student, expect):
    """At w = (0, 0) on the lesson's data: 2/n X^T (Xw - y)."""
    X, y = bowl_data()
    w = np.zeros(2)
    got = student.bowl_gradient(w, X, y)
    expect.shape(got, (2,), inputs="w = [0, 0], X and y from data.bowl()",
                 hint="one slope per weight: X.T @ errors has shape (2,)")
    expect.close(got, descent.bowl_gradient(w), inputs="w = [0, 0], X and y from data.bowl()",
                 hint="2 / n * X.T @ (X @ w - y): the mean over the n examples (divide by n), "
                      "and the errors as prediction minus target")


@suite.test(function="bowl_gradient", points=1)
def zero_at_the_lowest_point(student, expect):
    """At the bottom of the bowl, w = (4, 3), the gradient is zero."""
    X, y = bowl_data()
    expect.close(student.bowl_gradient(np.array([4.0, 3.0]), X, y), [0.0, 0.0], atol=1e-9,
                 inputs="w = [4, 3], X and y from data.bowl()")


@suite.test(function="bowl_gradient", points=2, hidden=True)
def other_data(student, expect):
    rng = np.random.default_rng(11)
    X, y, w = rng.normal(size=(7, 2)), rng.normal(size=7), rng.normal(size=2)
    got = student.bowl_gradient(w, X, y)
    expect.shape(got, (2,), inputs="7 random examples")
    expect.close(got, 2.0 * X.T @ (X @ w - y) / 7, inputs="7 random examples, random w")


@suite.test(function="bowl_gradient", points=1, hidden=True)
def one_example(student, expect):
    X, y, w = np.array([[2.0, -1.0]]), np.array([3.0]), np.array([0.5, 0.5])
    expect.close(student.bowl_gradient(w, X, y), 2.0 * X.T @ (X @ w - y),
                 inputs="X = [[2, -1]], y = [3], w = [0.5, 0.5]")


@suite.test(function="bowl_gradient", points=1, hidden=True)
def bowl_gradient_leaves_inputs_alone(student, expect):
    X, y = bowl_data()
    _, changed = student.bowl_gradient.call_checking_inputs(np.array([1.0, -1.0]), X, y)
    expect.unchanged(changed, inputs="w = [1, -1], X and y from data.bowl()")


# --- gradient_descent(gradient, start, learning_rate, steps) -> (path, diverged) ---------------

@suite.test(function="gradient_descent", points=3)
def path_on_the_bowl(student, expect):
    """Five steps of 0.1 from (0, 0): the path holds the start and every point after it."""
    inputs = "gradient = descent.bowl_gradient, start = [0, 0], learning_rate = 0.1, steps = 5"
    path, diverged = path_and_flag(
        expect, student.gradient_descent(BOWL_GRADIENT, np.zeros(2), 0.1, 5), inputs)
    want, _ = reference_path(descent.bowl_gradient, [0.0, 0.0], 0.1, 5)
    expect.shape(path, (6, 2), inputs=inputs,
                 hint="steps + 1 points: the start first, then one point after each step")
    expect.close(path, want, inputs=inputs,
                 hint="w = w - learning_rate * gradient(w): minus, to go downhill; and the "
                      "first row is the start itself")
    expect.true(diverged is False, "diverged should be False: this walk converges",
                inputs=inputs)


@suite.test(function="gradient_descent", points=2)
def divergence_is_reported(student, expect):
    """A learning rate of 3 makes the walk run away: stop, and say so."""
    inputs = "gradient = descent.bowl_gradient, start = [0, 0], learning_rate = 3, steps = 100"
    path, diverged = path_and_flag(
        expect, student.gradient_descent(BOWL_GRADIENT, np.zeros(2), 3.0, 100), inputs)
    expect.true(diverged is True, "diverged should be True: with this learning rate the "
                "weights grow without bound", inputs=inputs,
                hint="after each step, stop if np.abs(w).max() > 1e12 or w is not finite")
    expect.finite(path, inputs=inputs, what="the path",
                  hint="stop before a point overflows; leave the point that ran away out")
    expect.true(np.abs(path).max() <= 1e12, "the path holds a point larger than 1e12: the "
                "walk should have stopped before it", inputs=inputs)


@suite.test(function="gradient_descent", points=1, hidden=True)
def runaway_point_left_out(student, expect):
    inputs = "descent.bowl_gradient, start = [0, 0], learning_rate = 3, steps = 100"
    path, _ = path_and_flag(
        expect, student.gradient_descent(BOWL_GRADIENT, np.zeros(2), 3.0, 100), inputs)
    want, _ = reference_path(descent.bowl_gradient, [0.0, 0.0], 3.0, 100)
    expect.shape(path, want.shape, inputs=inputs,
                 hint="every point up to the last one within 1e12, and not the one past it")
    expect.close(path, want, inputs=inputs)


@suite.test(function="gradient_descent", points=1, hidden=True)
def zero_steps(student, expect):
    inputs = "start = [1, 2], steps = 0"
    path, diverged = path_and_flag(
        expect, student.gradient_descent(BOWL_GRADIENT, np.array([1.0, 2.0]), 0.1, 0), inputs)
    expect.shape(path, (1, 2), inputs=inputs, hint="no steps: the path is just the start")
    expect.close(path, [[1.0, 2.0]], inputs=inputs)
    expect.true(diverged is False, "diverged should be False when no step is taken",
                inputs=inputs)


@suite.test(function="gradient_descent", points=1, hidden=True)
def whole_number_start(student, expect):
    inputs = "start = np.array([0, 0]) (integers), learning_rate = 0.5, steps = 3"
    path, _ = path_and_flag(
        expect, student.gradient_descent(BOWL_GRADIENT, np.array([0, 0]), 0.5, 3), inputs)
    want, _ = reference_path(descent.bowl_gradient, [0.0, 0.0], 0.5, 3)
    expect.close(path, want, inputs=inputs,
                 hint="start from a float copy: np.array(start, dtype=float)")


@suite.test(function="gradient_descent", points=1, hidden=True)
def one_weight_two_valleys(student, expect):
    inputs = "gradient = descent.bumpy_gradient, start = [2.0], learning_rate = 0.05, steps = 200"
    path, diverged = path_and_flag(expect, student.gradient_descent(
        ref("nnlessons.descent.bumpy_gradient"), np.array([2.0]), 0.05, 200), inputs)
    want, _ = reference_path(descent.bumpy_gradient, [2.0], 0.05, 200)
    expect.shape(path, (201, 1), inputs=inputs)
    expect.close(path, want, inputs=inputs)


# --- steps_to_converge(learning_rate, start, tolerance, max_steps) -> int or None -------------

def reference_steps(learning_rate, start=(0.0, 0.0), tolerance=1e-6, max_steps=1000):
    result = descent.gradient_descent(descent.bowl_gradient, np.array(start, dtype=float),
                                      learning_rate, max_steps, loss=descent.bowl_loss)
    below = np.flatnonzero(result.losses < tolerance)
    return int(below[0]) if below.size else None


@suite.test(function="steps_to_converge", points=2)
def a_good_learning_rate(student, expect):
    """A learning rate of 1 reaches a loss below 1e-6 in a few steps."""
    expect.equal(student.steps_to_converge(1.0), reference_steps(1.0),
                 inputs="learning_rate = 1.0, start = (0, 0), tolerance = 1e-6",
                 hint="the start is step 0: the answer is the index, in the path, of the "
                      "first point whose loss is below the tolerance")


@suite.test(function="steps_to_converge", points=1)
def too_large_a_learning_rate(student, expect):
    """A learning rate of 3 diverges: None."""
    expect.equal(student.steps_to_converge(3.0), reference_steps(3.0),
                 inputs="learning_rate = 3.0 (the walk diverges)",
                 hint="if no point of the path gets below the tolerance, return None")


@suite.test(function="steps_to_converge", points=1, hidden=True)
def too_small_a_learning_rate(student, expect):
    expect.equal(student.steps_to_converge(0.01), reference_steps(0.01),
                 inputs="learning_rate = 0.01 (too slow to arrive within 1000 steps)")


@suite.test(function="steps_to_converge", points=1, hidden=True)
def slow_learning_rate(student, expect):
    expect.equal(student.steps_to_converge(0.1), reference_steps(0.1),
                 inputs="learning_rate = 0.1")


@suite.test(function="steps_to_converge", points=1, hidden=True)
def start_at_the_bottom(student, expect):
    expect.equal(student.steps_to_converge(0.5, start=(4.0, 3.0)), 0,
                 inputs="start = (4, 3), already at the lowest point",
                 hint="the start counts as step 0")


@suite.test(function="steps_to_converge", points=1, hidden=True)
def other_start_and_tolerance(student, expect):
    got = student.steps_to_converge(0.5, start=(1.0, -2.0), tolerance=1e-2, max_steps=50)
    expect.equal(got, reference_steps(0.5, (1.0, -2.0), 1e-2, 50),
                 inputs="learning_rate = 0.5, start = (1, -2), tolerance = 0.01, max_steps = 50")
