"""Mutation testing of the graders: do small wrong answers lose points?

    python benchmarks/mutants.py                       # every mutant of every solution notebook
    python benchmarks/mutants.py --notebooks 01_neuron 07_overfitting --limit 40 --seed 3
    python benchmarks/mutants.py --list                # the mutants only, no grading
    python benchmarks/mutants.py --tests DIR           # other options go to `nnlessons grade`

Inside every `# BEGIN SOLUTION` ... `# END SOLUTION` region of every notebook in solutions/ (the
regions `nnlessons release` finds, through `release.solution_regions`), the script makes mutants:
copies of the notebook with ONE small change to the learner's code, the kind of slip a learner
makes. The changes, found on the code's syntax tree, in source order:

    arithmetic   + <-> -,  * <-> /,  ** -> *,  // -> /   (also in +=, -=, ...)
    comparison   < <-> <=,  > <-> >=,  == <-> !=
    constant     0 <-> 1,  2 -> 1,  0.5 -> 1.0,  any other n -> n + 1 (a float below 0.01 or
                 from 1000 up is multiplied by 10, so 1e-12 -> 1e-11 and 1e12 -> 1e13)
    reduction    mean <-> sum,  axis=0 <-> axis=1 (axis=-1 -> axis=0),  keepdims=... dropped
    call         np.maximum <-> np.minimum,  max <-> min,  np.exp <-> np.log,
                 np.expm1 <-> np.log1p,  .copy() removed,  np.array -> np.asarray (no copy)
    unary minus  a minus removed; a minus added to a returned value
    return       a returned variable replaced by another one (the one it was computed from)
    off by one   a bound of range(...) or of a slice, plus or minus 1

A change that gives the same program as another one (the same syntax tree) is made once. Every
mutant is checked to parse to exactly the intended tree, and to leave every line outside its
region as it was. All mutants (or a --limit sample of them, drawn with --seed, spread evenly over
the notebooks) are written to a temporary folder next to the unchanged solutions, and the folder
is graded in ONE run of `nnlessons grade --jobs N` (the real grader, hidden tests included). A
mutant is killed when it scores less than its unchanged solution.

Target: at least 97% of the mutants lose points, and every survivor is in EQUIVALENT below with a
reason why it computes the same thing as the solution (a survivor that is not there needs a test
that kills it). An EQUIVALENT entry whose mutant was graded and killed, or is no longer made, is
reported as stale. The exit status is 0 when the targets are met, 1 when not, 2 on bad usage.

All 255 mutants and the 8 solutions took 126 s with --jobs 2 on a 2-core machine that other
work was sharing (load 3 to 4), each notebook graded in its own sandbox; it is CPU bound, so run
it alone. Options the script does not know go to `nnlessons grade` unchanged (e.g.
--tests DIR to try new tests before they join the graders, --timeout, --isolation).
"""
import argparse
import ast
import copy
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nnlessons.grading.release import MarkerError, solution_regions  # noqa: E402

TARGET = 0.97

# Survivors that compute the same thing as the solution, so no test can kill them:
# (notebook, function, the mutated line as printed after "after:", why it is the same)
EQUIVALENT = [
    ("01_neuron", "sigmoid", "return np.where(z > 0, 1.0 / (1.0 + e), e / (1.0 + e))",
     "the branches differ only at z = 0 (or -0.0), where both are 1 / (1 + 1) = 0.5"),
    ("08_activations", "leaky_relu", "return np.where(z >= 0, z, slope * z)",
     "the branches differ only at z = 0, where both are 0 (z, and slope * 0 for a finite slope)"),
    ("08_activations", "elu", "return np.where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0.0)))",
     "the branches differ only at z = 0, where both are 0 (z, and alpha * expm1(0))"),
    ("08_activations", "elu", "return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 1.0)))",
     "where z <= 0 (the only place the branch is used) min(z, 1) = min(z, 0) = z; elsewhere it "
     "is thrown away, and expm1(1) cannot overflow"),
    ("08_activations", "elu_prime",
     "return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 1.0)))",
     "where z <= 0 (the only place the branch is used) min(z, 1) = min(z, 0) = z; elsewhere it "
     "is thrown away, and exp(1) cannot overflow"),
    ("06_batches", "sgd_epoch", "w = np.asarray(weights, dtype=float)",
     "w is only ever rebound (w = w - ...), never written into: the same values, and the "
     "caller's weights stay as they were"),
    ("06_batches", "train", "w = np.asarray(weights, dtype=float)",
     "w is only ever rebound (to sgd_epoch's new arrays), never written into: the same values, "
     "and the caller's weights stay as they were"),
]


class MutationError(ValueError):
    """A change the generator cannot write back as source (a bug of this script)."""


@dataclass(frozen=True)
class Mutant:
    function: str     # the learner's function the changed region belongs to
    line: int         # the first changed line, counted from 1 in its cell
    kind: str         # arithmetic, comparison, constant, ...
    change: str       # what was changed, e.g. "- -> +"
    before: str       # the changed line(s) as they were
    after: str        # the same line(s) in the mutant
    source: str       # the mutant's whole cell
    notebook: str = ""
    cell: int = -1    # index of the cell in the notebook's cells

    def key(self):
        return (self.notebook, self.function, self.after)


# ---------------------------------------------------------------------------- the changes

ARITHMETIC = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
              ast.Pow: ast.Mult, ast.FloorDiv: ast.Div}
SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
          ast.FloorDiv: "//", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
          ast.Eq: "==", ast.NotEq: "!="}
COMPARISON = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
              ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
REDUCTION = {"mean": "sum", "sum": "mean"}                     # np.mean(x) and x.mean()
NUMPY_CALL = {"maximum": "minimum", "minimum": "maximum", "exp": "log", "log": "exp",
              "expm1": "log1p", "log1p": "expm1", "array": "asarray"}
METHOD_CALL = {"max": "min", "min": "max"}                    # x.max() and max(a, b)
ATOMS = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant)


def changed_number(value):
    """The constant mutation of a number: 0 <-> 1, 2 -> 1, 0.5 -> 1.0, else n -> n + 1 (tiny or
    huge floats: times 10, since + 1 would be no change or a meaningless one)."""
    if isinstance(value, int):
        return {0: 1, 1: 0, 2: 1}.get(value, value + 1)
    if value in (0.0, 1.0, 0.5, 2.0):
        return {0.0: 1.0, 1.0: 0.0, 0.5: 1.0, 2.0: 1.0}[value]
    return value * 10 if abs(value) < 0.01 or abs(value) >= 1000 else value + 1


def number_text(value):
    if isinstance(value, int):
        return str(value)
    short = f"{value:g}"
    text = short if float(short) == value else repr(value)
    return text if "." in text or "e" in text else text + ".0"  # stays a float


@dataclass
class Change:
    """One mutation at one node: the node that replaces it, and texts that may replace the
    node's source (tried in order; the first that parses to the intended tree is used)."""
    kind: str
    change: str
    new: ast.AST
    texts: list            # [(start offset, end offset, replacement text)] candidates


class Cell:
    """A cell's source with conversions between the syntax tree's positions (line, UTF-8 byte
    column) and offsets into the text."""

    def __init__(self, source):
        self.source = source
        self.lines = source.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def offset(self, line, column):
        return self.starts[line - 1] + len(self.lines[line - 1].encode()[:column].decode())

    def span(self, node):
        return (self.offset(node.lineno, node.col_offset),
                self.offset(node.end_lineno, node.end_col_offset))

    def text(self, node):
        start, end = self.span(node)
        return self.source[start:end]


def parse(source):
    """The cell's syntax tree; Jupyter magics become `pass` (they hold no solution)."""
    lines = [line[:len(line) - len(line.lstrip())] + "pass"
             if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")]
    return ast.parse("\n".join(lines))


def operator_text(cell, left, right, symbol, new_symbol):
    """The gap between two operands with only its operator replaced (a surgical change, so the
    mutant reads like the learner's line), or None when the gap holds more than the operator."""
    start, end = cell.offset(left.end_lineno, left.end_col_offset), \
        cell.offset(right.lineno, right.col_offset)
    gap = cell.source[start:end]
    words = gap.replace("(", " ").replace(")", " ").replace("\\", " ").split()
    if words != [symbol]:
        return None
    where = gap.index(symbol)
    return (start + where, start + where + len(symbol), new_symbol)


def wrapped(cell, node, text):
    """Replacement candidates for `node`: as is, then in parentheses (for precedence)."""
    start, end = cell.span(node)
    return [(start, end, text), (start, end, f"({text})")]


def names_bound(function):
    """{name: [(line, order)]} of the names a function binds (parameters at line 0)."""
    bound = {}
    arguments = function.args
    for order, arg in enumerate(arguments.posonlyargs + arguments.args + arguments.kwonlyargs):
        bound.setdefault(arg.arg, []).append((0, order))
    def visit(node):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.setdefault(node.id, []).append((node.lineno, node.col_offset))
        for child in ast.iter_child_nodes(node):
            # a comprehension's variables live only inside it: returning one is no slip
            if not isinstance(child, (ast.ListComp, ast.SetComp, ast.DictComp,
                                      ast.GeneratorExp, ast.Lambda)):
                visit(child)

    for statement in function.body:
        visit(statement)
    return bound


def other_variable(function, name, line):
    """The variable a slip would return instead of `name` at `line`: the local variable `name`
    was first computed from, else the one bound most recently before, else a parameter."""
    bound = names_bound(function)
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name) and node.targets[0].id == name:
            for used in ast.walk(node.value):
                if isinstance(used, ast.Name) and used.id in bound and used.id != name:
                    return used.id
            break
    before = [(where, other) for other, places in bound.items() if other != name
              for where in places if where[0] < line]
    return max(before)[1] if before else None


def changes(cell, node, ancestors):
    """Every Change of `node` (its ancestors, innermost last, give the context)."""
    parent = ancestors[-1] if ancestors else None
    if isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        new_op = ARITHMETIC[type(node.op)]
        new = copy.deepcopy(node)
        new.op = new_op()
        texts = [operator_text(cell, node.left, node.right, SYMBOL[type(node.op)],
                               SYMBOL[new_op])]
        yield Change("arithmetic", f"{SYMBOL[type(node.op)]} -> {SYMBOL[new_op]}", new,
                     [t for t in texts if t] + wrapped(cell, node, ast.unparse(new))[1:])
    elif isinstance(node, ast.AugAssign) and type(node.op) in ARITHMETIC:
        new_op = ARITHMETIC[type(node.op)]
        new = copy.deepcopy(node)
        new.op = new_op()
        text = operator_text(cell, node.target, node.value, SYMBOL[type(node.op)] + "=",
                             SYMBOL[new_op] + "=")
        yield Change("arithmetic", f"{SYMBOL[type(node.op)]}= -> {SYMBOL[new_op]}=", new,
                     [text] if text else [])
    elif isinstance(node, ast.Compare):
        operands = [node.left] + node.comparators
        for index, op in enumerate(node.ops):
            if type(op) not in COMPARISON:
                continue
            new = copy.deepcopy(node)
            new.ops[index] = COMPARISON[type(op)]()
            text = operator_text(cell, operands[index], operands[index + 1], SYMBOL[type(op)],
                                 SYMBOL[COMPARISON[type(op)]])
            yield Change("comparison", f"{SYMBOL[type(op)]} -> {SYMBOL[COMPARISON[type(op)]]}",
                         new, [text] if text else [])
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float) and \
            not any(isinstance(a, ast.keyword) and a.arg == "axis" for a in ancestors[-2:]):
        value = changed_number(node.value)
        yield Change("constant", f"{cell.text(node)} -> {number_text(value)}",
                     ast.Constant(value), wrapped(cell, node, number_text(value)))
    elif isinstance(node, ast.keyword) and node.arg == "axis":
        old = cell.text(node.value)
        new_axis = {"0": 1, "1": 0}.get(old.replace(" ", ""), 0)
        new = ast.keyword("axis", ast.Constant(new_axis))
        start, end = cell.span(node.value)
        yield Change("reduction", f"axis={old} -> axis={new_axis}", new,
                     [(start, end, str(new_axis))])
    elif isinstance(node, ast.Call):
        yield from call_changes(cell, node, enclosing_function(ancestors))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield Change("unary minus", "minus removed", copy.deepcopy(node.operand),
                     wrapped(cell, node, cell.text(node.operand)))
    elif isinstance(node, ast.Return) and node.value is not None:
        values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
        function = enclosing_function(ancestors)
        for index, value in enumerate(values):
            yield from return_changes(cell, node, index, value, function)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id == "range":
        bounds = node.args[:2] if len(node.args) > 1 else node.args[:1]
        for index, bound in enumerate(bounds):
            label = ("start", "stop")[index] if len(node.args) > 1 else "stop"
            for step in (-1, 1):
                yield off_by_one(cell, node, "args", index, bound, step, f"range {label}")
    if isinstance(node, ast.Slice):
        for field in ("lower", "upper"):
            bound = getattr(node, field)
            if bound is not None:
                for step in (-1, 1):
                    yield off_by_one(cell, node, field, None, bound, step, f"slice {field}")


def enclosing_function(ancestors):
    return next((a for a in reversed(ancestors)
                 if isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef))), None)


def copies_a_parameter(node, function):
    """np.array(p, ...) of a parameter p: the one place where np.asarray instead (no copy) can
    change what the caller sees. Of a list or a new array both copy: no mutant there."""
    parameters = {a.arg for a in function.args.posonlyargs + function.args.args +
                  function.args.kwonlyargs} if function else set()
    return bool(node.args) and isinstance(node.args[0], ast.Name) and \
        node.args[0].id in parameters


def call_changes(cell, node, function):
    func = node.func
    if isinstance(func, ast.Attribute):
        on_numpy = isinstance(func.value, ast.Name) and func.value.id == "np"
        for table, kind, needs_numpy in ((REDUCTION, "reduction", False),
                                         (NUMPY_CALL, "call", True),
                                         (METHOD_CALL, "call", False)):
            if func.attr == "array" and not copies_a_parameter(node, function):
                continue
            if func.attr in table and (on_numpy or not needs_numpy):
                new = copy.deepcopy(node)
                new.func.attr = table[func.attr]
                start, end = cell.span(func)
                text = cell.text(func)[:-len(func.attr)] + table[func.attr]
                yield Change(kind, f".{func.attr} -> .{table[func.attr]}"
                             if not on_numpy else f"np.{func.attr} -> np.{table[func.attr]}",
                             new, [(start, end, text)])
        if func.attr == "copy" and not node.args and not node.keywords:
            yield Change("call", ".copy() removed", copy.deepcopy(func.value),
                         wrapped(cell, node, cell.text(func.value)))
    elif isinstance(func, ast.Name) and func.id in METHOD_CALL:
        new = copy.deepcopy(node)
        new.func.id = METHOD_CALL[func.id]
        start, end = cell.span(func)
        yield Change("call", f"{func.id} -> {METHOD_CALL[func.id]}", new,
                     [(start, end, METHOD_CALL[func.id])])
    for index, keyword in enumerate(node.keywords):
        if keyword.arg == "keepdims":
            new = copy.deepcopy(node)
            del new.keywords[index]
            yield Change("reduction", "keepdims dropped", new,
                         wrapped(cell, node, ast.unparse(new)))


def return_changes(cell, statement, index, value, function):
    """A minus added to a returned value; a returned variable swapped for another."""
    def replaced(new_value):
        new = copy.deepcopy(statement)
        if isinstance(new.value, ast.Tuple):
            new.value.elts[index] = new_value
        else:
            new.value = new_value
        return new

    negatable = not isinstance(value, (ast.Dict, ast.Tuple, ast.List, ast.Constant,
                                       ast.DictComp, ast.ListComp)) and not (
        isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub))
    if negatable:
        text = cell.text(value)
        start, end = cell.span(value)
        texts = ([(start, end, f"-{text}")] if isinstance(value, ATOMS) else []) + \
            [(start, end, f"-({text})")]
        yield Change("unary minus", "minus added", replaced(ast.UnaryOp(ast.USub(),
                                                                        copy.deepcopy(value))),
                     texts)
    if isinstance(value, ast.Name) and function is not None:
        other = other_variable(function, value.id, statement.lineno)
        if other:
            start, end = cell.span(value)
            yield Change("return", f"returns {other} instead of {value.id}",
                         replaced(ast.Name(other, ast.Load())), [(start, end, other)])


def off_by_one(cell, node, field, index, bound, step, label):
    new = copy.deepcopy(node)
    if isinstance(bound, ast.Constant) and type(bound.value) is int:
        value = bound.value + step
        new_bound = ast.Constant(value) if value >= 0 else \
            ast.UnaryOp(ast.USub(), ast.Constant(-value))  # how Python parses "-1"
        texts = wrapped(cell, bound, str(value))
    else:
        new_bound = ast.BinOp(copy.deepcopy(bound), ast.Add() if step > 0 else ast.Sub(),
                              ast.Constant(1))
        text, sign = cell.text(bound), "+" if step > 0 else "-"
        start, end = cell.span(bound)
        texts = [(start, end, f"{text} {sign} 1"), (start, end, f"({text}) {sign} 1")]
    if index is None:
        setattr(new, field, new_bound)
    else:
        getattr(new, field)[index] = new_bound
    return Change("off by one", f"{label} {'+' if step > 0 else '-'} 1", new, texts)


# ---------------------------------------------------------------------------- the mutants

def walk(node, ancestors=(), path=()):
    """(node, its ancestors, its path from the root) for every node, in source order."""
    yield node, ancestors, path
    for field, value in ast.iter_fields(node):
        items = value if isinstance(value, list) else [value]
        for index, child in enumerate(items):
            if isinstance(child, ast.AST):
                where = (field, index if isinstance(value, list) else None)
                yield from walk(child, ancestors + (node,), path + (where,))


def replaced_at(tree, path, new):
    """A copy of `tree` with the node at `path` replaced by `new`."""
    tree = copy.deepcopy(tree)
    node = tree
    for field, index in path[:-1]:
        node = getattr(node, field) if index is None else getattr(node, field)[index]
    field, index = path[-1]
    if index is None:
        setattr(node, field, new)
    else:
        getattr(node, field)[index] = new
    return tree


def inside(node, region):
    return hasattr(node, "lineno") and region.begin < node.lineno and \
        node.end_lineno < region.end


def cell_mutants(source, where="cell"):
    """Every mutant of one code cell's solution regions, in source order, one change each."""
    regions = solution_regions(source, where)
    if not regions:
        return []
    try:
        tree = parse(source)
    except SyntaxError as error:
        raise MarkerError(f"{where}: the cell is not valid Python ({error.msg}, line "
                          f"{error.lineno}); a solution must run") from None
    cell, original = Cell(source), ast.dump(tree)
    seen, found = {original}, []
    for node, ancestors, path in walk(tree):
        region = next((r for r in regions if inside(node, r)), None)
        if region is None or any(isinstance(a, ast.JoinedStr) for a in ancestors):
            continue  # outside the learner's lines, or a piece of an f-string message
        for change in changes(cell, node, ancestors):
            wanted = ast.dump(replaced_at(tree, path, change.new))
            if wanted in seen:
                continue  # the same program as an earlier mutant (or as the solution)
            mutant = apply(cell, change, wanted, region)
            if mutant is None:
                raise MutationError(f"{where}: the change {change.kind} {change.change} at "
                                    f"line {node.lineno} could not be written as source that "
                                    f"means it; please report this with the cell")
            seen.add(wanted)
            found.append(Mutant(region.function, *mutant))
    return found


def apply(cell, change, wanted, region):
    """(line, kind, change, before, after, source) of the first replacement text that parses
    to the intended tree and changes nothing outside the region; None if none does."""
    for start, end, text in change.texts:
        source = cell.source[:start] + text + cell.source[end:]
        try:
            if ast.dump(parse(source)) != wanted:
                continue
        except SyntaxError:
            continue
        first = cell.source.count("\n", 0, start) + 1
        last = cell.source.count("\n", 0, end) + 1
        lines = source.split("\n")
        new_last = last + text.count("\n") - cell.source.count("\n", start, end)
        outside_kept = cell.lines[:region.begin] == lines[:region.begin] and \
            cell.lines[region.end - 1:] == lines[len(lines) - (len(cell.lines) - region.end + 1):]
        if not outside_kept:
            continue
        before = " ".join(line.strip() for line in cell.lines[first - 1:last])
        after = " ".join(line.strip() for line in lines[first - 1:new_last])
        return first, change.kind, change.change, before, after, source
    return None


def cell_source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def notebook_mutants(path):
    """Every mutant of one solution notebook: (Mutant, the mutated notebook as a dict)."""
    path = Path(path)
    notebook = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        for mutant in cell_mutants(cell_source(cell), f"{path.name}, cell {index + 1}"):
            out.append(Mutant(**{**mutant.__dict__, "notebook": path.stem, "cell": index}))
    return out


def mutated_notebook(path, mutant):
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    notebook["cells"][mutant.cell]["source"] = mutant.source
    for cell in notebook["cells"]:
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return notebook


def sample(mutants, limit, seed):
    """`limit` mutants spread evenly over the notebooks (each notebook's drawn with `seed`),
    returned in their original order."""
    if limit is None or limit >= len(mutants):
        return list(mutants)
    rng = random.Random(seed)
    by_notebook = {}
    for position, mutant in enumerate(mutants):
        by_notebook.setdefault(mutant.notebook, []).append(position)
    for positions in by_notebook.values():
        rng.shuffle(positions)
    chosen, queues = [], list(by_notebook.values())
    while len(chosen) < limit:
        for queue in queues:
            if queue and len(chosen) < limit:
                chosen.append(queue.pop())
    return [mutants[position] for position in sorted(chosen)]


# ---------------------------------------------------------------------------- grading

def grade(solutions, mutants, jobs, grade_options):
    """Grade the unchanged solutions and every mutant in one `nnlessons grade` run.
    Returns ({notebook: its solution's result}, [each mutant's result]) as the JSON gives them."""
    with tempfile.TemporaryDirectory(prefix="nnlessons-mutants-") as tmp:
        folder = Path(tmp) / "submissions"
        folder.mkdir()
        for notebook in sorted({m.notebook for m in mutants}):
            (folder / f"solution_{notebook}.ipynb").write_bytes(
                (solutions / f"{notebook}.ipynb").read_bytes())
        for number, mutant in enumerate(mutants):
            (folder / f"m{number:04d}_{mutant.notebook}.ipynb").write_text(
                json.dumps(mutated_notebook(solutions / f"{mutant.notebook}.ipynb", mutant)),
                encoding="utf-8")
        report = Path(tmp) / "grades.json"
        command = [sys.executable, "-m", "nnlessons.cli", "grade", str(folder), "--jobs",
                   str(jobs), "--json", str(report)] + grade_options
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0 or not report.exists():
            raise RuntimeError(f"`nnlessons grade` failed (exit status {done.returncode}):\n"
                               f"{done.stderr[-3000:]}")
        results = {Path(r["notebook"]).stem: r
                   for r in json.loads(report.read_text(encoding="utf-8"))}
    names = [f"solution_{n}" for n in sorted({m.notebook for m in mutants})] + \
        [f"m{number:04d}_{m.notebook}" for number, m in enumerate(mutants)]
    missing = [name for name in names if name not in results]
    if missing:
        raise RuntimeError(f"`nnlessons grade` reported nothing for {len(missing)} of the "
                           f"notebooks, e.g. {missing[0]}.ipynb")
    return ({n: results[f"solution_{n}"] for n in {m.notebook for m in mutants}},
            [results[f"m{number:04d}_{m.notebook}"] for number, m in enumerate(mutants)])


def not_passed(result):
    return [t["name"] for t in result["tests"] if t["status"] != "passed"]


# ---------------------------------------------------------------------------- the report

def share(part, whole):
    return f"{100 * part / whole:.1f}%" if whole else "-"


def print_table(rows, header):
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    for number, row in enumerate([header] + rows):
        print("  ".join(str(cell).rjust(w) if i else str(cell).ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
        if number == 0:
            print("  ".join("-" * w for w in widths))


def report(mutants, killed, every_key, selected_notebooks):
    """Print the per-notebook table, the survivors and the targets; True when they are met."""
    equivalent = {(n, f, a): reason for n, f, a, reason in EQUIVALENT}
    rows, totals = [], Counter()
    for notebook in sorted({m.notebook for m in mutants}):
        mine = [i for i, m in enumerate(mutants) if m.notebook == notebook]
        lost = sum(killed[i] for i in mine)
        explained = sum(not killed[i] and mutants[i].key() in equivalent for i in mine)
        rows.append((notebook, len(mine), lost, share(lost, len(mine)), len(mine) - lost,
                     explained))
        totals.update(mutants=len(mine), lost=lost, explained=explained)
    rows.append(("overall", totals["mutants"], totals["lost"],
                 share(totals["lost"], totals["mutants"]), totals["mutants"] - totals["lost"],
                 totals["explained"]))
    print_table(rows, ("notebook", "mutants", "lost points", "share", "survivors",
                       "equivalent"))

    kinds = Counter(m.kind for m in mutants)
    print()
    print_table([(kind, n, sum(killed[i] for i, m in enumerate(mutants) if m.kind == kind))
                 for kind, n in sorted(kinds.items())], ("kind of change", "mutants", "killed"))

    survivors = [m for m, dead in zip(mutants, killed) if not dead]
    print(f"\nsurvivors ({len(survivors)}):" if survivors else "\nsurvivors: none")
    for m in survivors:
        reason = equivalent.get(m.key())
        print(f"  {m.notebook} {m.function}, cell {m.cell + 1} line {m.line}: {m.kind}, "
              f"{m.change}")
        print(f"      before: {m.before}")
        print(f"      after:  {m.after}")
        print(f"      {'equivalent: ' + reason if reason else 'NOT EXPLAINED: needs a test'}")

    graded = {m.key(): dead for m, dead in zip(mutants, killed)}
    stale = [(key, "its mutant loses points now") for key in equivalent
             if graded.get(key) is True]
    stale += [(key, "no such mutant is made any more") for key in equivalent
              if key[0] in selected_notebooks and key not in every_key]
    if stale:
        print(f"\nstale EQUIVALENT entries ({len(stale)}):")
        for (notebook, function, after), why in stale:
            print(f"  {notebook} {function}: {after}\n      {why}")

    unexplained = sum(1 for m in survivors if m.key() not in equivalent)
    rate = totals["lost"] / totals["mutants"] if totals["mutants"] else 0.0
    met_rate, met_all = rate >= TARGET, unexplained == 0 and not stale
    can_lose = totals["mutants"] - totals["explained"]
    print(f"\nraw share: {totals['lost']} of {totals['mutants']} mutants lose points "
          f"({share(totals['lost'], totals['mutants'])}, every survivor counted, the "
          f"equivalent ones too); of the {can_lose} not shown equivalent, "
          f"{share(totals['lost'], can_lose)} lose points")
    print(f"target: at least {TARGET:.0%} of the mutants lose points (raw share): "
          f"{share(totals['lost'], totals['mutants'])} -> {'met' if met_rate else 'NOT MET'}")
    print(f"target: every survivor is shown equivalent: {unexplained} not explained, "
          f"{len(stale)} stale entries -> {'met' if met_all else 'NOT MET'}")
    print(f"targets {'MET' if met_rate and met_all else 'NOT MET'}")
    return met_rate and met_all


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Any other option is passed to `nnlessons grade` (e.g. --tests DIR, --timeout 5).")
    parser.add_argument("--notebooks", nargs="+", metavar="ID",
                        help="the solution notebooks to mutate, e.g. 01_neuron (default: all)")
    parser.add_argument("--limit", type=int, metavar="N",
                        help="grade a sample of N mutants, spread over the notebooks")
    parser.add_argument("--seed", type=int, default=0, help="seed of the --limit sample")
    parser.add_argument("--jobs", type=int, default=2, metavar="N",
                        help="notebooks graded at the same time (default 2)")
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions", metavar="DIR",
                        help="folder of solution notebooks (default: the repository's)")
    parser.add_argument("--list", action="store_true", help="print the mutants, grade nothing")
    args, grade_options = parser.parse_known_args(argv)

    def usage(message):
        print(f"mutants: {message}", file=sys.stderr)
        return 2

    known = sorted(p.stem for p in args.solutions.glob("*.ipynb"))
    if not known:
        return usage(f"no solution notebooks in {args.solutions} (give --solutions DIR)")
    chosen = [Path(n).name.removesuffix(".ipynb") for n in args.notebooks or known]
    unknown = [n for n in chosen if n not in known]
    if unknown:
        return usage(f"no solution notebook {', '.join(unknown)} in {args.solutions}; "
                     f"known: {', '.join(known)}")
    if args.limit is not None and args.limit < 1:
        return usage("--limit must be at least 1")
    if args.jobs < 1:
        return usage("--jobs must be at least 1")

    try:
        every = [m for n in chosen for m in notebook_mutants(args.solutions / f"{n}.ipynb")]
    except (MarkerError, MutationError) as error:
        return usage(str(error))
    mutants = sample(every, args.limit, args.seed)
    print(f"{len(mutants)} mutants" + (f" (a sample of {len(every)}, seed {args.seed})"
                                       if len(mutants) < len(every) else "")
          + f" of {len(chosen)} solution notebooks")
    if args.list:
        for m in mutants:
            print(f"{m.notebook} {m.function} cell {m.cell + 1} line {m.line} [{m.kind}: "
                  f"{m.change}]\n    {m.before}\n -> {m.after}")
        return 0

    started = time.perf_counter()
    try:
        baseline, results = grade(args.solutions, mutants, args.jobs, grade_options)
    except RuntimeError as error:
        return usage(str(error))
    elapsed = time.perf_counter() - started
    print(f"graded {len(mutants) + len(baseline)} notebooks (the mutants and the "
          f"{len(baseline)} solutions) with `nnlessons grade --jobs {args.jobs}"
          f"{' ' + ' '.join(grade_options) if grade_options else ''}` in {elapsed:.1f} s\n")
    for notebook, result in sorted(baseline.items()):
        if result["max_score"] <= 0 or result["score"] != result["max_score"]:
            return usage(f"solutions/{notebook}.ipynb does not get full marks "
                         f"(not passed: {', '.join(not_passed(result)) or 'not graded'}); "
                         f"the benchmark needs a solution that passes every test")
    # The hidden tests count: a run without instructor/graders (or --tests) would grade with
    # the public tests alone and call survivors what the hidden tests kill.
    print("the solutions, graded with every test (hidden ones included): " + ", ".join(
        f"{notebook} {result['score']:g}/{result['max_score']:g} "
        f"({sum(bool(t.get('hidden')) for t in result['tests'])} hidden)"
        for notebook, result in sorted(baseline.items())) + "\n")
    killed = [result["score"] < baseline[m.notebook]["max_score"]
              for m, result in zip(mutants, results)]
    met = report(mutants, killed, {m.key() for m in every}, set(chosen))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
