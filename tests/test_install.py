"""The install: the runtime dependencies are what the package imports, the lowest versions they
allow can be pinned, and `python -m nnlessons` is the `nnlessons` command."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def tool(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def imports():
    pytest.importorskip("tomllib")
    return tool("package_imports")


@pytest.fixture(scope="module")
def constraints():
    pytest.importorskip("tomllib")
    return tool("lowest_constraints")


def test_runtime_dependencies_are_what_the_package_imports(imports):
    rows, problems = imports.compare()
    assert problems == []
    distributions = {distribution for _, distribution, _ in rows}
    assert {"numpy", "matplotlib", "ipywidgets", "packaging"} <= distributions
    # the front ends are an extra, and nbformat is never imported
    assert not {"jupyter", "jupyterlab", "notebook", "nbformat"} & imports.declared()


def test_imports_are_found_wherever_they_stand(imports, tmp_path):
    package = tmp_path / "nnlessons"
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_text("import os\nimport numpy.linalg as la\nfrom . import b\n")
    (package / "sub" / "c.py").write_text(
        "def f():\n    from yaml import safe_load\n"
        "try:\n    import scipy.stats\nexcept ImportError:\n    pass\n"
        "from nnlessons import network\nfrom __future__ import annotations\n")
    found = imports.imported_modules(package)
    assert found == {"numpy": ["nnlessons/a.py"], "yaml": ["nnlessons/sub/c.py"],
                     "scipy": ["nnlessons/sub/c.py"]}


def test_an_undeclared_or_unused_dependency_is_a_problem(imports, monkeypatch):
    declared = imports.declared()
    monkeypatch.setattr(imports, "declared", lambda: (declared - {"packaging"}) | {"jupyterlab"})
    _, problems = imports.compare()
    assert problems == [
        "packaging is imported but not declared in pyproject.toml's dependencies",
        "jupyterlab is declared in pyproject.toml's dependencies but nnlessons/ never imports "
        "it: move it to an extra, or drop it"]


def test_a_hosted_module_imported_anywhere_else_is_a_problem(imports, monkeypatch):
    """jupyter_server need not be declared for the server extension, which only a Jupyter server
    loads; imported by any other file, it must be."""
    rows, problems = imports.compare()
    assert ("jupyter_server", "(its host)", ["nnlessons/server_extension.py"]) in rows
    monkeypatch.setattr(imports, "HOSTED", {"jupyter_server": ["nnlessons/elsewhere.py"]})
    monkeypatch.setattr(imports, "distribution_of", lambda module: imports.canonical(module))
    _, problems = imports.compare()
    assert "jupyter-server is imported but not declared in pyproject.toml's dependencies" \
        in problems


def test_lowest_pins(constraints):
    assert constraints.lowest_pins(["numpy>=1.24", "jupyter_client >= 6.1.12"]) == [
        "numpy==1.24.*", "jupyter_client==6.1.12.*"]
    for bad in ("numpy", "numpy>=1.24,<3", "numpy==1.24", "numpy>=1.24; python_version<'4'"):
        with pytest.raises(ValueError, match="needs exactly one lower bound"):
            constraints.lowest_pins([bad])


def test_the_constraints_file_pins_every_runtime_dependency(imports):
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "lowest_constraints.py")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    pins = [line for line in done.stdout.splitlines() if not line.startswith("#")]
    assert {imports.canonical(pin.partition("==")[0]) for pin in pins} == imports.declared()
    assert all(pin.endswith(".*") for pin in pins)


def run(*args):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_python_dash_m_nnlessons_is_the_command():
    for args in ([], ["release", "--check"], ["no-such-command"]):
        package, script = run("-m", "nnlessons", *args), run("-m", "nnlessons.cli", *args)
        assert (package.returncode, package.stdout, package.stderr) == \
            (script.returncode, script.stdout, script.stderr), args
    assert run("-m", "nnlessons").returncode == 2
    checked = run("-m", "nnlessons", "release", "--check")
    assert checked.returncode == 0 and "exercises up to date" in checked.stdout
    wrong = run("-m", "nnlessons", "no-such-command")
    assert wrong.returncode == 2 and "invalid choice: 'no-such-command'" in wrong.stderr
    assert "usage: nnlessons" in wrong.stderr
