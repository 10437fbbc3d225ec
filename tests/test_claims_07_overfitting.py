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


def test_underfitting_leaves_both_losses_high_at_the_end():
    lesson.says("Both training losses end above the noise variance, the validation losses close to them")
    for args in ((1, 0.0, 20, 0.3), (60, 0.1, 20, 0.3)):
        run = fit_curve(*args)
        assert run.train_loss[-1] > 0.3 ** 2 + overfitting.UNDERFIT_MARGIN
        assert run.val_loss[-1] < 1.25 * run.train_loss[-1]
        lesson.prints(f"training loss {run.train_loss[-1]:.4f}, validation loss "
                      f"{run.val_loss[-1]:.4f}")


def test_the_one_neuron_net_never_reaches_the_floor_the_decayed_one_fits_first():
    lesson.says("its training loss never gets below the floor")
    small = fit_curve(1, 0.0, 20, 0.3)
    assert small.train_loss.min() > 0.09 + 0.09 * np.sqrt(2 / 20)
    lesson.says("so at first it fits them (its lowest\ntraining loss, printed above, is below the floor)")
    lesson.says("then weight decay")
    decayed = fit_curve(60, 0.1, 20, 0.3)
    low = int(np.argmin(decayed.train_loss))
    assert decayed.train_loss[low] < 0.09 and decayed.epochs[low] < 500
    assert np.all(np.diff(decayed.train_loss[low:][::10]) > 0)   # and then it climbs
    lesson.prints(f"lowest training loss {decayed.train_loss[low]:.4f} at epoch {decayed.epochs[low]}")


def _line_residual(curve):
    grid = overfitting.GRID[:, 0]
    return np.std(curve - np.polyval(np.polyfit(grid, curve, 1), grid))


def test_strong_decay_ends_nearly_a_straight_line():
    lesson.says("At\nthe end it is nearly a straight line")
    decayed = fit_curve(60, 0.1, 20, 0.3).final
    truth = data.true_curve(overfitting.GRID[:, 0])
    assert _line_residual(decayed) < 0.05 * _line_residual(truth)
    lesson.prints(f"lambda 0.1 {_line_residual(decayed):.3f}, true curve {_line_residual(truth):.3f}")


def test_more_data_does_not_help_the_one_neuron_network():
    lesson.says("No: with 80 points its training loss is still far above the floor")
    more = overfitting.train_curve_fit(1, 0.0, 80, 0.3)
    assert more.train_loss[-1] > 0.09 + 0.05 and more.val_loss[-1] > 0.09 + 0.04
    lesson.prints(f"1 neuron, 80 points: training loss {more.train_loss[-1]:.4f}, "
                  f"validation loss {more.val_loss[-1]:.4f}")


def test_early_stopping_minimum_is_below_every_final_score():
    lesson.says("The\nearly-stopping number is biased low, optimistic")
    big = fit_curve(60, 0.0, 20, 0.3)
    assert big.val_loss.min() <= big.val_loss[-1]
    assert len(big.val_loss) == 201


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
        assert "give or take 0.028 for 20 points" in explorer.describe(state)


@pytest.fixture(scope="module")
def rate_runs():
    X_train, X_val, _, t_train, t_val, _ = digits_split()
    runs = {}
    for rate in (0.1, 1.2, 1.8):
        net = MLP([64, 32, 10], ["relu", "softmax"], seed=0)
        shares = []

        def count(epoch, history, net=net, shares=shares):
            net.forward(X_train)
            shares.append(float(np.mean(np.all(net.zs[0] <= 0, axis=0))))

        h = fit(net, X_train, t_train, epochs=30, batch_size=32, learning_rate=rate,
                validation=(X_val, t_val), on_epoch_end=count)
        runs[rate] = h, np.array(shares)
    return runs


def test_too_high_a_rate_is_not_overfitting(rate_runs):
    lesson.says("A claim one meets in forum posts says that a learning rate that is \"too fast\" "
                "makes the network overfit. It does something else")
    lesson.says("The middle rate, 1.2, has the best validation accuracy of the three")
    accuracies = {rate: h.val_accuracy[-1] for rate, (h, _) in rate_runs.items()}
    assert max(accuracies, key=accuracies.get) == 1.2
    h12 = rate_runs[1.2][0]
    assert h12.train_loss[-1] < rate_runs[0.1][0].train_loss[-1]
    ups = sum(b > a for a, b in zip(h12.train_loss, h12.train_loss[1:]))
    assert ups >= 5                              # it jumps up and down
    lesson.says(f"it rose in {ups} of its 29 epochs")
    lesson.prints(f"learning rate 1.2: training loss rose in {ups:2d} of 29 epochs")
    h18, dead = rate_runs[1.8]
    assert abs(h18.train_loss[-1] - np.log(10)) < 0.05
    lesson.prints(f"final training loss {h18.train_loss[-1]:.3f}, validation accuracy "
                  f"{h18.val_accuracy[-1]:.3f}")
    lesson.prints(f"log 10 = {np.log(10):.3f}")


def test_the_middle_rate_overfits_a_little(rate_runs):
    lesson.says("It also overfits a little")
    h = rate_runs[1.2][0]
    low = int(np.argmin(h.val_loss))
    assert h.train_loss[-1] < 0.1 * h.val_loss[-1] and h.val_loss[-1] > 1.1 * h.val_loss[low]
    lesson.prints(f"{h.val_loss[-1] / h.val_loss[low]:.2f} x its lowest ({h.val_loss[low]:.3f}, "
                  f"epoch {low + 1})")


def test_the_top_rate_kills_its_units_over_a_few_epochs(rate_runs):
    lesson.says("two thirds of its hidden units are dead after the first epoch, nearly all within "
                "a few\nepochs, all of them by the end")
    shares = rate_runs[1.8][1]
    assert 0.6 < shares[0] < 0.72 and shares[6] > 0.95 and shares[-1] == 1.0
    assert np.all(np.diff(shares) >= 0)
    lesson.prints(f"rate 1.8: dead hidden units after epoch 1 {100 * shares[0]:3.0f}%, after 7 "
                  f"{100 * shares[6]:3.0f}%, after 30 100%")


def test_lesson_07_never_uses_the_test_set():
    lesson.says("this lesson\nnever looks at it, and lesson 09 uses it once")
    import nbformat
    notebook = nbformat.read(claims.LESSONS / "07_overfitting.ipynb", as_version=4)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "X_test" in code and code.count("X_test") == 2   # unpacked and its size printed
    assert "t_test" not in code.replace("t_test = digits_split()", "")
