"""Grader of exercise notebook 02_loss: squared error, MSE, binary cross-entropy and its
gradient."""
import numpy as np

from nnlessons import losses
from nnlessons.calculus import numerical_gradient
from nnlessons.grading.suite import Suite

suite = Suite("02_loss", functions=["squared_error", "mse", "binary_cross_entropy",
                                    "binary_cross_entropy_gradient"], forbidden={
    "squared_error": ["nnlessons.losses.squared_error", "nnlessons.losses.mse"],
    "mse": ["nnlessons.losses.mse", "nnlessons.losses.squared_error"],
    "binary_cross_entropy": ["nnlessons.losses.binary_cross_entropy",
                             "nnlessons.losses.binary_cross_entropy_from_logits"],
    "binary_cross_entropy_gradient": [
        "nnlessons.losses.binary_cross_entropy_gradient",
        "nnlessons.losses.binary_cross_entropy_from_logits_gradient",
        "nnlessons.losses.binary_cross_entropy", "nnlessons.calculus.numerical_gradient",
        "nnlessons.calculus.numerical_derivative"],
})


def probabilities(seed, shape):
    rng = np.random.default_rng(seed)
    return rng.uniform(0.05, 0.95, size=shape), rng.integers(0, 2, size=shape).astype(float)


# --- squared_error(outputs, targets) ----------------------------------------------------------

@suite.test(function="squared_error", points=2)
def crowd_guesses(student, expect):
    """The crowd of 500: guesses 350 and 600."""
    got = student.squared_error(np.array([350.0, 600.0, 500.0]), np.array([500.0, 500.0, 500.0]))
    expect.close(got, [22500.0, 10000.0, 0.0], inputs="outputs=[350, 600, 500], targets=500",
                 hint="(target - output) squared, for each output: (500 - 350)^2 = 22500")


@suite.test(function="squared_error", points=1, hidden=True)
def squared_error_batch_shape(student, expect):
    y, t = probabilities(1, (4, 3))
    got = student.squared_error(y, t)
    expect.shape(got, (4, 3), inputs="outputs and targets of shape (4, 3)",
                 hint="squared error is elementwise: no sum, no mean")
    expect.close(got, (t - y) ** 2, inputs="random (4, 3)")


# --- mse(outputs, targets) -> float -----------------------------------------------------------

@suite.test(function="mse", points=2)
def mse_small(student, expect):
    """Three outputs: the mean of the squared errors."""
    got = student.mse(np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.0, 1.0]))
    expect.close(got, 13.0 / 3.0, inputs="outputs=[1, 2, 4], targets=[1, 0, 1]",
                 hint="(0 + 4 + 9) / 3: the mean, not the sum")


@suite.test(function="mse", points=2, hidden=True)
def mse_batch_mean_over_everything(student, expect):
    y, t = probabilities(2, (7, 3))
    got = student.mse(y, t)
    expect.close(got, losses.mse(y, t), inputs="outputs and targets of shape (7, 3)",
                 hint="average over every output of every example (divide by 21 here)")


@suite.test(function="mse", points=1, hidden=True)
def mse_does_not_grow_with_batch(student, expect):
    y, t = probabilities(3, (5, 2))
    small = student.mse(y, t)
    large = student.mse(np.concatenate([y] * 4), np.concatenate([t] * 4))
    expect.close(large, small, inputs="the same batch repeated 4 times",
                 hint="a mean does not change when the same examples are repeated; a sum does")


# --- binary_cross_entropy(probabilities, labels) -> float -------------------------------------

@suite.test(function="binary_cross_entropy", points=2)
def bce_small(student, expect):
    """Two confident answers, one right, one wrong."""
    p, y = np.array([0.9, 0.2]), np.array([1.0, 1.0])
    expect.close(student.binary_cross_entropy(p, y), -(np.log(0.9) + np.log(0.2)) / 2,
                 inputs="p=[0.9, 0.2], y=[1, 1]",
                 hint="-(y log p + (1 - y) log(1 - p)), averaged; mind the minus sign")


@suite.test(function="binary_cross_entropy", points=1)
def bce_label_zero(student, expect):
    """A label 0 uses log(1 - p)."""
    p, y = np.array([0.1, 0.7]), np.array([0.0, 0.0])
    expect.close(student.binary_cross_entropy(p, y), -(np.log(0.9) + np.log(0.3)) / 2,
                 inputs="p=[0.1, 0.7], y=[0, 0]",
                 hint="for y = 0 only the (1 - y) log(1 - p) term counts")


@suite.test(function="binary_cross_entropy", points=2, hidden=True)
def bce_certain_and_wrong_is_finite(student, expect):
    p, y = np.array([0.0, 1.0, 1.0, 0.0]), np.array([1.0, 0.0, 1.0, 0.0])
    got = student.binary_cross_entropy(p, y)
    expect.finite(got, inputs="p=[0, 1, 1, 0], y=[1, 0, 1, 0]",
                  hint="clip p into [1e-12, 1 - 1e-12] before taking logs")
    expect.close(got, losses.binary_cross_entropy(p, y), rtol=1e-6,
                 inputs="p=[0, 1, 1, 0], y=[1, 0, 1, 0]")


@suite.test(function="binary_cross_entropy", points=1, hidden=True)
def bce_batch_2d(student, expect):
    p, y = probabilities(4, (6, 2))
    expect.close(student.binary_cross_entropy(p, y), losses.binary_cross_entropy(p, y),
                 inputs="p and y of shape (6, 2)")


@suite.test(function="binary_cross_entropy", points=1, hidden=True)
def bce_leaves_inputs_alone(student, expect):
    p, y = np.array([0.0, 0.5, 1.0]), np.array([0.0, 1.0, 1.0])
    _, changed = student.binary_cross_entropy.call_checking_inputs(p, y)
    expect.unchanged(changed, inputs="p=[0, 0.5, 1]",
                     hint="np.clip(p, lo, hi) returns a new array; np.clip(..., out=p) "
                          "overwrites the learner's data")


# --- binary_cross_entropy_gradient(probabilities, labels) -------------------------------------

@suite.test(function="binary_cross_entropy_gradient", points=2)
def bce_gradient_small(student, expect):
    """dL/dp for two outputs."""
    p, y = np.array([0.25, 0.8]), np.array([1.0, 0.0])
    got = student.binary_cross_entropy_gradient(p, y)
    expect.shape(got, (2,), inputs="p=[0.25, 0.8], y=[1, 0]",
                 hint="one partial derivative per probability: the same shape as p")
    expect.close(got, losses.binary_cross_entropy_gradient(p, y), inputs="p=[0.25, 0.8], y=[1, 0]",
                 hint="(p - y) / (p (1 - p)), divided by the number of outputs (the loss is a "
                      "mean)")


@suite.test(function="binary_cross_entropy_gradient", points=2, hidden=True)
def bce_gradient_matches_numerical(student, expect):
    p, y = probabilities(5, (4, 3))
    numerical = numerical_gradient(lambda q: losses.binary_cross_entropy(q, y), p)
    expect.close(student.binary_cross_entropy_gradient(p, y), numerical, rtol=1e-5, atol=1e-8,
                 inputs="random p and y of shape (4, 3), checked against a numerical gradient")
