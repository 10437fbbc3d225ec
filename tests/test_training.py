"""Training reaches its targets with fixed seeds, and what a network learned survives save and load."""
import numpy as np
import pytest

from nnlessons import MLP, data, fit
from nnlessons.training import accuracy, minibatches


def test_minibatches_cover_every_example_once_and_keep_the_last_small_batch():
    X, y = np.arange(10.0)[:, None], np.arange(10)
    batches = list(minibatches(X, y, 4, seed=0))
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    seen = np.concatenate([b[1] for b in batches])
    assert sorted(seen.tolist()) == list(range(10))
    assert not np.array_equal(seen, np.arange(10))  # shuffled
    for Xb, yb in batches:
        assert np.array_equal(Xb[:, 0], yb)  # rows stay paired with their labels


def test_minibatches_reshuffle_each_epoch_from_one_generator():
    rng = np.random.default_rng(0)
    X, y = np.zeros((20, 1)), np.arange(20)
    first = np.concatenate([b[1] for b in minibatches(X, y, 5, rng)])
    second = np.concatenate([b[1] for b in minibatches(X, y, 5, rng)])
    assert not np.array_equal(first, second)


def test_minibatches_without_shuffle_and_larger_than_the_data():
    X, y = np.zeros((5, 1)), np.arange(5)
    batches = list(minibatches(X, y, 100, shuffle=False))
    assert len(batches) == 1 and batches[0][1].tolist() == [0, 1, 2, 3, 4]


@pytest.mark.slow
def test_xor_is_solved():
    X, y = data.xor()
    net = MLP([2, 4, 1], ["tanh", "sigmoid"], seed=1)
    fit(net, X, y, loss="binary_cross_entropy", epochs=2000, batch_size=4, learning_rate=0.5)
    assert accuracy(net, X, y) == 1.0


@pytest.mark.slow
def test_two_moons_reaches_97_percent_on_the_test_set():
    X, y = data.two_moons(400, noise=0.15, seed=0)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, 0.25, seed=0)
    net = MLP([2, 16, 2], ["tanh", "softmax"], seed=0)
    fit(net, X_train, y_train, epochs=300, batch_size=16, learning_rate=0.3)
    assert accuracy(net, X_test, y_test) >= 0.97


@pytest.mark.slow
def test_digits_reach_95_percent_with_one_hidden_layer():
    X, y = data.digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, 0.25, seed=0)
    net = MLP([64, 64, 10], ["relu", "softmax"], seed=0)
    history = fit(net, X_train, y_train, epochs=30, batch_size=32, learning_rate=0.1)
    assert accuracy(net, X_test, y_test) >= 0.95
    assert history.train_loss[-1] < history.train_loss[0]


def test_save_then_load_gives_identical_predictions(tmp_path):
    X, y = data.two_moons(100, seed=3)
    net = MLP([2, 8, 2], ["relu", "softmax"], seed=0)
    fit(net, X, y, epochs=5)
    path = tmp_path / "moons.npz"
    net.save(path)
    fresh = MLP([2, 8, 2], ["relu", "softmax"], seed=99)
    assert not np.array_equal(fresh.predict(X), net.predict(X))  # different weights, other answers
    fresh.load(path)
    assert np.array_equal(fresh.predict(X), net.predict(X))
    assert np.array_equal(MLP.from_file(path).predict(X), net.predict(X))


def test_weights_file_holds_no_pickle(tmp_path):
    path = tmp_path / "w.npz"
    MLP([2, 3, 1]).save(path)
    with np.load(path, allow_pickle=False) as stored:  # would raise on any pickled object
        assert sorted(stored.files) == ["W1", "W2", "activation_names", "b1", "b2", "sizes"]


def test_early_stopping_restores_the_best_weights():
    X, y = data.noisy_curve(20, noise=0.3, seed=0)
    X_val, y_val = data.noisy_curve(50, noise=0.3, seed=1)
    net = MLP([1, 60, 1], ["tanh", "identity"], seed=0)
    history = fit(net, X, y, loss="mse", epochs=3000, batch_size=20, learning_rate=0.1,
                  validation=(X_val, y_val), patience=50)
    assert history.stopped_early
    best = history.best_epoch
    assert history.val_loss[best - 1] == min(history.val_loss)
    assert len(history.val_loss) == best + 50
    assert net.loss(X_val, y_val, "mse") == pytest.approx(history.val_loss[best - 1])


def test_l2_shrinks_the_weights():
    X, y = data.noisy_curve(20, seed=0)
    norms = []
    for l2 in (0.0, 0.01):
        net = MLP([1, 30, 1], ["tanh", "identity"], seed=0)
        fit(net, X, y, loss="mse", epochs=300, batch_size=20, learning_rate=0.1, l2=l2)
        norms.append(sum(float(np.sum(W ** 2)) for W in net.weights))
    assert norms[1] < 0.8 * norms[0]


def test_divergence_stops_with_a_message_and_finite_weights():
    X, y = data.crowd(30, seed=0)
    net = MLP([1, 1], "identity", seed=0)
    history = fit(net, X, y, loss="mse", epochs=50, batch_size=10, learning_rate=1.0)
    assert history.diverged and "too large" in history.message
    assert all(np.all(np.isfinite(p)) for p in net.parameters().values())


def test_history_records_updates_and_epochs():
    X, y = data.two_moons(50, seed=0)
    net = MLP([2, 4, 2], ["relu", "softmax"], seed=0)
    history = fit(net, X, y, epochs=3, batch_size=16, validation=(X, y))
    assert history.epochs == 3 and len(history.update_loss) == 3 * 4  # 50 = 16+16+16+2
    assert len(history.val_accuracy) == 3 and 0 <= history.train_accuracy[-1] <= 1


def test_training_does_not_modify_the_data():
    X, y = data.two_moons(40, seed=0)
    X0, y0 = X.copy(), y.copy()
    fit(MLP([2, 4, 2], ["relu", "softmax"]), X, y, epochs=2)
    assert np.array_equal(X, X0) and np.array_equal(y, y0)


def test_sgd_step_is_the_update_rule_with_weight_decay():
    net = MLP([2, 1], "identity")
    net.weights[0][:] = [[1.0], [2.0]]
    net.biases[0][:] = [0.5]
    grads = {"W1": np.array([[0.1], [0.2]]), "b1": np.array([1.0])}
    from nnlessons.training import sgd_step
    sgd_step(net, grads, learning_rate=0.5, l2=0.1)
    np.testing.assert_allclose(net.weights[0], [[1.0 - 0.5 * (0.1 + 0.1)], [2.0 - 0.5 * (0.2 + 0.2)]])
    np.testing.assert_allclose(net.biases[0], [0.0])  # biases are not decayed


@pytest.mark.parametrize("bias", [True, False])
def test_the_parameters_are_the_parts_of_one_vector_and_a_replaced_one_still_trains(bias):
    """The network's weights and biases are views of one flat vector, so a step and the
    divergence check take one numpy call for all of them; a parameter replaced by an array of
    its own (the layouts a gradient check tries) is moved and checked apart, to the same
    numbers."""
    X, y = data.two_moons(40, seed=4)
    nets = [MLP([2, 5, 3, 2], ["tanh", "relu", "softmax"], seed=1, bias=bias) for _ in range(2)]
    whole, replaced = nets
    assert whole._parameter_vector() is whole._vector
    start = 0
    for p in whole.parameters().values():  # in the order of parameters(), side by side
        assert np.shares_memory(p, whole._vector) and p.flags.c_contiguous
        assert np.array_equal(p.ravel(), whole._vector[start:start + p.size])
        start += p.size
    assert start == whole._vector.size
    replaced.weights[1] = np.asfortranarray(replaced.weights[1])
    assert replaced._parameter_vector() is None
    square = MLP([3, 3, 2], seed=0)
    square.weights[0] = square.weights[0].T  # a view of the vector, laid out otherwise
    assert square._parameter_vector() is None
    for net in nets:
        fit(net, X, y, epochs=3, batch_size=8, learning_rate=0.5, l2=0.01)
    for mine, theirs in zip(whole.parameters().values(), replaced.parameters().values()):
        assert np.array_equal(mine, theirs)
    assert not np.array_equal(replaced.weights[1], MLP([2, 5, 3, 2], ["tanh", "relu", "softmax"],
                                                       seed=1, bias=bias).weights[1])
    replaced.weights[1][0, 0] = whole.weights[1][0, 0] = np.nan
    assert diverged(replaced) and diverged(whole)


# ---- the parts of fit, and its hooks ---------------------------------------------------------
from nnlessons import activations as act  # noqa: E402
from nnlessons import training  # noqa: E402
from nnlessons.training import decay, diverged, score, sgd_step, train_epoch  # noqa: E402


@pytest.mark.parametrize("l2", [0.0, 0.01])
def test_train_epoch_is_the_loop_of_minibatches_gradients_and_steps(l2):
    """The loop writes its gradients into arrays it made once and, without weight decay, steps
    the whole vector of parameters at once: the same numbers, to the last bit, as the public
    functions' new arrays and their step parameter by parameter."""
    X, y = data.two_moons(50, seed=1)
    net, twin = (MLP([2, 5, 2], ["tanh", "softmax"], seed=3) for _ in range(2))
    losses = train_epoch(net, X, y, "cross_entropy", 0.3, 16, np.random.default_rng(7), l2=l2)
    expected = []
    for X_batch, y_batch in minibatches(X, y, 16, np.random.default_rng(7)):
        value, grads = twin.loss_and_gradients(X_batch, y_batch, "cross_entropy")
        expected.append(value + training.l2_penalty(twin, l2))
        sgd_step(twin, grads, 0.3, l2=l2)
    assert losses == expected and len(losses) == 4  # 50 = 16 + 16 + 16 + 2
    for mine, theirs in zip(net.parameters().values(), twin.parameters().values()):
        assert np.array_equal(mine, theirs)


def test_fit_is_train_epoch_then_score_epoch_after_epoch():
    X, y = data.two_moons(60, seed=2)
    net, twin = (MLP([2, 6, 2], ["relu", "softmax"], seed=0) for _ in range(2))
    history = fit(net, X, y, epochs=3, batch_size=20, learning_rate=0.2, seed=5)
    rng = np.random.default_rng(5)
    for epoch in range(3):
        updates = train_epoch(twin, X, y, "cross_entropy", 0.2, 20, rng)
        assert updates == history.update_loss[3 * epoch:3 * epoch + 3]
        assert score(twin, X, y, "cross_entropy") == (history.train_loss[epoch],
                                                      history.train_accuracy[epoch])
    assert history.learning_rates == [0.2, 0.2, 0.2]


def test_on_update_sees_every_update_before_its_step():
    X, y = data.xor()
    net = MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    seen = []

    def watch(update):
        # the network still holds the weights the gradients belong to
        _, now = net.loss_and_gradients(update.X, update.targets, "binary_cross_entropy")
        for name, g in update.gradients.items():
            assert np.array_equal(g, now[name])
        seen.append((update.epoch, update.step, update.loss, update.learning_rate))

    history = fit(net, X, y, loss="binary_cross_entropy", epochs=3, batch_size=3,
                  learning_rate=decay(1.0, 0.5), on_update=watch)
    assert [(e, s) for e, s, _, _ in seen] == [(1, 0), (1, 1), (2, 2), (2, 3), (3, 4), (3, 5)]
    assert [loss for _, _, loss, _ in seen] == history.update_loss
    assert [rate for _, _, _, rate in seen] == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]


def test_the_gradients_on_update_sees_stay_that_updates_own():
    """The loop reuses its arrays of gradients from update to update; what `on_update` is
    handed is a read-only copy, so a list of them kept across updates holds each update's
    own."""
    X, y = data.two_moons(24, seed=3)
    net = MLP([2, 4, 2], ["relu", "softmax"], seed=2)
    kept, recomputed = [], []

    def keep(update):
        kept.append(update.gradients)
        recomputed.append(net.loss_and_gradients(update.X, update.targets, "cross_entropy")[1])

    fit(net, X, y, epochs=2, batch_size=8, learning_rate=0.5, on_update=keep)
    assert len(kept) == 6 and list(kept[0]) == ["W1", "b1", "W2", "b2"]
    with pytest.raises(ValueError, match="read-only"):  # a hook watches the step, no more
        kept[0]["W1"][0, 0] = 0.0
    for mine, theirs in zip(kept, recomputed):
        for name in theirs:
            assert np.array_equal(mine[name], theirs[name])
    assert not np.array_equal(kept[0]["W1"], kept[-1]["W1"])


def test_on_epoch_end_counts_the_updates_and_can_stop():
    X, y = data.two_moons(40, seed=0)
    counts = []

    def stop_after_two(epoch, history):
        counts.append(len(history.update_loss))
        return epoch == 2

    history = fit(MLP([2, 4, 2], ["relu", "softmax"]), X, y, epochs=10, batch_size=10,
                  on_epoch_end=stop_after_two)
    assert counts == [4, 8] and history.epochs == 2 and "on_epoch_end" in history.message


def test_a_decaying_rate_is_used_epoch_by_epoch():
    X, y = data.noisy_curve(16, seed=0)
    decayed = MLP([1, 8, 1], ["tanh", "identity"], seed=0)
    history = fit(decayed, X, y, loss="mse", epochs=3, batch_size=4,
                  learning_rate=decay(0.2, 0.5), seed=1)
    assert history.learning_rates == [0.2, 0.1, 0.05]
    by_hand = MLP([1, 8, 1], ["tanh", "identity"], seed=0)
    rng = np.random.default_rng(1)
    for rate in (0.2, 0.1, 0.05):
        train_epoch(by_hand, X, y, "mse", rate, 4, rng)
    for mine, theirs in zip(decayed.weights, by_hand.weights):
        assert np.array_equal(mine, theirs)
    constant = fit(MLP([1, 8, 1], ["tanh", "identity"], seed=0), X, y, loss="mse", epochs=3,
                   batch_size=4, learning_rate=decay(0.2, 1.0), seed=1)
    assert constant.learning_rates == [0.2] * 3


@pytest.mark.parametrize("loss, sizes, names", [
    ("cross_entropy", [2, 8, 2], ["relu", "softmax"]),
    ("binary_cross_entropy", [2, 8, 1], ["tanh", "sigmoid"]),
    ("mse", [2, 8, 1], ["tanh", "identity"]),
])
def test_a_huge_learning_rate_is_reported_as_divergence_for_every_loss(loss, sizes, names):
    X, y = data.two_moons(100, seed=0)
    net = MLP(sizes, names, seed=0)
    history = fit(net, X, y, loss=loss, learning_rate=1e6)
    assert history.diverged and "too large" in history.message
    assert not diverged(net)  # the weights of the last good epoch were put back
    assert all(np.all(np.isfinite(h)) for h in (history.train_loss, history.update_loss))


def test_diverged_is_weights_past_a_million_or_not_finite():
    net = MLP([2, 2, 1])
    assert not diverged(net)
    for bad in (2e6, -2e6, np.inf, np.nan):
        net.biases[1][0] = bad
        assert diverged(net)
    net.biases[1][0] = 9e5
    assert not diverged(net)


def test_diverged_at_the_limit_on_either_side_and_for_any_layer():
    """Many weights just under the limit have not diverged; one past it on either side, in any
    layer, or one too large for its square, has."""
    net = MLP([30, 20, 1])
    for p in net.parameters().values():
        p[...] = -9.9
    assert not diverged(net, limit=10)
    for p in net.parameters().values():
        for bad in (10.5, -10.5, 1e200, -np.inf, np.nan):
            p.flat[-1] = bad
            assert diverged(net, limit=10), (p.shape, bad)
        p.flat[-1] = 9.9
    assert not diverged(net, limit=10)


def test_the_default_network_trains_with_the_default_loss():
    X, y = data.xor()
    history = fit(MLP([2, 3, 1]), X, y)  # sigmoid output: binary cross-entropy
    assert history.epochs == 20 and len(history.train_accuracy) == 20
    assert training._loss_for(MLP([2, 3, 2], ["relu", "softmax"]), "auto") == "cross_entropy"
    assert training._loss_for(MLP([2, 1], "identity"), "auto") == "mse"


def test_predict_and_loss_leave_what_backward_needs_alone():
    rng = np.random.default_rng(3)
    net = MLP([2, 4, 1], "tanh", seed=1)
    X, other = rng.normal(size=(5, 2)), rng.normal(size=(9, 2))
    out = net.forward(X)
    expected = net.backward(np.ones_like(out))
    zs = [z.copy() for z in net.zs]
    assert net.predict(other).shape == (9, 1)
    net.loss(other, np.zeros((9, 1)), "mse")
    net.predict_classes(other)
    assert all(np.array_equal(a, b) for a, b in zip(zs, net.zs))
    again = net.backward(np.ones_like(out))
    assert all(np.array_equal(again[k], expected[k]) for k in expected)
    assert np.array_equal(net.predict(X), out)


def test_a_network_without_biases_trains_and_survives_save_and_load(tmp_path):
    """The two-weight neuron of lessons 04 and 06: y = w1 x1 + w2 x2, no bias."""
    X, y = data.bowl(40, seed=0)
    net = MLP([2, 1], "identity", bias=False)
    fit(net, X, y, loss="mse", epochs=200, batch_size=8, learning_rate=0.05)
    np.testing.assert_allclose(net.weights[0][:, 0], [4.0, 3.0], atol=1e-6)
    assert np.all(net.biases[0] == 0.0)
    net.save(tmp_path / "neuron.npz")
    loaded = MLP.from_file(tmp_path / "neuron.npz")
    assert not loaded.bias and np.array_equal(loaded.predict(X), net.predict(X))
    with pytest.raises(ValueError, match="holds a network with no biases, but this network has "
                                         "biases"):
        MLP([2, 1], "identity").load(tmp_path / "neuron.npz")


def test_copy_keeps_the_architecture_and_the_hooks():
    wrong = lambda a: -act.sigmoid_prime_from_output(a)  # noqa: E731
    net = MLP([2, 3, 1], "sigmoid", bias=False, derivatives={"sigmoid": wrong}, seed=4)
    twin = net.copy()
    assert repr(twin) == repr(net) and "bias=False" in repr(net)
    X = np.random.default_rng(0).normal(size=(3, 2))
    a, b = net.loss_and_gradients(X, np.ones((3, 1)), "mse"), twin.loss_and_gradients(
        X, np.ones((3, 1)), "mse")
    assert a[0] == b[0] and all(np.array_equal(a[1][k], b[1][k]) for k in a[1])


# ---- the hooks reproduce what the demos of lessons 05 and 06 compute by hand -----------------
def test_hooks_reproduce_the_batch_demo_of_a_two_weight_neuron():
    """Mini-batch SGD of y = w1 x1 + w2 x2 from a fixed start, written out by hand, against
    fit with on_update recording the path of the weights."""
    X, y = data.bowl(24, seed=1)
    y = y[:, 0]
    start, rate, batch = np.array([-1.0, -2.0]), 0.05, 5
    weights, by_hand, rng = start.copy(), [start.copy()], np.random.default_rng(0)
    for _ in range(4):
        order = rng.permutation(len(X))
        for i in range(0, len(X), batch):
            rows = order[i:i + batch]
            weights = weights - rate * (2.0 / len(rows)) * X[rows].T @ (X[rows] @ weights - y[rows])
            by_hand.append(weights)
    net = MLP([2, 1], "identity", bias=False)
    net.set_parameters({"W1": start[:, None]})
    path = []
    fit(net, X, y, loss="mse", epochs=4, batch_size=batch, learning_rate=rate, seed=0,
        on_update=lambda update: path.append(net.weights[0][:, 0].copy()))
    path.append(net.weights[0][:, 0].copy())
    np.testing.assert_allclose(path, by_hand, rtol=1e-12)


def test_hooks_reproduce_the_backprop_demo_with_the_forum_derivative():
    """Lesson 05's stepper: a 2-2-1 sigmoid network learns one example with (y - t)^2, with the
    right slope a(1 - a) and with the forum's a(a - 1); written out by hand, against fit."""
    x, t = np.array([[1.0, 0.5]]), np.array([[0.2]])
    start = MLP([2, 2, 1], "sigmoid", seed=3, init=1.0).parameters()

    def by_hand(slope):
        p = {k: v.copy() for k, v in start.items()}
        losses = []
        for _ in range(30):
            h = act.sigmoid(x @ p["W1"] + p["b1"])
            out = act.sigmoid(h @ p["W2"] + p["b2"])
            losses.append(float(((out - t) ** 2)[0, 0]))
            d2 = 2 * (out - t) * slope(out)
            d1 = (d2 @ p["W2"].T) * slope(h)
            for name, g in (("W2", h.T @ d2), ("b2", d2[0]), ("W1", x.T @ d1), ("b1", d1[0])):
                p[name] = p[name] - 1.0 * g
        return losses

    for slope, derivatives in ((lambda a: a * (1 - a), None),
                               (lambda a: a * (a - 1), {"sigmoid": forum_sigmoid_prime})):
        net = MLP([2, 2, 1], "sigmoid", derivatives=derivatives)
        net.set_parameters(start)
        history = fit(net, x, t, loss="mse", epochs=30, batch_size=1, learning_rate=1.0)
        np.testing.assert_allclose(history.update_loss, by_hand(slope), rtol=1e-12)
    assert history.update_loss[-1] > 1.5 * history.update_loss[0]  # the forum's slope climbs


def forum_sigmoid_prime(a):
    """The forum's slope, from the neuron's output as backpropagation computes it."""
    return a * (a - 1.0)


from nnlessons import network  # noqa: E402


@pytest.mark.parametrize("hidden", sorted(act.ELEMENTWISE))
def test_what_keeps_nothing_computes_what_forward_does(hidden):
    """predict, loss and score write each hidden layer's activations over its sums (nothing is
    kept for a backward pass): the same numbers as forward, which keeps them, and the caller's
    inputs untouched."""
    rng = np.random.default_rng(5)
    X, labels = rng.normal(size=(30, 3)) * 3, rng.integers(0, 4, size=30)
    X0 = X.copy()
    net = MLP([3, 6, 5, 4], [hidden, hidden, "softmax"], seed=2)
    out = net.forward(X)
    sums = [z.copy() for z in net.zs]
    assert np.array_equal(net.predict(X), out)
    value = net.loss(X, labels, "cross_entropy")
    assert value == network.loss_value(net.zs[-1], out, labels, "cross_entropy")
    assert score(net, X, labels, "cross_entropy") == (value, float(np.mean(out.argmax(1) == labels)))
    assert np.array_equal(X, X0) and all(np.array_equal(a, b) for a, b in zip(sums, net.zs))
    regression = MLP([3, 6, 2], [hidden, "identity"], seed=2)
    T = rng.normal(size=(30, 2))
    outputs = regression.forward(X)
    assert regression.loss(X, T, "mse") == network.loss_value(None, outputs, T, "mse")
