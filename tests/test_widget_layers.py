"""Demos drawn in two layers (background once, foreground per update) must show exactly what a
full redraw shows, for every setting their benchmark walks through, in any order."""
import importlib
import io

import matplotlib
import numpy as np
import pytest
from PIL import Image

from nnlessons import plots
from nnlessons.widgets import MODULES


def layered_cases():
    for module_name in MODULES:
        module = importlib.import_module(f"nnlessons.widgets.{module_name}")
        for name, make, settings in module.benchmark_cases():
            yield pytest.param(make, settings, id=name)


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
