"""Hidden tests of exercise notebook 09_capstone, with the reference answers they compare with.
INSTRUCTOR ONLY: never give this file to learners (see instructor/README.md).

The last tests load the network the learner's notebook saved (with the learner's own
load_weights, inside the sandbox: only its four arrays come back) and measure its accuracy
here, in the grader's process, on the test quarter of lesson 09's split, which the notebook
never shows: full marks at 95% or more, partial marks from 80% and 90%."""
import numpy as np

from nnlessons import activations, data
from nnlessons.network import MLP
from nnlessons.grading.suite import Suite
from nnlessons.grading.suites.ex09_capstone import (NAMES, WEIGHTS_FILE, arrays, check_forward_pair,
                                                    check_history, check_params)

suite = Suite("09_capstone")


def network(seed, m, h, k, scale=1.0):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(0, scale, size=(m, h)), "b1": rng.normal(0, 0.1, size=h),
            "W2": rng.normal(0, scale, size=(h, k)), "b2": rng.normal(0, 0.1, size=k)}


def reference_net(params):
    params = arrays(params)
    m, h = params["W1"].shape
    net = MLP([m, h, params["W2"].shape[1]], ["relu", "softmax"])
    net.set_parameters(params)
    return net


def reference_loss(X, labels, params):
    return float(reference_net(params).loss(X, labels, "cross_entropy"))


def test_digits():
    """Lesson 09's test quarter (its digits_split(seed=0)), which the notebook leaves out."""
    X, y = data.digits()
    _, X_test, _, y_test = data.train_test_split(X, y, 0.25, seed=0)
    return X_test, y_test


def held_out_accuracy(student, expect):
    """The learner's saved network's accuracy on the test digits, computed here."""
    got = student.load_weights(WEIGHTS_FILE)
    inputs = f"your {WEIGHTS_FILE}, read with your load_weights"
    expect.true(isinstance(got, dict) and all(name in got for name in NAMES),
                "load_weights should return a dict with the keys W1, b1, W2, b2", inputs=inputs)
    hidden = np.shape(got["W1"])[-1] if np.ndim(got["W1"]) == 2 else 0
    check_params(expect, got, [(64, hidden), (hidden,), (hidden, 10), (10,)], inputs)
    expect.finite(got["W1"], what="W1", inputs=inputs)
    X_test, y_test = test_digits()
    params = arrays(got)
    scores = np.maximum(X_test @ params["W1"] + params["b1"], 0.0) @ params["W2"] + params["b2"]
    return float(np.mean(scores.argmax(axis=1) == y_test))


def require_accuracy(expect, value, least):
    expect.true(value >= least, f"your saved network reads {value:.1%} of the test digits "
                f"right; this mark needs {least:.0%}", inputs="the 449 test digits")


# --- init_params ------------------------------------------------------------------------------

@suite.test(function="init_params", points=1, hidden=True,
            case="ordinary inputs of another size: "
                 "the same seed twice, and another seed",
            hint="draw every weight from one Generator made from the seed, nothing else")
def init_params_seeded(student, expect):
    first, again, other = (student.init_params(6, 5, 4, s) for s in (7, 7, 8))
    for got in (first, again, other):
        check_params(expect, got, [(6, 5), (5,), (5, 4), (4,)], "init_params(6, 5, 4, seed)")
    for name in ("W1", "W2"):
        expect.close(again[name], first[name], rtol=0, atol=0, what=f"{name} of the same seed")
        expect.true(not np.allclose(other[name], first[name]),
                    f"{name} should differ for another seed")


@suite.test(function="init_params", points=1, hidden=True,
            case="ordinary inputs of another size: "
                 "a layer much wider than the other",
            hint="each weight matrix's spread depends on ITS number of inputs")
def init_params_wide_hidden(student, expect):
    got = student.init_params(10, 2000, 3, 1)
    check_params(expect, got, [(10, 2000), (2000,), (2000, 3), (3,)], "a 10-2000-3 network")
    for name, fan_in in (("W1", 10), ("W2", 2000)):
        expect.close(float(np.std(got[name])), np.sqrt(2.0 / fan_in), rtol=0.1,
                     what=f"the spread of {name}")
        expect.close(float(np.mean(got[name])), 0.0, atol=0.2 * np.sqrt(2.0 / fan_in),
                     what=f"the mean of {name}")


# --- forward ----------------------------------------------------------------------------------

@suite.test(function="forward", points=1, hidden=True, case="very large inputs: "
                 "very large scores",
            hint="subtract each row's largest score before exponentiating; then no exponent "
                 "is positive")
def forward_large_scores(student, expect):
    params = network(20, 4, 6, 5, scale=40.0)
    X = np.random.default_rng(21).normal(size=(8, 4)) * 10
    got = student.forward(X, params)
    check_forward_pair(expect, got, 8, 6, 5, "scores in the thousands")
    expect.finite(got[1], what="P", inputs="scores in the thousands")
    expect.close(got[1], reference_net(params).forward(X), rtol=1e-6, atol=1e-12, what="P")


@suite.test(function="forward", points=1, hidden=True, case="a batch of one example",
            hint="keep X two-dimensional and take each row's largest score along axis 1")
def forward_one_example(student, expect):
    params = network(22, 5, 3, 4)
    X = np.random.default_rng(23).normal(size=(1, 5))
    got = student.forward(X, params)
    check_forward_pair(expect, got, 1, 3, 4, "one example")
    net = reference_net(params)
    expect.close(got[0], np.maximum(X @ params["W1"] + params["b1"], 0), what="A1")
    expect.close(got[1], net.forward(X), rtol=1e-9, what="P")


@suite.test(function="forward", points=1, hidden=True, case="your function changed its input",
            hint="build new arrays; do not write into X or the parameters")
def forward_leaves_inputs_alone(student, expect):
    params = network(24, 3, 4, 3)
    X = np.random.default_rng(25).normal(size=(5, 3))
    _, changed = student.forward.call_checking_inputs(X, params)
    expect.unchanged(changed)


# --- cross_entropy ----------------------------------------------------------------------------

@suite.test(function="cross_entropy", points=1, hidden=True,
            case="a value exactly at a boundary: "
                 "a probability of exactly 0 at the label",
            hint="clip the picked probabilities to at least 1e-12 before the log")
def cross_entropy_zero_probability(student, expect):
    P = np.array([[1.0, 0.0], [0.5, 0.5]])
    got = student.cross_entropy(P, np.array([1, 0]))
    expect.finite(got, inputs="a probability 0 at a label")
    expect.close(got, (-np.log(1e-12) - np.log(0.5)) / 2, rtol=1e-9)


@suite.test(function="cross_entropy", points=1, hidden=True,
            case="ordinary inputs of another size: "
                 "a large batch of ten classes",
            hint="a mean over the examples, not a sum, and of the label's column only")
def cross_entropy_many(student, expect):
    rng = np.random.default_rng(26)
    P = activations.softmax(rng.normal(size=(50, 10)))
    labels = rng.integers(0, 10, size=50)
    expect.close(student.cross_entropy(P, labels),
                 -np.mean(np.log(P[np.arange(50), labels])), rtol=1e-9)


# --- backward ---------------------------------------------------------------------------------

@suite.test(function="backward", points=3, hidden=True,
            case="checked against a numerical gradient: "
                 "a 6-5-4 network",
            hint="every gradient must agree with a gradient check: compare yours with "
                 "numerical ones, parameter by parameter, as the notebook's check cell does")
def backward_gradient_check(student, expect):
    rng = np.random.default_rng(27)
    X, labels = rng.normal(size=(7, 6)), rng.integers(0, 4, size=7)
    params = network(28, 6, 5, 4)
    got = student.backward(X, labels, params)
    check_params(expect, got, [(6, 5), (5,), (5, 4), (4,)], "7 examples, a 6-5-4 network",
                 what="the gradients")
    expect.agrees_numerically(got, {name: params[name] for name in NAMES},
                              lambda values: reference_loss(X, labels, values),
                              "7 examples, a 6-5-4 network", check_shapes=False)


@suite.test(function="backward", points=1, hidden=True, case="a batch of one example",
            hint="keep every array two-dimensional; the bias gradients sum over axis 0")
def backward_one_example(student, expect):
    rng = np.random.default_rng(29)
    X, labels = rng.normal(size=(1, 4)), np.array([2])
    params = network(30, 4, 3, 3)
    _, want = reference_net(params).loss_and_gradients(X, labels, "cross_entropy")
    got = student.backward(X, labels, params)
    check_params(expect, got, [(4, 3), (3,), (3, 3), (3,)], "one example", what="the gradients")
    for name in NAMES:
        expect.close(got[name], want[name], rtol=1e-6, atol=1e-10, what=f"the gradient {name}")


@suite.test(function="backward", points=1, hidden=True,
            case="ordinary inputs of another size: "
                 "digits through a 64-32-10 network",
            hint="the mean is over the n examples of the batch: divide P - Y by n, once")
def backward_digits(student, expect):
    X, y = data.digits()
    X, labels = X[:40], y[:40]
    params = network(31, 64, 32, 10, scale=0.2)
    _, want = reference_net(params).loss_and_gradients(X, labels, "cross_entropy")
    got = student.backward(X, labels, params)
    check_params(expect, got, [(64, 32), (32,), (32, 10), (10,)], "40 digits",
                 what="the gradients")
    for name in NAMES:
        expect.close(got[name], want[name], rtol=1e-6, atol=1e-10, what=f"the gradient {name}")


@suite.test(function="backward", points=1, hidden=True, case="your function changed its input",
            hint="work on a copy of P when you subtract the one-hot labels; never on X or the "
                 "parameters")
def backward_leaves_inputs_alone(student, expect):
    rng = np.random.default_rng(32)
    X, labels = rng.normal(size=(5, 3)), rng.integers(0, 3, size=5)
    _, changed = student.backward.call_checking_inputs(X, labels, network(33, 3, 4, 3))
    expect.unchanged(changed)


# --- minibatches ------------------------------------------------------------------------------

@suite.test(function="minibatches", points=1, hidden=True,
            case="a batch size that does not divide the data",
            hint="keep the last, smaller batch: every example once per epoch")
def minibatches_remainder(student, expect):
    X, y = np.arange(26.0).reshape(13, 2), np.arange(13)
    got = student.minibatches(X, y, 5, 4)
    expect.true(isinstance(got, list) and [len(b[1]) for b in got] == [5, 5, 3],
                "13 examples in batches of 5 make batches of 5, 5 and 3")
    order = np.random.default_rng(4).permutation(13)
    expect.close(np.concatenate([b[1] for b in got]), order, what="the order of the examples")
    for X_batch, y_batch in got:
        expect.close(X_batch, X[np.asarray(y_batch)], what="the rows of X in a batch")


@suite.test(function="minibatches", points=1, hidden=True,
            case="a value exactly at a boundary: "
                 "a batch size larger than the data",
            hint="slicing past the end is fine: one batch with every example")
def minibatches_one_batch(student, expect):
    X, y = np.arange(8.0).reshape(4, 2), np.arange(4)
    got = student.minibatches(X, y, 10, 0)
    expect.true(isinstance(got, list) and len(got) == 1 and len(got[0][1]) == 4,
                "4 examples in batches of 10 make one batch of 4")


@suite.test(function="minibatches", points=1, hidden=True, case="an argument that must be refused: "
                 "a batch size of 0 (and one of 1)",
            hint="a batch of one example is fine; refuse a batch size below 1 with a ValueError "
                 "that names batch_size")
def minibatches_refuses_zero(student, expect):
    X, y = np.arange(8.0).reshape(4, 2), np.arange(4)
    got = student.minibatches(X, y, 1, 0)
    expect.true(isinstance(got, list) and [len(b[1]) for b in got] == [1, 1, 1, 1],
                "4 examples in batches of 1 make 4 batches of 1")
    message = expect.raises(lambda: student.minibatches(X, y, 0, 0), "ValueError")
    expect.true("batch_size" in message, "the ValueError should say that batch_size is wrong")


# --- sgd_update -------------------------------------------------------------------------------

@suite.test(function="sgd_update", points=1, hidden=True, case="your function changed its input",
            hint="build new arrays instead of subtracting in place")
def sgd_update_leaves_inputs_alone(student, expect):
    params, grads = network(34, 3, 2, 2), network(35, 3, 2, 2)
    _, changed = student.sgd_update.call_checking_inputs(params, grads, 0.1)
    expect.unchanged(changed)


@suite.test(function="sgd_update", points=1, hidden=True,
            case="ordinary inputs of another size: "
                 "random parameters and a small rate",
            hint="every entry moves against its gradient, by the rate times the gradient")
def sgd_update_random(student, expect):
    params, grads = network(36, 4, 3, 2), network(37, 4, 3, 2)
    got = student.sgd_update(params, grads, 0.03)
    check_params(expect, got, [(4, 3), (3,), (3, 2), (2,)], "a 4-3-2 network")
    for name in NAMES:
        expect.close(got[name], params[name] - 0.03 * grads[name], what=f"the new {name}")


# --- accuracy ---------------------------------------------------------------------------------

@suite.test(function="accuracy", points=1, hidden=True, case="ordinary inputs of another size: "
                 "digits through a random network",
            hint="the share of rows whose largest probability is in the label's column")
def accuracy_random_net(student, expect):
    X, y = data.digits()
    params = network(38, 64, 8, 10, scale=0.3)
    want = float(np.mean(reference_net(params).predict_classes(X[:200]) == y[:200]))
    expect.close(student.accuracy(X[:200], y[:200], params), want)


# --- train ------------------------------------------------------------------------------------

@suite.test(function="train", points=2, hidden=True,
            case="ordinary inputs of another size: "
                 "training that must learn the digits",
            hint="one update per batch with your backward and sgd_update, and return the "
                 "parameters of the best epoch")
def train_learns_digits(student, expect):
    X, y = data.digits()
    X_train, y_train, X_val, y_val = X[:600], y[:600], X[600:800], y[600:800]
    params, history = student.train(X_train, y_train, X_val, y_val, n_hidden=32,
                                    learning_rate=0.2, batch_size=32, epochs=15, patience=15,
                                    seed=1)
    check_params(expect, params, [(64, 32), (32,), (32, 10), (10,)], "600 digits, 32 hidden")
    check_history(expect, history, 15, 15, "600 digits, 15 epochs")
    net = reference_net(params)
    kept = float(np.mean(net.predict_classes(X_val) == y_val))
    expect.true(kept >= 0.85, f"after 15 epochs the kept network reads {kept:.1%} of the "
                "validation digits right; a working training reaches 85%")
    best = history["best_epoch"]
    expect.close(history["val_accuracy"][best - 1], kept, what="the validation accuracy "
                 "recorded for the best epoch", hint="return the parameters of the best epoch")
    expect.close(history["val_loss"][best - 1], net.loss(X_val, y_val, "cross_entropy"),
                 rtol=1e-6, what="the validation loss recorded for the best epoch")


@suite.test(function="train", points=1, hidden=True,
            case="a value exactly at a boundary: "
                 "a validation loss that soon rises or stays flat (early stopping)",
            hint="count the epochs since the best one and stop at patience; an equal loss is "
                 "no improvement")
def train_stops_early(student, expect):
    X, y = data.digits()
    # 40 training digits and a large rate: the validation loss turns up within a few epochs
    params, history = student.train(X[:40], y[:40], X[40:240], y[40:240], n_hidden=32,
                                    learning_rate=1.0, batch_size=8, epochs=60, patience=2,
                                    seed=2)
    check_history(expect, history, 60, 2, "40 training digits, rate 1, patience 2")
    expect.true(len(history["val_loss"]) < 60, "training should have stopped early")
    kept = reference_net(params).loss(X[40:240], y[40:240], "cross_entropy")
    expect.close(kept, min(history["val_loss"]), rtol=1e-6,
                 what="the validation loss of the parameters train returned",
                 hint="return the parameters of the best epoch, not those of the last one")
    # a learning rate of 0: the validation loss never changes, so the first epoch stays best
    _, flat = student.train(X[:40], y[:40], X[40:80], y[40:80], n_hidden=4, learning_rate=0.0,
                            batch_size=20, epochs=10, patience=3, seed=3)
    check_history(expect, flat, 10, 3, "a learning rate of 0 (a flat validation loss)")


@suite.test(function="train", points=1, hidden=True, case="your function changed its input",
            hint="shuffle through an index order; never shuffle X or y themselves")
def capstone_train_leaves_inputs_alone(student, expect):
    X, y = data.digits()
    _, changed = student.train.call_checking_inputs(X[:60], y[:60], X[60:90], y[60:90], 8, 0.1,
                                                    10, 2, 5, 0)
    expect.unchanged(changed)


# --- save_weights and load_weights ------------------------------------------------------------

@suite.test(function="save_weights", points=1, hidden=True,
            case="ordinary inputs of another size: "
                 "a 3-2-2 network saved and read back",
            hint="np.savez with one keyword argument per array, named W1, b1, W2, b2")
def save_weights_names(student, expect):
    params = network(39, 3, 2, 2)
    student.save_weights(params, "hidden_check.npz")
    got = student.load_weights("hidden_check.npz")
    check_params(expect, got, [(3, 2), (2,), (2, 2), (2,)], "a 3-2-2 network")
    for name in NAMES:
        expect.close(got[name], params[name], rtol=0, atol=0, what=name)


@suite.test(function="load_weights", points=2, hidden=True,
            case="how good your result is: "
                 "your saved network on the test digits (80% or more)",
            hint="train until the validation accuracy is high, save, and load the same file")
def held_out_accuracy_80(student, expect):
    require_accuracy(expect, held_out_accuracy(student, expect), 0.80)


@suite.test(function="load_weights", points=2, hidden=True,
            case="how good your result is: "
                 "your saved network on the test digits (90% or more)",
            hint="more hidden neurons, more epochs or another learning rate; watch the "
                 "validation accuracy")
def held_out_accuracy_90(student, expect):
    require_accuracy(expect, held_out_accuracy(student, expect), 0.90)


@suite.test(function="load_weights", points=3, hidden=True,
            case="how good your result is: "
                 "your saved network on the test digits (95% or more)",
            hint="lesson 09's network reaches 97%: 64 hidden ReLU neurons, early stopping")
def held_out_accuracy_95(student, expect):
    require_accuracy(expect, held_out_accuracy(student, expect), 0.95)
