"""Speed for demos whose axes stay put: draw the unchanging parts once, then only what moves.

Redrawing a whole figure costs most of its time in the axes themselves (ticks, tick labels, axis
labels), which a slider rarely changes. An explorer that returns a key from `background_key` has
its figure drawn in two layers:

- the **background**, drawn by `draw_background(state)` (limits, scales, axis labels, fixed
  curves and contours), rendered once to a bitmap, and drawn again only when the key changes;
- the **foreground**, drawn by `draw(state)` on every update (the points, paths, texts, titles and
  legends that move), whose artists are removed again before the next update;
- between them, for an explorer that returns a key from `middle_key`, a **middle** layer drawn by
  `draw_middle(state)`: the parts that only some controls move. It is drawn over the background
  bitmap once per middle key, and that bitmap is pasted while the key stays.

An update pastes the background bitmap and draws the foreground's artists on it. If `draw` changes
what the background depends on (an axis's limits or scale), the update falls back to a full draw,
so the picture is always right; only the speed is lost.

Only matplotlib's public interface is used: `copy_from_bbox`, `restore_region` and `draw_artist`
(its blitting), and the titles and legend an axes lists among its children.
"""
import numpy as np
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .. import plots


def fixed_legend(ax, entries, zorder=None, **legend_kwargs):
    """A legend whose entries never change, for `draw_background`: a legend made by `ax.legend`
    in `draw` is laid out and drawn again on every update, which costs more than the rest.

    `entries` are labelled artists, (label, Line2D keywords) pairs, or a dict label -> keywords.
    Added as an artist, so several fit on one axes; `zorder` places it among the moving artists
    (matplotlib's default 5 is above them)."""
    if isinstance(entries, dict):
        entries = list(entries.items())
    handles, labels = [], []
    for entry in entries:
        if isinstance(entry, tuple):
            label, style = entry
            handles.append(Line2D([], [], **style))
            labels.append(label)
        else:
            handles.append(entry)
            labels.append(entry.get_label())
    legend = Legend(ax, handles, labels, **{"framealpha": 0.9, **legend_kwargs})
    if zorder is not None:
        legend.set_zorder(zorder)
    legend.set_clip_on(False)  # a legend outside the axes keeps its room in the layout
    ax.add_artist(legend)
    return legend


def _view(fig):
    """What the background bitmap depends on besides the explorer's key."""
    return tuple((ax.get_position().bounds, ax.get_xlim(), ax.get_ylim(), ax.get_xscale(),
                  ax.get_yscale()) for ax in fig.axes)


def _titles(ax):
    """The axes' titles that say something (`set_title` with loc "center", "left" or "right"):
    of the texts among its children, those that are not in `ax.texts`."""
    placed = set(map(id, ax.texts))
    return [t for t in ax.get_children()
            if isinstance(t, Text) and id(t) not in placed and t.get_text()]


class _Sheet:
    """One background: a figure with `draw_background` done for one key, and its bitmap."""

    def __init__(self, fig, axes):
        self.fig, self.axes = fig, axes
        self.titles = {}         # title -> its text as `draw_background` left it
        self.bitmap = None
        self.view = None         # what the bitmap depends on besides the key (see `_view`)
        self.in_bitmap = None    # the titles drawn into it
        self.clear_middle()

    def clear_middle(self):
        """Forget the middle layer (its artists are gone, or are taken out by the caller)."""
        self.middle_key = None
        self.middle = []         # (axes, artist) drawn by the last `draw_middle`
        self.middle_bitmap = None  # the background with the middle drawn on it


def _frozen(fig):
    engine = fig.get_layout_engine()
    return engine is None or isinstance(engine, PlaceHolderLayoutEngine)


def _copy(fig, axes):
    """An empty figure with the same size and axes positions (the layout must be frozen)."""
    new = Figure(figsize=fig.get_size_inches(), dpi=fig.dpi, facecolor=fig.get_facecolor(),
                 layout="none")
    type(fig.canvas)(new)  # the explorer's kind of canvas (see `_canvas`)
    if isinstance(axes, np.ndarray):
        copies = np.empty(axes.shape, dtype=object)
        for index, ax in np.ndenumerate(axes):
            copies[index] = new.add_axes(ax.get_position())
        return new, copies
    return new, new.add_axes(axes.get_position())


def _made_by(fig, drawing):
    """The (axes, artist) pairs that `drawing()` adds to the axes of `fig`."""
    before = {ax: {id(a) for a in ax.get_children()} for ax in fig.axes}
    drawing()
    return [(ax, artist) for ax in fig.axes for artist in ax.get_children()
            if id(artist) not in before.get(ax, ())]


def _remove(pairs):
    """Take the artists of (axes, artist) `pairs` out of their axes."""
    for _, artist in pairs:
        if artist.axes is not None or artist.figure is not None:  # not gone with a clear()
            try:
                artist.remove()
            except (NotImplementedError, ValueError):
                pass  # an artist matplotlib cannot take out again: the next clear() will


def _draw(pairs):
    """Draw the artists of (axes, artist) `pairs` on their canvas, lowest `zorder` first, as a
    full draw orders them."""
    for ax, artist in sorted(pairs, key=lambda pair: pair[1].get_zorder()):
        artist.set_animated(True)
        ax.draw_artist(artist)


class Layers:
    """The two layers of one explorer's figure.

    An explorer whose key takes a few values that a learner goes back and forth between (the
    neuron's activation menu) sets `backgrounds_kept` above 1: each key then keeps a figure of
    its own, with its background drawn, so that going back to an earlier choice costs no more
    than a slider move. The explorer's `fig` and `axes` are swapped to that key's figure. Other
    explorers keep one figure and draw its background again when the key changes."""

    def __init__(self, fig, axes, kept=1):
        self.kept = kept
        self.sheets = {}         # key -> _Sheet, the most recently shown last
        self.spare = _Sheet(fig, axes)  # the explorer's own figure, until a key takes it
        self.key = None
        self.foreground = []     # (axes, artist) drawn by the last `draw`

    def reset(self, fig, axes):
        """Forget every background, keeping only the figure shown: after a draw that failed
        half-way, the next update draws that figure afresh."""
        self.sheets, self.spare, self.key, self.foreground = {}, _Sheet(fig, axes), None, []

    def _sheet(self, explorer, state, key):
        """The figure for `key`, with its background drawn (put on the explorer)."""
        sheet = self.sheets.pop(key, None)
        if sheet is None:
            if self.spare is not None:
                sheet, self.spare = self.spare, None
            elif len(self.sheets) < self.kept and _frozen(explorer.fig):
                sheet = _Sheet(*_copy(explorer.fig, explorer.axes))
            else:  # draw over the least recently shown
                sheet = self.sheets.pop(next(iter(self.sheets)))
            explorer.fig, explorer.axes = sheet.fig, sheet.axes
            for ax in sheet.fig.axes:
                ax.clear()
            explorer.draw_background(state)
            sheet.titles = {t: t.get_text() for ax in sheet.fig.axes for t in _titles(ax)}
            sheet.bitmap = None
            sheet.clear_middle()  # cleared with the axes
        self.sheets[key] = sheet
        explorer.fig, explorer.axes = sheet.fig, sheet.axes
        return sheet

    def render(self, explorer, state, key):
        """Draw `state` and return the PNG bytes."""
        _remove(self.foreground)
        self.foreground = []
        if key != self.key or key not in self.sheets:
            self._sheet(explorer, state, key)
            self.key = key
        sheet = self.sheets[key]
        fig, canvas = sheet.fig, sheet.fig.canvas
        middle = explorer.middle_key(state)
        if middle is None or middle != sheet.middle_key:
            _remove(sheet.middle)
            sheet.clear_middle()
            if middle is not None:
                sheet.middle_key = middle
                sheet.middle = _made_by(fig, lambda: explorer.draw_middle(state))
        # what this `draw` adds, its legend too (one made by `draw_background` stays put)
        self.foreground = _made_by(fig, lambda: explorer.draw(state))
        # a title that still reads as `draw_background` left it stays in the bitmap
        still = frozenset(t for ax in fig.axes for t in _titles(ax)
                          if sheet.titles.get(t) == t.get_text())
        moving = list(self.foreground)
        moving += [(ax, t) for ax in fig.axes for t in _titles(ax) if t not in still]
        if sheet.bitmap is None or _view(fig) != sheet.view or still != sheet.in_bitmap:
            # a new background: render the figure without the moving parts, keep that bitmap
            for title in still:
                title.set_animated(False)
            for _, artist in moving + sheet.middle:
                artist.set_animated(True)
            canvas.draw()
            sheet.bitmap, sheet.view, sheet.in_bitmap = (canvas.copy_from_bbox(fig.bbox),
                                                         _view(fig), still)
            sheet.middle_bitmap = None
        else:
            canvas.restore_region(sheet.bitmap)
        if sheet.middle:
            if sheet.middle_bitmap is None:
                _draw(sheet.middle)
                sheet.middle_bitmap = canvas.copy_from_bbox(fig.bbox)
            else:
                canvas.restore_region(sheet.middle_bitmap)
        _draw(moving)
        return plots.encode_png(np.asarray(canvas.buffer_rgba()), dpi=canvas.figure.dpi)
