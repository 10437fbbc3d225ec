"""The one look of every figure in the course.

Colours are the Okabe-Ito palette, which people with the common kinds of colour blindness can tell
apart, and each colour of the cycle comes with its own line style, so two curves never differ by
colour alone; fonts are large enough to read on a projector from the back of a room. Lessons call
`use_style()` once and end every figure cell with `show(fig, caption)`, which shows the figure
with a caption that states what it shows (the text a screen reader finds); `present()` makes
fonts and lines bigger for a room. Widgets draw on figures from `new_figure()`, which do not
depend on pyplot's global state, so a widget can redraw the same figure for as long as it lives.
"""
import base64
import io
import numbers
import re
import struct
import zlib

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

try:
    # ISA-L's deflate writes the same zlib format as zlib, four to six times faster at level 1
    # and a little smaller, measured on the widgets' pictures: a widget compresses one per move
    from isal import isal_zlib as _deflate
except ImportError:  # a platform without its wheel: zlib, slower, same pictures
    _deflate = zlib

# Okabe & Ito (2008), "Color Universal Design".
COLORS = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000",
}
CYCLE = [COLORS[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]
# One line style per colour of the cycle: a reader who cannot tell the colours apart (or a
# grey-scale print) still tells the curves apart.
LINESTYLES = ["-", "--", ":", "-.", (0, (6, 1.5, 1, 1.5, 1, 1.5)), (0, (9, 2.5)), (0, (1, 3))]
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
    "axes.prop_cycle": matplotlib.cycler(color=CYCLE) + matplotlib.cycler(linestyle=LINESTYLES),
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


# What `present` enlarges, and their values in the normal style.
_PRESENTED = ("font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize",
              "ytick.labelsize", "legend.fontsize", "lines.linewidth", "lines.markersize")
_NORMAL = {key: STYLE[key] for key in _PRESENTED}


def use_style():
    """Apply the course style to every figure made after this call (lessons call it once)."""
    matplotlib.rcParams.update(STYLE)


def present(scale=1.25):
    """Projector mode: fonts, line widths and markers of everything drawn after this call are
    `scale` times their normal size, in lesson figures and widgets alike.

    `present()` enlarges by a quarter; `present(False)` (or `present(1)`) goes back to the
    normal style. The figures keep their size: a wider figure would only be shrunk to fit the
    notebook, and its letters with it.
    """
    if scale is False or scale is None:
        scale = 1
    if (isinstance(scale, bool) or not isinstance(scale, numbers.Real)
            or not 0.5 <= scale <= 3):
        raise ValueError(f"scale must be a number from 0.5 to 3 (1 is the normal size), or "
                         f"False to go back to normal; got {scale!r}")
    for key, normal in _NORMAL.items():
        STYLE[key] = normal if scale == 1 else round(normal * scale, 2)
    matplotlib.rcParams.update({key: STYLE[key] for key in _PRESENTED})
    return scale


def new_figure(nrows=1, ncols=1, figsize=None, width_ratios=None, dpi=None, **subplot_kw):
    """A figure and its axes, in the course style, independent of pyplot.

    Returns `(fig, axes)` like `plt.subplots`. The figure has its own Agg canvas, so it can be
    redrawn and rendered to PNG (`to_png`) any number of times. `dpi` defaults to the style's.
    """
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=figsize or STYLE["figure.figsize"], dpi=dpi, layout="constrained")
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
        return encode_png(np.asarray(fig.canvas.buffer_rgba()), dpi=fig.dpi)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(rgba, dpi=None):
    """PNG bytes of an (height, width, 4) uint8 image, such as a canvas's `buffer_rgba()`;
    with `dpi`, the image says its resolution (a pHYs chunk), as matplotlib's PNGs do.

    A widget sends a new image on every slider move, and Pillow's encoder took 14 ms of a 50 ms
    budget, most of it choosing a filter per row. Rows of a plot are mostly flat colour, which
    deflate alone packs as small, so this writes every row unfiltered and compresses lightly: the
    same size in a third of the time. zlib's level 1 still took 4-8 ms of an 850-pixel-wide
    picture, and in the browser that time is spent while the page competes for the same two
    cores; ISA-L's level 1 (`isal`) takes about 1 ms. The pixels stay RGBA: dropping the alpha
    channel copies the image byte by byte, which costs more than packing the constant alpha.
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
    resolution = b""
    if dpi is not None:
        per_metre = round(dpi / 0.0254)
        resolution = _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + resolution
            + _chunk(b"IDAT", _deflate.compress(rows, 1)) + _chunk(b"IEND", b""))


def png_dpi(png):
    """The resolution a PNG says it has (its pHYs chunk), or None."""
    head = bytes(png[:200])  # an Image widget's value may be a memoryview
    at = head.find(b"pHYs", 8)
    if at < 0 or len(head) < at + 13:
        return None
    per_metre, _, unit = struct.unpack(">IIB", head[at + 4:at + 13])
    return per_metre * 0.0254 if unit == 1 else None


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


# ---- static figures: a caption for every figure, and a record of what it holds ---------------
def _dashes(artist):
    """An artist's dash pattern as text ("6 1.5 1 1.5"), or "" when it is solid. Read from the
    pattern itself: named dashes and dash tuples all report "--" through the public API, and a
    legend's copy of a patch keeps the pattern but not the style's name."""
    offset, dashes = getattr(artist, "_unscaled_dash_pattern", (0, None))
    return " ".join(f"{d:g}" for d in dashes) if dashes else ""


def _linestyle(line):
    """A line's style as text: "-", "None", or "dashes " and its dash pattern."""
    style = line.get_linestyle()
    if style in ("-", "None"):
        return style
    return f"dashes {_dashes(line)}" if _dashes(line) else style


def _entry(artist, label):
    """[label, kind, style, marker] of a labelled artist: what tells it apart besides colour."""
    if isinstance(artist, matplotlib.lines.Line2D):
        marker = artist.get_marker()
        return [label, "line", _linestyle(artist), "None" if marker in (None, "", " ") else
                str(marker)]
    if isinstance(artist, matplotlib.container.BarContainer):
        artist = artist.patches[0] if artist.patches else matplotlib.patches.Patch()
    if isinstance(artist, matplotlib.patches.Patch):
        outline = _dashes(artist) or "solid"
        return [label, "patch", f"hatch {artist.get_hatch()}, line {outline}", "None"]
    kind = type(artist).__name__
    styles = getattr(artist, "get_linestyle", lambda: None)()
    return [label, kind, str(styles[0] if isinstance(styles, list) and styles else styles),
            "None"]


def _axis_label(ax, axis):
    """The label that names an axis's numbers: its own, or the one of an axes it shares them
    with (stacked plots with a shared x label it once, at the bottom)."""
    own = getattr(ax, f"get_{axis}label")()
    if own:
        return own
    shared = getattr(ax, f"get_shared_{axis}_axes")().get_siblings(ax)
    return next((text for other in shared if (text := getattr(other, f"get_{axis}label")())),
                "")


def describe(fig):
    """What a drawn figure holds, for a test to check without running the lesson again.

    Returns {"width_px", "height_px", "fonts_pt" (the smallest font of any text shown),
    "clipped" (the texts that run off the figure's edge), "axes": [{"kind", "title", "xlabel", "ylabel", ("zlabel"), "axis_on", "legend",
    "entries": [[label, kind, style, marker], ...]}, ...]}: the entries of the axes' legend if it
    has one, else its labelled artists. Draw the figure first.
    """
    texts = [text for text in fig.findobj(matplotlib.text.Text)
             if text.get_visible() and text.get_text().strip()]
    sizes = [text.get_fontsize() for text in texts]
    width, height = fig.canvas.get_width_height()
    renderer = fig.canvas.get_renderer()
    # Text that runs off the figure's edge, such as a title longer than the figure. Tick labels
    # are left out: matplotlib keeps labels of ticks outside the axis range, placed but not drawn.
    ticks = {id(label) for ax in fig.axes
             for axis in (ax.xaxis, ax.yaxis) + ((ax.zaxis,) if hasattr(ax, "zaxis") else ())
             for tick in axis.get_major_ticks() + axis.get_minor_ticks()
             for label in (tick.label1, tick.label2)}
    clipped = []
    for text in texts:
        if id(text) in ticks:
            continue
        box = text.get_window_extent(renderer)
        if box.x0 < -1 or box.y0 < -1 or box.x1 > width + 1 or box.y1 > height + 1:
            clipped.append(text.get_text())
    axes = []
    for ax in fig.axes:
        if hasattr(ax, "_colorbar"):
            axes.append({"kind": "colorbar", "label": ax.get_ylabel() or ax.get_xlabel()})
            continue
        legend = ax.get_legend()
        if legend is not None:
            # What the reader sees: the legend's own entries, also those built from handles
            # that are drawn nowhere else (proxy lines and patches).
            handles = legend.legend_handles
            labels = [text.get_text() for text in legend.texts]
        else:
            handles, labels = ax.get_legend_handles_labels()
        record = {"kind": getattr(ax, "name", "rectilinear"),
                  "title": ax.get_title() or ax.get_title("left") or ax.get_title("right")
                  or (fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""),
                  "xlabel": _axis_label(ax, "x"), "ylabel": _axis_label(ax, "y"),
                  "axis_on": bool(ax.axison),
                  "legend": ax.get_legend() is not None or bool(fig.legends),
                  "entries": [_entry(h, label) for h, label in zip(handles, labels)
                              if h is not None]}
        if hasattr(ax, "get_zlabel"):
            record["zlabel"] = ax.get_zlabel()
        axes.append(record)
    return {"width_px": int(width), "height_px": int(height),
            "fonts_pt": float(min(sizes)) if sizes else None, "clipped": clipped, "axes": axes}


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>#|$~])")


def show(fig, caption):
    """Show a figure in a notebook with its caption right under it, then close it.

    The figure goes out as a PNG of its own size (`figsize` times `dpi`, no tight crop that
    could widen it), with `caption` as its alt text (which nbconvert and other renderers use)
    and a record of what it holds (`describe`) in the output's metadata; the caption follows
    as a line of text, the alternative a screen reader finds in JupyterLab, which does not read
    an image's alt text. A caption states what the figure shows, with its key numbers.
    Outside IPython (a script, the grader) it only closes the figure.
    """
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError(f"caption must be a sentence saying what the figure shows, got "
                         f"{caption!r}")
    import matplotlib.pyplot as plt  # a figure made with plt.subplots stays open until closed
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is None or get_ipython() is None:
        # Not in a notebook (a script, or the grader running an exercise's cells): like
        # plt.show with a non-interactive backend, show nothing, and do not pay for drawing.
        plt.close(fig)
        return
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    png = buffer.getvalue()
    record = describe(fig)
    plt.close(fig)
    display({"image/png": base64.b64encode(png).decode("ascii"), "text/plain": caption},
            raw=True, metadata={"image/png": {"alt": caption}, "nnlessons": record})
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", caption)
    display({"text/markdown": f"*Figure: {escaped}*",
             "text/plain": f"Figure: {caption}"}, raw=True)
