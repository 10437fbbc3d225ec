"""Grader of exercise notebook 09_capstone: a digit reader built from the learner's own parts
(starting weights, forward pass, cross-entropy, backward pass, mini-batches, updates, accuracy,
training with early stopping, the weights in a .npz file).

The public tests, shipped for the learner's self-check. Their expected values are stored, not
computed (instructor/expected_values.py and the course's MLP computed them once); the hidden
tests, the gradient check on hidden shapes and the test accuracy measured on digits the notebook
never shows, are the instructor's (instructor/graders/ex09_capstone.py)."""
import numpy as np

from nnlessons.grading.expect import scalar
from nnlessons.grading.suite import Suite

# Everything of the course that computes a network is off limits: the capstone is built from
# the learner's own parts. Loading the digits (nnlessons.data) stays allowed.
NO_COURSE_NETWORK = [
    "nnlessons.network.MLP", "nnlessons.training.fit", "nnlessons.training.train_epoch",
    "nnlessons.training.minibatches", "nnlessons.training.sgd_step",
    "nnlessons.training.accuracy", "nnlessons.training.score",
    "nnlessons.activations.relu", "nnlessons.activations.relu_prime",
    "nnlessons.activations.relu_prime_from_output", "nnlessons.activations.prime_from_output",
    "nnlessons.activations.softmax", "nnlessons.activations.softmax_backward",
    "nnlessons.activations.get",
    "nnlessons.losses.categorical_cross_entropy",
    "nnlessons.losses.categorical_cross_entropy_gradient",
    "nnlessons.losses.categorical_cross_entropy_from_logits",
    "nnlessons.losses.categorical_cross_entropy_from_logits_gradient",
    "nnlessons.losses._categorical_cross_entropy_from_logits",
    "nnlessons.losses._softmax_and_cross_entropy",
    "nnlessons.losses._cross_entropy_gradient_from_softmax",
    "nnlessons.losses.one_hot",
]
FUNCTIONS = ["init_params", "forward", "cross_entropy", "backward", "minibatches", "sgd_update",
             "accuracy", "train", "save_weights", "load_weights"]
# The file the notebook saves the trained network in, and the names of its arrays.
WEIGHTS_FILE = "digits_weights.npz"
NAMES = ("W1", "b1", "W2", "b2")

suite = Suite("09_capstone", functions=FUNCTIONS,
              forbidden={name: NO_COURSE_NETWORK + (["nnlessons.calculus.numerical_gradient"]
                                                    if name == "backward" else [])
                         for name in FUNCTIONS},
              hidden_counts={"init_params": 2, "forward": 3, "cross_entropy": 2, "backward": 4,
                             "minibatches": 3, "sgd_update": 2, "accuracy": 1, "train": 3,
                             "save_weights": 1, "load_weights": 3})

# A 3-4-3 network and two examples, used by several public tests.
SMALL_X = [[0.5, -1.0, 2.0], [1.5, 0.2, -0.3]]
SMALL_LABELS = [2, 0]
SMALL = {"W1": [[0.4, -0.9, 0.2, 0.1], [0.7, 0.3, -0.5, 0.6], [-0.2, 0.8, 0.1, -0.4]],
         "b1": [0.05, 0.1, -0.1, 0.0],
         "W2": [[1.0, -0.5, 0.3], [-0.8, 0.6, 0.2], [0.3, 1.1, -0.7], [0.5, -0.2, 0.9]],
         "b2": [0.2, -0.1, 0.0]}
SMALL_INPUTS = "2 examples, a 3-4-3 network (ReLU hidden layer, softmax output)"


def arrays(params):
    return {name: np.array(value, dtype=float) for name, value in params.items()}


def check_params(expect, got, shapes, inputs, what="the parameters"):
    """A dict with the keys W1, b1, W2, b2 whose arrays have the given shapes."""
    expect.true(isinstance(got, dict), f"{what} should be a dict with the keys W1, b1, W2, b2",
                inputs=inputs)
    missing = [name for name in NAMES if name not in got]
    expect.true(not missing, f"{what} have no key {missing[:1]}: they need W1, b1, W2, b2",
                inputs=inputs)
    for name, shape in zip(NAMES, shapes):
        expect.shape(got[name], shape, inputs=inputs, what=f"{name}",
                     hint="W1 is (inputs, hidden), b1 (hidden,), W2 (hidden, classes), "
                          "b2 (classes,)")


def check_forward_pair(expect, got, n, h, k, inputs):
    expect.true(isinstance(got, (tuple, list)) and len(got) == 2,
                "forward should return the pair (A1, P)", inputs=inputs)
    expect.shape(got[0], (n, h), inputs=inputs, what="A1", hint="one row per example, one "
                 "column per hidden neuron")
    expect.shape(got[1], (n, k), inputs=inputs, what="P", hint="one row per example, one "
                 "column per class")


def check_history(expect, history, epochs, patience, inputs):
    """The form of train's history and the early-stopping rule, whatever the numbers."""
    expect.true(isinstance(history, dict), "train should return (best_params, history) with "
                "history a dict", inputs=inputs)
    keys = ("train_loss", "val_loss", "val_accuracy", "best_epoch")
    missing = [key for key in keys if key not in history]
    expect.true(not missing, f"history has no key {missing[:1]}: it needs {list(keys)}",
                inputs=inputs)
    run = len(history["val_loss"])
    expect.true(1 <= run <= epochs and len(history["train_loss"]) == run
                and len(history["val_accuracy"]) == run,
                f"history should hold one value per epoch run in each list (between 1 and "
                f"{epochs}); got {len(history['train_loss'])}, {run} and "
                f"{len(history['val_accuracy'])} values", inputs=inputs)
    losses = np.asarray(history["val_loss"], dtype=float)
    best = int(np.argmin(losses)) + 1  # the first of equal lowest losses
    expect.equal(history["best_epoch"], best, inputs=inputs, what="best_epoch",
                 hint="best_epoch counts from 1 and is the epoch of the lowest validation loss "
                      "(the first of equal ones)")
    stop = min(epochs, best + patience)
    expect.equal(run, stop, inputs=inputs, what="the number of epochs run",
                 hint="stop once patience epochs in a row have not lowered the best validation "
                      "loss, or after epochs epochs, not sooner and not later")


# --- init_params(n_inputs, n_hidden, n_outputs, seed) -----------------------------------------

@suite.test(function="init_params", points=1,
            case="the type of the answer: four arrays shaped for a 5-4-3 network, biases zero")
def init_params_shapes(student, expect):
    """The four arrays, shaped for a 5-4-3 network, biases zero."""
    got = student.init_params(5, 4, 3, 0)
    check_params(expect, got, [(5, 4), (4,), (4, 3), (3,)], "init_params(5, 4, 3, seed=0)")
    expect.close(got["b1"], [0.0] * 4, what="b1", hint="biases start at zero")
    expect.close(got["b2"], [0.0] * 3, what="b2", hint="biases start at zero")


@suite.test(function="init_params", points=1,
            case="ordinary inputs of another size: a 400-300-10 network")
def init_params_spread(student, expect):
    """Standard deviation sqrt(2 / fan-in) in each layer (a 400-300-10 network)."""
    got = student.init_params(400, 300, 10, 0)
    check_params(expect, got, [(400, 300), (300,), (300, 10), (10,)],
                 "init_params(400, 300, 10, seed=0)")
    for name, want in (("W1", 0.07071067811865475), ("W2", 0.08164965809277261)):
        expect.close(float(np.std(got[name])), want, rtol=0.05, what=f"the spread of {name}",
                     inputs="init_params(400, 300, 10, seed=0)",
                     hint="each layer's spread is sqrt(2 / its own number of inputs): 400 for "
                          "W1, 300 for W2")


# --- forward(X, params) -> (A1, P) ------------------------------------------------------------

@suite.test(function="forward", points=2,
            case="ordinary inputs of another size: a small network")
def forward_small(student, expect):
    """Hidden ReLU activations and softmax probabilities of a small network."""
    got = student.forward(np.array(SMALL_X), arrays(SMALL))
    check_forward_pair(expect, got, 2, 4, 3, SMALL_INPUTS)
    expect.close(got[0], [[0.0, 0.9500000000000001, 0.7000000000000001, 0.0],
                          [0.8500000000000002, 0.0, 0.07000000000000003, 0.39]],
                 inputs=SMALL_INPUTS, what="A1",
                 hint="A1 = max(X W1 + b1, 0): negative sums become 0")
    expect.close(got[1], [[0.1437810382210587, 0.7050661120902059, 0.15115284968873538],
                          [0.6028589970893794, 0.10045233473120943, 0.29668866817941125]],
                 inputs=SMALL_INPUTS, what="P",
                 hint="softmax along each row: every row of P sums to 1")


@suite.test(function="forward", points=1, case="a batch of one example")
def forward_one_example_small(student, expect):
    """The first example of forward_small alone: the same rows, one example."""
    got = student.forward(np.array(SMALL_X[:1]), arrays(SMALL))
    inputs = "1 example, a 3-4-3 network (ReLU hidden layer, softmax output)"
    check_forward_pair(expect, got, 1, 4, 3, inputs)
    expect.close(got[0], [[0.0, 0.9500000000000001, 0.7000000000000001, 0.0]], inputs=inputs,
                 what="A1", hint="keep X two-dimensional: one row per example")
    expect.close(got[1], [[0.1437810382210587, 0.7050661120902059, 0.15115284968873538]],
                 inputs=inputs, what="P",
                 hint="take each row's largest score along axis 1, not over the whole array")


@suite.test(function="forward", points=1, case="your function changed its input")
def forward_keeps_its_inputs(student, expect):
    """X and the parameters are the caller's: A1 and P are new arrays."""
    _, changed = student.forward.call_checking_inputs(np.array(SMALL_X), arrays(SMALL))
    expect.unchanged(changed, inputs=SMALL_INPUTS,
                     hint="build new arrays; do not write into X or the parameters")


# A 2-3-2 network and its inputs as text, used by the tests below.
NET_232 = {"W1": [[0.6, -0.4, 0.9], [0.2, 0.7, -0.3]], "b1": [0.1, 0.05, -0.2],
           "W2": [[0.5, -0.8], [1.1, 0.2], [-0.4, 0.9]], "b2": [0.0, 0.1]}
NET_232_TEXT = ("W1 = [[0.6, -0.4, 0.9], [0.2, 0.7, -0.3]], b1 = [0.1, 0.05, -0.2], "
                "W2 = [[0.5, -0.8], [1.1, 0.2], [-0.4, 0.9]], b2 = [0, 0.1]")


@suite.test(function="forward", points=1, case="very large inputs: very large scores")
def forward_huge_scores(student, expect):
    """W1 times 50 and W2 times 60: scores in the thousands, probabilities 0 and 1, never NaN."""
    params = arrays(NET_232)
    params["W1"], params["W2"] = params["W1"] * 50.0, params["W2"] * 60.0
    inputs = ("X = [[2, -1], [-1.5, 3]], the network " + NET_232_TEXT + " with W1 times 50 and "
              "W2 times 60 (scores from -1012 to 8913)")
    got = student.forward(np.array([[2.0, -1.0], [-1.5, 3.0]]), params)
    check_forward_pair(expect, got, 2, 3, 2, inputs)
    expect.finite(got[1], what="P", inputs=inputs,
                  hint="subtract each row's largest score before exponentiating; then no "
                       "exponent is positive")
    expect.close(got[0], [[50.1, 0.0, 104.8], [0.0, 135.05, 0.0]], inputs=inputs, what="A1")
    expect.close(got[1], [[0.0, 1.0], [1.0, 0.0]], rtol=1e-6, atol=1e-12, inputs=inputs,
                 what="P")


# --- cross_entropy(P, labels) -> float --------------------------------------------------------

@suite.test(function="cross_entropy", points=2,
            case="ordinary inputs of another size: three examples, three classes")
def cross_entropy_small(student, expect):
    """Three examples, three classes."""
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.25, 0.5, 0.25]])
    got = student.cross_entropy(P, np.array([0, 2, 1]))
    expect.close(got, 0.4243218919376292, inputs="P = [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], "
                 "[0.25, 0.5, 0.25]], labels = [0, 2, 1]",
                 hint="minus the mean of the log of each row's probability at its label")


@suite.test(function="cross_entropy", points=1,
            case="a value exactly at a boundary: a probability of exactly 0 at the label")
def cross_entropy_zero_at_the_label(student, expect):
    """A probability 0 at the label: clipped to 1e-12, the loss is -log(1e-12), finite."""
    got = student.cross_entropy(np.array([[0.0, 1.0]]), np.array([0]))
    expect.finite(got, inputs="P = [[0, 1]], labels = [0]")
    expect.close(got, 27.631021115928547, rtol=1e-9, inputs="P = [[0, 1]], labels = [0]",
                 hint="clip the picked probabilities to at least 1e-12 before the log")


# --- backward(X, labels, params) -> dict ------------------------------------------------------

@suite.test(function="backward", points=3,
            case="ordinary inputs of another size: a small network")
def backward_small_net(student, expect):
    """The gradients of a small network, computed once by a numerically checked backprop."""
    got = student.backward(np.array(SMALL_X), np.array(SMALL_LABELS), arrays(SMALL))
    check_params(expect, got, [(3, 4), (4,), (4, 3), (3,)], SMALL_INPUTS, what="the gradients")
    want = {"W1": [[-0.26877042736680157, 0.0345613516537559, 0.19097990970002454,
                    0.036269124719938414],
                   [-0.035836056982240204, -0.0691227033075118, -0.728082700031159,
                    0.004835883295991789],
                   [0.05375408547336031, 0.1382454066150236, 1.4453490600425958,
                    -0.007253824943987682]],
            "b1": [-0.17918028491120103, 0.0691227033075118, 0.5982866197944928,
                   0.024179416479958943],
            "W2": [[-0.16878492623701385, 0.04269224226076402, 0.12609268397624981],
                   [0.06829599315500288, 0.3349064032428478, -0.4032023963978507],
                   [0.03642342827549882, 0.2502889709471644, -0.28671239922266323],
                   [-0.07744249556757105, 0.01958820527258584, 0.0578542902949852]],
            "b2": [-0.126679982344781, 0.40275922341070763, -0.27607924106592663]}
    for name in ("W2", "b2", "W1", "b1"):  # the last layer first, like backprop itself
        expect.close(got[name], want[name], rtol=1e-6, atol=1e-10, inputs=SMALL_INPUTS,
                     what=f"the gradient {name}",
                     hint="delta2 = (P - one-hot labels) / n; delta1 = delta2 W2^T times the "
                          "ReLU slope (1 where A1 > 0)")


@suite.test(function="backward", points=1, case="your function changed its input")
def backward_keeps_its_inputs(student, expect):
    """X, the labels and the parameters are the caller's: the gradients are new arrays."""
    _, changed = student.backward.call_checking_inputs(np.array(SMALL_X),
                                                       np.array(SMALL_LABELS), arrays(SMALL))
    expect.unchanged(changed, inputs=SMALL_INPUTS,
                     hint="work on a copy of P when you subtract the one-hot labels")


@suite.test(function="backward", points=1,
            case="checked against a numerical gradient: a 2-3-2 network")
def backward_numerically(student, expect):
    """The expected values are a numerical gradient (central differences, h = 1e-5) of the mean
    cross-entropy, nudging one parameter at a time: what the notebook's check cell does."""
    X, labels = np.array([[1.0, -0.5], [0.3, 0.8], [-1.2, 0.4]]), np.array([0, 1, 1])
    inputs = ("X = [[1, -0.5], [0.3, 0.8], [-1.2, 0.4]], labels = [0, 1, 1], " + NET_232_TEXT
              + "; expected: a numerical gradient of the loss")
    got = student.backward(X, labels, arrays(NET_232))
    check_params(expect, got, [(2, 3), (3,), (3, 2), (2,)], inputs, what="the gradients")
    want = {"W1": [[-0.16925782717613913, -0.1705893353576293, 0.26202760338156494],
                   [0.3783998715478631, 0.2495388008116883, -0.13101380168523136]],
            "b1": [0.04720498393284699, 0.4097629031196703, 0.26202760338156494],
            "W2": [[-0.016272479685941477, 0.016272479685941477],
                   [0.29266782208825504, -0.2926678220771528],
                   [-0.17132574066103243, 0.17132574066103243]],
            "b2": [0.2537324196527635, -0.2537324196527635]}
    for name in ("W2", "b2", "W1", "b1"):
        expect.close(got[name], want[name], rtol=1e-5, atol=1e-8, inputs=inputs,
                     what=f"the gradient {name}",
                     hint="compare yours with numerical ones, parameter by parameter, as the "
                          "notebook's check cell does")


@suite.test(function="backward", points=1, case="a batch of one example")
def backward_single_example(student, expect):
    """One example (its second hidden neuron is off): the bias gradients still sum over axis 0."""
    inputs = "X = [[0.6, -0.2]], labels = [1], " + NET_232_TEXT
    got = student.backward(np.array([[0.6, -0.2]]), np.array([1]), arrays(NET_232))
    check_params(expect, got, [(2, 3), (3,), (3, 2), (2,)], inputs, what="the gradients")
    want = {"W1": [[0.37557658128611116, 0.0, -0.37557658128611116],
                   [-0.12519219376203705, 0.0, 0.12519219376203705]],
            "b1": [0.6259609688101853, 0.0, -0.6259609688101853],
            "W2": [[0.20223354376944444, -0.20223354376944444], [0.0, 0.0],
                   [0.19260337501851857, -0.19260337501851857]],
            "b2": [0.48150843754629635, -0.48150843754629635]}
    for name in ("W2", "b2", "W1", "b1"):
        expect.close(got[name], want[name], rtol=1e-6, atol=1e-10, inputs=inputs,
                     what=f"the gradient {name}",
                     hint="keep every array two-dimensional; the bias gradients sum over axis 0")


# --- minibatches(X, y, batch_size, rng) -> [(X_batch, y_batch), ...] -------------------------

@suite.test(function="minibatches", points=2,
            case="a batch size that does not divide the data: 10 examples in batches of 4")
def minibatches_deal(student, expect):
    """10 examples in batches of 4, 4 and 2, in the order rng.permutation(10)."""
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    got = student.minibatches(X, y, 4, 3)
    inputs = "X = arange(20).reshape(10, 2), y = arange(10), batch_size=4, rng=3"
    expect.true(isinstance(got, list) and len(got) == 3, "10 examples in batches of 4 make 3 "
                "batches (4, 4 and 2)", inputs=inputs)
    want = [[9, 6, 0, 2], [1, 4, 7, 5], [3, 8]]  # np.random.default_rng(3).permutation(10)
    for (X_batch, y_batch), rows in zip(got, want):
        expect.close(y_batch, rows, inputs=inputs, what="the y of a batch",
                     hint="cut rng.permutation(n) into consecutive slices of batch_size")
        expect.close(X_batch, X[rows], inputs=inputs, what="the X of a batch",
                     hint="take the same rows of X and y, so that each pair stays together")


@suite.test(function="minibatches", points=1,
            case="a value exactly at a boundary: a batch size equal to the number of examples")
def minibatches_all_in_one(student, expect):
    """3 examples in batches of 3: one batch, in the order rng.permutation(3)."""
    X, y = np.arange(6.0).reshape(3, 2), np.arange(3)
    got = student.minibatches(X, y, 3, 5)
    inputs = "X = arange(6).reshape(3, 2), y = arange(3), batch_size=3, rng=5"
    expect.true(isinstance(got, list) and len(got) == 1, "3 examples in batches of 3 make one "
                "batch", inputs=inputs)
    rows = [1, 2, 0]  # np.random.default_rng(5).permutation(3)
    expect.close(got[0][1], rows, inputs=inputs, what="the y of the batch",
                 hint="cut rng.permutation(n) into consecutive slices of batch_size")
    expect.close(got[0][0], X[rows], inputs=inputs, what="the X of the batch")


@suite.test(function="minibatches", points=1,
            case="an argument that must be refused: a batch size of 0")
def minibatches_refuses_zero_batch(student, expect):
    """A batch size below 1 is refused with a ValueError naming batch_size."""
    X, y = np.arange(6.0).reshape(3, 2), np.arange(3)
    message = expect.raises(lambda: student.minibatches(X, y, 0, 5), "ValueError",
                            inputs="3 examples, batch_size=0",
                            hint="refuse a batch size below 1 with a ValueError")
    expect.true("batch_size" in message, "the ValueError should say that batch_size is wrong",
                inputs="3 examples, batch_size=0")


# --- sgd_update(params, grads, learning_rate) -> dict -----------------------------------------

@suite.test(function="sgd_update", points=1,
            case="ordinary inputs of another size: a 1-2-1 network")
def sgd_update_step(student, expect):
    """Every parameter moves by -learning_rate times its gradient."""
    params = arrays({"W1": [[0.5, -0.3]], "b1": [0.1, -0.2], "W2": [[1.5], [-0.4]], "b2": [0.3]})
    grads = arrays({"W1": [[0.2, 0.1]], "b1": [0.05, -0.1], "W2": [[-0.3], [0.2]], "b2": [0.1]})
    got = student.sgd_update(params, grads, 0.5)
    check_params(expect, got, [(1, 2), (2,), (2, 1), (1,)], "learning_rate = 0.5")
    want = {"W1": [[0.4, -0.35]], "b1": [0.07500000000000001, -0.15000000000000002],
            "W2": [[1.65], [-0.5]], "b2": [0.25]}
    for name in NAMES:
        expect.close(got[name], want[name], inputs="learning_rate = 0.5", what=f"the new {name}",
                     hint="subtract the rate times the gradient: minus, to go downhill")


@suite.test(function="sgd_update", points=1, case="your function changed its input")
def sgd_update_keeps_its_inputs(student, expect):
    """The parameters and gradients are the caller's: the update returns new arrays."""
    params = arrays({"W1": [[0.5, -0.3]], "b1": [0.1, -0.2], "W2": [[1.5], [-0.4]], "b2": [0.3]})
    grads = arrays({"W1": [[0.2, 0.1]], "b1": [0.05, -0.1], "W2": [[-0.3], [0.2]], "b2": [0.1]})
    _, changed = student.sgd_update.call_checking_inputs(params, grads, 0.5)
    expect.unchanged(changed, inputs="learning_rate = 0.5",
                     hint="build new arrays instead of subtracting in place")


# --- accuracy(X, labels, params) -> float -----------------------------------------------------

@suite.test(function="accuracy", points=1,
            case="ordinary inputs of another size: a small network")
def accuracy_small(student, expect):
    """The small network reads example 1 as class 1 (wrong, it is 2) and example 2 as 0 (right)."""
    got = student.accuracy(np.array(SMALL_X), np.array(SMALL_LABELS), arrays(SMALL))
    expect.close(got, 0.5, inputs=SMALL_INPUTS + ", labels [2, 0]",
                 hint="compare each row's most probable class with its label; the mean of the "
                      "matches is the share")


# --- train(...) -> (best_params, history) -----------------------------------------------------

@suite.test(function="train", points=2,
            case="ordinary inputs of another size: 300 training digits")
def train_history_and_stop(student, expect):
    """300 training digits, 100 for validation: the history's form and the stopping rule."""
    from nnlessons import data
    X, y = data.digits()
    inputs = "digits 0-299 to train, 300-399 to validate, 16 hidden, rate 0.5, batch 20, " \
             "at most 40 epochs, patience 3"
    got = student.train(X[:300], y[:300], X[300:400], y[300:400], n_hidden=16,
                        learning_rate=0.5, batch_size=20, epochs=40, patience=3, seed=0)
    expect.true(isinstance(got, (tuple, list)) and len(got) == 2,
                "train should return the pair (best_params, history)", inputs=inputs)
    params, history = got
    check_params(expect, params, [(64, 16), (16,), (16, 10), (10,)], inputs,
                 what="the kept parameters")
    check_history(expect, history, 40, 3, inputs)


@suite.test(function="train", points=1,
            case="a value exactly at a boundary: a learning rate of 0, so the validation loss "
                 "stays flat")
def train_flat_loss(student, expect):
    """Nothing is learned: every epoch's validation loss equals the first, which stays best."""
    from nnlessons import data
    X, y = data.digits()
    inputs = "digits 0-39 to train, 40-79 to validate, 4 hidden, rate 0, batch 20, " \
             "at most 10 epochs, patience 3"
    got = student.train(X[:40], y[:40], X[40:80], y[40:80], n_hidden=4, learning_rate=0.0,
                        batch_size=20, epochs=10, patience=3, seed=4)
    expect.true(isinstance(got, (tuple, list)) and len(got) == 2,
                "train should return the pair (best_params, history)", inputs=inputs)
    check_history(expect, got[1], 10, 3, inputs)


@suite.test(function="train", points=1, case="your function changed its input")
def train_keeps_its_inputs(student, expect):
    """The digits are the caller's: shuffle an index order, not X or y."""
    from nnlessons import data
    X, y = data.digits()
    _, changed = student.train.call_checking_inputs(X[:40], y[:40], X[40:60], y[40:60], 4, 0.1,
                                                    10, 2, 2, 1)
    expect.unchanged(changed, inputs="40 training digits, 20 validation digits",
                     hint="shuffle through an index order; never shuffle X or y themselves")


# --- save_weights(params, path) and load_weights(path) ----------------------------------------

@suite.test(function="save_weights", points=1,
            case="ordinary inputs of another size: a small network saved and loaded back")
def save_then_load(student, expect):
    """Saving a small network and loading it back gives the same arrays (the check writes the
    file check_weights.npz next to the notebook)."""
    student.save_weights(arrays(SMALL), "check_weights.npz")
    got = student.load_weights("check_weights.npz")
    check_params(expect, got, [(3, 4), (4,), (4, 3), (3,)], "a 3-4-3 network saved to and "
                 "loaded from check_weights.npz")
    for name in NAMES:
        expect.close(got[name], SMALL[name], rtol=0, atol=0, what=name,
                     inputs="save_weights then load_weights",
                     hint="store each array under its own name, and read the same names back")


@suite.test(function="load_weights", points=1,
            case="the type of the answer: the notebook's trained network")
def trained_weights_load(student, expect):
    """The notebook saved the trained network as digits_weights.npz: 64 inputs, 10 classes."""
    got = student.load_weights(WEIGHTS_FILE)
    inputs = f"load_weights({WEIGHTS_FILE!r}) after the notebook's training cell ran"
    expect.true(isinstance(got, dict) and all(name in got for name in NAMES),
                "load_weights should return a dict with the keys W1, b1, W2, b2", inputs=inputs)
    hidden = np.shape(got["W1"])[-1] if np.ndim(got["W1"]) == 2 else 0
    check_params(expect, got, [(64, hidden), (hidden,), (hidden, 10), (10,)], inputs)
    expect.true(hidden >= 1, "W1 should be a (64, hidden) matrix", inputs=inputs)


@suite.test(function="load_weights", points=1,
            case="how good your result is: your saved network on the notebook's validation "
                 "digits (95% or more)")
def saved_network_reads_validation_digits(student, expect):
    """The network the notebook saved, read with your load_weights and scored with your
    accuracy on the notebook's 270 validation digits (its own split, seed 0). Your accuracy is
    first asked to read networks that answer one class whatever the digit: for those the share
    right is just that class's share of the digits. The grader measures the same file on the
    test quarter, which the notebook sets aside and never trains on: 95% there earns full
    marks, 80% and 90% part of them."""
    from nnlessons import data
    X, y = data.digits()
    X_rest, _, y_rest, _ = data.train_test_split(X, y, 0.25, seed=0)
    _, X_val, _, y_val = data.train_test_split(X_rest, y_rest, 0.2, seed=0)
    inputs = f"your {WEIGHTS_FILE}, read with your load_weights; the 270 validation digits"
    got = student.load_weights(WEIGHTS_FILE)
    expect.true(isinstance(got, dict) and all(name in got for name in NAMES),
                "load_weights should return a dict with the keys W1, b1, W2, b2", inputs=inputs)
    hidden = np.shape(got["W1"])[-1] if np.ndim(got["W1"]) == 2 else 0
    check_params(expect, got, [(64, hidden), (hidden,), (hidden, 10), (10,)], inputs)
    # an accuracy that only flatters the saved network reads these wrong
    for k in range(10):
        constant = {**arrays(got), "W2": np.zeros((hidden, 10)), "b2": 10.0 * np.eye(10)[k]}
        share = scalar(student.accuracy(X_val, y_val, constant))
        expect.true(share is not None and abs(share - np.mean(y_val == k)) < 1e-9,
                    f"your accuracy gives {share} for a network that answers {k} for every "
                    f"digit; {np.mean(y_val == k):.4f} of the validation digits are {k}s",
                    inputs=inputs, hint="the share of right answers: compare the most likely "
                    "class of each digit with its label, and average")
    value = scalar(student.accuracy(X_val, y_val, arrays(got)))
    expect.true(value is not None, "accuracy should return one number", inputs=inputs,
                hint="this check scores your network with your accuracy: make its own "
                     "check pass first")
    expect.true(value >= 0.95, f"your saved network reads {value:.1%} of the validation "
                f"digits right (by your accuracy); full marks need 95% of the test digits",
                inputs=inputs, hint="train until the validation accuracy is high (more "
                "hidden neurons, more epochs or another learning rate), then save again; "
                "the score is your accuracy's, so its own check must pass too")
