"""Grader of exercise notebook 07_overfitting: normalising with training statistics only, the L2
penalty, the weight-decay step and early stopping from a list of validation losses.

The public tests, shipped for the learner's self-check. Their expected values are stored, not
computed (instructor/expected_values.py computed them once); the hidden tests are the
instructor's (instructor/graders/ex07_overfitting.py)."""
import numpy as np

from nnlessons.grading.expect import show
from nnlessons.grading.suite import Suite

suite = Suite("07_overfitting", functions=["standardize", "l2_penalty", "decay_step",
                                           "early_stopping"], forbidden={
    "standardize": ["nnlessons.data.Standardizer"],
    "l2_penalty": ["nnlessons.training.l2_penalty"],
    "decay_step": ["nnlessons.training.sgd_step"],
}, hidden_counts={"standardize": 4, "l2_penalty": 3, "decay_step": 4, "early_stopping": 7})


# --- standardize(X_train, X_test) -> (Z_train, Z_test) ----------------------------------------

def check_pair(expect, got, want_train, want_test, inputs, hint=None):
    """The learner's (Z_train, Z_test) against the wanted pair, form first."""
    want_train, want_test = np.array(want_train), np.array(want_test)
    expect.true(isinstance(got, (tuple, list)) and len(got) == 2,
                "standardize should return two arrays: (Z_train, Z_test)", inputs=inputs,
                hint="end with  return Z_train, Z_test")
    Z_train, Z_test = got
    expect.shape(Z_train, want_train.shape, inputs=inputs, what="Z_train",
                 hint="one mean and one std per column (axis=0), broadcast over the rows")
    expect.shape(Z_test, want_test.shape, inputs=inputs, what="Z_test",
                 hint="one mean and one std per column (axis=0), broadcast over the rows")
    expect.close(Z_train, want_train, inputs=inputs, what="Z_train", hint=hint)
    expect.close(Z_test, want_test, inputs=inputs, what="Z_test", hint=hint)
    return Z_train, Z_test


@suite.test(function="standardize", points=2, case="ordinary inputs of another size")
def standardize_worked_example(student, expect):
    """Training columns with means (1, 20) and standard deviations (1, 10)."""
    X_train = np.array([[0.0, 10.0], [0.0, 30.0], [2.0, 30.0], [2.0, 10.0]])
    X_test = np.array([[1.0, 40.0], [4.0, 20.0]])
    check_pair(expect, student.standardize(X_train, X_test),
               [[-1.0, -1.0], [-1.0, 1.0], [1.0, 1.0], [1.0, -1.0]], [[0.0, 2.0], [3.0, 0.0]],
               "X_train = [[0, 10], [0, 30], [2, 30], [2, 10]], X_test = [[1, 40], [4, 20]]",
               hint="mean and std of each column of X_train (axis=0), used for BOTH sets; "
                    "X_test must not be rescaled with its own statistics (that would give "
                    "[[-1, 1], [1, -1]])")


@suite.test(function="standardize", points=2, case="ordinary inputs of another size")
def training_statistics_only(student, expect):
    """The test set comes from elsewhere: its standardised mean is not 0, and must not be."""
    X_train = np.array([[95.0, 4.1, -2.3], [130.0, 2.9, -1.6], [150.0, 5.2, -2.1],
                        [110.0, 3.6, -2.8], [125.0, 4.8, -1.9], [102.0, 3.4, -1.3]])
    X_test = np.array([[160.0, 3.1, -2.2], [145.0, 2.7, -2.4], [170.0, 3.5, -1.7]])
    check_pair(expect, student.standardize(X_train, X_test),
               [[-1.2762272752759676, 0.12532679794330714, -0.6210590034081176],
                [0.6111510895687728, -1.378594777376377, 0.8280786712108259],
                [1.689653012337196, 1.503921575319685, -0.20701966780270556],
                [-0.46735083319965026, -0.5013071917732275, -1.6561573424216491],
                [0.34152560887666705, 1.0026143835464565, 0.2070196678027074],
                [-0.8987516023070194, -0.7519607876598418, 1.4491376746189448]],
               [[2.2289039737214074, -1.1279411814897626, -0.41403933560541206],
                [1.42002753164509, -1.6292483732629905, -0.8280786712108241],
                [2.768154935105619, -0.6266339897165346, 0.6210590034081199]],
               f"X_train = {X_train.tolist()}, X_test = {X_test.tolist()}",
               hint="the statistics come from the rows of X_train only, never from X_test or "
                    "from both together; np.std divides by n (not n - 1)")


@suite.test(function="standardize", points=1,
            case="a value exactly at a boundary: a feature that never changes in the training set")
def constant_training_column(student, expect):
    """The first column of X_train is 2 everywhere (std 0): it is divided by 1, not by 0."""
    X_train = np.array([[2.0, -1.0], [2.0, 1.0], [2.0, 3.0]])
    X_test = np.array([[3.0, 0.0]])
    inputs = "X_train = [[2, -1], [2, 1], [2, 3]], X_test = [[3, 0]]"
    got = student.standardize(X_train, X_test)
    expect.true(isinstance(got, (tuple, list)) and len(got) == 2,
                "standardize should return two arrays: (Z_train, Z_test)", inputs=inputs)
    for name, value in zip(("Z_train", "Z_test"), got):
        expect.finite(value, inputs=inputs, what=name,
                      hint="a std of 0 gives 0 / 0 = NaN: divide by 1 where the std is 0")
    check_pair(expect, got, [[0.0, -1.224744871391589], [0.0, 0.0], [0.0, 1.224744871391589]],
               [[1.0, -0.6123724356957945]], inputs,
               hint="where the std is 0, divide by 1: the column becomes x - mean")


@suite.test(function="standardize", points=1, case="integer inputs")
def integer_columns(student, expect):
    """Integer inputs give float answers (an integer array cannot hold -1.22)."""
    X_train, X_test = np.array([[2, 10], [4, 30], [6, 20]]), np.array([[5, 10]])
    inputs = "integer arrays X_train = [[2, 10], [4, 30], [6, 20]], X_test = [[5, 10]]"
    got = student.standardize(X_train, X_test)
    expect.true(isinstance(got, (tuple, list)) and len(got) == 2,
                "standardize should return two arrays: (Z_train, Z_test)", inputs=inputs)
    for name, value in zip(("Z_train", "Z_test"), got):
        expect.dtype(value, "f", inputs=inputs, what=name,
                     hint="convert first, to floats: an integer array cannot hold the rescaled "
                          "values")
    check_pair(expect, got, [[-1.224744871391589, -1.224744871391589], [0.0, 1.224744871391589],
                             [1.224744871391589, 0.0]], [[0.6123724356957945, -1.224744871391589]],
               inputs)


@suite.test(function="standardize", points=1,
            case="a batch of one example: a test set of a single example, and more test rows than "
                 "training rows")
def single_test_row(student, expect):
    """One test row, then more test rows than training rows: always X_train's statistics."""
    check_pair(expect, student.standardize(np.array([[1.0, 4.0], [3.0, 8.0]]),
                                           np.array([[2.0, 2.0]])),
               [[-1.0, -1.0], [1.0, 1.0]], [[0.0, -2.0]],
               "X_train = [[1, 4], [3, 8]], X_test = [[2, 2]]",
               hint="a single test row must not be standardised by its own statistics (that "
                    "gives NaN or 0)")
    check_pair(expect, student.standardize(np.array([[0.0, 1.0], [2.0, 3.0]]),
                                           np.array([[1.0, 1.0], [4.0, 0.0], [2.0, 2.0]])),
               [[-1.0, -1.0], [1.0, 1.0]], [[0.0, -1.0], [3.0, -2.0], [1.0, 0.0]],
               "X_train = [[0, 1], [2, 3]], X_test = [[1, 1], [4, 0], [2, 2]]",
               hint="the statistics come from X_train, whatever the number of test rows")


@suite.test(function="standardize", points=1, case="your function changed its input")
def standardize_inputs_left_alone(student, expect):
    """X_train and X_test are the same after the call."""
    _, changed = student.standardize.call_checking_inputs(
        np.array([[1.0, 2.0], [3.0, 5.0], [2.0, 8.0]]), np.array([[0.0, 1.0]]))
    expect.unchanged(changed, inputs="X_train = [[1, 2], [3, 5], [2, 8]], X_test = [[0, 1]]",
                     hint="(X - mean) / std makes a new array; X -= mean changes the caller's")


# --- l2_penalty(params, lam) -> float ---------------------------------------------------------

def small_network():
    """The parameters of a 2-3-1 network."""
    return {"W1": np.array([[0.5, -1.2, 0.8], [1.5, 0.3, -0.7]]), "b1": np.array([0.2, -0.4, 1.0]),
            "W2": np.array([[1.1], [-0.6], [0.9]]), "b2": np.array([-0.3])}


@suite.test(function="l2_penalty", points=2, case="ordinary inputs of another size")
def penalty_worked_numbers(student, expect):
    """Weights 1, 2, 3, 0 and 1, -1 (squares add to 16), lam = 0.5: 0.25 * 16 = 4."""
    params = {"W1": np.array([[1.0, 2.0], [3.0, 0.0]]), "b1": np.array([5.0, 5.0]),
              "W2": np.array([[1.0], [-1.0]]), "b2": np.array([7.0])}
    inputs = ("W1 = [[1, 2], [3, 0]], b1 = [5, 5], W2 = [[1], [-1]], b2 = [7], lam = 0.5")
    got = student.l2_penalty(params, 0.5)
    expect.true(np.ndim(got) == 0 and np.size(got) == 1,
                f"l2_penalty should return one number; got {show(got, 80)}", inputs=inputs,
                hint="add the sums of all weight matrices together into one total")
    expect.close(got, 4.0, inputs=inputs,
                 hint="lam / 2 times the sum of the squared WEIGHTS: counting the biases too "
                      "gives 28.75; forgetting the 1/2 gives 8")


@suite.test(function="l2_penalty", points=2, case="ordinary inputs of another size")
def penalty_counts_weights_only(student, expect):
    """Changing the biases does not change the penalty; doubling the weights multiplies it by 4."""
    params = small_network()
    inputs = "a 2-3-1 network, lam = 0.1"
    got = student.l2_penalty(params, 0.1)
    expect.close(got, 0.37700000000000006, inputs=inputs,
                 hint="only the entries whose name starts with 'W' are weights; the 'b' "
                      "entries are biases and are not penalised")
    doubled = {name: 2.0 * value if name.startswith("W") else value + 10.0
               for name, value in params.items()}
    expect.close(student.l2_penalty(doubled, 0.1), 1.5080000000000002,
                 inputs="the same network with every weight doubled and every bias + 10",
                 hint="the penalty grows with the square of the weights and ignores the biases")


@suite.test(function="l2_penalty", points=1,
            case="nothing to do: a penalty that must be 0 (no strength, no weights, no "
                 "parameters)")
def penalty_zero(student, expect):
    """lam = 0, biases only, or no parameters at all: the penalty is 0."""
    expect.close(student.l2_penalty(small_network(), 0.0), 0.0,
                 inputs="the 2-3-1 network of penalty_counts_weights_only, lam = 0",
                 hint="lam times anything is 0")
    expect.close(student.l2_penalty({"b1": np.array([1.0, 2.0]), "b2": np.array([0.5])}, 0.2),
                 0.0, inputs='params = {"b1": [1, 2], "b2": [0.5]} (no weights), lam = 0.2',
                 hint="biases are not penalised, so without weights the penalty is 0")
    expect.close(student.l2_penalty({}, 2.0), 0.0, inputs="params = {}, lam = 2",
                 hint="the sum of no squares is 0")


@suite.test(function="l2_penalty", points=1, case="integer inputs: integer weights")
def penalty_of_integers(student, expect):
    """Integer weights and lam = 2: squares 1 + 4 + 0 + 9 + 1 + 1 = 16, times 2 / 2."""
    params = {"W1": np.array([[1, 2], [0, -3]]), "b1": np.array([2, 2]),
              "W2": np.array([[-1], [1]]), "b2": np.array([5])}
    expect.close(student.l2_penalty(params, 2), 16.0,
                 inputs="W1 = [[1, 2], [0, -3]], b1 = [2, 2], W2 = [[-1], [1]], b2 = [5] "
                        "(integers), lam = 2",
                 hint="lam / 2 times the sum of the squared weights, whatever their dtype")


@suite.test(function="l2_penalty", points=1, case="your function changed its input")
def penalty_params_left_alone(student, expect):
    """The arrays in params are the same after the call."""
    _, changed = student.l2_penalty.call_checking_inputs(small_network(), 0.2)
    expect.unchanged(changed, inputs="a 2-3-1 network, lam = 0.2",
                     hint="square copies (np.square(W)); do not change the arrays in params")


# --- decay_step(params, grads, learning_rate, lam) -> dict -------------------------------------

def check_step(expect, got, want, inputs, hint=None):
    want = {name: np.array(value) for name, value in want.items()}
    expect.true(isinstance(got, dict), "decay_step should return a dict with the same keys "
                "as params", inputs=inputs)
    expect.true(set(got) == set(want), f"decay_step should return one entry per parameter: "
                f"{sorted(want)}; got {sorted(got)}", inputs=inputs)
    for name in sorted(want):
        expect.shape(got[name], want[name].shape, inputs=inputs, what=f"the new {name}")
        expect.close(got[name], want[name], inputs=inputs, what=f"the new {name}", hint=hint)


@suite.test(function="decay_step", points=2, case="ordinary inputs of another size")
def decay_step_values(student, expect):
    """W - lr (dL/dW + lam W) for the weights, b - lr dL/db for the biases."""
    params = small_network()
    grads = {"W1": np.array([[0.1, 0.2, -0.3], [-0.4, 0.5, 0.6]]), "b1": np.array([0.3, -0.1, 0.2]),
             "W2": np.array([[-0.5], [0.4], [0.1]]), "b2": np.array([0.25])}
    inputs = "a 2-3-1 network, learning_rate = 0.1, lam = 0.2"
    want = {"W1": [[0.48, -1.196, 0.8140000000000001], [1.51, 0.244, -0.746]],
            "b1": [0.17, -0.39, 0.98], "W2": [[1.1280000000000001], [-0.628], [0.872]],
            "b2": [-0.325]}
    check_step(expect, student.decay_step(params, grads, 0.1, 0.2), want, inputs,
               hint="the penalty (lam/2) W^2 has the gradient lam * W (the 2 of the square "
                    "cancels the 1/2), added to the weights' gradients only; then minus "
                    "learning_rate times the total")


@suite.test(function="decay_step", points=2, case="nothing to do")
def weights_shrink_without_gradient(student, expect):
    """With zero gradients, each weight is multiplied by (1 - lr lam); biases stay put."""
    params = small_network()
    grads = {name: np.zeros_like(value) for name, value in params.items()}
    got = student.decay_step(params, grads, 0.5, 0.1)
    want = {"W1": [[0.475, -1.14, 0.76], [1.425, 0.285, -0.6649999999999999]],
            "b1": [0.2, -0.4, 1.0], "W2": [[1.0450000000000002], [-0.57], [0.855]], "b2": [-0.3]}
    check_step(expect, got, want, "a 2-3-1 network, all gradients 0, learning_rate = 0.5, "
               "lam = 0.1", hint="each weight shrinks to (1 - 0.5 * 0.1) = 0.95 of itself "
               "(0.9 means a factor 2 too many); the biases do not decay")


@suite.test(function="decay_step", points=1, case="integer inputs: integer parameters")
def decay_of_integers(student, expect):
    """Integer parameters and gradients: the new values are floats."""
    params = {"W1": np.array([[3, -1]]), "b1": np.array([2])}
    grads = {"W1": np.array([[2, 0]]), "b1": np.array([1])}
    check_step(expect, student.decay_step(params, grads, 0.25, 0.2),
               {"W1": [[2.35, -0.95]], "b1": [1.75]},
               "integer arrays W1 = [[3, -1]], b1 = [2], grads [[2, 0]] and [1], "
               "learning_rate = 0.25, lam = 0.2",
               hint="the new values are not whole numbers: build new float arrays, do not "
                    "write into integer ones")


@suite.test(function="decay_step", points=1, case="your function changed its input")
def decay_inputs_left_alone(student, expect):
    """The caller's parameters and gradients are the same after the step."""
    params = small_network()
    grads = {name: np.full_like(value, 0.5) for name, value in params.items()}
    _, changed = student.decay_step.call_checking_inputs(params, grads, 0.2, 0.1)
    expect.unchanged(changed, inputs="a 2-3-1 network, all gradients 0.5, learning_rate = 0.2, "
                                     "lam = 0.1",
                     hint="return new arrays (w - lr * g) instead of changing w in place "
                          "(w -= ...)")


# --- early_stopping(val_losses, patience) -> (stop_epoch, best_epoch) -------------------------

def check_stop(expect, got, want, inputs, hint=None):
    """The learner's (stop_epoch, best_epoch) against `want`, form first."""
    expect.true(isinstance(got, (tuple, list)) and len(got) == 2,
                f"early_stopping should return two numbers: (stop_epoch, best_epoch); got "
                f"{show(got, 80)}", inputs=inputs, hint="end with  return stop_epoch, best_epoch")
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in got)
    expect.true(numbers, f"the two epochs should be whole numbers; got {show(got, 80)}",
                inputs=inputs)
    expect.equal(tuple(got), want, inputs=inputs, what="(stop_epoch, best_epoch)", hint=hint)


@suite.test(function="early_stopping", points=2, case="ordinary inputs of another size")
def stops_after_patience(student, expect):
    """Best at epoch 3; epochs 4, 5, 6 are no better: with patience 3, stop after epoch 6.
    The lower loss of epoch 8 is never seen: training stopped before it."""
    losses = [0.9, 0.7, 0.6, 0.65, 0.62, 0.7, 0.8, 0.55]
    check_stop(expect, student.early_stopping(losses, 3), (6, 3),
               f"val_losses = {losses}, patience = 3",
               hint="epochs count from 1; after the best epoch 3, epochs 4, 5, 6 bring no "
                    "lower loss, so stop after epoch 6 and keep epoch 3 (not the stop epoch); "
                    "losses after the stop are never seen, so no np.argmin of the whole list")


@suite.test(function="early_stopping", points=2, case="a value exactly at a boundary")
def a_new_best_resets_the_wait(student, expect):
    losses = [1.0, 0.8, 0.85, 0.9, 0.7, 0.75, 0.8, 0.9, 0.95]
    check_stop(expect, student.early_stopping(losses, 3), (8, 5),
               f"val_losses = {losses}, patience = 3",
               hint="the wait counts epochs in a row without a new lowest loss: a new best "
                    "(0.7 at epoch 5) sets it back to 0")


@suite.test(function="early_stopping", points=1,
            case="an argument that must be refused: an empty list of losses")
def no_history_refused(student, expect):
    """No epochs at all: a ValueError with a message, not an answer."""
    expect.raises(lambda: student.early_stopping([], 1), "ValueError",
                  inputs="val_losses = [], patience = 1",
                  hint="there is no answer without any epoch: raise a ValueError saying so")


@suite.test(function="early_stopping", points=1,
            case="integer inputs: losses given as a NumPy array of integers")
def integer_loss_array(student, expect):
    """Integer losses in an array: the equal loss of epoch 3 is no new best."""
    check_stop(expect, student.early_stopping(np.array([4, 2, 2, 3, 1, 5]), 2), (4, 2),
               "val_losses = np.array([4, 2, 2, 3, 1, 5]) (integers), patience = 2",
               hint="the same rule as for a list of floats: a strictly lower loss is a new "
                    "best, epochs count from 1")


@suite.test(function="early_stopping", points=1, case="your function changed its input")
def losses_left_alone(student, expect):
    """The caller's list of losses is the same after the call."""
    losses = [0.9, 0.5, 0.6, 0.4, 0.45]
    _, changed = student.early_stopping.call_checking_inputs(losses, 1)
    expect.unchanged(changed, inputs=f"val_losses = {losses}, patience = 1",
                     hint="do not sort or pop the caller's list: go through it with a loop")


@suite.test(function="early_stopping", points=1,
            case="very large inputs: losses that are never below infinity (inf and NaN)")
def infinite_losses(student, expect):
    """NaN and inf are never a new best; a finite loss after them is."""
    check_stop(expect, student.early_stopping([np.nan, np.inf, 0.5, np.inf], 3), (4, 3),
               "val_losses = [nan, inf, 0.5, inf], patience = 3",
               hint="start from best_loss = inf: a NaN is below nothing and inf is not below "
                    "inf, so both count as waits")
    check_stop(expect, student.early_stopping([np.inf, np.inf], 1), (1, 0),
               "val_losses = [inf, inf], patience = 1",
               hint="when no loss is below infinity, there is no best epoch: best_epoch is 0")


# --- my_choice() -> {"learning_rate", "epoch", "why"} -----------------------------------------
# Past what lesson 07 wrote out: the learner reads validation curves and chooses; graded on the
# numbers chosen (the hidden tests recompute the curves) and on a justification.
suite.hidden_counts["my_choice"] = 3
CHOICE_RATES, CHOICE_EPOCHS = (0.003, 0.01, 0.03, 0.1), 300


def checked_choice(expect, got):
    """The learner's choice, its form checked: (rate, epoch, why)."""
    expect.true(isinstance(got, dict) and all(key in got for key in ("learning_rate", "epoch",
                                                                     "why")),
                'my_choice should return {"learning_rate": ..., "epoch": ..., "why": "..."}')
    rate, epoch, why = got["learning_rate"], got["epoch"], got["why"]
    expect.true(any(np.isclose(rate, r) for r in CHOICE_RATES) if isinstance(rate, (int, float))
                else False, f"the learning rate should be one of {list(CHOICE_RATES)}; got "
                f"{rate!r}", hint="pick one of the four rates the curves were trained with")
    expect.true(isinstance(epoch, int) and not isinstance(epoch, bool)
                and 1 <= epoch <= CHOICE_EPOCHS,
                f"the epoch should be a whole number from 1 to {CHOICE_EPOCHS}; got {epoch!r}",
                hint="epochs count from 1, as in the table")
    return float(rate), epoch, why


@suite.test(function="my_choice", points=2,
            case="the type of the answer: a rate of the runs, an epoch they ran, and a "
                 "justification")
def choice_is_justified(student, expect):
    """A rate of the runs, an epoch they ran, and a few sentences about the validation loss."""
    _, _, why = checked_choice(expect, student.my_choice())
    words = len(str(why).split())
    expect.true(isinstance(why, str) and words >= 20 and "validation" in why.lower(),
                f"the justification should be a few sentences (20 words or more; it has "
                f"{words}) about what the validation curves show",
                hint="say what each rate's curve does and why your epoch is the one to keep")


def nearest_run(curves, rate):
    """The curve of the run whose rate is nearest to `rate`: {rate: curve} -> curve."""
    return np.asarray(curves[min(curves, key=lambda r: abs(r - rate))], dtype=float)


def check_rate_against(expect, rate, curves, inputs):
    """The rate's run reaches, within 5%, the lowest validation loss any run reaches."""
    chosen = nearest_run(curves, rate).min()
    lowest = min(float(np.min(curve)) for curve in curves.values())
    expect.true(chosen <= 1.05 * lowest, f"the lowest validation loss of the rate you chose, "
                f"{chosen:.4g}, is more than 5% above the lowest that another rate reaches",
                inputs=inputs, hint="compare the lowest point of every curve; a diverging or "
                "still-falling curve does not reach the lowest one")


def check_epoch_against(expect, rate, epoch, curves, inputs):
    """The epoch's validation loss is within 2% of the lowest of its rate's run."""
    curve = nearest_run(curves, rate)
    expect.true(epoch <= len(curve), f"the run of rate {rate} stopped after {len(curve)} "
                f"epochs, before the epoch you chose ({epoch})", inputs=inputs,
                hint="a run that blows up is stopped early: its rate is too large")
    expect.true(curve[epoch - 1] <= 1.02 * curve.min(), f"the validation loss in the epoch you "
                f"chose ({epoch}) is {curve[epoch - 1]:.4g}, more than 2% above the lowest of "
                f"its run", inputs=inputs, hint="keep the weights of an epoch near the lowest "
                "validation loss of your rate, not the last epoch")


@suite.test(function="my_choice", points=1,
            case="how good your result is: your rate and epoch, against the curves this "
                 "notebook computes")
def choice_fits_the_notebook_curves(student, expect):
    """Your rate and epoch against the four curves of this notebook, read through its
    validation_curve(rate): the rate's run reaches the lowest validation loss of all runs
    (within 5%), and your epoch is near the lowest of that run (within 2%). The grader checks
    the same against runs it trains itself."""
    rate, epoch, _ = checked_choice(expect, student.my_choice())
    curves = {r: student.validation_curve(r) for r in CHOICE_RATES}
    inputs = "the curves of validation_curve(rate) for the four rates of the table"
    for r, curve in curves.items():
        expect.true(np.ndim(curve) == 1 and np.size(curve) >= 1, f"validation_curve({r}) "
                    f"should give one validation loss per epoch run", inputs=inputs,
                    hint="run the notebook's table cell as it is given")
    check_rate_against(expect, rate, curves, inputs)
    check_epoch_against(expect, rate, epoch, curves, inputs)
