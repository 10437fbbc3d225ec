"""Print expected values as Python literals, to store in a public test.

    python instructor/expected_values.py 01_neuron \
        --let "z = np.array([-2.0, 0.0, 1.0, 3.0])" "activations.sigmoid(z)"

Public tests ship to learners inside the package, so they hold their expected values as literals,
never the code that computes them. This computes them once, with the course's reference code:
each EXPRESSION is evaluated with `np`, the course's modules (`activations`, `calculus`, `data`,
`descent`, `losses`, `network`, `neuron`, `training`), every name of the exercise's public module
and every name of its hidden module `instructor/graders/exNN_name.py` (its reference answers).
`--let "NAME = EXPRESSION"` defines names first (repeatable, in order; `X, y = ...` works too).
Every value is printed at full precision (`repr` of each float), arrays as nested lists, ready to
paste.

The stored values are checked by the grader's own tests (`tests/test_grader_NN_name.py`): the
solution must pass every public test, and the released exercise and each wrong answer must fail.
"""
import argparse
import ast
import importlib
import importlib.util
import pprint
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("activations", "calculus", "data", "descent", "losses", "network", "neuron",
           "training")


def plain(value):
    """The value as literals Python reads back exactly: arrays become lists, NumPy scalars
    Python numbers."""
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v) for v in value)
    if isinstance(value, dict):
        return {key: plain(v) for key, v in value.items()}
    return value


def namespace(exercise):
    sys.path.insert(0, str(ROOT))
    names = {"np": np}
    for module in MODULES:
        names[module] = importlib.import_module(f"nnlessons.{module}")
    public = importlib.import_module(f"nnlessons.grading.suites.ex{exercise}")
    names.update({k: v for k, v in vars(public).items() if not k.startswith("__")})
    path = ROOT / "instructor" / "graders" / f"ex{exercise}.py"
    if path.exists():
        spec = importlib.util.spec_from_file_location(f"_hidden_ex{exercise}", path)
        hidden = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(hidden)
        names.update({k: v for k, v in vars(hidden).items() if not k.startswith("__")})
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("exercise", help="the exercise id, e.g. 01_neuron")
    parser.add_argument("expressions", nargs="+", metavar="EXPRESSION")
    parser.add_argument("--let", action="append", default=[], metavar="'NAME = EXPRESSION'",
                        help="define names before the expressions are evaluated (repeatable)")
    args = parser.parse_intermixed_args(argv)
    names = namespace(args.exercise)
    for assignment in args.let:
        try:
            statements = ast.parse(assignment).body
        except SyntaxError:
            statements = []
        if len(statements) != 1 or not isinstance(statements[0], ast.Assign):
            parser.error(f"--let needs one assignment, NAME = EXPRESSION; got {assignment!r}")
        exec(assignment, names)
    for expression in args.expressions:
        print(f"# {expression}")
        print(pprint.pformat(plain(eval(expression, names)), width=92, compact=True))


if __name__ == "__main__":
    main()
