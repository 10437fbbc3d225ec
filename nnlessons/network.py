r"""A dense multi-layer network: forward pass, backpropagation, saving and loading (lesson 05).

Layer $l$ holds `weights[l]` (inputs, neurons) and `biases[l]` (neurons,). With one example per
row, the forward pass is, layer after layer,
$$z^{l} = a^{l-1} W^{l} + b^{l}, \qquad a^{l} = f^{l}(z^{l}), \qquad a^{0} = X.$$
`forward` keeps the weighted sums $z^1, \dots, z^L$ in `zs` and the activations
$a^0, \dots, a^L$ in `activations`, because backpropagation needs them. It runs the chain rule
the other way. With $\delta^{l} = \partial L/\partial z^{l}$ (the layer's *deltas*, kept in
`deltas`):
$$\delta^{L} = \frac{\partial L}{\partial a^{L}} \odot f'(z^{L}), \qquad
  \frac{\partial L}{\partial W^{l}} = (a^{l-1})^\top \delta^{l}, \qquad
  \frac{\partial L}{\partial b^{l}} = \textstyle\sum_{\text{rows}} \delta^{l}, \qquad
  \delta^{l-1} = \big(\delta^{l} (W^{l})^\top\big) \odot f'(z^{l-1}).$$
The backward pass uses the same weights as the forward pass, transposed, and the activation's
derivative in place of the activation: it is the forward pass's mirror. The derivative is
written with the activation the forward pass kept, as lesson 05 does: $f'(z) = a(1 - a)$ for the
sigmoid, $1 - a^2$ for tanh, 1 where $a > 0$ for ReLU (`activations.prime_from_output`).

The losses come from `losses`. A cross-entropy is computed from the output layer's weighted sums
$z^L$ (the *logits*), not from the probabilities $a^L$: $\log(1 + e^{z}) - tz$ for a sigmoid
output, $\log\sum_k e^{z_k} - z_t$ for a softmax one. Written so, it is exact and finite for any
$z$, with nothing clipped, and its gradient is simply $\delta^L = (a^L - t)/n$: the loss the
network reports and the gradient it follows belong to the same function, even where a
probability rounds to 0 or 1.

Everything the network knows is in `weights` and `biases`; `save` writes exactly those numbers.
"""
import operator

import numpy as np

from . import _validate as v
from . import activations as act
from . import losses

LOSSES = ("mse", "binary_cross_entropy", "cross_entropy")


class MLP:
    r"""A multi-layer perceptron.

    `sizes` lists the number of neurons per layer, inputs first: `[2, 3, 1]` is 2 inputs, a hidden
    layer of 3 and 1 output. `activation` is one name for every layer or a list with one per
    layer after the input (for example `["relu", "softmax"]`); the network keeps them in
    `activation_names`. `init` picks the scale of the random starting weights: "auto" (He for the
    ReLU family, Xavier otherwise), "xavier", "he", or a number used as the standard deviation.
    Biases start at 0; with `bias=False` there are none ($z = aW$), like the two-weight neuron of
    lessons 04 and 06. `seed` is an int or a Generator.

    `derivatives` replaces, by activation name, the derivative backpropagation uses; the forward
    pass is unchanged. `{"sigmoid": f}` with `f(a)` the slope written with the neuron's output
    $a$, as backpropagation computes it: lesson 05 passes the sign error of a widely read
    write-up, $a(a - 1)$ instead of $a(1 - a)$, and the network climbs the loss instead of
    descending it. With a cross-entropy loss the output layer's derivative cancels
    (see `loss_and_gradients`), so there only the hidden layers use it.
    """

    def __init__(self, sizes, activation="sigmoid", seed=0, init="auto", bias=True,
                 derivatives=None):
        sizes = list(sizes)
        if len(sizes) < 2 or not all(isinstance(s, (int, np.integer)) and s >= 1 for s in sizes):
            raise ValueError(f"sizes must list at least two whole numbers >= 1 (inputs, ..., "
                             f"outputs); got {sizes!r}")
        n_layers = len(sizes) - 1
        names = [activation] * n_layers if isinstance(activation, str) else list(activation)
        if len(names) != n_layers:
            raise ValueError(f"activation must be one name or a list of {n_layers} names, one "
                             f"per layer after the input; got {len(names)}: {names!r}")
        for i, name in enumerate(names):
            act.get(name)  # raises for an unknown name
            if name == "softmax" and i != n_layers - 1:
                raise ValueError("softmax can only be the output layer's activation")
        self.sizes = [int(s) for s in sizes]
        self.activation_names = names
        self.bias = bool(bias)
        self.derivatives = _checked_derivatives(derivatives, names)
        rng = v.as_rng(seed)
        # Every weight and bias is a part of one flat vector of all the network's parameters,
        # in the order of `parameters()`: the training loop moves them all, and checks them all,
        # with one numpy call each instead of one per array (`_parameter_vector`).
        self._names = [name for l in range(1, n_layers + 1)
                       for name in ((f"W{l}", f"b{l}") if self.bias else (f"W{l}",))]
        self._shapes = [shape for n_in, n_out in zip(sizes[:-1], sizes[1:])
                        for shape in ([(n_in, n_out), (n_out,)] if self.bias else [(n_in, n_out)])]
        self._vector = np.zeros(sum(int(np.prod(shape)) for shape in self._shapes))
        parts = _parts(self._vector, self._shapes)
        self.weights = parts[::2] if self.bias else parts
        for W, n_in, name in zip(self.weights, sizes[:-1], names):
            W[...] = rng.normal(0.0, _init_scale(init, name, n_in), size=W.shape)
        self.biases = parts[1::2] if self.bias else [np.zeros(n_out) for n_out in sizes[1:]]
        if not self.bias:
            for b in self.biases:
                b.setflags(write=False)  # zeros that no update can move
        self._vector_parts = (list(self.weights), list(self.biases) if self.bias else [])
        # each layer's activation, and its derivative as a function of the layer's output
        self._functions = [(act.get(name)[0], self.derivatives.get(name) or _slope(name))
                           for name in names]
        # what the last forward and backward passes computed (None until they run)
        self.zs = self.activations = self.deltas = None

    def __repr__(self):
        extra = "" if self.bias else ", bias=False"
        if self.derivatives:
            extra += f", derivatives={self.derivatives}"
        return f"MLP(sizes={self.sizes}, activation={self.activation_names}{extra})"

    # ---- forward -------------------------------------------------------------------------
    def forward(self, X):
        """Run the batch `X` (n, inputs) through every layer; return the output activations.
        Keeps `zs` and `activations` of every layer for the backward pass."""
        self.zs, self.activations, _ = self._layers(self.check_inputs(X))
        return self.activations[-1]

    def predict(self, X):
        """The outputs for the batch `X`, like `forward`, but nothing is kept: a prediction made
        between `forward` and `backward` leaves what `backward` needs alone."""
        return self._layers(self.check_inputs(X), keep=False)[1][-1]

    def _layers(self, X, labels=None, keep=True):
        r"""$z^l = a^{l-1} W^l + b^l$ and $a^l = f^l(z^l)$ for every layer, from $a^0 = X$.
        Returns the lists of the $z^l$ and of the $a^l$, and the cross-entropy against the
        class `labels` if they are given (None otherwise): a softmax output and its
        cross-entropy are then computed together, from one set of exponentials
        (`losses._softmax_and_cross_entropy`; the same numbers as computing them apart).

        Without `keep` (a prediction or a score: nothing is kept for a backward pass), each
        hidden layer's activations are written over its sums, whose places in the list of sums
        hold None (the output layer's sums, the logits, stay): a whole data set's sums are the
        largest arrays a network makes, and a second array of each would cost another pass
        over memory and, at 1347 x 1024, fresh pages from the system every epoch."""
        zs, activations, value = [], [X], None
        last = len(self.weights) - 1
        for l, (W, b, (f, _)) in enumerate(zip(self.weights, self.biases, self._functions)):
            z = activations[-1] @ W
            if self.bias:
                z += b  # in place: the sums get their biases with no second (n, neurons) array
            zs.append(z)
            if l == last and labels is not None:
                a, value = losses._softmax_and_cross_entropy(z, labels)
            elif l < last and not keep:
                a = f(z, out=z)  # in place: the sums are not kept
                zs[-1] = None
            else:
                a = f(z)
            activations.append(a)
        return zs, activations, value

    def predict_classes(self, X):
        """The class each example is given: the largest output, or output > 0.5 for one output."""
        out = self.predict(X)
        return (out[:, 0] > 0.5).astype(np.int64) if out.shape[1] == 1 else out.argmax(axis=1)

    # ---- backward ------------------------------------------------------------------------
    def backward(self, output_gradient):
        r"""Backpropagate $\partial L/\partial a^{L}$ (shaped like the last output) through the
        network, using the values kept by the last `forward`. Returns the gradients by name,
        `{"W1": ..., "b1": ..., ...}`, shaped like the parameters."""
        if self.zs is None:
            raise RuntimeError("call forward(X) before backward: backprop reuses its values")
        grad = v.as_array("output_gradient", output_gradient)
        if grad.shape != self.activations[-1].shape:
            raise ValueError(f"output_gradient must be shaped like the last output "
                             f"{self.activations[-1].shape}; got {grad.shape}")
        return self._backward(self._output_delta(grad))

    def _output_delta(self, grad_a):
        r"""$\delta^L = \partial L/\partial a^L \odot f'(z^L)$, the slope from the kept $a^L$.
        Softmax mixes every score of a row into every output, so its delta is
        `softmax_backward` instead."""
        if self.activation_names[-1] == "softmax":
            return act.softmax_backward(self.activations[-1], grad_a)
        slope = self._functions[-1][1]
        return grad_a * slope(self.activations[-1])

    def _backward(self, delta, into=None):
        r"""From the output layer's deltas, walk back layer by layer (the last layer first):
        $\partial L/\partial W^l = (a^{l-1})^\top\delta^l$, $\partial L/\partial b^l$ the sum of
        $\delta^l$'s rows, $\delta^{l-1} = (\delta^l (W^l)^\top) \odot f'$ with the slope $f'$
        computed from the kept activations $a^{l-1}$. Every gradient the network computes comes
        through here.

        Returns the gradients by name, in W1, b1, W2, ... order like `parameters()`, written
        into `into` if given (arrays by name made by `_new_gradients`): the training loop makes
        them once, so no update makes new arrays, and its step is one multiplication of the
        flat vector they are the parts of (`training.sgd_step`)."""
        grads = self._new_gradients()[0] if into is None else into
        n_layers = len(self.weights)
        self.deltas = [None] * n_layers
        for l in range(n_layers - 1, -1, -1):
            self.deltas[l] = delta
            _transpose_times(self.activations[l], delta, out=grads[f"W{l + 1}"])
            if self.bias:
                act._column_sums(delta, out=grads[f"b{l + 1}"])  # sum of delta's rows
            if l > 0:
                slope = self._functions[l - 1][1]
                delta = delta @ self.weights[l].T
                delta *= slope(self.activations[l])  # in place: delta is the new array above
        return grads

    def _new_gradients(self):
        """Arrays for one gradient of every parameter: `(by name, flat vector)`, the arrays by
        name being the vector's parts, laid out like the parameters' own vector (`__init__`)."""
        vector = np.empty_like(self._vector)
        return dict(zip(self._names, _parts(vector, self._shapes))), vector

    def loss_and_gradients(self, X, targets, loss):
        r"""Forward, loss and backward in one call: returns `(loss_value, gradients)`.

        `loss` is "mse", "binary_cross_entropy" (a sigmoid output, labels 0/1) or
        "cross_entropy" (a softmax output, class labels). The two cross-entropies are computed
        from the logits $z^L$, and their output deltas are the gradients of those very
        functions: $(\sigma(z^L) - t)/N$ over the $N$ outputs, and
        $(\mathrm{softmax}(z^L) - \text{onehot}(t))/n$ over the $n$ examples. The slope of the
        output activation has cancelled: nothing is divided by a probability near 0."""
        X = self.check_inputs(X)
        return self._loss_and_gradients(X, self.check_targets(targets, loss, len(X)), loss)

    def _loss_and_gradients(self, X, targets, loss, into=None):
        """`loss_and_gradients` of inputs and targets already checked (the training loop checks
        its data once, not every mini-batch), the gradients written `into` arrays by name if
        given (see `_backward`)."""
        self.zs, self.activations, value = self._forward_and_loss(X, targets, loss)
        return value, self._backward(self._loss_delta(targets, loss), into)

    def _forward_and_loss(self, X, targets, loss, keep=True):
        """The forward pass on checked inputs and its loss against checked targets: returns
        `(zs, activations, loss value)`. The cross-entropy comes with the softmax from the same
        exponentials; without `keep`, the hidden layers' sums are not kept (see `_layers`)."""
        if loss == "cross_entropy":
            return self._layers(X, targets, keep)
        zs, activations, _ = self._layers(X, keep=keep)
        return zs, activations, loss_value(zs[-1], activations[-1], targets, loss, checked=True)

    def _loss_delta(self, targets, loss):
        r"""$\delta^L$ of a loss, from the values kept by the last forward pass: for the
        cross-entropies the gradient of the very function `loss_value` computes (softmax's
        from the probabilities $a^L$ the forward pass kept)."""
        z, a = self.zs[-1], self.activations[-1]
        if loss == "binary_cross_entropy":
            return losses._binary_cross_entropy_from_logits_gradient(z, targets)
        if loss == "cross_entropy":
            return losses._cross_entropy_gradient_from_softmax(a, targets)
        return self._output_delta(losses._mse_gradient(a, targets))

    def loss(self, X, targets, loss):
        """The loss of the network's outputs on `X` against `targets`. Keeps nothing, like
        `predict`, so a gradient check may call it between `forward` and `backward`."""
        X = self.check_inputs(X)
        targets = self.check_targets(targets, loss, len(X))
        return self._forward_and_loss(X, targets, loss, keep=False)[2]

    # ---- parameters ----------------------------------------------------------------------
    def parameters(self):
        """`{"W1": weights[0], "b1": biases[0], ...}`: the arrays themselves, not copies
        (no "b" entries for a network without biases)."""
        if self.bias:
            return dict(zip(self._names, [p for pair in zip(self.weights, self.biases)
                                          for p in pair]))
        return dict(zip(self._names, self.weights))

    def _parameter_vector(self):
        """The flat vector whose parts the weights and biases are (see `__init__`), or None when
        one of them has since been replaced by another array (even a view of the vector): each
        must then be moved apart."""
        weights, biases = self._vector_parts
        # map with operator.is_ compares in C: the training loop asks twice every update
        same = all(map(operator.is_, self.weights, weights)) and \
            all(map(operator.is_, self.biases, biases))
        return self._vector if same else None

    def set_parameters(self, params):
        """Copy values into the parameters from a dict shaped like `parameters()`."""
        own = self.parameters()
        if set(params) != set(own):
            raise ValueError(f"params must have the keys {sorted(own)}; got {sorted(params)}")
        for name, target in own.items():
            value = v.as_array(name, params[name])
            if value.shape != target.shape:
                raise ValueError(f"{name} must have shape {target.shape} for this network; "
                                 f"got {value.shape}")
            target[...] = value

    def copy(self):
        """A new network with the same architecture and a copy of the weights."""
        twin = MLP(self.sizes, self.activation_names, bias=self.bias,
                   derivatives=self.derivatives)
        twin.set_parameters(self.parameters())
        return twin

    # ---- saving and loading ----------------------------------------------------------------
    def save(self, path):
        """Write the architecture and every weight and bias to a `.npz` file (no pickle).
        A replaced derivative is a function, not a number, and is not saved."""
        np.savez(path, sizes=np.array(self.sizes),
                 activation_names=np.array(self.activation_names), **self.parameters())

    def load(self, path):
        """Load weights saved by `save` into this network; the architecture must match."""
        with np.load(path, allow_pickle=False) as stored:
            if "sizes" not in stored.files or "activation_names" not in stored.files:
                raise ValueError(f"{path} is not a weights file written by MLP.save "
                                 f"(it has {stored.files})")
            sizes, names = stored["sizes"].tolist(), stored["activation_names"].tolist()
            if sizes != self.sizes or names != self.activation_names:
                raise ValueError(f"{path} holds a network with sizes {sizes} and activations "
                                 f"{names}, but this network has sizes {self.sizes} and "
                                 f"activations {self.activation_names}")
            if ("b1" in stored.files) != self.bias:
                stored_has, own = ("no biases", "biases") if self.bias else ("biases", "none")
                raise ValueError(f"{path} holds a network with {stored_has}, but this network "
                                 f"has {own}")
            self.set_parameters({name: stored[name] for name in self.parameters()})
        return self

    @classmethod
    def from_file(cls, path):
        """Build a new network from a file written by `save`."""
        with np.load(path, allow_pickle=False) as stored:
            net = cls(stored["sizes"].tolist(), stored["activation_names"].tolist(),
                      bias="b1" in stored.files)
        return net.load(path)

    # ---- checks ----------------------------------------------------------------------------
    def check_inputs(self, X):
        """Return `X` as a float array of shape (n_examples, inputs), or say what is wrong."""
        return v.as_batch("X", X, self.sizes[0])

    def check_targets(self, targets, loss, n):
        """Return the `targets` of `n` examples as `loss` reads them, or say what is wrong: class
        labels (n,) for "cross_entropy" (given as labels or one-hot rows); an array
        (n, outputs) for the others (with one output, a 1-D array is read as its column)."""
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {', '.join(LOSSES)}; got {loss!r}")
        out_name, k = self.activation_names[-1], self.sizes[-1]
        if loss == "cross_entropy":
            if out_name != "softmax":
                raise ValueError(f"loss 'cross_entropy' needs a softmax output layer; this "
                                 f"network's output activation is {out_name!r}")
            return v.as_class_labels("targets", targets, k, n)
        targets = v.as_array("targets", targets)
        if targets.ndim == 1 and k == 1:
            targets = targets[:, None]
        if targets.shape != (n, k):
            raise ValueError(f"targets must have shape ({n}, {k}), one row per example of X; "
                             f"got shape {targets.shape}")
        if loss == "binary_cross_entropy":
            if out_name != "sigmoid":
                raise ValueError(f"loss 'binary_cross_entropy' needs a sigmoid output layer; "
                                 f"this network's output activation is {out_name!r}")
            v.check_binary_labels("targets", targets)
        return targets


def loss_value(logits, outputs, targets, loss, checked=False):
    r"""The mean loss of the output layer against checked `targets` (`MLP.check_targets`),
    computed by `losses`: a cross-entropy from the logits $z^L$ (exact for any $z$, nothing
    clipped), the mean squared error from the outputs $a^L$. With `checked`, the logits and
    outputs are a forward pass's own and are not checked again."""
    if checked:
        return _LOSS_FORMULAS[loss](outputs if loss == "mse" else logits, targets)
    if loss == "binary_cross_entropy":
        return losses.binary_cross_entropy_from_logits(logits, targets)
    if loss == "cross_entropy":
        return losses.categorical_cross_entropy_from_logits(logits, targets)
    return losses.mse(outputs, targets)


# what each public loss computes once its inputs are checked
_LOSS_FORMULAS = {"binary_cross_entropy": losses._binary_cross_entropy_from_logits,
                  "cross_entropy": losses._categorical_cross_entropy_from_logits,
                  "mse": losses._mse}


def _parts(vector, shapes):
    """Consecutive parts of a flat `vector`, one per shape, as views: writing into a part
    writes into the vector."""
    parts, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        parts.append(vector[start:start + size].reshape(shape))
        start += size
    return parts


def _transpose_times(a, delta, out=None):
    r"""$a^\top\delta$: the sum, over the batch's rows, of each row's outer product, into `out`
    if given. For a batch of one row that is the outer product itself, which numpy's
    broadcasting computes a few times faster than BLAS does as a matrix product with an inner
    size of 1 (the same numbers: each entry is one product)."""
    if len(a) == 1:
        return np.multiply(a.T, delta, out=out)
    return np.dot(a.T, delta, out=out)


def _slope(name):
    """The derivative backpropagation uses for an activation, from the layer's output (softmax
    has none: its delta is `softmax_backward`)."""
    return None if name == "softmax" else act.prime_from_output(name)


def _checked_derivatives(derivatives, names):
    """The replaced derivatives as a dict by activation name, each checked."""
    derivatives = dict(derivatives or {})
    for name, f_prime in derivatives.items():
        if name not in names:
            raise ValueError(f"derivatives replaces {name!r}, but this network's activations "
                             f"are {sorted(set(names))}")
        if name == "softmax":
            raise ValueError("softmax's derivative cannot be replaced: it is not elementwise "
                             "(see activations.softmax_backward)")
        if not callable(f_prime):
            raise TypeError(f"derivatives[{name!r}] must be a function of the output a; "
                            f"got {type(f_prime).__name__}")
    return derivatives


def _init_scale(init, activation, n_in):
    if isinstance(init, (int, float)) and not isinstance(init, bool):
        if not init > 0:
            raise ValueError(f"init as a number is a standard deviation and must be > 0; got {init}")
        return float(init)
    if init == "auto":
        init = "he" if activation in ("relu", "leaky_relu", "elu") else "xavier"
    if init == "he":
        return np.sqrt(2.0 / n_in)
    if init == "xavier":
        return np.sqrt(1.0 / n_in)
    raise ValueError(f"init must be 'auto', 'xavier', 'he' or a positive number; got {init!r}")
