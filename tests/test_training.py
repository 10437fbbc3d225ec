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
        assert sorted(stored.files) == ["W1", "W2", "activations", "b1", "b2", "sizes"]


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
