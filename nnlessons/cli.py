"""The `nnlessons` command.

    nnlessons release      generate exercises/ from solutions/
    nnlessons grade ...    grade submitted notebooks
    nnlessons gradescope EXERCISE --out FILE.zip
                           build a Gradescope autograder for an exercise
    nnlessons doctor       check that this machine is ready for the course
    nnlessons colab --repository URL
                           publish: the notebooks install the course on Colab from URL

`python -m nnlessons ...` is the same command.
"""
import argparse
import importlib
import sys

# subcommand -> module with `add_arguments(parser)` and `run(args) -> exit status`
COMMANDS = {
    "release": ("nnlessons.grading.release", "generate exercises/ from solutions/"),
    "grade": ("nnlessons.grading.cli", "grade submitted notebooks"),
    "gradescope": ("nnlessons.grading.gradescope",
                   "build a Gradescope autograder zip for an exercise"),
    "doctor": ("nnlessons.doctor", "check that this machine is ready for the course"),
    "colab": ("nnlessons.colab", "set the course's repository address: every notebook's first "
                                 "cell installs the course from it on Colab, and the README "
                                 "gets its Open in Colab badges"),
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nnlessons", description="How neural networks learn.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = {}
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        modules[name] = module
        module.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return modules[args.command].run(args)
    except BrokenPipeError:
        # the reader went away (`nnlessons doctor | head`): nothing more to say, and no traceback
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
