"""Reading a submitted notebook without trusting it: its code cells, its exercise id."""
import json
import re
from pathlib import Path

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
EXERCISE_IN_NAME = re.compile(r"(\d\d_[a-z][a-z0-9_]*?)$")


class NotANotebook(ValueError):
    pass


def read(source):
    """The notebook as a dict, from a path, bytes, str or dict. NotANotebook says what is wrong."""
    if isinstance(source, dict):
        data = source
    else:
        if isinstance(source, (str, Path)) and not str(source).lstrip().startswith("{"):
            path = Path(source)
            try:
                if path.stat().st_size > MAX_NOTEBOOK_BYTES:
                    raise NotANotebook(f"the file is larger than "
                                       f"{MAX_NOTEBOOK_BYTES // 1_000_000} MB")
                source = path.read_bytes()
            except OSError as error:
                raise NotANotebook(f"the file cannot be read ({error.strerror})") from None
        try:
            data = json.loads(source)
        except (ValueError, RecursionError) as error:
            raise NotANotebook(f"it is not a valid notebook: the file is not JSON "
                               f"({str(error)[:120]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotANotebook("it is not a valid notebook: it has no list of cells")
    return data


def _text(source):
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    raise NotANotebook("it is not a valid notebook: a cell's source is not text")


def code_cells(data):
    """The code cells as Python, with Jupyter magics taken out. Returns (sources, notes); each
    note says which line of which cell was skipped."""
    sources, notes = [], []
    for cell in data["cells"]:
        if not isinstance(cell, dict):
            raise NotANotebook("it is not a valid notebook: a cell is not an object")
        if cell.get("cell_type") != "code":
            continue
        number = len(sources) + 1
        lines = _text(cell.get("source", "")).splitlines()
        if lines and lines[0].lstrip().startswith("%%"):
            notes.append(f"code cell {number}: skipped (cell magic {lines[0].strip()[:60]})")
            sources.append("")
            continue
        kept = []
        for line_number, line in enumerate(lines, 1):
            stripped = line.lstrip()
            if stripped.startswith(("%", "!")):
                indent = line[:len(line) - len(stripped)]
                kept.append(f"{indent}pass  # skipped by the grader: {stripped[:40]}")
                notes.append(f"code cell {number}, line {line_number}: skipped "
                             f"{stripped[:60]!r} (Jupyter commands do not run when grading)")
            else:
                kept.append(line)
        sources.append("\n".join(kept) + "\n")
    return sources, notes


def exercise_of(data, path=None, known=()):
    """The exercise id from the notebook's metadata (`nnlessons.exercise`), else from its file
    name: `01_neuron.ipynb`, `alice_01_neuron.ipynb` or `alice-01_neuron.ipynb`."""
    meta = data.get("metadata") if isinstance(data, dict) else None
    exercise = meta.get("nnlessons", {}).get("exercise") if isinstance(meta, dict) and \
        isinstance(meta.get("nnlessons"), dict) else None
    if isinstance(exercise, str) and exercise:
        return exercise
    return exercise_in_name(Path(path).stem, known) if path is not None else None


def exercise_in_name(stem, known=()):
    for exercise in sorted(known, key=len, reverse=True):
        if stem == exercise or stem.endswith(("_" + exercise, "-" + exercise, " " + exercise)):
            return exercise
    return None
