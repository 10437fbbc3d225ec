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
    X_train, X_val, X_test, t_train, t_val, t_test = capstone.digits_split(seed=0)
    candidates = {}
    for rate in (0.1, 0.3, 0.5, 1.0):
        net = MLP([64, 64, 10], ["relu", "softmax"], seed=0)
        start = net.weights[0].copy()
        history = fit(net, X_train, t_train, epochs=30, batch_size=32, learning_rate=rate,
                      validation=(X_val, t_val), patience=5, seed=0)
        candidates[rate] = net, start, history
    rate = min(candidates, key=lambda r: min(candidates[r][2].val_loss))
    return rate, candidates[rate], (X_test, t_test), X_train


def _neighbours(weights):
    images = weights.T.reshape(-1, 8, 8)
    return np.corrcoef(images[:, :, :-1].ravel(), images[:, :, 1:].ravel())[0, 1]


def test_the_rate_is_chosen_by_validation(chosen):
    lesson.says("we try four, from 0.1 to 1.0 (lesson 07 trained a similar\nnetwork at 0.5), "
                "and keep the one with the lowest validation loss. The test set plays no part")
    rate, _, _, _ = chosen
    assert rate not in (0.1, 1.0)        # the grid brackets the choice
    lesson.prints(f"chosen by validation: learning rate {rate}")


def test_trained_weights_are_mostly_the_start_and_the_change_has_strokes(chosen):
    lesson.says("Strongly: a picture of the trained weights would mostly show the random start")
    _, (net, start, _), _, X_train = chosen
    W1 = net.weights[0]
    correlation = np.corrcoef(W1.ravel(), start.ravel())[0, 1]
    assert correlation > 0.8
    lesson.prints(f"with their random start: {correlation:.2f}")
    lesson.says("The start is speckle\n(side-by-side pixels unrelated); the change is smooth")
    assert abs(_neighbours(start)) < 0.1 and _neighbours(W1 - start) > 0.3
    lesson.says("The change is about as smooth as the\nimages it is made of")
    images = _neighbours(X_train.T)
    assert abs(_neighbours(W1 - start) - images) < 0.1
    lesson.prints(f"change {_neighbours(W1 - start):.2f}, the training images themselves {images:.2f}")
    lesson.says("A\nneuron whose weights did not change at all is a dead ReLU")
    still = np.flatnonzero(np.abs(W1 - start).max(axis=0) == 0)
    net.forward(X_train)
    assert len(still) > 0 and np.all(net.zs[0][:, still] <= 0)


def test_the_test_set_is_touched_once_and_the_trainer_never_touches_it(chosen):
    lesson.says("Now, and only now, the test set is used, once")
    _, (net, _, _), (X_test, t_test), _ = chosen
    lesson.prints(f"test accuracy: {accuracy(net, X_test, t_test):.3f}")
    lesson.says("try to beat the validation accuracy")
    run = capstone.train_digits(hidden=16, epochs=2)
    _, X_val, _, _, t_val, _ = capstone.digits_split()
    assert np.array_equal(run.X_val, X_val) and run.confusion.sum() == len(t_val)
    assert not hasattr(run, "test_accuracy")


def test_the_lesson_links_lead_to_lessons_that_exist():
    for target in ("04_gradient_descent.ipynb", "01_neuron.ipynb", "08_activations.ipynb"):
        lesson.says(f"({target})")
        assert (claims.LESSONS / target).exists()
    assert "04_descent.ipynb" not in lesson.markdown


def test_the_notebook_uses_the_test_set_only_after_every_choice():
    import nbformat
    lesson.says("Now, and\nonly now, the test set is used, once")
    notebook = nbformat.read(claims.LESSONS / "09_capstone.ipynb", as_version=4)
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    uses = [i for i, source in enumerate(code)
            if ("X_test" in source or "t_test" in source) and "digits_split" not in source]
    choice = max(i for i, source in enumerate(code) if "fit(" in source or ".load(" in source)
    assert uses and min(uses) > choice                  # after the rate, epoch, save and load
    first = code[min(uses)]
    assert first.count("X_test") == 2                   # one prediction, one accuracy, one cell
    assert all("fit(" not in source for source in code[min(uses):])
