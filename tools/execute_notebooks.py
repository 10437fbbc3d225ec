"""Execute notebooks in place and store them the way the repository keeps them.

    python tools/execute_notebooks.py lessons/01_neuron.ipynb [more.ipynb ...]

Runs each notebook top to bottom in a fresh kernel from its own folder, keeps the outputs, and
leaves no widget state in the metadata (the widgets are rebuilt when the notebook runs).
Stops with the cell's error if a cell fails.
"""
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path):
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for name in sys.argv[1:]:
        execute(name)
        print(f"executed {name}")
