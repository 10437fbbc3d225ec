r"""One neuron, and a layer of them, over a batch (lesson 01).

A neuron multiplies each input by a weight, adds its bias and passes the sum through an activation:
$$z = w_1 x_1 + \dots + w_n x_n + b, \qquad a = f(z).$$
A layer is many neurons reading the same inputs. With one example per row of `X` (n examples,
m inputs) and one neuron per column of `weights` (m inputs, k neurons), the whole batch is one
matrix product: $Z = XW + b$, shape (n, k).
"""
import numpy as np

from . import _validate as v
from . import activations


def weighted_sum(X, weights, bias):
    r"""$z = Xw + b$: for each example (row of `X`), inputs times weights, summed, plus the bias.

    `X` is (n, m) or one example (m,); `weights` is (m,) for one neuron or (m, k) for k neurons;
    `bias` is a number, or (k,). Returns (n,) for one neuron, (n, k) for a layer.
    """
    X = v.as_array("X", X, allow_1d=True)
    if X.ndim != 2:
        raise ValueError(f"X must be one example (m,) or a batch (n, m); got shape {X.shape}")
    weights = v.as_array("weights", weights)
    if weights.ndim not in (1, 2) or weights.shape[0] != X.shape[1]:
        raise ValueError(f"weights must have {X.shape[1]} rows, one per input of X; "
                         f"X has shape {X.shape} and weights {weights.shape}")
    bias = v.as_array("bias", bias)
    k = 1 if weights.ndim == 1 else weights.shape[1]
    if bias.size not in (1, k) or bias.ndim > 1:
        raise ValueError(f"bias must be one number per neuron, shape ({k},); got shape {bias.shape}")
    return X @ weights + bias


def neuron(X, weights, bias, activation="sigmoid"):
    r"""$a = f(Xw + b)$: one neuron's output for each example (a layer's, if `weights` is 2-D)."""
    f, _ = activations.get(activation)
    return f(weighted_sum(X, weights, bias))


def layer_forward(X, weights, biases, activation="sigmoid"):
    r"""A layer's forward pass: $A = f(XW + b)$ with `weights` (inputs, neurons)."""
    weights = v.as_array("weights", weights, ndim=2)
    return neuron(X, weights, biases, activation)
