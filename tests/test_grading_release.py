"""`nnlessons release`: solutions/ -> exercises/, markers, determinism, --check."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nnlessons.grading.release import MarkerError, make_exercise, render, stale, strip_cell

ROOT = Path(__file__).resolve().parents[1]


def notebook(*sources, outputs=True):
    cells = []
    for i, source in enumerate(sources):
        if source.startswith("MD:"):
            cells.append({"cell_type": "markdown", "id": f"m{i}", "metadata": {},
                          "source": source[3:]})
        else:
            cells.append({"cell_type": "code", "id": f"c{i}", "metadata": {"execution": {}},
                          "execution_count": 7 if outputs else None,
                          "outputs": [{"name": "stdout", "output_type": "stream",
                                       "text": "hello\n"}] if outputs else [],
                          "source": source})
    return {"cells": cells, "metadata": {"language_info": {"version": "3.11.2"}},
            "nbformat": 4, "nbformat_minor": 5}


SOLVED = ("def f(x):\n    \"\"\"Double x.\"\"\"\n    # BEGIN SOLUTION\n"
          "    # HINT: multiply by two\n    y = 2 * x\n    return y\n    # END SOLUTION\n")


def test_region_becomes_indented_stub_with_hint():
    assert strip_cell(SOLVED, "nb, cell 1") == (
        "def f(x):\n    \"\"\"Double x.\"\"\"\n    raise NotImplementedError(\"multiply by two\")\n")


def test_default_hint_names_the_function():
    source = "def g(x):\n    # BEGIN SOLUTION\n    return x\n    # END SOLUTION"
    stub = strip_cell(source, "nb, cell 1").splitlines()[1:]
    assert stub == ['    raise NotImplementedError(',
                    '        "write the body of g here (see its docstring), then run the check '
                    'below")']


def test_hint_lines_are_joined_and_a_long_stub_is_wrapped_into_the_same_message():
    words = [f"word{i}" for i in range(40)]
    source = ("def g(x):\n    # BEGIN SOLUTION\n    # HINT: " + " ".join(words[:10])
              + "\n    x = 1\n    # HINT: " + " ".join(words[10:]) + "\n    return x\n"
              "    # END SOLUTION")
    words = " ".join(words)
    stub = strip_cell(source, "nb, cell 1")
    lines = stub.split("\n")
    assert max(len(line) for line in lines) <= 88 and len(lines) > 3
    namespace = {}
    exec(stub, namespace)
    with pytest.raises(NotImplementedError) as error:
        namespace["g"](1)
    assert str(error.value) == words


def test_a_short_stub_stays_on_one_line():
    assert len(strip_cell(SOLVED, "nb, cell 1").splitlines()) == 3


def test_nbgrader_markers_are_accepted():
    source = SOLVED.replace("# BEGIN SOLUTION", "### BEGIN SOLUTION").replace(
        "# END SOLUTION", "### END SOLUTION")
    assert strip_cell(source, "nb, cell 1") == strip_cell(SOLVED, "nb, cell 1")
    exercise = make_exercise(notebook("import numpy", source), "01_test")
    assert "return y" not in exercise["cells"][1]["source"]


def test_nbgrader_solution_region_in_markdown_is_an_error():
    with pytest.raises(MarkerError, match="belong in code cells"):
        make_exercise(notebook("MD:### BEGIN SOLUTION\nanswer\n### END SOLUTION", SOLVED),
                      "01_test")


@pytest.mark.parametrize("marker", ["### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"])
def test_nbgrader_hidden_tests_are_refused_with_where_they_belong(marker):
    with pytest.raises(MarkerError) as error:
        make_exercise(notebook(SOLVED, f"assert f(2) == 4\n{marker}\nassert f(3) == 6"),
                      "01_test", "solutions/01_test.ipynb")
    message = str(error.value)
    assert "solutions/01_test.ipynb, cell 2: line 2" in message
    assert "not support" in message and "instructor/graders" in message


def test_several_regions_and_deeper_indentation():
    source = ("def h(x):\n    if x:\n        # BEGIN SOLUTION\n        return 1\n"
              "        # END SOLUTION\n    # BEGIN SOLUTION\n    return 0\n    # END SOLUTION")
    lines = strip_cell(source, "nb, cell 1").splitlines()
    assert lines[2].startswith("        raise NotImplementedError(")
    assert [line for line in lines if "raise" in line][1].startswith(
        "    raise NotImplementedError(")
    assert "return" not in "\n".join(lines)


@pytest.mark.parametrize("source, message", [
    ("# BEGIN SOLUTION\nx = 1\n", "has no '# END SOLUTION' after it"),
    ("x = 1\n# END SOLUTION\n", "without a '# BEGIN SOLUTION' before it"),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n# END SOLUTION\n", "cannot be nested"),
    ("# BEGIN SOLUTIONS\nx = 1\n# END SOLUTION\n", "looks like a marker"),
    ("## BEGIN SOLUTION\nx = 1\n# END SOLUTION\n", "looks like a marker"),
    ("### BEGIN SOLUTION\nx = 1\n", "has no '# END SOLUTION' after it"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "cannot be nested"),
])
def test_malformed_markers_name_notebook_cell_and_line(source, message):
    with pytest.raises(MarkerError) as error:
        make_exercise(notebook("x = 0", source), "01_test", "solutions/01_test.ipynb")
    assert message in str(error.value)
    assert "solutions/01_test.ipynb, cell 2: " in str(error.value) and "line" in str(error.value)


def test_markers_in_markdown_and_missing_regions_are_errors():
    with pytest.raises(MarkerError, match="belong in code cells"):
        make_exercise(notebook("MD:# BEGIN SOLUTION", SOLVED), "01_test")
    with pytest.raises(MarkerError, match="no '# BEGIN SOLUTION' region"):
        make_exercise(notebook("x = 1"), "01_test")


def test_exercise_is_cleared_tagged_and_deterministic():
    exercise = make_exercise(notebook("import numpy", SOLVED), "01_test")
    for cell in exercise["cells"]:
        assert cell["outputs"] == [] and cell["execution_count"] is None
        assert "execution" not in cell["metadata"]
    assert exercise["metadata"]["nnlessons"] == {"exercise": "01_test"}
    # outputs, counts and the executing Python's version do not change a byte
    again = make_exercise(notebook("import numpy", SOLVED, outputs=False), "01_test")
    assert render(exercise) == render(again)


def run_release(*args, cwd):
    return subprocess.run([sys.executable, "-m", "nnlessons.cli", "release", *args], cwd=cwd,
                          capture_output=True, text=True)


def test_release_command_writes_then_check_spots_stale_and_extra_files(tmp_path):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "01_test.ipynb").write_text(json.dumps(notebook(SOLVED)))
    first = run_release(cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    written = (tmp_path / "exercises" / "01_test.ipynb").read_bytes()
    assert run_release(cwd=tmp_path).stdout == ""          # nothing changed, nothing written
    assert run_release("--check", cwd=tmp_path).returncode == 0
    (tmp_path / "exercises" / "01_test.ipynb").write_bytes(written.replace(b"two", b"three"))
    (tmp_path / "exercises" / "09_orphan.ipynb").write_text("{}")
    check = run_release("--check", cwd=tmp_path)
    assert check.returncode == 1
    assert "01_test.ipynb: stale" in check.stderr
    assert "09_orphan.ipynb: should not exist" in check.stderr
    run_release(cwd=tmp_path)
    assert (tmp_path / "exercises" / "01_test.ipynb").read_bytes() == written


def test_release_reports_bad_markers_and_missing_folder(tmp_path):
    assert run_release(cwd=tmp_path).returncode == 2  # no solutions/ here
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "01_bad.ipynb").write_text(
        json.dumps(notebook("# BEGIN SOLUTION\n")))
    bad = run_release(cwd=tmp_path)
    assert bad.returncode == 2
    assert "solutions/01_bad.ipynb, cell 1" in bad.stderr
    assert not (tmp_path / "exercises").exists()


def test_repository_exercises_are_up_to_date():
    assert stale(ROOT / "solutions", ROOT / "exercises") == [], \
        "exercises/ is not what `nnlessons release` writes from solutions/: run it"


def test_released_exercises_are_valid_notebooks_with_their_id():
    import nbformat
    for path in sorted((ROOT / "exercises").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert nb.metadata["nnlessons"]["exercise"] == path.stem
        assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
