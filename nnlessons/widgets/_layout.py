"""Speed for the demos of lessons 05-09: lay the figure out once, then keep that layout.

Constrained layout measures every tick label on every draw, which costs more than the drawing
itself on a small laptop. The first draw (in `Explorer.__init__`) has placed the axes; a demo
whose titles and labels keep their size calls `freeze_layout` to reuse those positions.
"""


def freeze_layout(explorer):
    """Keep the axes where the first (constrained) layout put them; later draws skip layout."""
    explorer.fig.set_layout_engine("none")
    return explorer
