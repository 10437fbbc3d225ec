"""Input checks shared by the whole package.

Every public function checks its arguments here, so a learner who passes the wrong thing reads
what was wrong (the argument's name, what was expected, what came) instead of a NumPy traceback
from deep inside a matrix product.
"""
import numpy as np


def as_array(name, value, ndim=None, allow_1d=False):
    """Return `value` as a float64 array, checking that it is finite and has `ndim` dimensions.

    With `allow_1d`, a 1-D array is read as one example and returned as a row (shape (1, n)).
    """
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numbers (a NumPy array or a list of numbers); "
                        f"got {type(value).__name__}") from None
    if allow_1d and array.ndim == 1:
        array = array[np.newaxis, :]
    if ndim is not None and array.ndim != ndim:
        expected = "a 2-D array with one row per example" if ndim == 2 else f"a {ndim}-D array"
        raise ValueError(f"{name} must be {expected}; got shape {array.shape}")
    check_finite(name, array)
    return array


def as_batch(name, value, n_features):
    """Return `value` as a float64 batch of shape (n_examples, `n_features`), one example per row.

    A 1-D array is refused rather than guessed at, as scikit-learn does: five numbers could be
    five examples of one feature or one example of five features, and a wrong guess trains on
    the wrong data without a word.
    """
    array = as_array(name, value)
    if array.ndim == 1:
        raise ValueError(f"{name} must be 2-D, one example per row, shape (n_examples, "
                         f"{n_features}); got a 1-D array of shape {array.shape}. Use "
                         f"{name}.reshape(-1, 1) if it holds one feature of many examples, or "
                         f"{name}.reshape(1, -1) if it is a single example")
    if array.ndim != 2 or array.shape[1] != n_features:
        raise ValueError(f"{name} must have shape (n_examples, {n_features}) for a network with "
                         f"{n_features} inputs; got shape {array.shape}")
    return array


def check_finite(name, array):
    """Raise if `array` holds NaN or infinity, saying where the first one is."""
    if not np.isfinite(array).all():
        where = np.argwhere(~np.isfinite(array))[0]
        position = tuple(int(i) for i in where)
        raise ValueError(f"{name} must hold only finite numbers; found {array[position].item()!r} "
                         f"at index {position if len(position) != 1 else position[0]}")


def check_same_shape(name_a, a, name_b, b):
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape; "
                         f"got {name_a} {a.shape} and {name_b} {b.shape}")


def check_probabilities(name, p):
    if np.any(p < 0) or np.any(p > 1):
        bad = p[(p < 0) | (p > 1)].flat[0]
        raise ValueError(f"{name} must be probabilities in [0, 1]; found {bad.item()!r}")


def check_binary_labels(name, y):
    if np.any((y != 0) & (y != 1)):
        bad = y[(y != 0) & (y != 1)].flat[0]
        raise ValueError(f"{name} must be 0 or 1; found {bad.item()!r}")


def as_class_labels(name, labels, n_classes, n_examples):
    """Return integer class labels of shape (n_examples,), each in [0, n_classes)."""
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape == (n_examples, n_classes):
        # one-hot rows: take the index of the 1 in each row
        check_binary_labels(name, labels)
        if not np.all(labels.sum(axis=1) == 1):
            raise ValueError(f"{name} given as one-hot rows must have exactly one 1 per row")
        return labels.argmax(axis=1)
    if labels.ndim != 1 or labels.shape[0] != n_examples:
        raise ValueError(f"{name} must be class indices of shape ({n_examples},) or one-hot rows "
                         f"of shape ({n_examples}, {n_classes}); got shape {labels.shape}")
    if labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)) or not np.all(labels == np.round(labels)):
            raise ValueError(f"{name} must be whole numbers (class indices); got {labels[:5]!r}...")
        labels = labels.astype(np.int64)
    elif labels.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer class indices; got dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        out = (labels < 0) | (labels >= n_classes)
        raise ValueError(f"{name} must be in the range 0..{n_classes - 1} for {n_classes} classes; "
                         f"found {labels[out][0]} at index {int(np.argmax(out))}")
    return labels


def as_rng(seed):
    """Accept a seed (int) or a numpy.random.Generator and return a Generator."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be an int or a numpy.random.Generator; got {type(seed).__name__}")
