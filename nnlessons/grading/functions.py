r"""Plain functions that graders hand to a learner's function by name, `ref("nnlessons....")`.

A test never sends code across the sandbox wall; where a learner's function takes a function (a
loss to differentiate, a gradient to descend), the test names one that lives in the package. The
course's own modules hold most of them (`nnlessons.descent.bowl_loss`, ...); the few that no
lesson needs live here.
"""
import numpy as np


def crowd_loss(y):
    r"""The crowd-counting loss of lessons 02 and 03: $L(y) = (y - 500)^2$ (500 is the true count)."""
    return (y - 500.0) ** 2


def cube(x):
    r"""$f(x) = x^3$: its central difference with step $h$ is exactly $3x^2 + h^2$, which tells a
    central difference from a one-sided one."""
    return x ** 3


def weighted_squares(w):
    r"""$f(w) = \sum_i (i + 1)\, w_i^2$ over the entries of an array of any shape (in flat order):
    a different slope for every entry, $2(i + 1)\,w_i$."""
    w = np.asarray(w, dtype=np.float64)
    return float(np.sum(np.arange(1, w.size + 1).reshape(w.shape) * w ** 2))

