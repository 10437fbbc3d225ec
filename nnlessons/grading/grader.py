"""Grade one submitted notebook: run its code in the sandbox, its tests here.

    result = grade_notebook("submissions/alice/01_neuron.ipynb")
    result.score, result.max_score, [t.status for t in result.tests]

The tests run in this process; each `student.NAME(...)` becomes a request to the child, and the
answer is compared here, where no learner code has ever run.
"""
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import notebook as nbfile
from .codec import DecodeError, EncodeError, from_plain, to_plain
from .expect import Crashed, NotWritten, StudentError, TimedOut
from .forbidden import static_uses
from .runner import TestResult, forbidden_problem, missing_problem, run_tests
from .sandbox import Child, ChildGone, ChildTimeout
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
                "error": self.error}


class SandboxBackend:
    """Calls the learner's functions in a child process; restarts it after a crash."""

    def __init__(self, cells, functions, forbidden, timeout, budget, memory):
        self.cells, self.functions, self.forbidden = cells, functions, forbidden
        self.timeout, self.memory = timeout, memory
        self.deadline = time.monotonic() + budget
        self.budget = budget
        self.child = None
        self.skip = set()           # cells that killed or hung a child: not run again
        self.load_report = None     # the first load: cell errors, which functions exist
        self.notes = []             # cells that hung or killed a child
        self.next_id = 0

    def _remaining(self):
        return self.deadline - time.monotonic()

    def _out_of_budget(self):
        return TimedOut(f"not run: the submission used up its {self.budget:g} s")

    def start(self):
        """Start a child and run the notebook's cells in it. A cell that hung or killed a child
        is skipped in every later child of this submission."""
        for _ in range(len(self.cells) + 2):
            message = self._start_once()
            if message is not None:
                break
        else:
            raise Crashed("your notebook stopped the grader again and again")
        cells = message.get("cells")
        for cell in cells if isinstance(cells, list) else []:
            if isinstance(cell, dict) and cell.get("status") == "timeout" \
                    and cell.get("index") in range(len(self.cells)):
                self.skip.add(cell["index"])
        if self.load_report is None:
            self.load_report = message
        return message

    def _start_once(self):
        """One child, loaded: its "loaded" report, or None when a cell stopped it (that cell
        is then skipped)."""
        if self._remaining() <= 0:
            raise self._out_of_budget()
        self.child = Child(self.memory)
        self.child.send({"op": "load", "cells": self.cells, "functions": self.functions,
                         "forbidden": self.forbidden, "timeout": self.timeout,
                         "skip": sorted(self.skip)})
        running = None
        while True:
            per_cell = time.monotonic() + self.timeout + GRACE + 5.0  # + start-up time
            try:
                message = self.child.receive(min(per_cell, self.deadline))
            except (ChildTimeout, ChildGone) as error:
                self.stop()
                if isinstance(error, ChildTimeout) and self._remaining() <= 0:
                    raise self._out_of_budget()
                if running is None or running in self.skip:
                    raise Crashed(f"the grader could not run your notebook: {error}")
                self.skip.add(running)
                self.notes.append(
                    f"code cell {running + 1}: " + (
                        "ran too long and was stopped" if isinstance(error, ChildTimeout)
                        else f"stopped the grader: {error}") + "; it was skipped")
                return None
            event = message.get("event")
            if event == "cell" and message.get("index") in range(len(self.cells)):
                running = message["index"]
            elif event == "loaded":
                return message
            else:
                self.stop()
                if running is None or running in self.skip:
                    raise Crashed("your notebook's code broke the grader's connection")
                self.skip.add(running)
                self.notes.append(f"code cell {running + 1}: it broke the grader's connection; "
                                  f"it was skipped")
                return None

    def stop(self):
        if self.child is not None:
            self.child.kill()
            self.child = None

    def call(self, function, args, kwargs, return_args):
        if self._remaining() <= 0:
            raise self._out_of_budget()
        try:
            plain_args, plain_kwargs = to_plain(list(args)), to_plain(dict(kwargs))
        except EncodeError as error:
            raise RuntimeError(f"the test passes something that cannot be sent: {error}")
        if self.child is None:
            self.start()
        self.next_id += 1
        request = {"op": "call", "id": self.next_id, "function": function, "args": plain_args,
                   "kwargs": plain_kwargs, "timeout": self.timeout, "return_args": return_args}
        try:
            self.child.send(request)
            reply = self.child.receive(min(time.monotonic() + self.timeout + GRACE,
                                           self.deadline))
        except ChildTimeout:
            self.stop()
            raise TimedOut(f"{function} ran for more than {self.timeout:g} s and was stopped "
                           f"(an endless loop?)") from None
        except ChildGone as error:
            self.stop()
            raise Crashed(f"{function} stopped the grader: {error}") from None
        if reply.get("event") != "result" or reply.get("id") != self.next_id:
            self.stop()
            raise Crashed(f"{function} broke the grader's connection")
        output = reply.get("output") or ""
        status = reply.get("status")
        suffix = f"\nyour function printed:\n{output}" if output else ""
        if status == "ok":
            if output:
                self.printed = getattr(self, "printed", []) + [output]
            try:
                value = from_plain(reply.get("value"))
                after = from_plain(reply["after"]) if return_args else None
            except (DecodeError, KeyError, TypeError):
                raise Crashed(f"{function} sent back an answer the grader cannot read") from None
            if return_args:
                if not (isinstance(after, list) and len(after) == 2):
                    raise Crashed(f"{function} sent back an answer the grader cannot read")
                after = (after[0], after[1])
            return value, after
        if status == "timeout":
            raise TimedOut(f"{function} ran for more than {self.timeout:g} s and was stopped "
                           f"(an endless loop?){suffix}")
        if status == "not_written":
            other = reply.get("raised_in")
            if isinstance(other, str) and other != function and other in self.functions:
                raise NotWritten(f"{function} calls {other}, which is not written yet")
            raise NotWritten(f"{function} is not written yet (it raises NotImplementedError)")
        if status == "missing":
            raise missing_problem(function)
        if status == "forbidden":
            names = [str(n) for n in reply.get("names", [])][:5] or ["the reference code"]
            raise forbidden_problem(function, names)
        if status == "error":
            kind = str(reply.get("error_type", "Exception"))[:80]
            message = str(reply.get("message", ""))[:500]
            raise StudentError(f"{function} raised {kind}: {message}{suffix}" if message
                               else f"{function} raised {kind}{suffix}")
        raise Crashed(f"{function} broke the grader's connection")


def _failed_everything(suite, status, message):
    return [TestResult.of(t, status, message) for t in suite.tests]


def grade_notebook(source, exercise=None, student="", library=None, timeout=DEFAULT_TIMEOUT,
                   budget=DEFAULT_BUDGET, memory=DEFAULT_MEMORY):
    """Grade one notebook (a path, or the notebook as a dict). Never raises for anything the
    submission does; raises SuiteNotFound only when no grader exists for its exercise."""
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
        raise SuiteNotFound(f"cannot tell which exercise this is (no "
                            f"nnlessons.exercise in its metadata, and no exercise id such as "
                            f"01_neuron in its file name)")
    suite = library.get(exercise)
    result = Submission(student, exercise, name)
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
    backend = SandboxBackend(cells, suite.functions, suite.forbidden, timeout, budget, memory)
    try:
        try:
            report = backend.start()
        except (TimedOut, Crashed) as problem:
            result.error = problem.message
            result.tests = _failed_everything(suite, problem.status, problem.message)
            return result
        # the report comes from the child: read it defensively
        cells_report = report.get("cells")
        for cell in cells_report if isinstance(cells_report, list) else []:
            if isinstance(cell, dict) and cell.get("status") in ("error", "timeout") \
                    and isinstance(cell.get("index"), int):
                result.notes.append(f"code cell {cell['index'] + 1}: "
                                    f"{str(cell.get('message', ''))[:300]}")
        exists = report.get("functions")
        exists = exists if isinstance(exists, dict) else {}
        for function in suite.functions:
            if exists.get(function) is not True and function not in known:
                known[function] = missing_problem(function)
        result.tests = run_tests(suite.tests, backend, known)
        result.notes.extend(backend.notes)
    finally:
        backend.stop()
    return result
