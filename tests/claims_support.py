"""Claim tests: the words of a lesson tied to numbers recomputed with the package.

A lesson's prose says things about its own outputs ("the loss falls at every step", "this rate is
the fastest"). nbval keeps the outputs from drifting; a claim test keeps the words. Each claim
test does three things:

    lesson = claims.lesson("04_gradient_descent")
    lesson.says("falls at every step")          # the prose still makes the claim ...
    losses = ...recomputed with nnlessons...    # ... the package still makes it true ...
    assert np.all(np.diff(losses) < 0)
    lesson.prints(f"{rate:.2f}")                # ... and a cell prints the number the prose uses

so a claim cannot be reworded, or its numbers changed, without its test noticing: rewording
fails `says`, a changed number fails `prints` or the recomputation.
"""
import re
from functools import lru_cache
from pathlib import Path

import nbformat

LESSONS = Path(__file__).resolve().parent.parent / "lessons"


def _squash(text):
    # prose wraps lines and markdown adds emphasis; a claim is matched on its words
    return re.sub(r"\s+", " ", text.replace("**", "").replace("*", "")).strip()


class Lesson:
    """The stored text of one lesson notebook: its markdown and its cells' printed outputs."""

    def __init__(self, name):
        self.path = LESSONS / f"{name}.ipynb"
        notebook = nbformat.read(self.path, as_version=4)
        self.markdown = _squash("\n".join(cell.source for cell in notebook.cells
                                          if cell.cell_type == "markdown"))
        printed = []
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                if "text" in output:
                    printed.append(output["text"])
                for key in ("text/plain", "text/markdown", "text/html"):
                    if key in output.get("data", {}):
                        printed.append(output["data"][key])
        self.outputs = _squash("\n".join(printed))

    def says(self, phrase):
        """Assert the lesson's prose contains `phrase` (whitespace and emphasis ignored)."""
        phrase = _squash(phrase)
        assert phrase in self.markdown, (
            f"{self.path.name} no longer says {phrase!r}: update this claim test with the prose")

    def prints(self, text):
        """Assert some cell of the lesson printed `text` (so the prose's number is computed)."""
        text = _squash(text)
        assert text in self.outputs, (
            f"no cell of {self.path.name} prints {text!r}: the prose relies on a number "
            "that no output shows")


@lru_cache(maxsize=None)
def lesson(name):
    return Lesson(name)
