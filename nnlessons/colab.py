"""`nnlessons colab`: where the course is published, written into every notebook and the README.

    nnlessons colab --repository https://github.com/OWNER/REPO    set the address, rewrite all
    nnlessons colab             rewrite from the address already set (say, after a new notebook)
    nnlessons colab --check     write nothing; exit 1 and list the files that are out of date

The address lives in one place: `Repository` in pyproject.toml's [project.urls] table. The rest
is made from it:

- the first code cell of every notebook in lessons/ and solutions/ (and so of exercises/, which
  `nnlessons release` makes from solutions/; this command runs it). On Colab the cell installs
  the course from the repository, `%pip install "nnlessons @ git+URL@main"`; anywhere else it
  does nothing and prints nothing. It never installs `nnlessons` from the package index: the
  course is not published there, and whoever registers that name would have their code run.
  Until an address is set, the cell on Colab prints how to install the course by hand.
- the README's table of notebooks (between its two marker lines), with an "Open in Colab" badge
  for each lesson and exercise.

The cell holds the address itself because it runs before the package is installed; this
command keeps the copies equal to the one place, and `--check` proves they are.
"""
import json
import re
import sys
from pathlib import Path

from .grading import release

BRANCH = "main"
NOTEBOOK_FOLDERS = ("lessons", "solutions")
README_START = "<!-- notebook table: start (written by `nnlessons colab`, do not edit) -->"
README_END = "<!-- notebook table: end -->"
BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
# How the install cell is recognised: its first line (older versions of the cell too).
CELL_START = "# On Colab"
GITHUB = re.compile(r"https://github\.com/(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/"
                    r"(?P<name>[A-Za-z0-9._-]+?)(?:\.git)?/?")
URLS_TABLE = "[project.urls]"
REPOSITORY_LINE = re.compile(r'^\s*Repository\s*=\s*"(?P<url>[^"]*)"\s*(?:#.*)?$')


class ColabError(ValueError):
    """Input this command cannot work with; the message says what to do."""


# ---- the address ------------------------------------------------------------------------------

def parse_repository(url):
    """(owner, name) of a GitHub repository address; ColabError for anything else."""
    match = GITHUB.fullmatch(url.strip()) if isinstance(url, str) else None
    if match is None or match["name"] in (".", ".."):
        raise ColabError(f"--repository must be the address of a GitHub repository, "
                         f"https://github.com/OWNER/REPO (Colab opens notebooks from GitHub); "
                         f"got {url!r}")
    return match["owner"], match["name"]


def canonical_address(url):
    owner, name = parse_repository(url)
    return f"https://github.com/{owner}/{name}"


def _urls_table(lines):
    """(first line, end) of the [project.urls] table in pyproject.toml's lines, or None."""
    for index, line in enumerate(lines):
        if line.strip() == URLS_TABLE:
            end = next((i for i in range(index + 1, len(lines))
                        if lines[i].lstrip().startswith("[")), len(lines))
            return index, end
    return None


def read_repository(pyproject_text):
    """The address set in pyproject.toml, or None when none is set yet."""
    lines = pyproject_text.splitlines()
    table = _urls_table(lines)
    if table is None:
        return None
    for line in lines[table[0] + 1:table[1]]:
        match = REPOSITORY_LINE.match(line)
        if match:
            return canonical_address(match["url"])
    return None


def with_repository(pyproject_text, url):
    """pyproject.toml's text with `Repository = "url"` in its [project.urls] table."""
    lines = pyproject_text.splitlines()
    entry = f'Repository = "{url}"'
    table = _urls_table(lines)
    if table is None:
        if re.search(r"^\s*urls\s*=", pyproject_text, flags=re.M):
            raise ColabError("pyproject.toml sets `urls = ...` inside [project]; move those "
                             "addresses into a [project.urls] table so this command can add "
                             "`Repository` to it")
        lines += ["", URLS_TABLE, entry]
    else:
        start, end = table
        existing = [i for i in range(start + 1, end) if REPOSITORY_LINE.match(lines[i])]
        if existing:
            lines[existing[0]] = entry
        else:
            lines.insert(start + 1, entry)
    text = "\n".join(lines) + "\n"
    try:
        import tomllib
    except ImportError:  # Python 3.10: nothing to check the edit with
        return text
    try:
        written = tomllib.loads(text)["project"]["urls"]["Repository"]
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as error:
        raise ColabError(f"could not add the address to pyproject.toml's [project.urls] "
                         f"table ({error}); add the line {entry} there by hand") from None
    if written != url:
        raise ColabError(f"pyproject.toml reads Repository = {written!r} after the edit; set it "
                         f"to {url!r} by hand")
    return text


# ---- what is made from it ---------------------------------------------------------------------

def install_requirement(url):
    """What pip installs on Colab: the course at the branch the badges open."""
    return f"nnlessons @ git+{url}@{BRANCH}"


def first_cell(url):
    """The source of every notebook's first code cell, for the address `url` (None: not set)."""
    if url is None:
        missing = (
            '        print("This copy of the course has no published address yet, so this cell '
            'cannot install\\n"\n'
            '              "the course package on Colab. Install it by hand: in a new cell, '
            'run\\n"\n'
            '              \'    %pip install "nnlessons @ git+https://github.com/OWNER/REPO"'
            '\\n\'\n'
            '              "with OWNER/REPO the GitHub repository this notebook came from.")')
    else:
        missing = f'        %pip install -q "{install_requirement(url)}"'
    return ("# On Colab this cell installs the course package from the course's repository.\n"
            "# Anywhere else it does nothing: install the course as its README says.\n"
            "import sys\n"
            "\n"
            'if "google.colab" in sys.modules:\n'
            "    try:\n"
            "        import nnlessons  # noqa: F401\n"
            "    except ImportError:\n"
            f"{missing}")


def colab_address(url, path):
    owner, name = parse_repository(url)
    return f"https://colab.research.google.com/github/{owner}/{name}/blob/{BRANCH}/{path}"


def _entry(url, path):
    link = f"[`{path}`]({path})"
    if url is None:
        return link
    return f"{link} [![Open in Colab]({BADGE})]({colab_address(url, path)})"


def notebook_table(root, url):
    """The README's block between its markers: one row per lesson, its exercises beside it."""
    root = Path(root)
    lessons = {p.stem: p for p in sorted((root / "lessons").glob("*.ipynb"))}
    exercises = {p.stem: p for p in sorted((root / "exercises").glob("*.ipynb"))}
    rows = ["| lesson | exercises |", "|---|---|"]
    for stem in sorted(set(lessons) | set(exercises)):
        lesson = _entry(url, f"lessons/{stem}.ipynb") if stem in lessons else "(no lesson)"
        exercise = _entry(url, f"exercises/{stem}.ipynb") if stem in exercises else \
            "(none: the lesson is its own exercise)"
        rows.append(f"| {lesson} | {exercise} |")
    if url is None:
        rows += ["", "No Open in Colab badges yet: the course has no published address "
                     "(see below)."]
    else:
        rows += ["", f"Each badge opens the notebook from {url} in Colab."]
    return "\n".join([README_START, *rows, README_END])


def _with_first_cell(nb, url, where):
    """The notebook `nb` (a dict) with its install cell's source set for `url`."""
    code = [cell for cell in nb.get("cells", []) if cell.get("cell_type") == "code"]
    if not code:
        raise ColabError(f"{where}: no code cell; the first code cell of every notebook must be "
                         f"the install cell (see nnlessons/grading/AUTHORING.md)")
    cell = code[0]
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else source
    if not text.startswith(CELL_START):
        raise ColabError(f"{where}: its first code cell is not the install cell (which starts "
                         f"{CELL_START!r}); put one before it, as in lessons/01_neuron.ipynb")
    wanted = first_cell(url)
    # keep the layout the file has (nbformat stores a list of lines, release a string)
    cell["source"] = wanted.splitlines(keepends=True) if isinstance(source, list) else wanted
    return nb


def plan(root, url):
    """{path: bytes it should hold} for every file made from the address `url`."""
    root = Path(root)
    wanted = {}
    for folder in NOTEBOOK_FOLDERS:
        for path in sorted((root / folder).glob("*.ipynb")):
            where = path.relative_to(root).as_posix()
            try:
                nb = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as error:
                raise ColabError(f"{where}: not a valid notebook ({error})") from None
            wanted[path] = release.render(_with_first_cell(nb, url, where))
    # the exercises as `nnlessons release` makes them from the solutions just planned
    solutions = {p.name: json.loads(data) for p, data in wanted.items()
                 if p.parent == root / "solutions"}
    for name, solution in solutions.items():
        try:
            exercise = release.make_exercise(solution, Path(name).stem, f"solutions/{name}")
        except release.MarkerError as error:
            raise ColabError(str(error)) from None
        wanted[root / "exercises" / name] = release.render(exercise)
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        raise ColabError(f"README.md has no table markers: put the line {README_START} before "
                         f"the table of notebooks and the line {README_END} after it")
    before, rest = text.split(README_START, 1)
    _, after = rest.split(README_END, 1)
    wanted[readme] = (before + notebook_table(root, url) + after).encode("utf-8")
    return wanted


def stale(root, url):
    """The files that differ from what the address `url` makes."""
    return [path for path, data in plan(root, url).items()
            if not path.exists() or path.read_bytes() != data]


# ---- the command ------------------------------------------------------------------------------

def add_arguments(parser):
    parser.add_argument("--repository", metavar="URL",
                        help="the course's GitHub repository, https://github.com/OWNER/REPO "
                             "(default: the address already in pyproject.toml)")
    parser.add_argument("--root", default=".", metavar="DIR",
                        help="the course folder, the one that holds pyproject.toml (default: .)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 and list the files that are out of date")


def run(args):
    root = Path(args.root)
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        print(f"nnlessons colab: no pyproject.toml in {root.resolve()}: run it from the course "
              f"folder or give --root DIR", file=sys.stderr)
        return 2
    try:
        text = pyproject.read_text(encoding="utf-8")
        url = read_repository(text)
        if args.repository is not None:
            if args.check:
                raise ColabError("--check compares the files with the address already set; "
                                 "leave out --repository")
            url = canonical_address(args.repository)
            new_text = with_repository(text, url)
        wanted = plan(root, url)
    except ColabError as error:
        print(f"nnlessons colab: {error}", file=sys.stderr)
        return 2
    if args.repository is not None:
        wanted[pyproject] = new_text.encode("utf-8")
    changed = [path for path, data in wanted.items()
               if not path.exists() or path.read_bytes() != data]
    where = (f"on Colab the notebooks install the course from {url}" if url else
             "no address is set: on Colab the notebooks say how to install the course by hand")
    if args.check:
        if changed:
            print("out of date with the address in pyproject.toml (run `nnlessons colab`):",
                  file=sys.stderr)
            for path in changed:
                print(f"  {path}", file=sys.stderr)
            return 1
        print(f"all {len(wanted)} files are up to date; {where}")
        return 0
    for path in changed:
        path.write_bytes(wanted[path])
        print(f"wrote {path}")
    print(f"{len(changed)} of {len(wanted)} files rewritten; {where}")
    return 0
