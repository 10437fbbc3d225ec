r"""Derivatives estimated from two nearby points, and the gradient check (lessons 03 and 05).

The central difference $f'(x) \approx \dfrac{f(x + h) - f(x - h)}{2h}$ needs nothing but the
function itself. It is slow (two evaluations per number) but hard to get wrong, which makes it the
referee for derivatives worked out by hand or by backpropagation.
"""
import numpy as np

from . import _validate as v


def numerical_derivative(f, x, h=1e-5):
    r"""Estimate $f'(x)$ for a function of one number by the central difference with step `h`."""
    if not h > 0:
        raise ValueError(f"h must be a positive step size; got {h!r}")
    x = float(x)
    return (float(f(x + h)) - float(f(x - h))) / (2.0 * h)


def numerical_gradient(f, params, h=1e-5):
    r"""Estimate the gradient of a scalar function `f(params)` with respect to every entry of the
    array `params`, one central difference per entry. Returns an array shaped like `params`.

    `params` is changed in place during the estimate and restored exactly afterwards, so `f` may
    read it through a network that holds it.
    """
    if not h > 0:
        raise ValueError(f"h must be a positive step size; got {h!r}")
    if not isinstance(params, np.ndarray) or params.dtype != np.float64:
        params = np.array(params, dtype=np.float64)
    grad = np.zeros_like(params)
    flat, flat_grad = params.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + h
        plus = float(f(params))
        flat[i] = original - h
        minus = float(f(params))
        flat[i] = original
        flat_grad[i] = (plus - minus) / (2.0 * h)
    return grad


def relative_error(analytic, numerical):
    r"""$\dfrac{\lVert a - n\rVert}{\max(\lVert a\rVert + \lVert n\rVert, 10^{-12})}$.

    About 1e-7 or smaller in float64 means the two agree; 1e-2 or larger means a bug.
    Both zero counts as agreement (0.0).
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numerical, dtype=np.float64)
    v.check_same_shape("analytic", a, "numerical", n)
    denominator = max(np.linalg.norm(a) + np.linalg.norm(n), 1e-12)
    return float(np.linalg.norm(a - n) / denominator)


def gradient_check(f, analytic_gradient, params, h=1e-5):
    """Compare a gradient worked out analytically with the numerical one at `params`;
    return the relative error (small is good: below 1e-6 passes)."""
    return relative_error(analytic_gradient, numerical_gradient(f, params, h))
