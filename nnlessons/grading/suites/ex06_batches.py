"""Grader of exercise notebook 06_batches: the number of updates in an epoch, a mini-batch
iterator reshuffled on every call, one epoch of mini-batch gradient descent on a linear neuron,
and training over several epochs from one seeded Generator.

The public tests, shipped for the learner's self-check. Their expected values are stored, not
computed (instructor/expected_values.py computed them once); the hidden tests are the
instructor's (instructor/graders/ex06_batches.py)."""
import numpy as np

from nnlessons.grading.suite import Suite

# The course's own iterator and training loop would do exercises 2 to 4 for the learner.
NO_REFERENCE_BATCHES = ["nnlessons.training.minibatches"]
NO_REFERENCE_TRAINING = NO_REFERENCE_BATCHES + ["nnlessons.training.fit",
                                                "nnlessons.training.sgd_step"]
suite = Suite("06_batches", functions=["updates_per_epoch", "minibatches", "sgd_epoch", "train"],
              forbidden={"minibatches": NO_REFERENCE_BATCHES,
                         "sgd_epoch": NO_REFERENCE_TRAINING,
                         "train": NO_REFERENCE_TRAINING},
              hidden_counts={"updates_per_epoch": 5, "minibatches": 9, "sgd_epoch": 4,
                             "train": 4})

CEIL_HINT = ("round up, not down: the last, smaller batch is an update too (48 examples in "
             "batches of 10 make 5 updates, the last of 8 examples)")


# --- updates_per_epoch(n, batch_size) -> int ---------------------------------------------------

@suite.test(function="updates_per_epoch", points=1, case="ordinary inputs of another size")
def batch_size_divides(student, expect):
    """When the batch size divides n, an epoch is n / batch_size updates."""
    for n, size, want in ((48, 8, 6), (48, 16, 3), (1000, 50, 20)):
        expect.equal(student.updates_per_epoch(n, size), want, inputs=f"n={n}, batch_size={size}",
                     hint="every batch is full: n / batch_size updates, with nothing left over")


@suite.test(function="updates_per_epoch", points=2,
            case="a batch size that does not divide the data")
def last_smaller_batch_counts(student, expect):
    """When it does not divide n, the last, smaller batch is one more update."""
    for n, size, want in ((48, 10, 5), (1000, 32, 32), (10, 3, 4)):
        expect.equal(student.updates_per_epoch(n, size), want, inputs=f"n={n}, batch_size={size}",
                     hint=CEIL_HINT)


@suite.test(function="updates_per_epoch", points=1,
            case="a batch of one example: batches of one example")
def batches_of_one_example(student, expect):
    """Batches of one example (SGD): one update per example."""
    for n, want in ((30, 30), (3, 3)):
        expect.equal(student.updates_per_epoch(n, 1), want, inputs=f"n={n}, batch_size=1",
                     hint="with batches of one example an epoch has n updates")


@suite.test(function="updates_per_epoch", points=1,
            case="a value exactly at a boundary: a batch size of n or more")
def batch_size_of_all_examples(student, expect):
    """A batch size of n, or more than n, deals all the examples as one batch."""
    for n, size in ((20, 20), (20, 64)):
        expect.equal(student.updates_per_epoch(n, size), 1, inputs=f"n={n}, batch_size={size}",
                     hint="a batch size of n or more is one batch of all n examples: one update")


@suite.test(function="updates_per_epoch", points=1, case="the type of the answer")
def count_is_an_int(student, expect):
    """A number of updates is a whole number: an int, not a float like 5.0."""
    got = student.updates_per_epoch(30, 7)
    expect.true(isinstance(got, int) and not isinstance(got, bool),
                f"updates_per_epoch should return a whole number (an int); got "
                f"{type(got).__name__} {got!r}", inputs="n=30, batch_size=7",
                hint="np.ceil gives a float; integer division that rounds up gives an int")
    expect.equal(got, 5, inputs="n=30, batch_size=7", hint=CEIL_HINT)


@suite.test(function="updates_per_epoch", points=1,
            case="an argument that must be refused: a batch size of 0")
def no_empty_batches(student, expect):
    """batch_size = 0 has no answer: a ValueError that says so."""
    expect.raises(lambda: student.updates_per_epoch(5, 0), "ValueError",
                  inputs="n=5, batch_size=0",
                  hint="check batch_size before dividing: raise a ValueError saying it must be "
                       "at least 1")


# --- minibatches(X, y, batch_size, rng) -> yields (X_batch, y_batch) ---------------------------

def numbered(n, k=None, dtype=float):
    """Examples that say who they are: row i of X is (i, i^2), y[i] is 10 i + 5 (or a row of k
    such numbers), so every batch can be traced back to the examples it holds."""
    i = np.arange(n)
    X = np.column_stack([i, i ** 2]).astype(dtype)
    y = 10 * i + 5 if k is None else 10 * i[:, None] + np.arange(k) + 5
    return X, y.astype(dtype)


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


def check_deal(expect, batches, sizes, inputs):
    """Every example exactly once, in batches of these sizes (full ones, then a smaller last)."""
    n = sum(sizes)
    expect.equal([len(rows) for rows in batches], sizes, inputs=inputs,
                 what="the list of batch sizes",
                 hint="slice the order in steps of batch_size: order[start:start + batch_size] "
                      "for start in range(0, n, batch_size); keep the last, smaller batch")
    dealt = np.sort(np.concatenate(batches))
    expect.equal(dealt, np.arange(n), inputs=inputs, what="the list of examples dealt (sorted)",
                 hint="every example exactly once per epoch: one permutation of all n rows")


def check_order(expect, batches, want, inputs):
    """The rows of each batch are `want` (a list of lists of row numbers)."""
    expect.equal([rows.tolist() for rows in batches], want,
                 inputs=inputs, what="the list of rows in each batch",
                 hint="draw the order with rng.permutation(len(X)) (once per call, from the rng "
                      "you were given) and cut it into consecutive slices")


# the batches of 4 rows that np.random.default_rng(3).permutation(10) deals
ORDER_10_4_3 = [[9, 6, 0, 2], [1, 4, 7, 5], [3, 8]]


@suite.test(function="minibatches", points=2, case="a batch size that does not divide the data")
def deals_every_example_once(student, expect):
    """n = 10, batch_size = 4: batches of 4, 4 and 2 holding every example once."""
    X, y = numbered(10)
    inputs = "10 examples, batch_size=4, rng=0"
    batches = dealt_rows(expect, student.minibatches(X, y, 4, 0), X, y, inputs)
    check_deal(expect, batches, [4, 4, 2], inputs)


@suite.test(function="minibatches", points=2, case="ordinary inputs of another size")
def order_is_rng_permutation(student, expect):
    """The order is rng.permutation(n), cut into consecutive batches."""
    X, y = numbered(10)
    inputs = "10 examples, batch_size=4, rng=3"
    batches = dealt_rows(expect, student.minibatches(X, y, 4, 3), X, y, inputs)
    check_order(expect, batches, ORDER_10_4_3, inputs)


@suite.test(function="minibatches", points=1,
            case="another value of an optional argument: the same seed twice, and another seed")
def seed_decides_the_order(student, expect):
    """rng=1 twice deals one order twice; rng=2 another one."""
    X, y = numbered(8)
    runs = [dealt_rows(expect, student.minibatches(X, y, 8, seed), X, y, f"8 examples, rng={seed}")
            for seed in (1, 1, 2)]
    first, again, other = ([int(i) for i in np.concatenate(rows)] for rows in runs)
    expect.equal(first, [5, 0, 1, 4, 2, 6, 3, 7], inputs="8 examples, batch_size=8, rng=1",
                 what="the order of the examples",
                 hint="draw the order from the rng you are given: rng.permutation(len(X))")
    expect.true(first == again, "two calls with the same seed dealt different orders",
                inputs="8 examples, batch_size=8, rng=1 twice",
                hint="draw the order from the rng you are given, not from np.random's global "
                     "generator or a new unseeded one")
    expect.equal(other, [6, 5, 7, 2, 3, 4, 0, 1], inputs="8 examples, batch_size=8, rng=2",
                 what="the order of the examples")


@suite.test(function="minibatches", points=1,
            case="a batch of one example: batches of one example, and a data set of one")
def batches_of_single_examples(student, expect):
    """batch_size=1 makes every example a batch of its own; one example makes one batch."""
    X, y = numbered(5)
    inputs = "5 examples, batch_size=1, rng=4"
    batches = dealt_rows(expect, student.minibatches(X, y, 1, 4), X, y, inputs)
    check_deal(expect, batches, [1, 1, 1, 1, 1], inputs)
    check_order(expect, batches, [[2], [4], [0], [1], [3]], inputs)
    X, y = numbered(1)
    inputs = "1 example, batch_size=2, rng=0"
    batches = dealt_rows(expect, student.minibatches(X, y, 2, 0), X, y, inputs)
    check_deal(expect, batches, [1], inputs)


@suite.test(function="minibatches", points=1,
            case="a value exactly at a boundary: a batch size of n or more")
def one_shuffled_batch(student, expect):
    """batch_size = n, or more: all the examples in one shuffled batch."""
    X, y = numbered(5)
    for size in (5, 9):
        inputs = f"5 examples, batch_size={size}, rng=2"
        batches = dealt_rows(expect, student.minibatches(X, y, size, 2), X, y, inputs)
        check_deal(expect, batches, [5], inputs)
        check_order(expect, batches, [[2, 4, 3, 0, 1]], inputs)


@suite.test(function="minibatches", points=1, case="a 2-D array: targets with several columns")
def targets_of_two_columns(student, expect):
    """y of shape (6, 2): each batch keeps both columns of its examples' targets."""
    X, y = numbered(6, k=2)
    inputs = "6 examples, y of shape (6, 2) (row i is [10 i + 5, 10 i + 6]), batch_size=4, rng=5"
    batches = dealt_rows(expect, student.minibatches(X, y, 4, 5), X, y, inputs)
    check_deal(expect, batches, [4, 2], inputs)


@suite.test(function="minibatches", points=1, case="integer inputs: inputs and targets")
def integer_examples(student, expect):
    """Integer X and y are dealt as they are."""
    X, y = numbered(7, dtype=np.int64)
    inputs = "7 examples with integer X and y, batch_size=2, rng=6"
    batches = dealt_rows(expect, student.minibatches(X, y, 2, 6), X, y, inputs)
    check_deal(expect, batches, [2, 2, 2, 1], inputs)


@suite.test(function="minibatches", points=1, case="your function changed its input")
def examples_left_in_place(student, expect):
    """The caller's X and y are in their original order after the call."""
    X, y = numbered(9)
    _, changed = student.minibatches.call_checking_inputs(X, y, 4, 13)
    expect.unchanged(changed, inputs="9 examples, batch_size=4, rng=13",
                     hint="shuffle an order of row numbers and index with it (X[rows]); "
                          "shuffling X itself changes the caller's data")


@suite.test(function="minibatches", points=1,
            case="an argument that must be refused: a batch size of 0")
def refuses_empty_batches(student, expect):
    """batch_size = 0: a ValueError whose message names batch_size."""
    X, y = numbered(4)
    inputs = "4 examples, batch_size=0, rng=1"
    message = expect.raises(lambda: student.minibatches(X, y, 0, 1), "ValueError",
                            inputs=inputs, hint="check batch_size before dealing")
    expect.true("batch_size" in message, f"the ValueError should say that batch_size is wrong; "
                f"its message is {message!r}", inputs=inputs,
                hint="name batch_size in the message and say it must be at least 1")


# --- sgd_epoch(X, y, weights, learning_rate, batch_size, rng) -> (weights, losses) -------------

# Noisy examples of y = 4 x1 + 3 x2 (rounded to two decimals) and a starting point away from the
# answer: the first n rows are the data of a test with n examples.
X_12 = [[0.56, 0.21], [0.42, -0.82], [0.26, 0.96], [-0.15, -0.78], [0.92, 0.35], [-0.61, 0.34],
        [0.99, -0.58], [0.71, 0.4], [-0.56, -0.63], [0.91, -0.32], [-0.12, 0.31], [-0.12, -1.0]]
Y_12 = [2.84, -0.52, 3.97, -2.46, 4.49, -1.25, 2.35, 3.77, -4.47, 2.98, 0.62, -3.52]
START = [0.39, -0.68]


def examples(n):
    return np.array(X_12[:n]), np.array(Y_12[:n]), np.array(START)


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


@suite.test(function="sgd_epoch", points=2, case="a value exactly at a boundary")
def full_batch_is_one_step(student, expect):
    """batch_size = n: one update whose loss is the loss over all examples before the step."""
    X, y, w = examples(8)
    inputs = "8 examples, 2 weights, learning_rate=0.1, batch_size=8 (full batch)"
    check_epoch(expect, student.sgd_epoch(X, y, w, 0.1, 8, 0),
                ([0.6741266, -0.42786645], [9.320137325]), inputs, MEAN_HINT)


@suite.test(function="sgd_epoch", points=2, case="a batch size that does not divide the data")
def mini_batches_in_order(student, expect):
    """batch_size = 4 on 12 examples: three updates, in the order your minibatches deals."""
    X, y, w = examples(12)
    inputs = "12 examples, 2 weights, learning_rate=0.2, batch_size=4, rng=1"
    check_epoch(expect, student.sgd_epoch(X, y, w, 0.2, 4, 1),
                ([1.8438077617336717, 0.7907561985672524],
                 [18.1043392225, 2.085988765207101, 3.812405736311917]), inputs,
                "take the batches from your own minibatches(X, y, batch_size, rng), in order; "
                + MEAN_HINT)


@suite.test(function="sgd_epoch", points=1,
            case="a batch of one example: batches of one example (SGD)")
def one_step_per_example(student, expect):
    """batch_size = 1: five updates, each loss that of one example before its step."""
    X, y, w = examples(5)
    inputs = "the first 5 examples, learning_rate=0.05, batch_size=1 (SGD), rng=7"
    check_epoch(expect, student.sgd_epoch(X, y, w, 0.05, 1, 7),
                ([1.010255744103169, 0.20721505378148136],
                 [20.443057959999997, 6.7986233701703265, 15.647012127863022,
                  0.981278005405158, 5.250505754364433]), inputs,
                "one update per example, in the order your minibatches deals; " + MEAN_HINT)


@suite.test(function="sgd_epoch", points=1, case="integer inputs: integer data and weights")
def integer_data_and_weights(student, expect):
    """Integer X, y and weights: the new weights are floats."""
    X, y = np.array([[2, 1], [1, 3], [0, 2], [3, 0]]), np.array([11, 13, 6, 12])
    w = np.array([0, 2])
    inputs = ("X = [[2, 1], [1, 3], [0, 2], [3, 0]], y = [11, 13, 6, 12], weights = [0, 2] "
              "(all integers), learning_rate=0.02, batch_size=2, rng=5")
    got = student.sgd_epoch(X, y, w, 0.02, 2, 5)
    weights, _ = epoch_parts(expect, got, 2, inputs)
    expect.dtype(weights, "f", inputs=inputs, what="the new weights array",
                 hint="start from a float copy of the weights: an integer array cannot hold "
                      "the fractions of a step")
    check_epoch(expect, got, ([1.1344, 2.6036], [96.5, 24.2026]), inputs)


@suite.test(function="sgd_epoch", points=1, case="your function changed its input")
def epoch_inputs_left_alone(student, expect):
    """X, y and the caller's weights are the same after the epoch."""
    X, y, w = examples(6)
    _, changed = student.sgd_epoch.call_checking_inputs(X, y, w, 0.1, 2, 6)
    expect.unchanged(changed, inputs="the first 6 examples, learning_rate=0.1, batch_size=2, "
                                     "rng=6",
                     hint="w = w - step makes a new array; w -= step overwrites the caller's "
                          "weights")


# --- train(X, y, weights, learning_rate, batch_size, epochs, seed) -> dict ---------------------

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


@suite.test(function="train", points=3, case="ordinary inputs of another size")
def reshuffles_every_epoch(student, expect):
    """Three epochs of batches of 4 from one Generator: a new order every epoch."""
    X, y, w = examples(12)
    inputs = "12 examples, learning_rate=0.2, batch_size=4, epochs=3, seed=2"
    want = {"weights": [3.2266378061993093, 2.117455644645534],
            "epoch_loss": [10.023233904166666, 3.699838808741181, 1.3681357516662926,
                           0.5228052352710573],
            "update_loss": [8.662800832499999, 6.529133912308161, 7.262724327259252,
                            4.5560843429358595, 2.2594490085145473, 1.7149600199156594,
                            0.8340144581240312, 1.2941969878539092, 1.0477043473945569]}
    check_run(expect, student.train(X, y, w, 0.2, 4, 3, 2), want, inputs,
              "build ONE rng = np.random.default_rng(seed) before the loop and pass that same "
              "rng to sgd_epoch in every epoch; passing the seed itself deals the same order "
              "every epoch")


@suite.test(function="train", points=2, case="a value exactly at a boundary")
def full_batch_training(student, expect):
    """batch_size = n: one update per epoch, whatever the order."""
    X, y, w = examples(10)
    inputs = "10 examples, learning_rate=0.3, batch_size=10, epochs=5, seed=0"
    want = {"weights": [3.2575263880999543, 1.7421852564269442],
            "epoch_loss": [10.225955484999998, 5.889984514828774, 3.4209306929200167,
                           2.0076114639082436, 1.1942474533088696, 0.7235839552116097],
            "update_loss": [10.225955485, 5.8899845148287735, 3.4209306929200167,
                            2.007611463908244, 1.1942474533088692]}
    check_run(expect, student.train(X, y, w, 0.3, 10, 5, 0), want, inputs)


@suite.test(function="train", points=1,
            case="a batch size that does not divide the data: several epochs")
def uneven_batches_every_epoch(student, expect):
    """7 examples in batches of 3: three updates per epoch, the last of one example."""
    X, y, w = examples(7)
    inputs = "the first 7 examples, learning_rate=0.1, batch_size=3, epochs=2, seed=4"
    want = {"weights": [1.7094003636708028, 0.16402989222632242],
            "epoch_loss": [8.626445798571428, 5.964597698881566, 4.157326923583877],
            "update_loss": [9.875346426666665, 8.073737553320152, 2.1583257231371826,
                            6.317627040663123, 6.2846188486731025, 1.0442719737345638]}
    check_run(expect, student.train(X, y, w, 0.1, 3, 2, 4), want, inputs,
              "update_loss holds every batch's loss of every epoch, the last, smaller batch "
              "included")


@suite.test(function="train", points=1, case="nothing to do: zero epochs")
def zero_epochs(student, expect):
    """epochs = 0: the starting weights, their loss, and no updates."""
    X, y, w = examples(6)
    inputs = "the first 6 examples, learning_rate=0.1, batch_size=2, epochs=0, seed=1"
    check_run(expect, student.train(X, y, w, 0.1, 2, 0, 1),
              {"weights": [0.39, -0.68], "epoch_loss": [9.653631723333334], "update_loss": []},
              inputs, "with no epochs nothing is trained: the starting weights, their loss "
                      "over all examples, no updates")


@suite.test(function="train", points=1,
            case="a batch of one example: several epochs of batches of one example")
def sgd_over_two_epochs(student, expect):
    """Two epochs of batches of one: eight updates, two orders from one Generator."""
    X, y, w = examples(4)
    inputs = "the first 4 examples, learning_rate=0.05, batch_size=1, epochs=2, seed=5"
    want = {"weights": [0.8807199293541473, 0.684604001940444],
            "epoch_loss": [9.5555192225, 6.395482182419816, 4.4222826867509495],
            "update_loss": [8.596037610000002, 1.1499273291874497, 17.78916044122794,
                            6.513031016767724, 13.778166768313595, 3.988646845001931,
                            5.209395936803411, 0.1288802222600911]}
    check_run(expect, student.train(X, y, w, 0.05, 1, 2, 5), want, inputs,
              "one rng for the whole run, passed to every epoch, and one loss per update")


@suite.test(function="train", points=1, case="your function changed its input")
def training_inputs_left_alone(student, expect):
    """X, y and the caller's starting weights are the same after training."""
    X, y, w = examples(6)
    _, changed = student.train.call_checking_inputs(X, y, w, 0.1, 2, 2, 3)
    expect.unchanged(changed, inputs="the first 6 examples, learning_rate=0.1, batch_size=2, "
                                     "epochs=2, seed=3",
                     hint="train a copy of the weights; do not change X, y or the weights in "
                          "place")


# --- settle(X, y, weights, learning_rate, batch_size, epochs, seed) -> dict -------------------
# Past what lesson 06 wrote out: the learner chooses a decay schedule; graded on where SGD ends.
suite.forbidden["settle"] = NO_REFERENCE_TRAINING + ["nnlessons.training.decay"]
suite.hidden_counts["settle"] = 3
SETTLE_LIMIT = 0.025  # how close to the lowest point the walk must end


def noisy_bowl(n, seed, noise_seed):
    """data.bowl(n, seed) with noise added to the targets, so that no weights fit exactly."""
    from nnlessons import data
    X, y = data.bowl(n, seed=seed)
    return X, y[:, 0] + np.random.default_rng(noise_seed).normal(0.0, 0.5, n)


def check_settled(expect, got, lowest, learning_rate, epochs, inputs):
    """settle's answer: its form, a schedule that starts at learning_rate and never grows, and
    final weights within SETTLE_LIMIT of `lowest`."""
    expect.true(isinstance(got, dict) and "weights" in got and "rates" in got,
                'settle should return {"weights": ..., "rates": [...]}', inputs=inputs)
    rates = np.asarray(got["rates"], dtype=float)
    expect.shape(rates, (epochs,), inputs=inputs, what="rates",
                 hint="one rate per epoch, in order")
    expect.close(rates[0], learning_rate, inputs=inputs, what="the first epoch's rate",
                 hint="epoch 0 uses the learning_rate you are given")
    expect.true(bool(np.all(np.diff(rates) <= 0)) and rates[-1] > 0,
                "the rates should never grow and stay above 0", inputs=inputs)
    expect.shape(got["weights"], np.shape(lowest), inputs=inputs, what="the weights")
    distance = float(np.linalg.norm(np.asarray(got["weights"], dtype=float) - lowest))
    expect.true(distance < SETTLE_LIMIT,
                f"the weights end {distance:.4f} from the lowest point; they should end within "
                f"{SETTLE_LIMIT}", inputs=inputs,
                hint="print the distance for a few schedules: a fixed rate keeps jittering, a "
                     "rate that shrinks very fast freezes before the walk arrives")


@suite.test(function="settle", points=3,
            case="ordinary inputs of another size: the notebook's data, batches of 1")
def settle_sgd_on_the_bowl(student, expect):
    """The notebook's data: SGD with batches of 1 for 50 epochs, from 0.1."""
    X, y = noisy_bowl(48, 0, 1)
    inputs = "the notebook's 48 noisy examples, start [-1, -2], learning_rate=0.1, " \
             "batch_size=1, epochs=50, seed=0"
    got = student.settle(X, y, np.array([-1.0, -2.0]), 0.1, 1, 50, 0)
    check_settled(expect, got, [3.923936272590438, 2.95592871549485], 0.1, 50, inputs)
