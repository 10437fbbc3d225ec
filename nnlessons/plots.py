"""The one look of every figure in the course.

Colours are the Okabe-Ito palette, which people with the common kinds of colour blindness can tell
apart; fonts are large enough to read on a projector from the back of a room. Lessons call
`use_style()` once; widgets draw on figures from `new_figure()`, which do not depend on pyplot's
global state, so a widget can redraw the same figure for as long as it lives.
"""
import io
import struct
import zlib

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

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


def new_figure(nrows=1, ncols=1, figsize=None, width_ratios=None, **subplot_kw):
    """A figure and its axes, in the course style, independent of pyplot.

    Returns `(fig, axes)` like `plt.subplots`. The figure has its own Agg canvas, so it can be
    redrawn and rendered to PNG (`to_png`) any number of times.
    """
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=figsize or STYLE["figure.figsize"], layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, squeeze=True, width_ratios=width_ratios,
                            subplot_kw=subplot_kw or None)
    return fig, axes


def to_png(fig, dpi=None):
    """Render a figure to PNG bytes (what a widget shows, and what Jupyter's inline backend sends).

    At the figure's own resolution this draws once and encodes with `encode_png`: `savefig` with
    a layout engine draws (and encodes) twice, which doubled the time of every widget update.
    """
    if dpi is None or dpi == fig.dpi:
        fig.canvas.draw()  # runs the layout engine, then renders
        return encode_png(np.asarray(fig.canvas.buffer_rgba()))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(rgba):
    """PNG bytes of an (height, width, 4) uint8 image, such as a canvas's `buffer_rgba()`.

    A widget sends a new image on every slider move, and Pillow's encoder took 14 ms of a 50 ms
    budget, most of it choosing a filter per row. Rows of a plot are mostly flat colour, which
    zlib alone packs as small, so this writes every row unfiltered and compresses lightly: the
    same size in a third of the time. The pixels stay RGBA: dropping the alpha channel copies
    the image byte by byte, which costs more than packing the constant alpha.
    """
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ValueError(f"rgba must be a (height, width, 4) uint8 array, got shape {rgba.shape} "
                         f"and dtype {rgba.dtype}")
    height, width = rgba.shape[:2]
    rows = np.empty((height, 1 + 4 * width), np.uint8)
    rows[:, 0] = 0  # filter type 0 (None) for every row
    rows[:, 1:] = rgba.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows, 1)) + _chunk(b"IEND", b""))


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
