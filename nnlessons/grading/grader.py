"""Grade one submitted notebook: run its code in the sandbox, its tests here.

    result = grade_notebook("submissions/alice/01_neuron.ipynb")
    result.score, result.max_score, [t.status for t in result.tests]

The tests run in this process; each `student.NAME(...)` becomes a request to the sandbox, and
the answer is compared here, where no learner code has ever run. Nothing the sandbox sends is
trusted: a reply is plain data, checked field by field (outcome.decode), and the score is counted
here.
"""
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import notebook as nbfile
from . import isolation
from .codec import EncodeError, to_plain
from .expect import Crashed, Forbidden, TimedOut
from .forbidden import static_uses
from .outcome import decode, printable
from .runner import TestResult, forbidden_problem, missing_problem, run_tests
from .sandbox import ChildGone, ChildTimeout, Sandbox, _describe_status
from .suite import SuiteLibrary, SuiteNotFound

DEFAULT_TIMEOUT = 10.0        # seconds per call, and per notebook cell while loading
DEFAULT_BUDGET = 120.0        # seconds for a whole submission
DEFAULT_MEMORY = 2 * 1024 ** 3
GRACE = 1.0                   # the child's own alarm fires first; this is the backstop


@dataclass
class Submission:
    student: str
    exercise: str
    notebook: str
    tests: list = field(default_factory=list)
    notes: list = field(default_factory=list)   # skipped magics, cells that failed, ...
    error: str = ""                              # set when nothing could be graded
    isolation: str = "bubblewrap"                # "none": graded without the sandbox

    @property
    def score(self):
        return sum(t.score for t in self.tests)

    @property
    def max_score(self):
        return sum(t.points for t in self.tests)

    def as_dict(self):
        return {"student": self.student, "exercise": self.exercise, "notebook": self.notebook,
                "score": self.score, "max_score": self.max_score,
                "tests": [t.as_dict() for t in self.tests], "notes": list(self.notes),
                "error": self.error, "isolation": self.isolation}


class IsolationUnavailable(RuntimeError):
    """bubblewrap cannot run here, and the caller did not ask for `isolation="none"`."""


def _refs_in(plain):
    """The names of the reference functions a plain-data message passes (codec's `__ref__`)."""
    found = set()
    stack = [plain]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if set(item) == {"__ref__"}:
                found.add(item["__ref__"])
            else:
                stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


class SandboxBackend:
    """Calls the learner's functions in sandboxes, public tests first, then hidden ones.

    A function F is graded in a sandbox whose copy of nnlessons lacks at least the functions F
    may not use (package_view.py). As few sandboxes as can be: one lacking everything the
    exercise forbids any function serves all of them, except that a function gets back, in a
    sandbox of its own kind, the reference functions it may use and that something needed:
    - the notebook's own cells (a demo cell plotting with the course's `bowl_gradient`, which the
      learner's `bowl_gradient` may not call but `steps_to_converge` may),
    - the function itself (it reached reference code that only another function may not use),
    - its test (`gradient_descent` is handed the course's `bowl_gradient` to descend).
    So F's sandbox lacks everything forbidden to anyone except what was needed and F may use.
    Sandboxes share nothing: no process, no file.
    """

    def __init__(self, cells, functions, forbidden, timeout, budget, memory,
                 isolation_kind="bubblewrap"):
        self.cells, self.functions, self.forbidden = cells, functions, forbidden
        self.timeout, self.memory, self.budget = timeout, memory, budget
        self.isolation = isolation_kind
        self.deadline = time.monotonic() + budget
        self.everything = frozenset(n for names in forbidden.values() for n in names)
        self.boxes = {}             # forbidden names taken out -> _Box
        self.cells_need = set()     # reference names the notebook's cells reached while loading
        self.function_needs = {}    # learner function -> names it or its tests needed
        self.phase = "public"
        self.load_report = None     # the first load: cell errors, which functions exist
        self.notes = []             # cells that hung or killed a sandbox
        self.printed = []

    def remaining(self):
        return self.deadline - time.monotonic()

    def out_of_budget(self):
        return TimedOut(f"not run: the submission used up its {self.budget:g} s")

    def own(self, function):
        return frozenset(self.forbidden.get(function, []))

    def key(self, function):
        """The names taken out of the sandbox that grades `function`."""
        needed = self.cells_need | self.function_needs.get(function, set())
        return self.everything - (needed - self.own(function))

    def _box(self, key):
        if key not in self.boxes:
            self.boxes[key] = _Box(self, key)
        return self.boxes[key]

    def loaded(self, report):
        """Every load reports what its cells reached that was not there (untrusted: believing
        too much costs only time, since a function's own forbidden names always stay out)."""
        refused = report.get("refused")
        if isinstance(refused, list):
            self.cells_need.update(n for n in refused if isinstance(n, str))

    def start(self):
        """Load the notebook once (in the sandbox most functions use) and return its report."""
        return self._box(self.everything).start()

    def stop(self):
        for box in self.boxes.values():
            box.stop()

    def call(self, function, args, kwargs, return_args):
        if self.remaining() <= 0:
            raise self.out_of_budget()
        try:
            plain_args, plain_kwargs = to_plain(list(args)), to_plain(dict(kwargs))
        except EncodeError as error:
            raise RuntimeError(f"the test passes something that cannot be sent: {error}")
        refs = _refs_in([plain_args, plain_kwargs])
        if refs & self.own(function):
            raise RuntimeError(f"a test hands {function} {sorted(refs & self.own(function))}, "
                               f"which the suite forbids {function} to use")
        self.function_needs.setdefault(function, set()).update(refs)
        for _ in range(len(self.everything) + 2):  # each round gives back at least one name
            box = self._box(self.key(function))
            if box.sandbox is None:
                box.start()
                if box.key != self.key(function):
                    continue  # its cells needed more: go where they have it
            try:
                value, after, output = box.call(function, plain_args, plain_kwargs,
                                                return_args)
            except Forbidden as refusal:
                names = set(getattr(refusal, "names", ())) - self.own(function)
                if not names & box.key:
                    raise
                self.function_needs[function].update(names & box.key)
                continue
            if output:
                self.printed.append(output)
            return value, after
        raise Crashed(f"{function} could not be given the reference code it may use")


class _Box:
    """One sandbox of a submission: started (the notebook loaded) when first needed, restarted
    after a time-out or a crash with the cell that caused it skipped, a fresh worker per phase."""

    def __init__(self, backend, key):
        self.backend, self.key = backend, key
        self.sandbox = None
        self.worker_phase = None
        self.skip = set()
        self.next_id = 0

    def start(self):
        backend = self.backend
        for _ in range(len(backend.cells) + 2):
            message = self._start_once()
            if message is not None:
                break
        else:
            raise Crashed("your notebook stopped the grader again and again")
        cells = message.get("cells")
        for cell in cells if isinstance(cells, list) else []:
            if isinstance(cell, dict) and cell.get("status") == "timeout" \
                    and cell.get("index") in range(len(backend.cells)):
                self.skip.add(cell["index"])
        if backend.load_report is None:
            backend.load_report = message
        backend.loaded(message)
        return message

    def _start_once(self):
        """A sandbox, loaded: its "loaded" report, or None when a cell stopped it (that cell is
        then skipped)."""
        backend = self.backend
        if backend.remaining() <= 0:
            raise backend.out_of_budget()
        self.sandbox = Sandbox(self.key, backend.memory, backend.budget, backend.isolation)
        self.worker_phase = None
        running = None
        try:
            self.sandbox.send({"op": "load", "cells": backend.cells,
                               "functions": backend.functions, "timeout": backend.timeout,
                               "skip": sorted(self.skip)})
            while True:
                per_cell = time.monotonic() + backend.timeout + GRACE + 5.0  # + start-up
                message = self.sandbox.receive(min(per_cell, backend.deadline))
                event = message.get("event")
                if event == "cell" and message.get("index") in range(len(backend.cells)):
                    running = message["index"]
                elif event == "loaded":
                    return message
                else:
                    raise ChildGone("it broke the grader's connection")
        except (ChildTimeout, ChildGone) as error:
            self.stop()
            if isinstance(error, ChildTimeout) and backend.remaining() <= 0:
                raise backend.out_of_budget()
            if running is None or running in self.skip:
                raise Crashed(f"the grader could not run your notebook: {error}")
            self.skip.add(running)
            note = f"code cell {running + 1}: " + (
                "ran too long and was stopped" if isinstance(error, ChildTimeout)
                else f"stopped the grader: {error}") + "; it was skipped"
            if note not in backend.notes:
                backend.notes.append(note)
            return None

    def stop(self):
        if self.sandbox is not None:
            self.sandbox.kill()
            self.sandbox = None
        self.worker_phase = None

    def _worker(self, function):
        """A worker of the current phase, forked from the loaded notebook."""
        backend = self.backend
        if self.sandbox is None:
            self.start()
        if self.worker_phase == backend.phase:
            return
        if self.worker_phase is not None:
            self._end_worker()
            if self.sandbox is None:
                self.start()
        try:
            self.sandbox.send({"op": "worker"})
            message = self.sandbox.receive(min(time.monotonic() + 10.0, backend.deadline))
        except (ChildTimeout, ChildGone) as error:
            self.stop()
            raise Crashed(f"{function} could not be called: the notebook's process "
                          f"{error or 'stopped answering'}") from None
        if message.get("event") != "worker":
            self.stop()
            raise Crashed(f"{function} could not be called: the notebook's process broke the "
                          f"grader's connection")
        self.worker_phase = backend.phase

    def _end_worker(self):
        try:
            self.sandbox.send({"op": "end"})
            message = self.sandbox.receive(time.monotonic() + 5.0)
            if message.get("event") != "ended":
                raise ChildGone("it broke the grader's connection")
        except (ChildTimeout, ChildGone):
            self.stop()
        self.worker_phase = None

    def call(self, function, plain_args, plain_kwargs, return_args):
        backend = self.backend
        self._worker(function)
        self.next_id += 1
        request = {"op": "call", "id": self.next_id, "function": function, "args": plain_args,
                   "kwargs": plain_kwargs, "timeout": backend.timeout,
                   "return_args": return_args}
        try:
            self.sandbox.send(request)
            reply = self.sandbox.receive(min(time.monotonic() + backend.timeout + GRACE,
                                             backend.deadline))
        except ChildTimeout:
            self.stop()
            if backend.remaining() <= 0:
                raise backend.out_of_budget() from None
            raise TimedOut(f"{function} ran for more than {backend.timeout:g} s and was stopped "
                           f"(an endless loop?)") from None
        except ChildGone as error:
            self.stop()
            raise Crashed(f"{function} stopped the grader: {error}") from None
        if reply.get("event") == "ended":  # the worker died during the call
            self.worker_phase = None
            status = reply.get("status")
            raise Crashed(f"{function} stopped the grader: "
                          f"{_describe_status(status if isinstance(status, int) else None)}")
        if reply.get("event") != "result" or reply.get("id") != self.next_id:
            self.stop()
            raise Crashed(f"{function} broke the grader's connection")
        return decode(reply, function, backend.functions, backend.timeout)


def _failed_everything(suite, status, message):
    return [TestResult.of(t, status, message) for t in suite.tests]


def grade_notebook(source, exercise=None, student="", library=None, timeout=DEFAULT_TIMEOUT,
                   budget=DEFAULT_BUDGET, memory=DEFAULT_MEMORY, isolation_kind="bubblewrap"):
    """Grade one notebook (a path, or the notebook as a dict). Never raises for anything the
    submission does; raises SuiteNotFound when no grader exists for its exercise, and
    IsolationUnavailable when bubblewrap cannot run here unless `isolation_kind="none"`."""
    if isolation_kind not in ("bubblewrap", "none"):
        raise ValueError(f"isolation_kind must be 'bubblewrap' or 'none'; got {isolation_kind!r}")
    if isolation_kind == "bubblewrap" and isolation.problem():
        raise IsolationUnavailable(isolation.problem())
    library = library or SuiteLibrary()
    name = str(source) if isinstance(source, (str, Path)) else "<notebook>"
    try:
        data = nbfile.read(source)
        problem = None
    except nbfile.NotANotebook as error:
        data, problem = None, str(error)
    if exercise is None:
        exercise = nbfile.exercise_of(data or {}, name if name != "<notebook>" else None,
                                      library.known())
    if exercise is None:
        raise SuiteNotFound("cannot tell which exercise this is (no "
                            "nnlessons.exercise in its metadata, and no exercise id such as "
                            "01_neuron in its file name)")
    suite = library.get(exercise)
    result = Submission(student, exercise, name, isolation=isolation_kind)
    if problem is None:
        try:
            cells, notes = nbfile.code_cells(data)
            result.notes.extend(notes)
        except nbfile.NotANotebook as error:
            problem = str(error)
    if problem is not None:
        result.error = problem
        result.tests = _failed_everything(suite, "error", f"not graded: {problem}")
        return result

    known = {}
    for function in suite.functions:
        used = static_uses(cells, function, suite.forbidden.get(function, []))
        if used:
            known[function] = forbidden_problem(function, used)
    backend = SandboxBackend(cells, suite.functions, suite.forbidden, timeout, budget, memory,
                             isolation_kind)
    try:
        try:
            report = backend.start()
        except (TimedOut, Crashed) as problem:
            result.error = problem.message
            result.tests = _failed_everything(suite, problem.status, problem.message)
            return result
        # the report comes from the child: read it defensively
        cells_report = report.get("cells")
        without_reference = []
        for cell in cells_report if isinstance(cells_report, list) else []:
            if isinstance(cell, dict) and cell.get("status") in ("error", "timeout") \
                    and isinstance(cell.get("index"), int):
                message = printable(cell.get("message", ""), 300)
                if message.startswith("ForbiddenCallError: nnlessons."):
                    # the first sandbox lacks everything the exercise forbids anyone: a cell
                    # that needs some of it runs again, with it, where that is allowed
                    without_reference.append(str(cell["index"] + 1))
                else:
                    result.notes.append(f"code cell {cell['index'] + 1}: {message}")
        if without_reference:
            names = ", ".join(sorted(backend.cells_need)) or "reference code"
            result.notes.append(
                f"code cell{'s' if len(without_reference) > 1 else ''} "
                f"{', '.join(without_reference)} use{'' if len(without_reference) > 1 else 's'} "
                f"{names}, which the functions that must not use it are graded without; your "
                f"other functions were graded with it")
        exists = report.get("functions")
        exists = exists if isinstance(exists, dict) else {}
        for function in suite.functions:
            if exists.get(function) is not True and function not in known:
                known[function] = missing_problem(function)
        # every public test before any hidden one, the hidden ones in fresh workers: nothing a
        # hidden test passed in can reach a public test's feedback
        public = [t for t in suite.tests if not t.hidden]
        hidden = [t for t in suite.tests if t.hidden]
        timeouts = {}
        results = run_tests(public, backend, known, timeouts)
        backend.phase = "hidden"
        results += run_tests(hidden, backend, known, timeouts)
        order = {id(t): i for i, t in enumerate(suite.tests)}
        by_test = dict(zip([id(t) for t in public + hidden], results))
        result.tests = [by_test[id(t)] for t in sorted(suite.tests, key=lambda t: order[id(t)])]
        result.notes.extend(note for note in backend.notes if note not in result.notes)
    finally:
        backend.stop()
    return result
