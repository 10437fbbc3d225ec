"""Grader of exercise notebook 02_loss: squared error, MSE, binary cross-entropy and its
gradient.

The public tests, shipped for the learner's self-check. Their expected values are stored, not
computed (instructor/expected_values.py computed them once); the hidden tests are the
instructor's (instructor/graders/ex02_loss.py)."""
import numpy as np

from nnlessons.grading.suite import Suite

suite = Suite("02_loss", functions=["squared_error", "mse", "binary_cross_entropy",
                                    "binary_cross_entropy_gradient"], forbidden={
    "squared_error": ["nnlessons.losses.squared_error", "nnlessons.losses.mse",
                      "nnlessons.losses._mse"],
    "mse": ["nnlessons.losses.mse", "nnlessons.losses.squared_error", "nnlessons.losses._mse"],
    "binary_cross_entropy": ["nnlessons.losses.binary_cross_entropy",
                             "nnlessons.losses.binary_cross_entropy_from_logits",
                             "nnlessons.losses._binary_cross_entropy_from_logits"],
    "binary_cross_entropy_gradient": [
        "nnlessons.losses.binary_cross_entropy_gradient",
        "nnlessons.losses.binary_cross_entropy_from_logits_gradient",
        "nnlessons.losses._binary_cross_entropy_from_logits_gradient",
        "nnlessons.losses.binary_cross_entropy", "nnlessons.calculus.numerical_gradient",
        "nnlessons.calculus.numerical_derivative"],
}, hidden_counts={"squared_error": 1, "mse": 2, "binary_cross_entropy": 3,
                  "binary_cross_entropy_gradient": 2})


# --- squared_error(outputs, targets) ----------------------------------------------------------

@suite.test(function="squared_error", points=2, case="ordinary inputs of another size")
def crowd_guesses(student, expect):
    """The crowd of 500: guesses 350 and 600."""
    got = student.squared_error(np.array([350.0, 600.0, 500.0]), np.array([500.0, 500.0, 500.0]))
    expect.close(got, [22500.0, 10000.0, 0.0], inputs="outputs=[350, 600, 500], targets=500",
                 hint="(target - output) squared, for each output: (500 - 350)^2 = 22500")


# --- mse(outputs, targets) -> float -----------------------------------------------------------

@suite.test(function="mse", points=2, case="a 2-D array")
def mse_small(student, expect):
    """Three outputs: the mean of the squared errors."""
    got = student.mse(np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.0, 1.0]))
    expect.close(got, 4.333333333333333, inputs="outputs=[1, 2, 4], targets=[1, 0, 1]",
                 hint="(0 + 4 + 9) / 3: the mean, not the sum")


# --- binary_cross_entropy(probabilities, labels) -> float -------------------------------------

@suite.test(function="binary_cross_entropy", points=2, case="ordinary inputs of another size")
def bce_small(student, expect):
    """Two confident answers, one right, one wrong."""
    p, t = np.array([0.9, 0.2]), np.array([1.0, 1.0])
    # -(log 0.9 + log 0.2) / 2
    expect.close(student.binary_cross_entropy(p, t), 0.8573992140459633,
                 inputs="p=[0.9, 0.2], t=[1, 1]",
                 hint="-(t log p + (1 - t) log(1 - p)), averaged; mind the minus sign")


@suite.test(function="binary_cross_entropy", points=1, case="ordinary inputs of another size")
def bce_label_zero(student, expect):
    """A label 0 uses log(1 - p)."""
    p, t = np.array([0.1, 0.7]), np.array([0.0, 0.0])
    # -(log 0.9 + log 0.3) / 2
    expect.close(student.binary_cross_entropy(p, t), 0.6546666599918812,
                 inputs="p=[0.1, 0.7], t=[0, 0]",
                 hint="for t = 0 only the (1 - t) log(1 - p) term counts")


# --- binary_cross_entropy_gradient(probabilities, labels) -------------------------------------

@suite.test(function="binary_cross_entropy_gradient", points=2,
            case="ordinary inputs of another size")
def bce_gradient_small(student, expect):
    """dL/dp for two outputs."""
    p, t = np.array([0.25, 0.8]), np.array([1.0, 0.0])
    got = student.binary_cross_entropy_gradient(p, t)
    expect.shape(got, (2,), inputs="p=[0.25, 0.8], t=[1, 0]",
                 hint="one partial derivative per probability: the same shape as p")
    expect.close(got, [-2.0, 2.5000000000000004], inputs="p=[0.25, 0.8], t=[1, 0]",
                 hint="(p - t) / (p (1 - p)), divided by the number of outputs (the loss is a "
                      "mean)")
