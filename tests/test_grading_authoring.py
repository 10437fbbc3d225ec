"""The example suite in AUTHORING.md is real: it loads, and grades right and wrong answers."""
import ast
import re
import subprocess
import sys
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


def test_expected_values_tool_prints_what_the_guide_stores():
    """instructor/expected_values.py gives, at full precision, the literal the guide's public
    test stores."""
    root = GUIDE.parents[2]
    result = subprocess.run(
        [sys.executable, str(root / "instructor" / "expected_values.py"), "01_neuron",
         "--let", "z = np.array([-2.0, 0.0, 3.0])", "activations.sigmoid(z)", "(z[0], 1 / 3)"],
        capture_output=True, text=True, cwd=root, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# activations.sigmoid(z)" and lines[2] == "# (z[0], 1 / 3)"
    stored = re.search(r"expect\.close\(got, (\[[^]]*\])", GUIDE.read_text()).group(1)
    assert ast.literal_eval(lines[1]) == ast.literal_eval(stored)
    assert ast.literal_eval(lines[3]) == (-2.0, 0.3333333333333333)
    bad = subprocess.run([sys.executable, str(root / "instructor" / "expected_values.py"),
                          "01_neuron", "--let", "z == 3", "z"],
                         capture_output=True, text=True, cwd=root, timeout=120)
    assert bad.returncode == 2 and "--let needs one assignment" in bad.stderr
