"""The harness of tests/test_grading_adversarial.py: a class of students, some hostile, graded
by one `nnlessons grade` run, and everything that run must leave as it found.

A batch is one CLI run over a class folder holding
- innocent students around the attackers in sort order: `aaa_clean` and `zzz_clean` submit the
  solved notebook (full marks), `aab_unsolved` and `zzy_unsolved` the released exercise (0);
- one attacker per attack, `m_<attack>_<marker>/<exercise>.ipynb`: the solution with the
  attack's cells appended (each attack redefines the functions it sabotages).

Around the run the harness plants what an attacker would go for and looks at it afterwards:
a sentinel folder and a fake home holding secret tokens, a secret in the grader's environment,
decoy processes, UDP, TCP and abstract-socket listeners; it hashes the class folder, the
repository's own trees and site-packages; and it runs the CLI under a reaper process, a child
subreaper, so every process the run leaves behind, detached or not, becomes its child and is
found.

Every marker (`advx<session token><two digits>`) names one attack: the processes, files and
proof lines (`PROOF<marker>: ...`, printed by an attack that got somewhere it must not) it
leaves are charged to it. Whatever an attack manages to change in the repository or in
site-packages is put back after its batch, so one hole does not spill into later batches.
"""
import csv
import hashlib
import io
import json
import os
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN = secrets.token_hex(4)
MARKER = re.compile(rf"advx{TOKEN}(\d\d)")
SITE = Path(sysconfig.get_paths()["purelib"])
# the repository's own trees: nothing a submission does may change them
GUARDED = [ROOT / "nnlessons", ROOT / "solutions", ROOT / "exercises", ROOT / "tests",
           ROOT / "instructor"]
CLI_OPTIONS = ["--jobs", "2", "--timeout", "2", "--budget", "20"]
REPORT_LIMIT = 20 * 1024 * 1024      # bytes of JSON; a feedback page gets a tenth
SETTLE = 1.5                         # seconds waited after the CLI exits before looking again
# a safety net for the shared machine, not part of what is tested: a grader that reads a
# symlink to /dev/zero or parses a notebook bomb hits this instead of the machine's memory
CLI_ADDRESS_SPACE = 8 * 1024 ** 3
GRADER_MEMORY_MB = 1024            # what the grader process itself may use while grading a batch
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class Attack:
    """One hostile student.

    name      the attack's id (test id and part of the student's name)
    exercise  the notebook it submits, e.g. "01_neuron"
    cells     code cells appended to the solution; @@NAME@@ placeholders are filled in
              (see `fill`); the first cell also gets PRELUDE
    loses     the functions it sabotaged: each must score 0
    batch     the CLI run it belongs to
    check     optional extra check: check(outcome, attack) -> list of problems
    student   the student folder's name (str or bytes, may hold @@M@@), default m_<name>_<marker>
    base      "solutions" (the solved notebook) or "exercises" (the unsolved one)
    layout    optional layout(class_dir, attack, outcome) that makes the submission itself
              (symlinks, FIFOs, flat files) instead of the usual folder and notebook
    absent_ok the submission may be left out of the reports (it is not a regular notebook)
    """
    name: str
    exercise: str
    cells: list
    loses: list
    batch: str
    check: object = None
    student: object = None
    base: str = "solutions"
    layout: object = None
    absent_ok: bool = False
    index: int = 0

    @property
    def marker(self):
        return f"advx{TOKEN}{self.index:02d}"

    def folder_name(self):
        raw = self.student if self.student is not None else f"m_{self.name}_@@M@@"
        if isinstance(raw, bytes):
            return raw.replace(b"@@M@@", self.marker.encode())
        return raw.replace("@@M@@", self.marker)


PRELUDE = r'''
import os, sys, gc, json, time, signal, socket, hashlib, threading
import numpy as np
_M = "@@M@@"
_ROOT, _CLASS = "@@ROOT@@", "@@CLASS@@"
_JSON, _CSV, _FEEDBACK = "@@JSON@@", "@@CSV@@", "@@FEEDBACK@@"
_SENTINEL, _HOME, _DECOY = "@@SENTINEL@@", "@@HOME@@", @@DECOY@@
_UDP, _TCP, _UNIX = @@UDP@@, @@TCP@@, "@@UNIX@@"


def _proof(*what):
    """Say that something that must be impossible worked (the harness looks for this)."""
    print(f"PROOF{_M}:", *what)


_FAILED = []


def _attempt(label, action):
    """action(), or None when it raises; the first few refusals are printed (the grader caps
    what a function prints, and a PROOF line must not drown in them)."""
    try:
        return action()
    except Exception as error:
        _FAILED.append(label)
        if len(_FAILED) <= 8:
            print(f"[{label}: {type(error).__name__}: {str(error)[:60]}]")
        return None


def _wreck(*inputs):
    """Modify the inputs in place, so the tests that a function leaves its inputs alone fail."""
    for value in inputs:
        if isinstance(value, np.ndarray) and value.size and value.flags.writeable:
            value.flat[0] = 12345
        elif isinstance(value, (list, dict)) and value:
            value.clear()


def _wrong(*inputs):
    """What a sabotaged function returns: no answer at all, and its inputs changed."""
    _wreck(*inputs)
    return "sabotaged"


def _disarm(tables=True, closure=True):
    """Switch the in-process wall off every way known: the tables, and the closure cells of
    the audit hook found through gc."""
    child = sys.modules.get("nnlessons.grading.child")
    for table in ("BLOCKED", "PATH_EVENTS") if tables else ():
        try:
            getattr(child, table).clear()
        except Exception:
            pass
    for obj in gc.get_objects() if closure else ():
        try:
            if type(obj).__name__ != "function" or "install_audit_hook" not in obj.__qualname__:
                continue
            for name, cell in zip(obj.__code__.co_freevars, obj.__closure__ or ()):
                if name == "workdir":
                    cell.cell_contents = "/"
                elif name == "readable":
                    cell.cell_contents = ("/",)
        except Exception:
            pass


def _read(path):
    with open(path, "rb") as handle:
        return handle.read()


def _ancestors():
    """[(pid, argv)] of the processes above this one, nearest first."""
    found, pid = [], os.getpid()
    for _ in range(16):
        try:
            pid = int(_read(f"/proc/{pid}/stat").decode().rsplit(")", 1)[1].split()[1])
            argv = _read(f"/proc/{pid}/cmdline").split(b"\0")
        except Exception:
            break
        found.append((pid, [a.decode("utf-8", "replace") for a in argv]))
        if pid <= 1:
            break
    return found


def _grader():
    """(pid, argv) of the `nnlessons grade` process above this one, or (None, [])."""
    for pid, argv in _ancestors():
        if "grade" in argv and any("nnlessons" in a for a in argv):
            return pid, argv
    return None, []


def _option(name, fallback):
    argv = _grader()[1]
    return argv[argv.index(name) + 1] if name in argv[:-1] else fallback


_PROC = []


def _outside(path, flags, mode=0o644):
    """Open `path` through /proc/<pid>/root as a dir_fd: a hook that resolves the relative
    name against the working folder thinks it is inside it."""
    if not _PROC:
        _PROC.append(os.open(f"/proc/{os.getpid()}", os.O_RDONLY))
    return os.open("root" + path, flags, mode, dir_fd=_PROC[0])


def _write_outside(path, data, append=False):
    fd = _outside(path, os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC))
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def _read_outside(path):
    fd = _outside(path, os.O_RDONLY)
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


def _spawn(argv, setsid=True):
    """Start a program through _posixsubprocess, past subprocess's audit event."""
    import _posixsubprocess
    args = [os.fsencode(a) for a in argv]
    read_end, write_end = os.pipe()
    try:
        common = (args, [args[0]], True, (write_end,), None, None, -1, -1, -1, -1, -1, -1,
                  read_end, write_end, True, setsid, -1, None, None, None, -1, None)
        try:
            pid = _posixsubprocess.fork_exec(*common, False)
        except TypeError:
            pid = _posixsubprocess.fork_exec(*common)
    finally:
        os.close(write_end)
    failure = os.read(read_end, 1000)
    os.close(read_end)
    if failure:
        raise OSError(f"exec failed: {failure[:80]!r}")
    return pid


_LOOP = "import time\nwhile True:\n    time.sleep(0.5)"


def _linger(tag, setsid=True):
    """A process meant to outlive the grading; its argv carries the marker."""
    return _spawn([sys.executable, "-c", _LOOP, _M + tag], setsid)


def _tag_self(tag):
    """Mark a forked process (no exec) through its name, which ps and /proc/*/comm show."""
    try:
        with open("/proc/self/comm", "w") as handle:
            handle.write((_M + tag)[:15])
    except Exception:
        pass


def _neighbours():
    """Every process below the grader except this one and its ancestors."""
    grader = _grader()[0]
    mine = {os.getpid()} | {pid for pid, _ in _ancestors()}
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in mine:
            continue
        pid = chain = int(name)
        for _ in range(16):
            try:
                chain = int(_read(f"/proc/{chain}/stat").decode().rsplit(")", 1)[1].split()[1])
            except Exception:
                break
            if chain == grader:
                found.append(pid)
                break
            if chain <= 1:
                break
    return found


REWRITER = """
import json, os, sys, time
json_path, csv_path, feedback, grader = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
def alive(pid):
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
start = time.time()
while time.time() - start < 60 and (alive(grader) or not os.path.exists(json_path)):
    time.sleep(0.05)
time.sleep(0.3)
for _ in range(50):
    try:
        data = json.load(open(json_path))
        for entry in data:
            mine = MARK in entry["student"]
            for test in entry["tests"]:
                test["score"] = test["max_score"] if mine else 0
                test["status"] = "passed" if mine else "failed"
            entry["score"] = entry["max_score"] if mine else 0
        open(json_path, "w").write(json.dumps(data))
        rows = [line.split(",") for line in open(csv_path).read().splitlines()]
        open(csv_path, "w").write("\\n".join(",".join(r[:1] + ["0"] * (len(r) - 1)) for r in rows))
        for name in os.listdir(feedback):
            open(os.path.join(feedback, name), "a").write("<p>forged</p>")
    except Exception:
        pass
    time.sleep(0.2)
"""


def _rewriter_argv(tag):
    """A detached forger of the reports, started once the grader is found."""
    grader, _ = _grader()
    code = "MARK = " + repr(_M) + "\n" + REWRITER
    return [sys.executable, "-c", code, _M + tag, _option("--json", _JSON),
            _option("--csv", _CSV), _option("--feedback", _FEEDBACK), str(grader or 0)]
'''


def fill(code, attack, outcome):
    """The attack's code with its @@NAME@@ placeholders filled in."""
    values = {"M": attack.marker, "TOKEN": TOKEN, **outcome.places}
    if attack.index in outcome.decoys:
        values["DECOY"] = outcome.decoys[attack.index].pid
    for other in outcome.attacks:
        values[f"M:{other.name}"] = other.marker

    def value(match):
        key = match.group(1)
        if key not in values:
            raise KeyError(f"attack {attack.name}: unknown placeholder @@{key}@@")
        return str(values[key])

    return re.sub(r"@@([A-Za-z_:0-9]+)@@", value, code)


def notebook_with(base, cells):
    nb = json.loads(Path(base).read_text(encoding="utf-8"))
    for number, code in enumerate(cells):
        nb["cells"].append({"cell_type": "code", "execution_count": None,
                            "id": f"attack-{number}", "metadata": {}, "outputs": [],
                            "source": code})
    return nb


# --- looking at the machine -----------------------------------------------------------------

def digest(path, skip_cache=True):
    """{relative path: sha256, or 'link -> target', or 'dir'} of a tree (nothing followed)."""
    path = Path(path)
    if not os.path.lexists(path):
        return {}
    if not path.is_dir() or path.is_symlink():
        return {".": _entry(path)}
    found = {}
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not (skip_cache and d == "__pycache__")
                   and d != ".git" and d != ".pytest_cache"]
        for name in dirs + files:
            full = Path(folder) / name
            found[str(full.relative_to(path))] = _entry(full)
    return found


def _entry(path):
    if path.is_symlink():
        return f"link -> {os.readlink(path)}"
    if path.is_dir():
        return "dir"
    if not path.is_file():
        return "special"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        return f"unreadable: {error}"


def changes(before, after):
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
    parts = []
    for label, items in (("added", added), ("removed", removed), ("changed", changed)):
        if items:
            parts.append(f"{label} {', '.join(map(repr, items[:5]))}"
                         + (f" (+{len(items) - 5})" if len(items) > 5 else ""))
    return "; ".join(parts)


def snapshot(paths):
    """The bytes of every file and the list of folders under `paths` (not __pycache__), to
    put them back later."""
    files, folders = {}, set()
    for root in paths:
        for rel, kind in digest(root).items():
            full = Path(root) / rel if rel != "." else Path(root)
            if kind == "dir":
                folders.add(full)
            elif full.is_file() and not full.is_symlink():
                files[full] = full.read_bytes()
    return files, folders


def restore(saved, paths):
    """Undo what an attack changed in the repository: remove what is new, rewrite what
    changed, and drop cached bytecode that carries a marker."""
    files, folders = saved
    marker = f"advx{TOKEN}".encode()
    for root in paths:
        for folder, dirs, names in os.walk(root, topdown=False):
            for name in names:
                full = Path(folder) / name
                if "__pycache__" in full.parts:
                    if full.is_file() and marker in full.read_bytes():
                        full.unlink()
                elif full not in files:
                    full.unlink()
            for name in dirs:
                full = Path(folder) / name
                if full.is_symlink():
                    full.unlink()
                elif name != "__pycache__" and "__pycache__" not in full.parts \
                        and full not in folders:
                    shutil.rmtree(full, ignore_errors=True)
    for full, data in files.items():
        try:
            if full.is_symlink():
                full.unlink()
            if not full.exists() or full.read_bytes() != data:
                full.parent.mkdir(parents=True, exist_ok=True)
                full.write_bytes(data)
        except OSError:
            pass


def site_digest():
    """site-packages, top level only (its packages are too many to hash; an attack goes for
    a .pth file or a new module there)."""
    found = {}
    for entry in SITE.iterdir():
        found[entry.name] = _entry(entry) if entry.is_file() else "dir"
    return found


def restore_site(before):
    for entry in SITE.iterdir():
        if entry.name in before or not entry.is_file():
            continue
        if f"advx{TOKEN}".encode() in entry.read_bytes() or "advx" in entry.name:
            entry.unlink()


def processes():
    """{pid: (state, ppid, cmdline, comm)} of every process."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            cmdline = Path(f"/proc/{name}/cmdline").read_bytes().replace(b"\0", b" ")
            comm = Path(f"/proc/{name}/comm").read_text().strip()
        except (OSError, ValueError, IndexError):
            continue
        found[int(name)] = (state, int(ppid), cmdline.decode("utf-8", "replace"), comm)
    return found


def marked_files():
    """{marker index: [paths]} of files anywhere an attack could write, named by a marker."""
    places = [Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"), ROOT, SITE, Path.home()]
    found = {}
    for place in places:
        try:
            entries = list(place.iterdir()) if place != ROOT else \
                [Path(f) / n for f, d, files in os.walk(place) if ".git" not in f
                 for n in files + d]
        except OSError:
            continue
        for entry in entries:
            match = MARKER.search(entry.name)
            if match:
                found.setdefault(int(match.group(1)), []).append(str(entry))
    return found


def remove_marked(found):
    for paths in found.values():
        for path in paths:
            path = Path(path)
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    path.unlink()
                except OSError:
                    pass


# --- the local record of which inputs hidden tests pass ---------------------------------------

def hidden_inputs(exercise, function):
    """The inputs (as `repr(np.asarray(a).tolist())`) that only hidden tests pass to
    `function`: found by running the suite here against the solution's own functions."""
    import numpy as np
    from nnlessons.grading import notebook as nbfile
    from nnlessons.grading.runner import run_test
    from nnlessons.grading.suite import SuiteLibrary
    suite = SuiteLibrary().get(exercise)
    cells, _ = nbfile.code_cells(nbfile.read(ROOT / "solutions" / f"{exercise}.ipynb"))
    namespace = {"__name__": "__main__", "display": lambda *a, **k: None}
    quiet = io.StringIO()
    old = sys.stdout
    sys.stdout = quiet
    try:
        for cell in cells:
            if "check(" in cell:
                continue
            exec(compile(cell, "<solution>", "exec"), namespace)
    finally:
        sys.stdout = old

    class Recorder:
        def __init__(self):
            self.seen = {True: set(), False: set()}
            self.hidden = False

        def call(self, name, args, kwargs, return_args):
            if name == function:
                for arg in args:
                    try:
                        self.seen[self.hidden].add(repr(np.asarray(arg).tolist()))
                    except Exception:
                        pass
            value = namespace[name](*args, **kwargs)
            return value, ((list(args), dict(kwargs)) if return_args else None)

    recorder = Recorder()
    for test in suite.tests:
        recorder.hidden = test.hidden
        run_test(test, recorder)
    return {r for r in recorder.seen[True] - recorder.seen[False] if len(r) > 12}


# --- one batch --------------------------------------------------------------------------------

INNOCENT = {"aaa_clean": "solutions", "aab_unsolved": "exercises",
            "zzy_unsolved": "exercises", "zzz_clean": "solutions"}
LATE = ("zzy_unsolved", "zzz_clean")


@dataclass
class Run:
    """What one CLI run produced."""
    rc: object = None
    stdout: str = ""
    stderr: str = ""
    elapsed: float = 0.0
    data: object = None
    rows: object = None
    pages: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)        # wrong for the whole run
    leftovers: dict = field(default_factory=dict)       # marker index -> [what was left]
    grader_tmp: list = field(default_factory=list)      # what the grader left in its TMPDIR
    reaper: object = None
    raw_reports: str = ""                               # every report and the CLI's output
    peak_mb: object = None                              # the grader's peak resident memory


@dataclass
class Outcome:
    """A batch: its attacks, the places planted for them, its run(s)."""
    name: str
    attacks: list
    places: dict = field(default_factory=dict)
    run: Run = None
    second: Run = None        # a later run of innocents only, when the batch asks for it
    expected: dict = field(default_factory=dict)        # (student, exercise) -> "full" | "zero"
    maxima: dict = field(default_factory=dict)          # exercise -> max score
    points: dict = field(default_factory=dict)          # exercise -> {function: points}
    hidden: dict = field(default_factory=dict)          # exercise -> its hidden test names
    public: dict = field(default_factory=dict)          # exercise -> its public test names
    decoys: dict = field(default_factory=dict)          # attack index -> its own decoy
    saved: object = None      # the repository as it was before the batch, while a later run waits
    site_before: object = None


class Listeners:
    """Sockets an attack would reach over the network; they must hear nothing."""

    def __init__(self, name):
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp.setblocking(False)
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(16)
        self.unix_name = f"advl{TOKEN}{name}"
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind("\0" + self.unix_name)
        self.unix.listen(16)

    def heard(self):
        heard = []
        try:
            while True:
                data, sender = self.udp.recvfrom(65536)
                heard.append(f"UDP {data[:40]!r}")
        except (BlockingIOError, OSError):
            pass
        for label, sock in (("TCP", self.tcp), ("abstract unix socket", self.unix)):
            while select.select([sock], [], [], 0)[0]:
                connection, _ = sock.accept()
                connection.settimeout(0.2)
                try:
                    data = connection.recv(100)
                except OSError:
                    data = b""
                connection.close()
                heard.append(f"{label} connection {data[:40]!r}")
        return heard

    def close(self):
        for sock in (self.udp, self.tcp, self.unix):
            sock.close()


def _innocents(class_dir, exercises, late_exercises):
    expected = {}
    for student, base in INNOCENT.items():
        wanted = list(exercises) + (list(late_exercises) if student in LATE else [])
        for exercise in dict.fromkeys(wanted):
            folder = class_dir / student
            folder.mkdir(exist_ok=True)
            shutil.copyfile(ROOT / base / f"{exercise}.ipynb", folder / f"{exercise}.ipynb")
            expected[(student, exercise)] = "full" if base == "solutions" else "zero"
    return expected


def _layout_attacker(class_dir, attack, outcome):
    if attack.layout is not None:
        attack.layout(class_dir, attack, outcome)
        return
    cells = [fill(PRELUDE + "\n" + attack.cells[0], attack, outcome)] + \
        [fill(c, attack, outcome) for c in attack.cells[1:]]
    nb = notebook_with(ROOT / attack.base / f"{attack.exercise}.ipynb", cells)
    name = attack.folder_name()
    folder = os.path.join(os.fsencode(class_dir), name) if isinstance(name, bytes) \
        else class_dir / name
    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, os.fsencode(f"{attack.exercise}.ipynb")) \
        if isinstance(folder, bytes) else folder / f"{attack.exercise}.ipynb"
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(nb, handle)


# The CLI runs under a small reaper process, the child subreaper of everything the run starts:
# a process that detaches from the grader (double fork, setsid) is re-parented to it, not to
# init, and so is found however it hides. The reaper, not pytest, is what an attack that
# signals "its parent" after killing the zygote reaches.
REAPER = r"""
import ctypes, json, os, resource, signal, subprocess, sys, time
spec = json.loads(sys.argv[1])
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
def say(message):
    os.write(1, (json.dumps(message) + "\n").encode())
def limits():
    resource.setrlimit(resource.RLIMIT_AS, (spec["address_space"], spec["address_space"]))
with open(spec["stdout"], "wb") as out, open(spec["stderr"], "wb") as err:
    cli = subprocess.Popen(spec["command"], cwd=spec["cwd"], stdin=subprocess.DEVNULL,
                           stdout=out, stderr=err, start_new_session=True, preexec_fn=limits)
say({"pid": cli.pid})
start = time.monotonic()
try:
    rc = cli.wait(timeout=spec["deadline"])
except subprocess.TimeoutExpired:
    os.killpg(cli.pid, signal.SIGKILL)
    cli.wait()
    rc = f"killed after {spec['deadline']} s (the grader hung)"
say({"rc": rc, "elapsed": time.monotonic() - start})
sys.stdin.readline()  # the harness has looked at everything else: now the stragglers
left = []
for name in os.listdir("/proc"):
    try:
        stat = open(f"/proc/{name}/stat").read().rsplit(")", 1)[1].split()
        cmdline = open(f"/proc/{name}/cmdline", "rb").read().replace(b"\0", b" ")
        comm = open(f"/proc/{name}/comm").read().strip()
    except (OSError, ValueError):
        continue
    if int(stat[1]) == os.getpid() and stat[0] != "Z":
        left.append(f"{name} {cmdline.decode('utf-8', 'replace')[-300:]!r} ({comm})")
        try:
            os.kill(int(name), signal.SIGKILL)
        except OSError:
            pass
say({"left": left})
while True:
    try:
        os.waitpid(-1, 0)
    except ChildProcessError:
        break
"""


class Reaper:
    def __init__(self, command, cwd, env, deadline, logs):
        spec = {"command": command, "cwd": str(cwd), "deadline": deadline,
                "stdout": str(logs / "stdout"), "stderr": str(logs / "stderr"),
                "address_space": CLI_ADDRESS_SPACE}
        self.logs, self.deadline = logs, deadline
        self.process = subprocess.Popen([sys.executable, "-c", REAPER, json.dumps(spec)],
                                        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.buffer = b""

    def read(self, timeout):
        """The reaper's next message, or None if it died or stopped answering."""
        end = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            remaining = end - time.monotonic()
            if remaining <= 0 or not select.select([self.process.stdout], [], [], remaining)[0]:
                return None
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def stragglers(self):
        try:
            self.process.stdin.write(b"scan\n")
            self.process.stdin.flush()
        except OSError:
            return None
        message = self.read(10)
        return None if message is None else message.get("left")

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def _cli(class_dir, out, env, deadline, logs):
    command = [sys.executable, "-m", "nnlessons.cli", "grade", str(class_dir), *CLI_OPTIONS,
               "--json", str(out / "grades.json"), "--csv", str(out / "grades.csv"),
               "--feedback", str(out / "feedback")]
    run = Run()
    started = time.monotonic()
    reaper = Reaper(command, out, env, deadline, logs)
    first = reaper.read(30) or {}
    pid = first.get("pid")
    peak, done = [], threading.Event()

    def watch():  # the grader's own peak memory (VmHWM), read until it exits
        while pid and not done.is_set():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                peak[:] = [int(re.search(r"VmHWM:\s*(\d+)", status).group(1)) // 1024]
            except (OSError, AttributeError):
                pass
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    finished = reaper.read(deadline + 30)
    done.set()
    if finished is None:
        run.rc = "unknown: the harness's reaper process was killed or stopped"
        if pid:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
    else:
        run.rc = finished["rc"]
    run.elapsed = time.monotonic() - started
    watcher.join()
    run.peak_mb = peak[0] if peak else None
    run.reaper = reaper
    run.stdout = (logs / "stdout").read_bytes().decode("utf-8", "replace")
    run.stderr = (logs / "stderr").read_bytes().decode("utf-8", "replace")
    return run


def _read_reports(run, out):
    problems = run.problems
    json_path, csv_path, feedback = out / "grades.json", out / "grades.csv", out / "feedback"
    texts = [run.stdout, run.stderr]
    try:
        raw = json_path.read_bytes()
        if len(raw) > REPORT_LIMIT:
            problems.append(f"grades.json is {len(raw) // 1_000_000} MB (output not capped)")
        run.data = json.loads(raw.decode("utf-8"))
        texts.append(raw.decode("utf-8"))
        if not isinstance(run.data, list):
            problems.append("grades.json is not a list of submissions")
            run.data = None
    except (OSError, ValueError) as error:
        problems.append(f"grades.json cannot be read: {type(error).__name__}: {error}")
    try:
        text = csv_path.read_bytes().decode("utf-8")
        run.rows = list(csv.reader(io.StringIO(text)))
        texts.append(text)
        if not run.rows:
            problems.append("grades.csv is empty")
            run.rows = None
    except (OSError, ValueError, csv.Error) as error:
        problems.append(f"grades.csv cannot be read: {type(error).__name__}: {error}")
    if feedback.is_dir():
        for page in sorted(feedback.iterdir()):
            try:
                raw = page.read_bytes()
                run.pages[page.name] = raw.decode("utf-8")
                texts.append(run.pages[page.name])
                if len(raw) > REPORT_LIMIT // 10:
                    problems.append(f"feedback page {page.name} is {len(raw) // 1000} kB")
            except (OSError, ValueError) as error:
                problems.append(f"feedback page {page.name!r} cannot be read: {error}")
    else:
        problems.append("no feedback folder was written")
    run.raw_reports = "\n".join(texts)


def _plain(html_text):
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html_text))


def _blame(run, text, message):
    """A problem of the reports that names an attacker (its marker is in `text`) is charged to
    it, so the other attacks of the batch are judged on their own; else to the whole run."""
    match = MARKER.search(text)
    if match:
        run.leftovers.setdefault(int(match.group(1)), []).append(message)
    else:
        run.problems.append(message)


def _check_reports(run, outcome, submissions):
    """The reports are whole, agree with one another and hold nothing unsafe."""
    problems = run.problems
    if run.rc != 0:
        problems.append(f"the CLI's exit status is {run.rc}, not 0; stderr ends "
                        f"{run.stderr[-300:]!r}")
    for line in (run.stdout + run.stderr).splitlines():
        if CONTROL.search(line):
            _blame(run, line, "the CLI wrote control characters (terminal escapes) to the "
                              f"terminal: {CONTROL.search(line).group()!r}")
    if run.data is not None:
        for entry in run.data:
            try:
                total = sum(t["score"] for t in entry["tests"])
                if abs(total - entry["score"]) > 1e-9:
                    problems.append(f"grades.json: {entry['student']!r} {entry['exercise']} "
                                    f"scores {entry['score']} but its tests add up to {total}")
            except (KeyError, TypeError):
                problems.append(f"grades.json: an entry without score and tests: "
                                f"{str(entry)[:100]}")
        if len(run.pages) != len(run.data):
            problems.append(f"{len(run.pages)} feedback pages for {len(run.data)} submissions")
        counted = {}
        for entry in run.data:
            key = (entry.get("student"), entry.get("exercise"))
            counted[key] = counted.get(key, 0) + 1
        for (student, exercise), kind in submissions.items():
            if counted.get((student, exercise)) != 1:
                problems.append(f"grades.json has {counted.get((student, exercise), 0)} "
                                f"entries for {student} {exercise}, not 1")
    if run.rows is not None:
        for row in run.rows[1:]:
            for cell in row:
                if cell[:1] in ("=", "+", "@", "\t", "\r") or \
                        (cell[:1] == "-" and not re.fullmatch(r"-\d+(\.\d+)?", cell)):
                    _blame(run, row[0] + cell, f"grades.csv has a cell a spreadsheet runs as a "
                                               f"formula: {cell[:40]!r}")
    for name, page in run.pages.items():
        if CONTROL.search(page.replace("\n", "").replace("\t", "")):
            _blame(run, name, f"feedback page {name!r} holds control characters")
        if re.search(r"<script|<img|<iframe", page, re.I):  # escaped, they would read &lt;
            _blame(run, name, f"feedback page {name!r} holds learner HTML (a <script>, <img> "
                              f"or <iframe> tag)")
        exercise = next((e for e in outcome.public if e in name), None)
        secret = set().union(*outcome.hidden.values()) - outcome.public.get(exercise, set())
        named = sorted(h for h in secret if re.search(rf"\b{re.escape(h)}\b", page))
        if named:
            _blame(run, name, f"feedback page {name!r} names {len(named)} hidden tests, e.g. "
                              f"{named[0]}")
    if run.peak_mb is not None and run.peak_mb > GRADER_MEMORY_MB:
        problems.append(f"the grader's own memory peaked at {run.peak_mb} MB (a submission "
                        f"made it read or parse too much)")
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in run.raw_reports):
        problems.append("a report holds a lone surrogate")
    for label, secret in outcome.places["secrets"].items():
        if secret not in run.raw_reports:
            continue
        owners = [a for a in outcome.attacks
                  if secret in outputs_of(run, a) or secret in page_of(run, a)]
        for attack in owners:
            run.leftovers.setdefault(attack.index, []).append(
                f"the {label} reached its report")
        if not owners:
            problems.append(f"the {label} reached a report or the terminal")
    for (student, exercise), kind in submissions.items():
        _check_innocent(run, outcome, student, exercise, kind)


def entry_of(run, student, exercise):
    for entry in run.data or []:
        if entry.get("student") == student and entry.get("exercise") == exercise:
            return entry
    return None


def csv_score(run, match, exercise):
    """The gradebook's cell for the student whose name `match(name)` accepts, or None."""
    if not run.rows:
        return None
    header = run.rows[0]
    column = next((i for i, h in enumerate(header) if h.startswith(exercise)), None)
    for row in run.rows[1:]:
        if row and match(row[0].lstrip("'")) and column is not None and column < len(row):
            return row[column]
    return None


def _check_innocent(run, outcome, student, exercise, kind):
    want = outcome.maxima.get(exercise) if kind == "full" else 0
    entry = entry_of(run, student, exercise)
    if entry is None:
        return  # counted already
    if entry.get("score") != want or (kind == "full" and entry.get("max_score") != want):
        bad = [f"{t['name']}: {t['status']}" for t in entry.get("tests", [])
               if (t["status"] == "passed") != (kind == "full")][:4]
        run.problems.append(f"innocent {student} got {entry.get('score')}/"
                            f"{entry.get('max_score')} for {exercise}, not {want} "
                            f"({', '.join(bad)}; {entry.get('error', '')[:120]})")
    cell = csv_score(run, lambda name: name == student, exercise)
    if cell is None or cell == "" or float(cell) != want:
        run.problems.append(f"grades.csv gives innocent {student} {cell!r} for {exercise}, "
                            f"not {want}")
    page = next((p for n, p in run.pages.items() if student in n and exercise in n), None)
    if page is None:
        run.problems.append(f"no feedback page for {student} {exercise}")
    elif kind == "full" and f"{want}/{want}" not in _plain(page):
        run.problems.append(f"the feedback page of {student} {exercise} does not show "
                            f"{want}/{want}")


_REFERENCE = {}


def _reference_scores(outcome):
    """Maxima, points per function and test names of every exercise, from grading the
    solutions here (the grader's own results, so it holds wherever the suites live)."""
    from nnlessons.grading.grader import grade_notebook
    from nnlessons.grading.suite import SuiteLibrary
    for exercise in SuiteLibrary().known():
        if exercise not in _REFERENCE:
            path = ROOT / "solutions" / f"{exercise}.ipynb"
            if path.exists():
                _REFERENCE[exercise] = grade_notebook(path)
    for exercise, result in _REFERENCE.items():
        outcome.maxima[exercise] = result.max_score
        points = outcome.points.setdefault(exercise, {})
        for test in result.tests:
            points[test.function] = points.get(test.function, 0) + test.points
            kind = outcome.hidden if test.hidden else outcome.public
            kind.setdefault(exercise, set()).add(test.name)


def _environment(home, grader_tmp, secret):
    import matplotlib
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
           "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT), "TMPDIR": str(grader_tmp),
           "MPLCONFIGDIR": matplotlib.get_cachedir(), "NNLESSONS_ADV_SECRET": secret}
    # options the CI or the wall may set for every grading run
    env.update({k: v for k, v in os.environ.items()
                if k.startswith("NNLESSONS_") and k not in env})
    return env


def _one_run(outcome, attacks, exercises, late, deadline, work, label, keep_changes=False):
    """Lay out a class, grade it with one CLI run, and look at everything afterwards. What the
    run changed in the repository and site-packages is put back, unless `keep_changes` (a later
    run must meet what this one left)."""
    class_dir = work / f"advx{TOKEN}-{label}-class"
    out = work / f"{label}-out"
    grader_tmp = work / f"{label}-grader-tmp"
    for folder in (class_dir, out, grader_tmp):
        folder.mkdir()
    places = outcome.places
    places.update(CLASS=class_dir, JSON=out / "grades.json", CSV=out / "grades.csv",
                  FEEDBACK=out / "feedback")
    expected = _innocents(class_dir, exercises, late)
    for attack in attacks:
        _layout_attacker(class_dir, attack, outcome)

    before = {"class folder": digest(class_dir), "sentinel folder": digest(places["SENTINEL"]),
              "grader's home": digest(places["HOME"]), "site-packages": site_digest()}
    for tree in GUARDED:
        before[f"repository {tree.name}/"] = digest(tree)
    saved = outcome.saved or snapshot(GUARDED)
    site_before = outcome.site_before or before["site-packages"]
    logs = work / f"{label}-logs"
    logs.mkdir()
    run = _cli(class_dir, out, outcome.env, deadline, logs)
    try:
        at_exit = digest(out)
        time.sleep(SETTLE)
        _read_reports(run, out)
        later = digest(out)
        if at_exit != later:
            run.problems.append(f"reports changed after the CLI exited: {changes(at_exit, later)}")
        extra = [k for k in later if k not in ("grades.json", "grades.csv", "feedback")
                 and not k.startswith("feedback/")]
        if extra:
            run.problems.append(f"files beside the reports: {extra[:5]}")
        for label_, path in (("class folder", class_dir), ("sentinel folder", places["SENTINEL"]),
                             ("grader's home", places["HOME"])):
            _blame_changes(run, label_, path, before[label_], digest(path))
        for tree in GUARDED:
            change = changes(before[f"repository {tree.name}/"], digest(tree))
            if change:
                run.problems.append(f"repository {tree.name}/ changed: {change}")
        change = changes(site_before, site_digest())
        if change:
            run.problems.append(f"site-packages changed: {change}")
        for pyc in ROOT.glob("nnlessons/**/__pycache__/*.pyc"):
            if f"advx{TOKEN}".encode() in pyc.read_bytes():
                run.problems.append(f"forged bytecode {pyc.relative_to(ROOT)}")
        for what in outcome.listeners.heard():
            match = MARKER.search(what)
            if match:
                run.leftovers.setdefault(int(match.group(1)), []).append(
                    f"reached a listener of the test: {what}")
            else:
                run.problems.append(f"a test's listener heard from the sandbox: {what}")
        _check_decoy(outcome, run)
        for index, decoy in list(outcome.decoys.items()):
            state = _state(decoy)
            if state != "running":
                run.leftovers.setdefault(index, []).append(
                    f"its decoy process outside was {state}")
                decoy.kill()
                decoy.wait()
                outcome.decoys[index] = start_decoy()
        _check_processes(outcome, run)
        files = marked_files()
        for index, paths in files.items():
            run.leftovers.setdefault(index, []).append(f"left files {paths[:3]}")
        if keep_changes:  # what the repository and site-packages hold waits for the later run
            files = {i: [p for p in paths if not p.startswith((str(ROOT), str(SITE)))]
                     for i, paths in files.items()}
        remove_marked(files)
        run.grader_tmp = sorted(p.name for p in grader_tmp.iterdir())
        _check_reports(run, outcome, expected)
    finally:
        if keep_changes:
            outcome.saved, outcome.site_before = saved, site_before
        else:
            restore(saved, GUARDED)
            restore_site(site_before)
    outcome.expected = expected
    return run


def _state(process):
    """"running", "killed", "stopped" or "traced" for a decoy."""
    try:
        state = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        state = "X"
    if process.poll() is not None or state in ("Z", "X"):
        return "killed"
    if state in ("T", "t"):
        return "stopped"
    try:
        status = Path(f"/proc/{process.pid}/status").read_text()
        if re.search(r"^TracerPid:\s*[1-9]", status, re.M):
            return "traced"
    except OSError:
        pass
    return "running"


def _blame_changes(run, label, root, before, after):
    """Files of `root` added or changed by the run: charged to the attack whose marker is in
    the file's name or bytes (the attacks sign what they write), else to the whole run."""
    unsigned = {}
    for rel in sorted(set(after) | set(before)):
        if before.get(rel) == after.get(rel):
            continue
        full = Path(root) / rel
        try:
            text = rel + (full.read_bytes()[-4096:].decode("latin-1") if full.is_file() else "")
        except OSError:
            text = rel
        match = MARKER.search(text)
        if match:
            run.leftovers.setdefault(int(match.group(1)), []).append(
                f"changed {rel!r} in the {label}")
        else:
            unsigned[rel] = after.get(rel)
    if unsigned:
        change = changes({k: before.get(k) for k in unsigned if k in before},
                         {k: v for k, v in unsigned.items() if v is not None})
        run.problems.append(f"the {label} changed: {change}")


def _check_decoy(outcome, run):
    state = _state(outcome.decoy)
    if state != "running":
        run.problems.append(f"the decoy process outside the sandbox was {state}")
        outcome.decoy.kill()
        outcome.decoy.wait()
        outcome.decoy = start_decoy()


def _check_processes(outcome, run):
    """Processes left by the run: every orphan the reaper inherited, and any process anywhere
    that carries a marker. They are recorded, then killed."""
    left = run.reaper.stragglers()
    run.reaper.close()
    if left is None:
        run.problems.append("the harness's reaper process was killed or stopped, so orphans "
                            "of the run cannot be counted")
    for item in left or []:
        match = MARKER.search(item)
        if match:
            run.leftovers.setdefault(int(match.group(1)), []).append(f"left process {item}")
        else:
            run.problems.append(f"a process outlived the run: {item}")
    time.sleep(0.2)
    decoys = {outcome.decoy.pid} | {d.pid for d in outcome.decoys.values()}
    for pid, (state, ppid, cmdline, comm) in processes().items():
        match = MARKER.search(cmdline) or MARKER.search(comm)
        if pid in decoys or state == "Z" or not match:
            continue
        run.leftovers.setdefault(int(match.group(1)), []).append(
            f"left process {pid} {cmdline[-120:]!r} ({comm})")
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _reap(pid):
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def start_decoy():
    """A process outside the sandbox, in no way related to the grading."""
    return subprocess.Popen(["sleep", "100000"], executable=shutil.which("sleep"),
                            stdin=subprocess.DEVNULL, start_new_session=True)


def run_batch(name, attacks, late=(), second=False, deadline=150):
    """Grade `attacks` beside the innocents in one CLI run (and, with `second`, grade the
    innocents alone in a later run, which whatever the attacks left must not reach)."""
    outcome = Outcome(name, attacks)
    work = Path(tempfile.mkdtemp(prefix=f"nnadv-{name}-"))
    home, sentinel = work / "home", Path(f"/tmp/nnadv-sentinel-{TOKEN}-{name}")
    for folder in (home, sentinel, sentinel / "inner"):
        folder.mkdir(parents=True, exist_ok=True)
    tokens = {"sentinel secret": f"advt{TOKEN}{secrets.token_hex(6)}",
              "grader's home secret": f"advh{TOKEN}{secrets.token_hex(6)}",
              "grader's environment secret": f"advs{TOKEN}{secrets.token_hex(6)}"}
    (sentinel / "token.txt").write_text(tokens["sentinel secret"])
    (sentinel / "keep.txt").write_text("the grader must not change this\n")
    (sentinel / "inner" / "keep.txt").write_text("nor this\n")
    (home / "secret.txt").write_text(tokens["grader's home secret"])
    outcome.listeners = Listeners(name)
    outcome.decoy = start_decoy()
    for attack in attacks:
        if any("_DECOY" in cell for cell in attack.cells):
            outcome.decoys[attack.index] = start_decoy()
    outcome.env = _environment(home, work / "grader-tmp-unused",
                               tokens["grader's environment secret"])
    outcome.places.update(
        ROOT=ROOT, SENTINEL=sentinel, HOME=home, DECOY=outcome.decoy.pid,
        UDP=outcome.listeners.udp.getsockname()[1], TCP=outcome.listeners.tcp.getsockname()[1],
        UNIX=outcome.listeners.unix_name, secrets=tokens)
    exercises = list(dict.fromkeys(a.exercise for a in attacks))
    _reference_scores(outcome)
    try:
        def run_once(label, batch_attacks, run_late, keep_changes=False):
            outcome.env["TMPDIR"] = str(work / f"{label}-grader-tmp")
            return _one_run(outcome, batch_attacks, exercises, run_late, deadline, work, label,
                            keep_changes)

        started = time.monotonic()
        outcome.run = run_once("first", attacks, late, keep_changes=second)
        if second:
            outcome.second = run_once("second", [], list(late))
        # shown with pytest -s: where the suite's time goes
        print(f"\nbatch {name}: {len(attacks)} attacks, CLI {outcome.run.elapsed:.1f} s, "
              f"all {time.monotonic() - started:.1f} s, grader peak {outcome.run.peak_mb} MB",
              file=sys.stderr)
    finally:
        if outcome.saved is not None:
            restore(outcome.saved, GUARDED)
            restore_site(outcome.site_before)
        outcome.listeners.close()
        for decoy in [outcome.decoy, *outcome.decoys.values()]:
            decoy.kill()
            decoy.wait()
        shutil.rmtree(sentinel, ignore_errors=True)
        if os.environ.get("NNLESSONS_ADVERSARIAL_KEEP") != "1":  # keep them to look into a run
            shutil.rmtree(work, ignore_errors=True)
    return outcome


_UNAVAILABLE = []


def grading_unavailable():
    """Why `nnlessons grade` cannot grade on this machine at all (it refuses to run without its
    sandbox, e.g. bubblewrap missing or user namespaces disabled), or None. Checked once, on one
    solved notebook: the adversarial suite is meaningless without the wall, not failing."""
    if not _UNAVAILABLE:
        work = Path(tempfile.mkdtemp(prefix="nnadv-check-"))
        try:
            (work / "class" / "someone").mkdir(parents=True)
            shutil.copyfile(ROOT / "solutions" / "01_neuron.ipynb",
                            work / "class" / "someone" / "01_neuron.ipynb")
            env = dict(os.environ, PYTHONPATH=str(ROOT))
            done = subprocess.run([sys.executable, "-m", "nnlessons.cli", "grade",
                                   str(work / "class")], env=env, capture_output=True,
                                  text=True, timeout=120)
            refused = done.returncode != 0 and re.search(
                r"bubblewrap|bwrap|isolation|namespace", done.stderr, re.I)
            _UNAVAILABLE.append(done.stderr.strip()[-300:] if refused else None)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return _UNAVAILABLE[0]


# --- judging one attack -------------------------------------------------------------------------

def attack_entries(run, attack):
    return [e for e in run.data or [] if attack.marker in str(e.get("student", ""))
            or attack.marker in str(e.get("notebook", ""))]


def judge(outcome, attack):
    """Everything wrong about how the batch treated `attack`: "[batch]" problems concern the
    whole run (an attack that hurt the others shows there), "[attack]" ones this attacker."""
    run = outcome.run
    problems = [f"[batch] {p}" for p in run.problems]
    if outcome.second is not None:
        problems += [f"[later run] {p}" for p in outcome.second.problems]
        problems += [f"[later run] {what}" for what in outcome.second.leftovers.get(
            attack.index, [])]
    mine = [f"[attack] {what}" for what in run.leftovers.get(attack.index, [])]
    proof = f"PROOF{attack.marker}:"
    for report, label in ((run.raw_reports, "a report or the terminal"),):
        at = report.find(proof)
        if at >= 0:
            line = report[at:at + 160].splitlines()[0]
            mine.append(f"[attack] got through, as it says in {label}: {line!r}")
    if run.data is not None:
        entries = attack_entries(run, attack)
        if not entries and not attack.absent_ok:
            mine.append("[attack] the attacker has no entry in grades.json")
        points = outcome.points.get(attack.exercise, {})
        for entry in entries:
            mine += _judge_entry(run, attack, entry, points if entry.get("exercise") ==
                                 attack.exercise else {})
    if attack.check is not None:
        mine += [f"[attack] {p}" for p in attack.check(outcome, attack)]
    return summarised(problems + mine)


def summarised(problems):
    """The problems without repeats; a run of left processes becomes one line."""
    result, processes_left = [], []
    for problem in dict.fromkeys(problems):
        if problem.startswith("[attack] left process"):
            processes_left.append(problem)
        else:
            result.append(problem)
    if processes_left:
        result.append(f"[attack] left {len(processes_left)} processes running, e.g. "
                      f"{processes_left[0][len('[attack] left '):]}")
    return result


def _judge_entry(run, attack, entry, points):
    problems = []
    exercise = entry.get("exercise")
    lost = {}
    for test in entry.get("tests", []):
        lost[test["function"]] = lost.get(test["function"], 0) + test["score"]
    loses = attack.loses if attack.loses != "all" else list(points) or list(lost)
    for function in loses:
        if lost.get(function, 0) > 0:
            passed = [t["name"] for t in entry["tests"]
                      if t["function"] == function and t["status"] == "passed"]
            problems.append(f"[attack] sabotaged {function} still scored {lost[function]} "
                            f"({', '.join(passed)})")
    if points:
        bound = sum(points.values()) - sum(points.get(f, 0) for f in loses)
    else:
        bound = 0 if attack.loses == "all" else None
    if bound is not None and entry.get("score", 0) > bound + 1e-9:
        problems.append(f"[attack] scored {entry.get('score')} for {exercise}, more than the "
                        f"{bound} its honest functions are worth")
    cell = csv_score(run, lambda name: attack.marker in name, exercise)
    if cell not in (None, "") and abs(float(cell) - entry.get("score", 0)) > 1e-9:
        problems.append(f"[attack] grades.csv says {cell}, grades.json {entry.get('score')}")
    if cell not in (None, "") and bound is not None and float(cell) > bound + 1e-9:
        problems.append(f"[attack] grades.csv gives {cell}, more than {bound}")
    return problems


def page_of(run, attack):
    return "\n".join(p for n, p in run.pages.items() if attack.marker in n)


def outputs_of(run, attack):
    return "\n".join(str(t.get("output", "")) for e in attack_entries(run, attack)
                     for t in e.get("tests", []))
