"""Claim tests of lesson 03: what its prose says about its own numbers, recomputed."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import claims_support as claims  # noqa: E402

from nnlessons import losses  # noqa: E402
from nnlessons.activations import sigmoid  # noqa: E402
from nnlessons.calculus import numerical_derivative  # noqa: E402
from nnlessons.widgets import derivative  # noqa: E402


@pytest.fixture(scope="module")
def lesson():
    return claims.lesson("03_derivative")


def test_slope_signs_say_which_way(lesson):
    lesson.says("At 350 the slope is negative")
    lesson.says("At 600 it is positive")
    loss = derivative.crowd_loss
    for guess, sign in ((350, -1), (600, +1)):
        slope = numerical_derivative(loss, guess)
        assert np.sign(slope) == sign
        better = guess - sign
        assert loss(better) < loss(guess)
    lesson.prints("at y = 350: dL/dy = -300 -> raise y")
    lesson.prints("from 350 to 351: loss 22500 -> 22201")


def test_central_difference_exact_on_parabola_and_error_like_h_squared(lesson):
    lesson.says("the estimate is exact for any $h$")
    for h in (50, 10, 1, 0.1):
        assert numerical_derivative(derivative.crowd_loss, 350, h) == pytest.approx(-300)
    lesson.says("Halve $h$ and the one-sided error halves; the central error drops four times")
    errors = [(abs(derivative.one_sided_difference(lambda x: x ** 3, 2.0, h) - 12),
               abs(numerical_derivative(lambda x: x ** 3, 2.0, h) - 12)) for h in (0.1, 0.05)]
    assert errors[0][0] / errors[1][0] == pytest.approx(2, rel=0.05)
    assert errors[0][1] / errors[1][1] == pytest.approx(4, rel=1e-6)


def test_the_error_falls_then_climbs_as_h_shrinks(lesson):
    lesson.says("The error falls as $h$ shrinks, then climbs again")
    hs = np.logspace(-12, 0, 49)
    errors = np.array([abs(numerical_derivative(lambda x: x ** 3, 2.0, h) - 12) for h in hs])
    best = int(np.argmin(errors))
    assert 0 < best < len(hs) - 1 and errors[0] > 100 * errors[best]


def test_sigmoid_slope_is_a_one_minus_a_and_the_forum_sign_is_wrong(lesson):
    lesson.says(r"\sigma'(z) = \sigma(z)\,\big(1 - \sigma(z)\big) = a\,(1 - a)")
    lesson.says("the same size with the wrong sign")
    for z in (-6.0, -2.0, 0.0, 2.0, 6.0):
        a = float(sigmoid(z))
        estimate = numerical_derivative(sigmoid, z)
        assert a * (1 - a) == pytest.approx(estimate, rel=1e-7)
        assert a * (a - 1) < 0 < estimate
        lesson.prints(f"a(1 - a) = {a * (1 - a):.6f}   central difference {estimate:.6f}")
    lesson.prints("slope of e^-z at z = 1.0: formula -e^-z = -0.367879, central difference -0.367879")


def test_sigmoid_steepest_at_zero(lesson):
    lesson.says("At $z = 0$, where $a = 1/2$: the slope is $\\frac12\\cdot\\frac12 = 0.25$")
    zs = np.linspace(-8, 8, 1601)
    slopes = sigmoid(zs) * (1 - sigmoid(zs))
    assert abs(zs[np.argmax(slopes)]) < 1e-9 and slopes.max() == pytest.approx(0.25)
    lesson.prints("where the slope is 0.2500")


def test_cross_entropy_slope_and_the_combined_p_minus_t(lesson):
    lesson.says(r"\frac{dL}{d\hat p} = -\frac{t}{\hat p} + \frac{1 - t}{1 - \hat p}")
    for p_hat, t in ((0.1, 1.0), (0.9, 1.0), (0.3, 0.0)):
        formula = (p_hat - t) / (p_hat * (1 - p_hat))
        estimate = numerical_derivative(lambda q: losses.binary_cross_entropy([q], [t]), p_hat)
        assert formula == pytest.approx(estimate, rel=1e-6)
        package = losses.binary_cross_entropy_gradient([p_hat], [t])[0]
        assert formula == pytest.approx(package)
        lesson.prints(f"p̂ = {p_hat}, t = {t:.0f}: formula {formula:+.4f}, package "
                      f"{package:+.4f}, central difference {estimate:+.4f}")
    lesson.says("the two cancel")
    z = -6.0
    estimate = numerical_derivative(lambda s: losses.binary_cross_entropy_from_logits([s], [1.0]), z)
    assert estimate == pytest.approx(float(sigmoid(z)) - 1.0, rel=1e-7)
    lesson.prints(f"p̂ - t = {float(sigmoid(z)) - 1:+.6f}")


def test_paths_add_and_only_the_sum_agrees(lesson):
    lesson.says("the paths add")
    lesson.says("Only the sum agrees.")
    x, v1, v2, t1, t2 = 2.0, 4.0, -1.0, 10.0, 0.0

    def loss(w):
        return (v1 * w * x - t1) ** 2 + (v2 * w * x - t2) ** 2

    a = 1.5 * x
    path1, path2 = 2 * (v1 * a - t1) * v1, 2 * (v2 * a - t2) * v2
    estimate = numerical_derivative(loss, 1.5)
    assert (path1 + path2) * x == pytest.approx(estimate, rel=1e-8)
    assert abs(path1 * x - estimate) > 1 and abs(path2 * x - estimate) > 1
    lesson.prints(f"paths added:    dL/dw = {(path1 + path2) * x:+g}")
    lesson.prints(f"central difference:     {estimate:+.4f}")


def test_chain_rule_examples(lesson):
    lesson.prints("chain rule:         dz/dx = 42")
    assert numerical_derivative(lambda x: (3 * x + 1) ** 2, 2.0) == pytest.approx(42)
    lesson.prints("dL/dw1 = dL/dy * w2 * x = -21000")
    w2, x = 35.0, 2.0
    estimate = numerical_derivative(lambda v: derivative.crowd_loss(w2 * v * x), 5.0)
    assert estimate == pytest.approx(-21000, rel=1e-8)


def test_one_sided_is_off_by_exactly_h_on_the_parabola(lesson):
    lesson.says("is off by exactly $h$ for our loss")
    for h in (50, 10, 1, 0.1):
        one_sided = derivative.one_sided_difference(derivative.crowd_loss, 350, h)
        assert one_sided - (-300) == pytest.approx(h, rel=1e-6)
        lesson.prints(f"h = {h:<4}  one-sided {one_sided:9.3f}   central "
                      f"{numerical_derivative(derivative.crowd_loss, 350, h):9.3f}")


def test_a_step_around_1e_5_keeps_the_central_error_small(lesson):
    lesson.says("A step around $10^{-5}$ keeps the central difference's error small on both "
                "counts")
    hs = np.logspace(-12, 0, 49)
    errors = np.array([abs(numerical_derivative(lambda x: x ** 3, 2.0, h) - 12) for h in hs])
    at_default = abs(numerical_derivative(lambda x: x ** 3, 2.0, 1e-5) - 12)
    assert at_default < 1e-8                    # against 0.01 at h = 0.1 and 1e-4 at 1e-12
    assert at_default < 30 * errors.min()       # within a factor 30 of the best step
    assert errors[0] > 1e3 * at_default and errors[-1] > 1e6 * at_default


def test_the_slope_of_log_is_one_over_p(lesson):
    lesson.says("$e^{\\log p} = p$ for every $p > 0$")
    lesson.says("the slope of $\\log$ at $p$ is $1/p$")
    for p in (0.1, 0.5, 2.0):
        estimate = numerical_derivative(np.log, p)
        assert estimate == pytest.approx(1 / p, rel=1e-8)
        lesson.prints(f"slope of log at p = {p}: 1/p = {1 / p:.6f}, central difference "
                      f"{estimate:.6f}")


def test_notation_of_the_forum_slip_and_the_chain_rule(lesson):
    lesson.says("so the forum's formula is $a(a - 1)$")
    lesson.prints("forum's y(y - 1) = -0.250000")
    assert "forum's a(a - 1)" not in lesson.outputs
    lesson.says("are any three quantities in a chain, not yet the course's input, output and "
                "weighted sum")
    lesson.says("a sum rather than the course's mean, to keep the numbers whole: the mean would "
                "halve every slope")
    x, v1, v2, t1, t2, w = 2.0, 4.0, -1.0, 10.0, 0.0, 1.5

    def total(w):
        return (v1 * w * x - t1) ** 2 + (v2 * w * x - t2) ** 2

    assert numerical_derivative(lambda w: total(w) / 2, w) == pytest.approx(
        numerical_derivative(total, w) / 2, rel=1e-8)
