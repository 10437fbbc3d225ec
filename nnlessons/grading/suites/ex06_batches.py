"""Grader of exercise notebook 06_batches: the number of updates in an epoch, a mini-batch
iterator reshuffled on every call, one epoch of mini-batch gradient descent on a linear neuron,
and training over several epochs from one seeded Generator."""
import numpy as np

from nnlessons import training
from nnlessons.grading.suite import Suite

# The course's own iterator and training loop would do exercises 2 to 4 for the learner.
NO_REFERENCE_BATCHES = ["nnlessons.training.minibatches"]
NO_REFERENCE_TRAINING = NO_REFERENCE_BATCHES + ["nnlessons.training.fit",
                                                "nnlessons.training.sgd_step"]
suite = Suite("06_batches", functions=["updates_per_epoch", "minibatches", "sgd_epoch", "train"],
              forbidden={"minibatches": NO_REFERENCE_BATCHES,
                         "sgd_epoch": NO_REFERENCE_TRAINING,
                         "train": NO_REFERENCE_TRAINING})

CEIL_HINT = ("round up, not down: the last, smaller batch is an update too (48 examples in "
             "batches of 10 make 5 updates, the last of 8 examples)")


# --- updates_per_epoch(n, batch_size) -> int ---------------------------------------------------

@suite.test(function="updates_per_epoch", points=1)
def batch_size_divides(student, expect):
    """When the batch size divides n, an epoch is n / batch_size updates."""
    for n, size, want in ((48, 8, 6), (48, 16, 3), (1000, 50, 20)):
        expect.equal(student.updates_per_epoch(n, size), want, inputs=f"n={n}, batch_size={size}",
                     hint="every batch is full: n / batch_size updates, with nothing left over")


@suite.test(function="updates_per_epoch", points=2)
def last_smaller_batch_counts(student, expect):
    """When it does not divide n, the last, smaller batch is one more update."""
    for n, size, want in ((48, 10, 5), (1000, 32, 32), (10, 3, 4)):
        expect.equal(student.updates_per_epoch(n, size), want, inputs=f"n={n}, batch_size={size}",
                     hint=CEIL_HINT)


@suite.test(function="updates_per_epoch", points=1, hidden=True)
def one_example_per_update(student, expect):
    for n, want in ((48, 48), (1, 1), (7, 7)):
        expect.equal(student.updates_per_epoch(n, 1), want, inputs=f"n={n}, batch_size=1",
                     hint="with batches of one example (SGD) an epoch has n updates")


@suite.test(function="updates_per_epoch", points=1, hidden=True)
def batch_size_n_or_more(student, expect):
    for n, size in ((48, 48), (48, 100), (1, 5)):
        expect.equal(student.updates_per_epoch(n, size), 1, inputs=f"n={n}, batch_size={size}",
                     hint="a batch size of n or more deals all n examples as one batch: one "
                          "update")


@suite.test(function="updates_per_epoch", points=1, hidden=True)
def mnist_sized(student, expect):
    expect.equal(student.updates_per_epoch(60000, 128), 469, inputs="n=60000, batch_size=128",
                 hint=CEIL_HINT)


@suite.test(function="updates_per_epoch", points=1, hidden=True)
def returns_an_int(student, expect):
    got = student.updates_per_epoch(48, 10)
    expect.true(isinstance(got, int) and not isinstance(got, bool),
                f"updates_per_epoch should return a whole number (an int); got "
                f"{type(got).__name__} {got!r}", inputs="n=48, batch_size=10",
                hint="np.ceil gives a float; -(-n // batch_size) or math.ceil give an int")


# --- minibatches(X, y, batch_size, rng) -> yields (X_batch, y_batch) ---------------------------

def numbered(n, k=None, dtype=float):
    """Examples that say who they are: row i of X is (i, i^2), y[i] is 10 i + 5 (or a row of k
    such numbers), so every batch can be traced back to the examples it holds."""
    i = np.arange(n)
    X = np.column_stack([i, i ** 2]).astype(dtype)
    y = 10 * i + 5 if k is None else 10 * i[:, None] + np.arange(k) + 5
    return X, y.astype(dtype)


def reference_order(n, batch_size, seed):
    """The rows of each batch as the course's iterator deals them from this seed."""
    index = np.arange(n)
    return [rows for _, rows in training.minibatches(index, index, batch_size,
                                                     seed=np.random.default_rng(seed))]


def dealt_rows(expect, got, X, y, inputs):
    """Check the answer is a list of (X_batch, y_batch) pairs of examples of X and y, each pair
    holding the same examples in the same order; return each batch's row numbers."""
    expect.true(isinstance(got, (list, tuple)) and len(got) > 0,
                "minibatches should yield (X_batch, y_batch) pairs; it gave no batches",
                inputs=inputs, hint="yield X[rows], y[rows] inside the loop over the batches")
    batches = []
    for number, pair in enumerate(got, start=1):
        expect.true(isinstance(pair, (list, tuple)) and len(pair) == 2,
                    f"batch {number} is not a pair (X_batch, y_batch)", inputs=inputs,
                    hint="yield X_batch, y_batch: two arrays for each batch")
        X_batch, y_batch = np.asarray(pair[0]), np.asarray(pair[1])
        expect.true(X_batch.ndim == X.ndim and X_batch.shape[1:] == X.shape[1:]
                    and len(X_batch) >= 1,
                    f"X_batch of batch {number} has shape {X_batch.shape}; it should be some "
                    f"rows of X, shape (rows, {X.shape[1]})", inputs=inputs,
                    hint="index X with an array of row numbers: X[rows]")
        expect.true(y_batch.shape == (len(X_batch),) + y.shape[1:],
                    f"y_batch of batch {number} has shape {y_batch.shape}; it should hold the "
                    f"targets of the {len(X_batch)} examples of X_batch, shape "
                    f"{(len(X_batch),) + y.shape[1:]}", inputs=inputs,
                    hint="index y with the same row numbers as X: y[rows]")
        rows = np.rint(X_batch[:, 0]).astype(int)
        expect.true(np.all((rows >= 0) & (rows < len(X))) and np.array_equal(X_batch, X[rows]),
                    f"X_batch of batch {number} holds rows that are not rows of X", inputs=inputs)
        expect.true(np.array_equal(y_batch, y[rows]),
                    f"in batch {number} the targets do not belong to the inputs: y_batch is "
                    f"not y at the rows X_batch took from X", inputs=inputs,
                    hint="shuffle X and y with ONE order (index both with the same rows); two "
                         "separate shuffles tear every example from its target")
        batches.append(rows)
    return batches


def check_deal(expect, batches, n, batch_size, inputs):
    """Every example exactly once, in batches of batch_size and a smaller last one."""
    sizes = [len(rows) for rows in batches]
    want = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    if batch_size >= n:
        want = [n]
    expect.equal(sizes, want, inputs=inputs, what="the list of batch sizes",
                 hint="slice the order in steps of batch_size: order[start:start + batch_size] "
                      "for start in range(0, n, batch_size); keep the last, smaller batch")
    dealt = np.sort(np.concatenate(batches))
    expect.equal(dealt, np.arange(n), inputs=inputs, what="the list of examples dealt (sorted)",
                 hint="every example exactly once per epoch: one permutation of all n rows")


def check_order(expect, batches, n, batch_size, seed, inputs):
    want = reference_order(n, batch_size, seed)
    expect.equal([rows.tolist() for rows in batches], [rows.tolist() for rows in want],
                 inputs=inputs, what="the list of rows in each batch",
                 hint="draw the order with rng.permutation(len(X)) (once per call, from the rng "
                      "you were given) and cut it into consecutive slices")


@suite.test(function="minibatches", points=2)
def deals_every_example_once(student, expect):
    """n = 10, batch_size = 4: batches of 4, 4 and 2 holding every example once."""
    X, y = numbered(10)
    inputs = "10 examples, batch_size=4, rng=0"
    batches = dealt_rows(expect, student.minibatches(X, y, 4, 0), X, y, inputs)
    check_deal(expect, batches, 10, 4, inputs)


@suite.test(function="minibatches", points=2)
def order_is_rng_permutation(student, expect):
    """The order is rng.permutation(n), cut into consecutive batches."""
    X, y = numbered(10)
    inputs = "10 examples, batch_size=4, rng=3"
    batches = dealt_rows(expect, student.minibatches(X, y, 4, 3), X, y, inputs)
    check_order(expect, batches, 10, 4, 3, inputs)


@suite.test(function="minibatches", points=1, hidden=True)
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


@suite.test(function="minibatches", points=1, hidden=True)
def last_batch_smaller(student, expect):
    X, y = numbered(23)
    inputs = "23 examples, batch_size=5, rng=7"
    batches = dealt_rows(expect, student.minibatches(X, y, 5, 7), X, y, inputs)
    check_deal(expect, batches, 23, 5, inputs)
    check_order(expect, batches, 23, 5, 7, inputs)


@suite.test(function="minibatches", points=1, hidden=True)
def batches_of_one(student, expect):
    X, y = numbered(7)
    inputs = "7 examples, batch_size=1, rng=8"
    batches = dealt_rows(expect, student.minibatches(X, y, 1, 8), X, y, inputs)
    check_deal(expect, batches, 7, 1, inputs)
    check_order(expect, batches, 7, 1, 8, inputs)


@suite.test(function="minibatches", points=1, hidden=True)
def one_batch_for_size_n_or_more(student, expect):
    X, y = numbered(6)
    for size in (6, 50):
        inputs = f"6 examples, batch_size={size}, rng=9"
        batches = dealt_rows(expect, student.minibatches(X, y, size, 9), X, y, inputs)
        check_deal(expect, batches, 6, size, inputs)
        check_order(expect, batches, 6, size, 9, inputs)


@suite.test(function="minibatches", points=1, hidden=True)
def one_example(student, expect):
    X, y = numbered(1)
    for size in (1, 3):
        inputs = f"1 example, batch_size={size}, rng=0"
        batches = dealt_rows(expect, student.minibatches(X, y, size, 0), X, y, inputs)
        check_deal(expect, batches, 1, size, inputs)


@suite.test(function="minibatches", points=1, hidden=True)
def targets_with_columns(student, expect):
    X, y = numbered(9, k=3)
    inputs = "9 examples, y of shape (9, 3), batch_size=4, rng=10"
    batches = dealt_rows(expect, student.minibatches(X, y, 4, 10), X, y, inputs)
    check_deal(expect, batches, 9, 4, inputs)


@suite.test(function="minibatches", points=1, hidden=True)
def integer_inputs(student, expect):
    X, y = numbered(8, dtype=np.int64)
    inputs = "8 examples with integer X and y, batch_size=3, rng=11"
    batches = dealt_rows(expect, student.minibatches(X, y, 3, 11), X, y, inputs)
    check_deal(expect, batches, 8, 3, inputs)


@suite.test(function="minibatches", points=1, hidden=True)
def batches_leave_inputs_alone(student, expect):
    X, y = numbered(12)
    _, changed = student.minibatches.call_checking_inputs(X, y, 5, 12)
    expect.unchanged(changed, inputs="12 examples, batch_size=5, rng=12",
                     hint="shuffle an order of row numbers and index with it (X[rows]); "
                          "rng.shuffle(X) shuffles the caller's data in place")


# --- sgd_epoch(X, y, weights, learning_rate, batch_size, rng) -> (weights, losses) -------------

def linear_data(seed, n, m=2):
    """Noisy examples of y = X @ (4, 3, ...) and a starting point away from the answer."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, m))
    y = X @ np.arange(4.0, 4.0 - m, -1.0) + rng.normal(0.0, 0.3, n)
    return X, y, rng.normal(0.0, 1.0, m)


def reference_epoch(X, y, weights, learning_rate, batch_size, rng):
    """One epoch as the exercise defines it (computed here, in the grader's process)."""
    w, losses = np.array(weights, dtype=float), []
    for X_batch, y_batch in training.minibatches(X, y, batch_size, seed=rng):
        error = X_batch @ w - y_batch
        losses.append(float(np.mean(error ** 2)))
        w = w - learning_rate * 2.0 / len(y_batch) * (X_batch.T @ error)
    return w, losses


def epoch_parts(expect, got, m, inputs):
    expect.true(isinstance(got, (list, tuple)) and len(got) == 2,
                "sgd_epoch should return a pair (weights, losses)", inputs=inputs)
    weights, losses = got
    expect.shape(weights, (m,), inputs=inputs, what="the new weights array")
    expect.true(np.ndim(losses) == 1, "the losses should be a list of numbers, one per update",
                inputs=inputs)
    return weights, losses


def check_epoch(expect, got, want, inputs, hint=None):
    weights, losses = epoch_parts(expect, got, len(want[0]), inputs)
    expect.equal(len(losses), len(want[1]), inputs=inputs, what="the number of losses",
                 hint="one loss per update: one per batch")
    expect.close(losses, want[1], inputs=inputs, what="the loss of each update",
                 hint=hint or "each loss is the mean squared error of its batch, computed with "
                              "the weights BEFORE that batch's step")
    expect.close(weights, want[0], inputs=inputs, what="the new weights array", hint=hint)


MEAN_HINT = ("the gradient of the batch's MEAN squared error is (2 / len(y_batch)) * X_batch.T @ "
             "(X_batch @ w - y_batch); step w - learning_rate * gradient")


@suite.test(function="sgd_epoch", points=2)
def full_batch_is_one_step(student, expect):
    """batch_size = n: one update whose loss is the loss over all examples before the step."""
    X, y, w = linear_data(20, 8)
    inputs = "8 examples, 2 weights, learning_rate=0.1, batch_size=8 (full batch)"
    check_epoch(expect, student.sgd_epoch(X, y, w, 0.1, 8, 0),
                reference_epoch(X, y, w, 0.1, 8, np.random.default_rng(0)), inputs, MEAN_HINT)


@suite.test(function="sgd_epoch", points=2)
def mini_batches_in_order(student, expect):
    """batch_size = 4 on 12 examples: three updates, in the order your minibatches deals."""
    X, y, w = linear_data(21, 12)
    inputs = "12 examples, 2 weights, learning_rate=0.2, batch_size=4, rng=1"
    check_epoch(expect, student.sgd_epoch(X, y, w, 0.2, 4, 1),
                reference_epoch(X, y, w, 0.2, 4, np.random.default_rng(1)), inputs,
                "take the batches from your own minibatches(X, y, batch_size, rng), in order; "
                + MEAN_HINT)


@suite.test(function="sgd_epoch", points=2, hidden=True)
def uneven_last_batch(student, expect):
    X, y, w = linear_data(22, 10, m=3)
    inputs = "10 examples, 3 weights, learning_rate=0.1, batch_size=4 (batches of 4, 4, 2), rng=2"
    check_epoch(expect, student.sgd_epoch(X, y, w, 0.1, 4, 2),
                reference_epoch(X, y, w, 0.1, 4, np.random.default_rng(2)), inputs,
                "the last batch holds 2 examples, so its mean divides by 2: use len(y_batch), "
                "not batch_size")


@suite.test(function="sgd_epoch", points=1, hidden=True)
def one_example_per_step(student, expect):
    X, y, w = linear_data(23, 6)
    inputs = "6 examples, learning_rate=0.05, batch_size=1 (SGD), rng=3"
    check_epoch(expect, student.sgd_epoch(X, y, w, 0.05, 1, 3),
                reference_epoch(X, y, w, 0.05, 1, np.random.default_rng(3)), inputs)


@suite.test(function="sgd_epoch", points=1, hidden=True)
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


@suite.test(function="sgd_epoch", points=1, hidden=True)
def epoch_leaves_inputs_alone(student, expect):
    X, y, w = linear_data(24, 9)
    _, changed = student.sgd_epoch.call_checking_inputs(X, y, w, 0.1, 3, 5)
    expect.unchanged(changed, inputs="9 examples, learning_rate=0.1, batch_size=3, rng=5",
                     hint="w = w - step makes a new array; w -= step overwrites the caller's "
                          "weights")


# --- train(X, y, weights, learning_rate, batch_size, epochs, seed) -> dict ---------------------

def reference_train(X, y, weights, learning_rate, batch_size, epochs, seed):
    rng = np.random.default_rng(seed)
    w = np.array(weights, dtype=float)
    epoch_loss, update_loss = [float(np.mean((X @ w - y) ** 2))], []
    for _ in range(epochs):
        w, losses = reference_epoch(X, y, w, learning_rate, batch_size, rng)
        update_loss += losses
        epoch_loss.append(float(np.mean((X @ w - y) ** 2)))
    return {"weights": w, "epoch_loss": epoch_loss, "update_loss": update_loss}


def check_run(expect, got, want, inputs, hint=None):
    expect.true(isinstance(got, dict) and all(key in got for key in want),
                'train should return a dict with the keys "weights", "epoch_loss" and '
                '"update_loss"', inputs=inputs)
    expect.equal(len(got["epoch_loss"]), len(want["epoch_loss"]), inputs=inputs,
                 what='the number of entries in "epoch_loss"',
                 hint="the loss over all examples at the start, then once after each epoch: "
                      "epochs + 1 numbers")
    expect.equal(len(got["update_loss"]), len(want["update_loss"]), inputs=inputs,
                 what='the number of entries in "update_loss"',
                 hint="every epoch's batch losses, one after the other: add each epoch's list "
                      "to the end (extend), do not replace it")
    expect.close(got["epoch_loss"], want["epoch_loss"], inputs=inputs, what='"epoch_loss"',
                 hint=hint)
    expect.close(got["update_loss"], want["update_loss"], inputs=inputs, what='"update_loss"',
                 hint=hint)
    expect.close(got["weights"], want["weights"], inputs=inputs, what='"weights"', hint=hint)


@suite.test(function="train", points=3)
def reshuffles_every_epoch(student, expect):
    """Three epochs of batches of 4 from one Generator: a new order every epoch."""
    X, y, w = linear_data(30, 12)
    inputs = "12 examples, learning_rate=0.2, batch_size=4, epochs=3, seed=2"
    check_run(expect, student.train(X, y, w, 0.2, 4, 3, 2),
              reference_train(X, y, w, 0.2, 4, 3, 2), inputs,
              "build ONE rng = np.random.default_rng(seed) before the loop and pass that same "
              "rng to sgd_epoch in every epoch; passing the seed itself deals the same order "
              "every epoch")


@suite.test(function="train", points=2)
def full_batch_training(student, expect):
    """batch_size = n: one update per epoch, whatever the order."""
    X, y, w = linear_data(31, 10)
    inputs = "10 examples, learning_rate=0.3, batch_size=10, epochs=5, seed=0"
    check_run(expect, student.train(X, y, w, 0.3, 10, 5, 0),
              reference_train(X, y, w, 0.3, 10, 5, 0), inputs)


@suite.test(function="train", points=1, hidden=True)
def counts_every_update(student, expect):
    X, y, w = linear_data(32, 10)
    inputs = "10 examples, learning_rate=0.1, batch_size=3, epochs=4, seed=1"
    check_run(expect, student.train(X, y, w, 0.1, 3, 4, 1),
              reference_train(X, y, w, 0.1, 3, 4, 1), inputs)


@suite.test(function="train", points=1, hidden=True)
def no_epochs(student, expect):
    X, y, w = linear_data(33, 5)
    inputs = "epochs=0"
    check_run(expect, student.train(X, y, w, 0.1, 2, 0, 0),
              reference_train(X, y, w, 0.1, 2, 0, 0), inputs,
              "with no epochs nothing is trained: the starting weights, their loss, no updates")


@suite.test(function="train", points=1, hidden=True)
def sgd_training(student, expect):
    X, y, w = linear_data(34, 5, m=3)
    inputs = "5 examples, 3 weights, learning_rate=0.05, batch_size=1, epochs=2, seed=3"
    check_run(expect, student.train(X, y, w, 0.05, 1, 2, 3),
              reference_train(X, y, w, 0.05, 1, 2, 3), inputs)


@suite.test(function="train", points=1, hidden=True)
def train_leaves_inputs_alone(student, expect):
    X, y, w = linear_data(35, 8)
    _, changed = student.train.call_checking_inputs(X, y, w, 0.1, 3, 2, 4)
    expect.unchanged(changed, inputs="8 examples, learning_rate=0.1, batch_size=3, epochs=2")
