"""What a grader is made of: a `Suite` of tests for one exercise notebook.

Each exercise has two suite modules, each building one `Suite` named `suite`:
- the PUBLIC one, shipped in the package (`nnlessons/grading/suites/ex01_neuron.py`): the
  functions, what they may not call, the public tests with their expected values stored as
  literals, and only the NUMBER of hidden tests per function (for the learner's self-check);
- the HIDDEN one, for the instructor only, outside the package (`instructor/graders/
  ex01_neuron.py` of the course repository, or a folder given to `nnlessons grade --tests DIR`):
  the hidden tests and the reference answers they compare with. Every hidden test says what kind
  of case it checks (`case=`) and gives a hint (`hint=`); that is all a learner sees of it.

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
    case: str = ""   # what kind of case a hidden test checks, in words a learner may read
    hint: str = ""   # what to try when it fails, without its inputs or expected values

    def renamed(self, name):
        return Test(name, self.function, self.points, self.hidden, self.run, self.description,
                    self.case, self.hint)


@dataclass
class Suite:
    """The tests of one exercise notebook.

    exercise   the notebook's id, e.g. "01_neuron" (its file stem)
    forbidden  {learner function: [dotted nnlessons names it must not use]}
    functions  the learner's functions in the order the notebook asks for them (default: in the
               order tests and `forbidden` name them)
    hidden_counts  {learner function: how many hidden tests it has} (public suites only: the
               self-check tells the learner the number, the tests themselves are not shipped)
    """
    exercise: str
    forbidden: dict = field(default_factory=dict)
    functions: list = field(default_factory=list)
    tests: list = field(default_factory=list)
    hidden_counts: dict = field(default_factory=dict)

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
        self.hidden_counts = dict(self.hidden_counts)
        for function, count in self.hidden_counts.items():
            if not (isinstance(count, int) and not isinstance(count, bool) and count >= 0):
                raise ValueError(f"hidden_counts[{function!r}] must be a whole number of "
                                 f"tests (0 or more); got {count!r}")
            self._add_function(function)

    def _add_function(self, function):
        if not isinstance(function, str) or not function.isidentifier():
            raise ValueError(f"function must be the name of the learner's function; "
                             f"got {function!r}")
        if function not in self.functions:
            self.functions.append(function)

    def test(self, function, points=1, hidden=False, name=None, case=None, hint=None):
        """Decorator: register `run(student, expect)` as a test of the learner's `function`.

        A hidden test needs `case`: the kind of case it checks ("a batch of one example", "your
        function changed its input"), and should have a `hint` the learner can act on. They are
        all a learner sees of a hidden test, so neither may give its inputs or expected values.
        """
        if not (isinstance(points, (int, float)) and points > 0):
            raise ValueError(f"points must be a positive number; got {points!r}")
        for label, text in (("case", case), ("hint", hint)):
            if text is not None and not (isinstance(text, str) and text.strip()):
                raise ValueError(f"{label} must be a sentence for the learner; got {text!r}")

        def register(run):
            test_name = name or run.__name__
            if any(t.name == test_name for t in self.tests):
                raise ValueError(f"suite {self.exercise} already has a test named {test_name!r}")
            if hidden and case is None:
                raise ValueError(
                    f"hidden test {test_name!r} of suite {self.exercise} needs case=\"...\": "
                    f"the kind of case it checks, e.g. \"a batch of one example\" (the learner "
                    f"sees it, never the test's inputs or expected values)")
            self._add_function(function)
            doc = (run.__doc__ or "").strip().splitlines()
            self.tests.append(Test(test_name, function, points, bool(hidden), run,
                                   doc[0] if doc else "", (case or "").strip(),
                                   (hint or "").strip()))
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
        result = Suite(self.exercise, self.forbidden, self.functions, list(self.tests),
                       self.hidden_counts)
        for function, names in other.forbidden.items():
            merged = result.forbidden.setdefault(function, [])
            merged.extend(n for n in names if n not in merged)
            result._add_function(function)
        for test in other.tests:
            if any(t.name == test.name for t in result.tests):
                test = test.renamed(f"{prefix}.{test.name}")
            result._add_function(test.function)
            result.tests.append(test)
        return result


class SuiteNotFound(LookupError):
    pass


class HiddenTestsMissing(SuiteNotFound):
    """An exercise to grade has no hidden suite, and the instructor did not ask for public tests
    only: grading its public tests alone would give full marks the hidden tests might not."""


def default_hidden_dir():
    """Where the hidden suites are in a source checkout: `instructor/graders` beside the package.
    A package installed from a wheel has no such folder (it is never shipped)."""
    import nnlessons
    return Path(nnlessons.__file__).resolve().parents[1] / "instructor" / "graders"


def module_name(exercise):
    """Where the shipped suite of `exercise` lives: nnlessons.grading.suites.ex01_neuron."""
    return f"{__package__}.suites.ex{exercise}"


def shipped_exercises():
    """The exercise ids that have a suite inside the package, in order."""
    from . import suites
    names = [m.name[2:] for m in pkgutil.iter_modules(suites.__path__) if m.name.startswith("ex")]
    return sorted(n for n in names if EXERCISE_ID.match(n))


def load_suite(exercise):
    """The public suite of `exercise` ("01_neuron"), shipped in the package: no hidden tests (the
    self-check uses it alone; grading merges the hidden suite, see SuiteLibrary)."""
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
    """The suite modules of a folder (hidden suites, an instructor's own tests): every `*.py` in
    `directory` defining `suite`. Returns {exercise: [(module stem, Suite), ...]}."""
    directory = Path(directory)
    found = {}
    for path in sorted(directory.glob("*.py")):
        name = f"_nnlessons_extra_tests_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as error:
            raise SuiteNotFound(f"the test module {path} could not be loaded: "
                                f"{type(error).__name__}: {error}") from error
        suite = _suite_of(module, str(path))
        found.setdefault(suite.exercise, []).append((path.stem, suite))
    return found


class SuiteLibrary:
    """The suites of one grading run: each exercise's public suite from the package, merged with
    its hidden suite and any tests of the instructor's own.

    test_dirs    folders of suite modules (`nnlessons grade --tests DIR`); when none is given,
                 `instructor/graders` of the source checkout the package runs from, if it does
    public_only  grade without hidden tests (`--public-only`): the default folder is not read, and
                 an exercise without a hidden suite is graded on its public tests

    Otherwise `get` raises HiddenTestsMissing for an exercise that has no hidden suite.
    """

    def __init__(self, test_dirs=(), public_only=False):
        self.public_only = bool(public_only)
        given = [Path(d) for d in test_dirs]
        default = default_hidden_dir()
        if given or self.public_only:
            self.dirs = given
        else:
            self.dirs = [default] if default.is_dir() else []
        self._looked_in = (f"the --tests folders {', '.join(map(str, given))}" if given else
                           f"{default} (instructor/graders of a source checkout; a package "
                           f"installed with pip has none)" + ("" if default.is_dir() else
                                                              ", which does not exist"))
        self.extra = {}
        for directory in self.dirs:
            for exercise, suites in load_test_dir(directory).items():
                self.extra.setdefault(exercise, []).extend(suites)
        self._cache = {}

    def known(self):
        return sorted(set(shipped_exercises()) | set(self.extra))

    def has_hidden(self, exercise=None):
        """Whether a hidden suite was found for `exercise` (for any exercise when None)."""
        return bool(self.extra) if exercise is None else exercise in self.extra

    def missing_hidden(self, exercise=None):
        """The message refusing to grade `exercise` (every exercise when None) without its hidden
        tests: where the library looked, and what to pass."""
        what = f"exercise {exercise}" if exercise else "any exercise"
        return (f"no hidden tests found for {what}: looked in {self._looked_in}. Grading the "
                f"public tests alone could give full marks to work the hidden tests fail. Pass "
                f"--tests DIR with the folder of the hidden graders (instructor/graders of the "
                f"course repository), or --public-only to grade with the public tests only")

    def get(self, exercise):
        if exercise not in self._cache:
            try:
                suite = load_suite(exercise)
            except SuiteNotFound:
                if exercise not in self.extra:
                    raise
                suite = Suite(exercise)
            if not self.public_only and exercise not in self.extra:
                raise HiddenTestsMissing(self.missing_hidden(exercise))
            for stem, extra in self.extra.get(exercise, []):
                suite = suite.merged(extra, stem)
            self._cache[exercise] = suite
        return self._cache[exercise]
