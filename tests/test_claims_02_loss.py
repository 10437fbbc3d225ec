"""Claim tests of lesson 02: what its prose says about its own numbers, recomputed."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import claims_support as claims  # noqa: E402

from nnlessons import data, losses  # noqa: E402
from nnlessons.activations import sigmoid  # noqa: E402
from nnlessons.losses import binary_cross_entropy, mse, squared_error  # noqa: E402
from nnlessons.neuron import weighted_sum  # noqa: E402


@pytest.fixture(scope="module")
def lesson():
    return claims.lesson("02_loss")


def test_crowd_squared_errors_and_the_bottom_at_the_target(lesson):
    lesson.says("guesses of 350 and 600 cost 22500 and 10000; the right answer costs 0")
    assert squared_error(350, 500) == 22500 and squared_error(600, 500) == 10000
    lesson.prints("squared error (500 - 350)² = 22500")
    guesses = np.linspace(0, 1000, 201)
    curve = squared_error(guesses, np.full_like(guesses, 500))
    assert guesses[np.argmin(curve)] == 500 and curve.min() == 0
    lesson.prints("the smallest squared error is 0, at the guess 500")


def test_squaring_punishes_big_misses_more(lesson):
    lesson.says("Squaring also punishes big misses much more than small ones")
    ratio = squared_error(350, 500) / squared_error(600, 500)
    assert ratio > 150 / 100
    lesson.prints(f"the miss is {150 / 100:.2f} times larger; the squared error {ratio:.2f} times")


def test_the_mean_stays_the_sum_doubles(lesson):
    lesson.says("The mean stays, the sum doubles.")
    area, people = data.crowd(n=8, seed=0)
    guess = weighted_sum(area, [45.0], 0.0)[:, None]
    twice_g, twice_p = np.vstack([guess, guess]), np.vstack([people, people])
    assert mse(twice_g, twice_p) == pytest.approx(mse(guess, people))
    total = squared_error(guess, people).sum()
    assert squared_error(twice_g, twice_p).sum() == pytest.approx(2 * total)
    lesson.prints(f"8 examples:  MSE {mse(guess, people):.1f}, sum {total:.1f}")


def test_cross_entropy_keeps_climbing_squared_error_stays_below_one(lesson):
    lesson.says("squared error creeps up towards 1, while cross-entropy keeps climbing")
    lesson.says(r"each tenfold shrink of $\hat p$ adds the same amount again, $\log 10 = 2.3026$")
    ps = [0.1, 0.01, 0.001]
    ce = [binary_cross_entropy([p], [1.0]) for p in ps]
    assert np.allclose(np.diff(ce), np.log(10))
    lesson.prints(f"from p = 0.1 to 0.01, cross-entropy adds {ce[1] - ce[0]:.4f}; "
                  f"log 10 = {np.log(10):.4f}")
    assert all(mse([p], [1.0]) < 1 for p in ps)
    lesson.says("the worst possible answer costs a large but finite amount")
    worst = binary_cross_entropy([0.0], [1.0])
    assert np.isfinite(worst) and worst > 20
    lesson.prints(f"label 1, p = 0:    cross-entropy {worst:.2f}")


def test_cross_entropy_slope_steepest_when_confidently_wrong(lesson):
    lesson.says("is never steeper than 2")
    lesson.says("is steepest exactly where the answer is confidently wrong")
    ps = np.linspace(0.001, 0.999, 999)
    se = losses.mse_gradient(ps[:, None], np.ones((999, 1))) * 999
    assert np.all(np.abs(se) <= 2)
    ce = np.array([losses.binary_cross_entropy_gradient([p], [1.0])[0] for p in ps])
    assert np.argmax(np.abs(ce)) == 0
    lesson.prints("of cross-entropy  -100.00")


def test_cross_entropy_push_on_z_is_p_minus_t(lesson):
    lesson.says(r"the push on $z$ is simply $\hat p - t$")
    z = -6.0
    p = float(sigmoid(z))
    push_cross = losses.binary_cross_entropy_from_logits_gradient([z], [1.0])[0]
    push_squared = losses.mse_gradient([p], [1.0])[0] * p * (1 - p)
    assert push_cross == pytest.approx(p - 1.0)
    assert abs(push_squared) < abs(push_cross) / 100   # squared error barely pushes
    lesson.prints(f"push on z from squared error {push_squared:+.4f}, from cross-entropy "
                  f"{push_cross:+.4f}")


def test_best_single_weight_by_trying_many(lesson):
    area, people = data.crowd(n=50, seed=0)
    weights = np.linspace(30, 70, 81)
    batch_loss = [mse(weighted_sum(area, [w], 0.0)[:, None], people) for w in weights]
    best = weights[int(np.argmin(batch_loss))]
    lesson.prints(f"the lowest MSE, {min(batch_loss):.1f}, is at w = {best:.1f} people per 100 m²")


def test_the_crowd_neuron_has_no_activation(lesson):
    """Its guesses are hundreds of people: a sigmoid could not give them."""
    lesson.says("A neuron with one weight, no bias and no activation guesses")
    lesson.says("it has no sigmoid, which would keep every answer between 0 and 1")
    from nnlessons import data
    from nnlessons.activations import sigmoid
    area, people = data.crowd()
    guesses = 45.0 * area
    assert np.max(people) > 1 and np.max(guesses) > 1
    assert np.all(sigmoid(guesses) <= 1.0)
