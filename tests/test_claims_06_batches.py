"""Lesson 06's words about its own numbers, recomputed with the package (see claims_support)."""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import claims_support as claims  # noqa: E402

from nnlessons import MLP, activations, calculus, data, fit, losses  # noqa: E402
from nnlessons.training import accuracy, decay, minibatches  # noqa: E402
from nnlessons.widgets import batches  # noqa: E402

lesson = claims.lesson("06_batches")
X, T = batches.batch_data()
BEST = np.linalg.lstsq(X, T, rcond=None)[0]


def test_the_batch_loss_spread_is_how_examples_differ_not_jitter():
    lesson.says("Almost the same numbers: the spread of the batch losses measures how the "
                "examples differ")
    for size in (1, 8):
        run = batches.run_batches(size, 0.1, 10)
        training = np.std(run.update_loss[-run.updates_per_epoch:])
        frozen = np.std([batches.full_loss(BEST, Xb, yb)
                         for Xb, yb in minibatches(X, T, size, seed=0)])
        assert abs(training - frozen) < 0.15 * frozen
        lesson.prints(f"last epoch of training {training:.3f}, weights frozen at the optimum "
                      f"{frozen:.3f}")


def _distance_per_epoch(run):
    distance = np.linalg.norm(run.path[1:] - BEST, axis=1)
    return distance.reshape(run.epochs, run.updates_per_epoch).mean(axis=1)


def test_a_fixed_rate_jitters_and_decay_settles():
    lesson.says("At the fixed rate the distance stops shrinking after a few epochs")
    lesson.says("with the decaying rate it keeps falling")
    fixed = _distance_per_epoch(batches.run_batches(1, 0.1, 30))
    decayed = _distance_per_epoch(batches.run_batches(1, 0.1, 30, factor=0.9))
    assert fixed[9:].min() > 0.5 * fixed[9]         # no real progress after epoch 10
    assert np.all(np.diff(decayed[[9, 19, 29]]) < 0) and decayed[29] < 0.1 * fixed[29]
    lesson.prints(f"epoch 10: {decayed[9]:.4f}, 20: {decayed[19]:.4f}, 30: {decayed[29]:.4f}")
    lesson.says("about a twentieth of the start")
    assert 1 / 25 < decay(0.1, 0.9)(30) / 0.1 < 1 / 18
    lesson.prints(f"{decay(0.1, 0.9)(30):.4f}")


def test_softmax_cross_entropy_and_its_gradient_on_a_batch():
    lesson.says("the predicted probabilities minus the right answer written as a row of zeros")
    lesson.says("$\\partial L / \\partial Z = (\\hat P - \\text{onehot}(T)) / n_B$")
    Z = np.array([[2.0, 1.0, -1.0], [0.0, 0.5, 3.0], [1.0, 1.0, 1.0], [-2.0, 0.0, 2.0]])
    T4 = np.array([1, 2, 0, 0])
    P = activations.softmax(Z)
    loss = losses.categorical_cross_entropy_from_logits(Z, T4)
    assert abs(loss - np.mean(-np.log(P[np.arange(4), T4]))) < 1e-12
    package = losses.categorical_cross_entropy_from_logits_gradient(Z, T4)
    assert np.allclose(package, (P - losses.one_hot(T4, 3)) / 4)
    error = calculus.gradient_check(
        lambda z: losses.categorical_cross_entropy_from_logits(z, T4), package, Z.copy())
    assert error < 1e-7
    lesson.says("a relative\nerror far below $10^{-7}$")
    lesson.prints(f"package: {loss:.4f}")
    lesson.prints("package gradient = (P_hat - one-hot) / n_B: True")
    lesson.says("The gradient raises the right class's score (its bar is negative")
    assert package[0, 1] < 0 and np.all(package[0, [0, 2]] > 0)


def test_two_class_softmax_is_the_sigmoid_of_the_difference():
    lesson.says("softmax over two scores is the sigmoid of their difference")
    Z2, T2 = np.array([[0.3, 1.5], [2.0, -1.0], [0.0, 0.0]]), np.array([1, 0, 1])
    sigma = activations.sigmoid(Z2[:, 1] - Z2[:, 0])
    assert np.allclose(activations.softmax(Z2)[:, 1], sigma, atol=1e-14)
    ce = losses.categorical_cross_entropy_from_logits(Z2, T2)
    assert abs(ce - losses.binary_cross_entropy(sigma, T2)) < 1e-12
    lesson.prints(f"cross-entropy {ce:.6f}, binary cross-entropy of sigmoid(z1 - z0) {ce:.6f}")


def test_sgd_fast_at_first_mini_batch_calmer():
    lesson.says("SGD, with 48 updates per epoch, is close after the first epoch")
    lesson.says("The mini-batch\nof 8 is much slower at the start")
    lesson.says("after 10 epochs\nit is about as close as SGD, and its weights move far less in the last epoch")
    out = {}
    for size in (1, 8):
        run = batches.run_batches(size, 0.1, 10)
        distance = np.linalg.norm(run.path - BEST, axis=1)
        spread = np.linalg.norm(run.path[-run.updates_per_epoch - 1:].std(axis=0))
        out[size] = distance[run.updates_per_epoch], distance[-1], spread
        lesson.prints(f"after epoch 1 {out[size][0]:.3f}, after 10 {out[size][1]:.3f}; "
                      f"spread of the weights in the last epoch {spread:.3f}")
    assert out[1][0] < 0.2 and out[8][0] > 10 * out[1][0]
    assert out[8][1] < 2 * out[1][1] and out[8][2] < 0.3 * out[1][2]


def test_the_jitter_grows_with_the_rate():
    lesson.says("the jitter is the larger the larger $\\eta$")
    late = []
    for rate in (0.02, 0.05, 0.1, 0.2):
        late.append(_distance_per_epoch(batches.run_batches(1, rate, 20))[10:].mean())
        lesson.prints(f"fixed rate {rate:4.2f}: mean distance over epochs 11-20 {late[-1]:.3f}")
    assert np.all(np.diff(late) > 0)


def test_more_updates_per_epoch_get_further():
    lesson.says("one example per step made by far the most updates and got furthest")
    Xm, ym = data.two_moons(300, noise=0.15, seed=0)
    scores = []
    for size in (1, 16, 300):
        net = MLP([2, 16, 2], ["tanh", "softmax"], seed=0)
        fit(net, Xm, ym, epochs=20, batch_size=size, learning_rate=0.1, seed=0)
        scores.append(accuracy(net, Xm, ym))
    assert scores[0] > scores[1] > scores[2]


def test_mini_batches_are_fastest_per_second():
    lesson.says("the mini-batch of 16 gets there first")
    lesson.says("costs about as much as one update of a single example,\nfar less than a full-batch update")
    lesson.says("it needs only a little more updates than the full\nbatch, far fewer than single examples")
    Xm, tm = data.two_moons(300, noise=0.15, seed=0)
    needed, per = {}, {}
    for size in (1, 16, 300):
        needed[size] = batches.updates_to_reach(MLP([2, 16, 2], ["tanh", "softmax"], seed=0),
                                                Xm, tm, 0.15, size, 0.3,
                                                every=10 if size < 300 else 1)
        lesson.prints(f"batch size {size:3d}: loss 0.15 reached after {needed[size]:4d} updates")
    # The time per update: the sizes in turn, five rounds, the fastest of each. A busy machine
    # only slows a run down, and taking turns keeps a burst of other work (the rest of the
    # suite on the other core) from landing on one size's every run.
    per = {size: np.inf for size in needed}
    for _ in range(5):
        for size in needed:
            per[size] = min(per[size], batches.seconds_per_update(
                MLP([2, 16, 2], ["tanh", "softmax"], seed=0), Xm, tm, size, 0.3,
                epochs=1 if size == 1 else 20))
    assert needed[16] < 1.2 * needed[300] and needed[1] > 2 * needed[16]
    assert per[16] < 1.5 * per[1] and per[16] < 0.6 * per[300]
    seconds = {size: needed[size] * per[size] for size in needed}
    assert seconds[16] < min(seconds[1], seconds[300])


def test_updates_to_reach_checks_between_epochs():
    """The counter is not rounded up to whole epochs: SGD's count is not a multiple of 300."""
    Xm, tm = data.two_moons(300, noise=0.15, seed=0)
    net = MLP([2, 16, 2], ["tanh", "softmax"], seed=0)
    updates = batches.updates_to_reach(net, Xm, tm, 0.15, 1, 0.3, every=10)
    assert updates % 10 == 0 and updates % 300 != 0
    assert batches.updates_to_reach(MLP([2, 16, 2], ["tanh", "softmax"], seed=0), Xm, tm, 1e-9,
                                    300, 0.3, max_epochs=5) is None


def _well():
    poor, deep = np.linspace(0.3, 1.8, 100), np.linspace(-1.8, -0.3, 100)
    return {size: (batches.well_descent(poor, size, 0.05, epochs),
                   batches.well_descent(deep, size, 0.05, epochs, seed=1))
            for size, epochs in ((48, 480), (4, 40), (1, 10))}


def test_the_well_has_a_poor_minimum_behind_a_lower_ridge():
    lesson.says("a deep minimum near $w = -1$, a shallow, poor one near $w = +1$")
    w = np.linspace(-1.8, 1.8, 3601)
    f = batches.well_loss(w)
    inner = (f[1:-1] < f[:-2]) & (f[1:-1] < f[2:])
    low = w[1:-1][inner]
    assert len(low) == 2 and -1.2 < low[0] < -0.8 and 0.7 < low[1] < 1.0
    ridge = w[np.argmax(np.where(np.abs(w) < 0.5, f, -np.inf))]
    poor_barrier = batches.well_loss(ridge) - batches.well_loss(low[1])
    deep_barrier = batches.well_loss(ridge) - batches.well_loss(low[0])
    assert poor_barrier < 0.5 * deep_barrier
    lesson.prints(f"the ridge is {poor_barrier:.2f} above the poor minimum, "
                  f"{deep_barrier:.2f} above the deep one")
    c = batches.well_data()
    assert abs(c.mean()) < 1e-12


def test_mini_batch_noise_escapes_the_poor_minimum_and_too_much_noise_leaves_the_good_one():
    lesson.says("The exact gradient never leaves the poor minimum")
    lesson.says("Mini-batches of 4\npush most starts over the ridge and none of the deep-side starts back")
    lesson.says("Single examples are so noisy that they throw many runs from the deep minimum back")
    ends = _well()
    full_poor, full_deep = ends[48]
    assert np.all(full_poor > 0) and np.all(full_deep < 0)
    slope = np.abs(4 * full_poor * (full_poor ** 2 - 1) + batches.WELL_TILT)
    assert slope.max() < 1e-10                       # converged there, not on its way
    escaped4, back4 = np.mean(ends[4][0] < 0), np.mean(ends[4][1] > 0)
    escaped1, back1 = np.mean(ends[1][0] < 0), np.mean(ends[1][1] > 0)
    # "most" with its uncertainty: more than half by several standard errors
    assert escaped4 - 3 * np.sqrt(escaped4 * (1 - escaped4) / 100) > 0.5 and back4 == 0
    assert back1 - 3 * np.sqrt(back1 * (1 - back1) / 100) > 0.1
    lesson.prints(f"mini-batch of 4 480 updates: {100 * escaped4:3.0f} of 100 poor-side starts "
                  f"end deep")
    lesson.prints(f"{100 * back1:3.0f} of 100 deep-side starts end poor")
    lesson.says("this\nlesson's two-moons network reached its target from its one start at every batch size")


def test_the_explorer_names_every_run_that_diverges_at_the_top_rate():
    lesson.says("At the top rate, 3.16, with\nthe explorer's 10 epochs and batch size 8, every run diverges, the full batch too")
    explorer = batches.batch_explorer()
    state = explorer.compute(8, 10 ** 0.5, 10, True)
    assert all(run.diverged or run.growing for run in state.runs.values())
    assert state.runs["full batch"].growing and "full batch is diverging" in state.message
    table = explorer.describe(state)
    assert "diverged in epoch 1" in table and "diverging" in table
