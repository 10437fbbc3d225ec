"""`python -m nnlessons ...`: the `nnlessons` command, for where its script is not on the PATH
(an environment that is not activated, or Windows without the Scripts folder on PATH)."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
