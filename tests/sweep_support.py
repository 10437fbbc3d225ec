"""How much of each widget's benchmark walk the widget sweeps draw.

The sweeps (tests/test_widget_layers.py, test_widget_looks.py, test_widget_fit.py) walk every
setting of every widget's benchmark: minutes of drawing. The README's test command walks all of
them. The second CI run, with the lowest dependency versions (.ci/run), asks for a sample by
setting NNLESSONS_SWEEP=sample: every widget still draws, at its first and last settings and a
few between, which is what could break with an older matplotlib, in a fraction of the time.
"""
import os

SAMPLE = 6  # settings per case in a sample


def walk(settings):
    """`settings`, or an evenly spaced sample of them (first and last kept) when asked."""
    settings = list(settings)
    if os.environ.get("NNLESSONS_SWEEP", "").strip().lower() != "sample" or \
            len(settings) <= SAMPLE:
        return settings
    picks = sorted({round(i * (len(settings) - 1) / (SAMPLE - 1)) for i in range(SAMPLE)})
    return [settings[i] for i in picks]
