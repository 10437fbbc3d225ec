"""Speed for text-heavy demos: a text drawn before is drawn again from its glyph images.

matplotlib (3.11) lays out and renders every glyph of a text in Python on every draw, about
0.1 ms a glyph. The backprop stepper writes some 300 glyphs per update, most of them the same as
the update before (a step changes a few of its twenty labels), so text was two thirds of its
time. `cache_text` makes a renderer remember, per text, the glyph images it stamped and where;
the same text at the same place with the same font is stamped again from memory, in the colour
and clipping of its new draw. What is stamped is what matplotlib made, so the picture is the
same to the pixel.
"""
import numpy as np
from matplotlib import rcParams

KEPT = 2000  # texts remembered per renderer (a few MB of glyph images at most)


class _Recorder:
    """Stands in for the Agg renderer's core while one text is drawn: passes every call on and
    keeps the glyph images. A text drawn any other way (boxes, an image that is not an array)
    is not remembered."""

    def __init__(self, core):
        self.core = core
        self.stamps = []
        self.replayable = True

    def draw_text_image(self, image, x, y, angle, gc):
        if isinstance(image, np.ndarray):
            self.stamps.append((image.copy(), x, y, angle))
        else:
            self.replayable = False
        self.core.draw_text_image(image, x, y, angle, gc)

    def __getattr__(self, name):
        self.replayable = False
        return getattr(self.core, name)


def _font_key(prop):
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_size_in_points(), prop.get_file())


def cache_text(renderer):
    """Give an Agg `renderer` a memory of the texts it drew. Returns the renderer."""
    if hasattr(renderer, "text_stamps"):
        return renderer
    draw_text = renderer.draw_text
    stamps = renderer.text_stamps = {}

    def draw_text_from_memory(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return draw_text(gc, x, y, s, prop, angle, ismath, mtext=mtext)
        key = (s, _font_key(prop), float(x), float(y), float(angle), gc.get_antialiased(),
               rcParams["text.hinting"], rcParams["text.hinting_factor"],
               rcParams["text.antialiased"],
               tuple(getattr(mtext, "get_fontfeatures", lambda: None)() or ()),
               getattr(mtext, "get_language", lambda: None)())
        known = stamps.get(key)
        if known is None:
            recorder = _Recorder(renderer._renderer)
            renderer._renderer = recorder
            try:
                draw_text(gc, x, y, s, prop, angle, ismath, mtext=mtext)
            finally:
                renderer._renderer = recorder.core
            if len(stamps) >= KEPT:
                stamps.clear()
            stamps[key] = recorder.stamps if recorder.replayable else False
        elif known is False:
            draw_text(gc, x, y, s, prop, angle, ismath, mtext=mtext)
        else:
            for image, left, top, turn in known:
                renderer._renderer.draw_text_image(image, left, top, turn, gc)

    renderer.draw_text = draw_text_from_memory
    return renderer
