"""Which distributions the package imports, compared with the ones pyproject.toml declares.

    python tools/package_imports.py           the table: module, distribution, files
    python tools/package_imports.py --check   exit 1 unless imported == declared

Every `import` and `from ... import` statement in nnlessons/ (grading and widgets included,
wherever it stands: a function body, a try block) is read from the source, not guessed by eye.
The standard library and nnlessons itself are left out; each other top-level module is mapped to
the distribution that installs it, in this environment. The runtime dependencies must be exactly
those: one that is imported but not declared breaks a fresh install, one declared but never
imported makes every learner download it for nothing.
"""
import ast
import re
import sys
from importlib import metadata
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "nnlessons"
# Modules imported only by files that their own program loads, by file: the server extension
# runs inside a Jupyter server, so jupyter_server is there whenever it runs. Declared, it would
# be installed with every install of the package, which `pip install -e .` alone must not need.
HOSTED = {"jupyter_server": ["nnlessons/server_extension.py"]}


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules(folder):
    """{top-level module: sorted files that import it} for the third-party imports in `folder`."""
    found = {}
    for path in sorted(Path(folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue  # relative imports stay inside the package
            for name in names:
                top = name.partition(".")[0]
                if top not in sys.stdlib_module_names and top not in (PACKAGE, "__future__"):
                    found.setdefault(top, set()).add(path.relative_to(folder.parent).as_posix())
    return {module: sorted(files) for module, files in found.items()}


def distribution_of(module):
    """The canonical name of the distribution that installs `module` here, or None."""
    names = metadata.packages_distributions().get(module, [])
    return canonical(names[0]) if names else None


def declared():
    with open(ROOT / "pyproject.toml", "rb") as file:
        dependencies = tomllib.load(file)["project"]["dependencies"]
    return {canonical(re.split(r"[\s<>=!~;\[]", line, maxsplit=1)[0]) for line in dependencies}


def compare():
    """(rows, problems): rows of (module, distribution, files); problems as sentences."""
    modules = imported_modules(ROOT / PACKAGE)
    rows, problems, imported = [], [], set()
    for module, files in sorted(modules.items()):
        if set(files) <= set(HOSTED.get(module, [])):
            rows.append((module, "(its host)", files))
            continue
        distribution = distribution_of(module)
        rows.append((module, distribution or "?", files))
        if distribution is None:
            problems.append(f"{module} (imported by {', '.join(files)}) is not installed here, "
                            f"so its distribution is unknown: install the project and run again")
        else:
            imported.add(distribution)
    wanted = declared()
    for name in sorted(imported - wanted):
        problems.append(f"{name} is imported but not declared in pyproject.toml's dependencies")
    for name in sorted(wanted - imported):
        problems.append(f"{name} is declared in pyproject.toml's dependencies but nnlessons/ "
                        f"never imports it: move it to an extra, or drop it")
    return rows, problems


def main(argv):
    rows, problems = compare()
    if "--check" not in argv:
        for module, distribution, files in rows:
            print(f"{module:<20} {distribution:<20} {len(files):>3} files: {', '.join(files[:3])}"
                  + (" ..." if len(files) > 3 else ""))
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if "--check" in argv and not problems:
        print(f"the runtime dependencies are what nnlessons/ imports: "
              f"{', '.join(sorted(d for _, d, _ in rows if d != '(its host)'))}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
