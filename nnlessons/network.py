r"""A dense multi-layer network: forward pass, backpropagation, saving and loading (lesson 05).

Layer $l$ holds `weights[l]` (inputs, neurons) and `biases[l]` (neurons,). With one example per
row, the forward pass is, layer after layer,
$$z^{l} = a^{l-1} W^{l} + b^{l}, \qquad a^{l} = f^{l}(z^{l}), \qquad a^{0} = X.$$
Backpropagation runs the chain rule the other way. With $\delta^{l} = \partial L/\partial z^{l}$
(the layer's *deltas*):
$$\delta^{L} = \frac{\partial L}{\partial a^{L}} \odot f'(z^{L}), \qquad
  \frac{\partial L}{\partial W^{l}} = (a^{l-1})^\top \delta^{l}, \qquad
  \frac{\partial L}{\partial b^{l}} = \textstyle\sum_{\text{rows}} \delta^{l}, \qquad
  \delta^{l-1} = \big(\delta^{l} (W^{l})^\top\big) \odot f'(z^{l-1}).$$
The backward pass uses the same weights as the forward pass, transposed, and the activation's
derivative in place of the activation: it is the forward pass's mirror.

Everything the network knows is in `weights` and `biases`; `save` writes exactly those numbers.
"""
import numpy as np

from . import _validate as v
from . import activations as act
from . import losses

LOSSES = ("mse", "binary_cross_entropy", "cross_entropy")


class MLP:
    """A multi-layer perceptron.

    `sizes` lists the number of neurons per layer, inputs first: `[2, 3, 1]` is 2 inputs, a hidden
    layer of 3 and 1 output. `activations` is one name for every layer or a list with one per
    layer after the input (for example `["relu", "softmax"]`). `init` picks the scale of the
    random starting weights: "auto" (He for the ReLU family, Xavier otherwise), "xavier", "he", or
    a number used as the standard deviation. Biases start at 0. `seed` is an int or a Generator.
    """

    def __init__(self, sizes, activations="sigmoid", seed=0, init="auto"):
        sizes = list(sizes)
        if len(sizes) < 2 or not all(isinstance(s, (int, np.integer)) and s >= 1 for s in sizes):
            raise ValueError(f"sizes must list at least two whole numbers >= 1 (inputs, ..., "
                             f"outputs); got {sizes!r}")
        n_layers = len(sizes) - 1
        names = [activations] * n_layers if isinstance(activations, str) else list(activations)
        if len(names) != n_layers:
            raise ValueError(f"activations must be one name or a list of {n_layers} names, one "
                             f"per layer after the input; got {len(names)}: {names!r}")
        for i, name in enumerate(names):
            act.get(name)  # raises for an unknown name
            if name == "softmax" and i != n_layers - 1:
                raise ValueError("softmax can only be the output layer's activation")
        self.sizes = [int(s) for s in sizes]
        self.activation_names = names
        rng = v.as_rng(seed)
        self.weights = [rng.normal(0.0, _init_scale(init, name, n_in), size=(n_in, n_out))
                        for n_in, n_out, name in zip(sizes[:-1], sizes[1:], names)]
        self.biases = [np.zeros(n_out) for n_out in sizes[1:]]
        self._functions = [act.get(name) for name in names]

    def __repr__(self):
        return f"MLP(sizes={self.sizes}, activations={self.activation_names})"

    # ---- forward -------------------------------------------------------------------------
    def forward(self, X):
        """Run the batch `X` (n, inputs) through every layer; return the output activations.
        Keeps `zs` and `activations` of every layer for the backward pass."""
        return self._forward(self._check_inputs(X))

    def _forward(self, X):
        self.activations, self.zs = [X], []
        a = X
        for W, b, (f, _) in zip(self.weights, self.biases, self._functions):
            z = a @ W + b
            a = f(z)
            self.zs.append(z)
            self.activations.append(a)
        return a

    predict = forward

    def predict_classes(self, X):
        """The class each example is given: the largest output, or output > 0.5 for one output."""
        out = self.forward(X)
        return (out[:, 0] > 0.5).astype(np.int64) if out.shape[1] == 1 else out.argmax(axis=1)

    # ---- backward ------------------------------------------------------------------------
    def backward(self, output_gradient):
        r"""Backpropagate $\partial L/\partial a^{L}$ (shaped like the last output) through the
        network, using the values kept by the last `forward`. Returns the gradients by name,
        `{"W1": ..., "b1": ..., ...}`, shaped like the parameters."""
        if not hasattr(self, "zs"):
            raise RuntimeError("call forward(X) before backward: backprop reuses its values")
        grad = v.as_array("output_gradient", output_gradient)
        if grad.shape != self.activations[-1].shape:
            raise ValueError(f"output_gradient must be shaped like the last output "
                             f"{self.activations[-1].shape}; got {grad.shape}")
        return self._backward(self._output_delta(grad))

    def _output_delta(self, grad_a):
        f_prime = self._functions[-1][1]
        if self.activation_names[-1] == "softmax":
            return act.softmax_backward(self.activations[-1], grad_a)
        return grad_a * f_prime(self.zs[-1])

    def _backward(self, delta):
        """From the output layer's deltas, walk back layer by layer (the last layer first)."""
        grads = {}
        self.deltas = [None] * len(self.weights)
        for l in range(len(self.weights) - 1, -1, -1):
            self.deltas[l] = delta
            grads[f"W{l + 1}"] = self.activations[l].T @ delta
            grads[f"b{l + 1}"] = delta.sum(axis=0)
            if l > 0:
                f_prime = self._functions[l - 1][1]
                delta = (delta @ self.weights[l].T) * f_prime(self.zs[l - 1])
        return {name: grads[name] for name in self.parameters()}  # in W1, b1, W2, ... order

    def loss_and_gradients(self, X, targets, loss):
        """Forward, loss and backward in one call: returns `(loss_value, gradients)`.

        `loss` is "mse", "binary_cross_entropy" (a sigmoid output, labels 0/1) or
        "cross_entropy" (a softmax output, class labels). For those two pairs the output deltas
        simplify to (output - target) / n, which is both faster and exact where the
        probabilities saturate."""
        X = self._check_inputs(X)
        targets = self._check_targets(targets, loss, len(X))
        return self._loss_and_gradients(X, targets, loss)

    def _loss_and_gradients(self, X, targets, loss):
        out = self._forward(X)
        if loss == "mse":
            delta = self._output_delta(2.0 * (out - targets) / out.size)
        else:
            delta = (out - targets) / out.size if loss == "binary_cross_entropy" \
                else (out - targets) / len(out)
        return loss_value(out, targets, loss), self._backward(delta)

    def loss(self, X, targets, loss):
        """The loss of the network's outputs on `X` against `targets`."""
        X = self._check_inputs(X)
        return loss_value(self._forward(X), self._check_targets(targets, loss, len(X)), loss)

    # ---- parameters ----------------------------------------------------------------------
    def parameters(self):
        """`{"W1": weights[0], "b1": biases[0], ...}`: the arrays themselves, not copies."""
        params = {}
        for l, (W, b) in enumerate(zip(self.weights, self.biases), start=1):
            params[f"W{l}"], params[f"b{l}"] = W, b
        return params

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
        twin = MLP(self.sizes, self.activation_names)
        twin.set_parameters(self.parameters())
        return twin

    # ---- saving and loading ----------------------------------------------------------------
    def save(self, path):
        """Write the architecture and every weight and bias to a `.npz` file (no pickle)."""
        np.savez(path, sizes=np.array(self.sizes), activations=np.array(self.activation_names),
                 **self.parameters())

    def load(self, path):
        """Load weights saved by `save` into this network; the architecture must match."""
        with np.load(path, allow_pickle=False) as stored:
            if "sizes" not in stored.files or "activations" not in stored.files:
                raise ValueError(f"{path} is not a weights file written by MLP.save "
                                 f"(it has {stored.files})")
            sizes, names = stored["sizes"].tolist(), stored["activations"].tolist()
            if sizes != self.sizes or names != self.activation_names:
                raise ValueError(f"{path} holds a network with sizes {sizes} and activations "
                                 f"{names}, but this network has sizes {self.sizes} and "
                                 f"activations {self.activation_names}")
            self.set_parameters({name: stored[name] for name in self.parameters()})
        return self

    @classmethod
    def from_file(cls, path):
        """Build a new network from a file written by `save`."""
        with np.load(path, allow_pickle=False) as stored:
            net = cls(stored["sizes"].tolist(), stored["activations"].tolist())
        return net.load(path)

    # ---- checks ----------------------------------------------------------------------------
    def _check_inputs(self, X):
        X = v.as_array("X", X, allow_1d=True)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (n_examples, {self.sizes[0]}) for a network "
                             f"with {self.sizes[0]} inputs; got shape {X.shape}")
        return X

    def _check_targets(self, targets, loss, n):
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {', '.join(LOSSES)}; got {loss!r}")
        out_name, k = self.activation_names[-1], self.sizes[-1]
        if loss == "cross_entropy":
            if out_name != "softmax":
                raise ValueError(f"loss 'cross_entropy' needs a softmax output layer; this "
                                 f"network's output activation is {out_name!r}")
            labels = v.as_class_labels("targets", targets, k, n)
            one_hot = np.zeros((n, k))
            one_hot[np.arange(n), labels] = 1.0
            return one_hot
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


def loss_value(outputs, targets, loss):
    """The mean loss of checked `outputs` and `targets` (one-hot rows for cross-entropy)."""
    if loss == "cross_entropy":
        return float(-np.sum(targets * np.log(np.clip(outputs, losses.EPS, 1.0))) / len(outputs))
    if loss == "binary_cross_entropy":
        p = np.clip(outputs, losses.EPS, 1 - losses.EPS)
        return float(-np.mean(targets * np.log(p) + (1 - targets) * np.log(1 - p)))
    return float(np.mean((outputs - targets) ** 2))


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
