"""Claim tests of lesson 04: what its prose says about its own numbers, recomputed."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import claims_support as claims  # noqa: E402

from nnlessons import data  # noqa: E402
from nnlessons.calculus import numerical_gradient  # noqa: E402
from nnlessons.descent import bowl_gradient, bowl_loss, gradient_descent  # noqa: E402

X, T = data.bowl()
LOWEST = np.linalg.lstsq(X, T[:, 0], rcond=None)[0]
START = np.random.default_rng(seed=0).normal(0.0, 0.1, size=2)


def curvatures():
    """The bowl's curvature c(theta) along every direction through the bottom, as the lesson
    scans it: (c_min, c_max, steep direction)."""
    thetas = np.radians(np.arange(0.0, 180.0, 0.1))
    directions = np.column_stack([np.cos(thetas), np.sin(thetas)])
    c = np.mean((X @ directions.T) ** 2, axis=0)
    return c.min(), c.max(), directions[np.argmax(c)], thetas[np.argmax(c)], thetas[np.argmin(c)]


C_MIN, C_MAX, STEEP, THETA_STEEP, THETA_FLAT = curvatures()
SMOOTH = 1 / (2 * C_MAX)
RATES = {"too small": 0.05 * SMOOTH, "no zig-zag": SMOOTH, "fastest": 1 / (C_MIN + C_MAX),
         "overshooting": 1.8 * SMOOTH, "diverging": 2.5 * SMOOTH}


@pytest.fixture(scope="module")
def lesson():
    return claims.lesson("04_gradient_descent")


def run(rate, steps=30):
    return gradient_descent(bowl_gradient, START, rate, steps, loss=bowl_loss)


def test_bottom_at_4_3_and_gradient_component_by_component(lesson):
    lesson.says("whose lowest point is $w_1 = 4$, $w_2 = 3$")
    assert np.allclose(LOWEST, [4, 3])
    lesson.says("Each example's residual, weighted by the input that went with that weight.")
    lesson.says("$r_i = y_i - t_i = w_1 x_{i1} + w_2 x_{i2} - t_i$, output minus target")
    assert "e_i" not in lesson.markdown      # e is Euler's number, never an error
    residuals = X @ np.zeros(2) - T[:, 0]
    by_sums = [2 / len(X) * np.sum(residuals * X[:, j]) for j in (0, 1)]
    assert np.allclose(by_sums, bowl_gradient(np.zeros(2)))
    assert np.allclose(by_sums, numerical_gradient(bowl_loss, np.zeros(2)), rtol=1e-7)
    lesson.prints(f"dL/dw1 = {by_sums[0]:.4f},  dL/dw2 = {by_sums[1]:.4f}")


def test_gradient_points_uphill(lesson):
    lesson.says("The gradient points uphill")
    lesson.says("A common slip says the gradient points toward the steepest decrease")
    w = np.zeros(2)
    g = bowl_gradient(w)
    assert bowl_loss(w + 0.1 * g) > bowl_loss(w) > bowl_loss(w - 0.1 * g)
    lesson.prints(f"a step of 0.1 uphill:    {bowl_loss(w + 0.1 * g):.4f}")


def test_parabola_step_multiplies_the_distance_by_one_minus_2c_eta(lesson):
    lesson.says("every step multiplies the distance to the bottom by the same factor $1 - 2c\\eta$")
    c, w_star = 2.0, 3.0
    outcome = {}
    for rate in (0.05, 0.25, 0.4, 0.55):
        walk = gradient_descent(lambda w: 2 * c * (w - w_star), [0.0], rate, 8)
        d = walk.points[:, 0] - w_star
        assert np.allclose(d[1:], (1 - 2 * c * rate) * d[:-1])
        outcome[rate] = d
    lesson.says("0.25 $= 1/(2c)$ is on the bottom after one step")
    assert outcome[0.25][1] == 0
    lesson.says("0.4 jumps from side to side, each jump shorter")
    d = outcome[0.4]
    assert np.all(d[1:] * d[:-1] < 0) and np.all(np.abs(d[1:]) < np.abs(d[:-1]))
    lesson.says("0.55, above $1/c = 0.5$, jumps further out each time")
    assert np.all(np.abs(np.diff(np.abs(outcome[0.55]))) > 0)
    assert np.all(np.diff(np.abs(outcome[0.55])) > 0)
    lesson.prints("rate 0.55: factor 1 - 2c·rate = -1.2")


def test_curvature_per_direction_matches_the_eigenvalues_at_right_angles(lesson):
    lesson.says("The steepest and the flattest directions are at right angles")
    assert abs(np.degrees(THETA_FLAT - THETA_STEEP)) % 180 == pytest.approx(90, abs=0.2)
    lesson.says("agrees with our scan")
    eig = np.linalg.eigvalsh(2 / len(X) * X.T @ X)
    assert np.allclose([2 * C_MIN, 2 * C_MAX], eig, atol=5e-4)
    lesson.prints(f"curvature c_max = {C_MAX:.4f}")


def test_fastest_rate_is_one_over_cmin_plus_cmax_and_found_by_scanning(lesson):
    lesson.says(r"that is at $\eta = 1/(c_{\min} + c_{\max})$")
    fastest = RATES["fastest"]

    def worst(rate):
        return max(abs(1 - 2 * C_MIN * rate), abs(1 - 2 * C_MAX * rate))

    scan = np.linspace(0.01, 1 / C_MAX, 2000)
    assert scan[np.argmin([worst(r) for r in scan])] == pytest.approx(fastest, abs=2e-3)
    assert SMOOTH < fastest < 1 / C_MAX          # it lies in the zig-zag band
    lesson.prints(f"fastest: 1 / (c_min + c_max) = {fastest:.3f}")
    lesson.says("The fastest rate, 1.361, gets lowest after 10 steps (3.76e-15)")
    after10 = {name: run(rate, 10).losses[-1] for name, rate in RATES.items()}
    assert min(after10, key=after10.get) == "fastest"
    assert f"{after10['fastest']:.3g}" == "3.76e-15" and f"{after10['no zig-zag']:.3g}" == "1.68e-11"


def test_overshooting_loss_falls_every_step_while_the_weights_zig_zag(lesson):
    lesson.says("yet its loss falls at every step")
    lesson.says("the loss falls at every step while the weights zig-zag")
    over = run(RATES["overshooting"], 10)
    along = (over.points - LOWEST) @ STEEP
    assert np.all(np.diff(over.losses) < 0)
    assert np.all(along[1:] * along[:-1] < 0)
    lesson.prints("overshooting rate 2.095")
    lesson.prints("falls every step: True, zig-zags: True")
    lesson.says("its weights zig-zag")
    fast = run(RATES["fastest"], 10)
    along = (fast.points - LOWEST) @ STEEP
    assert np.all(along[1:] * along[:-1] < 0)


def test_only_the_diverging_rate_makes_the_loss_rise(lesson):
    lesson.says("From this start only the diverging rate makes the loss rise, and at every step")
    for name, rate in RATES.items():
        losses = run(rate, 10).losses
        if name == "diverging":
            assert np.all(np.diff(losses) > 0)
        else:
            assert np.all(np.diff(losses) < 0)
    wild = gradient_descent(bowl_gradient, START, RATES["diverging"], 100, loss=bowl_loss)
    assert wild.diverged
    lesson.prints(wild.message)


def test_start_decides_the_valley_and_no_unsupported_claim(lesson):
    lesson.says("plain descent can get stuck in a valley that is not the lowest")
    assert "nearly as low as the lowest" not in lesson.markdown
    from nnlessons.widgets import descent as descent_demo
    found = {begin: descent_demo.run_bumpy(begin, 0.05, 100)[1] for begin in (-0.5, 0.5)}
    assert found == {-0.5: "global", 0.5: "local"}


def worst_factor(rate):
    return max(abs(1 - 2 * C_MIN * rate), abs(1 - 2 * C_MAX * rate))


def test_a_slowly_falling_loss_can_mean_overshooting_and_raising_the_rate_hurts(lesson):
    lesson.says('a loss that falls slowly does not by itself say "raise the rate": it can mean a '
                'rate too small or an overshooting one')
    lesson.says("The overshooting rate 2.095 keeps 0.800 of the distance per step, and raising it "
                "makes that worse")
    over = RATES["overshooting"]
    assert f"{over:.3f}" == "2.095" and f"{worst_factor(over):.3f}" == "0.800"
    factors = [worst_factor(r) for r in (over, 2.2, 2.3, 2.329)]
    assert np.all(np.diff(factors) > 0) and factors[-1] > 1 > factors[-2]
    for rate, printed in ((2.2, "0.890"), (2.3, "0.976"), (2.329, "1.001")):
        lesson.prints(f"rate {rate:.3f}: each step keeps {printed} of the distance")
        assert f"{worst_factor(rate):.3f}" == printed
    # the overshooting run falls slowly (more than 0.1 of its loss left after 10 steps' worth of
    # factor 0.8 per step) and the too-small one too: the loss curve alone does not tell them apart
    slow, over_run = run(RATES["too small"], 10), run(over, 10)
    assert over_run.losses[10] > 1e-3 * over_run.losses[0]
    assert slow.losses[10] > 0.1 * slow.losses[0]
    lesson.says("Tell the two apart by the weights: creeping toward the bottom from one side, the "
                "rate is too small, raise it; jumping from side to side, it is too large, "
                "lower it")
    along_slow = (slow.points - LOWEST) @ STEEP
    along_over = (over_run.points - LOWEST) @ STEEP
    assert np.all(along_slow[1:] * along_slow[:-1] > 0)
    assert np.all(along_over[1:] * along_over[:-1] < 0)


def test_past_the_limit_the_loss_rises_every_step_only_from_this_start(lesson):
    lesson.says("from this start the loss then rises at every step; from other starts it can "
                "first fall for a few steps")
    assert 1 / C_MAX < 2.329 < 2.4
    assert np.all(np.diff(run(2.329, 30).losses[4:]) > 0)     # rises from step 4 on
    assert np.all(np.diff(run(2.329, 30).losses[:4]) < 0)     # ... but falls for 3 steps first
    flat = np.array([-STEEP[1], STEEP[0]])
    side = gradient_descent(bowl_gradient, LOWEST + 3.0 * flat + 0.01 * STEEP, 2.4, 100,
                            loss=bowl_loss)
    assert np.all(np.diff(side.losses[:6]) < 0)               # falls for 5 steps
    assert side.losses[100] > side.losses[50] > side.losses[5] and not side.diverged
    lesson.prints("rate 2.400 from a start along the flat direction, loss at steps 0, 5, 50, 100: "
                  + ", ".join(f"{side.losses[k]:.3g}" for k in (0, 5, 50, 100)))


def test_the_overshooting_rate_takes_longer(lesson):
    lesson.says("The overshooting rate zig-zags across the valley and takes longer")
    after = {name: run(rate, 30).losses[-1] for name, rate in RATES.items()}
    assert after["overshooting"] > max(after["fastest"], after["no zig-zag"])


def test_large_steps_jump_over_the_hilltop(lesson):
    from nnlessons.widgets import descent as descent_demo
    lesson.says("With a learning rate of 0.2, a start far on the left overshoots its own valley "
                "and lands in the other one")
    lesson.says("plain descent with small steps stays in the valley where it starts")
    hilltop = descent_demo.bumpy_landmarks()["hilltop"]
    walk, found = descent_demo.run_bumpy(-2.2, 0.2, 200)
    assert -2.2 < hilltop and found == "local" and walk.final[0] > hilltop
    small, found_small = descent_demo.run_bumpy(-2.2, 0.05, 200)
    assert found_small == "global" and np.all(small.points[:, 0] < hilltop)
    lesson.prints(f"start w = -2.2, learning rate 0.2: the local minimum "
                  f"(w = {walk.final[0]:+.3f})")
    # with small steps, every start stays on its side of the hilltop
    for begin in (-2.0, -0.5, 0.5, 2.0):
        path, _ = descent_demo.run_bumpy(begin, 0.05, 100)
        assert np.all(np.sign(path.points[:, 0] - hilltop) == np.sign(begin - hilltop))


def test_sixteen_weights_loss_falls_every_step_and_approaches_the_true_weights(lesson):
    lesson.says("The loss falls step after step, and the 16 weights approach the ones that made "
                "the data")
    rng = np.random.default_rng(seed=1)
    X16 = rng.normal(size=(200, 16))
    true_weights = rng.normal(size=16)
    t16 = X16 @ true_weights
    start16 = rng.normal(0.0, 0.1, size=16)
    rate16 = 1.0 / (2 * np.linalg.eigvalsh(X16.T @ X16 / len(X16))[-1])
    walk = gradient_descent(lambda w: 2.0 / len(X16) * X16.T @ (X16 @ w - t16), start16, rate16,
                            40, loss=lambda w: np.mean((X16 @ w - t16) ** 2))
    assert np.all(np.diff(walk.losses) < 0)
    distance = np.max(np.abs(walk.points - true_weights), axis=1)
    assert distance[-1] < 1e-8 and distance[-1] < 1e-6 * distance[0]
    lesson.prints(f"largest distance from the true weights at the end: {distance[-1]:.1e}")


def test_explorer_presets_are_the_lessons_five_rates(lesson):
    from nnlessons.widgets import descent as descent_demo
    lesson.says("The five presets are the five rates above")
    lesson.says("the same five regimes")
    assert descent_demo.PRESETS == tuple(RATES)
    assert descent_demo.exact_rates() == pytest.approx(RATES, rel=1e-3)   # the scan's 0.1 degree
    for name, rate in RATES.items():
        assert descent_demo.rate_regime(rate)[0] == name
    assert descent_demo.rate_regime(1.361)[0] == "fastest"
