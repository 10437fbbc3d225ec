"""`nnlessons colab`: the repository address kept in pyproject.toml, the first cell of every
notebook made from it (run here as IPython would run it, on a pretend Colab and off it), and the
README's badges; the command run on a copy of the course with a made-up address."""
import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from nnlessons import colab
from nnlessons.grading import release

ROOT = Path(__file__).resolve().parent.parent
MADE_UP = "https://github.com/example-org/nn-course"
FOLDERS = ("lessons", "solutions", "exercises")


def notebooks(root):
    return [p for folder in FOLDERS for p in sorted((Path(root) / folder).glob("*.ipynb"))]


def code_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [c for c in cells if c["cell_type"] == "code"]


def text(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


# ---- the cell, run ------------------------------------------------------------------------

class Shell:
    """Just enough of IPython's shell for a cell's %magics: records them instead of running."""

    def __init__(self):
        self.magics = []

    def run_line_magic(self, name, line, _stack_depth=1):
        self.magics.append(f"%{name} {line}")


def run_cell(source, monkeypatch, on_colab, course_installed):
    from IPython.core.inputtransformer2 import TransformerManager

    if on_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    if not course_installed:
        monkeypatch.setitem(sys.modules, "nnlessons", None)  # `import nnlessons` now fails
    shell, out = Shell(), io.StringIO()
    code = TransformerManager().transform_cell(source)
    with contextlib.redirect_stdout(out):
        exec(compile(code, "first cell", "exec"), {"get_ipython": lambda: shell})
    monkeypatch.undo()
    return shell.magics, out.getvalue()


def test_with_an_address_the_cell_installs_from_it_on_colab_only(monkeypatch):
    cell = colab.first_cell(MADE_UP)
    assert run_cell(cell, monkeypatch, on_colab=True, course_installed=False) == (
        [f'%pip install -q "nnlessons @ git+{MADE_UP}@main"'], "")
    for on_colab, installed in ((True, True), (False, False), (False, True)):
        assert run_cell(cell, monkeypatch, on_colab, installed) == ([], "")


def test_without_an_address_the_cell_says_how_to_install_by_hand_on_colab_only(monkeypatch):
    cell = colab.first_cell(None)
    magics, said = run_cell(cell, monkeypatch, on_colab=True, course_installed=False)
    assert magics == []
    assert said.startswith("This copy of the course has no published address yet")
    assert '%pip install "nnlessons @ git+https://github.com/OWNER/REPO"' in said
    for on_colab, installed in ((True, True), (False, False), (False, True)):
        assert run_cell(cell, monkeypatch, on_colab, installed) == ([], "")


def test_this_repository_matches_its_address():
    url = colab.read_repository((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert colab.stale(ROOT, url) == []
    for path in notebooks(ROOT):
        first = text(code_cells(path)[0])
        assert first == colab.first_cell(url), path
        # never a bare name for pip to look up on the package index
        assert not re.search(r"pip install(?: -q)? nnlessons\b", first), path


# ---- the command on a copy ----------------------------------------------------------------

@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    for folder in FOLDERS:
        shutil.copytree(ROOT / folder, root / folder)
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(ROOT / name, root / name)
    return root


def command(*args):
    return subprocess.run([sys.executable, "-m", "nnlessons", "colab", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def snapshot(root):
    return {p: p.read_bytes() for p in sorted(Path(root).rglob("*")) if p.is_file()}


def test_publishing_a_copy_with_a_made_up_address(course):
    tomllib = pytest.importorskip("tomllib")
    before = {path.relative_to(course): code_cells(path) for path in notebooks(course)}
    readme_before = (course / "README.md").read_text(encoding="utf-8")

    made = len(before) + 2  # the notebooks, the README and pyproject.toml
    done = command("--repository", MADE_UP + ".git", "--root", str(course))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (f"{made} of {made} files rewritten; on Colab the "
                                            f"notebooks install the course from {MADE_UP}")
    project = tomllib.loads((course / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["urls"] == {"Repository": MADE_UP}

    install = f'%pip install -q "nnlessons @ git+{MADE_UP}@main"'
    assert all(any(p.parts[0] == folder for p in before) for folder in FOLDERS)
    for relative, old_cells in before.items():
        cells = code_cells(course / relative)
        first = text(cells[0])
        assert first == colab.first_cell(MADE_UP), relative
        assert first.splitlines()[-1].strip() == install and "print(" not in first
        assert cells[0]["outputs"] == old_cells[0]["outputs"] == []
        assert cells[1:] == old_cells[1:], relative  # only the first cell changed
    assert release.stale(course / "solutions", course / "exercises") == []

    readme = (course / "README.md").read_text(encoding="utf-8")
    badges = re.findall(r"\[`([^`]+)`\]\(\1\) \[!\[Open in Colab\]\("
                        r"https://colab\.research\.google\.com/assets/colab-badge\.svg\)\]"
                        r"\((https://colab\.research\.google\.com/github/[^)]+)\)", readme)
    expected = [p.relative_to(course).as_posix() for p in notebooks(course)
                if p.parent.name in ("lessons", "exercises")]
    assert sorted(path for path, _ in badges) == sorted(expected)
    for path, address in badges:
        assert address == f"https://colab.research.google.com/github/example-org/nn-course/" \
                          f"blob/main/{path}"
    outside = readme_before.split(colab.README_START)[0], readme_before.split(colab.README_END)[1]
    assert readme.startswith(outside[0]) and readme.endswith(outside[1])

    again = command("--root", str(course))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"0 of {made - 1} files rewritten"), again.stdout
    checked = command("--check", "--root", str(course))
    assert checked.returncode == 0, checked.stderr


def test_a_second_address_replaces_the_first(course):
    assert command("--repository", MADE_UP, "--root", str(course)).returncode == 0
    other = "https://github.com/someone-else/course-fork"
    assert command("--repository", other + "/", "--root", str(course)).returncode == 0
    pyproject = (course / "pyproject.toml").read_text(encoding="utf-8")
    assert pyproject.count("Repository =") == 1 and f'Repository = "{other}"' in pyproject
    for path in [*notebooks(course), course / "README.md"]:
        assert MADE_UP not in path.read_text(encoding="utf-8"), path
    assert command("--check", "--root", str(course)).returncode == 0


@pytest.mark.parametrize("address", ["http://github.com/a/b", "https://gitlab.com/a/b",
                                     "github.com/a/b", "https://github.com/a",
                                     "https://github.com/a/b/tree/main", "https://github.com/a/.."])
def test_an_address_that_is_not_a_github_repository_is_refused(course, address):
    before = snapshot(course)
    done = command("--repository", address, "--root", str(course))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == (f"nnlessons colab: --repository must be the address of a GitHub "
                           f"repository, https://github.com/OWNER/REPO (Colab opens notebooks "
                           f"from GitHub); got {address!r}\n")
    assert snapshot(course) == before


def test_check_names_a_notebook_edited_by_hand(course):
    path = course / "lessons" / "02_loss.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    first["source"] = ["# On Colab this installs the course\n", "%pip install -q nnlessons"]
    path.write_bytes(release.render(nb))
    done = command("--check", "--root", str(course))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "out of date with the address in pyproject.toml (run `nnlessons colab`):",
        f"  {path}"]
    assert command("--root", str(course)).returncode == 0
    assert text(code_cells(path)[0]) == colab.first_cell(None)


def test_a_notebook_without_the_install_cell_is_refused_and_nothing_is_written(course):
    path = course / "lessons" / "03_derivative.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    first["source"] = ["import numpy as np"]
    path.write_bytes(release.render(nb))
    before = snapshot(course)
    done = command("--repository", MADE_UP, "--root", str(course))
    assert done.returncode == 2
    assert done.stderr.startswith("nnlessons colab: lessons/03_derivative.ipynb: its first code "
                                  "cell is not the install cell")
    assert snapshot(course) == before


def test_other_bad_input_gets_a_message_not_a_traceback(tmp_path, course):
    done = command("--root", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "no pyproject.toml in" in done.stderr
    assert "run it from the course folder or give --root DIR" in done.stderr
    done = command("--check", "--repository", MADE_UP, "--root", str(course))
    assert done.returncode == 2 and "leave out --repository" in done.stderr
    readme = course / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace(colab.README_END, ""),
                      encoding="utf-8")
    done = command("--root", str(course))
    assert done.returncode == 2 and "README.md has no table markers" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_pyproject_edit_keeps_the_rest_of_the_file():
    original = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    edited = colab.with_repository(original, MADE_UP)
    assert colab.read_repository(edited) == MADE_UP
    assert [line for line in edited.splitlines() if "Repository" not in line] == \
        original.splitlines()
    no_table = "[project]\nname = 'x'\n"
    assert colab.read_repository(colab.with_repository(no_table, MADE_UP)) == MADE_UP
    with pytest.raises(colab.ColabError, match="move those addresses into a"):
        colab.with_repository("[project]\nurls = {Home = 'https://x'}\n", MADE_UP)
