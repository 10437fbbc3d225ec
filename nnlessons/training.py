r"""Training: mini-batches, epochs, the fit loop, L2 weight decay and early stopping
(lessons 06 and 07).

One **update** takes a mini-batch, computes the gradient of its mean loss and steps every weight
and bias downhill: $w \leftarrow w - \eta\,\partial L/\partial w$. One **epoch** is a pass over all
training examples, in a new random order each time. With L2 weight decay the loss gains
$\tfrac{\lambda}{2}\sum W^2$ (weights only, not biases), so each step also shrinks every weight
by $\eta\lambda W$.
"""
from dataclasses import dataclass, field

import numpy as np

from . import _validate as v
from .network import MLP, loss_value


def minibatches(X, y, batch_size, seed=0, shuffle=True):
    """Yield `(X_batch, y_batch)` pairs covering every example once.

    The order is a fresh random permutation on each call when `shuffle` is on (call once per
    epoch). When `batch_size` does not divide the number of examples, the last batch is smaller;
    it is kept, so no example is skipped. `batch_size` larger than the data gives one full batch.
    """
    n = len(X)
    if len(y) != n:
        raise ValueError(f"X and y must have the same number of examples; got {n} and {len(y)}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number >= 1; got {batch_size!r}")
    order = v.as_rng(seed).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        rows = order[start:start + batch_size]
        yield X[rows], y[rows]


def l2_penalty(net, l2):
    r"""$\tfrac{\lambda}{2}\sum_l \lVert W^l\rVert^2$ over the weights (biases are not decayed)."""
    return 0.5 * l2 * sum(float(np.sum(W * W)) for W in net.weights)


def sgd_step(net, grads, learning_rate, l2=0.0):
    r"""The update rule, for every layer: $W \leftarrow W - \eta(\partial L/\partial W + \lambda W)$,
    $b \leftarrow b - \eta\,\partial L/\partial b$. Changes `net` in place."""
    for l, (W, b) in enumerate(zip(net.weights, net.biases), start=1):
        gW = grads[f"W{l}"] + l2 * W if l2 else grads[f"W{l}"]
        W -= learning_rate * gW
        b -= learning_rate * grads[f"b{l}"]


def accuracy(net, X, y):
    """The share of examples whose predicted class equals the label."""
    y = np.asarray(y).reshape(len(X), -1)[:, 0] if np.ndim(y) > 1 else np.asarray(y)
    return float(np.mean(net.predict_classes(X) == y))


@dataclass
class History:
    """What happened during `fit`, one entry per epoch (and per update for `update_loss`).
    Accuracy lists stay empty for the regression loss "mse"; validation lists stay empty without
    validation data. `best_epoch` counts from 1; `stopped_early` says whether patience ran out."""
    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    update_loss: list = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False
    diverged: bool = False
    message: str = ""

    @property
    def epochs(self):
        return len(self.train_loss)


def fit(net, X, y, loss="cross_entropy", epochs=20, batch_size=32, learning_rate=0.1, l2=0.0,
        validation=None, patience=None, seed=0, shuffle=True, on_epoch_end=None):
    """Train `net` by mini-batch gradient descent and return its `History`.

    - `loss`: "mse", "binary_cross_entropy" or "cross_entropy" (see `MLP.loss_and_gradients`).
    - `validation`: an `(X_val, y_val)` pair scored after every epoch (never trained on).
    - `patience`: with validation data, stop after this many epochs without a lower validation
      loss and put back the weights of the best epoch (early stopping).
    - `seed`: the shuffling order; `on_epoch_end(epoch, history)` is called after each epoch
      (for live plots and progress bars) and may return True to stop.

    Training stops with `history.diverged` set, and the weights of the last finite epoch put back,
    if the loss becomes infinite or NaN: the learning rate is too large.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an nnlessons MLP; got {type(net).__name__}")
    X = net._check_inputs(X)
    targets = net._check_targets(y, loss, len(X))
    if validation is not None:
        if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
            raise ValueError("validation must be a pair (X_val, y_val)")
        X_val = net._check_inputs(validation[0])
        targets_val = net._check_targets(validation[1], loss, len(X_val))
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1; got {value!r}")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive number; got {learning_rate!r}")
    if not (np.isfinite(l2) and l2 >= 0):
        raise ValueError(f"l2 must be a number >= 0; got {l2!r}")
    if patience is not None and validation is None:
        raise ValueError("patience (early stopping) needs validation data: pass validation=(X, y)")

    rng = v.as_rng(seed)
    classify = loss != "mse"
    labels = targets.argmax(axis=1) if loss == "cross_entropy" else targets
    labels_val = None
    if validation is not None:
        labels_val = targets_val.argmax(axis=1) if loss == "cross_entropy" else targets_val
    history = History()
    best_loss, best_params, waited = np.inf, None, 0
    last_good = _snapshot(net)

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(1, epochs + 1):
            for X_batch, t_batch in minibatches(X, targets, batch_size, rng, shuffle):
                value, grads = net._loss_and_gradients(X_batch, t_batch, loss)
                history.update_loss.append(value + (l2_penalty(net, l2) if l2 else 0.0))
                sgd_step(net, grads, learning_rate, l2)

            train_loss, train_accuracy = _score(net, X, targets, labels, loss)
            if not (np.isfinite(train_loss) and all(np.all(np.isfinite(p)) for p in net.parameters().values())):
                history.diverged = True
                history.message = (f"training diverged in epoch {epoch}: the loss became "
                                   f"infinite or NaN. The learning rate {learning_rate:g} is too large; "
                                   f"the weights of epoch {epoch - 1} were put back.")
                net.set_parameters(last_good)
                break
            last_good = _snapshot(net)
            history.train_loss.append(train_loss)
            if classify:
                history.train_accuracy.append(train_accuracy)
            if validation is not None:
                val_loss, val_accuracy = _score(net, X_val, targets_val, labels_val, loss)
                history.val_loss.append(val_loss)
                if classify:
                    history.val_accuracy.append(val_accuracy)
                if val_loss < best_loss:
                    best_loss, waited, history.best_epoch = val_loss, 0, epoch
                    best_params = _snapshot(net)
                else:
                    waited += 1
            if on_epoch_end is not None and on_epoch_end(epoch, history):
                history.message = f"stopped by on_epoch_end after epoch {epoch}"
                break
            if patience is not None and waited >= patience:
                history.stopped_early = True
                history.message = (f"early stopping: no lower validation loss for {patience} "
                                   f"epochs after epoch {history.best_epoch}; its weights were "
                                   f"put back.")
                net.set_parameters(best_params)
                break
    if not history.message:
        history.message = f"trained {history.epochs} epochs"
    return history


def _snapshot(net):
    """A copy of every parameter, to put back later (best epoch, last finite epoch)."""
    return {name: p.copy() for name, p in net.parameters().items()}


def _score(net, X, targets, labels, loss):
    """Loss and accuracy (None for "mse") of checked data, from one forward pass."""
    out = net._forward(X)
    if loss == "mse":
        return loss_value(out, targets, loss), None
    predicted = out.argmax(axis=1) if loss == "cross_entropy" else (out > 0.5)
    return loss_value(out, targets, loss), float(np.mean(predicted == labels))
