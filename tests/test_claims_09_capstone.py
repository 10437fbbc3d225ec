"""Lesson 09's words about its own numbers, recomputed with the package (see claims_support)."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import claims_support as claims  # noqa: E402

from nnlessons import MLP, fit  # noqa: E402
from nnlessons.training import accuracy  # noqa: E402
from nnlessons.widgets import capstone  # noqa: E402

lesson = claims.lesson("09_capstone")


@pytest.fixture(scope="module")
def chosen():
    X_train, X_val, X_test, y_train, y_val, y_test = capstone.digits_split(seed=0)
    candidates = {}
    for rate in (0.03, 0.1, 0.3):
        net = MLP([64, 64, 10], ["relu", "softmax"], seed=0)
        start = net.weights[0].copy()
        history = fit(net, X_train, y_train, epochs=30, batch_size=32, learning_rate=rate,
                      validation=(X_val, y_val), patience=5, seed=0)
        candidates[rate] = net, start, history
    rate = min(candidates, key=lambda r: min(candidates[r][2].val_loss))
    return rate, candidates[rate], (X_test, y_test)


def _neighbours(weights):
    images = weights.T.reshape(-1, 8, 8)
    return np.corrcoef(images[:, :, :-1].ravel(), images[:, :, 1:].ravel())[0, 1]


def test_the_rate_is_chosen_by_validation(chosen):
    lesson.says("we try three and keep the one with the lowest validation loss. The test set "
                "plays no part")
    rate, _, _ = chosen
    lesson.prints(f"chosen by validation: learning rate {rate}")


def test_trained_weights_are_mostly_the_start_and_the_change_has_strokes(chosen):
    lesson.says("Strongly: a picture of the trained weights would mostly show the random start")
    _, (net, start, _), _ = chosen
    W1 = net.weights[0]
    correlation = np.corrcoef(W1.ravel(), start.ravel())[0, 1]
    assert correlation > 0.8
    lesson.prints(f"with their random start: {correlation:.2f}")
    lesson.says("The start is speckle (side-by-side pixels unrelated), the change has strokes")
    assert abs(_neighbours(start)) < 0.1 and _neighbours(W1 - start) > 0.3
    lesson.prints(f"change {_neighbours(W1 - start):.2f}")


def test_the_test_set_is_touched_once_and_the_trainer_never_touches_it(chosen):
    lesson.says("Now, and only now, the test set is used, once")
    _, (net, _, _), (X_test, y_test) = chosen
    lesson.prints(f"test accuracy: {accuracy(net, X_test, y_test):.3f}")
    lesson.says("try to beat the validation accuracy")
    run = capstone.train_digits(hidden=16, epochs=2)
    _, X_val, _, _, y_val, _ = capstone.digits_split()
    assert np.array_equal(run.X_val, X_val) and run.confusion.sum() == len(y_val)
    assert not hasattr(run, "test_accuracy")


def test_the_lesson_links_lead_to_lessons_that_exist():
    for target in ("04_gradient_descent.ipynb", "01_neuron.ipynb", "08_activations.ipynb"):
        lesson.says(f"({target})")
        assert (claims.LESSONS / target).exists()
    assert "04_descent.ipynb" not in lesson.markdown
