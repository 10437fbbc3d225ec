r"""Activation functions and their derivatives (lesson 08; sigmoid is used from lesson 01).

An activation turns a neuron's weighted sum $z$ into its output $a = f(z)$. Backpropagation needs
how fast that output changes, $f'(z)$. Every function here works elementwise on an array of any
shape, except softmax, which works along the last axis (one row of scores per example).

Each slope can also be written with the output $a$ instead of $z$: $\sigma'(z) = a(1 - a)$,
$\tanh'(z) = 1 - a^2$, and for the ReLU family the sign of $a$ is the sign of $z$. The forward
pass keeps $a$, so backpropagation needs no second pass through an exponential: `MLP` uses the
`*_prime_from_output(a)` functions (`prime_from_output(name)`), which are exactly the
`*_prime(z)` ones at $a = f(z)$.

Naming follows Nielsen's *Neural Networks and Deep Learning*: `sigmoid` and `sigmoid_prime`.
"""
import functools

import numpy as np


def sigmoid(z, out=None):
    r"""$\sigma(z) = 1 / (1 + e^{-z})$: a smooth step from 0 to 1.

    Computed as $e^{z} / (1 + e^{z})$ where $z < 0$, so `exp` never sees a large positive number
    and never overflows, even for $|z| = 10^4$. With `out` (an array shaped like `z`, `z`
    itself too), the result is written there, as for every elementwise activation here.
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # always in (0, 1]: no overflow
    # one division for both sides, into `out` or the array np.where just made
    return np.divide(np.where(z >= 0, 1.0, e), 1.0 + e, out=out)


def sigmoid_prime(z):
    r"""$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$, or with the output $a$: $a(1 - a)$."""
    a = sigmoid(z)
    return a * (1.0 - a)


def sigmoid_prime_from_output(a):
    r"""$\sigma'(z)$ from the output $a = \sigma(z)$: $a(1 - a)$."""
    slope = 1.0 - a
    slope *= a  # in place: the product needs no array of its own
    return slope


def tanh(z, out=None):
    r"""$\tanh(z) = (e^{z} - e^{-z}) / (e^{z} + e^{-z})$: a smooth step from -1 to 1."""
    return np.tanh(np.asarray(z, dtype=np.float64), out=out)


def tanh_prime(z):
    r"""$\tanh'(z) = 1 - \tanh(z)^2$."""
    return 1.0 - np.tanh(np.asarray(z, dtype=np.float64)) ** 2


def tanh_prime_from_output(a):
    r"""$\tanh'(z)$ from the output $a = \tanh(z)$: $1 - a^2$."""
    slope = np.square(a)
    np.subtract(1.0, slope, out=slope)  # in place: 1 - a^2 into the array of a^2
    return slope


def relu(z, out=None):
    r"""$\mathrm{relu}(z) = \max(0, z)$."""
    # the array first, the 0 second: numpy's loop for that order is the faster one (a third
    # less time at a 256 x 1024 layer), and a z of -0.0 gives +0.0
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0, out=out)


def relu_prime(z):
    r"""1 where $z > 0$, else 0 (at exactly 0 we take 0, as most libraries do)."""
    return (np.asarray(z, dtype=np.float64) > 0).astype(np.float64)


def relu_prime_from_output(a):
    r"""$\mathrm{relu}'(z)$ from the output $a = \max(0, z)$: $a > 0$ exactly where $z > 0$.

    Returned as booleans, True for slope 1: multiplying by them multiplies by 1 or 0 (numpy
    converts a few thousand at a time as it multiplies), and no array of floats is made."""
    return a > 0


def leaky_relu(z, slope=0.01, out=None):
    r"""$z$ where $z > 0$, else $\text{slope} \cdot z$: a small slope keeps the neuron learning."""
    z = np.asarray(z, dtype=np.float64)
    return _into(out, np.where(z > 0, z, slope * z))


def leaky_relu_prime(z, slope=0.01):
    r"""1 where $z > 0$, else `slope`."""
    return np.where(np.asarray(z, dtype=np.float64) > 0, 1.0, slope)


def leaky_relu_prime_from_output(a, slope=0.01):
    r"""The slope from the output: $a > 0$ exactly where $z > 0$ (for a positive `slope`)."""
    return np.where(a > 0, 1.0, slope)


def elu(z, alpha=1.0, out=None):
    r"""$z$ where $z > 0$, else $\alpha (e^{z} - 1)$: smooth, with outputs down to $-\alpha$."""
    z = np.asarray(z, dtype=np.float64)
    return _into(out, np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0))))


def elu_prime(z, alpha=1.0):
    r"""1 where $z > 0$, else $\alpha e^{z}$."""
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def elu_prime_from_output(a, alpha=1.0):
    r"""The slope from the output: 1 where $a > 0$, else $\alpha e^{z} = a + \alpha$."""
    return np.where(a > 0, 1.0, a + alpha)


def identity(z, out=None):
    """$f(z) = z$: no activation, used for a regression output."""
    return _into(out, np.asarray(z, dtype=np.float64))


def _into(out, values):
    """`values`, or, given `out`, `values` copied into `out` (np.where, which the piecewise
    activations use, has no `out` of its own)."""
    if out is None or out is values:
        return values
    out[...] = values
    return out


def identity_prime(z):
    return np.ones_like(np.asarray(z, dtype=np.float64))


def identity_prime_from_output(a):
    return np.ones_like(a)


def softmax(z):
    r"""$\mathrm{softmax}(z)_k = e^{z_k} / \sum_j e^{z_j}$ along the last axis.

    Subtracting each row's largest score first changes nothing mathematically (the factor
    $e^{-\max z}$ cancels) but keeps every exponent at most 0, so nothing overflows.
    """
    z = np.asarray(z, dtype=np.float64)
    e = z - z.max(axis=-1, keepdims=True)
    np.exp(e, out=e)  # in place, here and below: the shifted scores become the result
    e /= _row_sums(e)[..., None]
    return e


def _row_sums(values):
    """The sums along the last axis, as a product with a vector of ones: BLAS's matrix-vector
    product adds rows of ten entries several times faster than numpy's sum along them (about
    0.6 against 1.8 us for a batch of 32, 4 against 23 us for 1347 rows)."""
    return np.dot(values, _ones(values.shape[-1]))  # np.dot: a third less overhead than @


def _column_sums(values, out=None):
    """The sums down the columns of a 2-D array (over a batch's rows), into `out` if given: a
    row of ones times the array, for the same reason as `_row_sums` (0.6 against 1.5 us for a
    batch of 32 by 64). BLAS adds in another order than numpy's sum does, so the last bits of
    a sum may differ from `values.sum(axis=0)`'s."""
    return np.dot(_ones(len(values)), values, out=out)


@functools.lru_cache(maxsize=64)
def _ones(n):
    """A vector of `n` ones, made once for each length and never written (read-only): making
    one costs about as much as the sum it serves."""
    ones = np.ones(n)
    ones.setflags(write=False)
    return ones


def softmax_backward(a, grad_a):
    r"""Carry a gradient back through softmax: given $a = \mathrm{softmax}(z)$ and
    $g = \partial L / \partial a$, return $\partial L / \partial z = a \odot (g - \sum_k g_k a_k)$.

    Softmax mixes every score of a row into every output, so its derivative is a matrix
    (the Jacobian $\partial a_i/\partial z_j = a_i(\delta_{ij} - a_j)$); this is that matrix times $g$.
    """
    return a * (grad_a - np.sum(grad_a * a, axis=-1, keepdims=True))


# name -> (function, derivative). Softmax is not elementwise; networks treat it separately.
ELEMENTWISE = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime),
    "elu": (elu, elu_prime),
    "identity": (identity, identity_prime),
}
NAMES = tuple(ELEMENTWISE) + ("softmax",)
# name -> the derivative written with the output a (what backpropagation uses)
FROM_OUTPUT = {
    "sigmoid": sigmoid_prime_from_output,
    "tanh": tanh_prime_from_output,
    "relu": relu_prime_from_output,
    "leaky_relu": leaky_relu_prime_from_output,
    "elu": elu_prime_from_output,
    "identity": identity_prime_from_output,
}


def get(name):
    """Return `(function, derivative)` for an activation name (softmax's derivative is
    `softmax_backward`, which takes the output and the incoming gradient)."""
    if name == "softmax":
        return softmax, softmax_backward
    if name not in ELEMENTWISE:
        raise ValueError(f"unknown activation {name!r}; expected one of {', '.join(NAMES)}")
    return ELEMENTWISE[name]


def prime_from_output(name):
    """The derivative of an elementwise activation as a function of its output $a$."""
    get(name)  # raises for an unknown name
    if name == "softmax":
        raise ValueError("softmax has no elementwise derivative: see softmax_backward")
    return FROM_OUTPUT[name]
