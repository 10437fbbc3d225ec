"""The widgets' canvas draws text as matplotlib's Agg does, a line at a time (widgets/_canvas.py)."""
import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nnlessons import plots
from nnlessons.widgets import _canvas, backprop_stepper, loss_explorer

TEXTS = [  # (text, keywords): plain, bold, with the symbols the widgets write, turned, math
    ("w +2.057\ng -0.0224", {}),
    ("gradient check: agree, relative error 3.4e-11", {"fontweight": "bold"}),
    ("σ' used: y(1 - y) = +0.194, δ = -1.2e-03, w ← w - 1 × g", {}),
    ("loss (y - t)², log scale", {"rotation": 90}),
    (r"$\eta = 0.5$", {}),
]


def ink(canvas_class, text, keywords):
    """The figure with one text, drawn on `canvas_class`: its pixels' darkness (0 to 255)."""
    with matplotlib.rc_context(plots.STYLE):
        fig = Figure(figsize=(6, 3), dpi=94)
        canvas_class(fig)
        fig.text(0.1, 0.5, text, fontsize=11, va="center", **keywords)
        fig.canvas.draw()
        rgba = np.asarray(fig.canvas.buffer_rgba())
    return 255 - rgba[..., :3].min(axis=2).astype(int)


def box(darkness):
    rows, cols = np.nonzero(darkness > 60)
    return rows.min(), rows.max(), cols.min(), cols.max()


@pytest.mark.parametrize("text, keywords", TEXTS)
def test_text_looks_as_matplotlib_draws_it(text, keywords):
    ours, theirs = ink(_canvas.Canvas, text, keywords), ink(FigureCanvasAgg, text, keywords)
    # the same letters in the same place: each placed to a whole pixel, not to a fraction
    assert np.abs(np.subtract(box(ours), box(theirs))).max() <= 1
    assert ours.sum() == pytest.approx(theirs.sum(), rel=0.03)


def test_a_line_is_laid_out_once_and_its_bitmap_kept_for_a_while():
    with matplotlib.rc_context(plots.STYLE):
        fig = Figure(figsize=(4, 2), dpi=94)
        _canvas.Canvas(fig)
        renderer = fig.canvas.get_renderer()
        assert isinstance(renderer, _canvas._Renderer)
        prop = matplotlib.font_manager.FontProperties(size=10)
        first = renderer._line("h = 0.908", prop)
        assert renderer._line("h = 0.908", prop) is first      # measured, then drawn: once
        bigger = renderer._line("h = 0.908", matplotlib.font_manager.FontProperties(size=12))
        assert bigger is not first and bigger[1] > first[1]    # another size, another line
        for k in range(renderer.kept + 1):
            renderer._line(f"line {k}", prop)
        assert len(renderer._lines) == renderer.kept           # the oldest are let go
        assert renderer._line("h = 0.908", prop) is not first


@pytest.mark.parametrize("make", [loss_explorer, backprop_stepper])
def test_widget_figures_and_their_kept_backgrounds_draw_on_it(make):
    explorer = make()
    assert isinstance(explorer.fig.canvas, _canvas.Canvas)
    assert isinstance(explorer.fig.canvas.get_renderer(), _canvas._Renderer)
    for sheet in explorer._layers.sheets.values():
        assert isinstance(sheet.fig.canvas, _canvas.Canvas)
