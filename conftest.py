"""Project-wide pytest setup.

`pyproject.toml` runs every notebook under nbval with outputs compared (lessons and solutions are
stored executed and must reproduce). Exercise notebooks are stored without outputs, so for them
only "runs without error" is checked: the same as `--nbval-lax`, chosen per folder here so one
`pytest` command covers all three.
"""
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # tests draw figures without a screen
os.environ.setdefault("MPLBACKEND", "Agg")

EXERCISES = Path(__file__).parent / "exercises"


def pytest_collectstart(collector):
    path = getattr(collector, "path", None)
    if path is not None and path.suffix == ".ipynb" and EXERCISES in path.parents:
        collector.compare_outputs = False  # read by nbval when it collects the cells
