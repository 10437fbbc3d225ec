"""Reading a submitted notebook without trusting it: its code cells, its exercise id.

A notebook comes from a learner, so reading it must neither stall nor swell the grader:
1. open: only a regular file. Its entry is checked with lstat before opening; it is opened with
   O_NOFOLLOW | O_NONBLOCK (a symbolic link is refused, a FIFO never waited on) and checked again
   with fstat to be the same regular file. With `inside=FOLDER`, every folder between FOLDER and
   the file is opened without following links too, so the file cannot be outside FOLDER.
2. read: at most MAX_NOTEBOOK_BYTES, counted on the open file (a file that grows is still cut).
3. parse: in a short-lived child process (`python -I -S` running only `_PARSER` below, never
   learner code) under an address-space and CPU-time limit and a deadline. Parsing is where a
   small file becomes huge (a few MB of `[[[[` or of `{},{},{}` are millions of objects); the
   child answers with the code cells' sources and the exercise id only.
"""
import errno
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

# The biggest solution notebook, run with its outputs and plots, is 0.6 MB (07_overfitting).
MAX_NOTEBOOK_BYTES = 5 * 1024 * 1024
PARSE_MEMORY = 128 * 1024 ** 2    # address space of the parsing child; 5 MB of outputs need 30
PARSE_SECONDS = 10                # CPU time of the parsing child; its wall-clock deadline is +5 s
MAX_NOTES = 20                    # notes about skipped Jupyter commands, per notebook
# The grader parses the code (ast) to look for forbidden calls, at up to 900 bytes of memory per
# character of code (100,000 characters: 90 MB); the biggest solution has 24 code cells and
# 13,000 characters of code.
MAX_CODE_CELLS = 1000
MAX_CODE_CHARS = 100_000
EXERCISE_IN_NAME = re.compile(r"(\d\d_[a-z][a-z0-9_]*?)$")
TOO_BIG = "the notebook is too large or too deeply nested to read"

_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
               | getattr(os, "O_BINARY", 0))
_FOLDER_FLAGS = (os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))


class NotANotebook(ValueError):
    pass


def refusal(status):
    """Why a file with this lstat() result is never opened, or None for a regular file."""
    mode = status.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return ("it is a symbolic link (the grader reads only regular files: submit the "
                "notebook itself)")
    kind = ("a folder" if stat.S_ISDIR(mode) else
            "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else
            "a socket" if stat.S_ISSOCK(mode) else
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file")
    return f"it is {kind}, not a regular file; the grader does not open it"


def _walk_to(inside, path):
    """An open descriptor of the folder holding `path`, and the file's name in it, reached from
    `inside` without following a link on the way."""
    try:
        parts = Path(path).relative_to(inside).parts
    except ValueError:
        raise NotANotebook("it is not inside its submission folder") from None
    if not parts or ".." in parts:
        raise NotANotebook("it is not inside its submission folder")
    fd = os.open(inside, _FOLDER_FLAGS)
    try:
        for part in parts[:-1]:
            try:
                child = os.open(part, _FOLDER_FLAGS | getattr(os, "O_NOFOLLOW", 0), dir_fd=fd)
            except OSError as error:
                if error.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise NotANotebook(f"the folder {part!r} on its path is a symbolic link or "
                                       f"not a folder; the grader does not follow links") from None
                raise
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd, parts[-1]


def _open(path, inside):
    folder, name = _walk_to(inside, path) if inside is not None else (None, os.fspath(path))
    try:
        before = os.stat(name, dir_fd=folder, follow_symlinks=False)
        problem = refusal(before)
        if problem:
            raise NotANotebook(problem)
        try:
            fd = os.open(name, _OPEN_FLAGS, dir_fd=folder)
        except OSError as error:
            if error.errno == errno.ELOOP:    # it became a link since the lstat
                now = os.stat(name, dir_fd=folder, follow_symlinks=False)
                raise NotANotebook(refusal(now) or "the file was replaced while it was "
                                   "being opened") from None
            raise
    finally:
        if folder is not None:
            os.close(folder)
    after = os.fstat(fd)
    if refusal(after) or (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
        os.close(fd)
        raise NotANotebook("the file was replaced while it was being opened")
    return fd, after


def _too_large():
    return NotANotebook(f"the file is larger than {MAX_NOTEBOOK_BYTES // 1024 ** 2} MB (an "
                        f"exercise notebook, even with its outputs, is far smaller: clear its "
                        f"outputs and submit it again)")


def read_bytes(path, inside=None):
    """The bytes of the notebook file at `path`, read as the module docstring says.
    NotANotebook says what is wrong."""
    try:
        fd, status = _open(path, inside)
    except OSError as error:
        raise NotANotebook(f"the file cannot be read ({error.strerror})") from None
    try:
        if status.st_size > MAX_NOTEBOOK_BYTES:
            raise _too_large()
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, MAX_NOTEBOOK_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_NOTEBOOK_BYTES:
                raise _too_large()
        return b"".join(chunks)
    except OSError as error:
        raise NotANotebook(f"the file cannot be read ({error.strerror})") from None
    finally:
        os.close(fd)


# Run as `python -I -S -c _PARSER MEMORY SECONDS`, the notebook on stdin. Exit status 3: out of
# memory or nested too deeply. Its answer is ASCII JSON (lone surrogates survive as \ud800).
_PARSER = r"""
import json, os, sys
try:
    import resource
    for which, value in ((resource.RLIMIT_AS, int(sys.argv[1])),
                         (resource.RLIMIT_CPU, int(sys.argv[2]))):
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass
except ImportError:
    pass

def answer(reply):
    sys.stdout.write(json.dumps(reply))
    sys.stdout.flush()
    os._exit(0)

def invalid(why):
    answer({"error": "it is not a valid notebook: " + why})

try:
    raw = sys.stdin.buffer.read()
    try:
        data = json.loads(raw)
    except ValueError as error:
        invalid("the file is not JSON (%s)" % str(error)[:120])
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        invalid("it has no list of cells")
    sources = []
    for cell in data["cells"]:
        if not isinstance(cell, dict):
            invalid("a cell is not an object")
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(source, str):
            invalid("a cell's source is not text")
        sources.append(source)
    meta = data.get("metadata")
    ours = meta.get("nnlessons") if isinstance(meta, dict) else None
    exercise = ours.get("exercise") if isinstance(ours, dict) else None
    if not (isinstance(exercise, str) and 0 < len(exercise) <= 100):
        exercise = None
    answer({"cells": sources, "exercise": exercise})
except (MemoryError, RecursionError):
    os._exit(3)
"""


def parse(raw):
    """The notebook in `raw` (bytes) reduced to what grading needs: {"cells": [its code cells,
    as {"cell_type": "code", "source": text}], "metadata": its exercise id}. Parsed in a child
    process within PARSE_MEMORY and PARSE_SECONDS; NotANotebook says what is wrong."""
    if len(raw) > MAX_NOTEBOOK_BYTES:
        raise _too_large()
    env = {name: os.environ[name] for name in ("SYSTEMROOT",) if name in os.environ}
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _PARSER, str(PARSE_MEMORY), str(PARSE_SECONDS)],
            input=raw, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            # any folder that exists will do (-I keeps it off sys.path): Python's own
            cwd=os.path.dirname(os.path.abspath(sys.executable)), timeout=PARSE_SECONDS + 5)
    except subprocess.TimeoutExpired:
        raise NotANotebook(TOO_BIG) from None
    # killed by its CPU limit (SIGXCPU, SIGKILL) or out of memory: the notebook's doing
    if done.returncode == 3 or done.returncode < 0:
        raise NotANotebook(TOO_BIG)
    try:
        reply = json.loads(done.stdout) if done.returncode == 0 else None
    except ValueError:
        reply = None
    if isinstance(reply, dict) and isinstance(reply.get("error"), str):
        raise NotANotebook(reply["error"])
    if not (isinstance(reply, dict) and isinstance(reply.get("cells"), list)
            and all(isinstance(source, str) for source in reply["cells"])):
        raise RuntimeError(f"the grader's notebook reader failed (exit status "
                           f"{done.returncode})")
    exercise = reply.get("exercise")
    return {"cells": [{"cell_type": "code", "source": source} for source in reply["cells"]],
            "metadata": {"nnlessons": {"exercise": exercise}} if isinstance(exercise, str)
            else {}}


def read(source, inside=None):
    """The notebook, from a path (read as the module docstring says; with `inside`, it must be
    in that folder), from its JSON as bytes or str, or already a dict (trusted: not re-parsed).
    NotANotebook says what is wrong."""
    if isinstance(source, dict):
        data = source
    elif isinstance(source, (bytes, bytearray)):
        data = parse(bytes(source))
    elif isinstance(source, str) and source.lstrip().startswith("{"):
        data = parse(source.encode("utf-8", "surrogatepass"))
    else:
        data = parse(read_bytes(source, inside))
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
    note says which line of which cell was skipped (the first MAX_NOTES, then how many more)."""
    sources, notes, unnoted, size = [], [], 0, 0

    def note(message):
        nonlocal unnoted
        if len(notes) < MAX_NOTES:
            notes.append(message)
        else:
            unnoted += 1

    for cell in data["cells"]:
        if not isinstance(cell, dict):
            raise NotANotebook("it is not a valid notebook: a cell is not an object")
        if cell.get("cell_type") != "code":
            continue
        number = len(sources) + 1
        code = _text(cell.get("source", ""))
        size += len(code)
        if number > MAX_CODE_CELLS:
            raise NotANotebook(f"it has more than {MAX_CODE_CELLS} code cells (an exercise has "
                               f"about 20): remove the extra cells and submit it again")
        if size > MAX_CODE_CHARS:
            raise NotANotebook(f"its code cells hold more than {MAX_CODE_CHARS:,} characters, "
                               f"the most the grader reads (an exercise's code is about "
                               f"10,000): remove the extra code and submit it again")
        lines = code.splitlines()
        if lines and lines[0].lstrip().startswith("%%"):
            note(f"code cell {number}: skipped (cell magic {lines[0].strip()[:60]})")
            sources.append("")
            continue
        kept = []
        for line_number, line in enumerate(lines, 1):
            stripped = line.lstrip()
            if stripped.startswith(("%", "!")):
                indent = line[:len(line) - len(stripped)]
                kept.append(f"{indent}pass  # skipped by the grader: {stripped[:40]}")
                note(f"code cell {number}, line {line_number}: skipped {stripped[:60]!r} "
                     f"(Jupyter commands do not run when grading)")
            else:
                kept.append(line)
        sources.append("\n".join(kept) + "\n")
    if unnoted:
        notes.append(f"... and {unnoted} more Jupyter command lines skipped")
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
