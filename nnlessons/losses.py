r"""Loss functions and their gradients (lesson 02).

A loss is one number that says how wrong the network is. Every loss here takes
`(outputs, targets)` in that order and is a **mean** over the batch, so its size does not grow with
the number of examples. Each `*_gradient` returns $\partial L/\partial\,\text{outputs}$, an array
shaped like `outputs`.
"""
import functools

import numpy as np

from . import _validate as v
from .activations import _row_sums, sigmoid, softmax

# Probabilities are kept in [EPS, 1 - EPS] before a log, so log(0) = -inf never happens.
EPS = 1e-12


def _pair(outputs, targets):
    outputs = v.as_array("outputs", outputs)
    targets = v.as_array("targets", targets)
    v.check_same_shape("outputs", outputs, "targets", targets)
    return outputs, targets


def squared_error(outputs, targets):
    r"""$(\text{target} - \text{output})^2$, elementwise: the error made positive.

    >>> squared_error(350, 500)
    22500.0
    """
    outputs, targets = _pair(outputs, targets)
    error = targets - outputs
    return error ** 2


def mse(outputs, targets):
    r"""Mean squared error: $L = \frac{1}{N}\sum (t - y)^2$ over every output of every example."""
    return _mse(*_pair(outputs, targets))


def mse_gradient(outputs, targets):
    r"""$\partial L/\partial y = \frac{2}{N}(y - t)$."""
    return _mse_gradient(*_pair(outputs, targets))


# The formulas themselves, for arrays already checked. Each public function checks its inputs
# and calls one; the network's training loop, which checked its data once, calls them directly.
def _mean(values):
    """`float(np.mean(values))`, the same number, without np.mean's few microseconds of
    bookkeeping per call: the training loop takes a mean every update."""
    return float(values.sum()) / values.size


def _mse(outputs, targets):
    return _mean((targets - outputs) ** 2)


def _mse_gradient(outputs, targets):
    return 2.0 * (outputs - targets) / outputs.size


def binary_cross_entropy(probabilities, labels):
    r"""$L = -\frac{1}{N}\sum \big[t \log \hat p + (1 - t)\log(1 - \hat p)\big]$ for labels
    $t \in \{0, 1\}$, with $\log$ the natural logarithm (base $e$).

    $\hat p$ is clipped to $[10^{-12}, 1 - 10^{-12}]$, so a confident wrong answer costs about
    27.6, never infinity. $\log(1 - \hat p)$ is computed as `log1p(-p)`: for a small $\hat p$ the
    subtraction $1 - \hat p$ would round away most of its digits (at $10^{-12}$, all but four), and the
    loss of a confident right answer for label 0 with them.
    """
    p, y = _pair(probabilities, labels)
    v.check_probabilities("probabilities", p)
    v.check_binary_labels("labels", y)
    p = np.clip(p, EPS, 1 - EPS)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))


def binary_cross_entropy_gradient(probabilities, labels):
    r"""$\partial L/\partial \hat p = \frac{1}{N}\,\frac{\hat p - t}{\hat p(1 - \hat p)}$ (with
    $\hat p$ clipped as above)."""
    p, y = _pair(probabilities, labels)
    v.check_probabilities("probabilities", p)
    v.check_binary_labels("labels", y)
    p = np.clip(p, EPS, 1 - EPS)
    return (p - y) / (p * (1 - p)) / p.size


def binary_cross_entropy_from_logits(logits, labels):
    r"""Binary cross-entropy of $p = \sigma(z)$, computed from the score $z$ without forming $p$:
    $\max(z, 0) - zt + \log(1 + e^{-|z|})$, exact and finite for any $z$."""
    z, y = _pair(logits, labels)
    v.check_binary_labels("labels", y)
    return _binary_cross_entropy_from_logits(z, y)


def _binary_cross_entropy_from_logits(z, y):
    return _mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def binary_cross_entropy_from_logits_gradient(logits, labels):
    r"""$\partial L/\partial z = \frac{1}{N}(\sigma(z) - t)$: the slopes of the loss and of the
    sigmoid, $\hat p(1 - \hat p)$, cancel into $\hat p - t$.

    For $t = 1$ this is $-\sigma(-z)$ (since $1 - \sigma(z) = \sigma(-z)$), and computed so: a
    confident right answer has $\sigma(z)$ so close to 1 that $\sigma(z) - 1$ would round to 0,
    while its loss, and the slope of that loss, are tiny but not 0. In one formula,
    $\sigma(z) - t = s\,\sigma(sz)$ with $s = 1 - 2t$."""
    z, y = _pair(logits, labels)
    v.check_binary_labels("labels", y)
    return _binary_cross_entropy_from_logits_gradient(z, y)


def _binary_cross_entropy_from_logits_gradient(z, y):
    s = 1.0 - 2.0 * y
    return s * sigmoid(s * z) / z.size


def _probabilities_and_labels(name, values, labels):
    values = v.as_array(name, values, ndim=2)
    labels = v.as_class_labels("labels", labels, values.shape[1], values.shape[0])
    return values, labels


def categorical_cross_entropy(probabilities, labels):
    r"""$L = -\frac{1}{n}\sum_i \log \hat p_{i, t_i}$: the mean of minus the (natural) log of the probability the
    network gave the right class. `probabilities` is (n, classes); `labels` are class indices (n,)
    or one-hot rows (n, classes)."""
    p, labels = _probabilities_and_labels("probabilities", probabilities, labels)
    v.check_probabilities("probabilities", p)
    rows = np.arange(len(labels))
    return float(-np.mean(np.log(np.clip(p[rows, labels], EPS, 1.0))))


def categorical_cross_entropy_gradient(probabilities, labels):
    r"""$\partial L/\partial \hat p_{ik} = -\frac{1}{n}\,[k = t_i] / \hat p_{ik}$: only the right class's
    probability matters."""
    p, labels = _probabilities_and_labels("probabilities", probabilities, labels)
    v.check_probabilities("probabilities", p)
    rows = np.arange(len(labels))
    grad = np.zeros_like(p)
    grad[rows, labels] = -1.0 / np.clip(p[rows, labels], EPS, 1.0) / len(labels)
    return grad


def categorical_cross_entropy_from_logits(logits, labels):
    r"""Cross-entropy of $\mathrm{softmax}(z)$ from the scores $z$: $\log\sum_k e^{z_k} - z_{t}$,
    finite for any $z$.

    Log-sum-exp is shifted by the row's largest score $m$, so no exponent is positive:
    $\log\sum_k e^{z_k} = m + \log\big(1 + \sum_{k \ne \text{max}} e^{z_k - m}\big)$, with `log1p`
    for the last log, which keeps the digits of a confident right answer's tiny loss."""
    return _categorical_cross_entropy_from_logits(
        *_probabilities_and_labels("logits", logits, labels))


def _categorical_cross_entropy_from_logits(z, labels):
    return _softmax_and_cross_entropy(z, labels)[1]


def _softmax_and_cross_entropy(z, labels):
    r"""$\mathrm{softmax}(z)$ and its cross-entropy against `labels`, from the same exponentials:
    both need $e^{z_k - m}$, with $m$ each row's largest score, and a network that reports its
    loss computes both, so they are computed once. The probabilities are exactly
    `activations.softmax(z)`, the loss exactly `categorical_cross_entropy_from_logits`, to the
    last bit: each is summed (`activations._row_sums`) and divided as there.

    Returns `(probabilities, mean loss)` for checked scores (n, classes) and labels (n,)."""
    # each row's largest score, read at its position: the position is needed below anyway, and
    # a max along rows of ten scores costs numpy a few times what finding the position does
    largest = z.argmax(axis=1)
    # the places of each row's largest score and of its label's in the flat array of scores:
    # reading a flat array at a list of places costs a few times less than reading a 2-D one
    # at a list of (row, column) pairs
    at_largest, at_label = _flat_places(z, largest), _flat_places(z, labels)
    shifted = z - z.ravel()[at_largest][:, None]
    exps = np.exp(shifted)
    probabilities = exps / _row_sums(exps)[:, None]
    # then the exponentials serve the loss: the largest score's term, e^0 = 1, is log1p's 1
    exps.ravel()[at_largest] = 0.0
    log_sum_exp = np.log1p(_row_sums(exps))
    return probabilities, _mean(log_sum_exp - shifted.ravel()[at_label])


def _flat_places(scores, columns):
    """Where the entry `columns[i]` of each row `i` of the (n, k) `scores` lies in
    `scores.ravel()`: at i k + columns[i]."""
    return _row_starts(*scores.shape) + columns


@functools.lru_cache(maxsize=64)
def _row_starts(n, k):
    """0, k, 2k, ..., (n - 1) k: where each row of an (n, k) array starts in its flat array.
    Made once for each shape (a cross-entropy training loop asks three times per update) and
    read-only."""
    starts = np.arange(0, n * k, k)
    starts.setflags(write=False)
    return starts


def categorical_cross_entropy_from_logits_gradient(logits, labels):
    r"""$\partial L/\partial z = \frac{1}{n}(\mathrm{softmax}(z) - \text{onehot}(t))$.

    The right class's entry $\hat p_t - 1$ is computed as minus the sum of the other
    probabilities, which it equals: for a confident right answer $\hat p_t$ rounds to 1 and
    $\hat p_t - 1$ to 0."""
    z, labels = _probabilities_and_labels("logits", logits, labels)
    return _cross_entropy_gradient_from_softmax(softmax(z), labels)


def _cross_entropy_gradient_from_softmax(probabilities, labels):
    r"""The gradient above from $\mathrm{softmax}(z)$ itself: a network's forward pass kept it."""
    grad = probabilities / len(labels)
    places, flat = _flat_places(grad, labels), grad.ravel()  # a view: grad is new, in one piece
    flat[places] = 0.0
    flat[places] = -_row_sums(grad)  # minus the sum of the others' shares
    return grad


def one_hot(labels, n_classes):
    """Turn class indices (n,) into rows of zeros with a single 1, shape (n, n_classes)."""
    labels = v.as_class_labels("labels", labels, n_classes, len(np.asarray(labels)))
    out = np.zeros((len(labels), n_classes))
    out[np.arange(len(labels)), labels] = 1.0
    return out
