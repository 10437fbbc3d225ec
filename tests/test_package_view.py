"""The sandbox's copy of nnlessons: forbidden code is taken out, everything else is as shipped."""
import subprocess
from pathlib import Path
import sys

import pytest

from nnlessons.grading.package_view import PackageViews, StubError, stub_source

MODULE = '''"""A module."""
import numpy as np


def kept(x):
    return x + 1


def taken(x):
    """Its docstring goes too."""
    secret = 41
    return secret + x


class Scaler:
    def fit(self, X):
        self.mean = np.mean(X)
        return self

    def transform(self, X):
        return X - self.mean
'''


def run(source):
    namespace = {}
    exec(compile(source, "<stubbed>", "exec"), namespace)
    return namespace


def test_a_function_body_is_replaced_by_a_refusal_and_the_rest_is_untouched():
    stubbed = stub_source(MODULE, [("nnlessons.m.taken", ["taken"])])
    assert "secret" not in stubbed and "41" not in stubbed
    assert "def kept(x):\n    return x + 1\n" in stubbed
    assert stubbed.startswith('"""A module."""\n')
    namespace = run(stubbed)
    assert namespace["kept"](1) == 2
    with pytest.raises(Exception, match="nnlessons.m.taken is not available while grading"):
        namespace["taken"](1)


def test_a_method_or_a_whole_class_can_be_taken_out():
    one = run(stub_source(MODULE, [("nnlessons.m.Scaler.fit", ["Scaler", "fit"])]))
    scaler = one["Scaler"]()
    scaler.mean = 1.0
    assert scaler.transform(3.0) == 2.0
    with pytest.raises(Exception, match="Scaler.fit is not available"):
        scaler.fit([1.0])
    every = run(stub_source(MODULE, [("nnlessons.m.Scaler", ["Scaler"])]))
    with pytest.raises(Exception, match="not available"):
        every["Scaler"]().transform(1.0)


def test_a_name_that_is_not_there_is_an_error_that_says_so():
    with pytest.raises(StubError, match="nnlessons.m.nothing is not a function"):
        stub_source(MODULE, [("nnlessons.m.nothing", ["nothing"])])


def test_the_view_lacks_the_forbidden_code_and_the_suites(tmp_path):
    views = PackageViews()
    try:
        folder = views.path({"nnlessons.activations.sigmoid", "nnlessons.data.Standardizer"})
        package = folder / "nnlessons"
        source = (package / "activations.py").read_text()
        assert "def sigmoid(z, out=None):\n    raise _refuse('nnlessons.activations.sigmoid')" in source
        assert "1.0 / (1.0 +" not in source.split("def sigmoid(z, out=None):")[1].split("def ")[0]
        assert not (package / "grading" / "suites").exists()
        assert views.path({"nnlessons.data.Standardizer",
                           "nnlessons.activations.sigmoid"}) == folder  # made once
        probe = subprocess.run(
            [sys.executable, "-I", "-S", "-c",
             f"import sys; sys.path[:0] = [{str(folder)!r}] + {sys.path!r}\n"
             "import nnlessons, nnlessons.activations as a\n"
             "print(nnlessons.__file__)\n"
             "print(a.tanh(0.0))\n"
             "try:\n    a.sigmoid(0.0)\nexcept Exception as e:\n    print(type(e).__name__)\n"],
            capture_output=True, text=True, timeout=60)
        lines = probe.stdout.split()
        assert lines[0].startswith(str(folder)), probe.stderr
        assert lines[1:] == ["0.0", "ForbiddenCallError"], probe.stdout + probe.stderr
    finally:
        views.remove()
    assert views.root is None


def test_no_compiled_file_in_the_view_still_holds_the_forbidden_code(tmp_path, monkeypatch):
    """Compiled files are copied to save time; a stale one of a stubbed module (another Python's,
    an optimised one) would carry the real code, readable by the learner: none is copied.
    (Planted in a copy of the package, so no other test ever sees them.)"""
    import importlib.util
    import shutil
    from nnlessons.grading import package_view
    source = tmp_path / "nnlessons"
    shutil.copytree(package_view.SOURCE, source)
    monkeypatch.setattr(package_view, "SOURCE", source)
    real = Path(importlib.util.cache_from_source(str(source / "activations.py")))
    real.parent.mkdir(exist_ok=True)
    if not real.exists():
        real.write_bytes(b"real code")
    for name in ("activations.cpython-39.pyc", "activations.cpython-311.opt-2.pyc"):
        (real.parent / name).write_bytes(real.read_bytes())
    (source / "activations.pyc").write_bytes(real.read_bytes())
    views = PackageViews()
    try:
        folder = views.path({"nnlessons.activations.sigmoid"}) / "nnlessons"
        top = sorted(p.name for p in [*folder.glob("activations*.pyc"),
                                      *(folder / "__pycache__").glob("activations*.pyc")])
        assert top == [f"activations.{sys.implementation.cache_tag}.pyc"]
        assert b"_refuse" in (folder / "__pycache__" / top[0]).read_bytes()
    finally:
        views.remove()
