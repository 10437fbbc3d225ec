r"""Training: mini-batches, epochs, the fit loop, L2 weight decay and early stopping
(lessons 06 and 07).

One **update** takes a mini-batch, computes the gradient of its mean loss and steps every weight
and bias downhill: $w \leftarrow w - \eta\,\partial L/\partial w$. One **epoch** is a pass over all
training examples, in a new random order each time (`train_epoch`). With L2 weight decay the loss
gains $\tfrac{\lambda}{2}\sum W^2$ (weights only, not biases), so each step also shrinks every
weight by $\eta\lambda W$.

`fit` repeats epochs and, after each, scores the network (`score`) and decides whether to stop:
early stopping when the validation loss has not improved for `patience` epochs, or divergence
(`diverged`) when the learning rate is so large that the weights blow up. Its hooks are for
watching and steering a run: `on_update` sees every update, `on_epoch_end` every epoch, and
`learning_rate` may be a schedule such as `decay(0.5, 0.9)`.
"""
import math
from dataclasses import dataclass, field

import numpy as np

from . import _validate as v
from .network import MLP, _parts

# A weight or bias larger than this in size means training has blown up (see `diverged`).
LIMIT = 1e6


def minibatches(X, y, batch_size, seed=0, shuffle=True):
    """Yield `(X_batch, y_batch)` pairs covering every example once.

    The order is a fresh random permutation on each call when `shuffle` is on (call once per
    epoch). When `batch_size` does not divide the number of examples, the last batch is smaller;
    it is kept, so no example is skipped. `batch_size` larger than the data gives one full batch.
    The batches are slices (views) of one shuffled copy of `X` and `y`, or of `X` and `y`
    themselves without `shuffle`.
    """
    n = len(X)
    if len(y) != n:
        raise ValueError(f"X and y must have the same number of examples; got {n} and {len(y)}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number >= 1; got {batch_size!r}")
    if shuffle:
        # the shuffled copy is made once per epoch, and each mini-batch is a slice of it: one
        # gather of every row instead of one per mini-batch (a gather costs microseconds even
        # for a few rows, a slice nothing)
        order = v.as_rng(seed).permutation(n)
        X, y = X.take(order, axis=0), y.take(order, axis=0)  # X[order], in half the time
    for start in range(0, n, batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]


def l2_penalty(net, l2):
    r"""$\tfrac{\lambda}{2}\sum_l \lVert W^l\rVert^2$ over the weights (biases are not decayed)."""
    return 0.5 * l2 * sum(float(np.sum(W * W)) for W in net.weights) if l2 else 0.0


def sgd_step(net, grads, learning_rate, l2=0.0, scratch=None):
    r"""The update rule, for every layer: $W \leftarrow W - \eta(\partial L/\partial W + \lambda W)$,
    $b \leftarrow b - \eta\,\partial L/\partial b$. Changes `net` in place.

    `scratch`, if given, is where the steps are computed (`_Scratch`): the training loop makes
    it once, so no step makes a new array."""
    scratch = scratch or _Scratch(net)
    vector = net._parameter_vector()
    if vector is not None and not l2 and grads is scratch.gradients:
        # the whole step in two numpy calls: the gradients are the parts of one flat vector
        # laid out like the parameters' own (the loop's backward pass wrote them there), and
        # at a batch of 32 a numpy call costs more than its arithmetic
        np.multiply(scratch.gradient_vector, learning_rate, out=scratch.step_vector)
        vector -= scratch.step_vector
        return
    params = net.parameters()
    for name, p in params.items():
        step = scratch.steps[name]
        if l2 and name.startswith("W"):
            np.multiply(p, l2, out=step)
            step += grads[name]              # the gradient plus the decay, lambda W
            step *= learning_rate
        else:
            np.multiply(grads[name], learning_rate, out=step)
    if vector is not None:
        vector -= scratch.step_vector        # one subtraction for all: laid out alike
    else:
        for name, p in params.items():
            p -= scratch.steps[name]         # in place: the network's own arrays move


class _Scratch:
    """Where the training loop writes each update's gradients and steps, made once for a
    network, so no update makes a new array: each as arrays by name, shaped like the
    parameters, which are the parts of one flat vector laid out like the network's vector of
    parameters (`MLP._new_gradients`). `sgd_step` moves the parameters by the whole step
    vector at once, and after the step `_all_within` reuses it."""

    def __init__(self, net):
        self.gradients, self.gradient_vector = net._new_gradients()
        self.steps, self.step_vector = net._new_gradients()

    def frozen_gradients(self):
        """A read-only copy of this update's gradients, by name, for `on_update`: the loop
        writes the next update's gradients into its own arrays, and the step is taken from
        those, so a hook that could write into what it is given would change nothing."""
        vector = self.gradient_vector.copy()
        vector.setflags(write=False)  # its parts, views of it, are read-only too
        shapes = [g.shape for g in self.gradients.values()]
        return dict(zip(self.gradients, _parts(vector, shapes)))


def diverged(net, limit=LIMIT):
    r"""Has training blown up? True when any weight or bias is NaN, infinite, or larger than
    `limit` (a million) in size.

    A loss alone does not tell: a cross-entropy computed from the logits stays finite however
    far the weights run off. Weights past a million mean every step overshoots by more than it
    corrects (the learning rate is too large); no network of this course, trained on data of
    ordinary size, comes near them."""
    return not _all_within(net, _Scratch(net), limit)


def _all_within(net, scratch, limit):
    """Every entry of every parameter finite and at most `limit` in size (`not diverged`): the
    sizes |p| of all parameters are written side by side into the step vector of `_Scratch`
    (the training loop's, free again once the step is taken), and its largest entry says so
    (NaN makes the max NaN and the comparison False). Where the parameters are the parts of
    the network's one vector, that is one pass for all of them, else one per parameter; one
    max in all: at a batch of 32 a numpy call costs more than its arithmetic. Not a BLAS dot
    product, whose worker threads would have to wake up for it after every update."""
    vector = net._parameter_vector()
    if vector is not None:
        np.abs(vector, out=scratch.step_vector)
    else:
        for name, p in net.parameters().items():
            np.abs(p, out=scratch.steps[name])
    return scratch.step_vector.max() <= limit


@dataclass(frozen=True, eq=False)
class Update:
    """One update, as `on_update` sees it: after the gradients of the mini-batch `X`, `targets`
    were computed and before the step. `gradients` is a read-only copy: a hook watches the
    step, it does not change it. `epoch` counts from 1, `step` (the updates before this
    one) from 0; `loss` is the mini-batch's loss (with the L2 penalty) at the current weights."""
    epoch: int
    step: int
    X: np.ndarray
    targets: np.ndarray
    loss: float
    gradients: dict
    learning_rate: float


def train_epoch(net, X, targets, loss, learning_rate, batch_size, rng, l2=0.0, shuffle=True,
                on_update=None, epoch=1, step=0):
    r"""One epoch of mini-batch gradient descent: for each mini-batch of a fresh shuffle drawn
    from `rng`, the loss and its gradients at the current weights, then one step downhill
    (`sgd_step`). Returns the mini-batches' losses (each with its L2 penalty, before its step).

    `on_update(update)`, if given, is called for each update just before its step with an
    `Update`, while `net` still holds the weights the gradients belong to (and the `zs`,
    `activations` and `deltas` of that mini-batch). `epoch` and `step` only number what it sees.
    The epoch ends early after a step that makes the weights diverge (see `diverged`), so no
    forward pass ever runs on exploded weights.
    """
    X = net.check_inputs(X)
    targets = net.check_targets(targets, loss, len(X))
    _check_rate(learning_rate)
    return _train_epoch(net, X, targets, loss, learning_rate, batch_size, rng, l2, shuffle,
                        on_update, epoch, step)[0]


def _train_epoch(net, X, targets, loss, learning_rate, batch_size, rng, l2, shuffle, on_update,
                 epoch, step, scratch=None):
    """`train_epoch` on data already checked (by `fit`, once for every epoch). Returns the
    losses and whether the weights diverged. `scratch`: where each update's gradients and
    steps are computed (`_Scratch`), made here unless given."""
    batch_losses, blew_up = [], False
    scratch = scratch or _Scratch(net)
    for X_batch, t_batch in minibatches(X, targets, batch_size, rng, shuffle):
        value, grads = net._loss_and_gradients(X_batch, t_batch, loss, scratch.gradients)
        value += l2_penalty(net, l2)
        if on_update is not None:
            on_update(Update(epoch, step + len(batch_losses), X_batch, t_batch, value,
                             scratch.frozen_gradients(), learning_rate))
        batch_losses.append(value)
        sgd_step(net, grads, learning_rate, l2, scratch)
        if not _all_within(net, scratch, LIMIT):  # diverged(net)
            blew_up = True
            break
    return batch_losses, blew_up


def accuracy(net, X, y):
    """The share of examples whose predicted class equals the label (class labels (n,), a
    column (n, 1) of 0/1 labels, or one-hot rows)."""
    predicted = net.predict_classes(X)
    labels = np.asarray(y)
    if labels.ndim == 2:
        labels = labels[:, 0] if labels.shape[1] == 1 else labels.argmax(axis=1)
    if labels.shape != predicted.shape:
        raise ValueError(f"y must hold one label per example of X, shape ({len(predicted)},); "
                         f"got shape {np.shape(y)}")
    return float(np.mean(predicted == labels))


def score(net, X, targets, loss):
    """The loss of `net` on `X` and its accuracy, from one forward pass, as `fit` records them
    after every epoch. The accuracy is None for "mse" and for several sigmoid outputs (several
    yes/no answers per example are not one class)."""
    X = net.check_inputs(X)
    return _score(net, X, net.check_targets(targets, loss, len(X)), loss)


def _score(net, X, targets, loss):
    """`score` of data already checked (`fit` checks its data once). Keeps nothing, like
    `MLP.loss`: the whole data's sums and activations go as soon as the score is taken."""
    _, activations, value = net._forward_and_loss(X, targets, loss, keep=False)
    outputs = activations[-1]
    if loss == "mse" or outputs.shape[1] > 1 and loss == "binary_cross_entropy":
        return value, None
    if loss == "cross_entropy":
        return value, _share(outputs.argmax(axis=1) == targets)
    return value, _share((outputs[:, 0] > 0.5) == targets[:, 0])


def _share(hits):
    """The share of True in `hits`: `np.mean(hits)`, without its few microseconds per call."""
    return int(np.count_nonzero(hits)) / hits.size


def decay(rate, factor):
    r"""A learning-rate schedule for `fit`: $\eta_e = \eta\,\gamma^{\,e-1}$ in epoch
    $e = 1, 2, \dots$, the rate `rate` shrunk by `factor` every epoch.

    With a fixed rate stochastic updates never settle: each mini-batch's gradient points a
    little off the full one, so the weights keep jittering around the minimum, the further the
    larger the rate. A shrinking rate lets the jitter die down."""
    _check_rate(rate)
    if not 0 < factor <= 1:
        raise ValueError(f"factor must be in (0, 1]: the rate shrinks, or stays with 1; got "
                         f"{factor!r}")

    def schedule(epoch):
        return rate * factor ** (epoch - 1)
    return schedule


@dataclass
class History:
    """What happened during `fit`, one entry per epoch (and per update for `update_loss`).
    Accuracy lists stay empty where `score` gives none; validation lists stay empty without
    validation data. `learning_rates` holds each epoch's rate (a schedule changes it).
    `best_epoch` (lowest validation loss) counts from 1; `stopped_early` says whether patience
    ran out, `diverged` whether the weights blew up."""
    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    update_loss: list = field(default_factory=list)
    learning_rates: list = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False
    diverged: bool = False
    message: str = ""

    @property
    def epochs(self):
        return len(self.train_loss)


def fit(net, X, y, loss="auto", epochs=20, batch_size=32, learning_rate=0.1, l2=0.0,
        validation=None, patience=None, seed=0, shuffle=True, on_epoch_end=None,
        on_update=None):
    """Train `net` by mini-batch gradient descent and return its `History`.

    - `loss`: "mse", "binary_cross_entropy" or "cross_entropy" (see `MLP.loss_and_gradients`);
      "auto" takes the one that suits the output layer: cross-entropy for softmax, binary
      cross-entropy for sigmoid, mse otherwise.
    - `learning_rate`: a number, or a schedule: a function of the epoch (1, 2, ...) that returns
      its rate, such as `decay(0.5, 0.9)`.
    - `validation`: an `(X_val, y_val)` pair scored after every epoch (never trained on).
    - `patience`: with validation data, stop after this many epochs without a lower validation
      loss and put back the weights of the best epoch (early stopping).
    - `seed`: the shuffling order. `on_update(update)` is called before every step (see
      `train_epoch`); `on_epoch_end(epoch, history)` after each epoch (for live plots and
      progress bars; `len(history.update_loss)` counts the updates so far) and may return True
      to stop.

    Training stops with `history.diverged` set, and the weights of the last good epoch put back,
    when a weight or bias grows past a million or turns infinite or NaN (`diverged`), or the
    loss does: the learning rate is too large.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an nnlessons MLP; got {type(net).__name__}")
    loss = _loss_for(net, loss)
    X = net.check_inputs(X)
    targets = net.check_targets(y, loss, len(X))
    if validation is not None:
        if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
            raise ValueError("validation must be a pair (X_val, y_val)")
        X_val = net.check_inputs(validation[0])
        validation = X_val, net.check_targets(validation[1], loss, len(X_val))
    _check_settings(epochs, batch_size, learning_rate, l2, patience, validation)

    rng = v.as_rng(seed)
    history = History()
    # the weights to put back after divergence (the last good epoch's), or when patience runs
    # out (the best epoch's): copied after every epoch into these arrays, made once
    last_good = _snapshot(net)
    best = _snapshot(net) if patience is not None else None
    scratch = _Scratch(net)  # where every update's gradients and steps are computed
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(1, epochs + 1):
            # 1. one epoch of mini-batch updates, at this epoch's learning rate
            rate = _rate_in(learning_rate, epoch)
            history.learning_rates.append(rate)
            batch_losses, blew_up = _train_epoch(net, X, targets, loss, rate, batch_size, rng,
                                                 l2, shuffle, on_update, epoch,
                                                 len(history.update_loss), scratch)
            history.update_loss += batch_losses
            # 2. scoring on the training and validation data, unless the weights blew up
            if blew_up or not _score_epoch(history, net, loss, (X, targets), validation):
                history.diverged = True
                stop = _divergence_message(epoch, rate), last_good
            else:
                _copy_into(last_good, net)
                if best is not None and history.best_epoch == epoch:
                    _copy_into(best, net)
                # 3. early stopping, or a stop asked for by on_epoch_end
                stop = _reason_to_stop(history, epoch, patience, on_epoch_end, best)
            if stop is not None:  # stop, and put back the weights the reason names
                history.message, put_back = stop
                if put_back is not None:
                    net.set_parameters(put_back)
                break
    if not history.message:
        history.message = f"trained {history.epochs} epochs"
    return history


def _score_epoch(history, net, loss, training, validation):
    """Record an epoch's scores in `history`, and mark it as `best_epoch` when its validation
    loss is the lowest so far. Records nothing, and returns False, if the training loss is not
    finite."""
    train_loss, train_accuracy = _score(net, *training, loss)
    if not math.isfinite(train_loss):
        return False
    _record(history.train_loss, history.train_accuracy, train_loss, train_accuracy)
    if validation is not None:
        _record(history.val_loss, history.val_accuracy, *_score(net, *validation, loss))
        if history.best_epoch is None or \
                history.val_loss[-1] < history.val_loss[history.best_epoch - 1]:
            history.best_epoch = history.epochs
    return True


def _divergence_message(epoch, rate):
    kept = f"epoch {epoch - 1}" if epoch > 1 else "the start"
    return (f"training diverged in epoch {epoch}: the weights grew past a million or the loss "
            f"became infinite or NaN. The learning rate {rate:g} is too large; the weights of "
            f"{kept} were put back.")


def _reason_to_stop(history, epoch, patience, on_epoch_end, best):
    """`(message, weights to put back or None)` when training should stop after `epoch`,
    else None."""
    if on_epoch_end is not None and on_epoch_end(epoch, history):
        return f"stopped by on_epoch_end after epoch {epoch}", None
    if patience is not None and epoch - (history.best_epoch or 0) >= patience:
        history.stopped_early = True
        return (f"early stopping: no lower validation loss for {patience} epochs after epoch "
                f"{history.best_epoch}; its weights were put back.", best)
    return None


def _record(losses, accuracies, loss, accuracy_or_none):
    losses.append(loss)
    if accuracy_or_none is not None:
        accuracies.append(accuracy_or_none)


def _snapshot(net):
    """A copy of every parameter, to put back later (best epoch, last good epoch)."""
    return {name: p.copy() for name, p in net.parameters().items()}


def _copy_into(snapshot, net):
    """Overwrite a `_snapshot` with the network's parameters now: no new arrays."""
    for name, p in net.parameters().items():
        snapshot[name][...] = p


def _loss_for(net, loss):
    """The loss "auto" stands for: the one that suits the network's output layer."""
    if loss != "auto":
        return loss
    return {"softmax": "cross_entropy", "sigmoid": "binary_cross_entropy"}.get(
        net.activation_names[-1], "mse")


def _rate_in(learning_rate, epoch):
    """The learning rate of `epoch`: the number itself, or what the schedule returns."""
    if not callable(learning_rate):
        return learning_rate
    rate = learning_rate(epoch)
    _check_rate(rate, f" (the schedule's rate for epoch {epoch})")
    return float(rate)


def _check_rate(rate, which=""):
    if isinstance(rate, bool) or not isinstance(rate, (int, float, np.integer, np.floating)) \
            or not (np.isfinite(rate) and rate > 0):
        raise ValueError(f"learning_rate must be a positive number{which}; got {rate!r}")


def _check_settings(epochs, batch_size, learning_rate, l2, patience, validation):
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1; got {value!r}")
    if not callable(learning_rate):
        _check_rate(learning_rate)
    if not (np.isfinite(l2) and l2 >= 0):
        raise ValueError(f"l2 must be a number >= 0; got {l2!r}")
    if patience is not None and validation is None:
        raise ValueError("patience (early stopping) needs validation data: pass validation=(X, y)")
