"""The stubs' hints point to the idea and never hold the answer (issue 16).

Each region of every solution notebook has its own hint; the stub release writes fits in the
editor's width, and no piece of the solution's code (any sub-expression with an operator or a
call, spaces ignored) appears in it, nor any call written out."""
import ast
import json
import re
import textwrap
from pathlib import Path

import pytest

from nnlessons.grading.release import WIDTH, solution_regions, strip_cell

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
CODE_NODES = (ast.BinOp, ast.Call, ast.Compare, ast.BoolOp, ast.Subscript,
              ast.ListComp, ast.DictComp, ast.GeneratorExp)
CALL = re.compile(r"[A-Za-z_][\w.]*\([^)]")  # a name followed by an argument list


def regions():
    for path in SOLUTIONS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for number, cell in enumerate(nb["cells"], 1):
            source = "".join(cell["source"])
            if cell["cell_type"] != "code":
                continue
            for region in solution_regions(source, f"{path.name}, cell {number}"):
                lines = source.split("\n")
                yield pytest.param(path, source, region, lines[region.begin:region.end - 1],
                                   id=f"{path.stem}-{region.function}")


def squeeze(text):
    return re.sub(r"\s+", "", text).replace(".0", "")


def code_pieces(body):
    """Every sub-expression of the region's code with an operator or a call, spaces removed."""
    code = textwrap.dedent("\n".join(line for line in body
                                     if not line.strip().startswith("#")))
    pieces = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, CODE_NODES):
            piece = squeeze(ast.unparse(node))
            if len(piece) >= 5:
                pieces.add(piece)
    return pieces


@pytest.mark.parametrize("path, source, region, body", list(regions()))
def test_hint_points_to_the_idea_without_the_code(path, source, region, body):
    assert region.hint, f"{path.name}: the region of {region.function} has no # HINT: line"
    hint = squeeze(region.hint)
    for piece in sorted(code_pieces(body)):
        assert piece not in hint, (f"{path.name}: the hint of {region.function} spells the "
                                   f"solution's code {piece!r}: {region.hint!r}")
    assert not CALL.search(region.hint), (f"{path.name}: the hint of {region.function} writes "
                                          f"a call out: {CALL.search(region.hint).group()!r}")


@pytest.mark.parametrize("path, source, region, body", list(regions()))
def test_hint_lines_and_stub_lines_fit_the_editor(path, source, region, body):
    for line in body:
        if line.strip().startswith("# HINT:"):
            assert len(line) <= WIDTH, f"{path.name}: a hint line of {region.function} is " \
                                       f"{len(line)} characters wide: {line!r}"
    for line in _stub(region, source):
        assert len(line) <= WIDTH, f"{path.name}: the stub of {region.function} has a line " \
                                   f"of {len(line)} characters: {line!r}"


def _stub(region, source):
    """The lines release writes for this region alone."""
    return strip_cell("\n".join(source.split("\n")[region.begin - 1:region.end]),
                      "x").split("\n")
