"""The demos of lessons 03 and 04, headless: the pure functions against the math, every control at
both ends, every preset measured on its path, and extreme settings giving a message instead of a
traceback, a NaN or a warning."""
import warnings

import numpy as np
import pytest
from matplotlib.legend import Legend

from nnlessons import data, descent
from nnlessons.calculus import numerical_derivative
from nnlessons.widgets import derivative
from nnlessons.widgets import descent as descent_w

PNG = b"\x89PNG\r\n\x1a\n"


def legend_of(ax):
    """A panel's legend, whether made on each update (`ax.get_legend()`) or drawn once with the
    background (added as an artist, so that it is not redrawn on every update)."""
    legends = [artist for artist in ax.get_children() if isinstance(artist, Legend)]
    return legends[0] if legends and legends[0].get_texts() else None


def line_labelled(ax, label):
    """The one line of a panel with this label (fixed lines drawn first no longer shift it)."""
    [line] = [line for line in ax.get_lines() if line.get_label() == label]
    return line


def finite_lines(ax):
    return all(np.all(np.isfinite(np.asarray(line.get_ydata(), dtype=float)))
               for line in ax.get_lines())


# ---- lesson 03: the slope explorer ------------------------------------------------------------
@pytest.mark.parametrize("y, slope, advice", [(350.0, -300.0, "raise y"), (600.0, 200.0, "lower y"),
                                              (500.0, 0.0, "stay: this is the bottom")])
def test_crowd_slope_and_its_advice(y, slope, advice):
    assert derivative.crowd_slope(y) == slope
    assert derivative.advice(derivative.crowd_slope(y)) == advice
    assert numerical_derivative(derivative.crowd_loss, y) == pytest.approx(slope, abs=1e-5)


def test_central_difference_is_exact_on_the_parabola_and_one_sided_is_off_by_h():
    for y in (260.0, 350.0, 600.0, 731.0):
        for h in (0.5, 1.0, 8.0, 64.0):  # powers of two: no rounding at all
            assert numerical_derivative(derivative.crowd_loss, y, h) == derivative.crowd_slope(y)
            one_sided = derivative.one_sided_difference(derivative.crowd_loss, y, h)
            assert one_sided - derivative.crowd_slope(y) == pytest.approx(h, rel=1e-9)


def test_error_curves_show_truncation_and_rounding():
    central, one_sided = derivative.error_curves(350.0)
    hs = derivative.H_GRID
    big = hs >= 1e-3
    assert np.allclose(one_sided[big], hs[big], rtol=1e-3)      # one-sided: error = h
    assert np.all(central[big] < 1e-6)                          # central: only rounding
    assert central[0] > 1e-3 and one_sided[0] > 1e-3           # h = 1e-12: rounding ruins both


def test_slope_explorer_tangent_matches_the_formula_everywhere():
    e = derivative.slope_explorer()
    slider = e.controls["y"]
    for y in (slider.min, 350.0, 500.0, 600.0, slider.max):
        e.set(y=y)
        tangent = e.axes[0].get_lines()[1]
        xs, ys = tangent.get_xdata(), tangent.get_ydata()
        assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(2 * (y - 500))
        assert np.interp(y, xs, ys) == pytest.approx((y - 500) ** 2)
        assert f"{2 * (y - 500):+.0f}" in e.axes[0].get_title()
        assert f"{2 * (y - 500):+.6f}" in e.readout.value
    e.set(y=350.0)
    assert "raise y" in e.axes[0].get_title() and "raise y" in e.readout.value
    e.set(y=600.0)
    assert "lower y" in e.axes[0].get_title() and "lower y" in e.readout.value
    e.set(y=500.0)
    assert "bottom" in e.axes[0].get_title()


def test_slope_explorer_step_h_at_both_ends():
    e = derivative.slope_explorer(y=350.0)
    h_slider = e.controls["h"]
    largest, smallest = 10.0 ** h_slider.max, 10.0 ** h_slider.min
    e.set(h=largest)
    central = e.axes[0].get_lines()[2]
    assert np.allclose(central.get_xdata(), [350 - largest, 350 + largest])
    assert e.state.one_sided_error == pytest.approx(largest)
    assert e.state.central_error < 1e-9 and e.alert.value == ""
    marker = e.axes[1].get_lines()[2]
    assert marker.get_xdata()[0] == pytest.approx(largest)
    e.set(h=1e-5)
    assert e.alert.value == "" and e.state.central_error < 1e-5
    e.set(h=smallest)
    assert "rounding" in e.alert.value and "1.0e-12" in e.alert.value
    assert e.state.central_error > 1e-3
    for ax in e.axes:
        assert finite_lines(ax) and ax.get_title() and ax.get_xlabel() and legend_of(ax)
    assert e.update().startswith(PNG)


# ---- lesson 04: the bowl ----------------------------------------------------------------------
def test_bowl_hessian_and_thresholds_come_from_the_data():
    X, _ = data.bowl()   # the data behind descent.bowl_loss
    assert np.allclose(descent_w.bowl_hessian(), 2.0 / len(X) * X.T @ X)
    (c_min, c_max), top = descent_w.curvature()
    assert np.allclose(descent_w.bowl_hessian() @ top, 2 * c_max * top)
    # the curvature along the steepest direction is the lesson's c_max: mean of (x . u)^2
    assert np.mean((X @ top) ** 2) == pytest.approx(c_max)
    exact = descent_w.exact_rates()
    assert exact == pytest.approx({"too small": 0.05 / (2 * c_max), "no zig-zag": 1 / (2 * c_max),
                                   "fastest": 1 / (c_min + c_max),
                                   "overshooting": 1.8 / (2 * c_max),
                                   "diverging": 2.5 / (2 * c_max)})
    rates = descent_w.preset_rates()
    assert tuple(rates) == descent_w.PRESETS
    for name in descent_w.PRESETS:
        assert rates[name] == pytest.approx(exact[name], rel=1.2e-4)   # half a slider step
        assert abs(rates[name] - exact[name]) < 5e-4    # the readout's 3 decimals, to one unit
        assert descent_w.rate_regime(rates[name])[0] == name
        assert descent_w.rate_regime(exact[name])[0] == name
    # the lesson's fastest rate, 1.361, is "fastest", not "overshooting"
    assert f"{exact['fastest']:.3f}" == f"{rates['fastest']:.3f}" == "1.361"
    assert descent_w.rate_regime(1.361)[0] == "fastest"
    assert descent_w.rate_regime(1.25)[0] == "overshooting"     # zig-zags, is not the fastest
    assert descent_w.rate_regime(0.999 / c_max)[0] == "overshooting"
    assert descent_w.rate_regime(1.001 / c_max)[0] == "diverging"
    assert descent_w.rate_regime(0.99 / (2 * c_max))[0] == "no zig-zag"
    # the fastest preset needs the fewest steps of all
    needed = {name: descent_w.rate_regime(rate)[2] for name, rate in rates.items()}
    assert min((n, name) for name, n in needed.items() if n)[1] == "fastest"


def test_preset_rates_lie_on_the_slider_grid():
    """A browser shows a rate at the slider's nearest position and sends that position back:
    a preset's rate is one of the positions, so choosing it does not turn the preset to custom."""
    slider = descent_w.RATE_SLIDER
    e = descent_w.descent_explorer()
    for name, rate in descent_w.preset_rates().items():
        position = (np.log10(rate) - slider["min"]) / slider["step"]
        assert abs(position - round(position)) < 1e-6, name
        assert 10.0 ** slider["min"] < rate < 10.0 ** slider["max"]
        e.set(preset=name)
        # what the browser sends back: the same position, recomputed with its own rounding
        e.set(learning_rate=10.0 ** (slider["min"] + round(position) * slider["step"]))
        assert e.controls["preset"].value == name
        e.set(learning_rate=rate * (1 + 1e-12))
        assert e.controls["preset"].value == name
    e.set(learning_rate=descent_w.preset_rates()["fastest"] * 10 ** slider["step"])
    assert e.controls["preset"].value == "custom"   # one slider step off is a custom rate


def _browser_echo(rate, slider=descent_w.RATE_SLIDER):
    """What a browser's log slider sends back for a rate set from Python: the exponent put on
    the slider's grid by a JavaScript-like round trip (offset, divide, round, multiply, add
    back), and 10 raised to it, with float noise of its own."""
    exponent = np.log10(rate)
    snapped = np.round((exponent - slider["min"]) / slider["step"]) * slider["step"] + slider["min"]
    return float(10.0 ** snapped)


def test_a_preset_survives_the_round_trip_through_a_browser():
    """Clicking a preset sets the rate; the browser snaps that rate to its slider and sends it
    back (with noise like 0.30000000000000004): the preset stays selected and the picture is
    the preset's. A real move of the slider, even one step, is a custom rate."""
    slider = descent_w.RATE_SLIDER
    e = descent_w.descent_explorer()
    first = e.image.value
    e.controls["learning_rate"].value = _browser_echo(e.controls["learning_rate"].value)
    assert e.controls["preset"].value == "fastest" and e.image.value == first
    for name, rate in descent_w.preset_rates().items():
        e.controls["preset"].value = name           # the learner clicks the preset
        assert e.controls["learning_rate"].value == rate
        picture, readout = e.image.value, e.readout.value
        echoes = [_browser_echo(rate), rate * (1 + 2e-16), rate * (1 - 4e-16), rate + 1e-17,
                  float(f"{rate:.12g}"), float(np.nextafter(rate, 0)),
                  float(np.float32(rate))]
        for echo in echoes:
            e.controls["learning_rate"].value = echo   # ... and the browser sends it back
            assert e.controls["preset"].value == name, (name, echo)
            assert e.image.value == picture and e.readout.value == readout
        for moved in (-1, 1, 25):                      # the learner moves the slider
            e.controls["preset"].value = name
            e.controls["learning_rate"].value = _browser_echo(
                rate * 10 ** (moved * slider["step"]))
            assert e.controls["preset"].value == "custom", (name, moved)
    assert descent_w._same_rate(0.30000000000000004, 0.3) and not descent_w._same_rate(0.0, 0.3)


def _across(points):
    """Signed distance from the bottom along the bowl's steepest direction, step by step."""
    _, top = descent_w.curvature()
    return (points - descent.BOWL_MINIMUM) @ top


@pytest.mark.parametrize("start", [(-2.0, -2.0), (10.0, -3.0), (0.0, 9.0)])
def test_presets_behave_as_named_on_the_path(start):
    rates = descent_w.preset_rates()
    slow = descent_w.run_bowl(start, rates["too small"], 30)
    good = descent_w.run_bowl(start, rates["no zig-zag"], 30)
    fastest = descent_w.run_bowl(start, rates["fastest"], 10)
    over = descent_w.run_bowl(start, rates["overshooting"], 30)
    wild = descent_w.run_bowl(start, rates["diverging"], 30)
    first = slow.losses[0]
    assert slow.losses[-1] > 0.05 * first and np.all(np.diff(slow.losses) < 0)
    slow_long = descent_w.run_bowl(start, rates["too small"], descent_w.SLOW_STEPS)
    assert slow_long.losses[-1] > 1e-6 * first   # not even 1000 times closer after 100 steps
    assert good.losses[-1] < 1e-12 * first and not good.diverged
    across = _across(good.points)   # lands on the valley floor in one step, no zig-zag after
    assert np.all(np.abs(across[1:]) < 1e-4 * abs(across[0])) and np.all(np.diff(good.losses) <= 0)
    assert fastest.losses[-1] < descent_w.run_bowl(start, rates["no zig-zag"], 10).losses[-1]
    signs = np.sign(_across(over.points[:12]))
    assert np.all(signs[1:] == -signs[:-1])                           # crosses it every step
    assert over.losses[-1] < 1e-3 * first and over.losses[-1] > good.losses[-1]
    # the flat direction still shrinks for a step or two; then the steep one takes over
    assert np.all(np.diff(wild.losses[3:]) > 0) and wild.losses[-1] > 1e6 * first
    assert descent_w.run_bowl(start, rates["diverging"], 100).diverged


def test_descent_explorer_presets_move_the_rate_and_the_picture():
    e = descent_w.descent_explorer()
    rates = descent_w.preset_rates()
    for name in descent_w.PRESETS:
        e.set(preset=name)
        assert e.controls["learning_rate"].value == rates[name]
        assert e.axes[0].get_title().endswith(name) and name in e.readout.value
        path = line_labelled(e.axes[0], "path")
        assert len(path.get_xdata()) == 31
        assert np.allclose(path.get_xdata(), e.state.points[:, 0])
    assert "diverging" in e.alert.value and "Lower it" in e.alert.value
    e.set(preset="fastest")
    assert e.alert.value == ""
    assert np.allclose(e.state.points[-1], [4.0, 3.0])
    assert "1/(c_min + c_max) = 1.361" in e.readout.value and "1/c_max = 2.328" in e.readout.value
    e.set(learning_rate=0.3)
    assert e.controls["preset"].value == "custom"
    assert "0.300" in e.axes[0].get_title()
    e.set(preset="overshooting", learning_rate=0.5)   # the later setting wins, as in the browser
    assert e.controls["preset"].value == "custom" and e.state.learning_rate == 0.5
    assert "interactive" in e._repr_mimebundle_()["text/plain"]


def test_descent_explorer_every_slider_at_both_ends_without_warnings():
    e = descent_w.descent_explorer()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("w1", "w2", "learning_rate", "steps"):
            slider = e.controls[name]
            ends = ((10.0 ** slider.min, 10.0 ** slider.max) if name == "learning_rate"
                    else (slider.min, slider.max))
            for value in ends:
                e.set(**{name: value})
                assert getattr(e.state, {"w1": "start", "w2": "start"}.get(name, name)) is not None
                assert np.all(np.isfinite(e.state.points))
                assert np.all(np.isfinite(e.state.losses))
                for ax in e.axes:
                    assert finite_lines(ax)
                assert e.update().startswith(PNG)
            e.set(preset="fastest")
    e.set(w1=e.controls["w1"].min, w2=e.controls["w2"].max)
    assert np.allclose(e.state.start, [e.controls["w1"].min, e.controls["w2"].max])
    e.set(steps=0)
    assert len(line_labelled(e.axes[1], "loss after each step").get_xdata()) == 1
    e.set(steps=100, learning_rate=10.0 ** e.controls["learning_rate"].max)
    assert e.state.diverged and "diverged at step" in e.alert.value
    assert "Loss per step (diverged)" == e.axes[1].get_title()
    e.set(learning_rate=10.0 ** e.controls["learning_rate"].min)
    assert "too small" in e.readout.value and e.alert.value == ""


def test_descent_explorer_start_at_the_bottom_stays_there():
    e = descent_w.descent_explorer(w1=4.0, w2=3.0)
    assert e.state.losses.max() == 0.0 and e.alert.value == ""
    assert e.update().startswith(PNG)


# ---- lesson 04: two valleys -------------------------------------------------------------------
def test_bumpy_landmarks_are_where_the_slope_is_zero():
    marks = descent_w.bumpy_landmarks()
    for name in ("global", "local", "hilltop"):
        assert abs(descent.bumpy_gradient(marks[name])) < 1e-9
    assert marks["global"] < marks["hilltop"] < marks["local"]
    assert descent.bumpy_loss(marks["global"]) < descent.bumpy_loss(marks["local"])
    assert marks["global"] == pytest.approx(-1.47, abs=0.01)
    assert marks["local"] == pytest.approx(1.35, abs=0.01)


@pytest.mark.parametrize("start, valley", [(-2.2, "global"), (-0.5, "global"), (0.1, "global"),
                                           (0.15, "local"), (1.0, "local"), (2.2, "local")])
def test_the_start_decides_the_valley(start, valley):
    path, found = descent_w.run_bumpy(start, 0.05, 200)
    assert found == valley
    assert abs(path.final[0] - descent_w.bumpy_landmarks()[valley]) < 1e-3


def test_local_minimum_explorer_every_control_and_extremes():
    e = descent_w.local_minimum_explorer()
    assert "local minimum" in e.axes[0].get_title() and "<b>local minimum</b>" in e.readout.value
    e.set(start=-0.5)
    assert "global minimum" in e.axes[0].get_title()
    assert "<b>global minimum</b>" in e.readout.value and e.alert.value == ""
    path = line_labelled(e.axes[0], "path")
    assert np.allclose(path.get_ydata(), descent.bumpy_loss(path.get_xdata()))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("start", "learning_rate", "steps"):
            slider = e.controls[name]
            ends = ((10.0 ** slider.min, 10.0 ** slider.max) if name == "learning_rate"
                    else (slider.min, slider.max))
            for value in ends:
                e.set(**{name: value})
                assert np.all(np.isfinite(e.state.points))
                for ax in e.axes:
                    assert finite_lines(ax)
                assert e.update().startswith(PNG)
            e.set(start=1.8, learning_rate=0.05, steps=60)
    e.set(steps=1, learning_rate=0.001)
    assert "still moving" in e.alert.value and "still moving" in e.axes[0].get_title()
    assert len(line_labelled(e.axes[1], "loss after each step").get_xdata()) == 2
    e.set(start=2.2, steps=200, learning_rate=10.0 ** e.controls["learning_rate"].max)
    assert e.state.found is None and e.alert.value != ""
    e.set(start=-2.2, steps=200, learning_rate=0.05)
    assert e.state.found == "global" and e.alert.value == ""


def test_local_minimum_explorer_diverges_with_a_message():
    e = descent_w.local_minimum_explorer()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found_divergence = False
        for rate in np.geomspace(0.1, 10.0 ** e.controls["learning_rate"].max, 12):
            for start in (-2.2, 2.2):
                e.set(start=start, learning_rate=rate, steps=200)
                assert np.all(np.isfinite(e.state.points))
                if e.state.diverged:
                    found_divergence = True
                    assert "diverged at step" in e.alert.value
                    assert "diverged" in e.axes[0].get_title()
                    assert e.axes[1].get_yscale() == "log" and "diverged" in e.axes[1].get_title()
    assert found_divergence


def view(explorer):
    return [(ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(), ax.get_xlabel(),
             ax.get_ylabel()) for ax in explorer.axes]


@pytest.mark.parametrize("make, settings", [
    (make, settings) for module in (derivative, descent_w)
    for _, make, settings in module.benchmark_cases()])
def test_axes_stay_put_while_the_sliders_move(make, settings):
    explorer = make()
    first = view(explorer)
    for values in settings:
        explorer.set(**values)
        assert view(explorer) == first, values


def test_loss_per_step_axes_hold_every_step_and_every_loss():
    e = descent_w.descent_explorer(steps=100)
    for name in descent_w.PRESETS:
        e.set(preset=name)
        line = line_labelled(e.axes[1], "loss after each step")
        low, high = e.axes[1].get_ylim()
        assert e.axes[1].get_xlim()[1] >= e.controls["steps"].max
        assert low < np.min(line.get_ydata()) and np.max(line.get_ydata()) < high
    e = descent_w.local_minimum_explorer(steps=200)
    assert e.axes[1].get_xlim()[1] >= e.controls["steps"].max
    low, high = e.axes[1].get_ylim()
    for start in (-2.2, -0.5, 0.2, 2.2):
        e.set(start=start, learning_rate=0.05)
        losses = line_labelled(e.axes[1], "loss after each step").get_ydata()
        assert low < np.min(losses) and np.max(losses) < high
        assert not any("top edge" in t.get_text() for t in e.axes[1].texts)
    e.set(start=2.2, learning_rate=0.5)   # diverges: 6.1, then 135, then about 1e7
    assert e.state.diverged and np.max(e.state.losses) > high
    assert np.max(line_labelled(e.axes[1], "loss after each step").get_ydata()) == high
    assert any("top edge" in t.get_text() for t in e.axes[1].texts)


def test_benchmark_cases_run():
    for module in (derivative, descent_w):
        for name, make, settings in module.benchmark_cases():
            explorer = make()
            for s in settings:
                explorer.set(**s)
            assert name and explorer.state is not None
