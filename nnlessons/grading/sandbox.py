"""The grader's side of the wall: start the child, talk to it, kill it.

One child per submission (restarted after a time-out or a crash, so later functions are still
graded). It runs `python -I` in its own empty temporary folder, its own session (so its whole
process group can be killed), with a minimal environment. Requests and replies travel on two
dedicated pipes as length-prefixed JSON; every reply must carry the id of the request it answers.
"""
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .child import FRAME_HEADER
from .codec import DecodeError, loads, dumps

MAX_MESSAGE = 40 * 1024 * 1024
PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding `nnlessons/`
BOOTSTRAP = ("import sys; sys.path.insert(0, {root!r}); "
             "from nnlessons.grading.child import main; main(sys.argv[1:])")


class ChildGone(Exception):
    """The child exited, was killed, or sent something that is not a reply."""


class ChildTimeout(Exception):
    pass


def _mpl_cache():
    """matplotlib's font cache of this user, shared read-only so a child does not rebuild it."""
    try:
        import matplotlib
        return matplotlib.get_configdir()
    except Exception:
        return None


class Child:
    """One running child process."""

    def __init__(self, memory):
        self.workdir = tempfile.mkdtemp(prefix="nnlessons-grade-")
        request_read, self.request_write = os.pipe()
        self.reply_read, reply_write = os.pipe()
        self.stderr = tempfile.TemporaryFile()
        env = {"PATH": "/usr/bin:/bin", "HOME": self.workdir, "TMPDIR": self.workdir,
               "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0",
               "NNLESSONS_GRADING_CHILD": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        cache = _mpl_cache()
        if cache:
            env["MPLCONFIGDIR"] = cache
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-c", BOOTSTRAP.format(root=PACKAGE_ROOT),
                 str(request_read), str(reply_write), str(memory)],
                pass_fds=(request_read, reply_write), cwd=self.workdir, env=env,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.stderr,
                start_new_session=True)
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

    def exit_description(self):
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "it stopped answering"
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ \
                else str(-code)
            return f"the process was killed by signal {name}"
        return f"the program exited with status {code} (sys.exit or os._exit?)"

    def kill(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for fd in (self.request_write, self.reply_read):
            try:
                os.close(fd)
            except OSError:
                pass
        self.stderr.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
