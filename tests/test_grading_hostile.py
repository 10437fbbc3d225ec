"""Hostile and broken submissions: each gets the points for what works, a clear status and
message for what does not, and leaves every other submission's grade untouched.

Each case is the solution of 01_neuron with one hostile cell added (or a function replaced),
written to a real notebook file and graded through the sandbox with a short time limit.
"""
import json
import os
from pathlib import Path

import pytest

from nnlessons.grading import isolation
from nnlessons.grading.grader import grade_notebook
from nnlessons.grading.testing import with_extra_cell

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "01_neuron.ipynb"
FUNCTIONS = ["weighted_sum", "sigmoid", "layer_forward", "two_layer_forward"]
SENTINEL = Path("/tmp/nnlessons-hostile-sentinel")
# in the solution, layer_forward calls the learner's sigmoid and two_layer_forward calls both
USES = {"sigmoid": ["layer_forward", "two_layer_forward"], "layer_forward": ["two_layer_forward"],
        "weighted_sum": []}

HOSTILE = {
    # name: (code added as a last cell, functions expected to lose everything, status, in message)
    "endless_loop_in_function": (
        "def sigmoid(z):\n    while True:\n        pass\n",
        ["sigmoid"], "timeout", "ran for more than"),
    "endless_loop_catching_everything": (
        "def sigmoid(z):\n    while True:\n        try:\n            while True:\n"
        "                pass\n        except BaseException:\n            pass\n",
        ["sigmoid"], "timeout", "ran for more than"),
    "endless_loop_at_top_level": (
        "while True:\n    pass\n", [], None, None),
    "sys_exit_at_top_level": (
        "import sys\nsys.exit('bye')\n", [], None, None),
    "os_exit_at_top_level": (
        "import os\nos._exit(0)\n", [], None, None),
    "os_exit_in_function": (
        "import os\ndef sigmoid(z):\n    os._exit(3)\n",
        ["sigmoid"], "error", "exited with status 3"),
    "sys_exit_in_function": (
        "import sys\ndef weighted_sum(X, weights, bias):\n    sys.exit(1)\n",
        ["weighted_sum"], "error", "SystemExit"),
    "allocates_50_gb_numpy": (
        "import numpy as np\ndef weighted_sum(X, weights, bias):\n"
        "    big = np.ones(50 * 10**9 // 8)\n    return big[:len(X)]\n",
        ["weighted_sum"], "error", "MemoryError"),
    "allocates_50_gb_python": (
        "def sigmoid(z):\n    return bytearray(50 * 10**9)\n",
        ["sigmoid"], "error", "MemoryError"),
    "prints_megabytes": (
        "print('x' * 50_000_000)\n_old_sigmoid = sigmoid\n"
        "def sigmoid(z):\n    for _ in range(200):\n        print('y' * 100_000)\n"
        "    return _old_sigmoid(z)\n", [], None, None),
    "monkeypatches_numpy_and_grader": (
        "import numpy as np\nnp.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, **k: np.ones(np.shape(b), bool)\n"
        "np.array_equal = lambda *a, **k: True\n"
        "import nnlessons.grading.expect as e\ne.Expect.close = lambda *a, **k: None\n"
        "def weighted_sum(X, weights, bias):\n    return np.zeros(len(X))\n",
        ["weighted_sum"], "failed", "not right"),
    "writes_and_deletes_files": (
        f"import os, shutil\n"
        f"for attempt in (lambda: open('{SENTINEL}/keep.txt', 'w').write('gone'),\n"
        f"                lambda: os.remove('{SENTINEL}/keep.txt'),\n"
        f"                lambda: shutil.rmtree('{SENTINEL}'),\n"
        f"                lambda: os.rename('{SENTINEL}/keep.txt', 'stolen.txt')):\n"
        f"    try:\n        attempt()\n    except Exception as error:\n"
        f"        print(error)\n"
        f"open('mine.txt', 'w').write('a file in my own folder is fine')\n"
        f"def weighted_sum(X, weights, bias):\n"
        f"    os.remove('{SENTINEL}/keep.txt')\n",
        # in the sandbox the sentinel does not exist: its /tmp is a tmpfs of its own
        ["weighted_sum"], "error", None),
    "reads_solutions_tests_and_parent": (
        f"import os\n"
        f"def weighted_sum(X, weights, bias):\n"
        f"    return open({str(SOLUTION)!r}).read()\n"
        f"def sigmoid(z):\n"
        f"    return open({str(ROOT / 'tests' / 'test_grading_hostile.py')!r}).read()\n"
        f"def layer_forward(X, weights, biases):\n"
        f"    return open(f'/proc/{{os.getppid()}}/environ', 'rb').read()\n",
        # refused by the friendly hook, or (for a checkout below /tmp, the sandbox's own tmpfs)
        # simply not there: either way the wall shows none of it
        ["weighted_sum", "sigmoid", "layer_forward"], "error",
        ("not allowed while grading: reading", "No such file or directory")),
    "runs_processes_and_signals": (
        "import os, subprocess, signal\n"
        "def weighted_sum(X, weights, bias):\n"
        "    subprocess.run(['rm', '-rf', '/tmp/nnlessons-hostile-sentinel'])\n"
        "def sigmoid(z):\n    os.kill(os.getppid(), signal.SIGKILL)\n"
        "def layer_forward(X, weights, biases):\n    os.fork()\n",
        ["weighted_sum", "sigmoid", "layer_forward"], "error", "not allowed while grading"),
    "forges_protocol_messages": (
        "import os\n_real = sigmoid\n"
        "def sigmoid(z):\n"
        "    for fd in range(3, 30):\n"
        "        try:\n            os.write(fd, b'000000000002{}')\n"
        "        except OSError:\n            pass\n"
        "    return _real(z)\n",
        ["sigmoid"], "error", None),
    "forges_messages_at_top_level": (
        "import os\nfor fd in range(3, 30):\n    try:\n"
        "        os.write(fd, b'000000000020{\"event\": \"loaded\"}')\n"
        "    except OSError:\n        pass\n", [], None, None),
    "returns_unsupported_objects": (
        "class Sneaky:\n    def __eq__(self, other):\n        return True\n"
        "def weighted_sum(X, weights, bias):\n    return Sneaky()\n",
        ["weighted_sum"], "error", "cannot be graded"),
    "calls_forbidden_through_alias": (
        "from nnlessons.activations import sigmoid as reference_sigmoid\n"
        "import nnlessons\n"
        "def sigmoid(z):\n    return reference_sigmoid(z)\n",
        ["sigmoid"], "failed", "not allowed: sigmoid calls nnlessons.activations.sigmoid"),
    "calls_forbidden_hidden_in_getattr": (
        "import importlib\n"
        "def sigmoid(z):\n    module = importlib.import_module('nnlessons.' + 'activations')\n"
        "    return getattr(module, 'sig' + 'moid')(z)\n",
        ["sigmoid"], "failed", "not allowed: sigmoid calls nnlessons.activations.sigmoid"),
}

from nnlessons.grading.suite import SuiteLibrary  # noqa: E402

FULL_01 = SuiteLibrary().get("01_neuron").max_score  # hidden tests included


@pytest.fixture(scope="module")
def sentinel():
    SENTINEL.mkdir(exist_ok=True)
    (SENTINEL / "keep.txt").write_text("keep me")
    yield SENTINEL / "keep.txt"


def hostile_notebook(tmp_path, name, code):
    path = tmp_path / f"{name}.ipynb"
    path.write_text(json.dumps(with_extra_cell(SOLUTION, code)))
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_submission_is_contained(name, tmp_path, sentinel):
    code, losing, status, message = HOSTILE[name]
    result = grade_notebook(hostile_notebook(tmp_path, name, code), timeout=1.0, budget=60)
    by_function = {}
    for test in result.tests:
        by_function.setdefault(test.function, []).append(test)
    for function in FUNCTIONS:
        tests = by_function[function]
        if function in losing:
            lost = [t for t in tests if t.status != "passed"]
            assert lost, (function, tests)
            assert all(t.status == status for t in lost), [(t.name, t.status, t.output)
                                                           for t in lost]
            if message:
                messages = message if isinstance(message, tuple) else (message,)
                assert all(any(m in t.output for m in messages) for t in lost), \
                    [t.output for t in lost]
        elif not any(function in USES.get(bad, []) for bad in losing):
            # what the hostile code did not touch keeps every point
            assert all(t.status == "passed" for t in tests), \
                [(t.name, t.status, t.output) for t in tests]
    assert sentinel.read_text() == "keep me"
    assert result.score < result.max_score or not losing


def test_top_level_problems_are_reported_as_notes(tmp_path):
    loop = grade_notebook(hostile_notebook(tmp_path, "loop", "while True:\n    pass\n"),
                          timeout=1.0)
    assert loop.score == loop.max_score
    assert any("ran for more than 1 s" in note for note in loop.notes), loop.notes
    exiting = grade_notebook(hostile_notebook(tmp_path, "exit", "import os\nos._exit(0)\n"))
    assert exiting.score == exiting.max_score
    assert any("stopped the grader" in note for note in exiting.notes), exiting.notes


def test_printed_output_is_capped(tmp_path):
    code = ("_old = weighted_sum\ndef weighted_sum(X, weights, bias):\n"
            "    print('z' * 10_000_000)\n    return _old(X, weights, bias) + 1\n")
    result = grade_notebook(hostile_notebook(tmp_path, "print", code))
    failed = [t for t in result.tests if t.function == "weighted_sum" and t.status != "passed"]
    assert len(failed) == 3 and all(t.status == "failed" for t in failed)
    assert all(len(t.output) < 6000 for t in failed)
    assert "more characters of output not shown" in failed[0].output


@pytest.mark.parametrize("content", [b"\x00\x01 not json", b'{"cells": 3}', b"[1, 2]",
                                     b'{"cells": [{"cell_type": "code", "source": 5}]}'])
def test_not_a_notebook(tmp_path, content):
    path = tmp_path / "mallory_01_neuron.ipynb"
    path.write_bytes(content)
    result = grade_notebook(path)
    assert result.exercise == "01_neuron"  # from the file name
    assert result.score == 0 and result.max_score > 0
    assert all(t.status == "error" and "not a valid notebook" in t.output for t in result.tests)


def test_syntax_error_cell_leaves_other_functions_gradable(tmp_path):
    nb = json.loads(SOLUTION.read_text())
    for cell in nb["cells"]:
        if "def sigmoid" in "".join(cell["source"]):
            cell["source"] = "def sigmoid(z)\n    return z\n"
    path = tmp_path / "syntax.ipynb"
    path.write_text(json.dumps(nb))
    result = grade_notebook(path)
    statuses = {t.function: t.status for t in result.tests}
    assert statuses["weighted_sum"] == "passed"
    assert any("SyntaxError" in note for note in result.notes)
    assert all(t.status == "error" for t in result.tests if t.function == "sigmoid")


def test_child_environment_is_minimal(tmp_path):
    code = ("import os, sys\n_old = weighted_sum\n"
            "def weighted_sum(X, weights, bias):\n"
            "    print(sorted(os.environ), os.getcwd(), os.listdir('.'))\n"
            "    return _old(X, weights, bias) + 1\n")
    os.environ["NNLESSONS_SECRET_FOR_TEST"] = "do not leak"
    try:
        result = grade_notebook(hostile_notebook(tmp_path, "env", code))
    finally:
        del os.environ["NNLESSONS_SECRET_FOR_TEST"]
    output = next(t.output for t in result.tests if t.function == "weighted_sum")
    assert "NNLESSONS_SECRET_FOR_TEST" not in output
    # its working folder is the sandbox's own tmpfs, empty but for matplotlib's font list and
    # the mount points of Python's folders when they live below /tmp (a CI checkout there)
    printed = output.split("your function printed:\n")[1].strip()
    listing = eval(printed.split("] /tmp ")[1])
    below_tmp = {Path(root).parts[2] for root in isolation.import_roots()
                 if Path(root).parts[1:2] == ("tmp",)}
    assert set(listing) <= {".matplotlib"} | below_tmp, output


def test_submission_budget_caps_total_time(tmp_path):
    code = ("def weighted_sum(X, weights, bias):\n    while True:\n        pass\n"
            "def sigmoid(z):\n    while True:\n        pass\n")
    import time
    started = time.monotonic()
    result = grade_notebook(hostile_notebook(tmp_path, "slow", code), timeout=1.0, budget=3.0)
    assert time.monotonic() - started < 10
    statuses = [t.status for t in result.tests if t.function in ("weighted_sum", "sigmoid")]
    assert set(statuses) == {"timeout"}
    assert any("used up its 3 s" in t.output for t in result.tests)


def test_other_submissions_keep_their_grades_when_graded_together(tmp_path):
    """A class of hostile notebooks graded in parallel with two correct ones."""
    import subprocess
    import sys
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("os_exit_at_top_level", "allocates_50_gb_numpy", "forges_protocol_messages",
                 "writes_and_deletes_files", "runs_processes_and_signals"):
        hostile_notebook(folder, f"{name}_01_neuron", HOSTILE[name][0])
    (folder / "good1_01_neuron.ipynb").write_text(SOLUTION.read_text())
    (folder / "good2_01_neuron.ipynb").write_text(SOLUTION.read_text())
    out = subprocess.run([sys.executable, "-m", "nnlessons.cli", "grade", str(folder), "--jobs",
                          "2", "--timeout", "2", "--json", str(tmp_path / "g.json")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    grades = {g["student"]: g for g in json.loads((tmp_path / "g.json").read_text())}
    assert len(grades) == 7
    assert grades["good1"]["score"] == grades["good2"]["score"] == FULL_01
    assert (folder / "good1_01_neuron.ipynb").read_text() == SOLUTION.read_text()


def test_without_isolation_grading_still_works_and_says_so(tmp_path):
    """--isolation none (an instructor's explicit choice): same scores, labelled."""
    solved = grade_notebook(SOLUTION, isolation_kind="none")
    assert solved.score == FULL_01 and solved.isolation == "none"
    assert solved.as_dict()["isolation"] == "none"
    code, losing, status, message = HOSTILE["os_exit_in_function"]
    result = grade_notebook(hostile_notebook(tmp_path, "exit", code), isolation_kind="none")
    lost = [t for t in result.tests if t.function == "sigmoid"]
    assert all(t.status == status and message in t.output for t in lost)
    assert all(t.status == "passed" for t in result.tests if t.function == "weighted_sum")
