"""How fast `nnlessons grade` is: 100 submissions, correct, partial and broken mixed.

    python benchmarks/grading.py [--submissions 100] [--jobs 1 2]

Builds the submissions in a temporary folder (a sub-folder per student) from every solution,
the wrong-answer fixtures, the blank exercises, and broken notebooks (a syntax error, not JSON, a
function that calls os._exit), grades them with `nnlessons grade` for each --jobs value, with the
operating-system wall (bubblewrap, the default) and, for comparison, without it (--isolation
none), and prints the wall time, submissions per second and the machine's load average. The
target: 100 submissions in under 30 s with --jobs 2, with the wall, on a 2-core machine.
"""
import os
import argparse
import contextlib
import importlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from nnlessons import cli
from nnlessons.grading.testing import with_extra_cell

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = sorted(path.stem for path in (ROOT / "solutions").glob("*.ipynb"))


def make_submissions(folder, count):
    kinds = []
    for exercise in EXERCISES:
        solution = ROOT / "solutions" / f"{exercise}.ipynb"
        kinds.append(("correct", exercise, json.loads(solution.read_text())))
        for fixture in sorted((ROOT / "tests" / "fixtures" / "wrong" / exercise).glob("*.py")):
            kinds.append(("partial", exercise, with_extra_cell(solution, fixture.read_text())))
        kinds.append(("broken", exercise,
                      json.loads((ROOT / "exercises" / f"{exercise}.ipynb").read_text())))
        # right functions, plus a cell with a syntax error: full marks, with a note
        kinds.append(("syntax error cell", exercise, with_extra_cell(solution, "def broken(:\n")))
        first = importlib.import_module(f"nnlessons.grading.suites.ex{exercise}").suite.functions[0]
        kinds.append(("broken", exercise, with_extra_cell(
            solution, f"import os\ndef {first}(*args, **kwargs):\n    os._exit(1)\n")))
        kinds.append(("broken", exercise, None))  # not JSON at all
    counts = {}
    for number in range(count):
        kind, exercise, notebook = kinds[number % len(kinds)]
        counts[kind] = counts.get(kind, 0) + 1
        student = folder / f"student{number:03d}"
        student.mkdir()
        path = student / f"{exercise}.ipynb"
        path.write_text("{ this is not a notebook" if notebook is None else json.dumps(notebook))
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--jobs", type=int, nargs="+", default=[2])
    parser.add_argument("--isolation", nargs="+", default=["bubblewrap", "none"],
                        choices=["bubblewrap", "none"])
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores), nice {os.nice(0)}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "submissions"
        folder.mkdir()
        counts = make_submissions(folder, args.submissions)
        print(f"{args.submissions} submissions: " +
              ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())))
        for isolation in args.isolation:
            for jobs in args.jobs:
                out, err = io.StringIO(), io.StringIO()
                report = Path(tmp) / f"grades-{isolation}-{jobs}.json"
                started = time.perf_counter()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    status = cli.main(["grade", str(folder), "--jobs", str(jobs),
                                       "--isolation", isolation, "--json", str(report)])
                elapsed = time.perf_counter() - started
                grades = json.loads(report.read_text())
                if isolation == "bubblewrap":
                    from nnlessons.grading import sandbox
                    how = ("each job's sandboxes forked by its zygote" if not sandbox._NO_ZYGOTE
                           else f"a bwrap process per sandbox ({sandbox._NO_ZYGOTE[0]})")
                    print(f"  bubblewrap: {how}")
                full = sum(g["score"] == g["max_score"] and g["max_score"] > 0 for g in grades)
                print(f"--isolation {isolation:10} --jobs {jobs}: {len(grades)} graded in "
                      f"{elapsed:.1f} s = {len(grades) / elapsed:.2f} submissions/s (exit "
                      f"status {status}, {full} with full marks; load average now "
                      f"{os.getloadavg()[0]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
