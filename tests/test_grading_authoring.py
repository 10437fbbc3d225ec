"""The example suite in AUTHORING.md is real: it loads, and grades right and wrong answers."""
import re
from pathlib import Path

import numpy as np

from nnlessons.grading.forbidden import Traps
from nnlessons.grading.runner import run_tests
from nnlessons.grading.selfcheck import LocalBackend
from nnlessons.grading.suite import Suite

GUIDE = Path(__file__).resolve().parents[1] / "nnlessons" / "grading" / "AUTHORING.md"


def example_module(heading):
    """The `suite` of the first Python block after `heading` in the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index(heading):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace = {}
    exec(compile(code, str(GUIDE), "exec"), namespace)
    return namespace["suite"]


def example_suite():
    """The guide's public module merged with its hidden module, as grading merges them."""
    public = example_module("## 2. The public suite module")
    hidden = example_module("## 3. The hidden suite module")
    assert not any(t.hidden for t in public.tests) and all(t.hidden for t in hidden.tests)
    assert public.hidden_counts == {"sigmoid": len(hidden.tests)}
    return public.merged(hidden, "hidden")


def grade(suite, namespace):
    traps = Traps(suite.forbidden, namespace).install()
    try:
        return {r.name: r.status for r in run_tests(suite.tests, LocalBackend(namespace, traps))}
    finally:
        traps.remove()


def test_guide_example_grades():
    suite = example_suite()
    assert isinstance(suite, Suite) and suite.functions == ["sigmoid", "slope"]
    right = {"sigmoid": lambda z: 1 / (1 + np.exp(-np.asarray(z))),
             "slope": lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h)}
    assert set(grade(suite, right).values()) == {"passed"}

    def in_place(z):
        z *= -1
        np.exp(z, out=z)
        return 1 / (1 + z)
    wrong = {"sigmoid": in_place, "slope": lambda f, x, h: (f(x + h) - f(x)) / h}
    assert grade(suite, wrong) == {"sigmoid_values": "passed",
                                   "sigmoid_leaves_input_alone": "failed",
                                   "slope_of_a_cube": "failed"}
