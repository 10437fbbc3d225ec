"""`nnlessons doctor`: is this machine ready for the course?

    nnlessons doctor               every check, a Jupyter kernel included (a few seconds)
    nnlessons doctor --no-kernel   skip starting a kernel
    nnlessons doctor --json        the same checks as JSON, for a script

Each check prints one line, `ok` or `PROBLEM` (or `note`: worth knowing, not a failure), and under
each problem the command that fixes it. Exit status 0 when nothing is a problem, 1 otherwise.

Each check is a function returning `Result`s, so tests call them one at a time. A check that
crashes is itself reported as a problem: the doctor never shows a traceback.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

OK, PROBLEM, NOTE = "ok", "PROBLEM", "note"
DISTRIBUTION = "nnlessons"
# The notebooks ask for this kernel in their metadata; JupyterLab starts it when they open.
KERNEL = "python3"
WIDGETS_EXTENSION = "@jupyter-widgets/jupyterlab-manager"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
# What an install adds to the package's metadata for itself, not for the course: hatchling's
# editable installs (`pip install -e`) need `editables` to map the package to the checkout.
INSTALL_MACHINERY = {"editables"}
KERNEL_CODE = ("import sys; print(sys.executable); print(sys.prefix)\n"
               "import nnlessons; print(nnlessons.__version__)")


@dataclass
class Result:
    """The outcome of one check: `status` is ok, PROBLEM or note; `fix` is a command to run."""
    name: str
    status: str
    detail: str
    fix: str = ""

    @property
    def ok(self):
        return self.status != PROBLEM


def _quote(text):
    return subprocess.list2cmdline([text]) if os.name == "nt" else shlex.quote(text)


def python_command():
    """This interpreter, quoted for a shell: fixes install into the environment nnlessons is in."""
    return _quote(sys.executable)


def pip_install(*requirements, extra=""):
    options = f" {extra}" if extra else ""
    specs = " ".join(f'"{r}"' for r in requirements)
    return f"{python_command()} -m pip install{options} {specs}"


def kernel_install_command():
    return (f'{python_command()} -m ipykernel install --user --name nnlessons '
            f'--display-name "Python (nnlessons)"')


# ---- versions ---------------------------------------------------------------------------------

def installed_version(name):
    """The installed version of distribution `name`, or None when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def requirements(extra=""):
    """[(name, specifier)] read from nnlessons's installed metadata, so they always match
    pyproject.toml: with no `extra`, what the package needs at run time; with `extra="lab"`,
    what that extra adds (JupyterLab 4 and Notebook 7, which load the widgets' prebuilt
    extension; older ones need a separate setup)."""
    from packaging.requirements import Requirement

    found = {}
    for line in metadata.requires(DISTRIBUTION) or []:
        requirement = Requirement(line)
        if canonical(requirement.name) in INSTALL_MACHINERY:
            continue
        marker = requirement.marker
        if extra:
            wanted = marker is not None and marker.evaluate({"extra": extra}) \
                and not marker.evaluate({"extra": ""})
        else:
            wanted = marker is None or marker.evaluate({"extra": ""})
        if wanted:
            found[requirement.name] = str(requirement.specifier)
    return list(found.items())


def lab_install_command():
    """The command that adds the `lab` extra to this nnlessons, from where it was installed
    (pip records that in direct_url.json). The course is not on the package index, so the fix
    never names it there: anyone could publish a package of that name."""
    try:
        record = json.loads(metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
                            or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        record = {}
    url = record.get("url", "") if isinstance(record, dict) else ""
    if "vcs_info" in record and url:
        return pip_install(f"{DISTRIBUTION}[lab] @ {record['vcs_info'].get('vcs', 'git')}+{url}")
    if url.startswith("file://"):
        from urllib.parse import unquote, urlparse
        folder = unquote(urlparse(url).path)
        if os.name == "nt" and re.match(r"^/[A-Za-z]:", folder):
            folder = folder[1:]
        editable = "-e " if record.get("dir_info", {}).get("editable") else ""
        return f'{python_command()} -m pip install {editable}"{folder}[lab]"'
    return (f'{python_command()} -m pip install -e ".[lab]"   (from the course folder, the one '
            f'that holds pyproject.toml)')


def canonical(name):
    """Distribution names compare case-blind with -, _ and . alike (jupyterlab_widgets)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def satisfies(version, specifier):
    from packaging.specifiers import SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        return SpecifierSet(specifier).contains(Version(version), prereleases=True)
    except InvalidVersion:
        return False


def check_python():
    needed = metadata.metadata(DISTRIBUTION).get("Requires-Python") or ""
    version = ".".join(map(str, sys.version_info[:3]))
    if not needed or satisfies(version, needed):
        return [Result("Python", OK, f"{version} at {sys.executable}"
                                     + (f" (needs {needed})" if needed else ""))]
    return [Result("Python", PROBLEM,
                   f"{version} at {sys.executable}, the course needs {needed}",
                   f"install Python {needed} from https://www.python.org/downloads/, make a "
                   f"virtual environment with it (python -m venv .venv) and install the course "
                   f"there")]


def check_packages():
    """One result per package nnlessons depends on: installed, recent enough. JupyterLab and
    Notebook 7 come with the `lab` extra: checked where installed, and where not, a note that
    says how to add them (Colab and other front ends run the course without them)."""
    results = [_check_package(name, specifier) for name, specifier in requirements()]
    for name, specifier in requirements("lab"):
        if installed_version(name) is None:
            results.append(Result(name, NOTE, f"not installed: the course is taught in "
                                              f"JupyterLab or Notebook 7, which come with "
                                              f"nnlessons's lab extra (needs {specifier})",
                                  lab_install_command()))
        else:
            results.append(_check_package(name, specifier))
    return results


def _check_package(name, specifier):
    version = installed_version(name)
    wanted = f"{name}{specifier}"
    if version is None:
        return Result(name, PROBLEM, f"not installed (needs {specifier or 'any'})",
                      pip_install(wanted))
    if specifier and not satisfies(version, specifier):
        return Result(name, PROBLEM, f"{version} installed, the course needs {specifier}",
                      pip_install(wanted, extra="--upgrade"))
    return Result(name, OK, version + (f" (needs {specifier})" if specifier else ""))


# ---- the widgets' front-end extension ---------------------------------------------------------

def labextension_paths():
    """Where JupyterLab and Notebook 7 look for prebuilt extensions, first match wins."""
    from jupyter_core.paths import jupyter_path
    return [Path(p) for p in jupyter_path("labextensions")]


def _package_version(package_json):
    try:
        return str(json.loads(package_json.read_text(encoding="utf-8")).get("version", "?"))
    except (OSError, ValueError, AttributeError):
        return "?"


def shipped_extension():
    """package.json of the extension as the installed jupyterlab_widgets laid it down, or None."""
    try:
        files = metadata.distribution("jupyterlab_widgets").files or []
    except metadata.PackageNotFoundError:
        return None
    suffix = f"labextensions/{WIDGETS_EXTENSION}/package.json"
    for file in files:
        if file.as_posix().endswith(suffix):
            return Path(file.locate())
    return None


def check_widget_extension():
    """The extension that draws ipywidgets in the browser: installed, found where JupyterLab and
    Notebook 7 look, and the copy they load is the one this jupyterlab_widgets installed."""
    name = "widget extension"
    from packaging.requirements import Requirement

    version = installed_version("jupyterlab_widgets")
    reinstall = pip_install("jupyterlab_widgets", extra="--force-reinstall")
    ipywidgets = "ipywidgets" + dict(requirements()).get("ipywidgets", "")
    if version is None:
        return [Result(name, PROBLEM, "jupyterlab_widgets is not installed: widgets would show "
                                      "as text, not sliders", pip_install(ipywidgets))]
    for line in metadata.requires("ipywidgets") or []:
        requirement = Requirement(line)
        if canonical(requirement.name) == "jupyterlab-widgets" and requirement.marker is None \
                and not satisfies(version, str(requirement.specifier)):
            return [Result(name, PROBLEM, f"jupyterlab_widgets {version} does not match "
                                          f"ipywidgets {installed_version('ipywidgets')}, which "
                                          f"needs jupyterlab_widgets{requirement.specifier}",
                           pip_install(ipywidgets, "jupyterlab_widgets", extra="--upgrade"))]
    paths = labextension_paths()
    loaded = next((p / WIDGETS_EXTENSION for p in paths
                   if (p / WIDGETS_EXTENSION / "package.json").is_file()), None)
    if loaded is None:
        return [Result(name, PROBLEM, f"jupyterlab_widgets {version} is installed, but "
                                      f"{WIDGETS_EXTENSION} is in none of Jupyter's extension "
                                      f"folders ({', '.join(map(str, paths))})", reinstall)]
    loaded_version = _package_version(loaded / "package.json")
    shipped = shipped_extension()
    if shipped is not None and shipped.is_file():
        shipped_version = _package_version(shipped)
        if shipped.parent.resolve() != loaded.resolve() and shipped_version != loaded_version:
            remove = (f"rmdir /s /q {_quote(str(loaded))}" if os.name == "nt"
                      else f"rm -r {_quote(str(loaded))}")
            return [Result(name, PROBLEM,
                           f"JupyterLab and Notebook 7 load an old copy of the extension "
                           f"(version {loaded_version}) from {loaded}, which hides the one "
                           f"jupyterlab_widgets {version} installed (version {shipped_version})",
                           remove)]
    return [Result(name, OK, f"{WIDGETS_EXTENSION} {loaded_version} from jupyterlab_widgets "
                             f"{version}, in {loaded.parent.parent}")]


# ---- matplotlib -------------------------------------------------------------------------------

def check_png():
    """Agg, the renderer behind every figure of the course, draws a PNG."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1.5), dpi=50)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot([0, 1, 2], [0, 1, 4], label="x squared")
    axes.set(title="doctor", xlabel="x", ylabel="y")
    axes.legend()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    data = buffer.getvalue()
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return [Result("matplotlib PNG", PROBLEM, "Agg did not produce a PNG image",
                       pip_install("matplotlib", extra="--force-reinstall"))]
    import matplotlib
    return [Result("matplotlib PNG", OK, f"Agg drew a {len(data)}-byte PNG "
                                         f"(matplotlib {matplotlib.__version__})")]


def check_inline_backend():
    """The inline backend puts figures into the notebook; MPLBACKEND would override it."""
    name = "inline backend"
    try:
        from matplotlib_inline import backend_inline
    except ImportError as error:
        return [Result(name, PROBLEM, f"matplotlib_inline cannot be imported ({error}): "
                                      f"figures would not show in notebooks",
                       pip_install("matplotlib-inline", "ipykernel"))]
    if not hasattr(backend_inline, "show"):
        return [Result(name, PROBLEM, "matplotlib_inline.backend_inline has no show(): a "
                                      "broken install",
                       pip_install("matplotlib-inline", extra="--force-reinstall"))]
    forced = os.environ.get("MPLBACKEND", "")
    if forced and forced.lower() not in ("inline", INLINE_BACKEND.lower()):
        unset = "set MPLBACKEND=" if os.name == "nt" else "unset MPLBACKEND"
        return [Result(name, PROBLEM, f"the variable MPLBACKEND={forced} makes every kernel "
                                      f"started from this shell use {forced}, so figures do not "
                                      f"appear in the notebooks",
                       f"{unset}   (and remove it from your shell's start-up file)")]
    return [Result(name, OK, f"{INLINE_BACKEND} is available")]


# ---- Jupyter ----------------------------------------------------------------------------------

def check_jupyter_command():
    """Which `jupyter` a learner who types `jupyter lab` gets: another environment's Jupyter
    starts kernels that do not have nnlessons. A note, not a problem: `python -m jupyter lab`
    works without it."""
    name = "jupyter command"
    start = lab_command()
    found = shutil.which("jupyter")
    here = Path(sysconfig.get_path("scripts"))
    if found is None:
        return [Result(name, NOTE, "no `jupyter` command on PATH (this environment is not "
                                   "activated?); start JupyterLab with the command below",
                       start)]
    if Path(found).resolve().parent != here.resolve():
        return [Result(name, NOTE, f"`jupyter` on PATH is {found}, from another Python than "
                                   f"this one ({here}); its kernels may not have nnlessons. "
                                   f"Activate this environment, or start JupyterLab with",
                       start)]
    return [Result(name, OK, f"{found} belongs to this environment")]


def lab_command():
    """How to start JupyterLab with this Python, the way the README does: at the course folder
    (so the file browser reaches exercises/ too) with lesson 01 open. Where the package was not
    installed from a course folder (no lessons/ beside it), just JupyterLab."""
    course = Path(__file__).resolve().parents[1]
    if (course / "lessons" / "01_neuron.ipynb").is_file():
        return (f"cd {_quote(str(course))} && {python_command()} -m jupyter lab "
                f"--notebook-dir=. lessons/01_neuron.ipynb")
    return f"{python_command()} -m jupyter lab"


@dataclass
class KernelReply:
    stdout: str
    error: str = ""   # "ExceptionName: message" when the code raised


def run_in_kernel(kernel_name, code, timeout):
    """Start the kernel `kernel_name` the way this environment's Jupyter would, run `code`,
    shut the kernel down. Raises when it does not start or answer within `timeout` seconds."""
    import tempfile
    import time

    from jupyter_client import KernelManager

    deadline = time.monotonic() + timeout
    manager = KernelManager(kernel_name=kernel_name)
    # the kernel's own messages (start-up warnings, a crash) go to a file, not the learner's
    # terminal; when it fails, their last line says why
    log = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
    client = None
    try:
        manager.start_kernel(stdout=log, stderr=log)
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=timeout)
        stdout, errors = [], []

        def collect(message):
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                (stdout if content.get("name") == "stdout" else errors).append(content["text"])
            elif kind == "error":
                errors.append(f"{content.get('ename')}: {content.get('evalue')}")

        reply = client.execute_interactive(code, timeout=max(1.0, deadline - time.monotonic()),
                                           output_hook=collect, store_history=False)
        if reply["content"].get("status") == "error" and not errors:
            content = reply["content"]
            errors.append(f"{content.get('ename')}: {content.get('evalue')}")
        return KernelReply("".join(stdout), "\n".join(e for e in errors if e.strip()))
    except Exception as error:
        log.seek(0)
        said = [line.strip() for line in log.read().splitlines() if line.strip()]
        if said:
            raise KernelFailed(f"{error}; the kernel said: {said[-1][:300]}") from error
        raise
    finally:
        if client is not None:
            client.stop_channels()
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
        log.close()


class KernelFailed(RuntimeError):
    """The kernel did not start or answer; the message ends with the kernel's last words."""


def kernel_spec_summary(kernel_name):
    """'its spec (DIR) starts PROGRAM', with a warning when PROGRAM does not exist; '' when the
    spec cannot be read."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager
        spec = KernelSpecManager().get_kernel_spec(kernel_name)
        program = spec.argv[0]
    except Exception:
        return ""
    if program in ("python", "python3", f"python{sys.version_info[0]}.{sys.version_info[1]}"):
        return f"its spec ({spec.resource_dir}) starts the Python that starts Jupyter"
    missing = "" if shutil.which(program) else ", which does not exist"
    return f"its spec ({spec.resource_dir}) starts {program}{missing}"


def check_kernel(kernel_name=KERNEL, timeout=60.0):
    """A kernel starts and imports this nnlessons, from this environment."""
    name = f"kernel {kernel_name}"
    register = (f"{kernel_install_command()}   (then in JupyterLab choose Kernel > Change Kernel "
                f"> Python (nnlessons); check it with `nnlessons doctor --kernel nnlessons`)")
    try:
        from jupyter_client.kernelspec import NoSuchKernel
    except ImportError as error:
        bound = dict(requirements()).get("jupyter_client", "")
        return [Result(name, PROBLEM, f"jupyter_client cannot be imported ({error})",
                       pip_install(f"jupyter_client{bound}", extra="--force-reinstall"))]
    try:
        reply = run_in_kernel(kernel_name, KERNEL_CODE, timeout)
    except NoSuchKernel:
        # ipykernel, the Python kernel, comes with JupyterLab (the lab extra)
        fix = lab_install_command() if installed_version("ipykernel") is None else register
        return [Result(name, PROBLEM, f"Jupyter has no kernel named {kernel_name!r}", fix)]
    except Exception as error:
        why = str(error).strip() or type(error).__name__
        if isinstance(error, TimeoutError) or "timeout" in type(error).__name__.lower():
            why = f"no answer within {timeout:g} s ({why})"
        spec = kernel_spec_summary(kernel_name)
        return [Result(name, PROBLEM, f"the kernel did not start or did not answer: {why}"
                                      + (f"; {spec}" if spec else ""), register)]
    lines = reply.stdout.splitlines()
    executable = lines[0] if lines else "?"
    prefix = lines[1] if len(lines) > 1 else ""
    same = bool(prefix) and os.path.normcase(os.path.abspath(prefix)) == \
        os.path.normcase(os.path.abspath(sys.prefix))
    if reply.error or len(lines) < 3:
        failure = reply.error or "it printed no version"
        if same:
            # this Python has nnlessons, so something in the kernel's start hides it
            return [Result(name, PROBLEM, f"the kernel runs this environment's Python, yet "
                                          f"`import nnlessons` fails there ({failure}); look for "
                                          f"PYTHONPATH or an `env` entry in its kernel spec",
                           f"{python_command()} -m jupyter kernelspec list")]
        return [Result(name, PROBLEM, f"the kernel runs {executable}, where `import nnlessons` "
                                      f"fails ({failure}); nnlessons is installed for "
                                      f"{sys.executable}. Register this Python as a kernel",
                       register)]
    from . import __version__
    version = lines[2].strip()
    if version != __version__:
        return [Result(name, PROBLEM, f"the kernel runs {executable}, which has nnlessons "
                                      f"{version}, not {__version__} like {sys.executable}",
                       register)]
    where = "this environment's Python" if same else f"{executable} (another environment)"
    return [Result(name, OK, f"started, runs {where}, imports nnlessons {version}")]


# ---- running ----------------------------------------------------------------------------------

LABELS = {"check_python": "Python", "check_packages": "packages",
          "check_png": "matplotlib PNG", "check_kernel": "kernel"}


def safely(check, *args, **kwargs):
    """`check(...)`, or a PROBLEM result saying how the check itself failed."""
    label = LABELS.get(check.__name__, check.__name__.removeprefix("check_").replace("_", " "))
    try:
        return check(*args, **kwargs)
    except Exception as error:
        return [Result(label, PROBLEM, f"the check itself failed: {type(error).__name__}: "
                                       f"{error}",
                       f"{python_command()} -m pip list   (send its output and this line to "
                       f"whoever runs your course)")]


def check_grading_sandbox():
    """bubblewrap, the wall `nnlessons grade` puts around learner code. Only an instructor who
    grades needs it, so its absence is a note, not a problem, for everyone else."""
    from .grading import isolation
    problem = isolation.problem()
    if problem is None:
        return [Result("grading sandbox", OK, f"bubblewrap works ({isolation.bwrap_path()}): "
                                              f"`nnlessons grade` can wall in learner code")]
    fix = isolation.INSTALL_HINT if isolation.bwrap_path() is None and \
        sys.platform.startswith("linux") else problem
    return [Result("grading sandbox", NOTE,
                   f"needed only to grade submissions with `nnlessons grade`: {problem}", fix)]


def checks(kernel=True, kernel_name=KERNEL, timeout=60.0):
    """The checks to run, in order: (function, kwargs)."""
    planned = [(check_python, {}), (check_packages, {}), (check_widget_extension, {}),
               (check_png, {}), (check_inline_backend, {}), (check_jupyter_command, {}),
               (check_grading_sandbox, {})]
    if kernel:
        planned.append((check_kernel, {"kernel_name": kernel_name, "timeout": timeout}))
    return planned


def format_result(result):
    lines = [f"{result.status:<8} {result.name}: {result.detail}"]
    if result.fix:
        lines.append(f"{'':8} {'fix' if result.status == PROBLEM else 'tip'}: {result.fix}")
    return "\n".join(lines)


def add_arguments(parser):
    parser.add_argument("--no-kernel", action="store_true",
                        help="skip starting a Jupyter kernel (the slowest check)")
    parser.add_argument("--kernel", default=KERNEL, metavar="NAME",
                        help=f"the kernel to start (default {KERNEL}, the one the notebooks ask "
                             f"for)")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                        help="how long the kernel may take to start and answer (default 60)")
    parser.add_argument("--json", action="store_true",
                        help="print the results as JSON instead of lines")


def run(args):
    if args.timeout <= 0:
        print("nnlessons doctor: --timeout must be positive", file=sys.stderr)
        return 2
    results = []
    if not args.json:
        print(f"nnlessons doctor: checking this machine for the course "
              f"(Python {sys.executable})\n", flush=True)
    for check, kwargs in checks(not args.no_kernel, args.kernel, args.timeout):
        found = safely(check, **kwargs)
        results.extend(found)
        if not args.json:
            for result in found:
                print(format_result(result), flush=True)
    problems = [r for r in results if not r.ok]
    if args.json:
        print(json.dumps({"ok": not problems, "python": sys.executable,
                          "checks": [asdict(r) for r in results]}, indent=2))
    elif problems:
        print(f"\n{len(problems)} problem{'s' if len(problems) > 1 else ''} found: run the "
              f"fix commands above, then `nnlessons doctor` again.")
    else:
        print("\nAll is well: the course is ready to run here.")
    return 1 if problems else 0
