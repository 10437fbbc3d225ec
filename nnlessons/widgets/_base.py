"""What every interactive demo of the course shares.

A demo is an `Explorer`: a few controls, one figure shown as a PNG image, and a readout of the
numbers. Its logic is split so that tests and benchmarks need no browser:

- `compute(**settings)` is pure: settings in, the explorer's *state* out, a small frozen
  dataclass of numbers and read-only arrays;
- `draw(state)` draws that state on the explorer's own persistent figure;
- `describe(state)` returns the readout (HTML) and `message(state)` any warning.

Moving a control calls `update()`, which runs the three and renders the figure to PNG. Every
setting is checked by `compute`, which reports impossible ones (a diverging learning rate, no data)
through the state's `message`, never by raising. Should a callback raise all the same (a bug),
the widget says so in its message line, with the error and its traceback: an exception in a
callback would otherwise show only in the kernel's log, which the learner never sees.

The widget is a column: title, controls, the picture, a message line, the readout. The message
line sits below the picture and always keeps the height of one line (longer messages scroll
inside it up to three lines), so a warning that appears in the middle of a drag never moves the
picture. Its parts carry CSS classes for tests in a browser: `nnlessons-explorer` (the whole),
`nnlessons-title`, `nnlessons-controls`, `nnlessons-figure` (the image), `nnlessons-message`
and `nnlessons-readout`.

What an explorer has computed (a trained network per setting) it keeps in `Memo`s of its own, so
two explorers never share anything that changes.
"""
import html
import traceback
from collections import OrderedDict

import ipywidgets as w
import matplotlib
import numpy as np

from .. import plots
from ._canvas import Canvas
from ._layers import Layers


def readonly(array):
    """`array` as a float or int array that nothing can write to: a state, or a result a `Memo`
    keeps, may be handed to many draws and never changes under them."""
    array = np.array(array)  # a copy: the caller's array stays writable
    array.setflags(write=False)
    return array


class Memo:
    """`function`'s results by their arguments, the `size` most recently used: one explorer's
    memory of what it computed, so that going back to a setting costs no second training.

    Keeps what `function` returns: it must be something nobody changes (a frozen dataclass of
    read-only arrays, say)."""

    def __init__(self, function, size=128):
        self.function, self.size = function, size
        self.results = OrderedDict()

    def __call__(self, *args):
        if args in self.results:
            self.results.move_to_end(args)
            return self.results[args]
        result = self.function(*args)
        self.results[args] = result
        if len(self.results) > self.size:
            self.results.popitem(last=False)  # the least recently used
        return result

    def clear(self):
        self.results.clear()


# One line always kept (so the readout below moves little), up to three shown, more scrolled.
MESSAGE_LAYOUT = {"min_height": "1.6em", "max_height": "4.8em", "overflow": "auto"}


def described(control):
    """`control` with its whole description shown (not cut at ipywidgets' 80 px) and a tooltip
    that repeats it where none was given: a label says what the control changes."""
    if hasattr(control, "style") and hasattr(control.style, "description_width"):
        control.style.description_width = "initial"
    if getattr(control, "description", "") and not getattr(control, "tooltip", None):
        control.tooltip = control.description
    return control


def choice(options, value, description, tooltip, button_width="auto"):
    """A row of buttons, one per option, for a setting with a few values.

    Not a dropdown menu: in JupyterLab the arrow keys on a focused menu move between notebook
    cells instead of changing the choice, so a menu cannot be worked from the keyboard there.
    Each button is reached with Tab and chosen with Space or Enter. `options` are values, or
    (label, value) pairs."""
    labels = [str(o[0]) if isinstance(o, tuple) else str(o) for o in options]
    return w.ToggleButtons(options=options, value=value, description=description,
                           tooltip=tooltip, tooltips=[f"{description}: {label}" for label in labels],
                           style={"description_width": "initial", "button_width": button_width},
                           # as wide as its label and buttons, so the buttons never wrap onto
                           # a second line (the label sits beside them: ROW_OF_BUTTONS_STYLE)
                           layout=w.Layout(width="max-content"))


# ipywidgets puts a row of buttons under its label; beside it, as for sliders, keeps the widget
# a row shorter. Styles in an HTML widget apply to the page: scoped to the course's explorers.
ROW_OF_BUTTONS_STYLE = ("<style>.nnlessons-explorer .widget-toggle-buttons"
                        "{display:flex;align-items:center}</style>")

# The readout and the message are read line by line: ipywidgets' HTML widget spaces lines as
# tall as a control (28 px); ordinary text spacing keeps the whole widget within a screen.
TEXT_STYLE = "line-height:1.35;margin:2px 0"

# A widget's picture is drawn as wide as the notebook shows it: an output area of JupyterLab at
# 1280x720 with the file browser open is 850 px wide, and a wider PNG is shrunk to fit. The
# pixels beyond that would be drawn, encoded, sent and decoded on every slider move, only to be
# thrown away by the browser: a figure wider than 8.5 in is drawn at fewer dots per inch, so
# its layout and its letters look as they did, and an update costs about a third less.
SHOWN_WIDTH = 850  # px


def widget_dpi(figsize):
    """The resolution of a widget's figure: the course's, or less if the figure would be
    wider than it is shown (SHOWN_WIDTH)."""
    return min(plots.STYLE["figure.dpi"], SHOWN_WIDTH / figsize[0])


class Explorer:
    """Base class: subclasses set `controls` (name -> ipywidgets control) and implement
    `compute`, `draw` and `describe`."""

    title = ""
    figsize = (9.0, 4.2)
    nrows, ncols = 1, 1
    width_ratios = None
    backgrounds_kept = 1  # figures kept, one per background key (see `_layers`)

    def __init__(self, controls, **subplot_kw):
        self.controls = controls
        self.fig, self.axes = plots.new_figure(self.nrows, self.ncols, figsize=self.figsize,
                                               width_ratios=self.width_ratios,
                                               dpi=widget_dpi(self.figsize), **subplot_kw)
        Canvas(self.fig)  # redrawn on every move: its texts are drawn a line at a time
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.image.add_class("nnlessons-figure")
        self.readout = w.HTML()
        self.readout.add_class("nnlessons-readout")
        self.alert = w.HTML(layout=w.Layout(**MESSAGE_LAYOUT))
        self.alert.add_class("nnlessons-message")
        self.error = None  # the exception of the last callback that failed, if any
        self._drawn_readout = None  # the readout of the picture shown
        self._holding = False
        for control in controls.values():
            control.observe(self.guarded(self._changed), names="value")
        for control in controls.values():
            described(control)
        title = w.HTML(f"<b>{html.escape(self.title)}</b>")
        title.add_class("nnlessons-title")
        row = w.HBox(self.control_widgets(), layout=w.Layout(flex_flow="row wrap"))
        row.add_class("nnlessons-controls")
        # the message line below the picture: what it says never moves the picture
        # the page style for rows of buttons, in a part that takes no room
        looks = w.HTML(ROW_OF_BUTTONS_STYLE, layout=w.Layout(display="none"))
        self.widget = w.VBox([title, row, self.image, self.alert, self.readout, looks])
        self.widget.add_class("nnlessons-explorer")
        self.state = None
        self._layers = Layers(self.fig, self.axes, kept=self.backgrounds_kept)
        self.update()

    # ---- to override -----------------------------------------------------------------------
    def control_widgets(self):
        """What the controls' row shows, in order: the controls themselves, and any buttons
        that move them (see the backprop stepper)."""
        return list(self.controls.values())

    def compute(self, **settings):
        raise NotImplementedError

    def draw(self, state):
        raise NotImplementedError

    def describe(self, state):
        return ""

    def background_key(self, state):
        """None: every update clears and redraws the whole figure with `draw`. A demo whose
        axes stay put returns instead a key (a tuple of the settings its background depends
        on), draws those parts in `draw_background` and only the moving ones in `draw`: the
        background is then drawn once per key (see `_layers`), which is several times faster."""
        return None

    def draw_background(self, state):
        """The parts of the figure that stay while `background_key` does: limits, scales, axis
        labels, fixed curves and contours."""

    def middle_key(self, state):
        """None: everything `draw_background` does not draw is drawn again by `draw` on every
        update. A demo with a part that only some controls move (the neuron's picture of the
        plane, which moving the input point leaves alone) returns a key of the settings that
        part depends on, and draws it in `draw_middle`: it is then drawn once per key, between
        the background and the foreground (see `_layers`)."""
        return None

    def draw_middle(self, state):
        """The parts of the figure that stay while `middle_key` does: drawn over the background
        and under everything `draw` draws. No legend (`ax.legend`) here."""

    def message(self, state):
        """A warning to show below the figure (for example "diverged"), or ""."""
        return getattr(state, "message", "")

    # ---- machinery -------------------------------------------------------------------------
    def settings(self):
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values):
        """Set several controls at once and redraw once (as a learner would, one after another)."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown setting(s) {sorted(unknown)}; this explorer has "
                             f"{sorted(self.controls)}")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.update()
        return self

    def forget(self):
        """Wipe everything this explorer remembers (its `Memo`s and the backgrounds it keeps):
        the next visit of a setting computes and draws it afresh, as the first one did. For
        benchmarks."""
        for value in vars(self).values():
            if isinstance(value, Memo):
                value.clear()
        self._layers.reset(self.fig, self.axes)

    def guarded(self, callback):
        """`callback`, for a control's observer: an exception it raises is shown in the widget
        (see `show_error`) instead of vanishing into the kernel's log."""
        def observer(change):
            try:
                callback(change)
            except Exception as error:  # noqa: BLE001 - any bug, shown to the learner
                self.show_error(error)
        return observer

    def show_error(self, error):
        """Say in the message line that the last change failed, with the error and its
        traceback, and get ready to draw the whole figure afresh on the next change."""
        self.error = error
        if self._drawn_readout is not None:  # the numbers of the picture still shown
            self.readout.value = self._drawn_readout
        self.alert.layout.max_height = None  # the details for a bug report may be long
        self._layers.reset(self.fig, self.axes)
        trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        self.alert.value = (
            f'<div style="color:#D55E00;font-weight:bold">This demo hit an error and could not '
            f'redraw: {html.escape(type(error).__name__)}: {html.escape(str(error))}. The '
            f'picture still shows the last settings that worked; move a control to try again, '
            f'or run the cell again to start afresh.</div>'
            f'<details><summary>details for a bug report</summary>'
            f'<pre style="font-size:11px">{html.escape(trace)}</pre></details>')

    def _changed(self, change):
        if not self._holding:
            self.update()

    def update(self):
        """Recompute from the controls, redraw the figure and the readout; return the PNG bytes.

        The readout and the message go first, before the figure is drawn: the learner reads
        the new numbers while the picture is drawn, and the browser lays them out meanwhile
        rather than between the picture's arrival and its showing."""
        self.state = self.compute(**self.settings())
        self._show_text(self.state)
        # ax.clear() and new artists read matplotlib's global settings: keep the course's look
        # even where plots.use_style() was never called (a test, a benchmark, a learner's script)
        with matplotlib.rc_context(plots.STYLE):
            key = self.background_key(self.state)
            # Layered axes are not cleared between updates: start each draw at the top of the
            # style cycle, or a curve drawn without an explicit style changes style each time.
            for ax in self.fig.axes:
                ax.set_prop_cycle(None)
            if key is None:
                for ax in self.fig.axes:
                    ax.clear()
                if self.middle_key(self.state) is not None:
                    self.draw_middle(self.state)
                self.draw(self.state)
                png = plots.to_png(self.fig)
            else:
                png = self._layers.render(self, self.state, key)
        self.image.value = png
        self._drawn_readout = self.readout.value
        self.error = None
        return png

    def _show_text(self, state):
        """The readout of `state`, and its message or none."""
        self.readout.value = f'<div style="{TEXT_STYLE}">{self.describe(state)}</div>'
        note = self.message(state)
        self.alert.layout.max_height = MESSAGE_LAYOUT["max_height"]
        self.alert.value = (f'<div style="color:#D55E00;font-weight:bold;{TEXT_STYLE}">'
                            f'{html.escape(note)}</div>' if note else "")

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        # Where widgets do not render (a static page), the plain-text part is what shows.
        if bundle is not None:
            bundle["text/plain"] = f"{self.title} (interactive: run the notebook to use it)"
        return bundle
