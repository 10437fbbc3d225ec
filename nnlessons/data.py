"""Every data set of the course: made here from a seed, or shipped inside the package.

Nothing is downloaded, ever, so the course runs on a laptop in a train and in a room with bad wifi.
Every generator takes `seed` (an int or a `numpy.random.Generator`), so the same seed always gives
the same points. Inputs `X` are float64 with one row per example; labels `y` are int64 class
indices, targets of a regression are float64 columns.
"""
from importlib import resources

import numpy as np

from . import _validate as v


def _check_count(name, n, least=1):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < least:
        raise ValueError(f"{name} must be a whole number >= {least}; got {n!r}")


def crowd(n=50, noise=20.0, seed=0):
    """Crowd counting, the regression of lessons 02-04.

    Each example is a photo of a square: `X` is the area the crowd fills, in hundreds of square
    metres (1 to 12), and `y` is how many people stand there, about 50 per hundred square metres
    plus `noise` (standard deviation, in people). A square of 10 (1,000 m^2) holds about 500.
    """
    _check_count("n", n)
    rng = v.as_rng(seed)
    area = rng.uniform(1.0, 12.0, size=(n, 1))
    people = 50.0 * area + rng.normal(0.0, noise, size=(n, 1))
    return area, people


def bowl(n=20, seed=0):
    """Data for a neuron with two weights and no bias whose best weights are exactly (4, 3):
    `y = 4 x1 + 3 x2` with no noise, so the mean squared error over (w1, w2) is a bowl with its
    lowest point, 0, at w1 = 4, w2 = 3."""
    _check_count("n", n, least=2)
    rng = v.as_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = X @ np.array([[4.0], [3.0]])
    return X, y


def xor():
    """The four points of XOR: the output is 1 when exactly one input is 1. No straight line
    separates the classes, so one neuron cannot learn it and a hidden layer can."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    return X, y


def two_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles, `n` points in all, labels 0 and 1."""
    _check_count("n", n, least=2)
    rng = v.as_rng(seed)
    n0 = n // 2
    n1 = n - n0
    t0 = rng.uniform(0, np.pi, n0)
    t1 = rng.uniform(0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) + rng.normal(0, noise, size=(n, 2))
    y = np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n1, dtype=np.int64)])
    return _shuffled(X, y, rng)


def circles(n=200, noise=0.05, factor=0.5, seed=0):
    """A small circle (label 1, radius `factor`) inside a large one (label 0, radius 1)."""
    _check_count("n", n, least=2)
    if not 0 < factor < 1:
        raise ValueError(f"factor must be between 0 and 1 (inner radius / outer); got {factor!r}")
    rng = v.as_rng(seed)
    n0 = n // 2
    t = rng.uniform(0, 2 * np.pi, n)
    radius = np.where(np.arange(n) < n0, 1.0, factor)
    X = np.column_stack([radius * np.cos(t), radius * np.sin(t)]) + rng.normal(0, noise, (n, 2))
    y = (np.arange(n) >= n0).astype(np.int64)
    return _shuffled(X, y, rng)


def spirals(n_per_class=100, k=3, noise=0.2, seed=0):
    """`k` arms of a spiral, one class each, `n_per_class` points per arm."""
    _check_count("n_per_class", n_per_class)
    _check_count("k", k, least=2)
    rng = v.as_rng(seed)
    X, y = [], []
    for c in range(k):
        r = np.linspace(0.05, 1.0, n_per_class)
        t = np.linspace(c * 2 * np.pi / k, c * 2 * np.pi / k + 4.0, n_per_class)
        t = t + rng.normal(0, noise, n_per_class)
        X.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        y.append(np.full(n_per_class, c, dtype=np.int64))
    return _shuffled(np.vstack(X), np.concatenate(y), rng)


def true_curve(x):
    """The function behind `noisy_curve`: sin(2 pi x) on [0, 1]."""
    return np.sin(2 * np.pi * np.asarray(x, dtype=np.float64))


def noisy_curve(n=20, noise=0.25, seed=0):
    """`n` points of sin(2 pi x) on [0, 1] plus Gaussian `noise`: few and noisy, to overfit.
    Returns `X` (n, 1) and `y` (n, 1); the true curve is `true_curve`."""
    _check_count("n", n)
    rng = v.as_rng(seed)
    x = np.sort(rng.uniform(0.0, 1.0, n))
    y = true_curve(x) + rng.normal(0.0, noise, n)
    return x[:, None], y[:, None]


def digits(flatten=True):
    """The 8x8 handwritten digits: 1,797 images of the digits 0-9.

    Pixels are scaled from 0..16 to 0..1. With `flatten`, `X` is (1797, 64), one row per image;
    otherwise (1797, 8, 8). `y` holds the digits as int64.
    Source: UCI "Optical Recognition of Handwritten Digits" (Alpaydin and Kaynak, 1998), CC BY 4.0.
    """
    with resources.files("nnlessons._data").joinpath("digits.npz").open("rb") as f:
        stored = np.load(f, allow_pickle=False)
        images, labels = stored["images"], stored["labels"]
    X = images.astype(np.float64) / 16.0
    return (X.reshape(len(X), 64) if flatten else X), labels.astype(np.int64)


def train_test_split(X, y, test_fraction=0.25, seed=0):
    """Shuffle the examples and split them: returns `X_train, X_test, y_train, y_test`."""
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of examples; got {len(X)} and {len(y)}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1; got {test_fraction!r}")
    n_test = int(round(len(X) * test_fraction))
    if n_test == 0 or n_test == len(X):
        raise ValueError(f"test_fraction={test_fraction} leaves no examples on one side of "
                         f"{len(X)}; use more data or another fraction")
    order = v.as_rng(seed).permutation(len(X))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


class Standardizer:
    """Rescale each input column to mean 0 and standard deviation 1, using statistics of the
    training set only (`fit` on training data, then `transform` any data). Fitting on the test
    set too would leak information about it into training."""

    def fit(self, X):
        X = v.as_array("X", X, ndim=2)
        self.mean = X.mean(axis=0)
        std = X.std(axis=0)
        self.std = np.where(std > 0, std, 1.0)  # a constant column stays as it is, not NaN
        return self

    def transform(self, X):
        if not hasattr(self, "mean"):
            raise RuntimeError("call fit(X_train) before transform")
        X = v.as_array("X", X, ndim=2)
        if X.shape[1] != self.mean.shape[0]:
            raise ValueError(f"X must have {self.mean.shape[0]} columns like the data fit on; "
                             f"got shape {X.shape}")
        return (X - self.mean) / self.std

    def fit_transform(self, X):
        return self.fit(X).transform(X)


def _shuffled(X, y, rng):
    order = rng.permutation(len(X))
    return X[order], y[order]
