"""Demos drawn in two layers (background once, foreground per update) must show exactly what a
full redraw shows, for every setting their benchmark walks through, in any order."""
import io

import matplotlib
import numpy as np
import pytest
from PIL import Image

from nnlessons import plots, widgets

import sweep_support


def layered_cases():
    return [pytest.param(make, sweep_support.walk(settings), id=name)
            for _, name, make, settings in widgets.benchmark_cases()]


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(float)


def full_redraw(explorer):
    """What the layered explorer's figure looks like drawn the slow, simple way: every axes
    cleared, background and foreground drawn, and the whole figure rendered by matplotlib,
    with no bitmap of an earlier draw pasted in."""
    with matplotlib.rc_context(plots.STYLE):
        for ax in explorer.fig.axes:
            ax.clear()
        explorer.draw_background(explorer.state)
        if explorer.middle_key(explorer.state) is not None:
            explorer.draw_middle(explorer.state)
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

    e = capstone.capstone_trainer(hidden=32, epochs=2)
    fig = e.fig
    e.set(first_neuron=17)
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


def test_encode_png_gives_the_same_pixels_with_isal_and_with_zlib(monkeypatch):
    """The fast compressor is the one installed (a dependency), and the fallback for a platform
    without it, zlib, draws the very same picture: a widget's real figure through both."""
    import zlib

    from nnlessons.widgets import descent

    assert plots._deflate.__name__ == "isal.isal_zlib"
    explorer = descent.descent_explorer()
    rgba = np.asarray(explorer.fig.canvas.buffer_rgba())
    fast = plots.encode_png(rgba, dpi=explorer.fig.dpi)
    monkeypatch.setattr(plots, "_deflate", zlib)
    slow = plots.encode_png(rgba, dpi=explorer.fig.dpi)
    assert fast != slow  # two compressors, two byte streams ...
    for png in (fast, slow):  # ... one picture, and its resolution
        assert np.array_equal(np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")), rgba)
        assert plots.png_dpi(png) == pytest.approx(explorer.fig.dpi, rel=1e-3)


def test_middle_layer_is_drawn_once_per_middle_key():
    from nnlessons.widgets import neuron

    e = neuron.neuron_explorer()
    calls = []
    draw_middle = e.draw_middle
    e.draw_middle = lambda state: (calls.append(e.middle_key(state)), draw_middle(state))
    pictures = {e.set(x1=x1).image.value for x1 in (-2.0, -1.0, 0.0, 1.0)}
    assert calls == [] and len(pictures) == 4   # the point moved, the plane was pasted
    e.set(w1=-1.0)
    e.set(x2=1.5)
    assert calls == [("sigmoid", -1.0, -1.0, 0.5)]
    e.set(activation="tanh")                      # another background: the middle drawn on it
    assert calls[-1] == ("tanh", -1.0, -1.0, 0.5) and len(calls) == 2
