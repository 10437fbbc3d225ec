"""Every demo fits a projector and tells its curves apart without colour.

The measured room (see HELPERS_CONTEXT / issue 15): at 1280x720 with JupyterLab's file browser
open an output area is about 850 px wide and the notebook shows about 600 px of height. A widget's
PNG is shown at min(natural width, 850) px, its height scaled with it. A widget draws its picture
850 px wide at most (fewer dots per inch for a figure wider than 8.5 in), so it is shown at its
natural size; no text below 11 pt (11 px or more as shown), and its picture as shown at most 420 px
high, leaving room for the title, two rows of controls, the message line and the readout.

Colour is never the only cue: in every axes, the curves a legend (or a label) names differ in
line style or marker as well.
"""
import struct

import pytest
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text

from nnlessons import plots, widgets

import sweep_support

WIDEST = 1100       # px at natural size: 850 px shown is 77% of it
SHOWN_WIDTH = 850   # px: the output area with the file browser open
TALLEST_SHOWN = 420  # px of picture as shown
SMALLEST = 11       # points


def cases():
    return [pytest.param(make, sweep_support.walk(settings), id=name)
            for _, name, make, settings in widgets.benchmark_cases()]


def png_size(png):
    """(width, height) in pixels from a PNG's header."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def shown_height(png):
    width, height = png_size(png)
    return height * min(width, SHOWN_WIDTH) / width


def smallest_font(fig):
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes)


def styles_alike(ax):
    """Groups of labelled lines in `ax` (its own lines; each legend's handles) that share one
    (line style, marker): told apart by colour alone."""
    groups = [[(l.get_label(), l) for l in ax.get_lines() if not l.get_label().startswith("_")]]
    for legend in [c for c in ax.get_children() if isinstance(c, Legend)]:
        groups.append([(t.get_text(), h) for t, h in zip(legend.get_texts(), legend.legend_handles)
                       if isinstance(h, Line2D)])
    alike = []
    for group in groups:
        seen = {}
        for label, line in group:
            key = (line.get_linestyle(), line.get_marker() or "None")
            if key in seen and seen[key] != label:
                alike.append((seen[key], label, key))
            seen.setdefault(key, label)
    return alike


@pytest.mark.parametrize("make, settings", cases())
def test_the_widget_fits_a_projector(make, settings):
    explorer = make()
    for values in [{}] + list(settings[:6]):
        if values:
            explorer.set(**values)
        width, height = png_size(explorer.image.value)
        assert width <= WIDEST, f"{values}: {width} px wide, shown at {SHOWN_WIDTH / width:.0%}"
        assert explorer.fig.get_size_inches()[0] * explorer.fig.dpi <= WIDEST
        assert shown_height(explorer.image.value) <= TALLEST_SHOWN, values
        assert smallest_font(explorer.fig) >= SMALLEST, values
        # drawn as wide as it is shown (widgets._base.SHOWN_WIDTH), at the dots per inch its
        # PNG says: its smallest letters as shown, in px
        dpi = plots.png_dpi(explorer.image.value)
        assert dpi == pytest.approx(explorer.fig.dpi, rel=1e-4), values
        assert width == pytest.approx(min(SHOWN_WIDTH, explorer.figsize[0] * 100), abs=1)
        shown_px = smallest_font(explorer.fig) * dpi / 72 * min(1, SHOWN_WIDTH / width)
        assert shown_px >= 11, f"{values}: smallest text {shown_px:.1f} px as shown"


@pytest.mark.parametrize("make, settings", cases())
def test_curves_differ_in_more_than_colour(make, settings):
    explorer = make()
    for values in [{}] + list(settings[:6]):
        if values:
            explorer.set(**values)
        for ax in explorer.fig.axes:
            assert styles_alike(ax) == [], f"{values}: {ax.get_title()!r}"


@pytest.mark.parametrize("make, settings", cases())
def test_every_control_says_what_it_changes(make, settings):
    """A description shown in full, and a tooltip; the message line sits below the picture."""
    explorer = make()
    for name, control in explorer.controls.items():
        assert len(control.description) >= 5, name   # no bare "lr" or "w1"
        assert control.tooltip, name
        if hasattr(control.style, "description_width"):
            assert control.style.description_width == "initial", name
    children = list(explorer.widget.children)
    assert children.index(explorer.alert) == children.index(explorer.image) + 1
    for part, name in ((explorer.image, "nnlessons-figure"), (explorer.alert, "nnlessons-message"),
                       (explorer.readout, "nnlessons-readout"),
                       (explorer.widget, "nnlessons-explorer")):
        assert name in part._dom_classes
    assert explorer.readout.value.strip(), "the readout says what the picture shows"


def test_the_checks_see_what_they_look_for():
    import matplotlib

    from nnlessons import plots
    with matplotlib.rc_context(plots.STYLE):
        fig, ax = plots.new_figure(figsize=(12, 5))
        # the same style by hand: the course's cycle gives each colour its own
        ax.plot([0, 1], [0, 1], ls="-", label="a")
        ax.plot([0, 1], [1, 0], ls="-", label="b")
        ax.text(0, 0, "tiny", fontsize=8)
        ax.legend()
        alike = styles_alike(ax)
        assert ("a", "b", ("-", "None")) in alike and len(alike) == 2   # lines and legend
        assert smallest_font(fig) == 8
        png = plots.to_png(fig)
    assert png_size(png)[0] > WIDEST and shown_height(png) == pytest.approx(
        png_size(png)[1] * SHOWN_WIDTH / png_size(png)[0])
