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


@suite.test(function="squared_error", points=1,
            case="a 2-D array: outputs and targets of a 2-D batch")
def squared_error_grid(student, expect):
    """Elementwise: a (2, 2) batch gives a (2, 2) array of squared errors."""
    inputs = "outputs=[[1, 2], [3, 4]], targets=[[0, 2], [5, 1]]"
    got = student.squared_error(np.array([[1.0, 2.0], [3.0, 4.0]]),
                                np.array([[0.0, 2.0], [5.0, 1.0]]))
    expect.shape(got, (2, 2), inputs=inputs,
                 hint="squared error is elementwise: no sum and no mean, the shape of the outputs")
    expect.close(got, [[1.0, 0.0], [4.0, 9.0]], inputs=inputs)


# --- mse(outputs, targets) -> float -----------------------------------------------------------

@suite.test(function="mse", points=2, case="ordinary inputs of another size")
def mse_small(student, expect):
    """Three outputs: the mean of the squared errors."""
    got = student.mse(np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.0, 1.0]))
    expect.close(got, 4.333333333333333, inputs="outputs=[1, 2, 4], targets=[1, 0, 1]",
                 hint="(0 + 4 + 9) / 3: the mean, not the sum")


@suite.test(function="mse", points=1, case="a 2-D array: a 2-D batch (several outputs per example)")
def mse_grid(student, expect):
    """Two examples with two outputs each: one number, the mean of all four squared errors."""
    inputs = "outputs=[[1, 3], [2, 0]], targets=[[0, 1], [2, 2]]"
    got = student.mse(np.array([[1.0, 3.0], [2.0, 0.0]]), np.array([[0.0, 1.0], [2.0, 2.0]]))
    expect.close(got, 2.25, inputs=inputs,
                 hint="(1 + 4 + 0 + 4) / 4: average over every output of every example, with no "
                      "axis")


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


@suite.test(function="binary_cross_entropy", points=1,
            case="a value exactly at a boundary: probabilities of exactly 0 and 1")
def bce_certain_answers(student, expect):
    """p = 1 for a label 0 is certain and wrong: large but finite, log of the clipped p."""
    inputs = "p=[1, 0, 0.5], t=[0, 0, 1]"
    got = student.binary_cross_entropy(np.array([1.0, 0.0, 0.5]), np.array([0.0, 0.0, 1.0]))
    expect.finite(got, inputs=inputs, hint="clip p into [1e-12, 1 - 1e-12] before taking logs")
    expect.close(got, 9.441396806151433, rtol=1e-6, inputs=inputs,
                 hint="(-log(1e-12) + 0 + log 2) / 3: clip p into [1e-12, 1 - 1e-12]")


@suite.test(function="binary_cross_entropy", points=1,
            case="a 2-D array: probabilities and labels of a 2-D batch")
def bce_grid(student, expect):
    """A (2, 2) batch: one number, the mean over all four entries."""
    inputs = "p=[[0.9, 0.4], [0.3, 0.6]], t=[[1, 0], [0, 1]]"
    got = student.binary_cross_entropy(np.array([[0.9, 0.4], [0.3, 0.6]]),
                                       np.array([[1.0, 0.0], [0.0, 1.0]]))
    expect.close(got, 0.37092167678213506, inputs=inputs,
                 hint="average over every entry, whatever the shape: one number for the batch")


@suite.test(function="binary_cross_entropy", points=1, case="your function changed its input")
def bce_probabilities_left_alone(student, expect):
    """Clipping p must not write into the caller's array."""
    _, changed = student.binary_cross_entropy.call_checking_inputs(np.array([1.0, 0.25]),
                                                                   np.array([1.0, 0.0]))
    expect.unchanged(changed, inputs="p=[1, 0.25], t=[1, 0]",
                     hint="np.clip(p, lo, hi) returns a new array; np.clip(..., out=p) "
                          "overwrites the caller's data")


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


@suite.test(function="binary_cross_entropy_gradient", points=1,
            case="checked against a numerical gradient: a 2-D batch")
def bce_gradient_numerically(student, expect):
    """Agrees with central differences of the loss (h = 1e-5), nudging one p at a time."""
    inputs = ("p=[[0.3, 0.6], [0.8, 0.1]], t=[[1, 0], [1, 1]]; expected: a numerical gradient "
              "of binary_cross_entropy")
    got = student.binary_cross_entropy_gradient(np.array([[0.3, 0.6], [0.8, 0.1]]),
                                                np.array([[1.0, 0.0], [1.0, 1.0]]))
    expect.shape(got, (2, 2), inputs=inputs, hint="one partial derivative per entry of p")
    expect.close(got, [[-0.8333333336385528, 0.6250000001206679],
                       [-0.31250000002147615, -2.5000000083430507]], rtol=1e-5, atol=1e-8,
                 inputs=inputs, hint="(p - t) / (p (1 - p)) divided by p.size, the number of "
                                     "entries: the loss is a mean over all of them")


@suite.test(function="binary_cross_entropy_gradient", points=1,
            case="a value exactly at a boundary: probabilities of exactly 0 and 1")
def bce_gradient_certain(student, expect):
    """Clipped like the loss, the slopes of certain answers are finite (and huge when wrong)."""
    inputs = "p=[1, 0, 1, 0.5], t=[0, 1, 1, 1]"
    got = student.binary_cross_entropy_gradient(np.array([1.0, 0.0, 1.0, 0.5]),
                                                np.array([0.0, 1.0, 1.0, 1.0]))
    expect.shape(got, (4,), inputs=inputs)
    expect.finite(got, inputs=inputs, hint="clip p into [1e-12, 1 - 1e-12] before dividing")
    expect.close(got, [250005530552.37573, -250000000000.00003, -0.25000000000025, -0.5],
                 rtol=1e-6, atol=0.0, inputs=inputs,
                 hint="clip p into [1e-12, 1 - 1e-12], the bounds of binary_cross_entropy")
