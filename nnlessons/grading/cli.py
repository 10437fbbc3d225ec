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
Learner code runs only inside the operating-system sandbox (bubblewrap); without it
grading refuses, unless --isolation none.
- Only regular files are read. Symbolic links are never followed (a linked notebook or student
  folder is listed as not graded, with the reason; a linked folder deeper down is not entered);
  FIFOs, sockets and devices are never opened.
Exit status: 0 when grading ran (whatever the scores); 2 on bad usage, when a PATH is not a
notebook or a folder holding some, when a report could not be written, when an
exercise was left ungraded for want of its hidden tests, or when bubblewrap is missing (everything else is
still graded and written).
"""
import argparse
import os
import stat
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import isolation
from . import notebook as nbfile
from . import report, safe
from .grader import (DEFAULT_BUDGET, DEFAULT_MEMORY, DEFAULT_TIMEOUT, Submission,
                     grade_notebook)
from .package_view import VIEWS
from .sandbox import stop_zygotes
from .runner import TestResult
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


def student_from_file(path, known):
    exercise = nbfile.exercise_in_name(path.stem, known)
    if exercise and path.stem != exercise:
        return path.stem[:-len(exercise)].rstrip("_- ") or path.parent.name
    if exercise:
        return path.parent.resolve().name
    return path.stem


@dataclass
class Found:
    """What the PATHs hold. `submissions`: [(student, path)], regular files to grade;
    `refused`: [(student, path, reason)], notebooks seen but never opened (a link, a FIFO, ...);
    `bad_paths`: [(PATH, what is wrong with it)]."""
    submissions: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    bad_paths: list = field(default_factory=list)


def _entries(folder):
    """A folder's entries sorted by name; nothing is followed or opened (os.scandir and the
    entries' lstat)."""
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _is_notebook_name(name):
    return name.endswith(".ipynb")


def _notebook_entry(entry, student, found):
    """Sort a *.ipynb entry into found.submissions (a regular file) or found.refused."""
    try:
        problem = nbfile.refusal(entry.stat(follow_symlinks=False))
    except OSError as error:
        problem = f"it cannot be read ({error.strerror})"
    if problem:
        found.refused.append((student, Path(entry.path), problem))
    else:
        found.submissions.append((student, Path(entry.path)))


def _student_folder(folder, student, found):
    """Every notebook in a student's folder, at any depth, skipping .ipynb_checkpoints. Links
    are not followed: a linked notebook is refused, a linked folder is not entered."""
    pending = [folder]
    while pending:   # a list, not recursion: a folder may be nested thousands deep
        current = pending.pop()
        try:
            entries = _entries(current)
        except OSError as error:
            found.refused.append((student, current, f"the folder cannot be read "
                                                    f"({error.strerror})"))
            continue
        below = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != ".ipynb_checkpoints":
                    below.append(Path(entry.path))
            elif _is_notebook_name(entry.name):
                _notebook_entry(entry, student, found)
        pending.extend(reversed(below))


def _class_folder(folder, known, found):
    """A folder given as PATH: its notebooks (flat: the student from the file name), then a
    sub-folder per student. A link in it is reported, never followed."""
    flat, students = [], []
    for entry in _entries(folder):
        path = Path(entry.path)
        if entry.is_symlink():
            if _is_notebook_name(entry.name):
                flat.append(entry)
            elif not entry.name.startswith(".") and path.is_dir():   # stat only, no open
                found.refused.append((entry.name, path, "this student folder is a symbolic "
                                      "link (not followed: copy the folder itself here)"))
        elif entry.is_dir(follow_symlinks=False):
            if not entry.name.startswith("."):
                students.append(entry)
        elif _is_notebook_name(entry.name):
            flat.append(entry)
    for entry in flat:
        _notebook_entry(entry, student_from_file(Path(entry.path), known), found)
    for entry in students:
        _student_folder(Path(entry.path), entry.name, found)


def search(paths, known):
    """Find the submissions in `paths`, following the rules in the module docstring, without
    following a link or opening anything. Never raises for what the paths hold (see Found)."""
    found = Found()
    for raw in paths:
        path = Path(raw)
        try:
            status = os.lstat(path)
        except FileNotFoundError:
            found.bad_paths.append((raw, "no such file or folder"))
            continue
        except OSError as error:
            found.bad_paths.append((raw, f"it cannot be read ({error.strerror})"))
            continue
        if stat.S_ISDIR(status.st_mode):
            before = len(found.submissions) + len(found.refused)
            try:
                _class_folder(path, known, found)
            except OSError as error:
                found.bad_paths.append((raw, f"the folder cannot be read ({error.strerror})"))
                continue
            if len(found.submissions) + len(found.refused) == before:
                found.bad_paths.append((raw, "no notebooks (*.ipynb) in this folder or its "
                                             "sub-folders"))
        elif _is_notebook_name(path.name):
            problem = nbfile.refusal(status)
            student = student_from_file(path, known)
            if problem:
                found.refused.append((student, path, problem))
            else:
                found.submissions.append((student, path))
        elif stat.S_ISLNK(status.st_mode):
            found.bad_paths.append((raw, "it is a symbolic link; the grader does not follow "
                                         "links (give the folder or notebook it points to)"))
        else:
            found.bad_paths.append((raw, "not a notebook: expected a notebook (.ipynb), a "
                                         "folder of notebooks, or a folder with a sub-folder "
                                         "per student"))
    return found


def find_submissions(paths, known):
    """[(student, path)] for the given paths; UsageError for a PATH that holds no notebook."""
    found = search(paths, known)
    if found.bad_paths:
        raw, problem = found.bad_paths[0]
        raise UsageError(f"{safe.path(raw)}: {problem}")
    return found.submissions


def not_graded(student, path, reason, library, isolation_kind="bubblewrap"):
    """The result of a notebook that was never opened: every test of its exercise (told by the
    file name, when it can be) failed with the reason."""
    message = f"not graded: {reason}"
    exercise = nbfile.exercise_in_name(path.stem, library.known())
    tests = []
    if exercise:
        try:
            tests = [TestResult(t.name, t.function, t.points, t.hidden, "error", message,
                                [message]) for t in library.get(exercise).tests]
        except SuiteNotFound:
            exercise = None
    return Submission(student, exercise or "?", str(path), tests=tests, error=message,
                      isolation=isolation_kind)


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
            self.stream.write(f"graded {self.done}/{self.total}: {safe.line(submission.student)} "
                              f"{safe.line(submission.exercise)} "
                              f"{report._points(submission.score)}/"
                              f"{report._points(submission.max_score)}\n")
        self.stream.flush()


def _tolerant(stream):
    """Let `stream` show any text, even where the terminal's encoding is not UTF-8."""
    try:
        stream.reconfigure(errors="backslashreplace")
    except (AttributeError, ValueError):
        pass


def write_reports(results, args):
    """Write every report asked for; one that fails does not stop the others. Returns the
    messages of those that failed."""
    failed = []
    jobs = [(args.json, lambda path: report.write_json(results, path), "wrote {}"),
            (args.csv, lambda path: report.write_csv([s for s in results if s.exercise != "?"],
                                                     path), "wrote {}"),
            (args.feedback, lambda path: report.write_feedback(results, path),
             "wrote {count} feedback reports to {}")]
    for path, write, done in jobs:
        if not path:
            continue
        try:
            written = write(path)
            print(done.format(safe.path(path), count=len(written or [])))
        except OSError as error:
            if getattr(error, "written", None):
                print(done.format(safe.path(path), count=len(error.written)))
            failed.append(str(error) if isinstance(error, report.ReportError)
                          else f"{safe.path(path)}: {error.strerror or error}")
    return failed


def run(args):
    _tolerant(sys.stdout)
    _tolerant(sys.stderr)

    def complain(message):
        print(f"nnlessons grade: {message}", file=sys.stderr)
        return 2

    if args.jobs < 1:
        return complain("--jobs must be at least 1")
    if args.timeout <= 0 or args.budget <= 0 or args.memory < 256:
        return complain("--timeout and --budget must be positive, --memory at least 256 (MB)")
    if args.isolation == "bubblewrap" and isolation.problem():
        return complain(f"cannot grade safely here: {isolation.problem()}.\nTo grade anyway, "
                        f"without the sandbox (for notebooks you trust), pass --isolation none")
    if args.isolation == "none":
        print(NO_ISOLATION, file=sys.stderr)
    if args.public_only and args.tests:
        return complain("--public-only grades without hidden tests, --tests adds them: give one "
                        "of the two")
    for directory in args.tests:
        if not Path(directory).is_dir():
            return complain(f"--tests {safe.path(directory)}: no such folder")
    try:
        library = SuiteLibrary(args.tests, public_only=args.public_only)
    except SuiteNotFound as error:
        return complain(f"--tests: {safe.line(error)}")
    except Exception as error:
        return complain(f"--tests: a test module could not be loaded: "
                        f"{type(error).__name__}: {safe.line(error)}")
    if not args.public_only and not library.has_hidden():
        return complain(safe.line(library.missing_hidden(), limit=2000))
    found = search(args.paths, library.known())
    for raw, problem in found.bad_paths:
        complain(f"{safe.path(raw)}: {problem}")
    if not found.submissions and not found.refused:
        return 2

    progress = Progress(max(len(found.submissions), 1))
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
            results = list(pool.map(grade, found.submissions))
    finally:
        stop_zygotes()
        VIEWS.remove()
    elapsed = time.monotonic() - started
    results += [not_graded(student, path, reason, library, args.isolation)
                for student, path, reason in found.refused]
    results.sort(key=lambda s: (s.student, s.exercise, s.notebook))

    warning = report.isolation_warning(results)
    if warning:
        print(warning)
    print(report.table(results))
    if warning:
        print(warning)
    print(f"\n{len(found.submissions)} submissions graded in {elapsed:.1f} s"
          + (f", {len(found.refused)} not graded (see the table)" if found.refused else ""))
    if args.public_only:
        print(f"note: {PUBLIC_ONLY}")
    seen = {}
    for s in results:
        if s.exercise != "?" and (s.student, s.exercise) in seen:
            print(f"note: {safe.line(s.student)} has more than one {safe.line(s.exercise)} "
                  f"notebook ({safe.path(seen[(s.student, s.exercise)])}, "
                  f"{safe.path(s.notebook)}); the gradebook keeps the last", file=sys.stderr)
        seen[(s.student, s.exercise)] = s.notebook
    failed = write_reports(results, args)
    for message in failed:
        complain(f"could not write a report: {message}")
    if found.bad_paths:
        complain(f"{len(found.bad_paths)} of the PATHs given held no notebook to grade "
                 f"(see above); the others were graded")
    for message in sorted(refused):
        complain(safe.line(message, limit=2000))
    return 2 if failed or found.bad_paths or refused else 0
