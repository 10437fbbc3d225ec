"""What learners install holds no secret, and grading still has them all.

The wheel is built from a copy of this repository (as `pip install` builds it) and unpacked into a
folder that stands for a learner's site-packages, with no instructor folder anywhere near it. The
tests check that the wheel holds no file of instructor/, no hidden test, no reference answer and
no name of a hidden test or of a reference function; that the self-check works from it exactly as
from the checkout; and that grading from it gives the full points with the instructor's graders,
refuses without them, and grades the public tests only when asked to, saying so.
"""
import ast
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HIDDEN = ROOT / "instructor" / "graders"
EXERCISES = ["01_neuron", "02_loss", "03_derivative", "04_gradient_descent", "05_backprop",
             "06_batches", "07_overfitting", "08_activations", "09_capstone"]
# the points of each exercise, public and hidden tests together
TOTALS = {"01_neuron": 28, "02_loss": 27, "03_derivative": 32, "04_gradient_descent": 43,
          "05_backprop": 51, "06_batches": 64, "07_overfitting": 56, "08_activations": 82,
          "09_capstone": 61}
# what the build leaves behind or what is not the project's (never in a wheel)
NOT_SOURCES = shutil.ignore_patterns(".git", ".ci-venv", ".venv", "build", "dist", "*.egg-info",
                                     "__pycache__", ".ipynb_checkpoints", "test-artifacts")


def backend_can_build():
    """pyproject.toml builds with hatchling 1.27 or later (its license field); without one
    installed here, the build must fetch its own (pip's build isolation)."""
    try:
        version = importlib.metadata.version("hatchling").split(".")
        return (int(version[0]), int(version[1])) >= (1, 27)
    except (importlib.metadata.PackageNotFoundError, ValueError, IndexError):
        return False


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """(the wheel's file names, the folder it is unpacked in)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)  # the build writes into its source tree
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir",
               str(tmp / "dist"), str(source)]
    if backend_can_build():
        command.insert(4, "--no-build-isolation")
    built = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, f"the wheel did not build:\n{built.stdout}\n{built.stderr}"
    [path] = (tmp / "dist").glob("nnlessons-*.whl")
    site = tmp / "site"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        archive.extractall(site)  # a pure-Python wheel installs as exactly these files
    return names, site


def run_installed(site, *args, cwd):
    """`python *args` seeing the unpacked wheel instead of the checkout."""
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=900)


def grade_installed(site, tmp_path, *args):
    out = tmp_path / "grades.json"
    result = run_installed(site, "-m", "nnlessons.cli", "grade", *args, "--json", out,
                           cwd=tmp_path)
    return result, (json.loads(out.read_text()) if out.exists() else None)


def shipped_python(names, site):
    return {name: (site / name).read_text(encoding="utf-8") for name in names
            if name.endswith(".py")}


def shipped_text(names, site):
    texts = {}
    for name in names:
        try:
            texts[name] = (site / name).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            pass  # the data files (.npz)
    return texts


def hidden_modules():
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(HIDDEN.glob("*.py"))}


def test_the_hidden_modules_are_found_and_read():
    """The searches below look for what these modules define: they must find it there."""
    modules = hidden_modules()
    assert sorted(modules) == [f"ex{e}" for e in EXERCISES]
    for source in modules.values():
        assert hidden_test_names(source) and "hidden=True" in source and hidden_inputs(source)
    defined = set().union(*(secret_names(source) for source in modules.values()))
    assert {"reference_gradients", "reference_standardize", "reference_step",
            "reference_epoch", "reference_path"} <= defined


def hidden_test_names(source):
    """The names of the tests a module registers with `@suite.test(...)`."""
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "attr", None) == "test"
                for d in node.decorator_list):
            names.append(node.name)
    return names


def secret_names(source):
    """What a hidden module defines that must not be in the wheel: its tests, its reference
    functions and its other helpers (those with a name distinctive enough to search for)."""
    tree = ast.parse(source)
    imported = {alias.asname or alias.name for node in tree.body
                if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            and "_" in node.name and node.name not in imported}


def hidden_inputs(source):
    """The descriptions of the inputs hidden tests use: every `inputs="..."` written out whole
    (the fixed parts of f-strings are too short and common to search for)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg == "inputs" and \
                isinstance(node.value, ast.Constant) and len(str(node.value.value)) >= 20:
            found.add(node.value.value)
    return found


def test_the_wheel_ships_the_package_and_the_public_suites(wheel):
    names, _ = wheel
    for exercise in EXERCISES:
        assert f"nnlessons/grading/suites/ex{exercise}.py" in names
    assert "nnlessons/grading/selfcheck.py" in names and "nnlessons/cli.py" in names
    assert any(name.startswith("nnlessons/_data/") and name.endswith(".npz") for name in names)
    assert all(name.startswith(("nnlessons/", "nnlessons-")) for name in names), \
        [name for name in names if not name.startswith(("nnlessons/", "nnlessons-"))]
    # the file that enables the course's Jupyter server extension, installed into the
    # environment's etc/jupyter/jupyter_server_config.d (nnlessons/server_extension.py)
    enabling = [name for name in names
                if name.endswith("/data/etc/jupyter/jupyter_server_config.d/nnlessons.json")]
    assert len(enabling) == 1 and "nnlessons/server_extension.py" in names


def test_no_file_of_instructor_is_in_the_wheel(wheel):
    names, site = wheel
    assert not [name for name in names if "instructor" in name.split("/")]
    secret = {hashlib.sha256(path.read_bytes()).hexdigest(): path.relative_to(ROOT)
              for path in (ROOT / "instructor").rglob("*") if path.is_file()
              and "__pycache__" not in path.parts}
    assert secret, "instructor/ is empty?"
    copies = {name: secret[digest] for name in names
              if (digest := hashlib.sha256((site / name).read_bytes()).hexdigest()) in secret}
    assert not copies, f"files of the wheel that are copies of instructor files: {copies}"


def test_no_hidden_test_and_no_reference_answer_is_in_the_wheel(wheel):
    names, site = wheel
    for name, source in shipped_python(names, site).items():
        assert not re.search(r"hidden\s*=\s*True", source), f"{name} holds a hidden test"
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert not node.name.startswith("reference_"), \
                    f"{name} defines {node.name}, a reference answer"
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "test":
                for keyword in node.keywords:  # @suite.test(..., hidden=...)
                    assert keyword.arg != "hidden" or (isinstance(keyword.value, ast.Constant)
                                                       and keyword.value.value is False), \
                        f"{name} line {node.lineno}: a test that may be hidden"


def test_no_name_or_input_of_a_hidden_test_is_in_the_wheel(wheel):
    names, site = wheel
    texts = shipped_text(names, site)
    shipped_strings = {node.value for source in shipped_python(names, site).values()
                       for node in ast.walk(ast.parse(source))
                       if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    for stem, source in hidden_modules().items():
        secrets = secret_names(source)
        assert set(hidden_test_names(source)) <= secrets
        for secret in sorted(secrets):
            pattern = re.compile(rf"\b{re.escape(secret)}\b")
            leaks = [name for name, text in texts.items() if pattern.search(text)]
            assert not leaks, f"{secret} (instructor/graders/{stem}.py) is named in {leaks}"
        leaks = hidden_inputs(source) & shipped_strings
        assert not leaks, f"inputs of hidden tests ({stem}) written in the wheel: {leaks}"


def test_public_suites_import_no_reference_code():
    """A public test stores its expected values: it has no use for the course's reference code,
    only for NumPy, the lessons' data (inputs) and the grading helpers."""
    for exercise in EXERCISES:
        path = ROOT / "nnlessons" / "grading" / "suites" / f"ex{exercise}.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [f"{node.module}.{alias.name}" if node.module == "nnlessons"
                           else node.module for alias in node.names]
            else:
                continue
            for module in modules:
                assert module in ("numpy", "nnlessons.data") or \
                    module.startswith("nnlessons.grading."), \
                    f"{path.name} imports {module}: store the expected values instead " \
                    f"(python instructor/expected_values.py {exercise} ...)"


def test_the_shipped_suites_are_public_and_count_the_hidden_tests(wheel, tmp_path):
    _, site = wheel
    script = ("import json, nnlessons\n"
              "from nnlessons.grading.suite import load_suite, shipped_exercises\n"
              "print(json.dumps({'package': nnlessons.__file__, 'suites': {e: {\n"
              "    'hidden': [t.name for t in load_suite(e).tests if t.hidden],\n"
              "    'public_points': sum(t.points for t in load_suite(e).tests),\n"
              "    'hidden_counts': load_suite(e).hidden_counts} for e in shipped_exercises()}}))")
    result = run_installed(site, "-c", script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert Path(found["package"]).is_relative_to(site)
    assert sorted(found["suites"]) == EXERCISES
    from nnlessons.grading.suite import load_test_dir
    hidden = load_test_dir(HIDDEN)
    for exercise, suite in found["suites"].items():
        assert suite["hidden"] == []
        [(_, instructor)] = hidden[exercise]
        counts = {}
        for test in instructor.tests:
            counts[test.function] = counts.get(test.function, 0) + 1
        assert suite["hidden_counts"] == counts, exercise
        assert suite["public_points"] + instructor.max_score == TOTALS[exercise]


def notebook_code(path):
    """The code cells of a notebook, Jupyter magics made into `pass` (same indentation)."""
    cells = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        source = re.sub(r"^(\s*)[%!].*$", r"\1pass", source, flags=re.M)
        stored = "".join("".join(o.get("text", "")) for o in cell.get("outputs", [])
                         if o.get("output_type") == "stream")
        cells.append((source, stored))
    return cells


SELF_CHECKS = r'''
import contextlib, io, json, sys
import matplotlib
matplotlib.use("Agg")
cells = json.load(sys.stdin)
namespace = {"__name__": "__main__"}
printed = []
for source, _ in cells:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<cell>", "exec"), namespace)
    printed.append(out.getvalue())
print(json.dumps(printed))
'''


@pytest.mark.parametrize("exercise", EXERCISES)
def test_self_checks_print_the_same_from_the_installed_wheel(wheel, tmp_path, exercise):
    """Every self-check cell of the solution prints what the stored notebook shows, from a
    package with no instructor folder near it."""
    _, site = wheel
    cells = notebook_code(ROOT / "solutions" / f"{exercise}.ipynb")
    env = {**os.environ, "PYTHONPATH": str(site), "MPLBACKEND": "Agg"}
    result = subprocess.run([sys.executable, "-c", SELF_CHECKS], input=json.dumps(cells),
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout.splitlines()[-1])
    checks = [(source, stored, got) for (source, stored), got in zip(cells, printed)
              if source.lstrip().startswith("check(")]
    assert checks, f"solutions/{exercise}.ipynb has no self-check cell"
    for source, stored, got in checks:
        assert "hidden test" in got or "none are hidden" in got
        assert got == stored, f"{source}: printed\n{got}\nbut the notebook stores\n{stored}"


def test_grading_from_the_wheel_with_the_instructor_graders_gives_full_points(wheel, tmp_path):
    _, site = wheel
    result, graded = grade_installed(site, tmp_path, ROOT / "solutions", "--tests", HIDDEN)
    assert result.returncode == 0, result.stderr
    assert {item["exercise"]: (item["score"], item["max_score"]) for item in graded} == \
        {exercise: (total, total) for exercise, total in TOTALS.items()}
    for item in graded:
        hidden = [t for t in item["tests"] if t["hidden"]]
        assert hidden and all(t["case"] and t["hint"] for t in hidden)
        assert not any("public tests only" in note for note in item["notes"])


def test_grading_from_the_wheel_alone_is_refused(wheel, tmp_path):
    _, site = wheel
    result, graded = grade_installed(site, tmp_path, ROOT / "solutions" / "01_neuron.ipynb")
    assert result.returncode == 2 and graded is None and result.stdout == ""
    message = result.stderr
    assert "no hidden tests found" in message and "Traceback" not in message
    assert str(site / "instructor" / "graders") in message  # where it looked
    assert "--tests DIR" in message and "--public-only" in message  # what to pass


def test_public_only_grading_gives_the_public_points_and_says_so(wheel, tmp_path):
    _, site = wheel
    result, graded = grade_installed(site, tmp_path, ROOT / "solutions", "--public-only")
    assert result.returncode == 0, result.stderr
    assert "graded with the public tests only" in result.stdout
    from nnlessons.grading.suite import load_suite
    for item in graded:
        public = load_suite(item["exercise"])
        assert item["score"] == item["max_score"] == public.max_score < TOTALS[item["exercise"]]
        assert [t["name"] for t in item["tests"]] == [t.name for t in public.tests]
        assert any("public tests only" in note for note in item["notes"])
    assert len(graded) == len(EXERCISES)
