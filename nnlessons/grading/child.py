"""The sandboxed child: runs one learner's notebook and answers calls, nothing else.

Forked by the zygote (`zygote_main`, a fork server started with `python -I` and a minimal
environment), or started directly as `main(REQUEST_FD, REPLY_FD, MEMORY_BYTES)`; either way it
runs in an empty temporary folder, in its own session.

It never sees a test or an expected value: it receives the code cells, the names of the functions
to call, and plain-data arguments; it sends back plain-data answers on REPLY_FD (not stdout, which
the learner's prints would pollute). The learner's output is captured and capped. Limits set here
(memory, file size, CPU time) and an audit hook (no writing outside the folder, no reading outside
it, Python, its packages and the system's files; no processes, signals, network or ctypes) hold
for everything the learner's code does.
"""
import os
import signal
import sys

FRAME_HEADER = 12  # ASCII decimal length of the JSON payload that follows
MAX_REPLY = 32 * 1024 * 1024
OUTPUT_LIMIT = 4000
CPU_SECONDS = 3600  # far above any submission budget; only a stray child meets it


class GraderTimeout(BaseException):
    """Raised by the alarm. A BaseException so that `except Exception` in learner code does not
    swallow it (a bare `except:` can: then the parent's deadline kills the process)."""


class CappedOutput:
    """sys.stdout / sys.stderr for learner code: keeps the first characters, counts the rest."""

    def __init__(self):
        self.parts, self.size, self.dropped = [], 0, 0

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = OUTPUT_LIMIT - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(len(text), room)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    def take(self):
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped} more characters of output not shown]"
        self.parts, self.size, self.dropped = [], 0, 0
        return text


def limit_resources(memory):
    import resource
    limits = [(resource.RLIMIT_FSIZE, 16 * 1024 * 1024), (resource.RLIMIT_CORE, 0),
              # a last resort against a child left spinning if the grader itself is killed
              (resource.RLIMIT_CPU, CPU_SECONDS)]
    if memory > 0:
        limits.insert(0, (resource.RLIMIT_AS, memory))
    for kind, value in limits:
        try:
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):  # e.g. macOS refuses RLIMIT_AS: the other limits hold
            pass
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an over-long write fails instead of killing


BLOCKED = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
           "os.forkpty", "os.kill", "os.killpg", "signal.pthread_kill", "socket.connect",
           "socket.bind", "socket.sendto", "ctypes.dlopen", "ctypes.dlsym", "ctypes.call_function",
           "ctypes.addressof", "ctypes.cdata", "resource.setrlimit", "resource.prlimit",
           "sys.remote_exec", "webbrowser.open", "pty.spawn"}
PATH_EVENTS = {"os.remove": 1, "os.rmdir": 1, "os.mkdir": 1, "os.chmod": 1, "os.chown": 1,
               "os.truncate": 1, "os.utime": 1, "shutil.rmtree": 1, "os.rename": 2,
               "os.link": 2, "os.symlink": 2, "shutil.copyfile": 2, "shutil.move": 2}


def readable_roots(workdir):
    """The folders the learner's code may read: its own, Python and its packages, nnlessons,
    and the system's shared files. Not the instructor's files, the tests, the solutions or the
    other submissions."""
    import nnlessons
    package_root = os.path.dirname(os.path.dirname(os.path.realpath(nnlessons.__file__)))
    roots = {workdir, sys.prefix, sys.base_prefix, sys.exec_prefix,
             os.path.dirname(os.path.realpath(nnlessons.__file__)),
             os.environ.get("MPLCONFIGDIR", workdir), "/usr", "/lib", "/lib32", "/lib64",
             "/etc", "/sys", "/dev/null", "/dev/urandom", "/dev/random", "/proc/cpuinfo",
             "/proc/meminfo"}
    for entry in sys.path:
        # site-packages and the standard library, not a source checkout that holds nnlessons
        if entry and os.path.isdir(entry) and os.path.realpath(entry) != package_root:
            roots.add(entry)
    return sorted(os.path.realpath(root) for root in roots)


def install_audit_hook(workdir):
    """Refuse, from now on, what the learner's code has no business doing while graded."""
    workdir = os.path.realpath(workdir)
    readable = tuple(readable_roots(workdir))
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    abspath, realpath, fspath, getpid = os.path.abspath, os.path.realpath, os.fspath, os.getpid

    def resolved(path):
        if isinstance(path, int):
            return None  # a file descriptor already open
        path = fspath(path)
        if isinstance(path, bytes):
            path = path.decode("utf-8", "replace")
        return realpath(abspath(path))

    def under(full, roots):
        return any(full == root or full.startswith(root.rstrip(os.sep) + os.sep)
                   for root in roots)

    def inside(path):
        try:
            full = resolved(path)
        except Exception:
            return False
        return full is None or under(full, (workdir,))

    def may_read(path):
        try:
            full = resolved(path)
        except Exception:
            return False
        return full is None or under(full, readable + (f"/proc/{getpid()}",))

    def hook(event, args):
        if event in BLOCKED:
            raise PermissionError(f"not allowed while grading: {event}")
        if event == "open":
            path, mode, flags = args
            writing = (mode is not None and any(c in str(mode) for c in "wax+")) or \
                      (mode is None and isinstance(flags, int) and flags & write_flags)
            if writing and not inside(path):
                raise PermissionError(f"not allowed while grading: writing {path!r}")
            if not writing and not may_read(path):
                raise PermissionError(f"not allowed while grading: reading {path!r}")
        elif event in PATH_EVENTS:
            for path in args[:PATH_EVENTS[event]]:
                if not inside(path):
                    raise PermissionError(f"not allowed while grading: {event} {path!r}")

    sys.addaudithook(hook)


class Channel:
    def __init__(self, request_fd, reply_fd):
        self.request_fd, self.reply_fd = request_fd, reply_fd

    def _read_exactly(self, n):
        chunks = []
        while n:
            chunk = os.read(self.request_fd, min(n, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def receive(self):
        from .codec import loads
        size = int(self._read_exactly(FRAME_HEADER))
        return loads(self._read_exactly(size))

    def send(self, message):
        from .codec import dumps
        data = dumps(message)
        if len(data) > MAX_REPLY:
            data = dumps({key: message[key] for key in ("event", "id") if key in message}
                         | {"status": "error", "error_type": "AnswerTooLarge",
                            "message": f"the answer is too large to grade "
                                       f"({len(data) // 1_000_000} MB)"})
        payload = b"%012d" % len(data) + data
        view = memoryview(payload)
        while view:
            written = os.write(self.reply_fd, view)
            view = view[written:]


def raised_in(error):
    """The name of the function whose code raised `error` (the innermost frame)."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_name if tb is not None else None


def describe(error):
    try:
        text = str(error)
    except BaseException:
        text = "(its message could not be read)"
    return type(error).__name__, text[:500]


class Child:
    def __init__(self, channel, workdir):
        from .forbidden import Traps
        self.channel, self.workdir = channel, workdir
        # `display` is a Jupyter builtin that notebooks call freely; here it shows nothing
        self.namespace = {"__name__": "__main__", "__builtins__": __builtins__,
                          "display": lambda *args, **kwargs: None}
        self.output = CappedOutput()
        self.traps = Traps({})
        self.Traps = Traps

    def alarm(self, seconds):
        signal.setitimer(signal.ITIMER_REAL, seconds)

    def load(self, request):
        self.traps = self.Traps(request.get("forbidden", {})).install()
        timeout = float(request["timeout"])
        skip = set(request.get("skip", []))
        cells = []
        sys.stdout = sys.stderr = self.output
        for index, source in enumerate(request["cells"]):
            if index in skip:
                cells.append({"index": index, "status": "skipped",
                              "message": "not run again: it stopped the grader last time"})
                continue
            self.channel.send({"event": "cell", "index": index})
            status, message = "ok", ""
            try:
                code = compile(source, f"<cell {index + 1}>", "exec")
                self.alarm(timeout)
                try:
                    exec(code, self.namespace)
                finally:
                    self.alarm(0)
            except GraderTimeout:
                status, message = "timeout", f"ran for more than {timeout:g} s and was stopped"
            except SyntaxError as error:
                status, message = "error", f"SyntaxError: {error.msg} (line {error.lineno})"
            except BaseException as error:
                kind, text = describe(error)
                status, message = "error", f"{kind}: {text}" if text else kind
            cells.append({"index": index, "status": status, "message": message})
        functions = {name: callable(self.namespace.get(name)) for name in request["functions"]}
        self.channel.send({"event": "loaded", "cells": cells, "functions": functions,
                           "output": self.output.take()})

    def call(self, request):
        from .codec import EncodeError, from_plain, to_plain
        from .forbidden import ForbiddenCallError
        reply = {"event": "result", "id": request["id"]}
        name = request["function"]
        function = self.namespace.get(name)
        if not callable(function):
            return reply | {"status": "missing"}
        args = from_plain(request["args"], resolve_refs=self.traps.resolve)
        kwargs = from_plain(request["kwargs"], resolve_refs=self.traps.resolve)
        self.traps.used = []
        self.traps.current = name
        try:
            self.alarm(float(request["timeout"]))
            try:
                result = function(*args, **kwargs)
                value = to_plain(result)
                after = to_plain([list(args), kwargs]) if request.get("return_args") else None
            finally:
                self.alarm(0)
                self.traps.current = None
        except GraderTimeout:
            return reply | {"status": "timeout", "output": self.output.take()}
        except NotImplementedError as error:
            return reply | {"status": "not_written", "message": describe(error)[1],
                            "raised_in": raised_in(error),
                            "output": self.output.take()}
        except EncodeError as error:
            return reply | {"status": "error", "error_type": "UnsupportedAnswer",
                            "message": str(error), "output": self.output.take()}
        except BaseException as error:
            if self.traps.used or isinstance(error, ForbiddenCallError):
                return reply | {"status": "forbidden", "names": sorted(set(self.traps.used)),
                                "output": self.output.take()}
            kind, text = describe(error)
            return reply | {"status": "error", "error_type": kind, "message": text,
                            "output": self.output.take()}
        if self.traps.used:  # the learner caught the trap's exception and carried on
            return reply | {"status": "forbidden", "names": sorted(set(self.traps.used)),
                            "output": self.output.take()}
        return reply | {"status": "ok", "value": value, "after": after,
                        "output": self.output.take()}

    def serve(self):
        while True:
            try:
                request = self.channel.receive()
            except EOFError:
                return
            if request.get("op") == "load":
                self.load(request)
            elif request.get("op") == "call":
                self.channel.send(self.call(request))
            else:
                return


def _on_alarm(signum, frame):
    raise GraderTimeout()


def _preload():
    import numpy  # noqa: F401  (imported before the limits: the learner's code uses it anyway)
    import nnlessons  # noqa: F401
    from . import codec, forbidden  # noqa: F401


def run_child(request_fd, reply_fd, memory, workdir):
    """Become the sandbox for one submission and serve until the grader hangs up."""
    signal.signal(signal.SIGALRM, _on_alarm)
    os.chdir(workdir)
    os.environ["HOME"] = os.environ["TMPDIR"] = workdir
    import tempfile
    tempfile.tempdir = None
    limit_resources(memory)
    install_audit_hook(workdir)
    Child(Channel(request_fd, reply_fd), workdir).serve()


def main(argv):
    """A child started on its own: `child.py REQUEST_FD REPLY_FD MEMORY` (cwd is its folder)."""
    request_fd, reply_fd, memory = int(argv[0]), int(argv[1]), int(argv[2])
    _preload()
    run_child(request_fd, reply_fd, memory, os.getcwd())


def zygote_main(argv):
    """The fork server: imports numpy and nnlessons once, then forks a fresh child per
    submission, so a child starts in milliseconds instead of half a second.

    It runs no learner code itself. Requests come on a SOCK_SEQPACKET socket from the grader:
    {"op": "spawn", "workdir", "memory"} with the child's two pipe ends attached (SCM_RIGHTS),
    answered {"pid"}; {"op": "wait", "pid", "block"} answered {"status"} (raw wait status, or
    None while it runs). The zygote exits when the grader closes the socket."""
    import json
    import socket
    control = socket.socket(fileno=int(argv[0]))
    _preload()
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, 4096, 2)
        except OSError:
            return
        if not data:
            return
        request = json.loads(data)
        if request["op"] == "spawn" and len(fds) == 2:
            pid = os.fork()
            if pid == 0:
                try:
                    control.close()
                    os.setsid()
                    run_child(fds[0], fds[1], int(request["memory"]), request["workdir"])
                finally:
                    os._exit(0)
            for fd in fds:
                os.close(fd)
            reply = {"pid": pid}
        elif request["op"] == "wait":
            for fd in fds:
                os.close(fd)
            try:
                pid, status = os.waitpid(int(request["pid"]),
                                         0 if request.get("block") else os.WNOHANG)
                reply = {"status": status if pid else None}
            except ChildProcessError:
                reply = {"status": None, "gone": True}
        else:
            reply = {"error": "unknown request"}
        control.send(json.dumps(reply).encode())


if __name__ == "__main__":
    main(sys.argv[1:])
