"""`nnlessons grade`: finding submissions, exit statuses, JSON, CSV, HTML feedback, --tests."""
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nnlessons.grading.cli import find_submissions, student_from_file
from nnlessons.grading.testing import with_extra_cell

ROOT = Path(__file__).resolve().parents[1]
SOLUTION_01 = ROOT / "solutions" / "01_neuron.ipynb"
SOLUTION_02 = ROOT / "solutions" / "02_loss.ipynb"
HIDDEN = ROOT / "instructor" / "graders"
KNOWN = ["01_neuron", "02_loss"]
STATUSES = {"passed", "failed", "error", "timeout"}


def grade(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "nnlessons.cli", "grade", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def test_student_names_from_files():
    assert student_from_file(Path("hw/alice_01_neuron.ipynb"), KNOWN) == "alice"
    assert student_from_file(Path("hw/bob-smith-02_loss.ipynb"), KNOWN) == "bob-smith"
    assert student_from_file(Path("hw/carol/01_neuron.ipynb"), KNOWN) == "carol"
    assert student_from_file(Path("hw/whatever.ipynb"), KNOWN) == "whatever"


def test_find_submissions_in_student_folders_and_flat(tmp_path):
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "01_neuron.ipynb").write_text("{}")
    (tmp_path / "alice" / "deep").mkdir()
    (tmp_path / "alice" / "deep" / "mine.ipynb").write_text("{}")
    (tmp_path / "alice" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "alice" / ".ipynb_checkpoints" / "01_neuron-checkpoint.ipynb").write_text("{}")
    (tmp_path / "bob_02_loss.ipynb").write_text("{}")
    found = {(student, path.relative_to(tmp_path).as_posix())
             for student, path in find_submissions([tmp_path], KNOWN)}
    assert found == {("alice", "alice/01_neuron.ipynb"), ("alice", "alice/deep/mine.ipynb"),
                     ("bob", "bob_02_loss.ipynb")}


def test_bad_usage_exits_2_with_a_message(tmp_path):
    missing = grade(tmp_path / "nowhere")
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    empty = grade(tmp_path)
    assert empty.returncode == 2 and "no notebooks" in empty.stderr
    (tmp_path / "a_01_neuron.ipynb").write_text("{}")
    assert grade(tmp_path, "--jobs", "0").returncode == 2
    assert "no such folder" in grade(tmp_path, "--tests", tmp_path / "nope").stderr
    assert grade().returncode == 2  # argparse: PATH is required


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A class: alice solved 01, bob has a bug in 01 and solved 02, eve<b>&co prints
    HTML, mallory sent a file that is not a notebook, and one notebook has no exercise id."""
    tmp = tmp_path_factory.mktemp("grading")
    submissions = tmp / "submissions"
    for student in ("alice", "bob", "eve<b>&co"):
        (submissions / student).mkdir(parents=True)
    shutil.copy(SOLUTION_01, submissions / "alice" / "01_neuron.ipynb")
    wrong = (ROOT / "tests/fixtures/wrong/01_neuron/sigmoid_sign_error.py").read_text()
    (submissions / "bob" / "homework1.ipynb").write_text(
        json.dumps(with_extra_cell(SOLUTION_01, wrong)))
    shutil.copy(SOLUTION_02, submissions / "bob" / "02_loss.ipynb")
    printer = ("_ws = weighted_sum\ndef weighted_sum(X, weights, bias):\n"
               "    print('<script>alert(1)</script>')\n    return _ws(X, weights, bias) + 1\n")
    (submissions / "eve<b>&co" / "01_neuron.ipynb").write_text(
        json.dumps(with_extra_cell(SOLUTION_01, printer)))
    (submissions / "mallory_01_neuron.ipynb").write_bytes(b"\x89PNG not a notebook")
    anonymous = json.loads(SOLUTION_01.read_text())
    anonymous["metadata"].pop("nnlessons")
    (submissions / "notes.ipynb").write_text(json.dumps(anonymous))
    out = tmp / "out"
    result = grade(submissions, "--json", out / "grades.json", "--csv", out / "book.csv",
                   "--feedback", out / "feedback", "--jobs", "2", cwd=tmp) \
        if out.mkdir() is None else None
    return result, out


def test_grading_runs_and_prints_a_table(graded):
    result, _ = graded
    assert result.returncode == 0, result.stderr
    assert "graded 6/6" in result.stderr  # plain progress lines: stderr is not a terminal
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["student", "exercise", "score"]
    assert any(line.split()[:3] == ["alice", "01_neuron", "28/28"] for line in lines)
    assert any("cannot tell which exercise" in line for line in lines)


def test_json_report(graded):
    _, out = graded
    data = json.loads((out / "grades.json").read_text())
    assert len(data) == 6
    for item in data:
        assert set(item) >= {"student", "exercise", "notebook", "score", "max_score", "tests"}
        for test in item["tests"]:
            assert set(test) >= {"name", "score", "max_score", "status", "output"}
            assert test["status"] in STATUSES
        assert item["score"] == sum(t["score"] for t in item["tests"])
    by = {(d["student"], d["exercise"]): d for d in data}
    assert by[("alice", "01_neuron")]["score"] == by[("alice", "01_neuron")]["max_score"] == 28
    bob = by[("bob", "01_neuron")]
    assert 0 < bob["score"] < bob["max_score"]
    assert {t["name"]: t["status"] for t in bob["tests"]}["sigmoid_values"] == "failed"
    assert by[("bob", "02_loss")]["score"] == by[("bob", "02_loss")]["max_score"] == 27
    mallory = by[("mallory", "01_neuron")]
    assert mallory["score"] == 0 and all(t["status"] == "error" for t in mallory["tests"])
    assert "not a valid notebook" in mallory["tests"][0]["output"]
    assert by[("notes", "?")]["tests"] == []


def test_csv_gradebook(graded):
    _, out = graded
    rows = list(csv.reader((out / "book.csv").open()))
    assert rows[0] == ["student", "01_neuron (/28)", "02_loss (/27)", "total (/55)"]
    table = {row[0]: row[1:] for row in rows[1:]}
    assert table["alice"] == ["28", "", "28"]
    bob_01 = int(table["bob"][0])
    assert table["bob"][1] == "27" and int(table["bob"][2]) == bob_01 + 27
    assert table["mallory"] == ["0", "", "0"]
    assert "notes" not in table


def test_feedback_is_escaped_and_withholds_hidden_tests(graded):
    _, out = graded
    reports = {p.name: p.read_text() for p in (out / "feedback").glob("*.html")}
    assert len(reports) == 6
    eve = reports["eve_b_co_01_neuron.html"]
    assert "<script>" not in eve and "&lt;script&gt;" in eve
    assert "eve&lt;b&gt;&amp;co" in eve and "<b>" not in eve
    bob = reports["bob_01_neuron.html"]
    assert "sigmoid_values" in bob and "hint:" in bob  # a public test: details shown
    assert "hidden test 1 (weighted_sum): <span class=\"passed\">passed</span>" in bob
    # hidden tests: neither their names nor their inputs
    assert "sigmoid_large_inputs" not in bob and "-709.9" not in bob
    assert "hidden test" in bob and "failed" in bob


def test_instructor_tests_are_added(tmp_path):
    extra = tmp_path / "mytests"
    extra.mkdir()
    (extra / "extra_neuron.py").write_text(
        "import numpy as np\nfrom nnlessons.grading.suite import Suite\n"
        "suite = Suite('01_neuron')\n\n"
        "@suite.test(function='sigmoid', points=5, hidden=True, case='all zeros',\n"
        "            hint='sigmoid(0) is one half')\n"
        "def sigmoid_of_zero_is_half(student, expect):\n"
        "    expect.close(student.sigmoid(np.zeros(3)), [0.5, 0.5, 0.5])\n\n"
        "@suite.test(function='sigmoid', points=1, name='sigmoid_values')\n"
        "def clash(student, expect):\n"
        "    expect.true(False, 'this test always fails')\n")
    shutil.copy(SOLUTION_01, tmp_path / "zoe_01_neuron.ipynb")
    result = grade(tmp_path / "zoe_01_neuron.ipynb", "--tests", HIDDEN, "--tests", extra,
                   "--json", tmp_path / "g.json")
    assert result.returncode == 0, result.stderr
    [item] = json.loads((tmp_path / "g.json").read_text())
    tests = {t["name"]: t for t in item["tests"]}
    assert tests["sigmoid_of_zero_is_half"]["score"] == 5
    assert tests["sigmoid_of_zero_is_half"]["case"] == "all zeros"
    assert tests["extra_neuron.sigmoid_values"]["status"] == "failed"
    assert item["max_score"] == 28 + 6 and item["score"] == 28 + 5


def test_a_hidden_test_needs_a_case(tmp_path):
    (tmp_path / "vague.py").write_text(
        "from nnlessons.grading.suite import Suite\nsuite = Suite('01_neuron')\n\n"
        "@suite.test(function='sigmoid', hidden=True)\n"
        "def secret(student, expect):\n    pass\n")
    shutil.copy(SOLUTION_01, tmp_path / "zoe_01_neuron.ipynb")
    result = grade(tmp_path / "zoe_01_neuron.ipynb", "--tests", tmp_path)
    assert result.returncode == 2 and "vague.py could not be loaded" in result.stderr
    assert "hidden test 'secret'" in result.stderr and "case=" in result.stderr
    assert "Traceback" not in result.stderr


def test_grading_without_hidden_tests_is_refused_unless_asked(tmp_path):
    empty = tmp_path / "nothing_here"
    empty.mkdir()
    shutil.copy(SOLUTION_01, tmp_path / "zoe_01_neuron.ipynb")
    refused = grade(tmp_path / "zoe_01_neuron.ipynb", "--tests", empty)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "no hidden tests found" in refused.stderr and str(empty) in refused.stderr
    assert "--tests DIR" in refused.stderr and "--public-only" in refused.stderr
    only_01 = tmp_path / "only_01"
    only_01.mkdir()
    shutil.copy(HIDDEN / "ex01_neuron.py", only_01)
    shutil.copy(SOLUTION_02, tmp_path / "zoe_02_loss.ipynb")
    partly = grade(tmp_path / "zoe_01_neuron.ipynb", tmp_path / "zoe_02_loss.ipynb",
                   "--tests", only_01)
    assert partly.returncode == 2  # 01 graded in full, 02 refused, said on stderr
    assert any(line.split()[:3] == ["zoe", "01_neuron", "28/28"]
               for line in partly.stdout.splitlines())
    assert "no hidden tests found for exercise 02_loss" in partly.stderr
    assert str(only_01) in partly.stderr and "--public-only" in partly.stderr
    (tmp_path / "zoe_02_loss.ipynb").unlink()
    both = grade(tmp_path / "zoe_01_neuron.ipynb", "--tests", HIDDEN, "--public-only")
    assert both.returncode == 2 and "give one of the two" in both.stderr
    public = grade(tmp_path / "zoe_01_neuron.ipynb", "--public-only", "--json",
                   tmp_path / "g.json")
    assert public.returncode == 0, public.stderr
    assert "public tests only" in public.stdout
    [item] = json.loads((tmp_path / "g.json").read_text())
    assert item["max_score"] == item["score"] == 17
    assert not any(t["hidden"] for t in item["tests"])
    assert any("public tests only" in note for note in item["notes"])
