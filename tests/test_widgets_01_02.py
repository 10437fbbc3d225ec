"""The demos of lessons 01-02, headless: set every control (both ends of every slider), check
what changed in the figure and the readout, and check that extreme settings give a message
instead of a traceback, a NaN or a warning."""
import itertools

import numpy as np
import pytest
from matplotlib.legend import Legend

from nnlessons import activations, losses, plots
from nnlessons.widgets import loss as loss_w
from nnlessons.widgets import neuron as neuron_w

PNG = b"\x89PNG\r\n\x1a\n"
pytestmark = pytest.mark.filterwarnings("error")  # any warning from a widget is a failure


def texts(ax):
    return " ".join(t.get_text() for t in ax.texts)


def legend_texts(ax):
    """The entries of the legend `ax.legend` made, then of any legend drawn as a fixed artist
    (a two-layer demo draws a legend that never changes once, in its background)."""
    legends = [ax.get_legend()] + [a for a in ax.artists if isinstance(a, Legend)]
    return [t.get_text() for legend in legends if legend is not None for t in legend.get_texts()]


# ---- lesson 01: the neuron explorer ---------------------------------------------------------
def test_neuron_grid_is_the_package_neuron_over_the_plane():
    axis, out = neuron_w.neuron_grid(2.0, -1.0, 0.5)
    assert out.shape == (neuron_w.RESOLUTION, neuron_w.RESOLUTION)
    assert axis[0] == -neuron_w.LIMIT and axis[-1] == neuron_w.LIMIT
    for i, j in ((0, 0), (10, 40), (60, 7)):  # row i is x2 = axis[i], column j is x1 = axis[j]
        expected = activations.sigmoid(2.0 * axis[j] - 1.0 * axis[i] + 0.5)
        assert out[i, j] == pytest.approx(expected)
    _, relu = neuron_w.neuron_grid(1.0, 1.0, -1.0, "relu")
    assert relu.min() == 0.0 and relu.max() == pytest.approx(2 * neuron_w.LIMIT - 1.0)


def test_sigmoid_output_is_one_half_exactly_on_the_line_z_equals_zero():
    axis, out = neuron_w.neuron_grid(1.0, -1.0, 0.0)  # z = x1 - x2: zero on the diagonal
    assert np.allclose(np.diag(out), 0.5)
    assert np.all(out[np.triu_indices_from(out, 1)] > 0.5)  # x1 > x2 above the diagonal


def test_arithmetic_written_out_with_numbers():
    step = neuron_w.arithmetic(2.0, -1.0, 0.5, 1.0, 0.5)
    assert step.z == pytest.approx(2.0)
    assert step.a == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert step.sum_text == "z = 2×1 + (-1)×0.5 + 0.5 = 2"
    assert step.activation_text == "a = sigmoid(2) = 0.881"
    assert neuron_w.arithmetic(0.25, -4.9, -5.0, -2.9, 3.0).sum_text == (
        "z = 0.25×(-2.9) + (-4.9)×3 + (-5) = -20.4")
    assert neuron_w.arithmetic(1.0, 1.0, -3.0, 1.0, 1.0, "relu").a == 0.0


def zero_lines(heat, w1, w2, b):
    """How many black lines the plane shows, after checking each is the line z = 0 across it."""
    lines = [line for line in heat.get_lines() if line.get_color() == "black"]
    for line in lines:
        x1, x2 = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
        assert np.allclose(w1 * x1 + w2 * x2 + b, 0.0, atol=1e-9)
        assert np.hypot(x1, x2).min() > neuron_w.LIMIT * np.sqrt(2)  # its ends beyond the corners
    return len(lines)


@pytest.mark.parametrize("w1, w2, b", [(2.0, -1.0, 0.5), (0.0, 3.0, -1.0), (-4.0, 0.0, 2.5),
                                       (0.1, 0.2, 0.0)])
def test_zero_line_is_where_the_weighted_sum_is_zero(w1, w2, b):
    x1, x2 = map(np.asarray, neuron_w.zero_line(w1, w2, b))
    assert np.allclose(w1 * x1 + w2 * x2 + b, 0.0, atol=1e-9)
    # the segment crosses the whole plane shown: its ends lie outside the square on either side
    # of the line's point nearest the origin
    assert np.hypot(x1, x2).min() > neuron_w.LIMIT * np.sqrt(2)


def test_neuron_explorer_defaults_draw_plane_point_contour_and_sum():
    e = neuron_w.neuron_explorer()
    heat, curve = e.axes
    image = heat.get_images()[0].get_array()
    assert np.allclose(image, neuron_w.neuron_grid(2.0, -1.0, 0.5)[1])
    assert zero_lines(heat, 2.0, -1.0, 0.5) == 1  # the line z = 0
    assert "z = 0 (output f(0))" in legend_texts(heat)
    assert "z = 2×1 + (-1)×0.5 + 0.5 = 2" in texts(curve)
    assert "0.881" in e.readout.value and e.alert.value == ""
    assert e.update().startswith(PNG)


@pytest.mark.parametrize("name", ["w1", "w2", "b", "x1", "x2"])
def test_neuron_explorer_every_slider_at_both_ends(name):
    e = neuron_w.neuron_explorer()
    heat, curve = e.axes
    for end in (e.controls[name].min, e.controls[name].max):
        e.set(**{name: end})
        s = e.settings()
        assert s[name] == end
        expected = neuron_w.arithmetic(s["w1"], s["w2"], s["b"], s["x1"], s["x2"])
        assert e.state.point == expected
        assert expected.sum_text in texts(curve) and expected.sum_text in e.readout.value
        marker = curve.get_lines()[-1]
        assert marker.get_xdata()[0] == pytest.approx(expected.z)
        assert marker.get_ydata()[0] == pytest.approx(expected.a)
        image = heat.get_images()[0].get_array()
        assert np.allclose(image, neuron_w.neuron_grid(s["w1"], s["w2"], s["b"])[1])
        point, = [line for line in heat.get_lines() if line.get_marker() == "o"]
        assert (point.get_xdata()[0], point.get_ydata()[0]) == (s["x1"], s["x2"])


def test_neuron_explorer_every_activation():
    e = neuron_w.neuron_explorer()
    for name in neuron_w.ACTIVATIONS:
        e.set(activation=name)
        heat, curve = e.axes  # each activation has a figure of its own
        f, _ = activations.get(name)
        assert name in heat.get_title()
        line = curve.get_lines()[0]
        assert np.allclose(line.get_ydata(), f(line.get_xdata()))
        assert f"a = {name}(" in texts(curve)


def test_neuron_explorer_messages_for_flat_and_one_sided_outputs():
    e = neuron_w.neuron_explorer()
    e.set(w1=0.0, w2=0.0, b=-5.0)
    assert "Both weights are 0" in e.alert.value and "0.007" in e.alert.value
    assert zero_lines(e.axes[0], 0.0, 0.0, -5.0) == 0  # no line z = 0 to draw, no warning
    e.set(w1=0.1, w2=0.1, b=5.0)
    assert "z stays above 0 everywhere" in e.alert.value
    e.set(activation="relu", w1=-5.0, w2=0.0, b=-5.0)  # negative wherever x1 > -1: mostly dead
    assert "below 0" not in e.alert.value and zero_lines(e.axes[0], -5.0, 0.0, -5.0) == 1
    e.set(w1=0.1, w2=0.1, b=-5.0)
    assert "z stays below 0 everywhere" in e.alert.value and "relu(0) = 0" in e.alert.value
    e.set(activation="tanh", w1=1.0, w2=0.0, b=0.5)  # the line x1 = -0.5, where tanh gives 0
    assert zero_lines(e.axes[0], 1.0, 0.0, 0.5) == 1
    line, = [line for line in e.axes[0].get_lines() if line.get_color() == "black"]
    assert np.allclose(line.get_xdata(), -0.5)
    e.set(w1=1.0, w2=1.0, b=0.0, activation="sigmoid")
    assert e.alert.value == ""


def test_neuron_explorer_extreme_corners_stay_finite():
    e = neuron_w.neuron_explorer()
    for f, w1, w2, b in itertools.product(neuron_w.ACTIVATIONS, (-5.0, 5.0), (-5.0, 5.0),
                                          (-5.0, 5.0)):
        state = e.compute(w1=w1, w2=w2, b=b, activation=f, x1=-3.0, x2=3.0)
        assert np.all(np.isfinite(state.outputs)) and np.isfinite(state.point.a)
    e.set(w1=5.0, w2=-5.0, b=5.0, activation="elu", x1=-3.0, x2=3.0)
    assert np.all(np.isfinite(e.axes[1].get_lines()[0].get_ydata()))
    assert "unknown" not in e.alert.value
    assert "activation must be one of" in e.compute(activation="swish").message


def test_static_figures_of_lesson_01():
    fig, ax = plots.new_figure(figsize=(10, 5))
    neuron_w.draw_loop(ax)
    drawn = texts(ax)
    for i, step in enumerate(neuron_w.LOOP_STEPS, start=1):
        assert f"{i}. {step}" in drawn
    assert len(ax.get_legend().get_texts()) == len(neuron_w.LOOP_LESSONS)
    fig, ax = plots.new_figure()
    weights = [np.array([[1.0, -2.0, 0.5], [0.3, 0.2, -1.0]]), np.array([[1.0], [-1.0], [2.0]])]
    neuron_w.draw_network(ax, weights, [[1.0, 0.5], [0.1, 0.2, 0.3], [0.9]])
    assert len(ax.get_lines()) == 2 * 3 + 3 * 1
    assert "0.90" in texts(ax) and "hidden\nlayer" in texts(ax)
    assert plots.to_png(fig).startswith(PNG)


# ---- lesson 02: crowd counting --------------------------------------------------------------
def test_crowd_worked_numbers():
    assert loss_w.crowd_loss(350) == {"guess": 350.0, "target": 500.0, "error": 150.0,
                                      "squared_error": 22500.0}
    assert loss_w.crowd_loss(600)["squared_error"] == 10000.0
    assert loss_w.crowd_loss(600)["error"] == -100.0
    assert loss_w.crowd_loss(500)["squared_error"] == 0.0
    with pytest.raises(ValueError, match="guess must be a finite number"):
        loss_w.crowd_loss(float("nan"))


def test_loss_explorer_slider_ends_and_the_bottom():
    e = loss_w.loss_explorer()
    ax = e.axes
    assert "22,500" in ax.get_title() and "22,500" in e.readout.value
    curve = ax.get_lines()[0]
    assert curve.get_xdata()[np.argmin(curve.get_ydata())] == loss_w.TRUE_CROWD
    assert np.min(curve.get_ydata()) == 0.0
    for guess, loss in ((e.controls["guess"].min, 250000), (e.controls["guess"].max, 250000),
                        (600, 10000), (500, 0)):
        e.set(guess=guess)
        point = ax.get_lines()[-1]
        assert (point.get_xdata()[0], point.get_ydata()[0]) == (guess, loss)
        assert f"{loss:,}" in e.readout.value and f"500 - {guess}" in e.readout.value
        assert e.alert.value == ""
    assert e.update().startswith(PNG)


# ---- lesson 02: cross-entropy beside squared error ------------------------------------------
def test_loss_curves_agree_with_the_package_losses():
    for label in (0, 1):
        p, squared, cross = loss_w.loss_curves(label)
        for k in (0, 100, 249):
            assert squared[k] == pytest.approx(losses.mse([p[k]], [label]))
            assert cross[k] == pytest.approx(losses.binary_cross_entropy([p[k]], [label]))
        se_slope, ce_slope = loss_w.slope_curves(label)
        for k in (0, 100, 249):
            assert se_slope[k] == pytest.approx(abs(losses.mse_gradient([p[k]], [label])[0]))
            assert ce_slope[k] == pytest.approx(
                abs(losses.binary_cross_entropy_gradient([p[k]], [label])[0]))


def test_cross_entropy_punishes_a_confident_wrong_answer_harder():
    hesitant = loss_w.probability_losses(0.4, 1)
    confident = loss_w.probability_losses(0.01, 1)
    assert confident["squared"] < 1.0 < confident["cross"]
    assert confident["cross"] / hesitant["cross"] > 4 > confident["squared"] / hesitant["squared"]
    assert abs(confident["cross_slope"]) == pytest.approx(100.0)
    assert abs(confident["squared_slope"]) == pytest.approx(1.98)
    with pytest.raises(ValueError, match="p must be a probability"):
        loss_w.probability_losses(1.5, 1)
    with pytest.raises(ValueError, match="label must be 0 or 1"):
        loss_w.probability_losses(0.5, 2)


def test_cross_entropy_explorer_every_control_at_both_ends():
    e = loss_w.cross_entropy_explorer()
    values, slopes = e.axes
    for label in (0, 1):
        e.set(label=label)
        values, slopes = e.axes  # each target keeps a figure of its own (backgrounds_kept)
        p, squared, cross = loss_w.loss_curves(label)
        assert np.allclose(values.get_lines()[1].get_ydata(), cross)
        assert np.allclose(slopes.get_lines()[1].get_ydata(), loss_w.slope_curves(label)[1])
        assert f"({label} - p̂)²" in legend_texts(values)[0]
        for end in (e.controls["p"].min, e.controls["p"].max):
            e.set(p=end)
            expected = loss_w.probability_losses(end, label)
            assert f"{expected['cross']:.4f}" in e.readout.value
            for ax in (values, slopes):
                for line in ax.get_lines():
                    assert np.all(np.isfinite(line.get_ydata()))
            wrong = end != label
            assert ("certain and wrong" in e.alert.value) == wrong
            assert ("off the chart" in texts(values)) == wrong
            if wrong:
                assert "27.6" in e.alert.value
    e.set(p=0.9, label=1)
    values, slopes = e.axes
    assert e.alert.value == "" and "p̂ = 0.90" in values.get_title()
    assert e.update().startswith(PNG)


def test_benchmark_cases_build_and_apply():
    for module in (neuron_w, loss_w):
        for name, make, settings in module.benchmark_cases():
            explorer = make()
            explorer.set(**settings[-1])
            assert explorer.update().startswith(PNG), name


# ---- the two-layer drawing: what stays put while the sliders move ---------------------------
def test_neuron_color_scale_is_fixed_per_activation():
    reach = neuron_w.Z_REACH
    assert neuron_w.color_scale("sigmoid") == (0.0, 1.0, "neither")
    assert neuron_w.color_scale("tanh") == (-1.0, 1.0, "neither")
    assert neuron_w.color_scale("relu") == (0.0, reach, "max")
    assert neuron_w.color_scale("identity") == (-reach, reach, "both")
    assert neuron_w.color_scale("leaky_relu") == (pytest.approx(-0.01 * reach), reach, "both")
    low, high, extend = neuron_w.color_scale("elu")  # elu's floor, -1, is inside the scale
    assert low == pytest.approx(-1.0, abs=1e-4) and (high, extend) == (reach, "max")


def test_neuron_background_changes_with_the_activation_only():
    e = neuron_w.neuron_explorer()
    heat, curve = e.axes
    key = e.background_key(e.state)
    for values in neuron_w._slider_walk("sigmoid"):
        e.set(**values)
        assert e.background_key(e.state) == key
        assert heat.get_xlim() == heat.get_ylim() == (-neuron_w.LIMIT, neuron_w.LIMIT)
        assert curve.get_xlim() == (-neuron_w.Z_REACH, neuron_w.Z_REACH)
        norm = heat.get_images()[0].norm
        assert (norm.vmin, norm.vcenter, norm.vmax) == (0.0, 0.5, 1.0)
    e.set(activation="relu")
    assert e.background_key(e.state) != key
    norm = e.axes[0].get_images()[0].norm  # relu's own figure
    assert norm.vcenter == 0.0 and norm.vmax == neuron_w.Z_REACH
    assert norm.vmin == pytest.approx(0.0, abs=1e-4)


@pytest.mark.parametrize("activation", neuron_w.ACTIVATIONS)
def test_neuron_colours_are_white_on_the_line_z_0(activation):
    """The colour map's middle (white) sits at f(0), the output on the line z = 0, for every
    activation: for tanh that is 0, not the sigmoid's 0.5."""
    from nnlessons import activations as act
    f, _ = act.get(activation)
    e = neuron_w.neuron_explorer(activation=activation)
    image = e.axes[0].get_images()[0]
    assert image.norm.vcenter == float(f(0.0))
    assert image.norm(float(f(0.0))) == pytest.approx(0.5)        # the middle of the colour map
    bar = [a for a in e.axes[0].child_axes]
    assert bar, "the colour bar is drawn"


def test_neuron_point_off_the_activation_panel_is_noted():
    e = neuron_w.neuron_explorer(w1=5.0, w2=-5.0, b=5.0, x1=3.0, x2=-3.0)  # z = 35
    heat, curve = e.axes
    assert "z is off the chart, beyond +10" in texts(curve)
    assert curve.get_lines()[-1].get_xdata()[0] == pytest.approx(35.0)
    e.set(w1=-5.0, w2=5.0)
    assert "beyond -10" in texts(curve)
    e.set(x1=0.0, x2=0.0)
    assert "off the chart" not in texts(curve)


def test_cross_entropy_background_holds_for_both_labels():
    e = loss_w.cross_entropy_explorer()
    values, slopes = e.axes
    key = e.background_key(e.state)
    fixed = [leg for leg in slopes.artists if isinstance(leg, Legend)]
    assert [t.get_text() for t in fixed[0].get_texts()] == [
        "squared error: |2(p̂ - t)|", "cross-entropy: |p̂ - t| / (p̂(1 - p̂))"]
    # the course's notation: p̂ for the probability, t for the target, never y for a label
    for ax in e.axes:
        assert "p̂" in ax.get_xlabel()
    e.set(p=0.0, label=1)
    assert "clips p̂" in e.alert.value and "t = 1" in values.get_title()
    assert "label y" not in e.title and " y" not in e.readout.value
    # a dragged p̂ keeps the background (the curves of its target); each target has its own,
    # with the same limits and scales
    keys = {}
    for label in (0, 1):
        for p in (0.0, 0.3, 1.0):
            e.set(p=p, label=label)
            values, slopes = e.axes
            keys.setdefault(label, e.background_key(e.state))
            assert e.background_key(e.state) == keys[label]
            assert values.get_ylim() == (0.0, loss_w.CE_TOP)
            assert slopes.get_yscale() == "log"
            assert slopes.get_ylim() == pytest.approx((loss_w.SLOPE_FLOOR, loss_w.SLOPE_TOP))
    assert keys[0] != keys[1] and keys[1] == key


def test_decision_line_distance_and_nearest_point():
    distance, nearest = neuron_w.decision_line(2.0, -1.0, 0.5)
    assert distance == pytest.approx(0.5 / np.sqrt(5.0))
    assert np.dot([2.0, -1.0], nearest) + 0.5 == pytest.approx(0.0)   # on the line
    assert np.linalg.norm(nearest) == pytest.approx(distance)
    with pytest.raises(ValueError, match="both 0"):
        neuron_w.decision_line(0.0, 0.0, 1.0)
