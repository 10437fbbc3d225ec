"""Hidden tests of exercise notebook 06_batches, with the reference answers they compare with.
INSTRUCTOR ONLY: never give this file to learners (see instructor/README.md)."""
import numpy as np

from nnlessons import training
from nnlessons.grading.suite import Suite
from nnlessons.grading.suites.ex06_batches import (CEIL_HINT, check_deal, check_epoch,
                                                   check_order, check_run, dealt_rows,
                                                   epoch_parts, numbered)

suite = Suite("06_batches")


def batch_sizes(n, batch_size):
    """The sizes of the batches an epoch deals: full ones, then the rest."""
    sizes = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    return [n] if batch_size >= n else sizes


def reference_order(n, batch_size, seed):
    """The rows of each batch as the course's iterator deals them from this seed."""
    index = np.arange(n)
    return [rows.tolist() for _, rows in training.minibatches(index, index, batch_size,
                                                              seed=np.random.default_rng(seed))]


def deal_is_whole(expect, batches, n, batch_size, inputs):
    check_deal(expect, batches, batch_sizes(n, batch_size), inputs)


def order_is_the_reference(expect, batches, n, batch_size, seed, inputs):
    check_order(expect, batches, reference_order(n, batch_size, seed), inputs)


def linear_data(seed, n, m=2):
    """Noisy examples of y = X @ (4, 3, ...) and a starting point away from the answer."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, m))
    y = X @ np.arange(4.0, 4.0 - m, -1.0) + rng.normal(0.0, 0.3, n)
    return X, y, rng.normal(0.0, 1.0, m)


def reference_epoch(X, y, weights, learning_rate, batch_size, rng):
    """One epoch as the exercise defines it (computed here, in the grader's process)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w, losses = np.array(weights, dtype=float), []
    for X_batch, y_batch in training.minibatches(X, y, batch_size, seed=rng):
        error = X_batch @ w - y_batch
        losses.append(float(np.mean(error ** 2)))
        w = w - learning_rate * 2.0 / len(y_batch) * (X_batch.T @ error)
    return w, losses


def reference_train(X, y, weights, learning_rate, batch_size, epochs, seed):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    w = np.array(weights, dtype=float)
    epoch_loss, update_loss = [float(np.mean((X @ w - y) ** 2))], []
    for _ in range(epochs):
        w, losses = reference_epoch(X, y, w, learning_rate, batch_size, rng)
        update_loss += losses
        epoch_loss.append(float(np.mean((X @ w - y) ** 2)))
    return {"weights": w, "epoch_loss": epoch_loss, "update_loss": update_loss}


# --- updates_per_epoch(n, batch_size) -> int ---------------------------------------------------

@suite.test(function="updates_per_epoch", points=1, hidden=True,
            case="a batch of one example: batches of one example",
            hint="with batches of one example (SGD) an epoch has n updates")
def one_example_per_update(student, expect):
    for n, want in ((48, 48), (1, 1), (7, 7)):
        expect.equal(student.updates_per_epoch(n, 1), want, inputs=f"n={n}, batch_size=1",
                     hint="with batches of one example (SGD) an epoch has n updates")


@suite.test(function="updates_per_epoch", points=1, hidden=True,
            case="a value exactly at a boundary: a batch size of n or more",
            hint="a batch size of n or more deals all n examples as one batch: one update")
def batch_size_n_or_more(student, expect):
    for n, size in ((48, 48), (48, 100), (1, 5)):
        expect.equal(student.updates_per_epoch(n, size), 1, inputs=f"n={n}, batch_size={size}",
                     hint="a batch size of n or more deals all n examples as one batch: one "
                          "update")


@suite.test(function="updates_per_epoch", points=1, hidden=True,
            case="a batch size that does not divide the data: a large data set",
            hint="round up, not down: the last, smaller batch is an update too")
def mnist_sized(student, expect):
    expect.equal(student.updates_per_epoch(60000, 128), 469, inputs="n=60000, batch_size=128",
                 hint=CEIL_HINT)


@suite.test(function="updates_per_epoch", points=1, hidden=True,
            case="the type of the answer",
            hint="np.ceil gives a float; -(-n // batch_size) or math.ceil give an int")
def returns_an_int(student, expect):
    got = student.updates_per_epoch(48, 10)
    expect.true(isinstance(got, int) and not isinstance(got, bool),
                f"updates_per_epoch should return a whole number (an int); got "
                f"{type(got).__name__} {got!r}", inputs="n=48, batch_size=10",
                hint="np.ceil gives a float; -(-n // batch_size) or math.ceil give an int")


@suite.test(function="updates_per_epoch", points=1, hidden=True,
            case="an argument that must be refused: a batch size of 0",
            hint="check batch_size before dividing: raise a ValueError saying it must be at "
                 "least 1")
def updates_per_epoch_batch_size_zero(student, expect):
    expect.raises(lambda: student.updates_per_epoch(10, 0), "ValueError",
                  inputs="n=10, batch_size=0",
                  hint='if batch_size < 1: raise ValueError(f"batch_size must be at least 1; '
                       'got {batch_size}")')


# --- minibatches(X, y, batch_size, rng) -> yields (X_batch, y_batch) ---------------------------

@suite.test(function="minibatches", points=1, hidden=True,
            case="another value of an optional argument: the same seed twice, and another seed",
            hint="draw the order from the rng you are given (rng.permutation), not from "
                 "np.random's global generator or a new unseeded one")
def same_seed_same_order(student, expect):
    X, y = numbered(20)
    runs = [dealt_rows(expect, student.minibatches(X, y, 20, seed), X, y, f"rng={seed}")
            for seed in (5, 5, 6)]
    first, again, other = ([int(i) for i in np.concatenate(rows)] for rows in runs)
    expect.true(first == again, "two calls with the same seed dealt different orders",
                inputs="20 examples, batch_size=20, rng=5 twice",
                hint="draw the order from the rng you are given, not from np.random's global "
                     "generator or a new unseeded one")
    expect.true(first != other, "seeds 5 and 6 dealt the same order: the examples are not "
                "shuffled", inputs="20 examples, batch_size=20, rng=5 and rng=6")
    expect.true(first != list(range(20)), "the examples come out in their original order",
                inputs="20 examples, rng=5", hint="shuffle: order = rng.permutation(len(X))")


@suite.test(function="minibatches", points=1, hidden=True,
            case="a batch size that does not divide the data",
            hint="keep the last, smaller batch; the order is one rng.permutation(len(X)) cut "
                 "into consecutive slices")
def last_batch_smaller(student, expect):
    X, y = numbered(23)
    inputs = "23 examples, batch_size=5, rng=7"
    batches = dealt_rows(expect, student.minibatches(X, y, 5, 7), X, y, inputs)
    deal_is_whole(expect, batches, 23, 5, inputs)
    order_is_the_reference(expect, batches, 23, 5, 7, inputs)


@suite.test(function="minibatches", points=1, hidden=True,
            case="a batch of one example: batches of one example",
            hint="with batch_size 1 every example is a batch of its own, in the order of the "
                 "permutation")
def batches_of_one(student, expect):
    X, y = numbered(7)
    inputs = "7 examples, batch_size=1, rng=8"
    batches = dealt_rows(expect, student.minibatches(X, y, 1, 8), X, y, inputs)
    deal_is_whole(expect, batches, 7, 1, inputs)
    order_is_the_reference(expect, batches, 7, 1, 8, inputs)


@suite.test(function="minibatches", points=1, hidden=True,
            case="a value exactly at a boundary: a batch size of n or more",
            hint="a batch size of n or more deals all the examples as one shuffled batch")
def one_batch_for_size_n_or_more(student, expect):
    X, y = numbered(6)
    for size in (6, 50):
        inputs = f"6 examples, batch_size={size}, rng=9"
        batches = dealt_rows(expect, student.minibatches(X, y, size, 9), X, y, inputs)
        deal_is_whole(expect, batches, 6, size, inputs)
        order_is_the_reference(expect, batches, 6, size, 9, inputs)


@suite.test(function="minibatches", points=1, hidden=True,
            case="a batch of one example: a data set of one example",
            hint="one example makes one batch of one, whatever the batch size")
def minibatches_one_example(student, expect):
    X, y = numbered(1)
    for size in (1, 3):
        inputs = f"1 example, batch_size={size}, rng=0"
        batches = dealt_rows(expect, student.minibatches(X, y, size, 0), X, y, inputs)
        deal_is_whole(expect, batches, 1, size, inputs)


@suite.test(function="minibatches", points=1, hidden=True,
            case="a 2-D array: targets with several columns",
            hint="index y with the same rows as X: y[rows] keeps its columns")
def targets_with_columns(student, expect):
    X, y = numbered(9, k=3)
    inputs = "9 examples, y of shape (9, 3), batch_size=4, rng=10"
    batches = dealt_rows(expect, student.minibatches(X, y, 4, 10), X, y, inputs)
    deal_is_whole(expect, batches, 9, 4, inputs)


@suite.test(function="minibatches", points=1, hidden=True,
            case="integer inputs: inputs and targets",
            hint="index X and y with the rows; do not convert or rescale the examples")
def minibatches_integer_inputs(student, expect):
    X, y = numbered(8, dtype=np.int64)
    inputs = "8 examples with integer X and y, batch_size=3, rng=11"
    batches = dealt_rows(expect, student.minibatches(X, y, 3, 11), X, y, inputs)
    deal_is_whole(expect, batches, 8, 3, inputs)


@suite.test(function="minibatches", points=1, hidden=True,
            case="your function changed its input",
            hint="shuffle an order of row numbers and index with it (X[rows]); rng.shuffle(X) "
                 "shuffles the caller's data in place")
def batches_leave_inputs_alone(student, expect):
    X, y = numbered(12)
    _, changed = student.minibatches.call_checking_inputs(X, y, 5, 12)
    expect.unchanged(changed, inputs="12 examples, batch_size=5, rng=12",
                     hint="shuffle an order of row numbers and index with it (X[rows]); "
                          "rng.shuffle(X) shuffles the caller's data in place")


@suite.test(function="minibatches", points=1, hidden=True,
            case="an argument that must be refused: a batch size of 0",
            hint="check batch_size before dealing: raise a ValueError whose message names "
                 "batch_size and says it must be at least 1")
def minibatches_batch_size_zero(student, expect):
    # range(0, n, 0) raises a ValueError of its own ("range() arg 3 must not be zero"), which
    # tells the learner nothing about batch_size: the message must name it.
    X, y = numbered(6)
    inputs = "6 examples, batch_size=0, rng=0"
    message = expect.raises(lambda: student.minibatches(X, y, 0, 0), "ValueError",
                            inputs=inputs, hint="check batch_size before dealing")
    expect.true("batch_size" in message, f"the ValueError should say that batch_size is wrong; "
                f"its message is {message!r}", inputs=inputs,
                hint='raise ValueError(f"batch_size must be at least 1; got {batch_size}")')


# --- sgd_epoch(X, y, weights, learning_rate, batch_size, rng) -> (weights, losses) -------------

@suite.test(function="sgd_epoch", points=2, hidden=True,
            case="a batch size that does not divide the data",
            hint="the last, smaller batch's mean divides by its own size: use len(y_batch), not "
                 "batch_size")
def uneven_last_batch(student, expect):
    X, y, w = linear_data(22, 10, m=3)
    inputs = "10 examples, 3 weights, learning_rate=0.1, batch_size=4 (batches of 4, 4, 2), rng=2"
    check_epoch(expect, student.sgd_epoch(X, y, w, 0.1, 4, 2),
                reference_epoch(X, y, w, 0.1, 4, np.random.default_rng(2)), inputs,
                "the last batch holds 2 examples, so its mean divides by 2: use len(y_batch), "
                "not batch_size")


@suite.test(function="sgd_epoch", points=1, hidden=True,
            case="a batch of one example: batches of one example (SGD)",
            hint="one update per example, each loss computed with the weights before that "
                 "example's step")
def one_example_per_step(student, expect):
    X, y, w = linear_data(23, 6)
    inputs = "6 examples, learning_rate=0.05, batch_size=1 (SGD), rng=3"
    check_epoch(expect, student.sgd_epoch(X, y, w, 0.05, 1, 3),
                reference_epoch(X, y, w, 0.05, 1, np.random.default_rng(3)), inputs)


@suite.test(function="sgd_epoch", points=1, hidden=True,
            case="integer inputs: integer data and weights",
            hint="start from a float copy: w = np.array(weights, dtype=float)")
def integer_data(student, expect):
    X = np.array([[1, 2], [0, 1], [2, 0], [1, 1], [3, 1]])
    y = np.array([10, 3, 8, 7, 15])
    w = np.array([1, 1])
    inputs = "integer X (5, 2), integer y, integer weights [1, 1], learning_rate=0.01, " \
             "batch_size=2, rng=4"
    got = student.sgd_epoch(X, y, w, 0.01, 2, 4)
    weights, _ = epoch_parts(expect, got, 2, inputs)
    expect.dtype(weights, "f", inputs=inputs, what="the new weights array",
                 hint="start from a float copy: w = np.array(weights, dtype=float)")
    check_epoch(expect, got, reference_epoch(X, y, w, 0.01, 2, np.random.default_rng(4)), inputs)


@suite.test(function="sgd_epoch", points=1, hidden=True,
            case="your function changed its input",
            hint="w = w - step makes a new array; w -= step overwrites the caller's weights")
def epoch_leaves_inputs_alone(student, expect):
    X, y, w = linear_data(24, 9)
    _, changed = student.sgd_epoch.call_checking_inputs(X, y, w, 0.1, 3, 5)
    expect.unchanged(changed, inputs="9 examples, learning_rate=0.1, batch_size=3, rng=5",
                     hint="w = w - step makes a new array; w -= step overwrites the caller's "
                          "weights")


# --- train(X, y, weights, learning_rate, batch_size, epochs, seed) -> dict ---------------------

@suite.test(function="train", points=1, hidden=True,
            case="a batch size that does not divide the data: several epochs",
            hint="update_loss holds every batch's loss of every epoch, the last, smaller batch "
                 "included")
def counts_every_update(student, expect):
    X, y, w = linear_data(32, 10)
    inputs = "10 examples, learning_rate=0.1, batch_size=3, epochs=4, seed=1"
    check_run(expect, student.train(X, y, w, 0.1, 3, 4, 1),
              reference_train(X, y, w, 0.1, 3, 4, 1), inputs)


@suite.test(function="train", points=1, hidden=True,
            case="nothing to do: zero epochs",
            hint="with no epochs nothing is trained: the starting weights, their loss, no updates")
def no_epochs(student, expect):
    X, y, w = linear_data(33, 5)
    inputs = "epochs=0"
    check_run(expect, student.train(X, y, w, 0.1, 2, 0, 0),
              reference_train(X, y, w, 0.1, 2, 0, 0), inputs,
              "with no epochs nothing is trained: the starting weights, their loss, no updates")


@suite.test(function="train", points=1, hidden=True,
            case="a batch of one example: several epochs of batches of one example",
            hint="one rng for the whole run, passed to every epoch, and one loss per update in "
                 "update_loss")
def sgd_training(student, expect):
    X, y, w = linear_data(34, 5, m=3)
    inputs = "5 examples, 3 weights, learning_rate=0.05, batch_size=1, epochs=2, seed=3"
    check_run(expect, student.train(X, y, w, 0.05, 1, 2, 3),
              reference_train(X, y, w, 0.05, 1, 2, 3), inputs)


@suite.test(function="train", points=1, hidden=True,
            case="your function changed its input",
            hint="train a copy of the weights; do not change X, y or the weights in place")
def train_leaves_inputs_alone(student, expect):
    X, y, w = linear_data(35, 8)
    _, changed = student.train.call_checking_inputs(X, y, w, 0.1, 3, 2, 4)
    expect.unchanged(changed, inputs="8 examples, learning_rate=0.1, batch_size=3, epochs=2")


# --- settle(X, y, weights, learning_rate, batch_size, epochs, seed) -> dict -------------------

from nnlessons.grading.suites.ex06_batches import check_settled, noisy_bowl  # noqa: E402


def lowest_point(X, y):
    return np.linalg.lstsq(X, y, rcond=None)[0]


@suite.test(function="settle", points=2, hidden=True,
            case="ordinary inputs of another size: a start far from the lowest point, with "
                 "mini-batches",
            hint="a rate that shrinks very fast (halving every epoch) freezes the walk before it "
                 "arrives; shrink more gently")
def settle_from_far(student, expect):
    X, y = noisy_bowl(60, 3, 4)
    got = student.settle(X, y, np.array([-10.0, -10.0]), 0.2, 4, 100, 5)
    check_settled(expect, got, lowest_point(X, y), 0.2, 100, "60 examples, a far start, "
                  "batches of 4, 100 epochs")


@suite.test(function="settle", points=1, hidden=True,
            case="ordinary inputs of another size: a smaller starting rate and other data",
            hint="the schedule starts at the learning_rate it is given, whatever it is, and "
                 "shrinks from there")
def settle_small_rate(student, expect):
    X, y = noisy_bowl(48, 6, 7)
    got = student.settle(X, y, np.array([-1.0, -2.0]), 0.05, 1, 100, 8)
    check_settled(expect, got, lowest_point(X, y), 0.05, 100, "48 examples, learning_rate "
                  "0.05, batches of 1, 100 epochs")


@suite.test(function="settle", points=1, hidden=True,
            case="ordinary inputs of another size: the same seed twice",
            hint="one Generator from the seed, handed to sgd_epoch in every epoch; nothing else "
                 "random")
def settle_same_seed(student, expect):
    X, y = noisy_bowl(24, 9, 10)
    first = student.settle(X, y, np.zeros(2), 0.1, 3, 5, 11)
    again = student.settle(X, y, np.zeros(2), 0.1, 3, 5, 11)
    for got in (first, again):
        expect.true(isinstance(got, dict) and "weights" in got,
                    'settle should return {"weights": ..., "rates": [...]}')
    expect.close(again["weights"], first["weights"], rtol=0, atol=0,
                 what="the weights of the same seed")
