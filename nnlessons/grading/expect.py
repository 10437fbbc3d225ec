"""The checks a test makes (`expect`), and the feedback a failed one gives.

Every check compares in the grader's own process. A failed check raises `Failed` carrying a
`Feedback`: the input used, what was expected, what came back, and a hint for the usual mistake.
"""
import re

import numpy as np


def show(value, limit=300):
    """A short, deterministic text for a value in feedback."""
    if isinstance(value, np.ndarray):
        text = np.array2string(value, separator=", ", threshold=20, edgeitems=3,
                               max_line_width=10 ** 6,
                               formatter={"float_kind": lambda x: f"{x:.6g}"})
        text = " ".join(text.split())  # one line, whatever the shape
        if value.dtype.kind not in "f":
            text += f" (dtype {value.dtype})"
    elif isinstance(value, float):
        text = f"{value:.10g}"
    elif isinstance(value, (list, tuple)) and len(value) > 12:
        text = (repr(type(value)())[:1] + ", ".join(show(v, 40) for v in value[:6])
                + f", ... ({len(value)} items)" + repr(type(value)())[-1:])
    else:
        text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def shape_of(value):
    try:
        return np.shape(value)
    except Exception:
        return None


class Feedback:
    """What a learner reads about one check."""

    def __init__(self, message, inputs=None, expected=None, actual=None, hint=None):
        self.message, self.inputs, self.expected = message, inputs, expected
        self.actual, self.hint = actual, hint

    def lines(self):
        out = [self.message]
        for label, value in (("input", self.inputs), ("expected", self.expected),
                             ("got", self.actual), ("hint", self.hint)):
            if value not in (None, ""):
                out.append(f"{label}: {value}")
        return out

    def __str__(self):
        return "\n".join(self.lines())


class Failed(AssertionError):
    """A check failed: the test scores 0 with this feedback."""

    def __init__(self, feedback):
        super().__init__(str(feedback))
        self.feedback = feedback


# --- what can go wrong on the learner's side of a call (raised by `student.NAME(...)`) -------

class StudentProblem(Exception):
    """The learner's function did not give an answer. `status` is what the test is marked."""
    status = "error"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class StudentError(StudentProblem):
    """The learner's code raised an exception (its type and message, never our traceback)."""


class NotWritten(StudentProblem):
    """The function still raises NotImplementedError: the exercise is not done yet."""


class Missing(StudentProblem):
    """The notebook has no function of that name."""


class Forbidden(StudentProblem):
    """The function used a reference function of nnlessons that this exercise forbids."""
    status = "failed"


class TimedOut(StudentProblem):
    status = "timeout"


class Crashed(StudentProblem):
    """The child process died (os._exit, out of memory, killed) or broke the protocol."""


def _number_array(value):
    """`value` as a float array, or None if it is not numbers."""
    if isinstance(value, (str, bytes, dict)) or value is None:
        return None
    try:
        array = np.asarray(value)
    except Exception:
        return None
    if array.dtype.kind not in "biuf":
        return None
    return array.astype(np.float64)


class Expect:
    """The checks available to a test. Each takes optional `inputs` (a short text naming the
    input used) and `hint` (what to look at when it fails)."""

    def fail(self, message, inputs=None, expected=None, actual=None, hint=None):
        raise Failed(Feedback(message, inputs, expected, actual, hint))

    def raises(self, call, exception="ValueError", inputs=None, hint=None):
        """`call()` (a lambda around one `student.NAME(...)`) must make the learner's code raise
        `exception` with a message saying what was wrong. Returns that message. Any other
        outcome (an answer, another exception) fails with feedback; an unwritten function or a
        time-out keeps its own status."""
        try:
            got = call()
        except StudentError as error:
            raised = re.search(r" raised (\w+)(: )?", error.message)
            kind = raised.group(1) if raised else None
            if kind == exception and raised.group(2) and error.message[raised.end():].strip():
                return error.message[raised.end():]
            problem = (f"it raised {exception} without a message" if kind == exception
                       else f"it raised {kind or 'something else'}")
            self.fail(f"expected {exception} with a message saying what is wrong; {problem}",
                      inputs=inputs, expected=exception, actual=error.message, hint=hint)
        self.fail(f"expected {exception}: this input has no sensible answer", inputs=inputs,
                  expected=exception, actual=f"it returned {show(got, 80)}", hint=hint)

    def true(self, condition, message, inputs=None, hint=None):
        """`condition` must hold; `message` says what went wrong when it does not."""
        if not condition:
            self.fail(message, inputs=inputs, hint=hint)

    def equal(self, got, want, inputs=None, hint=None, what="the answer"):
        """Exact equality (numbers compared by value, arrays elementwise with equal shapes)."""
        if isinstance(want, np.ndarray) or isinstance(got, np.ndarray):
            same = (np.shape(got) == np.shape(want)
                    and bool(np.all(np.asarray(got) == np.asarray(want))))
        else:
            try:
                same = type(got) is type(want) and bool(got == want)
            except Exception:
                same = False
            if not same and isinstance(got, (int, float)) and isinstance(want, (int, float)):
                same = not isinstance(got, bool) and not isinstance(want, bool) and got == want
        if not same:
            self.fail(f"{what} is not right", inputs, show(want), show(got), hint)

    def shape(self, got, shape, inputs=None, hint=None, what="the answer"):
        """`got` must be an array (or nested list) of this shape."""
        actual = shape_of(got)
        if actual != tuple(shape):
            self.fail(f"{what} has the wrong shape", inputs, f"shape {tuple(shape)}",
                      f"shape {actual}" if actual is not None else show(got), hint)

    def dtype(self, got, kind="f", inputs=None, hint=None, what="the answer"):
        """`got` must be a NumPy array whose dtype kind is `kind` ('f' float, 'i' int, 'b' bool)."""
        names = {"f": "floating point", "i": "integer", "u": "unsigned integer", "b": "boolean"}
        if not isinstance(got, np.ndarray):
            self.fail(f"{what} should be a NumPy array", inputs,
                      f"a NumPy array of {names.get(kind, kind)} numbers",
                      f"a {type(got).__name__}: {show(got)}", hint)
        if got.dtype.kind != kind:
            self.fail(f"{what} has the wrong dtype", inputs,
                      f"{names.get(kind, kind)} numbers", f"dtype {got.dtype}", hint)

    def finite(self, got, inputs=None, hint=None, what="the answer"):
        """Every number in `got` must be finite (no NaN, no infinity)."""
        array = _number_array(got)
        if array is None:
            self.fail(f"{what} should be numbers", inputs, "numbers", show(got), hint)
        if not np.all(np.isfinite(array)):
            self.fail(f"{what} holds NaN or infinity", inputs, "finite numbers", show(got), hint)

    def close(self, got, want, rtol=1e-7, atol=1e-9, inputs=None, hint=None,
              what="the answer"):
        """Numbers (or arrays of the same shape) equal within `rtol`/`atol`."""
        want_array = np.asarray(want, dtype=np.float64)
        # stored expected values are lists: shown like arrays, rounded, not digit by digit
        wanted = show(want_array) if want_array.ndim else show(want)
        got_array = _number_array(got)
        if got_array is None:
            self.fail(f"{what} should be numbers", inputs, wanted,
                      f"a {type(got).__name__}: {show(got)}", hint)
        if got_array.shape != want_array.shape:
            # a single number returned as a 1-element array (or the reverse) is accepted
            if not (got_array.size == want_array.size == 1):
                self.fail(f"{what} has the wrong shape", inputs,
                          f"shape {want_array.shape}: {wanted}",
                          f"shape {got_array.shape}: {show(got)}", hint)
            got_array = got_array.reshape(want_array.shape)
        good = np.isclose(got_array, want_array, rtol=rtol, atol=atol, equal_nan=True)
        if not np.all(good):
            if want_array.ndim:
                first = tuple(int(i) for i in np.argwhere(~good)[0])
                where = f" (first difference at index {first[0] if len(first) == 1 else first})"
            else:
                where = ""
            self.fail(f"{what} is not right{where}", inputs, wanted, show(got), hint)

    def agrees_numerically(self, got, params, loss, inputs, check_shapes=True):
        """Each gradient `got[name]` agrees with a central-difference gradient of `loss(params)`
        (a function of the dict of parameters) nudged in `params[name]` alone: relative error
        below 1e-6, computed here in the grader."""
        from .. import calculus
        for name in params:
            trial = {key: value.copy() for key, value in params.items()}
            numerical = calculus.numerical_gradient(lambda p: loss({**trial, name: p}),
                                                    trial[name])
            if check_shapes:
                self.shape(got[name], numerical.shape, what=f"the gradient {name}")
            error = calculus.relative_error(got[name], numerical)
            self.true(error < 1e-6, f"the gradient {name} disagrees with a numerical gradient "
                      f"check (relative error {error:.1e}; below 1e-6 means right)",
                      inputs=inputs)

    def unchanged(self, changed, inputs=None, hint=None):
        """`changed` is the list `call_checking_inputs` returned: it must be empty."""
        if changed:
            self.fail(f"your function changed its input {', '.join(changed)}; "
                      f"it must leave its arguments as they were", inputs, hint=hint
                      or "work on a copy (X = X.copy()) or build a new array instead of "
                         "writing into the one you were given")


def scalar(value):
    """`value` as a Python float if it is one number (a float, or an array with one element)."""
    array = _number_array(value)
    if array is None or array.size != 1:
        return None
    return float(array.reshape(()))
