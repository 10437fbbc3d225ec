"""Write a pip constraints file that pins every runtime dependency to its lowest allowed version.

    python tools/lowest_constraints.py > constraints.txt
    pip install -c constraints.txt -e ".[test]"
    python tools/lowest_constraints.py --installed    the versions installed; exit 1 if unpinned

Each bound `name>=X` in pyproject.toml's [project] dependencies becomes `name==X.*`: a bound
written `numpy>=1.24` promises the 1.24 series, so the newest 1.24 release is installed (it has
the wheels and bug fixes of that series); a bound written `jupyter_client>=6.1.12` promises that
very release. .ci/run installs the project with these constraints and runs the unit tests, so a
lower bound that no longer works fails CI instead of a learner's older environment.

Only the runtime dependencies are pinned: they are what the package promises its users. The
test tools (pytest, nbval, ...) come at whatever version pip finds that agrees with the pins.
A dependency without a `>=` bound is an error, since it has no lowest version to test.
"""
import re
import sys
from importlib import metadata
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
BOUND = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*>=\s*([0-9]+(?:\.[0-9]+)*)\s*$")


def lowest_pins(dependencies):
    """['name==X.*', ...] for `name>=X` requirement strings; ValueError for any other form."""
    pins = []
    for requirement in dependencies:
        match = BOUND.match(requirement)
        if match is None:
            raise ValueError(f"{requirement!r}: every runtime dependency needs exactly one lower "
                             f"bound, written 'name>=X.Y', so that its lowest version can be "
                             f"installed and tested")
        name, version = match.groups()
        pins.append(f"{name}=={version}.*")
    return pins


def installed(pins):
    """Lines 'name version' for each pin, and whether every installed version matches it."""
    from packaging.specifiers import SpecifierSet

    lines, ok = [], True
    for pin in pins:
        name, _, version = pin.partition("==")
        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            found = None
        matches = found is not None and SpecifierSet(f"=={version}").contains(found)
        ok = ok and matches
        lines.append(f"{name} {found or 'not installed'}"
                     + ("" if matches else f"   NOT the pinned =={version}"))
    return lines, ok


def main(argv):
    with open(ROOT / "pyproject.toml", "rb") as file:
        dependencies = tomllib.load(file)["project"]["dependencies"]
    try:
        pins = lowest_pins(dependencies)
    except ValueError as error:
        print(f"lowest_constraints: pyproject.toml: {error}", file=sys.stderr)
        return 2
    if "--installed" in argv:
        lines, ok = installed(pins)
        print("lowest versions installed: " + ", ".join(lines))
        return 0 if ok else 1
    print("# the lowest versions pyproject.toml allows (tools/lowest_constraints.py)")
    print("\n".join(pins))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
