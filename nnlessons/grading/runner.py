"""Run a suite's tests against a learner's functions, wherever those functions live.

A *backend* makes the calls: `LocalBackend` (selfcheck.py) calls functions in the learner's own
kernel; `SandboxBackend` (grader.py) sends each call to the child process. Both give the same
`student` object to tests, so a test is written once and means the same in both places.
"""
from dataclasses import dataclass, field

import numpy as np

from .codec import Ref
from .expect import Expect, Failed, Forbidden, Missing, StudentProblem, TimedOut


@dataclass
class TestResult:
    name: str
    function: str
    points: float
    hidden: bool
    status: str  # passed, failed, error, timeout
    output: str = ""
    lines: list = field(default_factory=list)  # the feedback, line by line
    case: str = ""  # a hidden test: the kind of case it checks
    hint: str = ""  # a hidden test: what to try, without its inputs or expected values

    @classmethod
    def of(cls, test, status, output="", lines=None):
        """The result of `test` (a suite.Test): its status, and its feedback as one text and
        line by line (one line, the whole text, by default)."""
        lines = list(lines) if lines is not None else [output] if output else []
        return cls(test.name, test.function, test.points, test.hidden, status, output, lines,
                   test.case, test.hint)

    @property
    def score(self):
        return self.points if self.status == "passed" else 0

    def as_dict(self):
        """Everything, for the instructor (the hidden tests' names and outputs included)."""
        return {"name": self.name, "function": self.function, "hidden": self.hidden,
                "score": self.score, "max_score": self.points, "status": self.status,
                "output": self.output, "case": self.case, "hint": self.hint}

    def learner_view(self):
        """What the learner may see of this result. A hidden test shows its kind of case and its
        hint but never its name or output: the output may hold the test's inputs, its expected
        value, or the learner's own prints and exception messages, which can echo the inputs."""
        view = {"hidden": self.hidden, "function": self.function, "status": self.status,
                "score": self.score, "max_score": self.points}
        if self.hidden:
            view.update(case=self.case, hint=self.hint)
        else:
            view = {"name": self.name, **view, "output": self.output}
        return view


class StudentFunction:
    """`student.NAME`: calling it calls the learner's function NAME through the backend."""

    def __init__(self, backend, name):
        self._backend, self._name = backend, name

    def __call__(self, *args, **kwargs):
        result, _ = self._backend.call(self._name, args, kwargs, False)
        return result

    def call_checking_inputs(self, *args, **kwargs):
        """Call, and also say which arguments the learner's function modified.
        Returns (result, changed) where changed lists e.g. ["X (argument 1)"]: pass it to
        `expect.unchanged(changed)`."""
        result, after = self._backend.call(self._name, args, kwargs, True)
        after_args, after_kwargs = after
        # a function handed in by ref() cannot change: only data arguments are compared
        changed = [f"argument {i + 1}" for i, (a, b) in enumerate(zip(args, after_args))
                   if not isinstance(a, Ref) and not same_data(a, b)]
        changed += [f"{k}=" for k in kwargs
                    if not isinstance(kwargs[k], Ref) and not same_data(kwargs[k],
                                                                        after_kwargs.get(k))]
        return result, changed

    def __repr__(self):
        return f"<the learner's function {self._name}>"


class Student:
    """The learner's functions, reached as attributes: `student.weighted_sum(X, w, b)`."""

    def __init__(self, backend):
        self._backend = backend

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return StudentFunction(self._backend, name)


def same_data(a, b):
    """Structural equality of plain data, arrays compared by shape, dtype and value."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f")))
    if isinstance(a, (list, tuple)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(same_data(x, y) for x, y in zip(a, b)))
    if isinstance(a, dict):
        return (isinstance(b, dict) and a.keys() == b.keys()
                and all(same_data(a[k], b[k]) for k in a))
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    return type(a) is type(b) and a == b


def run_test(test, backend):
    """Run one test; never raises. Returns a TestResult. What the learner's function printed
    during a test that did not pass is added to its output (capped by the child)."""
    backend.printed = []
    result = _run_test(test, backend)
    printed = "".join(getattr(backend, "printed", []))
    if printed and result.status != "passed":
        extra = f"your function printed:\n{printed[:5000]}"
        result.output = f"{result.output}\n{extra}" if result.output else extra
        result.lines.append(extra)
    return result


def _run_test(test, backend):
    expect = Expect()
    try:
        test.run(Student(backend), expect)
    except Failed as failure:
        lines = failure.feedback.lines()
        return TestResult.of(test, "failed", "\n".join(lines), lines)
    except StudentProblem as problem:
        return TestResult.of(test, problem.status, problem.message)
    except Exception as error:  # the answer broke the test's own code: a wrong kind of answer
        message = (f"the answer could not be checked ({type(error).__name__}: "
                   f"{str(error)[:300]}); check what your function returns")
        return TestResult.of(test, "failed", message)
    return TestResult.of(test, "passed")


def run_tests(tests, backend, known_problems=None, timeouts=None):
    """Run `tests` in order. `known_problems` maps a function to a StudentProblem found before
    any test ran (missing, forbidden): its tests get that result without a call. A function
    that runs out of time twice is not called again; pass the same `known_problems` and
    `timeouts` dicts to a later run (the hidden tests after the public ones) to carry that on."""
    problems = known_problems if known_problems is not None else {}
    timeouts = timeouts if timeouts is not None else {}
    results = []
    for test in tests:
        problem = problems.get(test.function)
        if problem is not None:
            results.append(TestResult.of(test, problem.status, problem.message))
            continue
        result = run_test(test, backend)
        results.append(result)
        if result.status == "timeout":
            timeouts[test.function] = timeouts.get(test.function, 0) + 1
            if timeouts[test.function] >= 2:
                problems[test.function] = TimedOut(
                    f"not run: {test.function} ran for more than its time limit twice already")
    return results


def missing_problem(function):
    return Missing(f"your notebook has no function named {function}; keep the name and the "
                   f"signature the exercise gives")


def forbidden_problem(function, names):
    problem = Forbidden(f"not allowed: {function} calls {', '.join(names)}; write it yourself "
                        f"with NumPy instead of calling the course's reference code")
    problem.names = list(names)
    return problem
