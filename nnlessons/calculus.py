r"""Derivatives estimated from two nearby points, and the gradient check (lessons 03 and 05).

The central difference $f'(x) \approx \dfrac{f(x + h) - f(x - h)}{2h}$ needs nothing but the
function itself. It is slow (two evaluations per number) but hard to get wrong, which makes it the
referee for derivatives worked out by hand or by backpropagation.
"""
import numpy as np

from . import _validate as v

# The course's one rule for reading a gradient check in float64 (see `verdict`).
AGREE = 1e-7
BUG = 1e-2


def numerical_derivative(f, x, h=1e-5):
    r"""Estimate $f'(x)$ for a function of one number by the central difference with step `h`."""
    if not h > 0:
        raise ValueError(f"h must be a positive step size; got {h!r}")
    x = float(x)
    return (float(f(x + h)) - float(f(x - h))) / (2.0 * h)


def numerical_gradient(f, params, h=1e-5):
    r"""Estimate the gradient of a scalar function `f(params)` with respect to every entry of the
    array `params`, one central difference per entry. Returns an array shaped like `params`.

    The nudges $\pm h$ are written into `params` itself, one entry at a time, and each entry is
    restored exactly afterwards (even when `f` raises), so `f` may read the array through a
    network that holds it. Any layout works: a transposed view `W.T`, a Fortran-ordered array,
    a slice `W[:, 1:]` (each nudge reaches the array the view looks into). Something that is
    not a float64 array (a list, integers) has no memory to nudge: it is copied into one first.
    """
    if not h > 0:
        raise ValueError(f"h must be a positive step size; got {h!r}")
    if not isinstance(params, np.ndarray) or params.dtype != np.float64:
        params = np.array(params, dtype=np.float64)
    if not params.flags.writeable:
        raise ValueError("params must be a writable array: numerical_gradient nudges its entries "
                         "in place (pass params.copy() to leave the original alone)")
    grad = np.zeros(params.shape)
    for index in np.ndindex(params.shape):
        original = params[index]
        try:
            params[index] = original + h
            plus = float(f(params))
            params[index] = original - h
            minus = float(f(params))
        finally:  # restored even when f raises
            params[index] = original
        grad[index] = (plus - minus) / (2.0 * h)
    return grad


def relative_error(analytic, numerical):
    r"""$\dfrac{\lVert a - n\rVert}{\max(\lVert a\rVert + \lVert n\rVert, 10^{-12})}$.

    Read it by the course's one rule, `verdict`, in float64: about 1e-7 or less, the two agree;
    1e-2 or more, a bug; in between, look closer. Both zero counts as agreement (0.0).
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numerical, dtype=np.float64)
    v.check_same_shape("analytic", a, "numerical", n)
    denominator = max(np.linalg.norm(a) + np.linalg.norm(n), 1e-12)
    return float(np.linalg.norm(a - n) / denominator)


def verdict(relative):
    r"""Read a gradient check's relative error by the course's one rule, in float64:

    - $\le 10^{-7}$: "agree" (backpropagation and the central difference are the same slope,
      up to the central difference's own error of about $h^2$ and rounding);
    - $\ge 10^{-2}$: "a bug" (at least one gradient is wrong in sign or size);
    - in between: "look closer" (a kink of the activation, too large or too small a step $h$, a
      loss near 0, or a small bug).
    """
    relative = float(relative)
    if not relative >= 0:
        raise ValueError(f"relative must be a relative error, a number >= 0; got {relative!r}")
    if relative <= AGREE:
        return "agree"
    return "a bug" if relative >= BUG else "look closer"


def gradient_check(f, analytic_gradient, params, h=1e-5):
    """Compare a gradient worked out analytically with the numerical one at `params`;
    return the relative error, read as `relative_error` says (about 1e-7 or less: agree; 1e-2 or
    more: a bug; in between: look closer)."""
    return relative_error(analytic_gradient, numerical_gradient(f, params, h))
