"""The copy of `nnlessons` that a graded notebook sees: forbidden reference code is not in it.

An exercise may forbid the course's own reference function (`nnlessons.activations.sigmoid` for
the learner's `sigmoid`). Traps inside the learner's process can always be taken apart by the
learner's code, so instead the sandbox gets a copy of the package in which the body of every
forbidden function is replaced by a line that refuses:

    def sigmoid(z):
        raise _refuse('nnlessons.activations.sigmoid')

The original code is nowhere in the sandboxed process (nor on its disk), so no tampering can call
it: the learner's function earns its points only by computing the answer itself. Everything else
is the package as installed, precompiled, and mounted read-only. Grading suites are left out.

A dotted name may name a module-level function, a method (`nnlessons.data.Standardizer.fit`) or
a class (every method of it).
"""
import ast
import atexit
import compileall
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import nnlessons

SOURCE = Path(nnlessons.__file__).resolve().parent
LEFT_OUT = {"suites"}   # folders the sandbox never needs
REFUSE = ("def _refuse(name):  # added by the grader: forbidden while grading\n"
          "    from nnlessons.grading.forbidden import refusal\n"
          "    return refusal(name)\n")


class StubError(ValueError):
    """A forbidden name that does not name a function, method or class of nnlessons."""


def _targets(tree, attribute_path):
    """The function definitions a dotted path inside one module stands for."""
    head, *rest = attribute_path
    for node in tree.body:
        if getattr(node, "name", None) != head:
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not rest:
            return [node]
        if isinstance(node, ast.ClassDef):
            methods = [n for n in node.body if isinstance(n, (ast.FunctionDef,
                                                             ast.AsyncFunctionDef))]
            if not rest:
                return methods
            return [m for m in methods if m.name == rest[0] and len(rest) == 1]
    return []


def stub_source(source, names):
    """`source` (one module's text) with the bodies of `names` (attribute paths inside that
    module, e.g. ["sigmoid"] or ["Standardizer", "fit"]) replaced by a refusal."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    replacements = []
    for dotted, path in names:
        found = _targets(tree, path)
        if not found:
            raise StubError(f"{dotted} is not a function, method or class of nnlessons")
        for node in found:
            first = node.body[0]
            indent = " " * first.col_offset
            replacements.append((first.lineno - 1, node.end_lineno,
                                 f"{indent}raise _refuse({dotted!r})\n"))
    for start, end, text in sorted(set(replacements), reverse=True):
        lines[start:end] = [text]
    body = "".join(lines)
    # after the docstring and `from __future__` imports, which must come first
    position = 0
    for node in tree.body:
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str) and node is tree.body[0]) or \
                (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            position = node.end_lineno
    cut = sum(len(line) for line in body.splitlines(keepends=True)[:position])
    return body[:cut] + ("\n" if cut and not body[:cut].endswith("\n") else "") + REFUSE + \
        body[cut:]


def _by_module(names):
    """{module file relative to the package: [(dotted name, attribute path)]}."""
    grouped = {}
    for dotted in sorted(names):
        parts = dotted.split(".")
        if parts[0] != "nnlessons":
            raise StubError(f"{dotted} is not inside nnlessons")
        for cut in range(len(parts) - 1, 0, -1):  # the longest module prefix that exists
            module = SOURCE.joinpath(*parts[1:cut])
            candidates = [module.with_suffix(".py"), module / "__init__.py"] if cut > 1 \
                else [SOURCE / "__init__.py"]
            found = next((c for c in candidates if c.is_file()), None)
            if found is not None:
                grouped.setdefault(found.relative_to(SOURCE), []).append(
                    (dotted, parts[cut:]))
                break
        else:
            raise StubError(f"{dotted}: no such module in nnlessons")
    return grouped


class PackageViews:
    """Copies of the package, one per set of forbidden names, made on first use and removed when
    the grading process ends. `path(names)` is the folder to mount, holding `nnlessons/`."""

    def __init__(self):
        self.root = None
        self.made = {}
        self.lock = threading.Lock()

    def folder(self):
        """The folder holding every view of this process (made on first use)."""
        with self.lock:
            return self._folder()

    def _folder(self):
        if self.root is None:
            self.root = Path(tempfile.mkdtemp(prefix="nnlessons-views-"))
            atexit.register(self.remove)
        return self.root

    def path(self, names):
        key = frozenset(names)
        with self.lock:
            if key not in self.made:
                self._folder()
                folder = self.root / f"view{len(self.made)}"
                self._make(folder / "nnlessons", key)
                self.made[key] = folder
            return self.made[key]

    @staticmethod
    def _make(target, names):
        # compiled files come along (copied with their sources' times, so they stay valid), but
        # only this interpreter's, of sources still there, and never of a module that loses
        # code (its old compiled file holds that code): those are compiled again below, which
        # makes a view in a tenth of the time of compiling everything
        stubbed = _by_module(names)
        lost = {str(relative.with_suffix("")) for relative in stubbed}
        tag = sys.implementation.cache_tag

        def ignore(folder, entries):
            here = Path(folder)
            if here.name != "__pycache__":
                return [e for e in entries if e in LEFT_OUT or e.endswith((".md", ".pyc"))]
            package = here.parent.relative_to(SOURCE)
            kept = []
            for entry in entries:
                module = entry.split(".")[0]
                if entry == f"{module}.{tag}.pyc" and (here.parent / f"{module}.py").is_file() \
                        and str(package / module) not in lost:
                    kept.append(entry)
            return [e for e in entries if e not in kept]

        shutil.copytree(SOURCE, target, ignore=ignore)
        for relative, stubs in stubbed.items():
            path = target / relative
            path.write_text(stub_source(path.read_text(encoding="utf-8"), stubs),
                            encoding="utf-8")
        compileall.compile_dir(str(target), quiet=2, workers=1)

    def remove(self):
        with self.lock:
            if self.root is not None:
                shutil.rmtree(self.root, ignore_errors=True)
            self.root, self.made = None, {}


VIEWS = PackageViews()
