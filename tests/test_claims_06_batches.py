"""Lesson 06's words about its own numbers, recomputed with the package (see claims_support)."""
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import claims_support as claims  # noqa: E402

from nnlessons import MLP, activations, calculus, data, fit, losses  # noqa: E402
from nnlessons.training import accuracy, decay, minibatches  # noqa: E402
from nnlessons.widgets import batches  # noqa: E402

lesson = claims.lesson("06_batches")
X, y = batches.batch_data()
BEST = np.linalg.lstsq(X, y, rcond=None)[0]


def test_the_batch_loss_spread_is_how_examples_differ_not_jitter():
    lesson.says("Almost the same numbers: the spread of the batch losses measures how the "
                "examples differ")
    for size in (1, 8):
        run = batches.run_batches(size, 0.1, 10)
        training = np.std(run.update_loss[-run.updates_per_epoch:])
        frozen = np.std([batches.full_loss(BEST, Xb, yb)
                         for Xb, yb in minibatches(X, y, size, seed=0)])
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


def test_softmax_cross_entropy_and_its_gradient():
    lesson.says("the predicted probabilities minus the right answer written as a row of zeros")
    scores, label = np.array([[2.0, 1.0, -1.0]]), np.array([1])
    p_hat = activations.softmax(scores)
    loss = losses.categorical_cross_entropy_from_logits(scores, label)
    assert abs(loss + np.log(p_hat[0, 1])) < 1e-12
    error = calculus.gradient_check(
        lambda z: losses.categorical_cross_entropy_from_logits(z, label),
        p_hat - losses.one_hot(label, 3), scores.copy())
    assert error < 1e-7
    lesson.says("a relative error far below $10^{-7}$")
    lesson.prints(f"loss -log p_true = {loss:.4f}")


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
    lesson.says("the mini-batch of 16 wins by a wide margin")
    lesson.says("it needs hardly more of them than the full batch")
    Xm, ym = data.two_moons(300, noise=0.15, seed=0)
    seconds, updates, epochs = {}, {}, {}
    for size in (1, 16, 300):
        times = []
        for _ in range(3):   # the fastest of three: a loaded machine only slows a run down
            net = MLP([2, 16, 2], ["tanh", "softmax"], seed=0)
            start = time.perf_counter()
            h = fit(net, Xm, ym, epochs=3000, batch_size=size, learning_rate=0.3, seed=0,
                    on_epoch_end=lambda epoch, h: h.train_loss[-1] <= 0.15)
            times.append(time.perf_counter() - start)
        seconds[size], updates[size], epochs[size] = min(times), len(h.update_loss), h.epochs
    assert seconds[16] < 0.7 * min(seconds[1], seconds[300])
    assert updates[16] < 1.2 * updates[300] and updates[1] > 3 * updates[16]
    lesson.prints(f"batch size 16: loss 0.15 after {epochs[16]:3d} epochs, {updates[16]:4d} updates")


def test_mini_batch_noise_did_not_rescue_more_starts():
    lesson.says("at the same number of updates, the noisy mini-batches solved fewer starts")
    Xc, yc = data.circles(100, noise=0.05, seed=0)
    solved = {}
    for size, epochs in ((100, 300), (10, 30)):
        count = 0
        for seed in range(20):
            net = MLP([2, 3, 2], ["tanh", "softmax"], seed=seed)
            fit(net, Xc, yc, epochs=epochs, batch_size=size, learning_rate=0.5, seed=seed)
            count += accuracy(net, Xc, yc) >= 0.95
        solved[size] = count
    assert solved[10] < solved[100]
    lesson.prints(f"full batch 300 updates: {solved[100]} of 20 starts solved")
    lesson.prints(f"mini-batch of 10 300 updates: {solved[10]} of 20 starts solved")


def test_the_explorer_names_every_run_that_diverges_at_the_top_rate():
    lesson.says("At the top rate, 3.16, every run diverges, the full batch too")
    explorer = batches.batch_explorer()
    state = explorer.compute(8, 10 ** 0.5, 10, True)
    assert all(run.diverged or run.growing for run in state.runs.values())
    assert state.runs["full batch"].growing and "full batch is diverging" in state.message
    table = explorer.describe(state)
    assert "diverged in epoch 1" in table and "diverging" in table
