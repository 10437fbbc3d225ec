"""No submission can hurt another or the grader: strange names and messages, links, FIFOs, huge
notebooks, formulas and escapes. Each is graded through the real CLI beside a clean solved copy
(alice), whose grade must come out whole; then the same guards are checked function by function.
"""
import csv
import json
import os
import re
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from nnlessons.grading import notebook as nbfile
from nnlessons.grading import report, safe
from nnlessons.grading.cli import search
from nnlessons.grading.grader import Submission
from nnlessons.grading import runner
from nnlessons.grading.suite import SuiteLibrary
from nnlessons.grading.testing import with_extra_cell

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "01_neuron.ipynb"
KNOWN = ["01_neuron", "02_loss"]
FULL = SuiteLibrary().get("01_neuron").max_score   # 01_neuron's maximum, hidden tests included
# bytes no report may contain: ESC, BEL, the 8-bit CSI, NUL
CONTROL_BYTES = [b"\x1b", b"\x07", "\x9b".encode(), b"\x00"]
FORMULA = '=HYPERLINK("evil","click")'
ESCAPES = "\x1b[31mred\x1b]0;pwned\x07"
MB = 1024 * 1024
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def grade(*args, timeout=240):
    """The CLI, bytes out (so that a stray byte is seen as it is)."""
    return subprocess.run([sys.executable, "-m", "nnlessons.cli", "grade", *map(os.fsencode, args)],
                          capture_output=True, timeout=timeout)


def deep_notebook(size):
    """A notebook of `size` bytes that nests lists until it ends: RecursionError when parsed."""
    head = b'{"metadata": {"nnlessons": {"exercise": "01_neuron"}}, "cells": [], "x": '
    return head + b"[" * (size - len(head) - 1) + b"}"


def many_objects_notebook(size):
    """A notebook of `size` bytes holding ~size/3 empty lists: five times its size in memory."""
    head = b'{"metadata": {"nnlessons": {"exercise": "01_neuron"}}, "cells": [], "x": ['
    count = (size - len(head) - 2) // 3
    return head + b",".join([b"[]"] * count) + b"]}"


def magic_lines_notebook(size):
    """A notebook of ~`size` bytes whose one code cell is a Jupyter command on every line."""
    lines = (size - 200) // 6
    return json.dumps({"metadata": {"nnlessons": {"exercise": "01_neuron"}},
                       "cells": [{"cell_type": "code", "source": ["%\n"] * lines}]}).encode()


def add_student(root, name, notebook=SOLUTION):
    """A student folder named `name` (str, or bytes for a name that is not UTF-8) holding
    `notebook` (a path, or the notebook as a dict) as 01_neuron.ipynb."""
    folder = os.path.join(os.fsencode(root), os.fsencode(name))
    os.mkdir(folder)
    target = os.path.join(folder, b"01_neuron.ipynb")
    data = notebook if isinstance(notebook, dict) else json.loads(Path(notebook).read_text())
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    return target


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    """A class folder where every student but alice does something strange, graded once."""
    tmp = tmp_path_factory.mktemp("robust")
    root = tmp / "class"
    root.mkdir()
    add_student(root, "alice")
    # a learner's exception message that no UTF-8 writer accepts
    add_student(root, "surrogate", with_extra_cell(
        SOLUTION, "def sigmoid(z):\n    raise ValueError('\\ud800 and \\x1b[2J')\n"))
    add_student(root, b"caf\xe9")                      # a folder name that is not UTF-8
    add_student(root, FORMULA)                         # a spreadsheet formula as a name
    add_student(root, ESCAPES)                         # terminal escapes as a name
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "fifo_01_neuron.ipynb")       # would hang whoever opens it
    (root / "zero_01_neuron.ipynb").symlink_to("/dev/zero")
    (root / "mallory").symlink_to(ROOT / "solutions", target_is_directory=True)
    (root / "eve").mkdir()
    (root / "eve" / "01_neuron.ipynb").symlink_to(SOLUTION)   # a solved notebook elsewhere
    (root / "deep_01_neuron.ipynb").write_bytes(deep_notebook(2 * MB))
    (root / "objects_01_neuron.ipynb").write_bytes(many_objects_notebook(5 * MB - 1000))
    (root / "oversize_01_neuron.ipynb").write_bytes(b" " * (6 * MB) + b"{}")
    (root / "magics_01_neuron.ipynb").write_bytes(magic_lines_notebook(2 * MB))
    with open(os.path.join(os.fsencode(root), b"\xff_01_neuron.ipynb"), "wb") as handle:
        handle.write(SOLUTION.read_bytes())
    out = tmp / "out"
    out.mkdir()
    result = grade(root, "--json", out / "grades.json", "--csv", out / "book.csv",
                   "--feedback", out / "feedback", "--timeout", "5", timeout=120)
    data = json.loads((out / "grades.json").read_text(encoding="utf-8"))
    by = {}
    for item in data:
        by.setdefault(item["student"], item)
    return result, out, by


def test_the_batch_finishes_with_every_report(hostile_class):
    result, out, by = hostile_class
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert by["alice"]["score"] == by["alice"]["max_score"] == FULL
    assert (out / "book.csv").is_file()
    pages = list((out / "feedback").glob("*.html"))
    assert len(pages) == len(by) == len(json.loads((out / "grades.json").read_text()))
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]  # atomic: nothing left


def test_lone_surrogate_in_a_learners_message_is_shown_not_fatal(hostile_class):
    _, out, by = hostile_class
    sur = by["surrogate"]
    failed = [t for t in sur["tests"] if t["function"] == "sigmoid"]
    assert failed and all(t["status"] == "error" for t in failed)
    assert "\\ud800" in failed[0]["output"]            # shown escaped, visibly
    assert "\\x1b[2J" in failed[0]["output"] and "\x1b" not in failed[0]["output"]
    assert 0 < sur["score"] < FULL                     # weighted_sum still earns its points
    page = (out / "feedback" / "surrogate_01_neuron.html").read_bytes().decode("utf-8")
    assert "\\ud800" in page


def test_names_that_are_not_utf8_or_hold_escapes(hostile_class):
    result, out, by = hostile_class
    assert by["caf\\xe9"]["score"] == FULL and by["\\xff"]["score"] == FULL
    escaped = safe.line(ESCAPES)
    assert by[escaped]["score"] == FULL
    for stream in (result.stdout, result.stderr, (out / "grades.json").read_bytes(),
                   (out / "book.csv").read_bytes()):
        stream.decode("utf-8")                         # valid UTF-8 throughout
        for byte in CONTROL_BYTES:
            assert byte not in stream
    assert escaped.encode() in result.stdout
    for page in (out / "feedback").glob("*.html"):
        for byte in CONTROL_BYTES:
            assert byte not in page.read_bytes()


def test_csv_cells_are_never_formulas(hostile_class):
    _, out, _ = hostile_class
    rows = list(csv.reader((out / "book.csv").open(encoding="utf-8")))
    students = {row[0]: row[1:] for row in rows[1:]}
    assert "'" + FORMULA in students and FORMULA not in students
    assert students["'" + FORMULA] == [str(FULL), str(FULL)]   # the scores stay numbers
    assert all(not row[0].startswith(("=", "+", "-", "@")) for row in rows)
    assert "isolation" not in rows[0]                  # every submission was isolated


@needs_fifo
def test_fifo_is_not_opened(hostile_class):
    _, _, by = hostile_class
    fifo = by["fifo"]
    assert fifo["score"] == 0 and fifo["max_score"] == FULL
    assert "named pipe (FIFO)" in fifo["error"] and fifo["error"].startswith("not graded")


def test_links_are_never_followed(hostile_class):
    _, out, by = hostile_class
    assert by["zero"]["score"] == 0 and "symbolic link" in by["zero"]["error"]
    assert by["eve"]["score"] == 0 and "symbolic link" in by["eve"]["error"]
    mallory = by["mallory"]
    assert mallory["tests"] == [] and "symbolic link" in mallory["error"]
    graded = {item["notebook"] for item in by.values()}
    assert not any(str(ROOT / "solutions") in notebook for notebook in graded)
    page = (out / "feedback" / "eve_01_neuron.html").read_text()
    assert "symbolic link" in page and "not graded" in page


def test_huge_and_deep_notebooks_are_not_graded(hostile_class):
    _, _, by = hostile_class
    assert "too large or too deeply nested" in by["deep"]["error"]
    assert "too large or too deeply nested" in by["objects"]["error"]
    assert "larger than 5 MB" in by["oversize"]["error"]
    assert "more than 100,000 characters" in by["magics"]["error"]
    for name in ("deep", "objects", "oversize", "magics"):
        item = by[name]
        assert item["score"] == 0 and item["max_score"] == FULL
        assert all(t["status"] == "error" for t in item["tests"])


def _peak_rss_grading(notebook, tmp_path):
    probe = ("import resource, sys\nfrom nnlessons.cli import main\n"
             "status = main(['grade', sys.argv[1], '--timeout', '5'])\n"
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\nsys.exit(status)\n")
    done = subprocess.run([sys.executable, "-c", probe, str(notebook)], capture_output=True,
                          text=True, timeout=240, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1]) * 1024   # ru_maxrss is in KB on Linux


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss units differ")
def test_a_2_mb_hostile_notebook_does_not_grow_the_grader(tmp_path):
    clean = tmp_path / "alice_01_neuron.ipynb"
    clean.write_bytes(SOLUTION.read_bytes())
    hostile = tmp_path / "mallory_01_neuron.ipynb"
    hostile.write_bytes(magic_lines_notebook(2 * MB))
    growth = _peak_rss_grading(hostile, tmp_path) - _peak_rss_grading(clean, tmp_path)
    assert growth < 40 * MB, f"grading a 2 MB notebook grew the grader by {growth / MB:.0f} MB"


def test_a_path_that_is_not_a_notebook_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("my notes")
    result = grade(tmp_path / "notes.txt")
    assert result.returncode == 2
    assert b"notes.txt: not a notebook: expected a notebook (.ipynb)" in result.stderr
    assert result.stdout == b""
    (tmp_path / "empty").mkdir()
    empty = grade(tmp_path / "empty")
    assert empty.returncode == 2 and b"no notebooks (*.ipynb)" in empty.stderr


def test_good_and_bad_paths_grade_the_good_and_exit_2(tmp_path):
    (tmp_path / "notes.txt").write_text("my notes")
    good = tmp_path / "bob_01_neuron.ipynb"
    good.write_bytes(SOLUTION.read_bytes())
    strange = tmp_path / os.fsdecode(b"\x1b[2J\xff.txt")
    strange.write_text("x")
    result = grade(tmp_path / "notes.txt", good, strange, tmp_path / "missing",
                   "--json", tmp_path / "g.json")
    assert result.returncode == 2
    [item] = json.loads((tmp_path / "g.json").read_text())
    assert item["student"] == "bob" and item["score"] == FULL
    err = result.stderr
    assert b"notes.txt: not a notebook" in err and b"missing: no such file or folder" in err
    assert b"\\x1b[2J\\xff.txt: not a notebook" in err and b"\x1b" not in err
    assert b"3 of the PATHs given held no notebook" in err


def test_report_paths_that_are_links_or_fifos_are_refused(tmp_path):
    notebook = tmp_path / "bob_01_neuron.ipynb"
    notebook.write_bytes(SOLUTION.read_bytes())
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    (tmp_path / "grades.json").symlink_to(precious)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "book.csv")
    result = grade(notebook, "--json", tmp_path / "grades.json", "--csv", tmp_path / "book.csv",
                   "--feedback", tmp_path / "feedback", timeout=120)
    assert result.returncode == 2
    assert precious.read_text() == "keep me" and (tmp_path / "grades.json").is_symlink()
    err = result.stderr.decode()
    assert "grades.json: refusing to write a report there: it is a symbolic link" in err
    if hasattr(os, "mkfifo"):
        assert "book.csv: refusing to write a report there: it is a named pipe" in err
        assert stat.S_ISFIFO(os.lstat(tmp_path / "book.csv").st_mode)
    assert (tmp_path / "feedback" / "bob_01_neuron.html").is_file()   # the others are written
    assert not [p for p in tmp_path.rglob("*.tmp")]


# ---- the same guards, function by function ----------------------------------------------------

def test_safe_text_line_cell_html_plain():
    assert safe.text("a\ud800b") == "a\\ud800b"
    assert safe.text(os.fsdecode(b"caf\xe9")) == "caf\\xe9"
    assert safe.text("x\x1b[31my\x9b2J\x00z\n\tok") == "x\\x1b[31my\\x9b2J\\x00z\n\tok"
    assert safe.text("abc\u202edef") == "abc\\u202edef"   # bidirectional override
    assert safe.line("two\nlines\r\t") == "two\\nlines\\r\\t"
    assert safe.path(b"\xff\x1b.ipynb") == "\\xff\\x1b.ipynb"
    assert safe.text("x" * 50, limit=10) == "x" * 10 + "... [40 more characters]"
    assert safe.line("x" * 500).endswith("[300 more characters]")
    assert [safe.cell(v) for v in ["=1+1", "+1", "-1", "@SUM(A1)", "bob", "José", 7, 2.5]] == \
        ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "bob", "José", 7, 2.5]
    assert safe.cell("\t=1") == "\\t=1" and safe.cell("\r=1") == "\\r=1"  # escaped: inert
    assert safe.cell(float("nan")) == ""
    assert safe.html('<a href="x">\ud800</a>') == "&lt;a href=&quot;x&quot;&gt;\\ud800&lt;/a&gt;"
    data = safe.plain({"a\ud800": [1, float("inf"), "\x1b", ("t",), None, True, object()]})
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    text.encode("utf-8")
    assert json.loads(text)["a\\ud800"][:6] == [1, None, "\\x1b", ["t"], None, True]


def hostile_submission(isolation=None):
    """A Submission with hostile strings in every field."""
    evil = "\ud800\x1b[2J\x9b31m\x00<script>alert(1)</script>=cmd|' /C calc'!A0\u202e"
    public = runner.TestResult("<img src=x onerror=alert(1)>" + evil, "f" + evil, 2, False, "failed",
                        "got " + evil, [evil])
    hidden = runner.TestResult("secret_case_name", "g", 3, True, "failed", "SECRET INPUT z=[-1000]", [])
    submission = Submission("=" + evil, "01_neuron", os.fsdecode(b"\xff\x1b.ipynb") + evil,
                            tests=[public, hidden], notes=["note " + evil], error="err " + evil)
    if isolation is not None:
        submission.isolation = isolation
    return submission


def _assert_harmless(output):
    raw = output.encode("utf-8")                      # raises on a lone surrogate
    for byte in CONTROL_BYTES:
        assert byte not in raw


def test_every_report_survives_hostile_strings_everywhere(tmp_path):
    hostile, clean = hostile_submission(), Submission("alice", "01_neuron", "a.ipynb", tests=[
        runner.TestResult("t", "f", 2, False, "passed")])
    _assert_harmless(report.table([hostile, clean]))
    report.write_json([hostile, clean], tmp_path / "g.json")
    report.write_csv([hostile, clean], tmp_path / "g.csv")
    pages = report.write_feedback([hostile, clean], tmp_path / "fb")
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert [d["student"] for d in data][1] == "alice" and data[0]["max_score"] == 5
    assert data[0]["isolation"] == "bubblewrap"
    rows = list(csv.reader((tmp_path / "g.csv").open(encoding="utf-8")))
    assert rows[1][0].startswith("'=") and rows[2] == ["alice", "2", "2"]
    for path in [tmp_path / "g.json", tmp_path / "g.csv", *pages]:
        _assert_harmless(path.read_text(encoding="utf-8"))
    page = pages[0].read_text()
    assert "<script>" not in page and "<img" not in page and "&lt;script&gt;" in page
    assert "SECRET" not in page and "secret_case_name" not in page
    assert "hidden test 1 (g): <span class=\"failed\">failed</span> (0/3)" in page
    assert all(p.name.isascii() and len(p.name) <= 105 for p in pages)


def test_one_broken_submission_does_not_stop_the_others(tmp_path):
    class Broken(Submission):
        def as_dict(self):
            raise RuntimeError("\ud800 boom")

    broken = Broken("mallory", "01_neuron", "m.ipynb", tests=[object()])
    clean = Submission("alice", "01_neuron", "a.ipynb")
    report.write_json([broken, clean], tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text())
    assert "could not write this result" in data[0]["error"] and data[1]["student"] == "alice"
    pages = report.write_feedback([broken, clean], tmp_path / "fb")
    assert "could not write this report" in pages[0].read_text() and len(pages) == 2


def test_isolation_none_is_said_everywhere(tmp_path):
    unisolated, isolated = hostile_submission("none"), hostile_submission("bubblewrap")
    isolated.student = "bob"
    warning = report.isolation_warning([unisolated, isolated])
    assert "1 of 2 submissions were graded WITHOUT ISOLATION" in warning
    assert report.isolation_warning([isolated]) is None
    data = json.loads(report.json_text([unisolated, isolated]))
    assert [d["isolation"] for d in data] == ["none", "bubblewrap"]
    rows = list(csv.reader(report.csv_text([unisolated, isolated]).splitlines()))
    assert rows[0][-1] == "isolation"
    assert {row[0]: row[-1] for row in rows[1:]}["bob"] == "bubblewrap"
    assert rows[1][-1] == "none"
    assert "Graded without isolation" in report.feedback_html(unisolated)
    assert "without isolation" not in report.feedback_html(isolated)


def test_the_terminal_warns_before_and_after_the_table(tmp_path, monkeypatch, capsys):
    from nnlessons.cli import main
    from nnlessons.grading import cli

    def ungraded_sandbox(path, student, **_):
        result = Submission(student, "01_neuron", str(path),
                            tests=[runner.TestResult("t", "f", 1, False, "passed")])
        result.isolation = "none"
        return result

    monkeypatch.setattr(cli, "grade_notebook", ungraded_sandbox)
    (tmp_path / "bob_01_neuron.ipynb").write_text("{}")
    assert main(["grade", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    table_start = next(i for i, line in enumerate(lines) if line.startswith("student"))
    assert "WITHOUT ISOLATION" in lines[table_start - 1]
    assert "WITHOUT ISOLATION" in lines[table_start + 3]   # header, rule, bob, warning


def test_hidden_tests_show_only_their_learner_view():
    class WithView(runner.TestResult):
        def learner_view(self):
            return {"function": self.function, "status": self.status, "score": self.score,
                    "max_score": self.points, "case": "very large inputs <z>",
                    "hint": "np.exp overflows"}

    hidden = WithView("sigmoid_large_inputs", "sigmoid", 2, True, "failed",
                      "z=[-1000, 1000] expected [0, 1]", ["z=[-1000, 1000]"])
    page = report.feedback_html(Submission("bob", "01_neuron", "b.ipynb", tests=[hidden]))
    assert "case: very large inputs &lt;z&gt;" in page and "hint: np.exp overflows" in page
    assert "z=[-1000" not in page and "sigmoid_large_inputs" not in page


def test_atomic_write_leaves_no_half_file(tmp_path):
    target = tmp_path / "grades.json"
    target.write_text("the old, complete report")
    target.chmod(0o640)
    with pytest.raises(UnicodeEncodeError):   # fails after part of the text is written
        report.write_atomic(target, "x" * 100_000 + "\ud800")
    assert target.read_text() == "the old, complete report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.json"]
    report.write_atomic(target, "new")
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o640
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(report.ReportError, match="symbolic link"):
        report.write_atomic(tmp_path / "link", "through the link")
    assert target.read_text() == "new"
    (tmp_path / "pages").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(report.ReportError, match="symbolic link"):
        report.write_feedback([Submission("a", "01_neuron", "a.ipynb")], tmp_path / "pages")
    assert not list(tmp_path.glob("*.html"))


def test_search_never_follows_links_or_opens_special_files(tmp_path):
    root = tmp_path / "class"
    root.mkdir()
    (root / "01_neuron.ipynb").write_bytes(SOLUTION.read_bytes())   # belongs to "class"
    add_student(root, "alice")
    (root / "alice" / "sub").mkdir()
    (root / "alice" / "sub" / "more.ipynb").write_text("{}")
    (root / "alice" / "linked").symlink_to(ROOT / "solutions", target_is_directory=True)
    (root / "alice" / "02_loss.ipynb").symlink_to(ROOT / "solutions" / "02_loss.ipynb")
    (root / "mallory").symlink_to(ROOT / "solutions", target_is_directory=True)
    (root / "zero_01_neuron.ipynb").symlink_to("/dev/zero")
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe_01_neuron.ipynb")
    (root / "readme.txt").write_text("not a notebook")
    found = search([root], KNOWN)
    graded = {(s, p.relative_to(root).as_posix()) for s, p in found.submissions}
    assert graded == {("class", "01_neuron.ipynb"), ("alice", "alice/01_neuron.ipynb"),
                      ("alice", "alice/sub/more.ipynb")}
    refused = {(s, p.relative_to(root).as_posix()): why for s, p, why in found.refused}
    assert set(refused) >= {("alice", "alice/02_loss.ipynb"), ("mallory", "mallory"),
                            ("zero", "zero_01_neuron.ipynb")}
    assert all("symbolic link" in refused[key] for key in
               [("alice", "alice/02_loss.ipynb"), ("mallory", "mallory"),
                ("zero", "zero_01_neuron.ipynb")])
    if hasattr(os, "mkfifo"):
        assert "named pipe" in refused[("pipe", "pipe_01_neuron.ipynb")]
    assert found.bad_paths == []
    bad = search([root / "readme.txt", root / "mallory", tmp_path / "nowhere"], KNOWN)
    assert [why.split(":")[0].split(";")[0] for _, why in bad.bad_paths] == \
        ["not a notebook", "it is a symbolic link", "no such file or folder"]


@needs_fifo
def test_read_refuses_links_fifos_devices_and_big_files(tmp_path):
    os.mkfifo(tmp_path / "pipe.ipynb")
    # in a child with a deadline: opening a FIFO that has no writer would wait forever
    probe = ("import sys\nfrom nnlessons.grading import notebook\ntry:\n"
             "    notebook.read(sys.argv[1])\nexcept notebook.NotANotebook as error:\n"
             "    print(error)\n")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "pipe.ipynb")],
                          capture_output=True, text=True, timeout=60)
    assert "it is a named pipe (FIFO), not a regular file" in done.stdout, done.stderr
    (tmp_path / "zero.ipynb").symlink_to("/dev/zero")
    (tmp_path / "big.ipynb").write_bytes(b" " * (nbfile.MAX_NOTEBOOK_BYTES + 1))
    cases = {"zero.ipynb": "symbolic link", "big.ipynb": "larger than 5 MB"}
    for name, message in cases.items():
        with pytest.raises(nbfile.NotANotebook, match=re.escape(message)):
            nbfile.read(tmp_path / name)
    with pytest.raises(nbfile.NotANotebook, match="a device"):
        nbfile.read("/dev/zero")
    # a folder on the way that is a link: refused when the notebook must be inside a folder
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "bob").symlink_to(ROOT / "solutions", target_is_directory=True)
    with pytest.raises(nbfile.NotANotebook, match="symbolic link"):
        nbfile.read(tmp_path / "class" / "bob" / "01_neuron.ipynb", inside=tmp_path / "class")
    with pytest.raises(nbfile.NotANotebook, match="not inside"):
        nbfile.read(SOLUTION, inside=tmp_path / "class")
    data = nbfile.read(SOLUTION, inside=SOLUTION.parent)
    assert data["metadata"]["nnlessons"]["exercise"] == "01_neuron"


def test_parse_runs_within_a_budget(monkeypatch):
    data = nbfile.parse(SOLUTION.read_bytes())
    original = json.loads(SOLUTION.read_text())
    assert [c["source"] for c in data["cells"]] == [
        "".join(c["source"]) for c in original["cells"] if c["cell_type"] == "code"]
    assert data["metadata"] == {"nnlessons": {"exercise": "01_neuron"}}
    with pytest.raises(nbfile.NotANotebook, match="too large or too deeply nested"):
        nbfile.parse(deep_notebook(100_000))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(nbfile.NotANotebook, match="too large or too deeply nested"):
        nbfile.parse(many_objects_notebook(5 * MB - 1000))   # ~150 MB once parsed
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 30 * 1024
    monkeypatch.setattr(nbfile, "PARSE_MEMORY", 40 * MB)
    with pytest.raises(nbfile.NotANotebook, match="too large or too deeply nested"):
        nbfile.parse(many_objects_notebook(2 * MB))   # ~60 MB once parsed
    for raw, message in [(b"\x89PNG", "not JSON"), (b'{"cells": 3}', "no list of cells"),
                         (b'{"cells": [1]}', "a cell is not an object"),
                         (b'{"cells": [{"cell_type": "code", "source": [1]}]}', "not text")]:
        with pytest.raises(nbfile.NotANotebook, match=message):
            nbfile.parse(raw)
    surrogate = nbfile.parse(b'{"cells": [{"cell_type": "code", "source": "x = \\"\\ud800\\""}]}')
    assert surrogate["cells"][0]["source"] == 'x = "\ud800"' and surrogate["metadata"] == {}


def test_code_cells_are_bounded():
    lines = {"cells": [{"cell_type": "code", "source": "%time 1\n" * 500}]}
    sources, notes = nbfile.code_cells(lines)
    assert len(notes) == nbfile.MAX_NOTES + 1 and notes[-1].startswith("... and 480 more")
    with pytest.raises(nbfile.NotANotebook, match="more than 100,000 characters"):
        nbfile.code_cells({"cells": [{"cell_type": "code", "source": "a\n" * 50_001}]})
    with pytest.raises(nbfile.NotANotebook, match="more than 1000 code cells"):
        nbfile.code_cells({"cells": [{"cell_type": "code", "source": ""}] * 1001})
