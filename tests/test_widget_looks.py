"""Every demo must read from the back of a room: no text on its figure below 11 points, in any
setting its benchmark walks through (titles, labels, tick labels, legends, annotations)."""

import matplotlib
import pytest
from matplotlib.text import Text

from nnlessons import widgets

import sweep_support

SMALLEST = 11  # points, the course's floor for a projector


def cases():
    return [pytest.param(make, sweep_support.walk(settings), id=name)
            for _, name, make, settings in widgets.benchmark_cases()]


def small_texts(fig):
    return sorted({(t.get_text(), round(t.get_fontsize(), 1)) for t in fig.findobj(Text)
                   if t.get_visible() and t.get_text().strip() and t.get_fontsize() < SMALLEST})


@pytest.mark.parametrize("make, settings", list(cases()))
def test_no_text_below_eleven_points(make, settings):
    explorer = make()
    for values in settings:
        explorer.set(**values)
        assert small_texts(explorer.fig) == [], f"{values}: too small to read on a projector"


def test_the_check_sees_a_small_text():
    from nnlessons import plots

    with matplotlib.rc_context(plots.STYLE):
        fig, ax = plots.new_figure()
        ax.text(0, 0, "tiny", fontsize=8)
    assert small_texts(fig) == [("tiny", 8.0)]
