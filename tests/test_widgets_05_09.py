"""The demos of lessons 05-09, headless: set every control, check what changed, and check that
extreme settings give a message instead of a traceback or a NaN."""
import itertools

import numpy as np
import pytest
from matplotlib.legend import Legend

from nnlessons import data, plots
from nnlessons.calculus import numerical_gradient, relative_error, verdict
from nnlessons import widgets
from nnlessons.widgets import activations as act_w
from nnlessons.widgets import backprop, batches, capstone, overfitting

PNG = b"\x89PNG\r\n\x1a\n"


def lines(ax):
    return [line.get_ydata() for line in ax.get_lines()]


# ---- lesson 05: backprop stepper ------------------------------------------------------------
@pytest.mark.parametrize("hidden", [2, 3])
def test_the_stepper_shows_what_the_package_network_computes(hidden):
    """Round 1 of the stepper is the forward and backward pass of `MLP`, and each update is
    w - learning rate * g: written out here with the network's own methods."""
    from nnlessons import MLP
    rounds = backprop.train_rounds(hidden, 0.5, False)
    net = MLP([2, hidden, 1], "sigmoid")
    net.set_parameters(backprop.initial_parameters(hidden))
    X, T = backprop.EXAMPLE[None, :], [[backprop.TARGET]]
    loss, grads = net.loss_and_gradients(X, T, "mse")
    first = rounds[0]
    assert first.loss == loss and np.array_equal(first.y, net.activations[-1][0])
    assert np.array_equal(first.h, net.activations[1][0])
    assert np.array_equal(first.delta2, net.deltas[1][0])
    assert np.array_equal(first.delta1, net.deltas[0][0])
    for name in backprop.PARAMS:
        assert np.array_equal(first.grads[name], grads[name])
        for r, after in zip(rounds, rounds[1:]):
            assert np.array_equal(r.new[name], after.params[name])
            assert np.allclose(r.new[name], r.params[name] - 0.5 * r.grads[name], rtol=1e-14)
    for name, p in net.parameters().items():
        numeric = numerical_gradient(lambda _: net.loss(X, T, "mse"), p)
        assert relative_error(grads[name], numeric) < 1e-7, name
    assert first.check < 1e-7 and first.passes


def test_the_wrong_switch_is_the_networks_derivative_hook():
    from nnlessons import MLP
    buggy = MLP([2, 2, 1], "sigmoid", derivatives={"sigmoid": backprop.wrong_sigmoid_derivative})
    buggy.set_parameters(backprop.initial_parameters(2))
    _, grads = buggy.loss_and_gradients(backprop.EXAMPLE[None, :], [[backprop.TARGET]], "mse")
    first = backprop.train_rounds(2, 1.0, True)[0]
    for name in backprop.PARAMS:
        assert np.array_equal(first.grads[name], grads[name])
    assert backprop.gradient_check(buggy) == first.check > 0.1
    assert backprop.gradient_check(backprop.stepper_network(2)) < 1e-7


def test_rounds_cannot_be_changed_by_whoever_reads_them():
    first = backprop.train_rounds(2, 1.0, False)[0]
    with pytest.raises(ValueError, match="read-only"):
        first.params["W1"][0, 0] = 0.0
    with pytest.raises(TypeError):
        first.grads["W1"] = None
    with pytest.raises(AttributeError):
        first.loss = 0.0


@pytest.mark.parametrize("hidden", [2, 3])
def test_right_derivative_descends_wrong_one_climbs_and_fails_the_check(hidden):
    right = backprop.train_rounds(hidden, 1.0, False)
    wrong = backprop.train_rounds(hidden, 1.0, True)
    right_losses = [r.loss for r in right]
    wrong_losses = [r.loss for r in wrong]
    assert right_losses[-1] < 0.1 * right_losses[0]
    assert wrong_losses[-1] > 1.5 * wrong_losses[0]
    assert max(r.check for r in right) < 1e-6
    assert min(r.check for r in wrong) > 0.1


@pytest.mark.parametrize("hidden", [2, 3])
@pytest.mark.parametrize("learning_rate", [0.1, 1.0, 2.5, 5.0])
def test_gradient_check_passes_every_round_of_the_right_derivative_only(hidden, learning_rate):
    # late rounds at a high rate drive the loss to about 1e-25, where central differences are
    # off by more than 1e-6 of the vanishing gradient: the check must not cry wolf there
    right = backprop.train_rounds(hidden, learning_rate, False)
    wrong = backprop.train_rounds(hidden, learning_rate, True)
    assert all(r.passes for r in right)
    assert not any(r.passes for r in wrong)
    assert min(r.loss for r in right) < 1e-10 or learning_rate < 2


def test_check_passes_needs_agreement_not_just_small_numbers():
    assert backprop.check_passes(1e-9, 0.3)          # relative agreement at any size
    assert backprop.check_passes(1e-5, 1e-12)        # both gradients all but 0
    assert not backprop.check_passes(1e-5, 1e-7)     # a real disagreement, however small
    assert not backprop.check_passes(0.9, 1e-3)


def test_stepper_reads_a_check_by_the_course_rule():
    """The stepper's verdict is `calculus.verdict`, the lesson's rule, at every band."""
    from nnlessons.calculus import verdict
    for relative, words in ((5e-8, "agree"), (5e-7, "look closer"), (2e-2, "a bug")):
        assert verdict(relative) == words
        assert backprop.check_verdict(relative, 1.0) == words      # gradients not vanishing
        assert backprop.check_passes(relative, 1.0) == (words == "agree")
    assert backprop.check_verdict(5e-7, 1e-12) == "agree"           # both gradients all but 0
    right = backprop.train_rounds(2)
    wrong = backprop.train_rounds(2, wrong=True)
    assert {r.verdict for r in right} == {"agree"} and {r.verdict for r in wrong} == {"a bug"}


def test_stepper_writes_vanishing_gradients_in_powers_of_ten():
    e = backprop.backprop_stepper(hidden=3, learning_rate=5.0)
    e.set(round=31, step=5)
    texts = " ".join(t.get_text() for t in e.axes[0].texts)
    assert "0.0000" not in texts and "e-" in texts and "gradients ≈ 0" in texts
    assert "gradient check, this round:\nagree" in texts and e.alert.value == ""


def test_backprop_stepper_every_control_and_the_ends():
    e = backprop.backprop_stepper()
    texts = lambda: " ".join(t.get_text() for t in e.axes[0].texts)  # noqa: E731
    assert "forward: hidden layer" in e.axes[0].get_title() and "L =" not in texts()
    e.set(step=3)
    assert "L =" in texts() and "\ng " not in texts()
    e.set(step=4)
    assert "\ng " in texts() and "this round:\nagree" in texts() and e.alert.value == ""
    e.set(step=6)
    assert "updated" in texts()
    e.set(round=e.controls["round"].max, step=e.controls["step"].max)
    assert f"Round {backprop.ROUNDS}," in e.axes[0].get_title()
    assert len(e.axes[1].get_lines()[2].get_xdata()) == backprop.ROUNDS
    e.set(wrong=True, step=4)
    assert "Gradient check of round 40: a bug" in e.alert.value
    assert "this round:\na bug" in texts()
    e.set(hidden=3)
    assert sorted(t.get_text() for t in e.axes[0].texts if t.get_text() in ("h1", "h2", "h3")) \
        == ["h1", "h2", "h3"]
    assert sum(t.get_text().startswith("h = ") for t in e.axes[0].texts) == 3
    for rate in (e.controls["learning_rate"].min, e.controls["learning_rate"].max):
        e.set(learning_rate=rate)
        assert np.all(np.isfinite(e.axes[1].get_lines()[2].get_ydata()))
    assert e.update().startswith(PNG)


def test_stepper_buttons_reach_every_step_one_click_at_a_time():
    """Next step walks through all six steps of a round and on into the next round; previous
    step walks back; each click changes the picture; the buttons stop at the run's ends."""
    e = backprop.backprop_stepper()
    assert e.previous.disabled and not e.next.disabled
    assert e.controls["round"].max == backprop.ROUNDS and e.controls["step"].max == 6
    seen = [(e.controls["round"].value, e.controls["step"].value)]
    pictures = [e.image.value]
    for _ in range(8):
        e.next.click()
        seen.append((e.controls["round"].value, e.controls["step"].value))
        assert e.image.value != pictures[-1]
        pictures.append(e.image.value)
    assert seen == [(1, s) for s in range(1, 7)] + [(2, 1), (2, 2), (2, 3)]
    e.previous.click()
    e.previous.click()
    e.previous.click()
    assert (e.controls["round"].value, e.controls["step"].value) == (1, 6)
    assert e.image.value == pictures[5]
    e.go_to(10_000)
    assert e.next.disabled and e.position() == backprop.ROUNDS * 6 - 1
    e.next.click()
    assert e.position() == backprop.ROUNDS * 6 - 1 and e.error is None
    for button in (e.previous, e.next):
        assert button.description and button.tooltip


@pytest.mark.parametrize("hidden", [2, 3])
def test_the_wrong_derivative_shows_at_every_step(hidden):
    """Ticking "wrong sigmoid derivative" changes the readout, the message and the picture at
    every one of a round's six steps, the first included: the derivative in use with its value,
    and this round's gradient check with its relative error and verdict."""
    right = backprop.train_rounds(hidden, 1.0, False)[0]
    wrong = backprop.train_rounds(hidden, 1.0, True)[0]
    y = float(right.y[0])
    e = backprop.backprop_stepper(hidden=hidden)
    for step in range(1, 7):
        e.set(step=step, wrong=False)
        picture, readout = e.image.value, e.readout.value
        assert "right y(1 - y)" in readout and f"σ'(y) = {y * (1 - y):+.4f}" in readout
        assert f"relative error {right.check:.1e}, <b>agree</b>" in readout
        assert e.alert.value == ""
        e.set(wrong=True)
        assert e.image.value != picture and e.readout.value != readout
        assert "wrong y(y - 1)" in e.readout.value
        assert f"σ'(y) = {y * (y - 1):+.4f}" in e.readout.value
        assert f"relative error {wrong.check:.1e}, <b>{verdict(wrong.check)}</b>" in e.readout.value
        assert verdict(wrong.check) == "a bug" and "a bug" in e.alert.value
        drawn = " ".join(t.get_text() for t in e.axes[0].texts)
        assert "σ' used: y(y - 1)" in drawn and "this round:\na bug" in drawn


# ---- lesson 06: batch explorer --------------------------------------------------------------
def test_well_descent_is_gradient_descent_on_the_batch_losses():
    c = batches.well_data(n=6, spread=2.0, seed=3)
    assert abs(c.mean()) < 1e-12
    # the full batch is plain gradient descent on the mean loss
    w = 0.5
    for _ in range(20):
        w -= 0.05 * (4 * w * (w ** 2 - 1) + batches.WELL_TILT)
    assert batches.well_descent([0.5], 6, 0.05, 20, c=c)[0] == pytest.approx(w, rel=1e-12)
    # one example per step: each epoch visits every c_i once, in some order
    h = 1e-6
    numeric = (batches.well_loss(0.3 + h) - batches.well_loss(0.3 - h)) / (2 * h)
    assert numeric == pytest.approx(4 * 0.3 * (0.09 - 1) + batches.WELL_TILT, rel=1e-6)
    starts = np.linspace(0.3, 1.8, 5)
    assert not np.allclose(batches.well_descent(starts, 1, 0.05, 3, c=c),
                           batches.well_descent(starts, 6, 0.05, 3, c=c))


def test_seconds_per_update_is_positive_and_trains_the_net():
    from nnlessons import MLP, data
    X, t = data.two_moons(40, noise=0.1, seed=0)
    net = MLP([2, 4, 2], ["tanh", "softmax"], seed=0)
    before = net.weights[0].copy()
    assert 0 < batches.seconds_per_update(net, X, t, 8, 0.1, epochs=2, repeats=1) < 1
    assert not np.allclose(before, net.weights[0])


def test_batch_runs_count_updates_per_epoch():
    for b, expected in ((1, 48), (8, 6), (10, 5), (48, 1)):
        run = batches.run_batches(b, 0.1, 3)
        assert run.updates_per_epoch == expected
        assert len(run.path) == 3 * expected + 1 == len(run.update_loss) + 1
        assert len(run.epoch_loss) == 4


def test_a_batch_run_is_fit_recording_the_path_of_the_weights():
    """The run of the explorer is `fit` on the two-weight neuron; written out by hand here."""
    X, y = batches.batch_data()
    rate, b = 0.05, 10
    weights, path, rng = batches.START.copy(), [batches.START.copy()], np.random.default_rng(0)
    for _ in range(3):
        order = rng.permutation(len(X))
        for i in range(0, len(X), b):
            rows = order[i:i + b]
            weights = weights - rate * (2.0 / len(rows)) * X[rows].T @ (X[rows] @ weights - y[rows])
            path.append(weights)
    run = batches.run_batches(b, rate, 3)
    np.testing.assert_allclose(run.path, path, rtol=1e-12)
    assert run.epoch_loss[-1] == pytest.approx(batches.full_loss(path[-1], X, y), rel=1e-12)


def test_the_first_epochs_of_a_run_are_the_run_of_that_many_epochs():
    long = batches.run_batches(8, 0.1, 30)
    for epochs in (1, 10, 30):
        short, cut = batches.run_batches(8, 0.1, epochs), long.first(epochs)
        assert np.array_equal(short.path, cut.path)
        assert np.array_equal(short.update_loss, cut.update_loss)
        assert np.array_equal(short.epoch_loss, cut.epoch_loss) and not cut.diverged
    wild = batches.run_batches(12, 3.0, 30)
    assert wild.diverged and wild.first(30) is wild
    assert not wild.first(wild.diverged_in - 1).diverged
    assert wild.first(wild.diverged_in).diverged


def test_every_batch_size_heads_for_the_least_squares_weights():
    X, y = batches.batch_data()
    best = np.linalg.lstsq(X, y, rcond=None)[0]
    for b in (1, 8, 48):
        run = batches.run_batches(b, 0.2 if b > 1 else 0.05, 30)
        assert np.linalg.norm(run.path[-1] - best) < 0.3
        assert run.epoch_loss[-1] < run.epoch_loss[0]


def test_reshuffling_changes_the_order_and_off_repeats_it():
    on, off = batches.run_batches(4, 0.05, 3, True), batches.run_batches(4, 0.05, 3, False)
    assert not np.allclose(on.update_loss, off.update_loss)
    first = batches.run_batches(4, 1e-9, 3, False).update_loss  # weights barely move
    assert np.allclose(first[:12], first[12:24], rtol=1e-6)


def test_batch_explorer_every_control_and_divergence_message():
    e = batches.batch_explorer()
    assert "mini-batch of 8" in e.axes[1, 0].get_title()
    e.set(batch_size=1)
    assert "mini-batch of 1" in e.axes[1, 0].get_title() and "48" in e.readout.value
    e.set(batch_size=48, epochs=1)
    assert e.axes[1, 0].get_title().endswith(": 1 updates")
    e.set(epochs=30, batch_size=12)
    assert "120 updates" in e.axes[1, 0].get_title()
    path = lambda: next(line for line in e.axes[1, 0].get_lines()  # noqa: E731
                        if line.get_label() == "path")
    before = path().get_xdata().copy()
    e.set(reshuffle=False)
    assert not np.allclose(before, path().get_xdata())
    e.set(learning_rate=10.0 ** e.controls["learning_rate"].min)
    assert e.alert.value == ""
    e.set(learning_rate=10.0 ** e.controls["learning_rate"].max, reshuffle=True)
    assert "diverged" in e.alert.value and "Lower the learning rate" in e.alert.value
    assert e.update().startswith(PNG)


# ---- lesson 07: overfitting explorer --------------------------------------------------------
def test_big_network_on_few_points_overfits_and_remedies_help():
    big = overfitting.train_curve_fit(60, 0.0, 20, 0.3)
    assert big.train_loss[-1] < 0.5 * big.val_loss[-1]
    assert big.val_loss[-1] > 1.2 * big.val_loss.min()
    assert big.best_epoch < overfitting.EPOCHS // 4
    decayed = overfitting.train_curve_fit(60, 1e-2, 20, 0.3)
    more_data = overfitting.train_curve_fit(60, 0.0, 80, 0.3)
    smaller = overfitting.train_curve_fit(5, 0.0, 20, 0.3)
    for remedy in (decayed, more_data, smaller):
        assert remedy.val_loss[-1] < big.val_loss[-1]


def test_a_curve_fit_is_the_package_training_at_one_fixed_rate():
    """Two epochs of the explorer's training, written with `fit` (full batch, the fixed rate)."""
    from nnlessons import fit
    run = overfitting.train_curve_fit(10, 1e-3, 12, 0.2, epochs=20)
    net = overfitting.curve_network(10)
    X, y = data.noisy_curve(12, 0.2, seed=0)
    history = fit(net, 2 * X - 1, y, loss="mse", epochs=20, batch_size=12, l2=1e-3,
                  learning_rate=overfitting.LEARNING_RATE, shuffle=False)
    assert run.epochs.tolist() == [0, 10, 20]
    np.testing.assert_allclose(run.train_loss[1:], np.array(history.train_loss)[[9, 19]],
                               rtol=1e-12)
    np.testing.assert_allclose(run.final, net.predict(2 * overfitting.GRID - 1)[:, 0],
                               rtol=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("hidden", overfitting.HIDDEN)
def test_training_loss_never_leaps_and_stays_in_view_at_any_setting(hidden):
    # A step too long for the loss's curvature makes the training loss leap (at twice and a half
    # the explorer's rate, 60 neurons on 4 points went up 300,000-fold). Weight decay may let it
    # creep up as it pulls the weights in, never leap; so, at every setting of the sliders,
    # it rises by less than half between two records. Early stopping reads the validation
    # loss: it must stay inside the fixed axis; a training loss may only leave through the
    # bottom (memorised points).
    low, high = overfitting.LOSS_LIMITS
    for settings in overfitting.every_setting():
        if settings[0] != hidden:
            continue
        run = overfitting.train_curve_fit(*settings)
        loss = run.train_loss
        assert np.all(np.isfinite(loss)), settings
        worst = np.max(loss[1:] / loss[:-1])
        assert worst < 1.5, (f"training loss rose {worst:.1f}x within {overfitting.EVERY} epochs "
                             f"at hidden, l2, n_points, noise = {settings}")
        assert low < run.val_loss.min() and run.val_loss.max() < high, settings
        assert loss.max() < high, settings


def test_overfitting_explorer_every_control_at_both_ends():
    e = overfitting.overfitting_explorer()
    assert "overfitting" in e.readout.value
    # the epoch is in the title; the legend (drawn once, in the background) names the line
    best = e.state.run.best_epoch
    assert f"early stopping at epoch {best}" in e.axes[0].get_title()
    assert list(e.axes[0].get_lines()[2].get_xdata()) == [best, best]
    legend_texts = [t.get_text() for legend in e.axes[0].get_children()
                    if isinstance(legend, Legend) for t in legend.get_texts()]
    assert "early stopping" in legend_texts
    for name in ("hidden", "l2", "n_points", "noise"):
        options = e.controls[name].options
        for value in (options[0], options[-1]):
            e.set(**{name: value})
            for y in lines(e.axes[0]) + lines(e.axes[1]):
                assert np.all(np.isfinite(np.asarray(y, dtype=float)))
        e.set(**{name: {"hidden": 60, "l2": 0.0, "n_points": 20, "noise": 0.3}[name]})
    e.set(n_points=4)
    assert "for 4 points" in e.readout.value
    assert len(e.axes[1].get_lines()[3].get_xdata()) == 4
    e.set(noise=0.0)
    assert "no noise" in e.alert.value


# ---- lesson 08: activation explorer ---------------------------------------------------------
def test_sigmoid_gradients_vanish_relu_with_he_does_not():
    sig = act_w.gradient_sizes("sigmoid", 20)
    relu = act_w.gradient_sizes("relu", 20)
    assert sig[0] < 1e-8 * sig[-1]
    assert 0.1 < relu[0] / relu[-1] < 10
    assert np.all(np.diff(np.log(sig)) > 0)  # shrinking layer after layer towards the input


def test_gradient_sizes_against_numerical_gradient():
    from nnlessons import MLP
    net = MLP([4, 4, 4], "tanh", seed=0)
    X = np.random.default_rng(0).normal(size=(5, 4))
    out = net.forward(X)
    grads = net.backward(np.full_like(out, 1 / 5))
    numeric = numerical_gradient(lambda W: float(np.sum(net.forward(X)) / 5), net.weights[0])
    assert relative_error(grads["W1"], numeric) < 1e-7


def test_large_learning_rate_kills_relus_not_leaky_ones():
    relu, _, _ = act_w.dead_unit_shares("relu", 2.0)
    leaky, leaky_acc, _ = act_w.dead_unit_shares("leaky_relu", 2.0)
    calm, calm_acc, _ = act_w.dead_unit_shares("relu", 0.1)
    assert relu[-1] > 0.5 and calm[-1] < 0.2
    assert leaky[-1] < relu[-1]


def test_fixed_gradient_axis_holds_every_setting():
    low, high = act_w.gradient_limits()
    for name, init, depth in itertools.product(("sigmoid", "tanh", "relu"), act_w.INITS.values(),
                                               range(act_w.MIN_DEPTH, act_w.MAX_DEPTH + 1)):
        g = act_w.gradient_sizes(name, depth, init)
        assert low <= g[g > 0].min() and g.max() <= high, (name, init, depth)


def test_activation_explorer_every_control_and_extremes():
    e = act_w.activation_explorer()
    for name in act_w.ACTIVATIONS:
        e.set(activation=name)
        assert name in e.axes[0].get_title()
        f, _ = act_w.act.get(name)
        assert np.allclose(e.axes[0].get_lines()[0].get_ydata(), f(act_w.Z))
    e.set(depth=2)
    assert len(e.axes[1].get_lines()[0].get_xdata()) == 2
    e.set(depth=30, activation="sigmoid")
    assert len(e.axes[1].get_lines()[0].get_xdata()) == 30 and "vanished" in e.alert.value
    for init in act_w.INITS:
        e.set(init=init)
        assert init.split(" (")[0] in e.axes[1].get_title()
    e.set(init="small (std 0.01)", depth=30)
    assert "sigmoid" in e.alert.value
    e.set(learning_rate=10.0 ** e.controls["learning_rate"].min)
    assert "rate 0.01" in e.axes[2].get_title()
    e.set(learning_rate=10.0 ** e.controls["learning_rate"].max)
    assert "diverged" in e.alert.value
    assert any("diverged" in t.get_text() for t in e.axes[2].get_legend().get_texts())
    assert e.update().startswith(PNG)


# ---- lesson 09: capstone --------------------------------------------------------------------
def test_confusion_matrix_and_mosaic():
    m = capstone.confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], k=3)
    assert m.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
    W = np.arange(64 * 5, dtype=float).reshape(64, 5)
    mosaic = capstone.weight_mosaic(W, columns=4)
    assert mosaic.shape == (17, 35)
    assert np.array_equal(mosaic[:8, 9:17], W[:, 1].reshape(8, 8))
    assert np.isnan(mosaic[8]).all()


@pytest.mark.slow
def test_capstone_trainer_trains_shows_and_survives_extremes(capsys):
    e = capstone.capstone_trainer(hidden=32, epochs=20, text_progress=True)
    assert e.state.run.val_accuracy >= 0.95
    assert e.progress.value == 20 and "validation accuracy" in e.status.value
    assert "epoch 20/20" in capsys.readouterr().out
    assert len(e.axes[0, 0].get_lines()[0].get_ydata()) == 20
    image = e.axes[0, 1].get_images()[0].get_array()
    change = e.state.run.net.weights[0] - e.state.run.start   # what it learned
    assert np.allclose(image[:8, :8], change[:, 0].reshape(8, 8))
    e.set(first_neuron=17)
    image = e.axes[0, 1].get_images()[0].get_array()
    assert np.allclose(image[:8, :8], change[:, 16].reshape(8, 8))
    assert "17-32" in e.axes[0, 1].get_title()
    e.set(epochs=1, learning_rate=0.01)
    assert "hardly learned" in e.alert.value and e.progress.value == 1
    e.set(learning_rate=10.0, epochs=3)
    assert e.alert.value != ""
    assert "interactive" in e._repr_mimebundle_()["text/plain"]


def test_capstone_pages_follow_the_hidden_layer():
    """The "weights of neurons from" slider runs over the pages the hidden layer has, counted
    from 1 like the panel's title; a smaller layer pulls its value back into range; each of its
    values shows other neurons; with one page it is disabled."""
    e = capstone.capstone_trainer(hidden=16, epochs=2)
    pages = e.controls["first_neuron"]
    assert (pages.min, pages.max, pages.value, pages.disabled) == (1, 1, 1, True)
    assert "neurons 1-16" in e.axes[0, 1].get_title() and "1-16 of 16" in e.readout.value
    e.set(hidden=64)
    assert (pages.max, pages.step, pages.disabled) == (49, 16, False)
    pictures = set()
    for first in range(pages.min, pages.max + 1, pages.step):
        e.set(first_neuron=first)
        assert f"neurons {first}-{first + 15}" in e.axes[0, 1].get_title()
        pictures.add(e.image.value)
    assert len(pictures) == 4
    e.set(hidden=32)
    assert (pages.max, pages.value) == (17, 17) and "neurons 17-32" in e.axes[0, 1].get_title()
    e.set(hidden=16)
    assert (pages.max, pages.value, pages.disabled) == (1, 1, True) and e.error is None


def test_to_png_renders_png_at_own_and_other_dpi():
    fig, ax = plots.new_figure()
    ax.plot([0, 1], [1, 0])
    small, large = plots.to_png(fig, dpi=50), plots.to_png(fig)
    assert small.startswith(PNG) and large.startswith(PNG) and len(large) > len(small)


def test_a_widget_png_says_its_resolution_as_image_readers_see_it():
    import io

    from PIL import Image
    fig, ax = plots.new_figure(figsize=(11, 4), dpi=850 / 11)
    ax.plot([0, 1], [1, 0])
    png = plots.to_png(fig)
    image = Image.open(io.BytesIO(png))
    # 850 px, or 849 where an older matplotlib truncates 11 in x (850 / 11) dpi = 849.99...
    assert abs(image.size[0] - 850) <= 1 and abs(image.size[1] - 4 * 850 / 11) <= 1
    assert image.info["dpi"] == pytest.approx((850 / 11, 850 / 11), abs=0.01)
    assert plots.png_dpi(png) == pytest.approx(850 / 11, abs=0.01)
    assert plots.png_dpi(plots.encode_png(np.zeros((2, 3, 4), np.uint8))) is None
    assert widgets._base.widget_dpi((11, 4)) == pytest.approx(850 / 11)
    assert widgets._base.widget_dpi((7, 4)) == 100  # narrower than shown: the course's own


def test_digits_split_is_disjoint_and_covers_everything():
    X_train, X_val, X_test, *_ = capstone.digits_split()
    assert len(X_train) + len(X_val) + len(X_test) == len(data.digits()[0])


def test_redraws_keep_the_course_style_without_use_style():
    import matplotlib
    with matplotlib.rc_context({"font.size": 7, "axes.titlesize": 7}):  # a stranger's defaults
        e = batches.batch_explorer()
        e.set(batch_size=8)
        ax = e.fig.axes[0]
        assert ax.title.get_fontsize() == plots.STYLE["axes.titlesize"]
        assert ax.xaxis.label.get_fontsize() == plots.STYLE["axes.labelsize"]


def test_sliders_that_train_wait_until_let_go_and_cheap_ones_follow_the_drag():
    retraining = {overfitting.overfitting_explorer(): ("hidden", "l2", "n_points", "noise"),
                  batches.batch_explorer(): ("learning_rate",),
                  act_w.activation_explorer(): ("learning_rate",),
                  backprop.backprop_stepper(): ("learning_rate",),
                  capstone.capstone_trainer(hidden=16, epochs=2): ("epochs", "learning_rate")}
    for explorer, names in retraining.items():
        for name in names:
            assert explorer.controls[name].continuous_update is False, name
    assert act_w.activation_explorer().controls["depth"].continuous_update is True
    for name in ("round", "step"):
        assert backprop.backprop_stepper().controls[name].continuous_update is True
    for name in ("batch_size", "epochs"):  # a new epoch count shows more of a run: no training
        assert batches.batch_explorer().controls[name].continuous_update is True


def test_draw_backward_pass_writes_every_value_and_gradient():
    fig, ax = plots.new_figure(figsize=(10, 6))
    now = backprop.draw_backward_pass(ax)
    first = backprop.train_rounds(2)[0]
    assert now.loss == first.loss
    drawn = "\n".join(t.get_text() for t in ax.texts)
    for name in ("W1", "W2"):
        for value, grad in zip(now.params[name].ravel(), now.grads[name].ravel()):
            assert f"w {value:+.3f}\ng {backprop._small(grad)}" in drawn
    for j in range(2):
        assert f"h = {now.h[j]:.3f}" in drawn and f"δ = {backprop._small(now.delta1[j])}" in drawn
    assert f"δ = {backprop._small(now.delta2[0])}" in drawn and f"{now.loss:.4g}" in drawn
    assert "gradient check: agree" in drawn and ax.get_legend() is not None
