"""Hidden tests of exercise notebook 04_gradient_descent, with the reference answers they compare
with. INSTRUCTOR ONLY: never give this file to learners (see instructor/README.md)."""
import numpy as np

from nnlessons import data, descent
from nnlessons.grading import functions
from nnlessons.grading.suite import Suite, ref
from nnlessons.grading.suites.ex04_gradient_descent import (BOWL_GRADIENT, bowl_data,
                                                            path_and_flag)

suite = Suite("04_gradient_descent")


def reference_path(gradient, start, learning_rate, steps):
    result = descent.gradient_descent(gradient, np.array(start, dtype=float), learning_rate, steps)
    return result.points, result.diverged


def reference_steps(learning_rate, start=(0.0, 0.0), tolerance=1e-6, max_steps=1000):
    result = descent.gradient_descent(descent.bowl_gradient, np.array(start, dtype=float),
                                      learning_rate, max_steps, loss=descent.bowl_loss)
    below = np.flatnonzero(result.losses < tolerance)
    return int(below[0]) if below.size else None


# --- bowl_gradient(w, X, t) -> (2,) -----------------------------------------------------------

@suite.test(function="bowl_gradient", points=2, hidden=True,
            case="ordinary inputs of another size: random examples and weights",
            hint="use the X, t and w you are given, not the lesson's data, and divide by the "
                 "number of examples n = len(t)")
def other_data(student, expect):
    rng = np.random.default_rng(11)
    X, t, w = rng.normal(size=(7, 2)), rng.normal(size=7), rng.normal(size=2)
    got = student.bowl_gradient(w, X, t)
    expect.shape(got, (2,), inputs="7 random examples")
    expect.close(got, 2.0 * X.T @ (X @ w - t) / 7, inputs="7 random examples, random w")


@suite.test(function="bowl_gradient", points=1, hidden=True,
            case="a batch of one example",
            hint="the mean over one example divides by 1; X.T @ errors still has one entry per "
                 "weight")
def bowl_gradient_one_example(student, expect):
    X, t, w = np.array([[2.0, -1.0]]), np.array([3.0]), np.array([0.5, 0.5])
    expect.close(student.bowl_gradient(w, X, t), 2.0 * X.T @ (X @ w - t),
                 inputs="X = [[2, -1]], t = [3], w = [0.5, 0.5]")


@suite.test(function="bowl_gradient", points=1, hidden=True,
            case="your function changed its input",
            hint="compute new arrays; do not change w, X or t in place")
def bowl_gradient_leaves_inputs_alone(student, expect):
    X, t = bowl_data()
    _, changed = student.bowl_gradient.call_checking_inputs(np.array([1.0, -1.0]), X, t)
    expect.unchanged(changed, inputs="w = [1, -1], X and t from data.bowl()")


# --- gradient_descent(gradient, start, learning_rate, steps) -> (path, diverged) ---------------

@suite.test(function="gradient_descent", points=1, hidden=True,
            case="very large inputs: a walk that diverges, the points it keeps",
            hint="keep every point up to the last one within 1e12, and not the one past it")
def runaway_point_left_out(student, expect):
    inputs = "descent.bowl_gradient, start = [0, 0], learning_rate = 3, steps = 100"
    path, _ = path_and_flag(
        expect, student.gradient_descent(BOWL_GRADIENT, np.zeros(2), 3.0, 100), inputs)
    want, _ = reference_path(descent.bowl_gradient, [0.0, 0.0], 3.0, 100)
    expect.shape(path, want.shape, inputs=inputs,
                 hint="every point up to the last one within 1e12, and not the one past it")
    expect.close(path, want, inputs=inputs)


@suite.test(function="gradient_descent", points=1, hidden=True,
            case="nothing to do: no steps at all",
            hint="with steps = 0 the path is just the start (one row), and diverged is False")
def zero_steps(student, expect):
    inputs = "start = [1, 2], steps = 0"
    path, diverged = path_and_flag(
        expect, student.gradient_descent(BOWL_GRADIENT, np.array([1.0, 2.0]), 0.1, 0), inputs)
    expect.shape(path, (1, 2), inputs=inputs, hint="no steps: the path is just the start")
    expect.close(path, [[1.0, 2.0]], inputs=inputs)
    expect.true(diverged is False, "diverged should be False when no step is taken",
                inputs=inputs)


@suite.test(function="gradient_descent", points=1, hidden=True,
            case="integer inputs: a start given as integers",
            hint="start from a float copy: np.array(start, dtype=float)")
def whole_number_start(student, expect):
    inputs = "start = np.array([0, 0]) (integers), learning_rate = 0.5, steps = 3"
    path, _ = path_and_flag(
        expect, student.gradient_descent(BOWL_GRADIENT, np.array([0, 0]), 0.5, 3), inputs)
    want, _ = reference_path(descent.bowl_gradient, [0.0, 0.0], 0.5, 3)
    expect.close(path, want, inputs=inputs,
                 hint="start from a float copy: np.array(start, dtype=float)")


@suite.test(function="gradient_descent", points=1, hidden=True,
            case="ordinary inputs of another size: a single weight on a curve with two valleys",
            hint="the loop must work for any number of weights and with the gradient function "
                 "you are given")
def one_weight_two_valleys(student, expect):
    inputs = "gradient = descent.bumpy_gradient, start = [2.0], learning_rate = 0.05, steps = 200"
    path, diverged = path_and_flag(expect, student.gradient_descent(
        ref("nnlessons.descent.bumpy_gradient"), np.array([2.0]), 0.05, 200), inputs)
    want, _ = reference_path(descent.bumpy_gradient, [2.0], 0.05, 200)
    expect.shape(path, (201, 1), inputs=inputs)
    expect.close(path, want, inputs=inputs)


@suite.test(function="gradient_descent", points=1, hidden=True,
            case="a value exactly at a boundary: a point exactly at the size limit",
            hint="only a point larger than 1e12 in size is divergence (>, not >=): a point of "
                 "exactly 1e12 stays in the path and the walk goes on")
def point_exactly_at_the_limit(student, expect):
    # Every step adds exactly 2.5e11: step 4 lands on 1e12 (kept), step 5 on 1.25e12 (past it).
    inputs = "gradient = -2.5e11 everywhere, start = [0], learning_rate = 1, steps = 10"
    path, diverged = path_and_flag(expect, student.gradient_descent(
        ref("nnlessons.grading.functions.steady_climb_gradient"), np.zeros(1), 1.0, 10), inputs)
    want = [[0.0], [2.5e11], [5e11], [7.5e11], [1e12]]
    expect.shape(path, (5, 1), inputs=inputs,
                 hint="keep the point of exactly 1e12; stop at the first point past it")
    expect.close(path, want, inputs=inputs)
    expect.true(diverged is True, "diverged should be True: the walk went past 1e12",
                inputs=inputs)


def paths_of_a_gradient_that_writes(start, learning_rate, steps):
    """The two right paths for functions.bowl_gradient_then_zeros, which zeros the array it is
    handed: a step w - learning_rate * gradient(w) then reads the zeroed w; a step on a copy,
    w - learning_rate * gradient(w.copy()), does not. Either is right, so long as every point
    kept is a copy of the point as it was."""
    paths = []
    for hand_over in (lambda w: w, lambda w: w.copy()):
        w = np.array(start, dtype=float)
        path = [w.copy()]
        for _ in range(steps):
            w = w - learning_rate * functions.bowl_gradient_then_zeros(hand_over(w))
            path.append(w.copy())
        paths.append(np.array(path))
    return paths


@suite.test(function="gradient_descent", points=1, hidden=True,
            case="your function changed its input: a gradient function that changes the array it "
                 "is handed",
            hint="keep a copy of each point in the path (path.append(w.copy())): the gradient "
                 "function may change the array you hand it")
def path_keeps_copies(student, expect):
    # A path that holds the arrays themselves sees them zeroed by the next call of the gradient.
    start, inputs = [1.0, -1.0], ("a gradient that zeros its argument after computing the "
                                  "bowl's gradient, start = [1, -1], learning_rate = 0.1, "
                                  "steps = 4")
    path, diverged = path_and_flag(expect, student.gradient_descent(
        ref("nnlessons.grading.functions.bowl_gradient_then_zeros"), np.array(start), 0.1, 4),
        inputs)
    expect.shape(path, (5, 2), inputs=inputs)
    expect.true(diverged is False, "diverged should be False: the walk stays small",
                inputs=inputs)
    right = paths_of_a_gradient_that_writes(start, 0.1, 4)
    expect.true(any(np.allclose(path, want, rtol=1e-7, atol=1e-9) for want in right),
                "the path does not hold the points as they were visited (some were changed "
                "after they were stored)", inputs=inputs,
                hint="append a copy of each point to the path, not the array you hand the "
                     "gradient")


@suite.test(function="gradient_descent", points=1, hidden=True,
            case="your function changed its input: the gradient changes the array it is handed",
            hint="start from a float copy, np.array(start, dtype=float), and hand the gradient "
                 "that copy, never the caller's start")
def start_left_alone(student, expect):
    _, changed = student.gradient_descent.call_checking_inputs(
        ref("nnlessons.grading.functions.bowl_gradient_then_zeros"), np.array([1.0, -1.0]),
        0.1, 3)
    expect.unchanged(changed, inputs="start = [1, -1] (floats), a gradient that zeros its "
                                     "argument, learning_rate = 0.1, steps = 3")


# --- steps_to_converge(learning_rate, start, tolerance, max_steps) -> int or None -------------

@suite.test(function="steps_to_converge", points=1, hidden=True,
            case="another value of an optional argument: a learning rate too small to arrive in "
                 "time",
            hint="if no point of the path gets below the tolerance within max_steps, return None")
def too_small_a_learning_rate(student, expect):
    expect.equal(student.steps_to_converge(0.01), reference_steps(0.01),
                 inputs="learning_rate = 0.01 (too slow to arrive within 1000 steps)")


@suite.test(function="steps_to_converge", points=1, hidden=True,
            case="another value of an optional argument: a slower learning rate that still "
                 "arrives",
            hint="the answer is the index, in the path, of the first point whose loss is below "
                 "the tolerance; the start is step 0")
def slow_learning_rate(student, expect):
    expect.equal(student.steps_to_converge(0.1), reference_steps(0.1),
                 inputs="learning_rate = 0.1")


@suite.test(function="steps_to_converge", points=1, hidden=True,
            case="nothing to do: a start already at the lowest point",
            hint="the start counts as step 0: check its loss before taking any step")
def start_at_the_bottom(student, expect):
    expect.equal(student.steps_to_converge(0.5, start=(4.0, 3.0)), 0,
                 inputs="start = (4, 3), already at the lowest point",
                 hint="the start counts as step 0")


@suite.test(function="steps_to_converge", points=1, hidden=True,
            case="another value of an optional argument: another start, tolerance and number of "
                 "steps",
            hint="use the start, tolerance and max_steps you are given, not the defaults")
def other_start_and_tolerance(student, expect):
    got = student.steps_to_converge(0.5, start=(1.0, -2.0), tolerance=1e-2, max_steps=50)
    expect.equal(got, reference_steps(0.5, (1.0, -2.0), 1e-2, 50),
                 inputs="learning_rate = 0.5, start = (1, -2), tolerance = 0.01, max_steps = 50")


@suite.test(function="steps_to_converge", points=1, hidden=True,
            case="a value exactly at a boundary: a tolerance exactly equal to a loss on the path",
            hint="only a loss strictly below the tolerance counts (<, not <=): a loss equal to "
                 "it is not there yet")
def tolerance_equal_to_a_loss(student, expect):
    # The start's own loss as the tolerance: `<=` answers 0, `<` the step after.
    start = (1.0, 1.0)
    tolerance = float(descent.bowl_loss(np.array(start)))
    want = reference_steps(0.1, start, tolerance, 50)
    got = student.steps_to_converge(0.1, start=start, tolerance=tolerance, max_steps=50)
    expect.equal(got, want, inputs=f"learning_rate = 0.1, start = (1, 1), tolerance = the loss "
                                   f"at the start ({tolerance!r}), max_steps = 50")


# --- rate_limits(X) -> (best_rate, divergence_limit) ------------------------------------------

from nnlessons.grading.suites.ex04_gradient_descent import check_rate_pair  # noqa: E402


def reference_rate_limits(X):
    eigenvalues = np.linalg.eigvalsh(2.0 * X.T @ X / len(X))
    return 2.0 / (eigenvalues[0] + eigenvalues[-1]), 2.0 / eigenvalues[-1]


@suite.test(function="rate_limits", points=2, hidden=True,
            case="ordinary inputs of another size: more inputs than two, and many examples",
            hint="take the smallest and the largest of all the eigenvalues, whatever the number "
                 "of inputs, and the mean over all the examples")
def rate_limits_many_inputs(student, expect):
    X = np.random.default_rng(50).normal(size=(40, 4)) * [1.0, 0.5, 2.0, 0.2]
    check_rate_pair(expect, student.rate_limits(X), reference_rate_limits(X),
                    "40 examples, 4 inputs of different scales")


@suite.test(function="rate_limits", points=1, hidden=True,
            case="a value exactly at a boundary: a single input (one eigenvalue)",
            hint="with one eigenvalue the best rate lands on the bottom in one step; keep X "
                 "two-dimensional so that X.T X is a 1 by 1 matrix")
def rate_limits_one_input(student, expect):
    X = np.random.default_rng(51).normal(size=(10, 1))
    check_rate_pair(expect, student.rate_limits(X), reference_rate_limits(X), "one input")


@suite.test(function="rate_limits", points=1, hidden=True,
            case="a value exactly at a boundary: rates just below and just above the "
                 "divergence limit, tried by gradient descent on the bowl",
            hint="the best rate should need fewer steps than rates 10% above and below it")
def rate_limits_on_the_bowl(student, expect):
    X, _ = data.bowl()
    got = student.rate_limits(X)
    expect.true(isinstance(got, (tuple, list)) and len(got) == 2,
                "rate_limits should return the pair (best_rate, divergence_limit)")
    best, limit = float(got[0]), float(got[1])
    steps = {rate: reference_steps(rate, tolerance=1e-10, max_steps=2000)
             for rate in (0.9 * best, best, 1.1 * best)}
    expect.true(steps[best] is not None and all(s is None or s >= steps[best]
                                                for s in steps.values()),
                f"the best rate should need the fewest steps; steps: {steps}")
    expect.true(reference_steps(0.98 * limit) is not None and reference_steps(1.02 * limit)
                is None, "the walk should converge just below the divergence limit and "
                "diverge just above it")
