"""What a grader is made of: a `Suite` of tests for one exercise notebook.

A suite module (`nnlessons/grading/suites/ex01_neuron.py`, or an instructor's own file given to
`nnlessons grade --tests DIR`) builds one `Suite` named `suite`:

    from nnlessons.grading.suite import Suite, ref

    suite = Suite("01_neuron", forbidden={"weighted_sum": ["nnlessons.neuron.weighted_sum"]})

    @suite.test(function="weighted_sum", points=2)
    def one_example(student, expect):
        got = student.weighted_sum([1.0, 2.0], [0.5, -1.0], 0.25)
        expect.close(got, -1.25, inputs="x=[1, 2], w=[0.5, -1], b=0.25", hint="...")

A test receives `student` (its attributes call the learner's functions: directly in the learner's
kernel for the self-check, through the sandboxed child process when grading) and `expect` (the
checks; a failed one stops the test with feedback). See AUTHORING.md.
"""
import importlib
import importlib.util
import pkgutil
import re
from dataclasses import dataclass, field
from pathlib import Path

from .codec import Ref, ref  # noqa: F401  (re-exported for suite modules)

EXERCISE_ID = re.compile(r"^\d\d_[a-z][a-z0-9_]*$")


@dataclass
class Test:
    name: str
    function: str
    points: float
    hidden: bool
    run: object  # callable(student, expect)
    description: str = ""


@dataclass
class Suite:
    """The tests of one exercise notebook.

    exercise   the notebook's id, e.g. "01_neuron" (its file stem)
    forbidden  {learner function: [dotted nnlessons names it must not use]}
    functions  the learner's functions in the order the notebook asks for them (default: in the
               order tests and `forbidden` name them)
    """
    exercise: str
    forbidden: dict = field(default_factory=dict)
    functions: list = field(default_factory=list)
    tests: list = field(default_factory=list)

    def __post_init__(self):
        if not isinstance(self.exercise, str) or not EXERCISE_ID.match(self.exercise):
            raise ValueError(f"Suite(exercise=...) must be an id like '01_neuron'; "
                             f"got {self.exercise!r}")
        self.forbidden = {name: list(names) for name, names in dict(self.forbidden).items()}
        for function, names in self.forbidden.items():
            for name in names:
                Ref(name)  # checks the spelling: a dotted name inside nnlessons
        self.functions = list(self.functions)
        for function in self.forbidden:
            self._add_function(function)

    def _add_function(self, function):
        if not isinstance(function, str) or not function.isidentifier():
            raise ValueError(f"function must be the name of the learner's function; "
                             f"got {function!r}")
        if function not in self.functions:
            self.functions.append(function)

    def test(self, function, points=1, hidden=False, name=None):
        """Decorator: register `run(student, expect)` as a test of the learner's `function`."""
        if not (isinstance(points, (int, float)) and points > 0):
            raise ValueError(f"points must be a positive number; got {points!r}")

        def register(run):
            test_name = name or run.__name__
            if any(t.name == test_name for t in self.tests):
                raise ValueError(f"suite {self.exercise} already has a test named {test_name!r}")
            self._add_function(function)
            doc = (run.__doc__ or "").strip().splitlines()
            self.tests.append(Test(test_name, function, points, bool(hidden), run,
                                   doc[0] if doc else ""))
            return run

        return register

    @property
    def max_score(self):
        return sum(t.points for t in self.tests)

    def tests_of(self, function=None, public_only=False):
        return [t for t in self.tests
                if (function is None or t.function == function)
                and not (public_only and t.hidden)]

    def merged(self, other, prefix):
        """A new suite with `other`'s tests added (names clashing with ours get `prefix.`)."""
        result = Suite(self.exercise, self.forbidden, self.functions, list(self.tests))
        for function, names in other.forbidden.items():
            merged = result.forbidden.setdefault(function, [])
            merged.extend(n for n in names if n not in merged)
            result._add_function(function)
        for test in other.tests:
            if any(t.name == test.name for t in result.tests):
                test = Test(f"{prefix}.{test.name}", test.function, test.points, test.hidden,
                            test.run, test.description)
            result._add_function(test.function)
            result.tests.append(test)
        return result


class SuiteNotFound(LookupError):
    pass


def module_name(exercise):
    """Where the shipped suite of `exercise` lives: nnlessons.grading.suites.ex01_neuron."""
    return f"{__package__}.suites.ex{exercise}"


def shipped_exercises():
    """The exercise ids that have a suite inside the package, in order."""
    from . import suites
    names = [m.name[2:] for m in pkgutil.iter_modules(suites.__path__) if m.name.startswith("ex")]
    return sorted(n for n in names if EXERCISE_ID.match(n))


def load_suite(exercise):
    """The shipped suite of `exercise` ("01_neuron")."""
    if not isinstance(exercise, str) or not EXERCISE_ID.match(exercise):
        raise SuiteNotFound(f"{exercise!r} is not an exercise id like '01_neuron'")
    try:
        module = importlib.import_module(module_name(exercise))
    except ModuleNotFoundError as error:
        if error.name != module_name(exercise):
            raise
        known = ", ".join(shipped_exercises()) or "none"
        raise SuiteNotFound(f"no grader for exercise {exercise!r} (known: {known})") from None
    return _suite_of(module, module.__name__, exercise)


def _suite_of(module, where, exercise=None):
    suite = getattr(module, "suite", None)
    if not isinstance(suite, Suite):
        raise SuiteNotFound(f"{where} does not define `suite = Suite(...)`")
    if exercise is not None and suite.exercise != exercise:
        raise SuiteNotFound(f"{where} defines a suite for {suite.exercise!r}, not {exercise!r}")
    return suite


def load_test_dir(directory):
    """An instructor's extra test modules: every `*.py` in `directory` defining `suite`.
    Returns {exercise: [(module stem, Suite), ...]}."""
    directory = Path(directory)
    found = {}
    for path in sorted(directory.glob("*.py")):
        name = f"_nnlessons_extra_tests_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        suite = _suite_of(module, str(path))
        found.setdefault(suite.exercise, []).append((path.stem, suite))
    return found


class SuiteLibrary:
    """The suites used by one grading run: the shipped ones plus an instructor's extras."""

    def __init__(self, extra_dirs=()):
        self.extra = {}
        for directory in extra_dirs:
            for exercise, suites in load_test_dir(directory).items():
                self.extra.setdefault(exercise, []).extend(suites)
        self._cache = {}

    def known(self):
        return sorted(set(shipped_exercises()) | set(self.extra))

    def get(self, exercise):
        if exercise not in self._cache:
            try:
                suite = load_suite(exercise)
            except SuiteNotFound:
                if exercise not in self.extra:
                    raise
                suite = Suite(exercise)
            for stem, extra in self.extra.get(exercise, []):
                suite = suite.merged(extra, stem)
            self._cache[exercise] = suite
        return self._cache[exercise]
