"""Demos drawn in two layers (background once, foreground per update) must show exactly what a
full redraw shows, for every setting their benchmark walks through, in any order."""
import io

import matplotlib
import numpy as np
import pytest
from PIL import Image

from nnlessons import plots, widgets


def layered_cases():
    return [pytest.param(make, settings, id=name)
            for _, name, make, settings in widgets.benchmark_cases()]


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(float)


def full_redraw(explorer):
    """What the layered explorer's figure looks like drawn the slow, simple way."""
    with matplotlib.rc_context(plots.STYLE):
        for ax in explorer.fig.axes:
            ax.clear()
        explorer.draw_background(explorer.state)
        explorer.draw(explorer.state)
        for ax in explorer.fig.axes:
            for artist in ax.get_children():
                artist.set_animated(False)
        return plots.to_png(explorer.fig)


@pytest.mark.parametrize("make, settings", list(layered_cases()))
def test_layers_draw_what_a_full_redraw_draws(make, settings):
    explorer = make()
    if explorer.background_key(explorer.state) is None:
        pytest.skip("this demo redraws its whole figure on every update")
    reference = make()  # redrawn from scratch for each setting: no layer is reused
    for values in list(settings) + list(reversed(settings)):
        layered = pixels(explorer.set(**values).image.value)
        reference.set(**values)  # through the controls, as their observers may move others
        full = pixels(full_redraw(reference))
        assert layered.shape == full.shape
        # anti-aliased edges may differ by a shade where layers meet; a misplaced artist differs
        # over hundreds of pixels
        differing = np.mean(np.abs(layered - full).max(axis=2) > 40)
        assert differing < 0.0015, f"{values}: {differing:.2%} of the pixels differ"


def test_an_explorer_keeps_a_figure_per_background_when_asked():
    from nnlessons.widgets import neuron

    e = neuron.neuron_explorer(activation="sigmoid")
    first = e.fig
    e.set(activation="tanh")
    tanh = e.fig
    assert tanh is not first and "tanh" in e.axes[0].get_title()
    e.set(activation="sigmoid", w1=-3.0)
    assert e.fig is first and "sigmoid" in e.axes[0].get_title()
    # the copy has the frozen layout of the first figure
    assert [ax.get_position().bounds for ax in tanh.axes[:2]] == \
        [ax.get_position().bounds for ax in first.axes[:2]]
    # no more figures than activations, however often the menu changes
    figures = set()
    for _ in range(3):
        for name in neuron.ACTIVATIONS:
            figures.add(id(e.set(activation=name).fig))
    assert len(figures) == len(neuron.ACTIVATIONS)


def test_least_recently_shown_background_is_drawn_over_when_all_are_kept():
    from nnlessons.widgets import neuron

    e = neuron.neuron_explorer(activation="sigmoid")
    e._layers.kept = 2
    sigmoid = e.fig
    tanh = e.set(activation="tanh").fig
    relu = e.set(activation="relu").fig  # the sigmoid's figure, the oldest, is taken
    assert relu is sigmoid and "relu" in e.axes[0].get_title()
    assert e.set(activation="tanh").fig is tanh


def test_other_explorers_keep_one_figure():
    from nnlessons.widgets import capstone

    e = capstone.capstone_trainer(hidden=16, epochs=2)
    fig = e.fig
    e.set(first_unit=8)
    e.set(epochs=3)  # a new run: a new background, on the same figure
    assert e.fig is fig and len(e._layers.sheets) == 1


def test_encode_png_round_trips_opaque_and_transparent_images():
    rng = np.random.default_rng(0)
    for alpha in (255, 128):
        rgba = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
        rgba[..., 3] = alpha
        decoded = np.asarray(Image.open(io.BytesIO(plots.encode_png(rgba))).convert("RGBA"))
        assert decoded.shape == rgba.shape
        assert np.array_equal(decoded, rgba)
    with pytest.raises(ValueError, match=r"\(height, width, 4\) uint8"):
        plots.encode_png(np.zeros((3, 3, 3), np.uint8))


def _text_figure(color):
    fig, ax = plots.new_figure(figsize=(4, 3))
    fig.set_layout_engine("none")
    for i, size in enumerate((9, 11, 14)):
        ax.text(0.1, 0.2 + 0.25 * i, f"w +{i}.027\ng -0.00{i}5 δ ≈ 0", fontsize=size, color=color,
                bbox={"boxstyle": "round", "fc": "white"})
    ax.set_title("a title", fontweight="bold")
    return fig


def test_texts_drawn_from_memory_match_texts_drawn_afresh():
    from nnlessons.widgets._text_cache import cache_text

    with matplotlib.rc_context(plots.STYLE):
        plain = _text_figure("black")
        plain.canvas.draw()
        expected = np.asarray(plain.canvas.buffer_rgba()).copy()

        remembered = _text_figure("black")
        renderer = cache_text(remembered.canvas.get_renderer())
        remembered.canvas.draw()  # learns every text
        assert len(renderer.text_stamps) >= 7  # three two-line labels, a title, tick labels
        first = np.asarray(remembered.canvas.buffer_rgba()).copy()
        remembered.canvas.draw()  # draws every text from memory
        again = np.asarray(remembered.canvas.buffer_rgba()).copy()
    assert np.array_equal(first, expected) and np.array_equal(again, expected)


def test_a_remembered_text_takes_the_colour_of_its_new_draw():
    from nnlessons.widgets._text_cache import cache_text

    with matplotlib.rc_context(plots.STYLE):
        fig = _text_figure("black")
        cache_text(fig.canvas.get_renderer())
        fig.canvas.draw()
        for text in fig.axes[0].texts:
            text.set_color("red")
        fig.canvas.draw()
        red = np.asarray(fig.canvas.buffer_rgba()).copy()
        fresh = _text_figure("red")
        fresh.canvas.draw()
        assert np.array_equal(red, np.asarray(fresh.canvas.buffer_rgba()))
