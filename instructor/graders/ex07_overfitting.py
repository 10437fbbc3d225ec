"""Hidden tests of exercise notebook 07_overfitting, with the reference answers they compare
with. INSTRUCTOR ONLY: never give this file to learners (see instructor/README.md)."""
import numpy as np

from nnlessons.grading.suite import Suite
from nnlessons.grading.suites.ex07_overfitting import check_pair, check_step, check_stop

suite = Suite("07_overfitting")


def network(seed, sizes=(2, 3, 1), scale=1.0):
    """A parameter dict {"W1", "b1", "W2", "b2", ...} for layers of the given sizes."""
    rng = np.random.default_rng(seed)
    params = {}
    for layer, (m, h) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{layer}"] = rng.normal(0.0, scale, size=(m, h))
        params[f"b{layer}"] = rng.normal(0.0, scale, size=h)
    return params


def reference_standardize(X_train, X_test):
    """Column statistics of the training rows only; a constant column is divided by 1."""
    X_train, X_test = np.asarray(X_train, dtype=float), np.asarray(X_test, dtype=float)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return (X_train - mean) / std, (X_test - mean) / std


def reference_penalty(params, lam):
    return 0.5 * lam * sum(float(np.sum(np.square(np.asarray(value, dtype=float))))
                           for name, value in params.items() if name.startswith("W"))


def reference_step(params, grads, learning_rate, lam):
    new = {}
    for name, value in params.items():
        value = np.asarray(value, dtype=float)
        step = np.asarray(grads[name], dtype=float)
        if name.startswith("W"):
            step = step + lam * value
        new[name] = value - learning_rate * step
    return new


def reference_stop(val_losses, patience):
    """The rule of nnlessons.training.fit: a strictly lower loss is a new best and resets the
    wait; stop after the first epoch whose wait has reached the patience. best_epoch is 0 when
    no loss is below infinity (the exercise's docstring says so)."""
    best, best_epoch, waited = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
        if waited >= patience:
            return epoch, best_epoch
    return len(val_losses), best_epoch


def same_pair(expect, got, X_train, X_test, inputs, hint=None):
    check_pair(expect, got, *reference_standardize(X_train, X_test), inputs, hint)


def same_stop(expect, got, val_losses, patience, inputs, hint=None):
    check_stop(expect, got, reference_stop(val_losses, patience), inputs, hint)


# --- standardize(X_train, X_test) -> (Z_train, Z_test) ----------------------------------------

@suite.test(function="standardize", points=2, hidden=True,
            case="a value exactly at a boundary: a feature that never changes in the training set",
            hint="a std of 0 gives 0 / 0 = NaN: divide by 1 where the std is 0 (np.where(std > "
                 "0, std, 1.0))")
def constant_feature(student, expect):
    """A column that never changes in the training set (std 0) is divided by 1, not by 0."""
    X_train = np.array([[1.0, 5.0], [2.0, 5.0], [4.0, 5.0]])
    X_test = np.array([[3.0, 5.0], [0.0, 7.0]])
    inputs = "the second column of X_train is 5 everywhere"
    got = student.standardize(X_train, X_test)
    expect.true(isinstance(got, (tuple, list)) and len(got) == 2,
                "standardize should return two arrays: (Z_train, Z_test)", inputs=inputs)
    for name, value in zip(("Z_train", "Z_test"), got):
        expect.finite(value, inputs=inputs, what=name,
                      hint="a std of 0 gives 0 / 0 = NaN: use 1 instead where the std is 0 "
                           "(np.where(std > 0, std, 1.0))")
    same_pair(expect, got, X_train, X_test, inputs,
              hint="where the std is 0, divide by 1: the column becomes x - mean")


@suite.test(function="standardize", points=1, hidden=True,
            case="integer inputs",
            hint="convert first: np.asarray(X, dtype=float); an integer array cannot hold the "
                 "rescaled values")
def standardize_integer_inputs(student, expect):
    X_train = np.array([[1, 100], [3, 300], [8, 200]])
    X_test = np.array([[2, 250]])
    inputs = "integer arrays X_train = [[1, 100], [3, 300], [8, 200]], X_test = [[2, 250]]"
    got = student.standardize(X_train, X_test)
    expect.true(isinstance(got, (tuple, list)) and len(got) == 2,
                "standardize should return two arrays: (Z_train, Z_test)", inputs=inputs)
    for name, value in zip(("Z_train", "Z_test"), got):
        expect.dtype(value, "f", inputs=inputs, what=name,
                     hint="convert first: np.asarray(X, dtype=float); an integer array "
                          "cannot hold the rescaled values")
    same_pair(expect, got, X_train, X_test, inputs)


@suite.test(function="standardize", points=1, hidden=True,
            case="a batch of one example: a test set of a single example, and more test rows than "
                 "training rows",
            hint="always use the statistics of X_train, whatever the sizes: a single test row "
                 "must not be standardised by its own statistics")
def one_test_row(student, expect):
    """A test set of one example, more training rows than test rows and the reverse."""
    rng = np.random.default_rng(71)
    X_train, X_test = rng.normal(3.0, 2.0, size=(7, 4)), rng.normal(size=(1, 4))
    same_pair(expect, student.standardize(X_train, X_test), X_train, X_test,
              "X_train (7, 4), X_test (1, 4)",
              hint="a single test row must not be standardised by its own statistics")
    X_train, X_test = rng.normal(size=(2, 3)), rng.normal(size=(9, 3))
    same_pair(expect, student.standardize(X_train, X_test), X_train, X_test,
              "X_train (2, 3), X_test (9, 3)")


@suite.test(function="standardize", points=1, hidden=True,
            case="your function changed its input",
            hint="(X - mean) / std makes a new array; X -= mean changes the caller's")
def standardize_leaves_inputs_alone(student, expect):
    rng = np.random.default_rng(72)
    X_train, X_test = rng.normal(5.0, 3.0, size=(6, 2)), rng.normal(5.0, 3.0, size=(3, 2))
    _, changed = student.standardize.call_checking_inputs(X_train, X_test)
    expect.unchanged(changed, inputs="X_train (6, 2), X_test (3, 2)",
                     hint="(X - mean) / std makes a new array; X -= mean changes the caller's")


# --- l2_penalty(params, lam) -> float ---------------------------------------------------------

@suite.test(function="l2_penalty", points=1, hidden=True,
            case="nothing to do: a penalty that must be 0 (no strength, no weights, no "
                 "parameters)",
            hint="biases are not penalised, and the sum of no squares is 0")
def penalty_of_nothing(student, expect):
    """lam = 0, a network of biases only, and an empty dict: all 0."""
    params = network(74)
    expect.close(student.l2_penalty(params, 0.0), 0.0, inputs="a 2-3-1 network, lam = 0")
    expect.close(student.l2_penalty({"b1": np.array([3.0, -4.0])}, 0.5), 0.0,
                 inputs='params = {"b1": [3, -4]} (no weights), lam = 0.5',
                 hint="biases are not penalised, so without weights the penalty is 0")
    expect.close(student.l2_penalty({}, 0.5), 0.0, inputs="params = {}, lam = 0.5",
                 hint="the sum of no squares is 0")


@suite.test(function="l2_penalty", points=1, hidden=True,
            case="integer inputs: three layers of integer weights",
            hint="go through every entry whose name starts with 'W', not just W1 and W2, and "
                 "square them as floats")
def penalty_three_layers_integers(student, expect):
    """Any number of layers; integer weights."""
    params = {"W1": np.array([[1, -2, 3]]), "b1": np.array([1, 1, 1]),
              "W2": np.array([[2], [0], [-1]]), "b2": np.array([4]),
              "W3": np.array([[5]]), "b3": np.array([-6])}
    expect.close(student.l2_penalty(params, 1), reference_penalty(params, 1),
                 inputs="integer weights in three layers W1, W2, W3, lam = 1",
                 hint="loop over every entry of the dict whose name starts with 'W', "
                      "not just W1 and W2")


@suite.test(function="l2_penalty", points=1, hidden=True,
            case="your function changed its input",
            hint="square copies (np.square(W)); do not change the arrays in params")
def penalty_leaves_params_alone(student, expect):
    _, changed = student.l2_penalty.call_checking_inputs(network(75), 0.3)
    expect.unchanged(changed, inputs="a 2-3-1 network, lam = 0.3")


# --- decay_step(params, grads, learning_rate, lam) -> dict -------------------------------------

@suite.test(function="decay_step", points=1, hidden=True,
            case="nothing to do: no decay (lam = 0)",
            hint="with lam = 0 this is the plain update w - learning_rate * grad")
def no_decay_is_a_plain_step(student, expect):
    params, grads = network(79, (3, 2, 2)), network(80, (3, 2, 2))
    want = {name: value - 0.3 * grads[name] for name, value in params.items()}
    check_step(expect, student.decay_step(params, grads, 0.3, 0.0), want,
               "a 3-2-2 network, learning_rate = 0.3, lam = 0",
               hint="with lam = 0 this is the plain update w - learning_rate * grad")


@suite.test(function="decay_step", points=1, hidden=True,
            case="ordinary inputs of another size: a network with three layers",
            hint="go through every entry of params: the names starting with 'W' decay, the "
                 "others do not")
def decay_any_parameter_names(student, expect):
    params, grads = network(81, (2, 4, 3, 1)), network(82, (2, 4, 3, 1))
    check_step(expect, student.decay_step(params, grads, 0.05, 0.01),
               reference_step(params, grads, 0.05, 0.01),
               "a three-layer network: W1, b1, W2, b2, W3, b3, learning_rate = 0.05, lam = 0.01",
               hint="loop over every entry of params: the names starting with 'W' decay")


@suite.test(function="decay_step", points=1, hidden=True,
            case="integer inputs: integer parameters",
            hint="the new values are not whole numbers: build new float arrays (w - lr * g), do "
                 "not write into integer ones")
def decay_integer_parameters(student, expect):
    params = {"W1": np.array([[2, -4]]), "b1": np.array([1, 3])}
    grads = {"W1": np.array([[1, 1]]), "b1": np.array([2, -2])}
    inputs = "integer arrays W1 = [[2, -4]], b1 = [1, 3], grads [[1, 1]] and [2, -2], " \
             "learning_rate = 0.5, lam = 0.1"
    got = student.decay_step(params, grads, 0.5, 0.1)
    check_step(expect, got, reference_step(params, grads, 0.5, 0.1), inputs,
               hint="the new values are not whole numbers: build new float arrays "
                    "(w - lr * g), do not write into integer ones")


@suite.test(function="decay_step", points=1, hidden=True,
            case="your function changed its input",
            hint="return new arrays (w - lr * g) instead of changing w in place (w -= ...): the "
                 "caller may still need the old weights")
def decay_step_leaves_inputs_alone(student, expect):
    params, grads = network(83), network(84)
    _, changed = student.decay_step.call_checking_inputs(params, grads, 0.1, 0.01)
    expect.unchanged(changed, inputs="a 2-3-1 network, learning_rate = 0.1, lam = 0.01",
                     hint="return new arrays (w - lr * g) instead of changing w in place "
                          "(w -= ...): the caller may still need the old weights")


# --- early_stopping(val_losses, patience) -> (stop_epoch, best_epoch) -------------------------

@suite.test(function="early_stopping", points=1, hidden=True,
            case="a value exactly at a boundary: equal losses (ties)",
            hint="only a loss strictly lower than the best so far is a new best (<, not <=): an "
                 "equal loss is an epoch without improvement")
def ties_keep_the_first_best(student, expect):
    losses = [1.0, 0.5, 0.5, 0.5, 0.6, 0.4]
    same_stop(expect, student.early_stopping(losses, 2), losses, 2,
              f"val_losses = {losses}, patience = 2",
              hint="only a loss strictly lower than the best so far is a new best (<, not "
                   "<=): an equal loss is an epoch without improvement")


@suite.test(function="early_stopping", points=1, hidden=True,
            case="ordinary inputs of another size: a patience that never runs out",
            hint="if the wait never reaches the patience, training ends after the last epoch: "
                 "stop_epoch = len(val_losses)")
def patience_longer_than_the_history(student, expect):
    """Patience never runs out: stop after the last epoch."""
    losses = [0.5, 0.4, 0.45, 0.5]
    same_stop(expect, student.early_stopping(losses, 10), losses, 10,
              f"val_losses = {losses}, patience = 10",
              hint="if the wait never reaches the patience, training ends after the last "
                   "epoch: stop_epoch = len(val_losses)")
    falling = [0.9, 0.8, 0.7, 0.6, 0.5]
    same_stop(expect, student.early_stopping(falling, 2), falling, 2,
              f"val_losses = {falling} (always falling), patience = 2")


@suite.test(function="early_stopping", points=1, hidden=True,
            case="a value exactly at a boundary: patience 0, and a history of one epoch",
            hint="with patience 0 the wait (0) has already reached it after the first epoch")
def patience_zero_and_one_epoch(student, expect):
    """Patience 0 stops after epoch 1; a history of one epoch stops there."""
    losses = [0.5, 0.4, 0.3]
    same_stop(expect, student.early_stopping(losses, 0), losses, 0,
              f"val_losses = {losses}, patience = 0",
              hint="with patience 0 the wait (0) has already reached it after the first epoch")
    same_stop(expect, student.early_stopping([0.7], 3), [0.7], 3,
              "val_losses = [0.7], patience = 3")


@suite.test(function="early_stopping", points=1, hidden=True,
            case="integer inputs: losses given as a NumPy array of integers",
            hint="the same rule as for a list of floats: a strictly lower loss is a new best, "
                 "epochs count from 1")
def integer_losses_in_an_array(student, expect):
    losses = np.array([5, 3, 4, 4, 2, 6, 7])
    same_stop(expect, student.early_stopping(losses, 2), losses.tolist(), 2,
              "val_losses = np.array([5, 3, 4, 4, 2, 6, 7]) (integers), patience = 2",
              hint="the same rule as for a list of floats: a strictly lower loss is a new "
                   "best, epochs count from 1")


@suite.test(function="early_stopping", points=1, hidden=True,
            case="an argument that must be refused: an empty list of losses",
            hint="there is no answer without any epoch: raise a ValueError with a message saying "
                 "so")
def empty_history_raises(student, expect):
    """No epochs at all: a ValueError with a message, not an answer."""
    expect.raises(lambda: student.early_stopping([], 3), "ValueError",
                  inputs="val_losses = [], patience = 3",
                  hint='if len(val_losses) == 0: raise ValueError("val_losses is empty: '
                       'it needs the loss of at least one epoch")')


@suite.test(function="early_stopping", points=1, hidden=True,
            case="your function changed its input",
            hint="do not sort or pop the caller's list: go through it with a loop")
def early_stopping_leaves_input_alone(student, expect):
    losses = [0.8, 0.6, 0.7, 0.5, 0.9, 0.9, 0.95]
    _, changed = student.early_stopping.call_checking_inputs(losses, 2)
    expect.unchanged(changed, inputs=f"val_losses = {losses}, patience = 2",
                     hint="do not sort or pop the caller's list: go through it with a loop")


@suite.test(function="early_stopping", points=1, hidden=True,
            case="very large inputs: losses that are never below infinity (inf and NaN)",
            hint="see what the docstring says of losses never below infinity; start from "
                 "best_loss = inf and count every epoch whose loss is not strictly lower as a "
                 "wait, the first epoch too")
def early_stopping_no_finite_loss(student, expect):
    # No loss is below inf (a NaN is below nothing): no best epoch (0), and the wait starts at
    # 0, so with patience 2 training stops after epoch 2.
    losses = [np.inf, np.nan, np.inf]
    same_stop(expect, student.early_stopping(losses, 2), losses, 2,
              "val_losses = [inf, nan, inf], patience = 2",
              hint="start from best_loss = inf, best_epoch = 0 and a wait of 0: a NaN is "
                   "below nothing, so no epoch becomes the best")


# --- my_choice() -> {"learning_rate", "epoch", "why"} -----------------------------------------

import threading  # noqa: E402

from nnlessons import MLP, data, fit  # noqa: E402
from nnlessons.grading.suites.ex07_overfitting import (  # noqa: E402
    CHOICE_EPOCHS, CHOICE_RATES, check_epoch_against, check_rate_against, checked_choice)

_curves = {}
# `grade --jobs N` grades submissions on threads that share this module: one of them trains the
# curves while the others wait, so none judges a choice on a half-filled set of curves
_curves_lock = threading.Lock()


def choice_curves():
    """The notebook's validation curves, recomputed here (the same data, network and seeds)."""
    with _curves_lock:
        if not _curves:
            X_train, y_train = data.noisy_curve(20, 0.3, seed=0)
            X_val, y_val = data.noisy_curve(60, 0.3, seed=10)
            scaler = data.Standardizer().fit(X_train)
            curves = {}
            for rate in CHOICE_RATES:
                net = MLP([1, 60, 1], ["tanh", "identity"], seed=0)
                history = fit(net, scaler.transform(X_train), y_train, epochs=CHOICE_EPOCHS,
                              batch_size=4, learning_rate=rate,
                              validation=(scaler.transform(X_val), y_val), seed=0)
                curves[rate] = np.array(history.val_loss)
            _curves.update(curves)
        return dict(_curves)


# Both are graded on the learner's result, judged against curves the grader trains itself;
# the public choice_fits_the_notebook_curves is the same judgement on the notebook's curves.
@suite.test(function="my_choice", points=2, hidden=True,
            case="how good your result is: the learning rate you chose, against the curves",
            hint="compare the lowest point of every curve; a diverging or still-falling curve "
                 "does not reach the lowest one")
def choice_rate_reaches_the_lowest(student, expect):
    rate, _, _ = checked_choice(expect, student.my_choice())
    check_rate_against(expect, rate, choice_curves(), "the curves retrained by the grader")


@suite.test(function="my_choice", points=2, hidden=True,
            case="how good your result is: the epoch you chose, against its run's validation "
                 "curve",
            hint="keep the weights of an epoch near the lowest validation loss of your rate, not "
                 "the last epoch and not the lowest training loss")
def choice_epoch_near_the_minimum(student, expect):
    rate, epoch, _ = checked_choice(expect, student.my_choice())
    check_epoch_against(expect, rate, epoch, choice_curves(), "the curves retrained by the "
                        "grader")
    # an epoch is judged only on the run of a rate that reaches the lowest loss: the first
    # epoch of a diverging run is its lowest point, and no answer
    check_rate_against(expect, rate, choice_curves(), "the curves retrained by the grader")


# The public choice_fits_the_notebook_curves judges the choice on the curves the notebook's
# validation_curve gives. Here the same judgement runs on the grader's own runs, and the curves
# validation_curve gives must be those runs: a validation_curve rewritten to flatter a choice
# (whenever it is called) loses here what it may have won there.
@suite.test(function="my_choice", points=1, hidden=True,
            case="how good your result is: your rate and epoch, against the grader's runs, "
                 "with the curves your validation_curve gives",
            hint="run the notebook's table cell as it is given (validation_curve is part of it), "
                 "and choose from its curves")
def choice_curves_are_the_tables(student, expect):
    rate, epoch, _ = checked_choice(expect, student.my_choice())
    curves = choice_curves()
    for r, curve in curves.items():
        got = np.asarray(student.validation_curve(r), dtype=float)
        expect.true(got.shape == curve.shape and np.allclose(got, curve, rtol=1e-6, atol=1e-9),
                    f"validation_curve({r}) does not give the validation losses of the "
                    f"table's run of rate {r}", inputs="the four rates of the table")
    check_rate_against(expect, rate, curves, "the curves retrained by the grader")
    check_epoch_against(expect, rate, epoch, curves, "the curves retrained by the grader")
