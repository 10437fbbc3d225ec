"""`nnlessons gradescope`: a Gradescope autograder for one exercise notebook.

    nnlessons gradescope 01_neuron --out 01_neuron-gradescope.zip

The zip follows Gradescope's autograder specification: at its root `setup.sh`, which Gradescope
runs once, as root, when it builds the autograder's image, and `run_autograder`, which it runs for
each submission with the student's files in /autograder/submission and this zip's contents in
/autograder/source; it must write /autograder/results/results.json. Inside the zip:

    setup.sh         apt-get installs bubblewrap; a virtual environment gets the package below
    run_autograder   grades the one notebook of the submission and writes results.json
    config.json      the exercise, its points, where its hidden tests are
    package/         this checkout's nnlessons (pyproject.toml and the nnlessons/ folder): what
                     `pip install` installs, so Gradescope grades with exactly this version
    graders/1/ ...   the hidden tests: the checkout's instructor/graders when it exists, then
                     each --tests DIR (only this exercise's modules), for `nnlessons grade
                     --tests`

The zip holds hidden tests and reference answers: keep it private, upload it only to Gradescope.

Visibility on Gradescope: public tests are `visible` with their full feedback; hidden tests are
`after_published` and their output only names the kind of case and a hint, never an input or an
expected value. Students see their total only once hidden tests are shown (Gradescope's rule).

Isolation: `run_autograder` first grades a stand-in notebook to learn whether the operating-system
sandbox (bubblewrap) can run in Gradescope's container. If it cannot, it grades with
`--isolation none` and says so in the output. Each Gradescope run grades one submission in its own
fresh container, so no classmate can be reached; but without the sandbox the learner's code runs
as the autograder's user in that container, where it could read the hidden tests and alter its own
result: the sandbox is what protects a grade's integrity.

Paths come from the environment, so a test can run the whole thing in a temporary folder:
AUTOGRADER_ROOT (default /autograder), NNLESSONS_PYTHON (the Python that has nnlessons; default
the virtual environment setup.sh makes), NNLESSONS_VENV (where setup.sh makes it).
"""
import json
import os
import shlex
import stat
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
from dataclasses import fields
from pathlib import Path

from .grader import DEFAULT_BUDGET, Submission
from .notebook import MAX_NOTEBOOK_BYTES
from .report import _points
from .runner import TestResult
from . import notebook as nbfile
from . import safe
from .suite import EXERCISE_ID, SuiteLibrary, SuiteNotFound, load_test_dir

VENV = "/opt/nnlessons-venv"
ISOLATIONS = ("sandbox", "none")    # how a submission was graded: in bubblewrap, or without it
GRADE_DEADLINE = 2 * DEFAULT_BUDGET + 60   # seconds for one `nnlessons grade` of one notebook
MAX_FILES_SEARCHED = 10_000
ZIP_TIME = (2000, 1, 1, 0, 0, 0)    # every member's date: the same sources give the same zip

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu). It installs
# bubblewrap, the operating-system sandbox learner code is graded in, and, in a virtual
# environment of its own, the copy of nnlessons inside this zip with its dependencies: the grader
# that runs is exactly the one the zip was built from.
set -euo pipefail

source_dir="${AUTOGRADER_ROOT:-/autograder}/source"
venv="${NNLESSONS_VENV:-/opt/nnlessons-venv}"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends bubblewrap python3 python3-venv

if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "nnlessons needs Python 3.10 or newer; this image has $(python3 --version 2>&1)." >&2
    echo "Choose the base image Ubuntu 22.04 or later in the assignment's autograder settings." >&2
    exit 1
fi

python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --no-cache-dir --upgrade pip
"$venv/bin/python" -m pip install --quiet --no-cache-dir "$source_dir/package"
# Fail now, while the instructor watches the build, rather than on the first submission.
"$venv/bin/python" -c "import nnlessons.grading.gradescope"
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission, in a fresh container: it grades the notebook in
# /autograder/submission and writes /autograder/results/results.json (see
# nnlessons/grading/gradescope.py). The fallback below only runs when Python itself could not
# start or import the grader, so that the student still reads what happened.
root="${AUTOGRADER_ROOT:-/autograder}"
python="${NNLESSONS_PYTHON:-/opt/nnlessons-venv/bin/python}"
export AUTOGRADER_ROOT="$root" NNLESSONS_PYTHON="$python"
cd "$root" || exit 1

"$python" -m nnlessons.grading.gradescope run-autograder
status=$?
if [ ! -s "$root/results/results.json" ]; then
    mkdir -p "$root/results"
    printf '%s\\n' @FALLBACK@ > "$root/results/results.json"
fi
exit "$status"
"""
# What run_autograder writes when Python cannot even start: no learner text, so no cleaning.
FALLBACK_RESULT = {"score": 0.0, "execution_time": 0,
                   "output": "The autograder could not start, so your notebook was not graded "
                             "(this 0 is not your grade). Please tell your instructor.",
                   "output_format": "text", "stdout_visibility": "hidden", "tests": []}
RUN_AUTOGRADER = RUN_AUTOGRADER.replace("@FALLBACK@", shlex.quote(json.dumps(FALLBACK_RESULT)))


class BuildError(Exception):
    """The zip cannot be built: the message says what is wrong and what to do."""


class AutograderError(Exception):
    """Grading could not run for a reason that is not the student's."""


class TooManyFiles(Exception):
    pass


# --- making the zip ---------------------------------------------------------------------------

def checkout_root():
    """The checkout this nnlessons was imported from (the folder with pyproject.toml), or None
    when nnlessons is an installed copy."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "nnlessons").is_dir() else None


def default_tests_dirs(root):
    """The instructor's hidden tests of a checkout: [root/instructor/graders] if it exists."""
    graders = Path(root) / "instructor" / "graders"
    return [graders] if graders.is_dir() else []


def _skipped(name):
    return name.startswith(".") or name == "__pycache__" or name.endswith((".pyc", ".pyo"))


def _files_under(folder):
    """Every regular file under `folder` (symlinked folders not entered), without caches and
    dot-files, as sorted relative paths."""
    found = []
    for here, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if not _skipped(f))
        for name in files:
            path = Path(here) / name
            if not _skipped(name) and path.is_file():
                found.append(path.relative_to(folder))
    return sorted(found)


def package_files(root):
    """{name in the zip: file} for the package: pyproject.toml, the files it names (README,
    licences, jupyter-config/) and the nnlessons/ folder, which is what `pip install .` reads."""
    root = Path(root)
    members = {}
    for path in sorted(root.iterdir()):
        if path.is_file() and (path.name in ("pyproject.toml", "README.md", "setup.cfg",
                                             "setup.py", "MANIFEST.in")
                               or path.name.startswith(("LICENSE", "LICENCE"))):
            members[f"package/{path.name}"] = path
    for folder in ("nnlessons", "jupyter-config"):
        for relative in _files_under(root / folder):
            members[f"package/{folder}/{relative.as_posix()}"] = root / folder / relative
    return members


def _source_of(root):
    """Which commit the package was copied from, for the instructor's records."""
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--",
                                "nnlessons", "pyproject.toml"],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout"
    if commit.returncode != 0:
        return "not a git checkout"
    changed = " with uncommitted changes" if dirty.stdout.strip() else ""
    return f"git commit {commit.stdout.strip()}{changed}"


def _add(archive, name, data, mode):
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.create_system = 3                          # Unix: unzip then honours the mode below
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def other_exercises_modules(directory, exercise):
    """The top-level modules of a tests folder that define a suite of another exercise: left
    out of the zip, so that it holds no hidden test but this exercise's."""
    return {f"{stem}.py" for other, suites in load_test_dir(directory).items()
            if other != exercise for stem, _ in suites}


def build_zip(exercise, out, tests_dirs=(), root=None):
    """Write the autograder zip of `exercise` to `out`; returns a summary dict. The hidden tests
    are the checkout's instructor/graders (when it exists) and every folder of `tests_dirs`.
    Raises BuildError with a message for the instructor when something is missing."""
    root = Path(root) if root is not None else checkout_root()
    if root is None:
        raise BuildError("it needs a checkout of the nnlessons repository, to copy the package "
                         f"from; this nnlessons is an installed copy "
                         f"({Path(__file__).resolve().parents[1]}). Run it from a clone.")
    if not (isinstance(exercise, str) and EXERCISE_ID.match(exercise)):
        raise BuildError(f"{exercise!r} is not an exercise id like 01_neuron")
    for directory in tests_dirs:
        if not Path(directory).is_dir():
            raise BuildError(f"--tests {directory}: no such folder")
    # The instructor's folder always comes along (forgetting it would grade with public tests
    # only); naming it again with --tests must not add its tests twice.
    chosen = {}
    for directory in [*default_tests_dirs(root), *map(Path, tests_dirs)]:
        chosen.setdefault(directory.resolve(), directory)
    tests_dirs = list(chosen.values())
    try:
        suite = SuiteLibrary([str(d) for d in tests_dirs]).get(exercise)
        left_out = [other_exercises_modules(d, exercise) for d in tests_dirs]
    except SuiteNotFound as error:
        raise BuildError(str(error)) from None
    except Exception as error:
        raise BuildError(f"a test module could not be loaded: {type(error).__name__}: "
                         f"{error}") from None
    if not suite.tests:
        raise BuildError(f"exercise {exercise} has no tests to grade with")

    members = package_files(root)
    graders = []
    for number, (directory, others) in enumerate(zip(tests_dirs, left_out), 1):
        folder = f"graders/{number}"
        graders.append(folder)
        for relative in _files_under(directory):
            if relative.as_posix() not in others:
                members[f"{folder}/{relative.as_posix()}"] = directory / relative
    config = {"exercise": exercise, "max_score": _points(suite.max_score),
              "tests": len(suite.tests), "hidden_tests": sum(t.hidden for t in suite.tests),
              "graders": graders, "nnlessons_source": _source_of(root)}

    out = Path(out)
    partial = out.with_name(f".{out.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            _add(archive, "setup.sh", SETUP_SH, 0o755)
            _add(archive, "run_autograder", RUN_AUTOGRADER, 0o755)
            _add(archive, "config.json", json.dumps(config, indent=2) + "\n", 0o644)
            for name, path in sorted(members.items()):
                _add(archive, name, path.read_bytes(), 0o644)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return dict(config, out=str(out), files=len(members) + 3, bytes=out.stat().st_size,
                tests_dirs=[str(d) for d in tests_dirs])


# --- the command ------------------------------------------------------------------------------

def add_arguments(parser):
    parser.add_argument("exercise", metavar="EXERCISE", help="the exercise id, e.g. 01_neuron")
    parser.add_argument("--out", metavar="FILE.zip",
                        help="where to write the zip (default: EXERCISE-gradescope.zip)")
    parser.add_argument("--tests", action="append", default=[], metavar="DIR",
                        help="a folder of test modules to grade with, besides this checkout's "
                             "instructor/graders (always included when it exists); may be "
                             "repeated")


def run(args):
    def usage(message):
        print(f"nnlessons gradescope: {message}", file=sys.stderr)
        return 2

    if not EXERCISE_ID.match(args.exercise):
        return usage(f"{args.exercise!r} is not an exercise id like 01_neuron")
    out = Path(args.out or f"{args.exercise}-gradescope.zip")
    if out.suffix.lower() != ".zip":
        return usage(f"--out {out}: the file must end in .zip (Gradescope takes a zip)")
    if not out.parent.is_dir():
        return usage(f"--out {out}: the folder {out.parent} does not exist")
    try:
        built = build_zip(args.exercise, out, args.tests)
    except BuildError as error:
        return usage(str(error))
    except OSError as error:
        return usage(f"could not write {out}: {error}")
    public = built["tests"] - built["hidden_tests"]
    print(f"wrote {built['out']} ({built['files']} files, {built['bytes'] // 1024} kB): the "
          f"Gradescope autograder of {args.exercise}, {built['max_score']} points in "
          f"{built['tests']} tests ({public} public, {built['hidden_tests']} hidden)")
    print("hidden tests from: " + (", ".join(built["tests_dirs"]) or
                                   "the package only (no --tests folder, and no "
                                   "instructor/graders in this checkout)"))
    print(f"package: nnlessons from {built['nnlessons_source']}")
    print("Keep this zip private: it holds the hidden tests.")
    print(f"On Gradescope: a Programming Assignment worth {built['max_score']} points; under "
          f"Configure Autograder upload this zip, with the base image Ubuntu 22.04 or later.")
    return 0


# --- inside Gradescope's container ------------------------------------------------------------

def clean(text, limit=5000):
    """`text` safe to show on Gradescope, as in every other report (safe.text: valid UTF-8,
    control and direction-changing characters shown escaped), at most `limit` characters."""
    text = safe.text(text, limit)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def find_notebooks(folder):
    """(notebooks, skipped) in a submission folder: every regular *.ipynb file at any depth, and
    the *.ipynb names that are links or other non-files (never followed). Editor leftovers
    (.ipynb_checkpoints, __MACOSX, dot-files) are ignored."""
    folder = Path(folder)
    notebooks, skipped, seen = [], [], 0
    for here, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith(".") and f != "__MACOSX")
        for name in sorted(files):
            seen += 1
            if seen > MAX_FILES_SEARCHED:
                raise TooManyFiles(f"Your submission has more than {MAX_FILES_SEARCHED} files.")
            if name.startswith(".") or not name.lower().endswith(".ipynb"):
                continue
            path = Path(here) / name
            if stat.S_ISREG(os.lstat(path).st_mode):
                notebooks.append(path)
            else:
                skipped.append(path)
    return notebooks, skipped


def submission_from_dict(data):
    """A `Submission` from one entry of `nnlessons grade --json`. Every field of `TestResult`
    found in the entry is kept (so fields added to it, such as a hidden test's `case` and `hint`,
    come through)."""
    if not isinstance(data, dict) or not isinstance(data.get("tests"), list):
        raise ValueError("not a graded submission")
    known = {f.name for f in fields(TestResult)}
    tests = []
    for entry in data["tests"]:
        if not isinstance(entry, dict):
            raise ValueError("a test is not an object")
        values = {k: v for k, v in entry.items() if k in known}
        values["points"] = entry["max_score"]
        if not (isinstance(values["points"], (int, float)) and values["points"] >= 0
                and entry.get("status") in ("passed", "failed", "error", "timeout")
                and isinstance(entry.get("hidden"), bool)):
            raise ValueError(f"a test has no points, status or hidden flag: {entry!r:.200}")
        values.setdefault("lines", [])
        tests.append(TestResult(**values))
    notes = data.get("notes") if isinstance(data.get("notes"), list) else []
    return Submission(str(data.get("student", "")), str(data.get("exercise", "?")),
                      str(data.get("notebook", "")), tests, [str(n) for n in notes],
                      str(data.get("error") or ""))


HIDDEN_OUTCOME = {"passed": "Passed.", "failed": "Failed.",
                  "error": "Your function did not give an answer here (it raised an error, or "
                           "is not written yet).",
                  "timeout": "Your function ran too long here and was stopped."}


def hidden_output(test):
    """What a learner reads about a hidden test: its outcome, the kind of case, a hint. Never
    its feedback, which holds the inputs and the expected value."""
    lines = [HIDDEN_OUTCOME.get(test.status, "Failed.")]
    case, hint = getattr(test, "case", ""), getattr(test, "hint", "")
    if case:
        lines.append(f"Case: {clean(case, 300)}")
    if hint and test.status != "passed":
        lines.append(f"Hint: {clean(hint, 500)}")
    lines.append("(A hidden test: its inputs and expected values are not shown.)")
    return "\n".join(lines)


NO_ISOLATION = ("Graded without the operating-system sandbox: it cannot run in this Gradescope "
                "container. Your notebook was graded alone, in a fresh container of its own.")


def _count(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def to_gradescope(submission, isolation, execution_time=0):
    """Gradescope's results.json, as a dict, for one graded `submission`. `isolation` is how it
    was graded: "sandbox" or "none" (said in the output). Outputs are plain text (no HTML is
    rendered), and hidden tests are shown only once the instructor publishes grades."""
    if isolation not in ISOLATIONS:
        raise ValueError(f"isolation must be one of {', '.join(ISOLATIONS)}; got {isolation!r}")
    tests, hidden_number = [], 0
    for test in submission.tests:
        if test.hidden:
            hidden_number += 1
            name = f"hidden test {hidden_number} ({test.function})"
            output, visibility = hidden_output(test), "after_published"
        else:
            name = f"{test.function}: {test.name}"
            output, visibility = test.output, "visible"
        tests.append({"name": clean(name, 200), "score": float(test.score),
                      "max_score": float(test.points),
                      "status": "passed" if test.status == "passed" else "failed",
                      "output": clean(output), "visibility": visibility})

    public = [t for t in submission.tests if not t.hidden]
    hidden = [t for t in submission.tests if t.hidden]
    lines = [f"Exercise {clean(submission.exercise, 100)}."]
    if public:
        # only public results here: this output is visible before hidden tests are
        passed = sum(t.status == "passed" for t in public)
        lines.append(f"Public tests: {_points(sum(t.score for t in public))}/"
                     f"{_points(sum(t.points for t in public))} points "
                     f"({passed} of {len(public)} passed).")
    if hidden:
        lines.append(f"Hidden tests: {_count(len(hidden), 'test')} worth "
                     f"{_points(sum(t.points for t in hidden))} points; their results are shown "
                     f"when your instructor publishes the grades.")
    if submission.error:
        lines.append(f"Your notebook could not be graded: {clean(submission.error, 500)}")
    if submission.notes:
        lines.append("About your notebook:")
        lines += [f"- {clean(note, 300)}" for note in submission.notes[:20]]
        if len(submission.notes) > 20:
            lines.append(f"- ... and {len(submission.notes) - 20} more")
    if isolation == "none":
        lines.append(NO_ISOLATION)
    return {"score": float(sum(t.score for t in submission.tests)),
            "execution_time": int(round(execution_time)), "output": "\n".join(lines),
            "output_format": "text", "test_output_format": "text", "test_name_format": "text",
            "stdout_visibility": "hidden", "tests": tests}


def message_result(text, execution_time=0):
    """A results.json with no tests and score 0, that only tells the student `text`."""
    return {"score": 0.0, "execution_time": int(round(execution_time)),
            "output": clean(text), "output_format": "text", "stdout_visibility": "hidden",
            "tests": []}


def write_results(data, path):
    """Write results.json atomically (Gradescope never reads half a file); strings that are
    not valid UTF-8 are replaced rather than stopping the write."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=".results-", suffix=".json")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8", "replace"))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def _tail(text, lines=5):
    return clean("\n".join(str(text).strip().splitlines()[-lines:]), 1000)


def _grade(python, notebook, tests_dirs, isolation, work):
    """Run `nnlessons grade` on one notebook; (its one result as a dict or None, stderr)."""
    report = Path(work) / f"grades-{notebook.parent.name}.json"
    command = [python, "-m", "nnlessons.cli", "grade", str(notebook), "--json", str(report)]
    for directory in tests_dirs:
        command += ["--tests", str(directory)]
    if isolation == "none":
        command += ["--isolation", "none"]
    process = subprocess.Popen(command, cwd=work, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=GRADE_DEADLINE)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        raise AutograderError(f"grading ran for more than {GRADE_DEADLINE:g} s") from None
    stdout = stdout.decode("utf-8", "replace")
    stderr = stderr.decode("utf-8", "replace")
    print(f"$ {' '.join(command)}\n{clean(stdout, 20000)}{clean(stderr, 20000)}"
          f"(exit status {process.returncode})", flush=True)
    if process.returncode != 0 or not report.is_file():
        return None, stderr
    graded = json.loads(report.read_text(encoding="utf-8"))
    if not (isinstance(graded, list) and len(graded) == 1):
        raise AutograderError("the grader's report does not hold exactly one submission")
    return graded[0], stderr


def choose_isolation(python, exercise, tests_dirs, work):
    """"sandbox" when `nnlessons grade` runs here as it is, else "none" when it can grade
    without the sandbox (`--isolation none`). Decided on a stand-in notebook, before any of the
    learner's code runs, so nothing a submission does can turn the sandbox off."""
    probe = Path(work) / "probe" / f"{exercise}.ipynb"
    probe.parent.mkdir()
    probe.write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "probe", "metadata": {},
                   "outputs": [], "source": "pass\n"}],
        "metadata": {"nnlessons": {"exercise": exercise}}, "nbformat": 4,
        "nbformat_minor": 5}), encoding="utf-8")
    graded, stderr = _grade(python, probe, tests_dirs, "sandbox", work)
    if graded is not None:
        return "sandbox"
    helped = subprocess.run([python, "-m", "nnlessons.cli", "grade", "--help"],
                            capture_output=True, text=True, timeout=60)
    if "--isolation" not in helped.stdout:
        raise AutograderError(f"the grader cannot run here: {_tail(stderr)}")
    print(f"The sandbox cannot run in this container; grading with --isolation none. "
          f"The grader said: {_tail(stderr)}", flush=True)
    return "none"


def read_config(source):
    try:
        config = json.loads((Path(source) / "config.json").read_text(encoding="utf-8"))
        if not (isinstance(config.get("exercise"), str) and isinstance(config["graders"], list)):
            raise ValueError("no exercise or graders")
    except (OSError, ValueError, KeyError, AttributeError) as error:
        raise AutograderError(f"the autograder's config.json cannot be read ({error})") from None
    return config


def grade_submission(root, python, work):
    """results.json for the submission in root/submission, as a dict (without its time)."""
    source = Path(root) / "source"
    config = read_config(source)
    exercise = config["exercise"]
    tests_dirs = [source / d for d in config["graders"]]
    upload = (f"Upload your {exercise}.ipynb (the exercise notebook with your code) and submit "
              f"again.")
    try:
        notebooks, skipped = find_notebooks(Path(root) / "submission")
    except TooManyFiles as error:
        return message_result(f"{error} {upload}")
    relative = [clean(p.relative_to(Path(root) / "submission"), 100) for p in notebooks]
    if not notebooks:
        links = "".join(f" {clean(p.name, 100)} is not a regular file (a link?), so it was not "
                        f"read." for p in skipped[:5])
        return message_result(f"Your submission has no notebook (.ipynb file).{links} {upload}")
    if len(notebooks) > 1:
        return message_result(f"Your submission has {len(notebooks)} notebooks "
                              f"({', '.join(relative[:10])}); only one can be graded. Upload "
                              f"only your {exercise}.ipynb and submit again.")
    size = os.lstat(notebooks[0]).st_size
    if size > MAX_NOTEBOOK_BYTES:
        return message_result(f"Your notebook {relative[0]} is larger than "
                              f"{MAX_NOTEBOOK_BYTES // 2 ** 20} MB. Clear its outputs (Edit > "
                              f"Clear Outputs of All Cells), save, and submit again.")
    # Named after the exercise, so that a notebook whose metadata was lost is still known.
    copy = Path(work) / "submission" / f"{exercise}.ipynb"
    copy.parent.mkdir()
    with os.fdopen(os.open(notebooks[0], os.O_RDONLY | os.O_NOFOLLOW), "rb") as stream:
        copy.write_bytes(stream.read(MAX_NOTEBOOK_BYTES + 1))

    # Another exercise's notebook: said before grading, which would refuse it for want of that
    # exercise's hidden tests (the zip carries only this one's).
    try:
        claimed = nbfile.exercise_of(nbfile.read(str(copy)))
    except nbfile.NotANotebook:
        claimed = None
    if claimed and claimed != exercise:
        return message_result(f"This assignment grades exercise {exercise}, and {relative[0]} "
                              f"is not that notebook. It is the notebook of exercise "
                              f"{clean(claimed, 100)}. {upload}")
    isolation = choose_isolation(python, exercise, tests_dirs, work)
    graded, stderr = _grade(python, copy, tests_dirs, isolation, work)
    if graded is None:
        raise AutograderError(f"the grader stopped on this notebook: {_tail(stderr)}")
    try:
        submission = submission_from_dict(graded)
    except (ValueError, KeyError, TypeError) as error:
        raise AutograderError(f"the grader's report cannot be read ({error})") from None
    if submission.exercise != exercise:
        found = ("" if submission.exercise == "?" else
                 f" It is the notebook of exercise {clean(submission.exercise, 100)}.")
        why = f" ({clean(submission.error, 300)})" if submission.error else ""
        return message_result(f"This assignment grades exercise {exercise}, and {relative[0]} "
                              f"is not that notebook.{found}{why} {upload}")
    result = to_gradescope(submission, isolation)
    if submission.max_score != config.get("max_score"):
        print(f"note: graded out of {_points(submission.max_score)} points, but the zip was "
              f"built for {config.get('max_score')}", flush=True)
    return result


def run_autograder(root=None, python=None):
    """Grade root/submission and write root/results/results.json; returns what was written.
    Never raises for what a submission does; a failure of the autograder itself becomes a
    results.json that says so (and the traceback goes to stdout, which only instructors see)."""
    started = time.monotonic()
    root = Path(root or os.environ.get("AUTOGRADER_ROOT") or "/autograder")
    python = python or os.environ.get("NNLESSONS_PYTHON") or sys.executable
    try:
        with tempfile.TemporaryDirectory(prefix="nnlessons-gradescope-") as work:
            result = grade_submission(root, python, work)
    except Exception as error:
        traceback.print_exc(file=sys.stdout)
        reason = str(error) if isinstance(error, AutograderError) else \
            f"{type(error).__name__}: {error}"
        result = message_result(f"The autograder failed, so your notebook was not graded (this "
                                f"0 is not your grade). Please tell your instructor. "
                                f"The autograder said: {clean(reason, 500)}")
    result["execution_time"] = int(round(time.monotonic() - started))
    write_results(result, root / "results" / "results.json")
    print(f"results.json: score {_points(result['score'])}, {len(result['tests'])} tests",
          flush=True)
    return result


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["run-autograder"]:
        print("usage: python -m nnlessons.grading.gradescope run-autograder\n"
              "(run inside Gradescope's container by run_autograder; to build the zip, use "
              "`nnlessons gradescope EXERCISE --out FILE.zip`)", file=sys.stderr)
        return 2
    run_autograder()
    return 0


if __name__ == "__main__":
    sys.exit(main())
