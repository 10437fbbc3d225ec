"""The one look of every figure in the course.

Colours are the Okabe-Ito palette, which people with the common kinds of colour blindness can tell
apart; fonts are large enough to read on a projector from the back of a room. Lessons call
`use_style()` once; widgets draw on figures from `new_figure()`, which do not depend on pyplot's
global state, so a widget can redraw the same figure for as long as it lives.
"""
import io

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

# Okabe & Ito (2008), "Color Universal Design".
COLORS = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000",
}
CYCLE = [COLORS[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]
# Diverging map for heat maps of outputs in [0, 1] (centred on 0.5) and of weights (centred on 0).
DIVERGING = "RdBu_r"
SEQUENTIAL = "viridis"

STYLE = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 12,
    "axes.titlesize": 14,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "axes.prop_cycle": matplotlib.cycler(color=CYCLE),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 2.2,
    "lines.markersize": 7,
    "image.cmap": SEQUENTIAL,
    "figure.constrained_layout.use": True,
    # Unhinted glyphs draw about a fifth faster, which a widget's text-heavy update needs to
    # answer a slider within 50 ms; at these sizes the letters look the same.
    "text.hinting": "no_hinting",
}


def use_style():
    """Apply the course style to every figure made after this call (lessons call it once)."""
    matplotlib.rcParams.update(STYLE)


def new_figure(nrows=1, ncols=1, figsize=None, **subplot_kw):
    """A figure and its axes, in the course style, independent of pyplot.

    Returns `(fig, axes)` like `plt.subplots`. The figure has its own Agg canvas, so it can be
    redrawn and rendered to PNG (`to_png`) any number of times.
    """
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=figsize or STYLE["figure.figsize"], layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, squeeze=True, subplot_kw=subplot_kw or None)
    return fig, axes


def to_png(fig, dpi=None):
    """Render a figure to PNG bytes (what a widget shows, and what Jupyter's inline backend sends).

    At the figure's own resolution this draws once and compresses lightly: `savefig` with a layout
    engine draws (and encodes) twice, which doubled the time of every widget update.
    """
    buffer = io.BytesIO()
    if dpi is None or dpi == fig.dpi:
        fig.canvas.draw()  # runs the layout engine, then renders
        Image.fromarray(np.asarray(fig.canvas.buffer_rgba())).save(buffer, format="png",
                                                                    compress_level=1)
    else:
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def label(ax, title, xlabel, ylabel, legend=True):
    """Give a plot its title and axis labels, and a legend if any artist is labelled."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend:
        handles, _ = ax.get_legend_handles_labels()
        if handles:
            ax.legend(loc="best", framealpha=0.9)
    return ax
