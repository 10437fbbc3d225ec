"""Inside the sandbox: run one learner's notebook and answer calls, nothing else.

Started by sandbox.py as `python -I -S -c BOOTSTRAP CONFIG` inside bubblewrap (isolation.py),
this process (the *template*) sets its limits, runs the notebook's code cells, and then, for
each phase of grading (the public tests, then the hidden ones), forks a *worker* that answers
calls of the learner's functions until the grader ends the phase. A worker that crashes is
replaced by another fork of the template, so later functions are still graded; hidden tests
always meet a fresh worker that never saw a public test's inputs.

It never sees a test or an expected value: it receives the code cells, the names of the functions
to call, and plain-data arguments; it sends back plain-data replies (outcome.py) on its own pipe,
not stdout, which the learner's prints would pollute. Their output is captured and capped.

Nothing here is trusted once the first cell has run: the learner's code can change any of it.
What holds the learner in is the operating system (isolation.py) and the grader, which checks
every reply. The audit hook below only turns what the wall would stop anyway into a readable
message ("not allowed while grading: writing '/x'").
"""
import json
import os
import signal
import sys

OUTPUT_LIMIT = 4000


class GraderTimeout(BaseException):
    """Raised by the alarm. A BaseException so that `except Exception` in learner code does not
    swallow it (a bare `except:` can: then the parent's deadline kills the sandbox)."""


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


def limit_resources(config):
    """Limits the learner's code cannot raise again (raising a hard limit needs a capability the
    sandbox does not have)."""
    import resource
    limits = [(resource.RLIMIT_FSIZE, config["file_bytes"]), (resource.RLIMIT_CORE, 0),
              (resource.RLIMIT_CPU, config["cpu_seconds"]),
              (resource.RLIMIT_NOFILE, config["open_files"])]
    if config["memory"] > 0:
        limits.append((resource.RLIMIT_AS, config["memory"]))
    if config.get("processes"):
        limits.append((resource.RLIMIT_NPROC, config["processes"]))
    for kind, value in limits:
        try:
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):  # e.g. macOS refuses RLIMIT_AS: the other limits hold
            pass
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an over-long write fails instead of killing


# What the hook refuses, as frozen sets captured by the hook's closure: clearing a module-level
# set no longer switches the messages off (and were they switched off, the wall still holds).
BLOCKED = frozenset({
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
    "os.forkpty", "os.kill", "os.killpg", "signal.pthread_kill", "socket.connect", "socket.bind",
    "socket.sendto", "socket.sendmsg", "ctypes.dlopen", "ctypes.dlsym", "ctypes.call_function",
    "ctypes.addressof", "ctypes.cdata", "resource.setrlimit", "resource.prlimit",
    "sys.remote_exec", "webbrowser.open", "pty.spawn", "os.listdir", "os.scandir"})
PATH_EVENTS = {"os.remove": 1, "os.rmdir": 1, "os.mkdir": 1, "os.chmod": 1, "os.chown": 1,
               "os.truncate": 1, "os.utime": 1, "shutil.rmtree": 1, "os.rename": 2,
               "os.link": 2, "os.symlink": 2, "shutil.copyfile": 2, "shutil.move": 2}


def install_audit_hook(workdir, readable, allow):
    """Friendly refusals of what the learner's code has no business doing while graded.
    `allow` is a one-item list the template sets while it forks a worker itself."""
    workdir = os.path.realpath(workdir)
    readable = tuple(readable) + (workdir,)
    blocked, path_events = BLOCKED, dict(PATH_EVENTS)
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    abspath, realpath, fspath, getpid = os.path.abspath, os.path.realpath, os.fspath, os.getpid

    def under(path, roots):
        try:
            if isinstance(path, int):
                return True  # a file descriptor already open
            path = fspath(path)
            if isinstance(path, bytes):
                path = path.decode("utf-8", "replace")
            full = realpath(abspath(path))
        except Exception:
            return False
        return any(full == root or full.startswith(root.rstrip("/") + "/") for root in roots)

    def hook(event, args):
        if event in blocked:
            if event.startswith("os.fork") and allow[0]:
                return
            if event in ("os.listdir", "os.scandir") and under(args[0] or ".", readable):
                return
            raise PermissionError(f"not allowed while grading: {event}")
        if event == "open":
            path, mode, flags = args
            writing = (mode is not None and any(c in str(mode) for c in "wax+")) or \
                      (mode is None and isinstance(flags, int) and flags & write_flags)
            if writing and not under(path, (workdir, "/dev/null")):
                raise PermissionError(f"not allowed while grading: writing {path!r}")
            if not writing and not under(path, readable + (f"/proc/{getpid()}",)):
                raise PermissionError(f"not allowed while grading: reading {path!r}")
        elif event in path_events:
            for path in args[:path_events[event]]:
                if not under(path, (workdir,)):
                    raise PermissionError(f"not allowed while grading: {event} {path!r}")

    sys.addaudithook(hook)


def readable_roots(package_root):
    roots = {package_root, sys.prefix, sys.base_prefix, "/usr", "/lib", "/lib64", "/dev/null",
             "/dev/urandom", "/dev/random", "/proc/cpuinfo", "/proc/meminfo",
             "/etc/ld.so.cache"}
    roots.update(p for p in sys.path if p)
    if os.environ.get("MPLCONFIGDIR"):
        roots.add(os.environ["MPLCONFIGDIR"])
    return sorted(os.path.realpath(r) for r in roots)


class Channel:
    """Blocking frames on the two pipes the grader gave us."""

    def __init__(self, request_fd, reply_fd):
        from .framing import FrameReader
        self.reader, self.reply_fd = FrameReader(request_fd), reply_fd

    def receive(self):
        from .codec import loads
        return loads(self.reader.read())

    def send(self, message):
        from .codec import dumps
        from .framing import MAX_FRAME, write_frame
        data = dumps(message)
        if len(data) > MAX_FRAME - 1024:
            data = dumps({key: message[key] for key in ("event", "id") if key in message}
                         | {"status": "error", "error_type": "AnswerTooLarge",
                            "message": f"the answer is too large to grade "
                                       f"({len(data) // 1_000_000} MB)"})
        write_frame(self.reply_fd, data)


class Template:
    """Runs the notebook once, then forks a worker per phase."""

    def __init__(self, channel, allow_fork):
        self.channel, self.allow_fork = channel, allow_fork
        # `display` is a Jupyter builtin that notebooks call freely; here it shows nothing
        self.namespace = {"__name__": "__main__", "__builtins__": __builtins__,
                          "display": lambda *args, **kwargs: None}
        self.output = CappedOutput()
        self.functions = []

    def load(self, request):
        from .outcome import describe
        timeout = float(request["timeout"])
        skip = set(request.get("skip", []))
        self.functions = list(request["functions"])
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
                signal.setitimer(signal.ITIMER_REAL, timeout)
                try:
                    exec(code, self.namespace)
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            except GraderTimeout:
                status, message = "timeout", f"ran for more than {timeout:g} s and was stopped"
            except SyntaxError as error:
                status, message = "error", f"SyntaxError: {error.msg} (line {error.lineno})"
            except BaseException as error:
                kind, text = describe(error)
                status, message = "error", f"{kind}: {text}" if text else kind
            cells.append({"index": index, "status": status, "message": message})
        functions = {name: callable(self.namespace.get(name)) for name in self.functions}
        from .forbidden import REFUSED
        self.channel.send({"event": "loaded", "cells": cells, "functions": functions,
                           "refused": sorted(set(REFUSED)), "output": self.output.take()})

    def fork_worker(self):
        self.allow_fork[0] = True
        try:
            pid = os.fork()
        finally:
            self.allow_fork[0] = False
        if pid == 0:
            try:
                Worker(self.channel, self.namespace, self.output, self.functions).serve()
            finally:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        self.channel.send({"event": "ended", "status": status})

    def serve(self):
        while True:
            try:
                request = self.channel.receive()
            except Exception:
                return
            if request.get("op") == "load":
                self.load(request)
            elif request.get("op") == "worker":
                self.fork_worker()
            else:
                return


class Worker:
    """Answers calls of the learner's functions for one phase."""

    def __init__(self, channel, namespace, output, functions):
        self.channel, self.namespace, self.output = channel, namespace, output
        self.functions = functions

    def call(self, request):
        from .codec import from_plain, resolve
        from .forbidden import REFUSED
        from .outcome import invoke
        reply = {"event": "result", "id": request["id"]}
        target = self.namespace.get(request["function"])
        if not callable(target):
            return reply | {"status": "missing"}
        args = from_plain(request["args"], resolve_refs=resolve)
        kwargs = from_plain(request["kwargs"], resolve_refs=resolve)
        refused_before = len(REFUSED)
        signal.setitimer(signal.ITIMER_REAL, float(request["timeout"]))
        try:
            outcome = invoke(target, args, kwargs, bool(request.get("return_args")),
                             GraderTimeout, lambda: REFUSED[refused_before:])
        except GraderTimeout:  # the alarm fired after the call, while its answer was encoded
            outcome = {"status": "timeout"}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return reply | outcome | {"output": self.output.take()}

    def serve(self):
        self.output.take()
        self.channel.send({"event": "worker", "pid": os.getpid()})
        while True:
            try:
                request = self.channel.receive()
            except Exception:
                return
            if request.get("op") != "call":
                return
            self.channel.send(self.call(request))


def _on_alarm(signum, frame):
    raise GraderTimeout()


def main(argv):
    """The template's start: `main([CONFIG_JSON])`, CONFIG with request_fd, reply_fd, workdir,
    package_root, memory, cpu_seconds, file_bytes, open_files, processes (0: not set here)."""
    config = json.loads(argv[0])
    signal.signal(signal.SIGALRM, _on_alarm)
    os.chdir(config["workdir"])
    import tempfile
    tempfile.tempdir = None
    import numpy  # noqa: F401  (before the limits: the learner's code uses it anyway)

    from . import codec, forbidden, framing, outcome  # noqa: F401  (before any learner code)
    limit_resources(config)
    allow = [False]
    install_audit_hook(config["workdir"], readable_roots(config["package_root"]), allow)
    Template(Channel(config["request_fd"], config["reply_fd"]), allow).serve()
