"""The mutation benchmark's generator (benchmarks/mutants.py): which mutants it makes, and that
it never touches code outside a solution region. Fast: nothing is graded here."""
import ast
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("mutants", ROOT / "benchmarks" / "mutants.py")
mutants = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mutants)

CELL = '''def f(x, y):
    """Docstring: x + 1."""
    z = x + 1
    # BEGIN SOLUTION
    a = np.mean(x * 2, axis=0)
    if a > 0:
        return a[1:] - y
    b = a.copy()
    return b
    # END SOLUTION
'''

# (line in the cell, kind, the mutated line), in the order the generator makes them
EXPECTED = [
    (5, "reduction", "a = np.sum(x * 2, axis=0)"),
    (5, "arithmetic", "a = np.mean(x / 2, axis=0)"),
    (5, "constant", "a = np.mean(x * 1, axis=0)"),
    (5, "reduction", "a = np.mean(x * 2, axis=1)"),
    (6, "comparison", "if a >= 0:"),
    (6, "constant", "if a > 1:"),
    (7, "unary minus", "return -(a[1:] - y)"),
    (7, "arithmetic", "return a[1:] + y"),
    (7, "off by one", "return a[0:] - y"),     # also the constant 1 -> 0: made once
    (7, "off by one", "return a[2:] - y"),
    (8, "call", "b = a"),                      # .copy() removed
    (9, "unary minus", "return -b"),
    (9, "return", "return a"),                 # the variable b was computed from
]


def test_the_mutants_of_a_small_region():
    made = mutants.cell_mutants(CELL)
    assert [(m.line, m.kind, m.after) for m in made] == EXPECTED
    assert all(m.function == "f" for m in made)


def test_each_mutant_is_one_change_inside_the_region():
    lines = CELL.split("\n")
    for mutant in mutants.cell_mutants(CELL):
        changed = mutant.source.split("\n")
        assert len(changed) == len(lines)
        differ = [i + 1 for i, (a, b) in enumerate(zip(lines, changed)) if a != b]
        assert differ == [mutant.line], mutant
        assert ast.dump(ast.parse(mutant.source)) != ast.dump(ast.parse(CELL))


def test_code_outside_regions_is_never_changed():
    """`z = x + 1` outside the region has an operator and a constant: no mutant touches it.
    Neither is the code between two regions of one cell, nor a cell without a region."""
    cell = ("def g(x):\n    # BEGIN SOLUTION\n    y = x - 1\n    # END SOLUTION\n"
            "    w = x * 3 > 0\n    # BEGIN SOLUTION\n    return y + 2\n    # END SOLUTION\n")
    made = mutants.cell_mutants(cell)
    assert {m.line for m in made} == {3, 7}
    for mutant in made:
        assert mutant.source.split("\n")[4] == "    w = x * 3 > 0"
    assert all(m.source.split("\n")[2] == "    z = x + 1" for m in mutants.cell_mutants(CELL))
    assert mutants.cell_mutants("def h(x):\n    return x + 1\n") == []


def test_a_swap_keeps_the_meaning_of_its_operands():
    """** -> * inside a / x ** 2 must mean a / (x * 2), not (a / x) * 2."""
    cell = "def k(a, x):\n    # BEGIN SOLUTION\n    return a / x ** 2\n    # END SOLUTION\n"
    afters = [m.after for m in mutants.cell_mutants(cell) if m.change == "** -> *"]
    assert afters == ["return a / (x * 2)"]


def test_every_solution_notebook_gets_mutants():
    every = [m for path in sorted((ROOT / "solutions").glob("*.ipynb"))
             for m in mutants.notebook_mutants(path)]
    per_notebook = {m.notebook for m in every}
    assert len(per_notebook) == len(list((ROOT / "solutions").glob("*.ipynb")))
    assert len(every) >= 80
    assert len({(m.notebook, m.cell, m.source) for m in every}) == len(every)


def test_a_sample_is_seeded_and_spread_over_the_notebooks():
    made = [mutants.Mutant("f", i, "constant", "", "", "", str(i), notebook=nb)
            for nb in ("01_a", "02_b") for i in range(10)]
    first, again = mutants.sample(made, 6, seed=1), mutants.sample(made, 6, seed=1)
    assert first == again and len(first) == 6
    assert sum(m.notebook == "01_a" for m in first) == 3
    assert first == sorted(first, key=made.index)
    assert mutants.sample(made, 6, seed=2) != first


def test_stale_equivalent_entries_are_reported(monkeypatch, capsys):
    made = mutants.cell_mutants(CELL)
    made = [mutants.Mutant(**{**m.__dict__, "notebook": "99_x"}) for m in made]
    monkeypatch.setattr(mutants, "EQUIVALENT", [
        ("99_x", "f", made[0].after, "survives, rightly"),
        ("99_x", "f", made[1].after, "was killed"),
        ("99_x", "f", "return nothing like this", "no longer made"),
    ])
    killed = [False, True] + [True] * (len(made) - 2)
    met = mutants.report(made, killed, {m.key() for m in made}, {"99_x"})
    out = capsys.readouterr().out
    assert not met
    assert "stale EQUIVALENT entries (2)" in out
    assert "its mutant loses points now" in out and "no such mutant is made any more" in out
    assert "equivalent: survives, rightly" in out
    assert "targets NOT MET" in out


def test_the_summary_gives_the_raw_share_and_the_verdict(monkeypatch, capsys):
    """The raw share counts every survivor, the equivalent ones too: one equivalent survivor of
    13 mutants is 92.3%, below the target, though every other mutant loses points."""
    made = [mutants.Mutant(**{**m.__dict__, "notebook": "99_x"})
            for m in mutants.cell_mutants(CELL)]
    monkeypatch.setattr(mutants, "EQUIVALENT", [("99_x", "f", made[0].after, "the same")])
    everything = {m.key() for m in made}

    assert not mutants.report(made, [False] + [True] * 12, everything, {"99_x"})
    out = capsys.readouterr().out
    assert "raw share: 12 of 13 mutants lose points (92.3%" in out
    assert "of the 12 not shown equivalent, 100.0% lose points" in out
    assert "(raw share): 92.3% -> NOT MET" in out
    assert out.rstrip().endswith("targets NOT MET")

    monkeypatch.setattr(mutants, "EQUIVALENT", [])
    assert mutants.report(made, [True] * 13, everything, {"99_x"})
    out = capsys.readouterr().out
    assert "raw share: 13 of 13 mutants lose points (100.0%" in out
    assert out.rstrip().endswith("targets MET")


@pytest.mark.parametrize("argv, message", [
    (["--notebooks", "99_nothing"], "no solution notebook 99_nothing"),
    (["--limit", "0"], "--limit must be at least 1"),
])
def test_bad_options_are_usage_errors(argv, message, capsys):
    assert mutants.main(argv + ["--list"]) == 2
    assert message in capsys.readouterr().err


def test_list_grades_nothing(tmp_path, capsys):
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                           "execution_count": None, "source": CELL}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "99_x.ipynb").write_text(json.dumps(notebook))
    assert mutants.main(["--solutions", str(tmp_path), "--list", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"3 mutants (a sample of {len(EXPECTED)}, seed 0) of 1 solution")
