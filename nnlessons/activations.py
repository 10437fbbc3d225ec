r"""Activation functions and their derivatives (lesson 08; sigmoid is used from lesson 01).

An activation turns a neuron's weighted sum $z$ into its output $a = f(z)$. Backpropagation needs
how fast that output changes, $f'(z)$. Every function here works elementwise on an array of any
shape, except softmax, which works along the last axis (one row of scores per example).

Naming follows Nielsen's *Neural Networks and Deep Learning*: `sigmoid` and `sigmoid_prime`.
"""
import numpy as np


def sigmoid(z):
    r"""$\sigma(z) = 1 / (1 + e^{-z})$: a smooth step from 0 to 1.

    Computed as $e^{z} / (1 + e^{z})$ where $z < 0$, so `exp` never sees a large positive number
    and never overflows, even for $|z| = 10^4$.
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # always in (0, 1]: no overflow
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z):
    r"""$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$, or with the output $a$: $a(1 - a)$."""
    a = sigmoid(z)
    return a * (1.0 - a)


def tanh(z):
    r"""$\tanh(z) = (e^{z} - e^{-z}) / (e^{z} + e^{-z})$: a smooth step from -1 to 1."""
    return np.tanh(np.asarray(z, dtype=np.float64))


def tanh_prime(z):
    r"""$\tanh'(z) = 1 - \tanh(z)^2$."""
    return 1.0 - np.tanh(np.asarray(z, dtype=np.float64)) ** 2


def relu(z):
    r"""$\mathrm{relu}(z) = \max(0, z)$."""
    return np.maximum(0.0, np.asarray(z, dtype=np.float64))


def relu_prime(z):
    r"""1 where $z > 0$, else 0 (at exactly 0 we take 0, as most libraries do)."""
    return (np.asarray(z, dtype=np.float64) > 0).astype(np.float64)


def leaky_relu(z, slope=0.01):
    r"""$z$ where $z > 0$, else $\text{slope} \cdot z$: a small slope keeps the neuron learning."""
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 0, z, slope * z)


def leaky_relu_prime(z, slope=0.01):
    r"""1 where $z > 0$, else `slope`."""
    return np.where(np.asarray(z, dtype=np.float64) > 0, 1.0, slope)


def elu(z, alpha=1.0):
    r"""$z$ where $z > 0$, else $\alpha (e^{z} - 1)$: smooth, with outputs down to $-\alpha$."""
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def elu_prime(z, alpha=1.0):
    r"""1 where $z > 0$, else $\alpha e^{z}$."""
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def identity(z):
    """$f(z) = z$: no activation, used for a regression output."""
    return np.asarray(z, dtype=np.float64)


def identity_prime(z):
    return np.ones_like(np.asarray(z, dtype=np.float64))


def softmax(z):
    r"""$\mathrm{softmax}(z)_k = e^{z_k} / \sum_j e^{z_j}$ along the last axis.

    Subtracting each row's largest score first changes nothing mathematically (the factor
    $e^{-\max z}$ cancels) but keeps every exponent at most 0, so nothing overflows.
    """
    z = np.asarray(z, dtype=np.float64)
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


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


def get(name):
    """Return `(function, derivative)` for an activation name (softmax's derivative is
    `softmax_backward`, which takes the output and the incoming gradient)."""
    if name == "softmax":
        return softmax, softmax_backward
    if name not in ELEMENTWISE:
        raise ValueError(f"unknown activation {name!r}; expected one of {', '.join(NAMES)}")
    return ELEMENTWISE[name]
