"""Lesson 07's words about its own numbers, recomputed with the package (see claims_support)."""
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import claims_support as claims  # noqa: E402

from nnlessons import MLP, data, fit  # noqa: E402
from nnlessons.widgets import overfitting  # noqa: E402
from nnlessons.widgets.capstone import digits_split  # noqa: E402

lesson = claims.lesson("07_overfitting")
fit_curve = lru_cache(maxsize=None)(overfitting.train_curve_fit)


def test_the_big_network_fits_the_noise_and_its_validation_loss_turns_up():
    lesson.says("The validation loss, after an early low, rises: that rise is overfitting")
    big = fit_curve(60, 0.0, 20, 0.3)
    assert big.train_loss[-1] < 0.5 * 0.3 ** 2
    assert big.val_loss[-1] > 1.2 * big.val_loss.min() and big.best_epoch < 200
    lesson.prints(f"validation loss {big.val_loss[-1]:.4f}")


def test_the_noise_floor_comes_with_its_uncertainty():
    lesson.says("these 60 points happen to be less noisy than average")
    X_val, y_val = data.noisy_curve(overfitting.N_VALIDATION, 0.3, seed=1)
    floor = np.mean((y_val[:, 0] - data.true_curve(X_val[:, 0])) ** 2)
    error = 0.09 * np.sqrt(2 / overfitting.N_VALIDATION)
    assert floor < 0.09 - error          # below average by more than one standard error
    big = fit_curve(60, 0.0, 20, 0.3)
    assert big.val_loss.min() > floor    # no validation loss beats the true curve's
    lesson.prints(f"give or take {error:.4f}")
    lesson.prints(f"own loss on these 60 validation points: {floor:.4f}")


def test_underfitting_leaves_both_losses_high():
    lesson.says("Both training losses end above the noise variance")
    for args in ((1, 0.0, 20, 0.3), (60, 0.1, 20, 0.3)):
        run = fit_curve(*args)
        assert run.train_loss[-1] > 0.3 ** 2 + overfitting.UNDERFIT_MARGIN
        assert run.val_loss[-1] < 1.25 * run.train_loss[-1]
        lesson.prints(f"training loss {run.train_loss[-1]:.4f}, validation loss "
                      f"{run.val_loss[-1]:.4f}")


def test_every_remedy_lowers_the_validation_loss_noise_included():
    lesson.says("Every remedy brings the validation loss down from the overfitted network's")
    big = fit_curve(60, 0.0, 20, 0.3).val_loss[-1]
    for args, extra in (((60, 0.0, 80, 0.3), {}), ((5, 0.0, 20, 0.3), {}),
                        ((60, 1e-2, 20, 0.3), {}), ((60, 0.0, 20, 0.3), {"input_noise": 0.04})):
        run = overfitting.train_curve_fit(*args, **extra) if extra else fit_curve(*args)
        assert run.val_loss[-1] < big
    noisy = overfitting.train_curve_fit(60, 0.0, 20, 0.3, input_noise=0.04)
    lesson.prints(f"input noise (std 0.04) final validation loss {noisy.val_loss[-1]:.4f}")


def test_the_explorer_calls_underfitting_underfitting():
    lesson.says("whether the setting overfits, underfits")
    explorer = overfitting.overfitting_explorer()
    assert explorer.state.overfits and not explorer.state.underfits
    for args in ((60, 0.1, 20, 0.3), (1, 0.0, 20, 0.3)):
        state = explorer.compute(*args)
        assert state.underfits and "underfitting" in explorer.describe(state)


@pytest.fixture(scope="module")
def rate_runs():
    X_train, X_val, _, y_train, y_val, _ = digits_split()
    runs = {}
    for rate in (0.1, 1.2, 1.8):
        net = MLP([64, 32, 10], ["relu", "softmax"], seed=0)
        h = fit(net, X_train, y_train, epochs=30, batch_size=32, learning_rate=rate,
                validation=(X_val, y_val))
        net.forward(X_train)
        runs[rate] = h, float(np.mean(np.all(net.zs[0] <= 0, axis=0)))
    return runs


def test_too_high_a_rate_is_not_overfitting(rate_runs):
    lesson.says("A claim one meets in forum posts says that a learning rate that is \"too fast\" "
                "makes the network overfit. It does something else")
    lesson.says("The middle rate, 1.2, is the best of the three")
    accuracies = {rate: h.val_accuracy[-1] for rate, (h, _) in rate_runs.items()}
    assert max(accuracies, key=accuracies.get) == 1.2
    h12 = rate_runs[1.2][0]
    assert h12.train_loss[-1] < rate_runs[0.1][0].train_loss[-1]
    ups = sum(b > a for a, b in zip(h12.train_loss, h12.train_loss[1:]))
    assert ups >= 5                              # it jumps up and down
    lesson.says(f"it rose in {ups} of its 29 epochs")
    lesson.prints(f"learning rate 1.2: training loss rose in {ups:2d} of 29 epochs")
    lesson.says("all of them are dead")
    h18, dead = rate_runs[1.8]
    assert dead == 1.0 and abs(h18.train_loss[-1] - np.log(10)) < 0.05
    lesson.prints(f"final training loss {h18.train_loss[-1]:.3f}, validation accuracy "
                  f"{h18.val_accuracy[-1]:.3f}, dead hidden units 100%")
    lesson.prints(f"ln 10 = {np.log(10):.3f}")
