"""`nnlessons gradescope`: the zip it builds, and its run_autograder run in a temporary folder
standing in for Gradescope's /autograder, checked against Gradescope's documented results.json."""
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from nnlessons.cli import main
from nnlessons.grading import gradescope
from nnlessons.grading.runner import TestResult as Result
from nnlessons.grading.grader import Submission
from nnlessons.grading.suite import SuiteLibrary

ROOT = Path(__file__).resolve().parents[1]
EXERCISE = "01_neuron"

# An extra hidden test that fails even on the solution, with feedback full of values that must
# never reach a student: it shows the instructor's --tests folder travels in the zip, and that a
# hidden test's feedback stays out of results.json.
CANARY = '''\
from nnlessons.grading.suite import Suite

suite = Suite("01_neuron")


@suite.test(function="weighted_sum", points=1, hidden=True, case="one very large input",
            hint="look at what a very large input does")
def canary_secret_case(student, expect):
    got = student.weighted_sum([[27182.818]], [1.0], 0.0)
    expect.close(got, [31415.926], inputs="X=[[27182.818]] CANARY-INPUT",
                 hint="CANARY-HINT-FROM-FEEDBACK")
'''
OTHER = CANARY.replace('"01_neuron"', '"02_loss"').replace("weighted_sum", "mse")
SECRETS = ("CANARY", "27182", "31415", "input:", "expected:", "got:")

# Gradescope's documented results.json: the keys it reads at the top and on each test
TOP_KEYS = {"score", "execution_time", "output", "output_format", "test_output_format",
            "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
            "leaderboard"}
TEST_KEYS = {"name", "score", "max_score", "status", "output", "visibility"}
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "simple_format", "html", "md", "ansi"}


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_schema(data):
    """results.json as Gradescope documents it: types, allowed values, and a total that is the
    sum of the tests' scores."""
    assert set(data) <= TOP_KEYS, f"keys Gradescope does not know: {set(data) - TOP_KEYS}"
    assert {"score", "execution_time", "output", "tests"} <= set(data)
    assert is_number(data["score"]) and data["score"] >= 0
    assert isinstance(data["execution_time"], int) and data["execution_time"] >= 0
    assert isinstance(data["output"], str) and data["output"]
    assert data.get("stdout_visibility", "hidden") in VISIBILITIES
    for key in ("output_format", "test_output_format", "test_name_format"):
        assert data.get(key, "text") == "text", "learner text must not be rendered as HTML"
    assert isinstance(data["tests"], list)
    for test in data["tests"]:
        assert set(test) == TEST_KEYS, test
        assert isinstance(test["name"], str) and test["name"]
        assert isinstance(test["output"], str)
        assert is_number(test["score"]) and is_number(test["max_score"])
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert (test["status"] == "passed") == (test["score"] == test["max_score"])
        assert test["visibility"] in ("visible", "after_published")
    assert data["score"] == pytest.approx(sum(t["score"] for t in data["tests"]))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gradescope")
    graders = folder / "graders"
    graders.mkdir()
    (graders / "canary01.py").write_text(CANARY, encoding="utf-8")
    (graders / "other02.py").write_text(OTHER, encoding="utf-8")
    out = folder / "autograder.zip"
    assert main(["gradescope", EXERCISE, "--out", str(out), "--tests", str(graders)]) == 0
    # what the zip grades with: the checkout's hidden tests and the canary folder
    suite = SuiteLibrary([str(ROOT / "instructor" / "graders"), str(graders)]).get(EXERCISE)
    return {"zip": out, "suite": suite}


def unpack(archive, target):
    """Unzip as Gradescope does, keeping each member's Unix mode (zipfile alone drops it)."""
    with zipfile.ZipFile(archive) as opened:
        for info in opened.infolist():
            path = Path(opened.extract(info, target))
            os.chmod(path, (info.external_attr >> 16) & 0o777)


def layout(built, tmp_path, notebooks=()):
    """/autograder laid out in tmp_path as Gradescope does: source/ (the zip), submission/ (the
    student's `notebooks`, {name: path}), results/. Returns its root."""
    root = tmp_path / "autograder"
    unpack(built["zip"], root / "source")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    for name, path in dict(notebooks).items():
        (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "submission" / name).write_bytes(Path(path).read_bytes())
    return root


def run_autograder(root, python=sys.executable):
    """Run root/source/run_autograder with the zip's own copy of the package first on the path;
    returns (results.json, stdout) after checking results.json against the schema."""
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), NNLESSONS_PYTHON=str(python),
               PYTHONPATH=str(root / "source" / "package"))
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env, cwd=root.parent,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    results = root / "results" / "results.json"
    data = json.loads(results.read_text(encoding="utf-8"))
    assert [p.name for p in (root / "results").iterdir()] == ["results.json"]
    check_schema(data)
    return data, done.stdout


def autograder(built, tmp_path, notebooks=(), python=sys.executable):
    return run_autograder(layout(built, tmp_path, notebooks), python)


def test_zip_holds_setup_run_autograder_package_and_graders(built):
    with zipfile.ZipFile(built["zip"]) as opened:
        infos = {info.filename: info for info in opened.infolist()}
        config = json.loads(opened.read("config.json"))
    names = set(infos)
    assert {"setup.sh", "run_autograder", "config.json", "package/pyproject.toml",
            "package/README.md"} <= names
    # the checkout's instructor/graders come first, then the --tests folder
    assert "graders/1/ex01_neuron.py" in names and "graders/2/canary01.py" in names
    for script in ("setup.sh", "run_autograder"):
        mode = infos[script].external_attr >> 16
        assert stat.S_ISREG(mode) and mode & 0o111 == 0o111, f"{script} is not executable"
    # the whole package as `pip install .` reads it, and nothing from a cache
    package = {f"package/nnlessons/{p.relative_to(ROOT / 'nnlessons').as_posix()}"
               for p in (ROOT / "nnlessons").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert package and package <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names if n.startswith("graders/")
                and n.endswith(("other02.py", "ex02_loss.py"))], \
        "another exercise's hidden tests travel along"
    assert {n for n in names if n.startswith("package/nnlessons/")} == package
    suite = built["suite"]
    assert config["exercise"] == EXERCISE and config["graders"] == ["graders/1", "graders/2"]
    assert config["max_score"] == suite.max_score
    assert config["hidden_tests"] == sum(t.hidden for t in suite.tests) >= 1


def test_setup_sh_is_valid_bash_that_installs_bubblewrap_and_the_package(built, tmp_path):
    unpack(built["zip"], tmp_path)
    for script in ("setup.sh", "run_autograder"):
        done = subprocess.run(["bash", "-n", str(tmp_path / script)], capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
    setup = (tmp_path / "setup.sh").read_text()
    assert setup.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in setup
    assert "apt-get install" in setup and " bubblewrap" in setup
    assert 'pip install --quiet --no-cache-dir "$source_dir/package"' in setup


def test_solved_notebook_scores_every_point_but_the_canary(built, tmp_path):
    solution = ROOT / "solutions" / f"{EXERCISE}.ipynb"
    data, stdout = autograder(built, tmp_path, {"my work/01_neuron.ipynb": solution})
    suite = built["suite"]
    assert len(data["tests"]) == len(suite.tests)
    assert sum(t["max_score"] for t in data["tests"]) == suite.max_score
    assert data["score"] == suite.max_score - 1
    for test, graded in zip(suite.tests, data["tests"]):
        assert graded["visibility"] == ("after_published" if test.hidden else "visible")
        assert graded["status"] == ("failed" if test.name == "canary_secret_case"
                                    else "passed"), graded
        if test.hidden:
            assert test.name not in graded["name"]
            assert not any(secret in graded["output"] for secret in SECRETS), graded
    # the output visible before publication shows only public points, never the total
    public = sum(t.points for t in suite.tests if not t.hidden)
    assert f"Public tests: {_fmt(public)}/{_fmt(public)} points" in data["output"]
    assert f"/{_fmt(suite.max_score)}" not in data["output"]
    assert "without the operating-system sandbox" not in data["output"]
    assert not any(secret in data["output"] for secret in SECRETS)


def _fmt(value):
    return str(int(value)) if float(value).is_integer() else str(value)


def test_blank_exercise_scores_zero(built, tmp_path):
    data, _ = autograder(built, tmp_path, {"01_neuron.ipynb":
                                           ROOT / "exercises" / f"{EXERCISE}.ipynb"})
    assert data["score"] == 0 and len(data["tests"]) == len(built["suite"].tests)
    assert all(t["status"] == "failed" for t in data["tests"])
    public = [t for t in data["tests"] if t["visibility"] == "visible"]
    assert public and all("not written yet" in t["output"] for t in public)
    hidden = [t for t in data["tests"] if t["visibility"] == "after_published"]
    assert hidden and all("not shown" in t["output"] for t in hidden)


def test_no_notebook_scores_zero_and_says_what_to_upload(built, tmp_path):
    solution = ROOT / "solutions" / f"{EXERCISE}.ipynb"
    data, _ = autograder(built, tmp_path, {"notes.txt": solution,
                                           ".ipynb_checkpoints/01_neuron-checkpoint.ipynb":
                                           solution,
                                           "__MACOSX/._01_neuron.ipynb": solution})
    assert data["score"] == 0 and data["tests"] == []
    assert "no notebook" in data["output"] and "Upload your 01_neuron.ipynb" in data["output"]


def test_a_link_is_not_followed_even_to_a_solved_notebook(built, tmp_path):
    root = layout(built, tmp_path)
    (root / "submission" / "01_neuron.ipynb").symlink_to(ROOT / "solutions" /
                                                         f"{EXERCISE}.ipynb")
    data, _ = run_autograder(root)
    assert data["score"] == 0 and data["tests"] == []
    assert "01_neuron.ipynb is not a regular file" in data["output"]


def test_two_notebooks_score_zero_and_name_both(built, tmp_path):
    data, _ = autograder(built, tmp_path, {
        "01_neuron.ipynb": ROOT / "solutions" / f"{EXERCISE}.ipynb",
        "copy/01_neuron (1).ipynb": ROOT / "exercises" / f"{EXERCISE}.ipynb"})
    assert data["score"] == 0 and data["tests"] == []
    assert "2 notebooks" in data["output"]
    assert "01_neuron.ipynb" in data["output"] and "copy/01_neuron (1).ipynb" in data["output"]


def test_a_flood_of_files_is_a_message_not_a_crash(built, tmp_path, monkeypatch, capsys):
    root = layout(built, tmp_path, {f"f{i}.txt": ROOT / "README.md" for i in range(4)})
    monkeypatch.setattr(gradescope, "MAX_FILES_SEARCHED", 3)
    data = gradescope.run_autograder(root, python=sys.executable)
    check_schema(data)
    assert data == json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert data["score"] == 0 and "more than 3 files" in data["output"]
    assert "Traceback" not in capsys.readouterr().out


def test_another_exercise_notebook_scores_zero(built, tmp_path):
    data, _ = autograder(built, tmp_path, {"01_neuron.ipynb": ROOT / "solutions" /
                                           "02_loss.ipynb"})
    assert data["score"] == 0 and data["tests"] == []
    assert "grades exercise 01_neuron" in data["output"] and "02_loss" in data["output"]


FAKE_PYTHON = """\
#!/usr/bin/env bash
# Stands in for a machine where bubblewrap cannot run: `nnlessons grade` refuses unless given
# --isolation none (which it then grades with, the option taken out for the grader of today).
args=()
isolation=""
while [ $# -gt 0 ]; do
    if [ "$1" = "--isolation" ]; then isolation="$2"; shift 2; continue; fi
    args+=("$1"); shift
done
case " ${args[*]} " in
    *" --help "*) "$REAL_PYTHON" "${args[@]}"; echo "  --isolation {sandbox,none}"; exit 0 ;;
    *" grade "*) if [ "$isolation" != none ]; then
        echo "nnlessons grade: bubblewrap cannot create a user namespace here;" \\
             "pass --isolation none to grade without the sandbox" >&2
        exit 2
    fi ;;
esac
exec "$REAL_PYTHON" "${args[@]}"
"""


def test_without_a_sandbox_it_grades_with_isolation_none_and_says_so(built, tmp_path,
                                                                     monkeypatch):
    fake = tmp_path / "python-without-sandbox"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    monkeypatch.setenv("REAL_PYTHON", sys.executable)
    data, stdout = autograder(built, tmp_path, {"01_neuron.ipynb": ROOT / "solutions" /
                                                f"{EXERCISE}.ipynb"}, python=fake)
    assert data["score"] == built["suite"].max_score - 1
    assert gradescope.NO_ISOLATION in data["output"]
    assert "--isolation none" in stdout and "user namespace" in stdout


def test_a_python_that_cannot_start_still_leaves_results_for_the_student(built, tmp_path):
    root = layout(built, tmp_path, {"01_neuron.ipynb": ROOT / "solutions" /
                                    f"{EXERCISE}.ipynb"})
    env = dict(os.environ, AUTOGRADER_ROOT=str(root),
               NNLESSONS_PYTHON=str(tmp_path / "no-such-python"))
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    data = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    check_schema(data)
    assert data["score"] == 0 and "could not start" in data["output"]


def test_to_gradescope_keeps_hidden_feedback_out_and_cleans_text():
    public = Result("one_example", "weighted_sum", 2, False, "failed",
                        "the answer is not right\ninput: x=1\x1b[31m\ud800", [])
    hidden = Result("secret_name", "weighted_sum", 3, True, "failed",
                        "input: SECRET-INPUT\nexpected: 42", [])
    hidden.case, hidden.hint = "many examples at once", "add the bias once per example"
    timeout = Result("slow", "sigmoid", 1, True, "timeout", "input: SECRET-INPUT", [])
    passed = Result("fine", "sigmoid", 1.5, False, "passed", "", [])
    submission = Submission("alice", EXERCISE, "x.ipynb", [public, hidden, timeout, passed],
                            notes=["code cell 2: NameError: <b>x</b>\x07"])
    data = gradescope.to_gradescope(submission, "none", execution_time=3.4)
    check_schema(data)
    assert data["score"] == 1.5 and data["execution_time"] == 3
    assert [t["name"] for t in data["tests"]] == [
        "weighted_sum: one_example", "hidden test 1 (weighted_sum)", "hidden test 2 (sigmoid)",
        "sigmoid: fine"]
    one, two, three, _ = data["tests"]
    assert one["output"] == "the answer is not right\ninput: x=1\\x1b[31m\\ud800"
    assert "Case: many examples at once" in two["output"]
    assert "Hint: add the bias once per example" in two["output"]
    assert "ran too long" in three["output"]
    assert not any("SECRET" in t["output"] or "42" in t["output"] for t in data["tests"])
    assert gradescope.NO_ISOLATION in data["output"]
    assert "Public tests: 1.5/3.5 points (1 of 2 passed)" in data["output"]
    assert "Hidden tests: 2 tests worth 4 points" in data["output"]
    assert "NameError: <b>x</b>\\x07" in data["output"]
    json.dumps(data, ensure_ascii=False).encode("utf-8")  # no lone surrogate left
    assert gradescope.NO_ISOLATION not in gradescope.to_gradescope(submission,
                                                                   "sandbox")["output"]
    with pytest.raises(ValueError, match="isolation must be one of sandbox, none"):
        gradescope.to_gradescope(submission, "bwrap")


def test_grade_json_round_trips_into_a_submission():
    result = Result("t", "f", 2, True, "passed", "", [])
    entry = {"student": "s", "exercise": EXERCISE, "notebook": "n", "tests": [
        dict(result.as_dict())], "notes": ["a"], "error": ""}
    submission = gradescope.submission_from_dict(entry)
    assert submission.score == 2 and submission.tests[0].hidden and submission.notes == ["a"]
    with pytest.raises(ValueError):
        gradescope.submission_from_dict({"tests": [{"max_score": 1, "status": "won",
                                                    "hidden": False, "name": "t",
                                                    "function": "f"}]})


def test_bad_usage_is_a_message_not_a_traceback(built, tmp_path, capsys):
    assert main(["gradescope", "99_nothing", "--out", str(tmp_path / "a.zip")]) == 2
    assert "no grader for exercise '99_nothing'" in capsys.readouterr().err
    assert main(["gradescope", "../etc", "--out", str(tmp_path / "a.zip")]) == 2
    assert "not an exercise id" in capsys.readouterr().err
    assert main(["gradescope", EXERCISE, "--out", str(tmp_path / "a.tar")]) == 2
    assert "must end in .zip" in capsys.readouterr().err
    assert main(["gradescope", EXERCISE, "--out", str(tmp_path / "no" / "a.zip")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["gradescope", EXERCISE, "--out", str(tmp_path / "a.zip"),
                 "--tests", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_the_checkouts_instructor_graders_always_come_along(tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "nnlessons").mkdir(parents=True)
    (checkout / "pyproject.toml").write_text("[project]\nname = 'nnlessons'\n")
    (checkout / "nnlessons" / "__init__.py").write_text("")
    assert gradescope.default_tests_dirs(checkout) == []
    graders = checkout / "instructor" / "graders"
    graders.mkdir(parents=True)
    (graders / "canary01.py").write_text(CANARY, encoding="utf-8")
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "more01.py").write_text(CANARY.replace("canary_secret_case", "more"))
    assert gradescope.default_tests_dirs(checkout) == [graders]
    for tests in ([extra], [graders, extra]):  # naming the default again adds nothing
        built = gradescope.build_zip(EXERCISE, tmp_path / "a.zip", tests, root=checkout)
        with zipfile.ZipFile(tmp_path / "a.zip") as opened:
            names = set(opened.namelist())
        assert built["graders"] == ["graders/1", "graders/2"]
        assert {"graders/1/canary01.py", "graders/2/more01.py",
                "package/pyproject.toml", "package/nnlessons/__init__.py"} <= names
    assert gradescope.checkout_root() == ROOT
