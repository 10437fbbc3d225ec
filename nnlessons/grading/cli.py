"""`nnlessons grade`: grade submitted notebooks.

    nnlessons grade submissions/ --json grades.json --csv gradebook.csv --feedback feedback/

Which student and exercise a notebook is:
- PATH a folder with a sub-folder per student (submissions/alice/01_neuron.ipynb): the student is
  the sub-folder's name; every notebook inside it (at any depth) is graded.
- PATH a flat folder of notebooks, or a notebook itself: the student is the file name before the
  exercise id (alice_01_neuron.ipynb or alice-01_neuron.ipynb -> alice); a file named only
  01_neuron.ipynb belongs to the folder it is in.
- The exercise is the id recorded in the notebook's metadata (every exercise notebook has it),
  else the exercise id found at the end of the file name.
Hidden tests come from instructor/graders of the source checkout, or from --tests DIR; an
exercise whose hidden tests are not found is not graded (unless --public-only).
Exit status: 0 when grading ran (whatever the scores), 2 on bad usage, a missing path, or an
exercise left ungraded for want of its hidden tests (the others are still graded and reported).
"""
import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import isolation
from . import notebook as nbfile
from . import report
from .package_view import VIEWS
from .grader import DEFAULT_BUDGET, DEFAULT_MEMORY, DEFAULT_TIMEOUT, Submission, grade_notebook
from .suite import HiddenTestsMissing, SuiteLibrary, SuiteNotFound


def add_arguments(parser):
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = __doc__.split("\n\n", 2)[2]
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="a submitted notebook, or a folder of them")
    parser.add_argument("--json", metavar="FILE", help="write every result, test by test")
    parser.add_argument("--csv", metavar="FILE",
                        help="write a gradebook: a row per student, a column per exercise")
    parser.add_argument("--feedback", metavar="DIR",
                        help="write one HTML report per submission (hidden tests' details "
                             "withheld)")
    parser.add_argument("--jobs", type=int, default=2, metavar="N",
                        help="submissions graded at the same time (default 2)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"time allowed per function call and per notebook cell "
                             f"(default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET, metavar="SECONDS",
                        help=f"time allowed for a whole submission (default {DEFAULT_BUDGET:g})")
    parser.add_argument("--memory", type=int, default=DEFAULT_MEMORY // 1024 ** 2, metavar="MB",
                        help="memory limit of the learner's process (default 2048)")
    parser.add_argument("--isolation", choices=["bubblewrap", "none"], default="bubblewrap",
                        help="bubblewrap (default): each notebook's code runs in an operating-"
                             "system sandbox; none: without it, only for notebooks you trust "
                             "(every report then says so)")
    parser.add_argument("--tests", action="append", default=[], metavar="DIR",
                        help="a folder of hidden suites and of your own test modules (written "
                             "like the shipped suites); may be repeated. Without it the hidden "
                             "suites are read from instructor/graders of the source checkout "
                             "the package runs from; with it, only from the folders given "
                             "(name instructor/graders too to add your tests to them)")
    parser.add_argument("--public-only", action="store_true",
                        help="grade with the public tests only, when the hidden ones are not "
                             "at hand (the reports say so); without it, grading refuses to run "
                             "an exercise whose hidden tests it cannot find")


NO_ISOLATION = ("WARNING: graded WITHOUT isolation (--isolation none): the notebooks' code ran "
                "with this user's rights, outside the sandbox")


class UsageError(Exception):
    pass


PUBLIC_ONLY = ("graded with the public tests only (--public-only): the hidden tests did not run, "
               "so the score is out of the public tests' points")


def _notebooks_in(folder):
    return sorted(p for p in folder.rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts and p.is_file())


def student_from_file(path, known):
    exercise = nbfile.exercise_in_name(path.stem, known)
    if exercise and path.stem != exercise:
        return path.stem[:-len(exercise)].rstrip("_- ") or path.parent.name
    if exercise:
        return path.parent.resolve().name
    return path.stem


def find_submissions(paths, known):
    """[(student, path)] for the given paths, following the rules in the module docstring."""
    found = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"no such file or folder: {raw}")
        if path.is_file():
            found.append((student_from_file(path, known), path))
            continue
        for notebook in sorted(path.glob("*.ipynb")):
            found.append((student_from_file(notebook, known), notebook))
        for folder in sorted(p for p in path.iterdir() if p.is_dir()
                             and not p.name.startswith(".")):
            for notebook in _notebooks_in(folder):
                found.append((folder.name, notebook))
    if not found:
        raise UsageError(f"no notebooks (*.ipynb) found in {', '.join(map(str, paths))}")
    return found


class Progress:
    """A progress bar on stderr; plain lines when stderr is not a terminal."""

    def __init__(self, total, stream=sys.stderr):
        self.total, self.done, self.stream = total, 0, stream
        self.tty = stream.isatty()
        self.start = time.monotonic()

    def advance(self, submission):
        self.done += 1
        if self.tty:
            width = 30
            filled = width * self.done // self.total
            self.stream.write(f"\rgrading [{'#' * filled}{'.' * (width - filled)}] "
                              f"{self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"graded {self.done}/{self.total}: {submission.student} "
                              f"{submission.exercise} {report._points(submission.score)}/"
                              f"{report._points(submission.max_score)}\n")
        self.stream.flush()


def run(args):
    def usage(message):
        print(f"nnlessons grade: {message}", file=sys.stderr)
        return 2

    if args.jobs < 1:
        return usage("--jobs must be at least 1")
    if args.timeout <= 0 or args.budget <= 0 or args.memory < 256:
        return usage("--timeout and --budget must be positive, --memory at least 256 (MB)")
    if args.isolation == "bubblewrap" and isolation.problem():
        return usage(f"cannot grade safely here: {isolation.problem()}.\nTo grade anyway, "
                     f"without the sandbox (for notebooks you trust), pass --isolation none")
    if args.isolation == "none":
        print(NO_ISOLATION, file=sys.stderr)
    if args.public_only and args.tests:
        return usage("--public-only grades without hidden tests, --tests adds them: give one "
                     "of the two")
    for directory in args.tests:
        if not Path(directory).is_dir():
            return usage(f"--tests {directory}: no such folder")
    try:
        library = SuiteLibrary(args.tests, public_only=args.public_only)
    except SuiteNotFound as error:
        return usage(str(error))
    if not args.public_only and not library.has_hidden():
        return usage(library.missing_hidden())
    try:
        found = find_submissions(args.paths, library.known())
    except UsageError as error:
        return usage(str(error))

    progress = Progress(len(found))
    refused = set()  # exercises without hidden tests: said once, at the end

    def grade(item):
        student, path = item
        try:
            result = grade_notebook(path, student=student, library=library,
                                    timeout=args.timeout, budget=args.budget,
                                    memory=args.memory * 1024 ** 2,
                                    isolation_kind=args.isolation)
        except SuiteNotFound as error:
            if isinstance(error, HiddenTestsMissing):
                refused.add(str(error))
            result = Submission(student, "?", str(path), error=f"not graded: {error}",
                                isolation=args.isolation)
        except Exception as error:  # a grader bug must not stop the other submissions
            result = Submission(student, "?", str(path),
                                error=f"not graded: the grader failed on this notebook "
                                      f"({type(error).__name__}: {error}); please report it",
                                isolation=args.isolation)
        if args.public_only and result.exercise != "?":
            result.notes.append(PUBLIC_ONLY)
        progress.advance(result)
        return result

    started = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(grade, found))
    finally:
        VIEWS.remove()
    elapsed = time.monotonic() - started
    results.sort(key=lambda s: (s.student, s.exercise, s.notebook))

    if args.isolation == "none":
        print(NO_ISOLATION)
    print(report.table(results))
    print(f"\n{len(results)} submissions graded in {elapsed:.1f} s")
    if args.public_only:
        print(f"note: {PUBLIC_ONLY}")
    seen = {}
    for s in results:
        if (s.student, s.exercise) in seen:
            print(f"note: {s.student} has more than one {s.exercise} notebook "
                  f"({seen[(s.student, s.exercise)]}, {s.notebook}); the gradebook keeps the "
                  f"last", file=sys.stderr)
        seen[(s.student, s.exercise)] = s.notebook
    try:
        if args.json:
            report.write_json(results, args.json)
            print(f"wrote {args.json}")
        if args.csv:
            report.write_csv([s for s in results if s.exercise != "?"], args.csv)
            print(f"wrote {args.csv}")
        if args.feedback:
            written = report.write_feedback(results, args.feedback)
            print(f"wrote {len(written)} feedback reports to {args.feedback}")
    except OSError as error:
        print(f"nnlessons grade: could not write a report: {error}", file=sys.stderr)
        return 2
    for message in sorted(refused):
        print(f"nnlessons grade: {message}", file=sys.stderr)
    return 2 if refused else 0
