"""A fork server inside the wall: Python, numpy and matplotlib started once, a sandbox per fork.

Starting a sandbox costs a fresh interpreter and the imports every notebook makes (numpy,
matplotlib.pyplot: about half a second, most of a small notebook's grading). The *zygote* pays
that once per grading job. It runs inside one bubblewrap sandbox of its own (isolation.py:
`zygote_command`), the same walls as a single sandbox, with the capabilities of that sandbox's
user namespace kept, because it makes a smaller sandbox for every submission:

    zygote --fork--> first --unshare(mount, PID, net, IPC, UTS)--fork--> second (PID 1)
                        waits                                 mounts, drops every capability,
                                                              then runs child.py

`second` sees a fresh size-limited tmpfs as its working folder (nothing of an earlier
submission), the package view of its own key at /opt/nnlessons (the folder of all views is
covered by an empty one: no other view is reachable), a network with nothing in it, and no
capability at all (bounding set emptied, no_new_privs, no user namespace possible: bwrap's
--disable-userns). It is PID 1 of its own PID namespace: when it dies, the kernel kills every
process the submission started, detached or not; the zygote kills it when the grader says so.

This file is run as a program (`python -I -S -c SOURCE CONFIG`), not imported from the package:
the zygote never imports nnlessons, so no reference code is in the memory a submission inherits.
It talks to the grader on one socket (SOCK_SEQPACKET): a request is a JSON object, with the two
pipe ends of a new sandbox attached as file descriptors for "spawn". Nothing that crosses it
comes from learner code, which never holds this socket.
"""
import ctypes
import json
import os
import select
import signal
import socket
import sys
import time

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND = 1, 2, 4, 32, 4096
MS_REC, MS_PRIVATE = 16384, 1 << 18
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 4, 24, 38
CAPABILITY_VERSION_3 = 0x20080522

libc = ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"{what}: {os.strerror(number)}")


def _mount(source, target, kind, flags, data=None):
    encode = (lambda s: None if s is None else s.encode())
    _check(libc.mount(encode(source), encode(target), encode(kind), flags, encode(data)),
           f"mount {target}")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def drop_capabilities():
    """No capability, now or after any exec: the bounding set emptied, then the process's own
    sets, and no_new_privs so that no program can give any back."""
    for capability in range(64):
        libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)  # fails past the last one: harmless
    _check(libc.capset(ctypes.byref(_CapHeader(CAPABILITY_VERSION_3, 0)), (_CapData * 2)()),
           "capset")
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    status = open("/proc/self/status").read()
    for field in ("CapEff", "CapPrm", "CapBnd", "CapInh", "CapAmb"):
        if int(status.split(field + ":")[1].split()[0], 16) != 0:
            raise OSError(f"{field} is not empty after dropping capabilities")


def mounts_below(folder):
    """The mount points strictly below `folder`, outermost first (from /proc/self/mountinfo)."""
    below = []
    for line in open("/proc/self/mountinfo"):
        point = line.split()[4].replace("\\040", " ")
        if point.startswith(folder.rstrip("/") + "/"):
            below.append(point)
    kept = []
    for point in sorted(set(below), key=lambda p: p.count("/")):
        if not any(point.startswith(k + "/") for k in kept):
            kept.append(point)
    return kept


def fresh_workdir(workdir, size):
    """An empty tmpfs over the working folder. Python or its packages may live below it (a CI
    checkout in /tmp): what is mounted there is held by a descriptor first and mounted again on
    top, read-only, so the new tmpfs hides the last submission's files and nothing else."""
    held = [(point, os.open(point, os.O_PATH | os.O_DIRECTORY)) for point in mounts_below(workdir)]
    _mount("tmpfs", workdir, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode=0755")
    for point, fd in held:
        os.makedirs(point, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", point, None, MS_BIND | MS_REC)
        _mount(None, point, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        os.close(fd)


def second(config, spawn, fds):
    """PID 1 of the submission's namespace: its own mounts, no capability, then child.py."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    fresh_workdir(config["workdir"], config["tmpfs_bytes"])
    view = os.path.join(config["views"], spawn["view"])
    _mount(view, config["package"], None, MS_BIND)
    _mount(None, config["package"], None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    # the other views' reference code lies below this folder: cover it with an empty one (a
    # mount made by the sandbox's creator cannot be taken away here, only covered)
    _mount("tmpfs", config["views"], "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4096")
    drop_capabilities()
    # not dumpable: no other process without capabilities (another sandbox of the submission)
    # may read or write this one's memory through /proc; its own forks inherit that
    _check(libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "dumpable")
    keep = set(fds)
    for fd in os.listdir("/proc/self/fd"):
        if int(fd) > 2 and int(fd) not in keep:
            try:
                os.close(int(fd))
            except OSError:
                pass
    if "random" in sys.modules:  # a fork would replay the zygote's sequence; a new process not
        sys.modules["random"].seed()
    child_config = dict(spawn["child"], request_fd=fds[0], reply_fd=fds[1])
    os.makedirs(os.environ.get("MPLCONFIGDIR", config["workdir"]), exist_ok=True)
    sys.path[:0] = [config["package"]]
    from nnlessons.grading.child import main
    main([json.dumps(child_config)])


def first(config, spawn, fds, report):
    """The waiter outside the submission's PID namespace: makes the namespaces, forks their
    first process, tells the zygote its pid, and exits with its status (128 + signal, as bwrap)."""
    try:
        _check(libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC |
                            CLONE_NEWUTS), "unshare")
        pid = os.fork()
    except BaseException as error:
        os.write(report, f"error {error}".encode()[:400])
        os._exit(70)
    if pid == 0:
        try:
            os.close(report)
            second(config, spawn, fds)
        except BaseException:
            os._exit(71)
        os._exit(0)
    os.write(report, str(pid).encode())
    os.close(report)
    for fd in fds:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    os._exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))


class Zygote:
    def __init__(self, config, channel):
        self.config, self.channel = config, channel
        self.running = {}   # spawn id -> (first's pid, second's pid)
        self.statuses = {}  # spawn id -> exit status of first, once reaped

    def reply(self, message):
        self.channel.send(json.dumps(message).encode())

    def spawn(self, request, fds):
        """Fork `first`, tell the grader its pid (it may put it in a cgroup of its own), make
        the sandbox when the grader says "go"."""
        read_end, write_end = os.pipe()
        go_read, go_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                self.channel.close()
                os.close(read_end)
                os.close(go_write)
                os.read(go_read, 1)  # an empty read: the zygote is gone, so is the grader
                os.close(go_read)
                first(self.config, request, fds, write_end)
            finally:
                os._exit(72)
        os.close(write_end)
        os.close(go_read)
        for fd in fds:
            os.close(fd)
        self.reply({"event": "forked", "id": request["id"], "pid": pid})
        try:
            data = self.channel.recv(65536)
            go = json.loads(data) if data else {}
        except (OSError, ValueError):
            go = {}
        if go.get("op") == "go" and go.get("id") == request["id"]:
            os.write(go_write, b"g")
        os.close(go_write)
        answer = b""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and select.select([read_end], [], [], 0.5)[0]:
            chunk = os.read(read_end, 512)
            if not chunk:
                break
            answer += chunk
            if answer.isdigit():
                break
        os.close(read_end)
        if not answer.isdigit():
            self.kill_pids(pid, None)
            return self.reply({"event": "error", "id": request["id"],
                               "message": answer.decode("utf-8", "replace") or "no answer"})
        self.running[request["id"]] = (pid, int(answer))
        self.reply({"event": "spawned", "id": request["id"]})

    def kill_pids(self, first_pid, second_pid):
        for pid in (second_pid, first_pid):
            if pid is not None:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def sweep(self):
        """Reap every child that has ended. The zygote is its namespace's PID 1, so a process
        whose parent died is handed to it: those are reaped and forgotten, `first`s' statuses
        kept for `reap`."""
        firsts = {pids[0]: spawn_id for spawn_id, pids in self.running.items()}
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in firsts:
                spawn_id = firsts[pid]
                del self.running[spawn_id]
                self.statuses[spawn_id] = os.WEXITSTATUS(status) if os.WIFEXITED(status) \
                    else 128 + os.WTERMSIG(status)

    def reap(self, spawn_id, seconds):
        """first's exit status, waiting up to `seconds` for it; None if still running."""
        deadline = time.monotonic() + seconds
        while True:
            self.sweep()
            if spawn_id in self.statuses or spawn_id not in self.running:
                return self.statuses.get(spawn_id)
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.005)

    def serve(self):
        while True:
            self.sweep()
            try:
                data, fds, _, _ = socket.recv_fds(self.channel, 65536, 4)
            except OSError:
                return
            if not data:
                return
            request = json.loads(data)
            op, spawn_id = request.get("op"), request.get("id")
            if op == "spawn" and len(fds) == 2:
                self.spawn(request, fds)
                continue
            for fd in fds:
                os.close(fd)
            if op == "wait":
                self.reply({"event": "status", "id": spawn_id,
                            "status": self.reap(spawn_id, float(request.get("seconds", 0)))})
            elif op == "kill":
                # the submission's PID 1 first: its namespace dies with it, and `first`, which
                # waits for it, ends by itself; killed too only if it does not
                if spawn_id in self.running:
                    self.kill_pids(None, self.running[spawn_id][1])
                status = self.reap(spawn_id, 5.0)
                if spawn_id in self.running:
                    self.kill_pids(self.running[spawn_id][0], None)
                    status = self.reap(spawn_id, 5.0)
                self.statuses.pop(spawn_id, None)
                self.reply({"event": "killed", "id": spawn_id, "status": status})
            else:
                self.reply({"event": "error", "id": spawn_id, "message": f"unknown op {op!r}"})


def main(argv):
    config = json.loads(argv[0])
    # what every notebook imports, once; never nnlessons (its reference code would be inherited)
    import numpy  # noqa: F401
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    channel = socket.socket(fileno=config["control_fd"])
    zygote = Zygote(config, channel)
    zygote.reply({"event": "ready"})
    zygote.serve()


if __name__ == "__main__":
    main(sys.argv[1:])
