"""The wall is the operating system: what a graded notebook can see, keep and reach.

Each test grades the solved 01_neuron with one cell added that tries to get past the sandbox,
and checks the result from outside (the processes left, the files, the scores). The broader
hostile class is tests/test_grading_adversarial.py; these pin the sandbox's own properties.
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nnlessons.grading import isolation
from nnlessons.grading.grader import IsolationUnavailable, grade_notebook
from nnlessons.grading.testing import with_extra_cell

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "01_neuron.ipynb"


def graded(tmp_path, code, **options):
    path = tmp_path / "wall_01_neuron.ipynb"
    path.write_text(json.dumps(with_extra_cell(SOLUTION, code)))
    return grade_notebook(path, timeout=2.0, budget=60, **options)


def scores(result):
    by_function = {}
    for test in result.tests:
        by_function.setdefault(test.function, []).append(test.status)
    return by_function


def processes_with(marker):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def test_a_detached_process_does_not_outlive_its_grading(tmp_path):
    """fork, a new session, an exec: the process is in the sandbox's PID namespace, and dies
    with it. The audit hook's friendly refusal is undone first, as a hostile learner would."""
    marker = f"nnlessons-wall-{os.getpid()}-detached"
    # the hook refuses os.fork: go around it the way the reviewer did
    code = ("import os, sys\n"
            f"MARK = {marker!r}\n"
            "def weighted_sum(X, weights, bias):\n"
            "    import _posixsubprocess, subprocess\n"
            "    args = [b'/bin/sh', b'-c', ('sleep 30; echo ' + MARK).encode()]\n"
            "    # call the C function directly: no audit event is raised for it\n"
            "    pid = _posixsubprocess.fork_exec(args, [b'/bin/sh'], True, (), None, None,\n"
            "        -1, -1, -1, -1, -1, -1, *os.pipe(), False, True, -1, None, None, None,\n"
            "        -1, None, False)\n"
            "    return [float(pid)]\n")
    result = graded(tmp_path, code)
    assert scores(result)["weighted_sum"][0] != "passed"
    time.sleep(0.5)
    assert processes_with(marker) == [], "a process started by the notebook is still running"


def test_the_sandbox_sees_no_file_of_the_grader(tmp_path):
    """Listing / shows only what was mounted; the checkout, the solutions, /etc and /root are
    not there. The friendly audit hook would refuse the listing, so first its rules are rewritten
    through gc, as a hostile learner can: the wall, not the hook, decides what is there."""
    code = ("import gc, os\n"
            "for f in gc.get_objects():\n"
            "    if getattr(f, '__name__', '') == 'hook' and getattr(f, '__closure__', None):\n"
            "        for name, cell in zip(f.__code__.co_freevars, f.__closure__):\n"
            "            if name == 'blocked':\n"
            "                cell.cell_contents = frozenset()\n"
            "            if name == 'readable':\n"
            "                cell.cell_contents = ('/',)\n"
            "def weighted_sum(X, weights, bias):\n"
            "    raise ValueError(repr(sorted(os.listdir('/'))) + ' | ' +\n"
            f"                     repr(os.path.exists({str(SOLUTION)!r})) + ' | ' +\n"
            f"                     repr(os.path.exists({str(ROOT / 'instructor')!r})) + ' | ' +\n"
            "                     repr(os.path.exists('/etc/passwd')))\n")
    result = graded(tmp_path, code)
    output = next(t.output for t in result.tests if t.function == "weighted_sum")
    assert "False | False | False" in output, output
    listing = eval(output.split("ValueError: ")[1].split(" | ")[0])
    # the system's folders, and the first folder of each place Python imports from (a
    # virtualenv's site-packages, mounted alone: nothing beside it in that folder is there)
    allowed = {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "opt", "proc",
               "dev", "tmp"} | {Path(root).parts[1] for root in isolation.import_roots()}
    assert set(listing) <= allowed, listing


def test_tampering_with_everything_in_the_process_does_not_bring_the_reference_back(tmp_path):
    """The forbidden reference sigmoid is not in the sandbox at all: emptying every trap,
    importing it under another name and reading its source file all come up empty."""
    code = ("import gc, importlib, sys\n"
            "import nnlessons.activations as act\n"
            "import nnlessons.grading.forbidden as fb\n"
            "fb.REFUSED.clear()\n"
            "def sigmoid(z):\n"
            "    fb.REFUSED.clear()\n"
            "    module = importlib.import_module('nnlessons.' + 'activations')\n"
            "    tries = [lambda: getattr(module, 'sig' + 'moid')]\n"
            "    def from_source():\n"
            "        ns = {}\n"
            "        exec(open(module.__file__).read().replace('raise _refuse', 'return 0 #'), ns)\n"
            "        return ns['sigmoid']\n"
            "    tries.append(from_source)\n"
            "    tries.append(lambda: next(o for o in gc.get_objects() if callable(o)\n"
            "                 and getattr(o, '__name__', '') == 'sigmoid' and o is not sigmoid\n"
            "                 and o(0.0) == 0.5))\n"
            "    for attempt in tries:\n"
            "        try:\n"
            "            found = attempt()\n"
            "            if found(0.0) == 0.5:\n"
            "                fb.REFUSED.clear()\n"
            "                return found(z)\n"
            "        except BaseException:\n"
            "            fb.REFUSED.clear()\n"
            "    raise RuntimeError('the reference sigmoid is nowhere in this process')\n")
    result = graded(tmp_path, code)
    statuses = scores(result)
    assert all(s != "passed" for s in statuses["sigmoid"]), statuses
    assert all(s == "passed" for s in statuses["weighted_sum"])


def test_a_fork_bomb_and_a_full_disk_stay_inside(tmp_path):
    code = ("import os\n"
            "_real = weighted_sum\n"
            "def weighted_sum(X, weights, bias):\n"
            "    written = 0\n"
            "    try:\n"
            "        with open('big', 'wb') as f:\n"
            "            for _ in range(400):\n"
            "                f.write(b'x' * 1_000_000); written += 1\n"
            "    except OSError:\n"
            "        pass\n"
            "    count = 0\n"
            "    try:\n"
            "        import _posixsubprocess\n"
            "        for _ in range(500):\n"
            "            _posixsubprocess.fork_exec([b'/bin/sleep', b'20'], [b'/bin/sleep'],\n"
            "                True, (), None, None, -1, -1, -1, -1, -1, -1, *os.pipe(), False,\n"
            "                True, -1, None, None, None, -1, None, False)\n"
            "            count += 1\n"
            "    except OSError:\n"
            "        pass\n"
            "    raise ValueError(f'wrote {written} MB, started {count} processes')\n")
    result = graded(tmp_path, code)
    output = next(t.output for t in result.tests if t.function == "weighted_sum")
    written, started = [int(w) for w in output.split("wrote ")[1].split(" processes")[0]
                        .replace(" MB, started", "").split()]
    assert written <= isolation.FILE_BYTES // 1_000_000 + 1
    assert started < isolation.PROCESSES
    assert all(s == "passed" for s in scores(result)["sigmoid"])


def test_grading_refuses_without_the_sandbox_unless_asked(tmp_path, monkeypatch):
    isolation.problem.cache_clear()
    monkeypatch.setattr(isolation, "bwrap_path", lambda: None)
    try:
        with pytest.raises(IsolationUnavailable, match="apt-get install bubblewrap"):
            grade_notebook(SOLUTION)
        assert grade_notebook(SOLUTION, isolation_kind="none").score == 28
    finally:
        isolation.problem.cache_clear()


def test_the_cli_refuses_without_the_sandbox_and_labels_a_run_without_it(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path))  # no bwrap on this PATH
    run = subprocess.run([sys.executable, "-m", "nnlessons.cli", "grade", str(SOLUTION)],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 2
    assert "cannot grade safely here" in run.stderr and "--isolation none" in run.stderr
    run = subprocess.run([sys.executable, "-m", "nnlessons.cli", "grade", str(SOLUTION),
                          "--isolation", "none", "--json", str(tmp_path / "g.json")],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert "without isolation" in run.stdout.lower() and "without isolation" in run.stderr.lower()
    assert json.loads((tmp_path / "g.json").read_text())[0]["isolation"] == "none"


def test_hidden_tests_meet_a_fresh_worker(tmp_path):
    """What a public test's call left in the process (a global) is gone for the hidden tests:
    they run in a new fork of the loaded notebook."""
    from nnlessons.grading.suite import SuiteLibrary
    calls = len([t for t in SuiteLibrary().get("01_neuron").tests
                 if t.function == "weighted_sum" and not t.hidden])  # one call each
    code = ("_real = weighted_sum\n"
            "SEEN = []\n"
            "def weighted_sum(X, weights, bias):\n"
            "    SEEN.append(1)\n"
            f"    if len(SEEN) > {calls}:\n"
            "        raise ValueError(f'calls seen by this process: {len(SEEN)}')\n"
            "    return _real(X, weights, bias)\n")
    result = graded(tmp_path, code)
    public = [t for t in result.tests if t.function == "weighted_sum" and not t.hidden]
    hidden = [t for t in result.tests if t.function == "weighted_sum" and t.hidden]
    assert len(public) == calls and all(t.status == "passed" for t in public)
    # two hidden tests, each one call: the count starts again at the notebook's state
    assert hidden and all(t.status == "passed" for t in hidden), [t.output for t in hidden]


# The zygote (zygote.py) forks every sandbox of a grading job from one process that lives on
# between submissions. What one submission leaves must not reach the next, and what the zygote
# holds (every view, its capabilities) must not reach any.

# the friendly audit hook's rules emptied first, as a hostile learner can: the wall decides
UNHOOK = ("import gc\n"
          "for f in gc.get_objects():\n"
          "    if getattr(f, '__name__', '') == 'hook' and getattr(f, '__closure__', None):\n"
          "        for name, cell in zip(f.__code__.co_freevars, f.__closure__):\n"
          "            if name == 'blocked':\n"
          "                cell.cell_contents = frozenset()\n"
          "            if name == 'readable':\n"
          "                cell.cell_contents = ('/',)\n"
          "            if name == 'path_events':\n"
          "                cell.cell_contents = {}\n")

ZYGOTE_PROBE = UNHOOK + (
    "import os\n"
    "def weighted_sum(X, weights, bias):\n"
    "    status = open('/proc/self/status').read()\n"
    "    caps = {k: status.split(k + ':')[1].split()[0] for k in\n"
    "            ('CapEff', 'CapPrm', 'CapBnd', 'CapInh', 'CapAmb', 'NoNewPrivs')}\n"
    f"    seen = {{'views': sorted(os.listdir({isolation.VIEWS_INSIDE!r}))\n"
    f"            if os.path.isdir({isolation.VIEWS_INSIDE!r}) else None,\n"
    "            'tmp': sorted(os.listdir('/tmp')), 'pid': os.getpid(),\n"
    "            'comms': sorted(open(f'/proc/{p}/comm').read().strip()\n"
    "                            for p in os.listdir('/proc') if p.isdigit())}\n"
    "    import ctypes\n"
    "    libc = ctypes.CDLL(None, use_errno=True)\n"
    "    seen['unshare_user'] = libc.unshare(0x10000000)\n"
    "    seen['unshare_mount'] = libc.unshare(0x00020000)\n"
    "    seen['umount_tmp'] = libc.umount2(b'/tmp', 2)\n"
    f"    seen['umount_views'] = libc.umount2({isolation.VIEWS_INSIDE.encode()!r}, 2)\n"
    "    raise ValueError(repr({'caps': caps, **seen}))\n")

HIDE_AND_LINGER = UNHOOK + (
    "import os\n"
    "open('/tmp/left-by-the-last-one', 'w').write('x')\n"
    "import _posixsubprocess\n"
    "_posixsubprocess.fork_exec([b'/bin/sleep', b'40'], [b'/bin/sleep'], True, (), None, None,\n"
    "    -1, -1, -1, -1, -1, -1, *os.pipe(), False, True, -1, None, None, None, -1, None, False)\n")


def probe(tmp_path, code):
    import ast
    result = graded(tmp_path, code)
    output = next(t.output for t in result.tests if t.function == "weighted_sum")
    text = output.split("ValueError: ", 1)[1]
    return ast.literal_eval(text[:text.rindex("}") + 1])


def test_a_sandbox_has_no_capability_and_no_other_view(tmp_path):
    """The zygote keeps its namespace's capabilities to make sandboxes; the sandbox it makes has
    none (it cannot unmount the cover over the other views, nor make a namespace), and the
    folder of every view is empty for it."""
    seen = probe(tmp_path, ZYGOTE_PROBE)
    assert {k: v for k, v in seen["caps"].items() if k != "NoNewPrivs"} == {
        k: "0000000000000000" for k in ("CapEff", "CapPrm", "CapBnd", "CapInh", "CapAmb")}
    assert seen["caps"]["NoNewPrivs"] == "1"
    assert seen["views"] in (None, [])
    assert seen["unshare_user"] == seen["unshare_mount"] == -1
    assert seen["umount_tmp"] == seen["umount_views"] == -1
    assert seen["pid"] <= 3, "the notebook's process is the first of a PID namespace of its own"


def test_the_next_submission_meets_nothing_of_the_last(tmp_path):
    """Two notebooks graded one after the other by the same job (one zygote): the first leaves a
    file in its working folder and a detached `sleep`; the second finds neither, and the sleep is
    gone from the machine."""
    first = graded(tmp_path, HIDE_AND_LINGER)
    assert all(s == "passed" for s in scores(first)["weighted_sum"])
    seen = probe(tmp_path, ZYGOTE_PROBE)
    assert "left-by-the-last-one" not in seen["tmp"]
    assert "sleep" not in seen["comms"]
    # killed with its namespace when its grading ended; on a loaded machine the kernel may take
    # a moment to tear a dying process down, but not the 40 s the sleep asked for
    deadline = time.monotonic() + 5.0
    while True:
        sleeping = [p for p in Path("/proc").iterdir() if p.name.isdigit() and
                    b"sleep\x0040" in _cmdline(p)]
        if not sleeping or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert sleeping == [], "the first submission's process outlived its grading"


def _cmdline(proc):
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:  # the process ended between the listing and the read
        return b""


def test_sandboxes_are_forked_by_a_zygote_here(tmp_path):
    """Where bubblewrap runs (CI), grading uses the zygote, so the tests above test it, and a
    zygote whose process died is replaced by the next sandbox."""
    from nnlessons.grading import sandbox
    graded(tmp_path, "")
    assert sandbox._NO_ZYGOTE == [], sandbox._NO_ZYGOTE
    zygote = sandbox._JOB.zygote
    assert zygote is not None and zygote.alive()
    os.killpg(zygote.process.pid, 9)
    zygote.process.wait()
    result = graded(tmp_path, "")
    assert result.score == result.max_score
    assert sandbox._JOB.zygote is not zygote and sandbox._JOB.zygote.alive()


OUTSIDE_PROBE = UNHOOK + (
    "import os\n"
    "def weighted_sum(X, weights, bias):\n"
    "    seen = {'outside': {}, 'refused': {}}\n"
    "    for p in (p for p in os.listdir('/proc') if p.isdigit()):\n"
    "        try:\n"
    "            status = open(f'/proc/{p}/status').read()\n"
    "        except OSError:\n"
    "            continue\n"
    "        nspid = status.split('NSpid:')[1].split('\\n')[0].split()\n"
    "        if len(nspid) == 1:  # not in this submission's own PID namespace\n"
    "            seen['outside'][p] = status.split('CapPrm:')[1].split()[0]\n"
    "    for p in seen['outside']:\n"
    "        for what, attempt in (('mem', lambda: open(f'/proc/{p}/mem', 'r+b')),\n"
    "                              ('root', lambda: os.listdir(f'/proc/{p}/root/')),\n"
    "                              ('cwd', lambda: os.listdir(f'/proc/{p}/cwd/')),\n"
    "                              ('fd', lambda: [os.readlink(f'/proc/{p}/fd/{f}')\n"
    "                                              for f in os.listdir(f'/proc/{p}/fd')])):\n"
    "            try:\n"
    "                attempt()\n"
    "                seen['refused'][f'{p} {what}'] = False\n"
    "            except OSError:\n"
    "                seen['refused'][f'{p} {what}'] = True\n"
    "    raise ValueError(repr(seen))\n")


def test_no_process_outside_a_sandbox_is_open_to_it(tmp_path):
    """A submission sees the zygote's process list (its /proc), but every process there that is
    not its own keeps capabilities it has not, so the kernel refuses it their memory, their
    root folder, their working folder and their open files: nothing outside can be taken over
    (bwrap's own init, without capabilities, once could; the zygote is PID 1 now)."""
    seen = probe(tmp_path, OUTSIDE_PROBE)
    assert seen["outside"], "the zygote's processes should be listed (this test needs them)"
    assert all(int(caps, 16) != 0 for caps in seen["outside"].values()), seen["outside"]
    assert seen["refused"] and all(seen["refused"].values()), seen["refused"]
