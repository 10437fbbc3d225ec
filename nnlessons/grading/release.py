"""`nnlessons release`: generate exercises/ from solutions/, the single source of truth.

In a solution notebook, the lines a learner writes sit between two marker lines in a code cell:

        # BEGIN SOLUTION
        # HINT: the weighted sum of lesson 01: one number per example (shape (n,)),
        # HINT: and the bias counted once per example
        return X @ weights + bias
        # END SOLUTION

Each region becomes a stub, indented like the BEGIN marker, wrapped to WIDTH characters:

        raise NotImplementedError(
            "the weighted sum of lesson 01: one number per example (shape (n,)), and the bias "
            "counted once per example")

(the `# HINT:` lines are optional and joined in order; without them the stub names the
function to write). nbgrader's spelling of the markers, `### BEGIN SOLUTION` and
`### END SOLUTION`, is accepted too, so existing material can be brought as it is; nbgrader's
`### BEGIN HIDDEN TESTS` is refused with a message (hidden tests live in instructor/graders/).
Outputs and execution counts are cleared and the exercise id is recorded in the notebook's
metadata (`metadata.nnlessons.exercise`). The output depends only on the solutions: byte for
byte.
"""
import copy
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

BEGIN, END, HINT = "# BEGIN SOLUTION", "# END SOLUTION", "# HINT:"
# nbgrader's spellings of the same markers, accepted as they are
BEGINS, ENDS = (BEGIN, "### BEGIN SOLUTION"), (END, "### END SOLUTION")
HIDDEN_TESTS = re.compile(r"^#+\s*(BEGIN|END)\s+HIDDEN\s+TESTS\s*$", re.IGNORECASE)
LOOKALIKE = re.compile(r"^#+\s*(BEGIN|END)\b.*SOLUTION", re.IGNORECASE)
DEF = re.compile(r"^(\s*)def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(")
WIDTH = 88  # what the course's editors show without scrolling


class MarkerError(ValueError):
    """A solution notebook whose markers do not pair up."""


def _stub_lines(indent, hint):
    """`raise NotImplementedError(hint)` at `indent`, as one line when it fits in WIDTH, else
    with the message cut at spaces into string literals of one line each (Python joins them)."""
    one = f"{indent}raise NotImplementedError({json.dumps(hint)})"
    if len(one) <= WIDTH:
        return [one]
    inner = indent + "    "
    room = WIDTH - len(inner) - 3  # the quotes and, on the last line, the closing parenthesis
    pieces, piece = [], ""
    for word in hint.split(" "):
        if piece and len(json.dumps(piece + word)) - 2 > room:
            pieces.append(piece)
            piece = ""
        piece += word + " "
    pieces.append(piece[:-1])
    return ([f"{indent}raise NotImplementedError("]
            + [inner + json.dumps(p) for p in pieces[:-1]]
            + [inner + json.dumps(pieces[-1]) + ")"])


def _enclosing_function(lines, index, indent):
    for line in reversed(lines[:index]):
        match = DEF.match(line)
        if match and len(match.group(1)) < len(indent):
            return match.group(2)
    return None


@dataclass(frozen=True)
class Region:
    """One solution region of a cell: `begin` and `end` are the 1-based line numbers of its
    marker lines, so the learner's lines are `begin + 1 .. end - 1`."""
    begin: int
    end: int
    indent: str        # the BEGIN line's indentation, which the stub keeps
    function: str      # the function the region sits in, or None at the top level
    hint: str          # the text of its `# HINT:` lines joined with spaces, or None


def solution_regions(source, where):
    """The regions of one code cell's source, in order; MarkerError when the markers do not pair
    up. `where` names the cell in errors."""
    lines = source.split("\n")
    regions, region_start, region_hint, region_indent, function = [], None, None, "", None
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if HIDDEN_TESTS.match(stripped):
            raise MarkerError(f"{where}: line {number} is nbgrader's {stripped!r}, which "
                              f"nnlessons does not support: hidden tests are not cells of the "
                              f"notebook but tests in instructor/graders/exNN_name.py (see "
                              f"nnlessons/grading/AUTHORING.md, section 3); move them there")
        if stripped in BEGINS:
            if region_start is not None:
                raise MarkerError(f"{where}: line {number} opens a '{BEGIN}' inside the region "
                                  f"opened at line {region_start}; regions cannot be nested")
            region_start, region_hint = number, None
            region_indent = line[:len(line) - len(line.lstrip())]
            function = _enclosing_function(lines, number - 1, region_indent + " ")
        elif stripped in ENDS:
            if region_start is None:
                raise MarkerError(f"{where}: line {number} has '{END}' without a "
                                  f"'{BEGIN}' before it")
            regions.append(Region(region_start, number, region_indent, function, region_hint))
            region_start = None
        elif LOOKALIKE.match(stripped):
            raise MarkerError(f"{where}: line {number} looks like a marker but is not exactly "
                              f"'{BEGIN}' or '{END}' (or nbgrader's '{BEGINS[1]}', "
                              f"'{ENDS[1]}'): {stripped!r}")
        elif region_start is not None and stripped.startswith(HINT):
            text = stripped[len(HINT):].strip()
            region_hint = text if region_hint is None else f"{region_hint} {text}"
    if region_start is not None:
        raise MarkerError(f"{where}: the '{BEGIN}' at line {region_start} has no "
                          f"'{END}' after it")
    return regions


def strip_cell(source, where):
    """The exercise version of one code cell's source. `where` names the cell in errors."""
    lines = source.split("\n")
    out, line = [], 1
    for region in solution_regions(source, where):
        out.extend(lines[line - 1:region.begin - 1])
        hint = region.hint or (f"write the body of {region.function} here (see its docstring), "
                               f"then run the check below" if region.function else
                               "write your code here, then run the check below")
        out.extend(_stub_lines(region.indent, hint))
        line = region.end + 1
    out.extend(lines[line - 1:])
    return "\n".join(out)


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def make_exercise(solution, exercise, name="notebook"):
    """The exercise notebook (a dict) made from the solution notebook (a dict)."""
    nb = copy.deepcopy(solution)
    regions = 0
    for index, cell in enumerate(nb.get("cells", [])):
        cell.setdefault("id", f"cell-{index}")
        cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items()
                            if k not in ("execution", "collapsed", "scrolled")}
        source = _source(cell)
        if cell.get("cell_type") == "code":
            where = f"{name}, cell {index + 1}"
            stripped = strip_cell(source, where)
            regions += sum(line.strip() in BEGINS for line in source.split("\n"))
            cell["source"] = stripped
            cell["outputs"] = []
            cell["execution_count"] = None
        else:
            cell["source"] = source
            if any(LOOKALIKE.match(line.strip()) or HIDDEN_TESTS.match(line.strip())
                   for line in source.split("\n")):
                raise MarkerError(f"{name}, cell {index + 1}: solution markers belong in code "
                                  f"cells; this one is {cell.get('cell_type')}")
    if regions == 0:
        raise MarkerError(f"{name}: no '{BEGIN}' region in any code cell; an exercise "
                          f"notebook needs at least one")
    metadata = {"kernelspec": {"display_name": "Python 3", "language": "python",
                               "name": "python3"},
                "language_info": {"name": "python"},
                "nnlessons": {"exercise": exercise}}
    nb["metadata"] = metadata
    nb["nbformat"], nb["nbformat_minor"] = 4, 5
    return nb


def render(nb):
    """Bytes exactly as written to disk (nbformat's layout: indent 1, sorted keys)."""
    return (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def plan(solutions, exercises):
    """{exercise path: bytes it should hold} for every solution notebook."""
    solutions, exercises = Path(solutions), Path(exercises)
    result = {}
    for path in sorted(solutions.glob("*.ipynb")):
        try:
            solution = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            raise MarkerError(f"{path}: not a valid notebook ({error})") from None
        result[exercises / path.name] = render(make_exercise(solution, path.stem, str(path)))
    return result


def stale(solutions, exercises):
    """The exercise files that differ from what release would write (or should not exist)."""
    wanted = plan(solutions, exercises)
    out = [path for path, data in wanted.items()
           if not path.exists() or path.read_bytes() != data]
    out += [path for path in sorted(Path(exercises).glob("*.ipynb")) if path not in wanted]
    return out


def add_arguments(parser):
    parser.add_argument("--solutions", default="solutions", metavar="DIR",
                        help="folder of solution notebooks (default: solutions)")
    parser.add_argument("--exercises", default="exercises", metavar="DIR",
                        help="folder to write the exercise notebooks to (default: exercises)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 and list the files that are out of date")


def run(args):
    solutions = Path(args.solutions)
    if not solutions.is_dir():
        print(f"nnlessons release: no folder {solutions} (give --solutions DIR)", file=sys.stderr)
        return 2
    try:
        if args.check:
            out = stale(solutions, args.exercises)
            if out:
                print("exercises out of date with solutions (run `nnlessons release`):",
                      file=sys.stderr)
                for path in out:
                    why = "should not exist (no solution)" if not (
                        solutions / path.name).exists() else "stale" if path.exists() else \
                        "missing"
                    print(f"  {path}: {why}", file=sys.stderr)
                return 1
            print(f"exercises up to date ({len(plan(solutions, args.exercises))} notebooks)")
            return 0
        wanted = plan(solutions, args.exercises)
    except MarkerError as error:
        print(f"nnlessons release: {error}", file=sys.stderr)
        return 2
    Path(args.exercises).mkdir(parents=True, exist_ok=True)
    for path, data in wanted.items():
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            print(f"wrote {path}")
    return 0
