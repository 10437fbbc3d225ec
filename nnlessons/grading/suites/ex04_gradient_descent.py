"""Grader of exercise notebook 04_gradient_descent: the bowl's gradient, a gradient-descent loop
that keeps its path and reports divergence, and the learning-rate experiment.

The public tests, shipped for the learner's self-check. Their expected values are stored, not
computed (instructor/expected_values.py computed them once); the hidden tests are the
instructor's (instructor/graders/ex04_gradient_descent.py)."""
import numpy as np

from nnlessons import data
from nnlessons.grading.suite import Suite, ref

suite = Suite("04_gradient_descent", functions=["bowl_gradient", "gradient_descent",
                                                "steps_to_converge"], forbidden={
    "bowl_gradient": ["nnlessons.descent.bowl_gradient", "nnlessons.losses.mse_gradient",
                      "nnlessons.calculus.numerical_gradient"],
    "gradient_descent": ["nnlessons.descent.gradient_descent"],
    "steps_to_converge": ["nnlessons.descent.gradient_descent"],
}, hidden_counts={"bowl_gradient": 3, "gradient_descent": 7, "steps_to_converge": 5})

BOWL_GRADIENT = ref("nnlessons.descent.bowl_gradient")


def bowl_data():
    """The lesson's inputs X and targets t, t as a flat array."""
    X, t = data.bowl()
    return X, t[:, 0]


def path_and_flag(expect, got, inputs):
    """The learner's (path, diverged), checked for its form first."""
    expect.true(isinstance(got, (tuple, list)) and len(got) == 2,
                "gradient_descent should return two things: (path, diverged)", inputs=inputs,
                hint="end with  return np.array(path), diverged")
    path, diverged = got
    expect.true(isinstance(diverged, bool), f"diverged should be True or False; got {diverged!r}",
                inputs=inputs)
    return np.asarray(path, dtype=float) if np.ndim(path) else path, diverged


# --- bowl_gradient(w, X, t) -> (2,) -----------------------------------------------------------

@suite.test(function="bowl_gradient", points=2, case="ordinary inputs of another size")
def gradient_at_the_origin(student, expect):
    """At w = (0, 0) on the lesson's data: 2/n X^T (Xw - t)."""
    X, t = bowl_data()
    w = np.zeros(2)
    got = student.bowl_gradient(w, X, t)
    expect.shape(got, (2,), inputs="w = [0, 0], X and t from data.bowl()",
                 hint="one slope per weight: X.T @ errors has shape (2,)")
    expect.close(got, [-3.0491980779616643, -2.8156331046757197],
                 inputs="w = [0, 0], X and t from data.bowl()",
                 hint="2 / n * X.T @ (X @ w - t): the mean over the n examples (divide by n), "
                      "and the residuals as output minus target")


@suite.test(function="bowl_gradient", points=1, case="a value exactly at a boundary")
def zero_at_the_lowest_point(student, expect):
    """At the bottom of the bowl, w = (4, 3), the gradient is zero."""
    X, t = bowl_data()
    expect.close(student.bowl_gradient(np.array([4.0, 3.0]), X, t), [0.0, 0.0], atol=1e-9,
                 inputs="w = [4, 3], X and t from data.bowl()")


@suite.test(function="bowl_gradient", points=1, case="a batch of one example")
def bowl_gradient_single_example(student, expect):
    """One example: the mean over n = 1, and still one slope per weight."""
    inputs = "X = [[1, 3]], t = [-2], w = [2, 1]"
    got = student.bowl_gradient(np.array([2.0, 1.0]), np.array([[1.0, 3.0]]), np.array([-2.0]))
    expect.shape(got, (2,), inputs=inputs, hint="X.T @ errors has one entry per weight")
    expect.close(got, [14.0, 42.0], inputs=inputs,
                 hint="2 / n * X.T @ (X @ w - t) with n = 1: the error is 5 - (-2) = 7")


@suite.test(function="bowl_gradient", points=1, case="your function changed its input")
def bowl_gradient_inputs_left_alone(student, expect):
    """w, X and t are the same after the call."""
    _, changed = student.bowl_gradient.call_checking_inputs(
        np.array([0.5, 0.5]), np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([1.0, 0.0]))
    expect.unchanged(changed, inputs="w = [0.5, 0.5], X = [[1, 2], [0, 1]], t = [1, 0]",
                     hint="compute new arrays; do not change w, X or t in place")


# --- gradient_descent(gradient, start, learning_rate, steps) -> (path, diverged) ---------------

@suite.test(function="gradient_descent", points=3, case="ordinary inputs of another size")
def path_on_the_bowl(student, expect):
    """Five steps of 0.1 from (0, 0): the path holds the start and every point after it."""
    inputs = "gradient = descent.bowl_gradient, start = [0, 0], learning_rate = 0.1, steps = 5"
    path, diverged = path_and_flag(
        expect, student.gradient_descent(BOWL_GRADIENT, np.zeros(2), 0.1, 5), inputs)
    want = [[0.0, 0.0], [0.30491980779616645, 0.281563310467572],
            [0.5860086021464033, 0.5374833098670804], [0.8451692817053019, 0.7700517211908013],
            [1.0841500891940328, 0.981357976474108], [1.3045573588900623, 1.173306925265513]]
    expect.shape(path, (6, 2), inputs=inputs,
                 hint="steps + 1 points: the start first, then one point after each step")
    expect.close(path, want, inputs=inputs,
                 hint="w = w - learning_rate * gradient(w): minus, to go downhill; and the "
                      "first row is the start itself")
    expect.true(diverged is False, "diverged should be False: this walk converges",
                inputs=inputs)


@suite.test(function="gradient_descent", points=2, case="very large inputs")
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


@suite.test(function="gradient_descent", points=1, case="nothing to do: no steps at all")
def no_steps_taken(student, expect):
    """steps = 0: the path is the start alone, and nothing diverged."""
    inputs = "gradient = descent.bowl_gradient, start = [-3, 0.5], learning_rate = 0.2, steps = 0"
    path, diverged = path_and_flag(
        expect, student.gradient_descent(BOWL_GRADIENT, np.array([-3.0, 0.5]), 0.2, 0), inputs)
    expect.shape(path, (1, 2), inputs=inputs, hint="no steps: the path is just the start")
    expect.close(path, [[-3.0, 0.5]], inputs=inputs)
    expect.true(diverged is False, "diverged should be False when no step is taken",
                inputs=inputs)


@suite.test(function="gradient_descent", points=1,
            case="integer inputs: a start given as integers")
def integer_start(student, expect):
    """A start of integers: the walk still moves by fractions."""
    inputs = ("gradient = descent.bowl_gradient, start = np.array([2, -1]) (integers), "
              "learning_rate = 0.25, steps = 2")
    path, _ = path_and_flag(
        expect, student.gradient_descent(BOWL_GRADIENT, np.array([2, -1]), 0.25, 2), inputs)
    expect.shape(path, (3, 2), inputs=inputs)
    expect.close(path, [[2.0, -1.0], [2.4505360843114024, -0.15397073119635285],
                        [2.801108476794246, 0.5123533117868025]], inputs=inputs,
                 hint="start from a float copy: np.array(start, dtype=float); an integer array "
                      "cannot hold the fractions of a step")


@suite.test(function="gradient_descent", points=1,
            case="a value exactly at a boundary: a point exactly at the size limit")
def point_of_exactly_the_limit(student, expect):
    """Each step adds 5e11: the point (1e12, 1e12) is kept, the next one is past the limit."""
    inputs = ("gradient = -2.5e11 in every entry, everywhere; start = [0, 0], "
              "learning_rate = 2, steps = 6")
    path, diverged = path_and_flag(expect, student.gradient_descent(
        ref("nnlessons.grading.functions.steady_climb_gradient"), np.zeros(2), 2.0, 6), inputs)
    expect.shape(path, (3, 2), inputs=inputs,
                 hint="only an entry larger than 1e12 in size is divergence (>, not >=): keep "
                      "the point of exactly 1e12 and stop at the first one past it")
    expect.close(path, [[0.0, 0.0], [500000000000.0, 500000000000.0],
                        [1000000000000.0, 1000000000000.0]], inputs=inputs)
    expect.true(diverged is True, "diverged should be True: the walk went past 1e12",
                inputs=inputs)


@suite.test(function="gradient_descent", points=1,
            case="your function changed its input: the gradient changes the array it is handed")
def start_and_path_kept(student, expect):
    """A gradient that zeros the array it is handed must reach neither the caller's start nor
    the points already in the path."""
    inputs = ("a gradient that zeros its argument after computing the bowl's gradient, "
              "start = [2, 0.5], learning_rate = 0.1, steps = 2")
    got, changed = student.gradient_descent.call_checking_inputs(
        ref("nnlessons.grading.functions.bowl_gradient_then_zeros"), np.array([2.0, 0.5]),
        0.1, 2)
    expect.unchanged(changed, inputs=inputs,
                     hint="start from a float copy, np.array(start, dtype=float), and hand the "
                          "gradient that copy, never the caller's start")
    path, _ = path_and_flag(expect, got, inputs)
    expect.shape(path, (3, 2), inputs=inputs)
    # Either is right: stepping from the zeroed w, or handing the gradient a copy of w.
    right = ([[2.0, 0.5], [0.1635617158286743, 0.21983367614885513],
              [0.2913728274853598, 0.2623691826946414]],
             [[2.0, 0.5], [2.163561715828674, 0.7198336761488551],
              [2.3135764513465418, 0.9204732245247796]])
    expect.true(any(np.allclose(path, want, rtol=1e-7, atol=1e-9) for want in right),
                "the path does not hold the points as they were visited (some were changed "
                "after they were stored)", inputs=inputs,
                hint="append a copy of each point to the path (path.append(w.copy())), not the "
                     "array you hand the gradient")


# --- steps_to_converge(learning_rate, start, tolerance, max_steps) -> int or None -------------

@suite.test(function="steps_to_converge", points=2, case="ordinary inputs of another size")
def a_good_learning_rate(student, expect):
    """A learning rate of 1 reaches a loss below 1e-6 in a few steps."""
    expect.equal(student.steps_to_converge(1.0), 8,
                 inputs="learning_rate = 1.0, start = (0, 0), tolerance = 1e-6",
                 hint="the start is step 0: the answer is the index, in the path, of the "
                      "first point whose loss is below the tolerance")


@suite.test(function="steps_to_converge", points=1, case="another value of an optional argument")
def too_large_a_learning_rate(student, expect):
    """A learning rate of 3 diverges: None."""
    expect.equal(student.steps_to_converge(3.0), None,
                 inputs="learning_rate = 3.0 (the walk diverges)",
                 hint="if no point of the path gets below the tolerance, return None")


@suite.test(function="steps_to_converge", points=1,
            case="nothing to do: a start already close enough to the lowest point")
def start_close_to_the_bottom(student, expect):
    """From (4.0005, 3) the loss is already below 1e-6: no step is needed."""
    expect.equal(student.steps_to_converge(0.1, start=(4.0005, 3.0)), 0,
                 inputs="learning_rate = 0.1, start = (4.0005, 3) (loss 8.5e-08 there)",
                 hint="the start counts as step 0: check its loss before taking any step")


@suite.test(function="steps_to_converge", points=1,
            case="a value exactly at a boundary: a tolerance exactly equal to a loss on the path")
def tolerance_equal_to_the_start_loss(student, expect):
    """The tolerance is the start's own loss: the start is not below it, the next point is."""
    expect.equal(student.steps_to_converge(0.5, start=(2.0, 0.0), tolerance=5.581521517035543,
                                           max_steps=50), 1,
                 inputs="learning_rate = 0.5, start = (2, 0), tolerance = 5.581521517035543 "
                        "(the loss at the start), max_steps = 50",
                 hint="only a loss strictly below the tolerance counts (<, not <=)")



# --- rate_limits(X) -> (best_rate, divergence_limit) ------------------------------------------
# Past what lesson 04 wrote out: the learner derives both rates from the Hessian's eigenvalues.
suite.hidden_counts["rate_limits"] = 3


def check_rate_pair(expect, got, want, inputs, hint=None):
    """The learner's (best_rate, divergence_limit) against `want`, form first."""
    expect.true(isinstance(got, (tuple, list)) and len(got) == 2,
                "rate_limits should return the pair (best_rate, divergence_limit)", inputs=inputs)
    expect.close(got[1], want[1], rtol=1e-7, inputs=inputs, what="divergence_limit",
                 hint="the walk diverges once the factor of the steepest direction, 1 - rate * "
                      "(largest eigenvalue), falls below -1")
    expect.close(got[0], want[0], rtol=1e-7, inputs=inputs, what="best_rate",
                 hint="the slowest direction is at one end or the other: the best rate makes the "
                      "factors of the smallest and the largest eigenvalue equal in size")


@suite.test(function="rate_limits", points=3,
            case="ordinary inputs of another size: three examples with two inputs")
def rate_limits_small(student, expect):
    """Three examples with two inputs."""
    X = np.array([[1.0, 0.5], [0.2, -1.0], [-0.4, 0.3]])
    check_rate_pair(expect, student.rate_limits(X), (1.1811023622047243, 2.0503958888837017),
                    "X = [[1, 0.5], [0.2, -1], [-0.4, 0.3]]",
                    hint="the Hessian is (2 / n) X.T X: with n = 3 examples, a mean, not a sum")


@suite.test(function="rate_limits", points=1,
            case="a value exactly at a boundary: a single input, so the smallest and the "
                 "largest eigenvalue are the same")
def rate_limits_one_input_by_hand(student, expect):
    """One input: the Hessian (2 / 3) X.T X = [[4]], worked by hand."""
    X = np.array([[1.0], [2.0], [-1.0]])
    check_rate_pair(expect, student.rate_limits(X), (0.25, 0.5), "X = [[1], [2], [-1]]",
                    hint="one eigenvalue, 4: the best rate is 2 / (4 + 4), the limit 2 / 4")
