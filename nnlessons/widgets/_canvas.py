"""The canvas a widget's figure is drawn on: matplotlib's Agg, with each line of text laid out
once and drawn as one bitmap.

A widget redraws its moving texts on every slider move, and with matplotlib 3.11 text is the
dearest part of a redraw. Agg lays out each line (libraqm shapes it: about 0.3 ms for "z = +2.286")
twice, once to measure it for the text's layout and once to draw it, and then draws it letter by
letter, a few Python calls per letter. The backprop stepper writes about 25 lines of numbers
on its network: that was most of its update.

Here FreeType lays out a line and draws it into one bitmap in the same call that measures it
(`FT2Font.set_text` and `draw_glyphs_to_bitmap`, what matplotlib itself measures with); the draw
that follows pastes that bitmap, and a line shown again (a label, a number that did not change)
is not laid out again. The letters are the same, each placed to a whole pixel.

Only plain, level text goes this way; math text ($...$) and turned text (an axis label, in a
background drawn once) are drawn by matplotlib. Lesson figures are matplotlib's own.
"""
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag


class _Renderer(RendererAgg):
    """Agg, with a line of plain text drawn as one bitmap (see the module's docstring)."""

    kept = 256  # lines of text laid out lately, and their bitmaps: a few screens of numbers

    def _line(self, s, prop):
        """The line `s` in the font of `prop`, laid out by FreeType and drawn into its bitmap:
        (bitmap, width, height, descent, offset), sizes in 64ths of a pixel.

        Laying out a line is the dear part (about 0.3 ms for "z = +2.286": matplotlib 3.11
        shapes it with libraqm), drawing its bitmap a microsecond. matplotlib asks for each new
        line twice, to measure it for the text's layout and then to draw it: the line measured
        is kept, so the draw finds it laid out and drawn already, and a line shown again (a
        label, a number that did not change) is not laid out again."""
        font = self._prepare_font(prop)  # the font at the text's size, its bitmap cleared
        key = (s, font.fname, prop.get_size_in_points(), self.dpi, get_hinting_flag())
        lines = self.__dict__.setdefault("_lines", {})
        if key in lines:
            lines[key] = line = lines.pop(key)  # now the most recently used
            return line
        font.set_text(s, 0.0, flags=get_hinting_flag())  # unrotated: the paste turns it
        font.draw_glyphs_to_bitmap(antialiased=True)
        line = (np.array(font.get_image()), *font.get_width_height(), font.get_descent(),
                font.get_bitmap_offset())
        lines[key] = line
        if len(lines) > self.kept:
            del lines[next(iter(lines))]  # the least recently used
        return line

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        _, width, height, descent, _ = self._line(s, prop)
        return width / 64.0, height / 64.0, descent / 64.0

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle or not gc.get_antialiased():
            # turned text (an axis label, in a background drawn once) and the rest: matplotlib's
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        bitmap, _, _, descent, (dx, dy) = self._line(s, prop)
        # `x, y` is where the text's baseline starts (y counted down from the top); the
        # bitmap's corner sits FreeType's offset from it, its bottom one descent lower
        left = round(x + dx / 64.0)
        bottom = round(y + (dy + descent) / 64.0) + 1
        self._renderer.draw_text_image(bitmap, left, bottom, 0.0, gc)


class Canvas(FigureCanvasAgg):
    """An Agg canvas whose renderer draws text a line at a time (`_Renderer`)."""

    def get_renderer(self):
        renderer = super().get_renderer()
        if type(renderer) is RendererAgg:
            # a new renderer (the figure's size changed, or the first draw): the subclass
            # changes how text is measured and drawn, and keeps its lines of text (`_line`)
            renderer.__class__ = _Renderer
        return renderer
