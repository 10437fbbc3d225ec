"""The grader's side of the wall: start the child, talk to it, kill it.

One child per submission (restarted after a time-out or a crash, so later functions are still
graded). Children are forked by a *zygote*, a fork server started once with `python -I` and a
minimal environment that has numpy and nnlessons imported: a child costs a fork, not a Python
start-up. Each child gets its own session (its whole process group is killed), its own empty
temporary folder, its limits and audit hook (child.py). If the zygote cannot run, children are
started directly the same way (slower, same isolation).

Requests and replies travel on two dedicated pipes as length-prefixed JSON; every reply must carry
the id of the request it answers.
"""
import atexit
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .child import FRAME_HEADER
from .codec import DecodeError, dumps, loads

MAX_MESSAGE = 40 * 1024 * 1024
PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding `nnlessons/`
BOOTSTRAP = ("import sys; sys.path.insert(0, {root!r}); "
             "from nnlessons.grading.child import {entry}; {entry}(sys.argv[1:])")


class ChildGone(Exception):
    """The child exited, was killed, or sent something that is not a reply."""


class ChildTimeout(Exception):
    pass


def _environment(home):
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8",
           "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0", "NNLESSONS_GRADING_CHILD": "1",
           "PYTHONDONTWRITEBYTECODE": "1"}
    try:  # matplotlib's font cache of this user, read only, so a child does not rebuild it
        import matplotlib
        env["MPLCONFIGDIR"] = matplotlib.get_cachedir()
    except Exception:
        pass
    return env


def _command(entry, *args):
    return [sys.executable, "-I", "-c", BOOTSTRAP.format(root=PACKAGE_ROOT, entry=entry),
            *map(str, args)]


class Zygote:
    """The fork server, shared by every grading thread of this process."""

    _lock = threading.Lock()
    _instance = None

    def __init__(self):
        self.home = tempfile.mkdtemp(prefix="nnlessons-zygote-")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.socket = ours
        self.process = subprocess.Popen(
            _command("zygote_main", theirs.fileno()), pass_fds=(theirs.fileno(),),
            cwd=self.home, env=_environment(self.home), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        theirs.close()
        self.lock = threading.Lock()

    @classmethod
    def get(cls):
        """The running zygote, started on first use (None if it cannot run here)."""
        with cls._lock:
            if cls._instance is not None and cls._instance.process.poll() is not None:
                cls._instance = None
            if cls._instance is None and os.environ.get("NNLESSONS_NO_ZYGOTE") != "1":
                try:
                    cls._instance = Zygote()
                except OSError:
                    return None
            return cls._instance

    def _ask(self, request, fds=()):
        with self.lock:
            self.socket.settimeout(30)
            socket.send_fds(self.socket, [json.dumps(request).encode()], list(fds))
            return json.loads(self.socket.recv(4096))

    def spawn(self, request_fd, reply_fd, workdir, memory):
        return int(self._ask({"op": "spawn", "workdir": workdir, "memory": memory},
                             (request_fd, reply_fd))["pid"])

    def wait(self, pid, block):
        return self._ask({"op": "wait", "pid": pid, "block": block}).get("status")


def _describe_status(status):
    if status is None:
        return "it stopped answering"
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        return f"the process was killed by signal {name}"
    return f"the program exited with status {os.WEXITSTATUS(status)} (sys.exit or os._exit?)"


_LIVE = set()  # process groups of running children: killed if the grader exits early


@atexit.register
def _kill_live_children():
    for pid in list(_LIVE):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


class Child:
    """One running child process."""

    def __init__(self, memory):
        self.workdir = os.path.realpath(tempfile.mkdtemp(prefix="nnlessons-grade-"))
        request_read, self.request_write = os.pipe()
        self.reply_read, reply_write = os.pipe()
        self.process, self.pid, self.zygote = None, None, Zygote.get()
        self.status = None
        try:
            if self.zygote is not None:
                try:
                    self.pid = self.zygote.spawn(request_read, reply_write, self.workdir, memory)
                except (OSError, ValueError, KeyError):
                    self.zygote = None
            if self.pid is None:
                self.process = subprocess.Popen(
                    _command("main", request_read, reply_write, memory),
                    pass_fds=(request_read, reply_write), cwd=self.workdir,
                    env=_environment(self.workdir), stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    start_new_session=True)
                self.pid = self.process.pid
            _LIVE.add(self.pid)
        finally:
            os.close(request_read)
            os.close(reply_write)
        self.buffer = b""

    def send(self, message):
        data = dumps(message)
        view = memoryview(b"%012d" % len(data) + data)
        try:
            while view:
                view = view[os.write(self.request_write, view):]
        except OSError:
            raise ChildGone(self.exit_description()) from None

    def _read(self, n, deadline):
        while len(self.buffer) < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChildTimeout()
            ready, _, _ = select.select([self.reply_read], [], [], remaining)
            if not ready:
                raise ChildTimeout()
            chunk = os.read(self.reply_read, 1 << 20)
            if not chunk:
                raise ChildGone(self.exit_description())
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def receive(self, deadline):
        header = self._read(FRAME_HEADER, deadline)
        if not header.isdigit() or int(header) > MAX_MESSAGE:
            raise ChildGone("it sent something that is not an answer")
        try:
            return loads(self._read(int(header), deadline))
        except DecodeError as error:
            raise ChildGone(f"it sent something that is not an answer ({error})") from None

    def _wait(self, block):
        if self.status is not None:
            return self.status
        if self.process is not None:
            try:
                code = self.process.wait(timeout=None if block else 0)
            except subprocess.TimeoutExpired:
                return None
            self.status = -code if code < 0 else code << 8  # as os.waitpid reports it
            return self.status
        try:
            self.status = self.zygote.wait(self.pid, block)
        except (OSError, ValueError):
            return None
        return self.status

    def exit_description(self):
        """Why the child stopped talking (waits up to 2 s for it to finish exiting)."""
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            if self._wait(False) is not None:
                return _describe_status(self.status)
            time.sleep(0.02)
        return "it stopped answering"

    def kill(self):
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._wait(True)
        _LIVE.discard(self.pid)
        for fd in (self.request_write, self.reply_read):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.workdir, ignore_errors=True)
