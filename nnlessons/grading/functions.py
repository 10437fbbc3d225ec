r"""Plain functions that graders hand to a learner's function by name, `ref("nnlessons....")`.

A test never sends code across the sandbox wall; where a learner's function takes a function (a
loss to differentiate, a gradient to descend), the test names one that lives in the package. The
course's own modules hold most of them (`nnlessons.descent.bowl_loss`, ...); the few that no
lesson needs live here.
"""
import numpy as np

from nnlessons import descent


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



def _overwrite(w, value):
    """Write `value` into every entry of `w` when it is a writable float array (a list or a
    read-only array cannot be changed; what these functions test is whether the caller's array
    was handed over, not whether it can be written)."""
    if isinstance(w, np.ndarray) and w.flags.writeable and w.dtype.kind == "f":
        w[...] = value


def weighted_squares_then_nan(w):
    r"""`weighted_squares(w)`, after which every entry of `w` is overwritten with NaN: a function
    that changes the array it is handed. Code that hands it the caller's array leaves NaN there."""
    value = weighted_squares(w)
    _overwrite(w, np.nan)
    return value


def bowl_gradient_then_zeros(w):
    r"""`descent.bowl_gradient(w)`, after which every entry of `w` is overwritten with 0: a
    gradient that changes the array it is handed. A path that holds that array itself, not a
    copy, finds its points turned to zeros."""
    gradient = descent.bowl_gradient(w)
    _overwrite(w, 0.0)
    return gradient


def steady_climb_gradient(w):
    r"""A gradient of $-2.5 \times 10^{11}$ in every entry, wherever $w$ is: with learning rate 1
    each step adds exactly $2.5 \times 10^{11}$, so a walk from 0 lands on exactly $10^{12}$
    after 4 steps (still kept: only a size past $10^{12}$ is divergence) and past it after 5."""
    return np.full(np.shape(w), -2.5e11)


def forum_sigmoid_slope(a):
    r"""The forum write-up's sigmoid slope from the output, $a(a - 1)$: the right size with the
    wrong sign. Exercise 05 hands it to the learner's backprop, which must then give the forum's
    gradients (the output layer's backwards)."""
    a = np.asarray(a, dtype=np.float64)
    return a * (a - 1.0)
