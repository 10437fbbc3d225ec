"""The self-check cell of an exercise notebook: `check("01_neuron", "weighted_sum")`.

Runs the PUBLIC tests of one function in the learner's own kernel (the package ships no others:
the hidden tests are the instructor's) and prints a line per test with the feedback. It never
raises, so "Run all" goes on past an unfinished exercise. Answers travel through the same
plain-data round trip as in the grader, so a function passes here exactly when its public tests
pass at grading.
"""
import inspect
import os
import signal
import sys
import threading

from .codec import round_trip
from .forbidden import Traps, static_uses
from .outcome import decode, invoke
from .runner import forbidden_problem, missing_problem, run_tests
from .suite import SuiteNotFound, load_suite

CALL_TIMEOUT = 20.0


class _Alarm(BaseException):
    pass


class LocalBackend:
    """Calls the learner's functions directly, in this kernel, and reads the outcome exactly as
    the grader reads a reply from the sandbox (outcome.py)."""

    def __init__(self, namespace, traps, functions=()):
        self.namespace, self.traps, self.functions = namespace, traps, list(functions)
        self.printed = []

    def call(self, function, args, kwargs, return_args):
        target = self.namespace.get(function)
        if not callable(target):
            raise missing_problem(function)
        args = round_trip(list(args), self.traps.resolve)
        kwargs = round_trip(dict(kwargs), self.traps.resolve)
        self.traps.used, self.traps.current = [], function
        # a time limit where the platform has one (not on Windows, not off the main thread)
        use_alarm = hasattr(signal, "SIGALRM") and \
            threading.current_thread() is threading.main_thread()
        previous = None
        if use_alarm:
            def on_alarm(signum, frame):
                raise _Alarm()
            previous = signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, CALL_TIMEOUT)
        try:
            reply = invoke(target, args, kwargs, return_args, _Alarm, lambda: self.traps.used)
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
            self.traps.current = None
        value, after, _ = decode(reply, function, self.functions, CALL_TIMEOUT)
        return value, after


def _indent(lines, prefix):
    return [prefix + line for text in lines for line in str(text).splitlines() or [""]]


def report(function, results, hidden_count):
    """The printed lines for one function's public tests."""
    if results and all(r.status == "error" and "not written yet" in r.output for r in results):
        if not results[0].output.startswith(f"{function} is not written yet"):
            return [results[0].output]  # it calls another function that is not written yet
        return [f"{function}: not written yet. Replace the whole `raise NotImplementedError(...)` "
                f"(down to its closing bracket) with your code, then run this cell again."]
    passed = sum(r.status == "passed" for r in results)
    lines = [f"{function}: {passed} of {len(results)} public tests passed"]
    for r in results:
        if r.status == "passed":
            lines.append(f"  passed  {r.name}")
        else:
            lines.append(f"  {r.status.upper():7} {r.name}")
            lines += _indent(r.lines or [r.output], " " * 10)
    if hidden_count:
        lines.append(f"  ({hidden_count} hidden test{'s' if hidden_count > 1 else ''} of "
                     f"{function} will also run when your notebook is graded)")
    else:
        lines.append(f"  (grading runs these same tests of {function}; none are hidden)")
    return lines


def check(exercise, function=None, namespace=None, _depth=1):
    """Self-check `function` (or all of the exercise's functions). Prints; returns None."""
    if os.environ.get("NNLESSONS_GRADING_CHILD") == "1":
        return None  # inside the grader's sandbox: the grader runs the tests itself
    try:
        lines = _check_lines(exercise, function, namespace, _depth + 1)
    except Exception as error:  # a self-check must never stop "Run all"
        lines = [f"The self-check could not run: {type(error).__name__}: {error}"]
    print("\n".join(lines))
    return None


def _check_lines(exercise, function, namespace, depth):
    try:
        suite = load_suite(exercise)
    except SuiteNotFound as error:
        return [f"No self-check available: {error}"]
    if namespace is None:
        frame = sys._getframe(depth)
        namespace = frame.f_globals
        wanted = [function] if function else suite.functions
        if not any(name in namespace for name in wanted):
            namespace = vars(sys.modules["__main__"])
    functions = [function] if function else list(suite.functions)
    unknown = [f for f in functions if f not in suite.functions]
    if unknown:
        return [f"Exercise {exercise} has no function {unknown[0]!r}; its functions are: "
                f"{', '.join(suite.functions)}"]
    traps = Traps(suite.forbidden, namespace).install()
    lines = []
    try:
        for name in functions:
            known = {}
            target = namespace.get(name)
            if not callable(target):
                known[name] = missing_problem(name)
            else:
                try:
                    source = inspect.getsource(target)
                except (OSError, TypeError):
                    source = ""
                used = static_uses([_module_source(namespace), source], name,
                                   suite.forbidden.get(name, []))
                if used:
                    known[name] = forbidden_problem(name, used)
            public = suite.tests_of(name, public_only=True)
            # the hidden tests are not shipped, only how many there are
            hidden = suite.hidden_counts.get(name, 0)
            results = run_tests(public, LocalBackend(namespace, traps, suite.functions), known)
            lines += report(name, results, hidden)
    finally:
        traps.remove()
    return lines


def _module_source(namespace):
    """The import lines the notebook ran so far (IPython keeps the cells in `In`)."""
    cells = namespace.get("In")
    if isinstance(cells, list):
        return "\n".join(line for cell in cells if isinstance(cell, str)
                         for line in cell.splitlines()
                         if line.startswith(("import ", "from ")) or " = nn" in line)
    return ""
