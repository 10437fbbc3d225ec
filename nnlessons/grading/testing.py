"""The shared body of every grader test module (`tests/test_grader_01_neuron.py`):

    from nnlessons.grading.testing import GraderTests

    class TestGrader(GraderTests):
        exercise = "01_neuron"

It proves, for that notebook, that the grader grades, with the public suite of the package and
the hidden suite of `instructor/graders/ex01_neuron.py` together:
- the two suites are apart: the public one holds public tests only and the number of hidden tests
  per function, which matches the hidden suite; the hidden one holds hidden tests only, each saying
  what kind of case it checks and giving a hint;
- every test passes on `solutions/01_neuron.ipynb`;
- every test fails (scores 0) on the untouched `exercises/01_neuron.ipynb`, which is up to date;
- every wrong-answer fixture `tests/fixtures/wrong/01_neuron/*.py` loses points on the tests its
  `LOSES` list names (public or hidden tests). A fixture is the learner's function(s) with a
  typical bug; it is run as an extra last cell after the solution's cells, so it replaces only
  the functions it defines.
"""
import ast
import inspect
import json
from pathlib import Path

from collections import Counter

from .grader import grade_notebook
from .release import make_exercise, render
from .suite import SuiteLibrary, load_suite, load_test_dir

_cache = {}


def grade_cached(key, source, library):
    if key not in _cache:
        _cache[key] = grade_notebook(source, library=library)
    return _cache[key]


def fixture_loses(path):
    """The `LOSES = [...]` list of a wrong-answer fixture, read without running it."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "LOSES"
                                                for t in node.targets):
            return list(ast.literal_eval(node.value))
    raise AssertionError(f"{path} has no LOSES = [names of the tests it must fail]")


def with_extra_cell(notebook_path, code):
    """The notebook at `notebook_path` with `code` appended as a last code cell."""
    nb = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "fixture",
                        "metadata": {}, "outputs": [], "source": code})
    return nb


def _describe(results):
    return "\n".join(f"  {t.name} [{t.function}]: {t.status}: {t.output}" for t in results)


class GraderTests:
    exercise = None  # set by the subclass, e.g. "01_neuron"

    @property
    def root(self):
        return Path(inspect.getfile(type(self))).resolve().parents[1]

    def path(self, folder):
        return self.root / folder / f"{self.exercise}.ipynb"

    @property
    def hidden_dir(self):
        return self.root / "instructor" / "graders"

    def library(self):
        """The public suites of the package and the hidden ones of this repository."""
        return SuiteLibrary([self.hidden_dir])

    def fixtures(self):
        return sorted((self.root / "tests" / "fixtures" / "wrong" / self.exercise).glob("*.py"))

    def pytest_generate_tests(self, metafunc):
        if "wrong_fixture" in metafunc.fixturenames:
            paths = self.fixtures()
            metafunc.parametrize("wrong_fixture", paths, ids=[p.stem for p in paths])

    def test_public_and_hidden_suites_are_apart(self):
        public = load_suite(self.exercise)
        hidden = [suite for _, suite in load_test_dir(self.hidden_dir).get(self.exercise, [])]
        assert len(hidden) == 1, f"instructor/graders should hold one hidden suite of " \
                                 f"{self.exercise}; it holds {len(hidden)}"
        [hidden] = hidden
        assert public.tests and not [t.name for t in public.tests if t.hidden], \
            "the package's suite must hold public tests only (it ships to learners)"
        assert hidden.tests and not [t.name for t in hidden.tests if not t.hidden], \
            "instructor/graders must hold hidden tests only"
        vague = [t.name for t in hidden.tests if not (t.case and t.hint)]
        assert not vague, f"hidden tests without case= or hint=: {vague}"
        clashes = {t.name for t in public.tests} & {t.name for t in hidden.tests}
        assert not clashes, f"test names used by both suites: {sorted(clashes)}"
        counts = dict(Counter(t.function for t in hidden.tests))
        assert public.hidden_counts == counts, \
            f"hidden_counts of the public suite say {public.hidden_counts}; the hidden suite " \
            f"has {counts} (the self-check prints these numbers)"

    def test_solution_passes_every_test(self):
        result = grade_cached(("solution", self.exercise), self.path("solutions"),
                              self.library())
        bad = [t for t in result.tests if t.status != "passed"]
        assert result.tests, f"the suite of {self.exercise} has no tests"
        assert not bad, f"tests that do not pass on solutions/{self.exercise}.ipynb:\n" \
                        f"{_describe(bad)}\nnotes: {result.notes}"

    def test_exercise_fails_every_graded_test(self):
        result = grade_cached(("exercise", self.exercise), self.path("exercises"),
                              self.library())
        passing = [t for t in result.tests if t.status == "passed"]
        assert not passing, f"tests that pass on the untouched exercises/{self.exercise}.ipynb " \
                            f"(they grade nothing):\n{_describe(passing)}"
        assert result.score == 0

    def test_exercise_is_released_from_solution(self):
        solution = json.loads(self.path("solutions").read_text(encoding="utf-8"))
        wanted = render(make_exercise(solution, self.exercise, str(self.path("solutions"))))
        assert self.path("exercises").exists() and \
            self.path("exercises").read_bytes() == wanted, \
            f"exercises/{self.exercise}.ipynb is not what `nnlessons release` writes: run it"

    def test_there_are_wrong_answer_fixtures(self):
        assert self.fixtures(), f"no wrong-answer fixture in tests/fixtures/wrong/{self.exercise}"

    def test_wrong_answer_loses_points(self, wrong_fixture):
        library = self.library()
        suite = library.get(self.exercise)
        loses = fixture_loses(wrong_fixture)
        names = {t.name for t in suite.tests}
        unknown = [name for name in loses if name not in names]
        assert not unknown, f"{wrong_fixture.name}: LOSES names unknown tests {unknown}"
        assert loses, f"{wrong_fixture.name}: LOSES must name at least one test"
        notebook = with_extra_cell(self.path("solutions"),
                                   wrong_fixture.read_text(encoding="utf-8"))
        result = grade_notebook(notebook, exercise=self.exercise, library=library)
        by_name = {t.name: t for t in result.tests}
        still_passing = [by_name[name] for name in loses if by_name[name].status == "passed"]
        assert not still_passing, f"{wrong_fixture.name} should fail these tests but passes " \
                                  f"them:\n{_describe(still_passing)}"
        assert result.score < result.max_score
