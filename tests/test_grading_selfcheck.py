"""The learner's self-check, the plain-data codec, and the forbidden-call guards."""
import base64
import io

import numpy as np
import pytest

import nnlessons
from nnlessons import activations
from nnlessons.grading import check, codec
from nnlessons.grading.forbidden import ForbiddenCallError, Traps, static_uses
from nnlessons.grading.selfcheck import check as check_in


def run_check(capsys, namespace, function, exercise="01_neuron"):
    assert check_in(exercise, function, namespace=namespace) is None
    return capsys.readouterr().out


def good_sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # never overflows (the naive form fails sigmoid_very_large_inputs)
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def test_passing_function_prints_one_line_per_public_test(capsys):
    out = run_check(capsys, {"sigmoid": good_sigmoid}, "sigmoid")
    assert out == ("sigmoid: 4 of 4 public tests passed\n"
                   "  passed  sigmoid_values\n"
                   "  passed  sigmoid_keeps_shape\n"
                   "  passed  sigmoid_very_large_inputs\n"
                   "  passed  sigmoid_keeps_its_input\n"
                   "  (2 hidden tests of sigmoid will also run when your notebook is graded)\n")


def test_failing_function_gets_input_expected_got_and_hint(capsys):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(np.asarray(z, dtype=float)))
    out = run_check(capsys, {"sigmoid": sigmoid}, "sigmoid")
    assert out.startswith("sigmoid: 1 of 4 public tests passed\n  FAILED  sigmoid_values\n")
    for field in ("input: z=[-2, 0, 1, 3]", "expected: [0.119203, 0.5", "got: [0.880797",
                  "hint: 1 / (1 + e^(-z))"):
        assert field in out
    assert out == run_check(capsys, {"sigmoid": sigmoid}, "sigmoid")  # deterministic


def test_unwritten_and_missing_functions_never_raise(capsys):
    def sigmoid(z):
        raise NotImplementedError("use np.exp")
    out = run_check(capsys, {"sigmoid": sigmoid}, "sigmoid")
    assert out.startswith("sigmoid: not written yet.")
    assert "no function named sigmoid" in run_check(capsys, {}, "sigmoid")
    assert "has no function 'nope'" in run_check(capsys, {}, "nope")
    assert "No self-check available" in run_check(capsys, {}, "x", exercise="99_nothing")


def test_learner_exception_is_reported_without_traceback(capsys):
    def weighted_sum(X, weights, bias):
        return X @ weights[:1] + bias
    out = run_check(capsys, {"weighted_sum": weighted_sum}, "weighted_sum")
    assert "ERROR   one_example" in out and "weighted_sum raised ValueError" in out
    assert "Traceback" not in out


def test_forbidden_reference_is_caught_statically_and_at_run_time(capsys):
    namespace = {"nnlessons": nnlessons}
    exec("def sigmoid(z):\n    return nnlessons.activations.sigmoid(z)\n", namespace)
    # exec'd code has no source file: only the run-time trap can see it
    out = run_check(capsys, namespace, "sigmoid")
    assert "not allowed: sigmoid calls nnlessons.activations.sigmoid" in out
    alias = {"reference": activations.sigmoid}
    exec("def sigmoid(z):\n    return reference(z)\n", alias)
    assert "not allowed" in run_check(capsys, alias, "sigmoid")
    assert activations.sigmoid.__name__ == "sigmoid" and alias["reference"] is activations.sigmoid


def test_check_finds_the_callers_globals(capsys):
    global sigmoid
    sigmoid = good_sigmoid
    try:
        check("01_neuron", "sigmoid")
    finally:
        del sigmoid
    assert "4 of 4 public tests passed" in capsys.readouterr().out


def test_check_is_silent_inside_the_grader(capsys, monkeypatch):
    monkeypatch.setenv("NNLESSONS_GRADING_CHILD", "1")
    check("01_neuron", "sigmoid")
    assert capsys.readouterr().out == ""


# --- codec ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [None, True, 3, -2.5, float("nan"), float("inf"), "text",
                                   [1, [2.0, None]], (1, (2, 3)), {"a": (1, 2)},
                                   np.arange(6, dtype=np.int32).reshape(2, 3),
                                   np.array([np.nan, 1.0]), np.zeros((0, 3)),
                                   np.array([True, False])])
def test_round_trip_keeps_value_and_type(value):
    back = codec.loads(codec.dumps({"v": codec.to_plain(value)}))["v"]
    back = codec.from_plain(back)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape
        assert np.array_equal(back, value, equal_nan=value.dtype.kind == "f")
    elif isinstance(value, float) and value != value:
        assert back != back
    else:
        assert back == value and type(back) is type(value)


def test_numpy_scalars_and_generators_become_plain():
    assert codec.round_trip(np.float64(1.5)) == 1.5
    assert type(codec.round_trip(np.int64(3))) is int
    assert codec.round_trip(x * x for x in range(4)) == [0, 1, 4, 9]


def test_unsupported_values_are_refused():
    for value in (object(), {1: 2}, np.array(["a"]), np.array([1 + 2j]), {1, 2}, print):
        with pytest.raises(codec.EncodeError):
            codec.to_plain(value)


def test_pickled_or_malformed_data_is_never_loaded():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    pickled = {"__ndarray__": base64.b64encode(buffer.getvalue()).decode()}
    for bad in (pickled, {"__ndarray__": "!!"}, {"x": 1}, {"__float__": "1e5"},
                {"__ref__": "nnlessons.activations.sigmoid"}, {"__tuple__": 3}):
        with pytest.raises(codec.DecodeError):
            codec.from_plain(bad)
    with pytest.raises(codec.DecodeError):
        codec.loads(b"[" * 100000)
    assert codec.from_plain({"__ref__": "nnlessons.activations.sigmoid"},
                            resolve_refs=True) is activations.sigmoid
    with pytest.raises(codec.DecodeError):
        codec.from_plain({"__ref__": "os.system"}, resolve_refs=True)
    with pytest.raises(ValueError):
        codec.ref("os.system")


# --- forbidden --------------------------------------------------------------------------------

NAMES = ["nnlessons.activations.sigmoid"]


@pytest.mark.parametrize("source", [
    "import nnlessons as nn\ndef sigmoid(z):\n    return nn.activations.sigmoid(z)",
    "from nnlessons.activations import sigmoid as s\ndef sigmoid(z):\n    return s(z)",
    "from nnlessons import activations\ndef sigmoid(z):\n    return activations.sigmoid(z)",
    "import nnlessons.activations\ndef sigmoid(z):\n    return nnlessons.activations.sigmoid(z)",
    "import nnlessons as nn\nf = nn.activations.sigmoid\ndef sigmoid(z):\n    return f(z)",
    "def sigmoid(z):\n    from nnlessons.activations import sigmoid as s\n    return s(z)",
    "from nnlessons.activations import *\ndef sigmoid(z):\n    return globals()['x'] or sigmoid(z)",
])
def test_static_check_sees_aliases(source):
    assert static_uses([source], "sigmoid", NAMES) == NAMES


@pytest.mark.parametrize("source", [
    "import numpy as np\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))",
    "import nnlessons as nn\ndef other(z):\n    return nn.activations.sigmoid(z)\n"
    "def sigmoid(z):\n    return 0.5",
    "def sigmoid(z:\n",
])
def test_static_check_has_no_false_alarms(source):
    assert static_uses([source], "sigmoid", NAMES) == []


def test_traps_refuse_only_for_the_graded_function_and_restore():
    original = activations.sigmoid
    from nnlessons import losses
    traps = Traps({"sigmoid": NAMES}).install()
    try:
        assert activations.sigmoid is not original
        assert losses.sigmoid is activations.sigmoid  # every module's binding is trapped
        assert activations.sigmoid(0.0) == 0.5       # nobody graded: works
        traps.current = "layer_forward"
        assert activations.sigmoid(0.0) == 0.5       # allowed for another function
        traps.current = "sigmoid"
        with pytest.raises(ForbiddenCallError):
            losses.binary_cross_entropy_from_logits_gradient(np.zeros(2), np.ones(2))
        assert traps.used == NAMES
    finally:
        traps.remove()
    assert activations.sigmoid is original and losses.sigmoid is original


def test_unwritten_helper_is_named(capsys, tmp_path):
    def sigmoid(z):
        raise NotImplementedError("use np.exp")

    def layer_forward(X, weights, biases):
        return sigmoid(X @ weights + biases)
    out = run_check(capsys, {"sigmoid": sigmoid, "layer_forward": layer_forward},
                    "layer_forward")
    assert out == "layer_forward calls sigmoid, which is not written yet; write sigmoid first\n"
    from nnlessons.grading.grader import grade_notebook
    from nnlessons.grading.testing import with_extra_cell
    root = __import__("pathlib").Path(__file__).resolve().parents[1]
    nb = with_extra_cell(root / "solutions" / "01_neuron.ipynb",
                         "def sigmoid(z):\n    raise NotImplementedError('use np.exp')\n")
    result = grade_notebook(nb, exercise="01_neuron")
    layer = [t.output for t in result.tests if t.function == "layer_forward"]
    # one reader of outcomes (outcome.decode): the grader says what the self-check says
    assert layer and all(o == "layer_forward calls sigmoid, which is not written yet; write "
                              "sigmoid first" for o in layer)


def test_a_forbidden_function_passed_by_ref_arrives_as_the_original(capsys):
    from nnlessons.grading.suite import Suite, ref
    from nnlessons.grading.runner import run_tests
    from nnlessons.grading.selfcheck import LocalBackend
    suite = Suite("99_refs", forbidden={"apply": NAMES})

    @suite.test(function="apply")
    def applies(student, expect):
        expect.close(student.apply(ref("nnlessons.activations.sigmoid"), 0.0), 0.5)
    namespace = {"apply": lambda f, x: f(x)}
    traps = Traps(suite.forbidden, namespace).install()
    try:
        [result] = run_tests(suite.tests, LocalBackend(namespace, traps))
    finally:
        traps.remove()
    assert result.status == "passed", result.output


def test_traps_reach_lookup_tables_and_restore_them():
    # activations.ELEMENTWISE["sigmoid"] is a (function, derivative) pair holding the original
    original_pair = activations.ELEMENTWISE["sigmoid"]
    traps = Traps({"sigmoid": NAMES}).install()
    try:
        traps.current = "sigmoid"
        with pytest.raises(ForbiddenCallError):
            activations.ELEMENTWISE["sigmoid"][0](0.0)
        with pytest.raises(ForbiddenCallError):
            activations.get("sigmoid")[0](0.0)
        assert activations.ELEMENTWISE["sigmoid"][1] is original_pair[1]  # the rest untouched
    finally:
        traps.remove()
    assert activations.ELEMENTWISE["sigmoid"] is original_pair


def test_expect_raises_passes_only_on_the_named_exception_with_a_message():
    from nnlessons.grading.expect import Expect, Failed, NotWritten, StudentError
    expect = Expect()

    def raising(message):
        def call():
            raise StudentError(message)
        return call

    assert expect.raises(raising("f raised ValueError: empty list"), "ValueError") == "empty list"
    for outcome in (raising("f raised ValueError"), raising("f raised TypeError: no"),
                    lambda: 42):
        with pytest.raises(Failed) as failed:
            expect.raises(outcome, "ValueError", inputs="[]")
        assert "expected ValueError" in str(failed.value) and "input: []" in str(failed.value)

    def unwritten():
        raise NotWritten("f is not written yet")
    with pytest.raises(NotWritten):  # keeps its own status
        expect.raises(unwritten, "ValueError")


# --- what a learner sees of a hidden test -------------------------------------------------------

def test_a_hidden_test_shows_its_case_and_hint_never_its_output():
    from nnlessons.grading.runner import run_tests
    from nnlessons.grading.selfcheck import LocalBackend
    from nnlessons.grading.suite import Suite
    suite = Suite("99_views")

    @suite.test(function="double", points=2)
    def doubles_three(student, expect):
        expect.close(student.double(3.0), 6.0, inputs="x = 3")

    @suite.test(function="double", points=1, hidden=True, case="a number that is not whole",
                hint="multiply by 2 whatever the number")
    def doubles_a_secret(student, expect):
        expect.close(student.double(2.71875), 5.4375, inputs="x = 2.71875")

    def double(x):  # its exception message echoes the hidden input
        if x != int(x):
            raise ValueError(f"cannot double {x}")
        return 2 * x
    traps = Traps({}, {"double": double}).install()
    try:
        public, hidden = run_tests(suite.tests, LocalBackend({"double": double}, traps))
    finally:
        traps.remove()
    assert public.status == "passed" and hidden.status == "error"
    assert "2.71875" in hidden.output  # for the instructor
    assert hidden.learner_view() == {"hidden": True, "function": "double", "status": "error",
                                     "score": 0, "max_score": 1,
                                     "case": "a number that is not whole",
                                     "hint": "multiply by 2 whatever the number"}
    assert public.learner_view() == {"name": "doubles_three", "hidden": False,
                                     "function": "double", "status": "passed", "score": 2,
                                     "max_score": 2, "output": ""}
    everything = hidden.as_dict()
    assert everything["name"] == "doubles_a_secret" and "2.71875" in everything["output"]
    assert everything["case"] == "a number that is not whole"


def test_a_hidden_test_without_a_case_is_refused():
    from nnlessons.grading.suite import Suite
    suite = Suite("99_views")
    with pytest.raises(ValueError, match="needs case="):
        @suite.test(function="double", hidden=True, hint="a hint alone is not enough")
        def secret(student, expect):
            pass
    with pytest.raises(ValueError, match="hint must be a sentence"):
        suite.test(function="double", hidden=True, case="a case", hint="  ")


def test_the_self_check_counts_hidden_tests_it_does_not_have(capsys):
    from nnlessons.grading.suite import Suite, load_suite
    shipped = load_suite("01_neuron")
    assert not [t for t in shipped.tests if t.hidden]  # the package ships no hidden test
    assert shipped.hidden_counts["sigmoid"] == 2  # what the self-check above printed
    with pytest.raises(ValueError, match="whole number"):
        Suite("99_counts", hidden_counts={"f": -1})
