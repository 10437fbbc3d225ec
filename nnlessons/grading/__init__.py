"""Exercises and their grading.

- `check(exercise, function)`      the learner's self-check inside an exercise notebook
- `nnlessons release`              exercises/ generated from solutions/ (release.py)
- `nnlessons grade PATH ...`       grade submitted notebooks safely (cli.py, grader.py)

Files, one job each: suite.py (what a grader is), expect.py (checks and feedback), runner.py
(running tests through a backend), selfcheck.py (in the learner's kernel), child.py and
sandbox.py, isolation.py and package_view.py (the learner's code behind the operating system's
wall), outcome.py and framing.py (what crosses it), grader.py (one submission), notebook.py
(reading a submitted notebook), report.py (JSON, CSV, HTML), safe.py (learner text made safe for
each), release.py, cli.py. The package ships each exercise's public tests (suites/); the hidden
tests and the reference answers are the instructor's, outside the package (instructor/graders/ of
the repository). See AUTHORING.md.
"""


def check(exercise, function=None):
    """Run the public tests of `function` (or of every function of `exercise`) on the learner's
    code, print one line per test with feedback, never raise."""
    from .selfcheck import check as _check
    return _check(exercise, function, _depth=2)


__all__ = ["check"]
