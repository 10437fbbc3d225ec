"""The grader's side of the wall: start a sandbox, talk to it with deadlines, kill it whole.

    box = Sandbox(forbidden_names, memory=..., isolation="bubblewrap")
    box.send({"op": "load", ...}); box.receive(deadline)
    ...
    box.kill()      # every process it started, detached or not, is gone

A sandbox runs child.py (the template, then its workers) under bubblewrap (isolation.py): forked
by the grading job's zygote (zygote.py), which started Python and its imports once and makes each
sandbox's namespaces, or, where that cannot run, as a bwrap process of its own. Only when the
instructor asked for `--isolation none` it is a plain child process in a temporary folder. Requests and replies travel as frames (framing.py) on two pipes made for it; both ends
in this process are non-blocking and every read and write has a deadline, so a child that stops
reading or writing cannot stall the grader.
"""
import atexit
import functools
import json
import os
import shutil
import select
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from . import isolation
from .codec import DecodeError, dumps, loads
from .framing import FrameError, FrameReader, FrameTimeout, write_frame
from .package_view import VIEWS

BOOTSTRAP = ("import sys; sys.path[:0] = [{root!r}] + {paths!r}; "
             "from nnlessons.grading.child import main; main(sys.argv[1:])")
WRITE_SECONDS = 10.0         # a request the child does not take in this long: it is stuck
CPU_SLACK = 30               # the per-process CPU limit is the budget plus this much


class ChildGone(Exception):
    """The child exited, was killed, or sent something that is not a message."""


class ChildTimeout(Exception):
    pass


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


def _environment(home):
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8",
           "MPLBACKEND": "Agg", "MPLCONFIGDIR": f"{home}/.matplotlib",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "PYTHONHASHSEED": "0", "NNLESSONS_GRADING_CHILD": "1",
           "PYTHONDONTWRITEBYTECODE": "1"}
    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # some CPUs need them (see docs/)
        if key in os.environ:
            env[key] = os.environ[key]
    return env


@functools.lru_cache(maxsize=None)
def font_caches():
    """matplotlib's font list of this user (a file of font names, nothing private), copied into
    each sandbox so that a notebook that plots does not rebuild it (a second or more)."""
    try:
        import matplotlib
        return tuple(sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json")))
    except Exception:
        return ()


_LIVE = set()  # sandboxes running: killed if the grader exits early


@atexit.register
def _kill_live():
    for box in list(_LIVE):
        box.kill()
    stop_zygotes()


class ZygoteGone(Exception):
    """The zygote did not start, or stopped answering: its job starts another."""


class Zygote:
    """The grader's end of one fork server (zygote.py), in a bubblewrap sandbox of its own."""

    START_SECONDS = 30.0
    REPLY_SECONDS = 10.0

    def __init__(self, memory):
        self.memory = memory
        self.next_id = 0
        self.control, inside = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = _environment(isolation.WORKDIR)
        opened = []
        try:
            opened = [os.open(path, os.O_RDONLY) for path in font_caches()]
            files = [(fd, f"{env['MPLCONFIGDIR']}/{path.name}")
                     for fd, path in zip(opened, font_caches())]
            command = isolation.zygote_command(VIEWS.folder(), env, files)
            # all of one submission's sandboxes live here at once (two at most, today)
            self.group = isolation.ProcessGroup(
                3 * isolation.PROCESSES, memory and 3 * (memory + isolation.TMPFS_BYTES))
            config = {"control_fd": inside.fileno(), "views": isolation.VIEWS_INSIDE,
                      "package": isolation.INSIDE_PACKAGE, "workdir": isolation.WORKDIR,
                      "tmpfs_bytes": isolation.TMPFS_BYTES}
            source = (f"import sys; sys.path[:0] = {isolation.import_roots()!r}\n" +
                      Path(__file__).with_name("zygote.py").read_text(encoding="utf-8"))
            command = self.group.wrap(command) + ["-c", source, json.dumps(config)]
            self.process = subprocess.Popen(command, pass_fds=(inside.fileno(), *opened),
                                            cwd="/", env={"LANG": "C.UTF-8"},
                                            stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, start_new_session=True)
        except BaseException:
            self.control.close()
            raise
        finally:
            inside.close()
            for fd in opened:
                os.close(fd)
        _ZYGOTES.add(self)
        if self._receive(time.monotonic() + self.START_SECONDS).get("event") != "ready":
            self.stop()
            raise ZygoteGone("it did not start")

    def _receive(self, deadline):
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.control], [], [], remaining)[0]:
                raise ZygoteGone("it stopped answering")
            try:
                data = self.control.recv(65536)
                return json.loads(data) if data else {}
            except (OSError, ValueError):
                raise ZygoteGone("it broke the connection") from None

    def _ask(self, message, fds=(), seconds=REPLY_SECONDS):
        try:
            socket.send_fds(self.control, [json.dumps(message).encode()], list(fds))
        except OSError:
            raise ZygoteGone("it is gone") from None
        reply = self._receive(time.monotonic() + seconds)
        if reply.get("id") != message.get("id"):
            raise ZygoteGone("it answered something else")
        return reply

    def spawn(self, view, child_config, fds, group):
        """A new sandbox holding `fds` (its two pipe ends), inside the cgroups of `group`
        (isolation.ProcessGroup) before its first process starts; its id."""
        self.next_id += 1
        reply = self._ask({"op": "spawn", "id": self.next_id, "view": view,
                           "child": child_config}, fds)
        if reply.get("event") != "forked" or not isinstance(reply.get("pid"), int):
            raise ZygoteGone(f"it could not fork ({reply.get('message', '?')})")
        if group.folders:
            pid = isolation.host_pid(self.process.pid, reply["pid"])
            if pid is None or not group.add(pid):
                raise ZygoteGone("its sandbox could not be put in a cgroup")
        reply = self._ask({"op": "go", "id": self.next_id})
        if reply.get("event") != "spawned":
            raise ZygoteGone(f"it could not make a sandbox ({reply.get('message', '?')})")
        return self.next_id

    def wait(self, spawn_id, seconds):
        """The sandbox's exit status (bwrap's convention: 128 + signal), or None if running."""
        reply = self._ask({"op": "wait", "id": spawn_id, "seconds": seconds}, (), seconds + 5)
        status = reply.get("status")
        return status if isinstance(status, int) else None

    def kill(self, spawn_id):
        """Kill a sandbox: its first process is PID 1 of its namespace, so all of it dies."""
        reply = self._ask({"op": "kill", "id": spawn_id}, (), 15)
        if reply.get("event") != "killed":
            raise ZygoteGone("it did not kill the sandbox")

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        """Kill the zygote's sandbox whole: the zygote and every sandbox it made."""
        _ZYGOTES.discard(self)
        if getattr(_JOB, "zygote", None) is self:
            _JOB.zygote = None
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.group.kill()
        self.control.close()


_ZYGOTES = set()
_JOB = threading.local()       # each grading job (a thread) has a zygote of its own
_NO_ZYGOTE = []                # why zygotes cannot run here, once found: sandboxes start alone


def zygote_for(memory):
    """This job's zygote (started if needed), or None where zygotes cannot run."""
    if _NO_ZYGOTE:
        return None
    zygote = getattr(_JOB, "zygote", None)
    if zygote is not None and (zygote.memory != memory or not zygote.alive()):
        zygote.stop()
        zygote = None
    if zygote is None:
        try:
            zygote = Zygote(memory)
        except (ZygoteGone, OSError) as error:
            _NO_ZYGOTE.append(str(error))
            return None
        _JOB.zygote = zygote
    return zygote


def stop_zygotes():
    for zygote in list(_ZYGOTES):
        zygote.stop()


class Sandbox:
    """One running sandbox (one template and its current worker)."""

    def __init__(self, forbidden_names, memory, budget, isolation_kind="bubblewrap"):
        self.isolation = isolation_kind
        self.view = VIEWS.path(forbidden_names)
        self.stubbed = frozenset(forbidden_names)
        request_read, self.request_write = os.pipe()
        self.reply_read, reply_write = os.pipe()
        os.set_blocking(self.request_write, False)
        os.set_blocking(self.reply_read, False)
        self.reader = FrameReader(self.reply_read)
        self.group = None
        self.scratch = None
        self.process = None
        self.zygote = self.spawn_id = None
        self.status = None
        try:
            if isolation_kind == "none" or not self._spawn(request_read, reply_write,
                                                            memory, budget):
                self.process = self._start(request_read, reply_write, memory, budget)
        except BaseException:
            self._close_fds()
            raise
        finally:
            os.close(request_read)
            os.close(reply_write)
        _LIVE.add(self)

    @staticmethod
    def _limits(memory, budget):
        return {"memory": memory, "cpu_seconds": int(budget) + CPU_SLACK,
                "file_bytes": isolation.FILE_BYTES, "open_files": isolation.OPEN_FILES,
                "processes": isolation.PROCESSES}

    def _spawn(self, request_read, reply_write, memory, budget):
        """Fork the sandbox from this job's zygote; False where there is none."""
        for attempt in range(2):  # a zygote that died since its last sandbox is replaced once
            zygote = zygote_for(memory)
            if zygote is None:
                return False
            config = self._limits(memory, budget) | {"workdir": isolation.WORKDIR,
                                                     "package_root": isolation.INSIDE_PACKAGE}
            self.group = isolation.ProcessGroup(isolation.PROCESSES, memory and
                                                memory + isolation.TMPFS_BYTES)
            try:
                self.spawn_id = zygote.spawn(self.view.name, config, (request_read, reply_write),
                                             self.group)
            except ZygoteGone:
                zygote.stop()
                self.group.kill()
                self.group = None
                continue
            self.zygote = zygote
            return True
        return False

    def _start(self, request_read, reply_write, memory, budget):
        config = self._limits(memory, budget) | {"request_fd": request_read,
                                                 "reply_fd": reply_write}
        paths = isolation.import_roots()
        opened = []  # the font lists, open only until the sandbox has copied them
        if self.isolation == "none":
            self.scratch = os.path.realpath(tempfile.mkdtemp(prefix="nnlessons-grade-"))
            config |= {"workdir": self.scratch, "package_root": str(self.view)}
            env = _environment(self.scratch)
            command = [isolation.interpreter(), "-I", "-S"]
            fds = (request_read, reply_write)
        else:
            config |= {"workdir": isolation.WORKDIR, "package_root": isolation.INSIDE_PACKAGE}
            env = _environment(isolation.WORKDIR)
            opened = [os.open(path, os.O_RDONLY) for path in font_caches()]
            files = [(fd, f"{env['MPLCONFIGDIR']}/{path.name}")
                     for fd, path in zip(opened, font_caches())]
            command = isolation.bwrap_command(self.view, env, files)
            fds = (request_read, reply_write, *opened)
            self.group = isolation.ProcessGroup(isolation.PROCESSES, memory and
                                                memory + isolation.TMPFS_BYTES)
            command = self.group.wrap(command)
        root = str(self.view) if self.isolation == "none" else isolation.INSIDE_PACKAGE
        command += ["-c", BOOTSTRAP.format(root=root, paths=paths), json.dumps(config)]
        try:
            return subprocess.Popen(command, pass_fds=fds, cwd=self.scratch or "/",
                                    env=env if self.isolation == "none" else {"LANG": "C.UTF-8"},
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
        finally:
            for fd in opened:
                os.close(fd)

    def send(self, message):
        try:
            write_frame(self.request_write, dumps(message), time.monotonic() + WRITE_SECONDS)
        except FrameTimeout:
            raise ChildGone("it stopped reading what the grader sent") from None
        except FrameError:
            raise ChildGone(self.exit_description()) from None

    def receive(self, deadline):
        try:
            return loads(self.reader.read(deadline))
        except FrameTimeout:
            raise ChildTimeout() from None
        except FrameError as error:
            if "closed" in str(error):
                raise ChildGone(self.exit_description()) from None
            raise ChildGone(str(error)) from None
        except DecodeError as error:
            raise ChildGone(f"it sent something that is not an answer ({error})") from None

    def exit_description(self):
        """Why the sandbox stopped talking (waits up to 2 s for it to finish exiting)."""
        if self.zygote is not None:
            try:
                code = self.zygote.wait(self.spawn_id, 2)
            except ZygoteGone:
                code = None
            if code is None:
                return "it stopped answering"
            return _describe_status(code - 128) if code > 128 else _describe_status(code << 8)
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "it stopped answering"
        if code < 0:
            return _describe_status(-code)
        if self.isolation != "none" and code > 128:  # bwrap reports a signal as 128 + its number
            return _describe_status(code - 128)
        return _describe_status(code << 8)

    def kill(self):
        """Kill the sandbox and everything in it; remove what it left on disk."""
        _LIVE.discard(self)
        if self.zygote is not None:
            try:
                self.zygote.kill(self.spawn_id)
            except ZygoteGone:
                self.zygote.stop()  # what it did not kill dies with it
            self.zygote = None
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if self.group is not None:
            self.group.kill()  # what the namespace's end did not take (it takes everything)
        if self.isolation == "none" and self.process is not None:
            _kill_strays(self.scratch)
        self._close_fds()
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def _close_fds(self):
        for fd in (self.request_write, self.reply_read):
            try:
                os.close(fd)
            except OSError:
                pass
        self.request_write = self.reply_read = -1


def _kill_strays(workdir):
    """Without the sandbox a detached process can outlive its group; find those that run in the
    submission's folder and kill them (best effort, as everything is without isolation)."""
    for entry in Path("/proc").iterdir() if os.path.isdir("/proc") else []:
        if not entry.name.isdigit():
            continue
        try:
            if os.readlink(entry / "cwd").startswith(workdir):
                os.kill(int(entry.name), signal.SIGKILL)
        except OSError:
            pass

