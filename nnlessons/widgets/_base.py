"""What every interactive demo of the course shares.

A demo is an `Explorer`: a few controls, one figure shown as a PNG image, and a readout of the
numbers. Its logic is split so that tests and benchmarks need no browser:

- `compute(**settings)` is pure: settings in, a dict of numbers and arrays out;
- `draw(state)` draws that state on the explorer's own persistent figure;
- `describe(state)` returns the readout (HTML) and `message(state)` any warning.

Moving a control calls `update()`, which runs the three and renders the figure to PNG. Every
setting is checked by `compute`, which reports impossible ones (a diverging learning rate, no data)
through `message`, never by raising: an exception in a callback would only show up in a log the
learner never sees.
"""
import html

import ipywidgets as w
import matplotlib

from .. import plots
from ._layers import Layers


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
                                               width_ratios=self.width_ratios, **subplot_kw)
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.readout = w.HTML()
        self.alert = w.HTML()
        self._holding = False
        for control in controls.values():
            control.observe(self._changed, names="value")
        self.widget = w.VBox([w.HTML(f"<b>{html.escape(self.title)}</b>"),
                              w.HBox(list(controls.values()),
                                     layout=w.Layout(flex_flow="row wrap")),
                              self.alert, self.image, self.readout])
        self.state = None
        self._layers = Layers(self.fig, self.axes, kept=self.backgrounds_kept)
        self.update()

    # ---- to override -----------------------------------------------------------------------
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

    def message(self, state):
        """A warning to show above the figure (for example "diverged"), or ""."""
        return state.get("message", "") if isinstance(state, dict) else ""

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

    def _changed(self, change):
        if not self._holding:
            self.update()

    def update(self):
        """Recompute from the controls, redraw the figure and the readout; return the PNG bytes."""
        self.state = self.compute(**self.settings())
        # ax.clear() and new artists read matplotlib's global settings: keep the course's look
        # even where plots.use_style() was never called (a test, a benchmark, a learner's script)
        with matplotlib.rc_context(plots.STYLE):
            key = self.background_key(self.state)
            if key is None:
                for ax in self.fig.axes:
                    ax.clear()
                self.draw(self.state)
                png = plots.to_png(self.fig)
            else:
                png = self._layers.render(self, self.state, key)
        self.image.value = png
        self.readout.value = self.describe(self.state)
        note = self.message(self.state)
        self.alert.value = (f'<div style="color:#D55E00;font-weight:bold">{html.escape(note)}</div>'
                            if note else "")
        return png

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        # Where widgets do not render (a static page), the plain-text part is what shows.
        if bundle is not None:
            bundle["text/plain"] = f"{self.title} (interactive: run the notebook to use it)"
        return bundle
