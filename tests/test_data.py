"""Data sets: offline, deterministic from a seed, of the promised shapes."""
import numpy as np
import pytest

from nnlessons import data

GENERATORS = {
    "crowd": lambda seed: data.crowd(30, seed=seed),
    "bowl": lambda seed: data.bowl(20, seed=seed),
    "two_moons": lambda seed: data.two_moons(60, seed=seed),
    "circles": lambda seed: data.circles(60, seed=seed),
    "spirals": lambda seed: data.spirals(20, k=4, seed=seed),
    "noisy_curve": lambda seed: data.noisy_curve(15, seed=seed),
}


@pytest.mark.parametrize("name", GENERATORS)
def test_same_seed_same_data_other_seed_other_data(name):
    make = GENERATORS[name]
    X1, y1 = make(0)
    X2, y2 = make(0)
    X3, _ = make(1)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert X1.dtype == np.float64 and X1.ndim == 2 and len(X1) == len(y1)


def test_a_generator_can_be_passed_as_seed():
    rng = np.random.default_rng(5)
    a = data.two_moons(20, seed=rng)[0]
    b = data.two_moons(20, seed=rng)[0]
    assert not np.array_equal(a, b)


def test_labels():
    assert set(data.two_moons(50)[1]) == {0, 1}
    assert set(data.spirals(10, k=5)[1]) == {0, 1, 2, 3, 4}
    X, y = data.xor()
    assert y.tolist() == [0, 1, 1, 0]


def test_bowl_data_is_exactly_linear_with_weights_4_and_3():
    X, y = data.bowl()
    np.testing.assert_allclose(X @ [4.0, 3.0], y[:, 0])


def test_crowd_of_ten_hundred_square_metres_is_about_500():
    X, y = data.crowd(2000, noise=0.0)
    np.testing.assert_allclose(y, 50 * X)


def test_digits_are_shipped():
    X, y = data.digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    images, _ = data.digits(flatten=False)
    assert images.shape == (1797, 8, 8)


def test_split_keeps_pairs_and_sizes():
    X = np.arange(20.0)[:, None]
    y = np.arange(20)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, 0.25, seed=0)
    assert len(X_test) == 5 and len(X_train) == 15
    assert np.array_equal(X_train[:, 0], y_train) and np.array_equal(X_test[:, 0], y_test)
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(20))


def test_standardizer_uses_training_statistics_only():
    train = np.array([[0.0, 5.0], [2.0, 5.0]])
    test = np.array([[4.0, 5.0]])
    s = data.Standardizer().fit(train)
    np.testing.assert_allclose(s.transform(train), [[-1.0, 0.0], [1.0, 0.0]])
    np.testing.assert_allclose(s.transform(test), [[3.0, 0.0]])  # constant column: no NaN
