"""Hidden tests of exercise notebook 02_loss, with the reference answers they compare with.
INSTRUCTOR ONLY: never give this file to learners (see instructor/README.md)."""
import numpy as np

from nnlessons import losses
from nnlessons.calculus import numerical_gradient
from nnlessons.grading.suite import Suite

suite = Suite("02_loss")


def probabilities(seed, shape):
    rng = np.random.default_rng(seed)
    return rng.uniform(0.05, 0.95, size=shape), rng.integers(0, 2, size=shape).astype(float)


# --- squared_error(outputs, targets) ----------------------------------------------------------

@suite.test(function="squared_error", points=1, hidden=True,
            case="a 2-D array: outputs and targets of a 2-D batch",
            hint="squared error is elementwise: no sum and no mean, so the answer has the shape "
                 "of the outputs")
def squared_error_batch_shape(student, expect):
    y, t = probabilities(1, (4, 3))
    got = student.squared_error(y, t)
    expect.shape(got, (4, 3), inputs="outputs and targets of shape (4, 3)",
                 hint="squared error is elementwise: no sum, no mean")
    expect.close(got, (t - y) ** 2, inputs="random (4, 3)")


# --- mse(outputs, targets) -> float -----------------------------------------------------------

@suite.test(function="mse", points=2, hidden=True,
            case="a 2-D array: a 2-D batch (several outputs per example)",
            hint="average over every output of every example: np.mean of the whole array, with "
                 "no axis")
def mse_batch_mean_over_everything(student, expect):
    y, t = probabilities(2, (7, 3))
    got = student.mse(y, t)
    expect.close(got, losses.mse(y, t), inputs="outputs and targets of shape (7, 3)",
                 hint="average over every output of every example (divide by 21 here)")


@suite.test(function="mse", points=1, hidden=True,
            case="ordinary inputs of another size: the same batch repeated several times",
            hint="a mean does not change when the same examples are repeated; a sum does")
def mse_does_not_grow_with_batch(student, expect):
    y, t = probabilities(3, (5, 2))
    small = student.mse(y, t)
    large = student.mse(np.concatenate([y] * 4), np.concatenate([t] * 4))
    expect.close(large, small, inputs="the same batch repeated 4 times",
                 hint="a mean does not change when the same examples are repeated; a sum does")


# --- binary_cross_entropy(probabilities, labels) -> float -------------------------------------

@suite.test(function="binary_cross_entropy", points=2, hidden=True,
            case="a value exactly at a boundary: probabilities of exactly 0 and 1, right and "
                 "wrong",
            hint="clip p into [1e-12, 1 - 1e-12] before taking logs, so that log(0) never "
                 "happens")
def bce_certain_and_wrong_is_finite(student, expect):
    p, t = np.array([0.0, 1.0, 1.0, 0.0]), np.array([1.0, 0.0, 1.0, 0.0])
    got = student.binary_cross_entropy(p, t)
    expect.finite(got, inputs="p=[0, 1, 1, 0], t=[1, 0, 1, 0]",
                  hint="clip p into [1e-12, 1 - 1e-12] before taking logs")
    expect.close(got, losses.binary_cross_entropy(p, t), rtol=1e-6,
                 inputs="p=[0, 1, 1, 0], t=[1, 0, 1, 0]")


@suite.test(function="binary_cross_entropy", points=1, hidden=True,
            case="a 2-D array: probabilities and labels of a 2-D batch",
            hint="average over every entry, whatever the shape: one number for the whole batch")
def bce_batch_2d(student, expect):
    p, t = probabilities(4, (6, 2))
    expect.close(student.binary_cross_entropy(p, t), losses.binary_cross_entropy(p, t),
                 inputs="p and t of shape (6, 2)")


@suite.test(function="binary_cross_entropy", points=1, hidden=True,
            case="your function changed its input",
            hint="np.clip(p, lo, hi) returns a new array; np.clip(..., out=p) overwrites the "
                 "caller's data")
def bce_leaves_inputs_alone(student, expect):
    p, t = np.array([0.0, 0.5, 1.0]), np.array([0.0, 1.0, 1.0])
    _, changed = student.binary_cross_entropy.call_checking_inputs(p, t)
    expect.unchanged(changed, inputs="p=[0, 0.5, 1]",
                     hint="np.clip(p, lo, hi) returns a new array; np.clip(..., out=p) "
                          "overwrites the learner's data")


# --- binary_cross_entropy_gradient(probabilities, labels) -------------------------------------

@suite.test(function="binary_cross_entropy_gradient", points=2, hidden=True,
            case="checked against a numerical gradient: a 2-D batch",
            hint="(p - t) / (p (1 - p)) divided by the number of entries of p (p.size): the "
                 "loss is a mean over all of them")
def bce_gradient_matches_numerical(student, expect):
    p, t = probabilities(5, (4, 3))
    numerical = numerical_gradient(lambda q: losses.binary_cross_entropy(q, t), p)
    expect.close(student.binary_cross_entropy_gradient(p, t), numerical, rtol=1e-5, atol=1e-8,
                 inputs="random p and t of shape (4, 3), checked against a numerical gradient")


@suite.test(function="binary_cross_entropy_gradient", points=1, hidden=True,
            case="a value exactly at a boundary: probabilities of exactly 0 and 1, right and "
                 "wrong",
            hint="clip p into [1e-12, 1 - 1e-12] first, with the bounds binary_cross_entropy "
                 "uses, so that p (1 - p) is never 0")
def bce_gradient_certain_answers(student, expect):
    # Unclipped, p = 0 or 1 divides by zero; clipped at another bound (1e-11, 1 + 1e-12) the
    # slopes of the confident wrong answers are off by a factor of ten or infinite.
    p, t = np.array([0.0, 1.0, 1.0, 0.0]), np.array([1.0, 0.0, 1.0, 0.0])
    inputs = "p=[0, 1, 1, 0], t=[1, 0, 1, 0]"
    got = student.binary_cross_entropy_gradient(p, t)
    expect.shape(got, (4,), inputs=inputs)
    expect.finite(got, inputs=inputs, hint="clip p into [1e-12, 1 - 1e-12] before dividing")
    expect.close(got, losses.binary_cross_entropy_gradient(p, t), rtol=1e-6, atol=0.0,
                 inputs=inputs, hint="clip p into [1e-12, 1 - 1e-12], the bounds of "
                                     "binary_cross_entropy")
