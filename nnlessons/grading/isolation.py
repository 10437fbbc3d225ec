"""The wall around a graded notebook: bubblewrap, and the limits the kernel enforces.

Each sandbox is a process tree in new user, PID, network, IPC, UTS and mount namespaces (forked
by a grading job's zygote, zygote.py, inside a bwrap sandbox of its own; or, where that cannot
run, one `bwrap` process tree of its own), with every capability dropped and no way to make a user namespace of its own. It sees
only, read-only: /usr (with /bin and /lib), the Python installation, the folders holding the
packages learner code may import (numpy, matplotlib, ...), and the grader's copy of nnlessons with
the forbidden code taken out (package_view.py). Nothing else of the machine exists in it: no home
folder, no instructor files, no solutions, no other submission, no /etc, no /sys. Its only
writable place is a size-limited tmpfs at /tmp (its working folder). Its network has only a
loopback device that is down. When the grader kills the sandbox, or itself dies
(--die-with-parent), the namespace's first process dies and the kernel kills every other process
in it, detached or not.

Limits: per process the learner's code cannot raise (no capabilities): address space, CPU time,
file size, open files, no core files; processes: RLIMIT_NPROC, which the kernel counts per user
namespace for an ordinary user, and, for root (who is exempt from RLIMIT_NPROC), a pids cgroup
with a memory cgroup beside it where the machine lets us make them.

`problem()` says why bubblewrap cannot be used here (None when it can); `nnlessons grade` then
refuses to grade unless the instructor passes `--isolation none`.
"""
import functools
import os
import shutil
import subprocess
import sys
import sysconfig
import uuid
from pathlib import Path

INSIDE_PACKAGE = "/opt/nnlessons"   # where the package view is mounted in the sandbox
VIEWS_INSIDE = "/opt/nnlessons-views"  # every view, where only a zygote sees them (zygote.py)
WORKDIR = "/tmp"                    # the sandbox's one writable folder
TMPFS_BYTES = 64 * 1024 * 1024
FILE_BYTES = 16 * 1024 * 1024
OPEN_FILES = 256
PROCESSES = 64
INSTALL_HINT = ("install bubblewrap: `sudo apt-get install bubblewrap` (Debian, Ubuntu), "
                "`sudo dnf install bubblewrap` (Fedora)")


def bwrap_path():
    return shutil.which("bwrap")


@functools.lru_cache(maxsize=None)
def problem():
    """Why learner code cannot be walled in here, or None when it can. Tried once per process:
    a sandbox that runs `true`."""
    if not sys.platform.startswith("linux"):
        return (f"the grading sandbox (bubblewrap) needs Linux; this is {sys.platform}. Grade on "
                f"a Linux machine, or pass --isolation none to grade without the sandbox "
                f"(only for notebooks you trust)")
    bwrap = bwrap_path()
    if bwrap is None:
        return (f"bubblewrap (bwrap) is not installed, and the grader runs learner code only "
                f"inside it: {INSTALL_HINT}")
    try:
        run = subprocess.run([bwrap, *namespace_options(), "--ro-bind", "/", "/", "--",
                              "/bin/true"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not start ({error})"
    if run.returncode != 0:
        reason = (run.stderr.strip().splitlines() or ["no message"])[-1]
        return (f"bubblewrap cannot make a sandbox here ({reason}). Unprivileged user "
                f"namespaces may be turned off: `sudo sysctl kernel.unprivileged_userns_clone=1`"
                f" (Debian) or, on Ubuntu 24.04 and later, allow bwrap in AppArmor "
                f"(`sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0`); inside a "
                f"container, run it with user namespaces allowed")
    return None


def namespace_options():
    return ["--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL",
            "--die-with-parent", "--new-session", "--hostname", "grading"]


def _system_mounts():
    options = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            options += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            options += ["--ro-bind", top, top]
    # shared libraries are found faster with the loader's cache; nothing else of /etc is needed
    options += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    return options


def import_roots():
    """The folders learner code may import from: the standard library and the site-packages
    folders of this interpreter. Not a source checkout (the grader's own nnlessons, its tests, the
    solutions), not the current folder."""
    roots = []
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(name)
        if path:
            roots.append(path)
    import site
    for path in [*site.getsitepackages(), *sys.path]:
        if path and ("site-packages" in path or "dist-packages" in path):
            roots.append(path)
    dynload = os.path.join(sysconfig.get_paths()["platstdlib"], "lib-dynload")
    roots.append(dynload)
    seen, kept = set(), []
    for path in roots:
        real = os.path.realpath(path)
        if os.path.isdir(real) and real not in seen:
            seen.add(real)
            kept.append(real)
    return kept


def _python_mounts():
    """The interpreter's prefix (its binary and shared library) and every import root."""
    prefixes = {os.path.realpath(sys.base_prefix)}
    options = []
    for prefix in sorted(prefixes):
        if not prefix.startswith("/usr"):
            options += ["--ro-bind", prefix, prefix]
    for root in import_roots():
        if not root.startswith("/usr") and not any(root.startswith(p + "/") for p in prefixes):
            options += ["--ro-bind", root, root]
    # an installed (not editable) nnlessons in site-packages would be the real code: hide it
    for root in import_roots():
        real_package = os.path.join(root, "nnlessons")
        if os.path.isdir(real_package):
            options += ["--tmpfs", real_package, "--remount-ro", real_package]
    return options


def interpreter():
    """The real Python binary (a virtualenv's `python` is a symlink to it)."""
    return os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)


def bwrap_command(view, environment, files=()):
    """The argv that runs `python -I -S <bootstrap>` in a new sandbox. `view`: the folder holding
    the package view; `files`: (fd, path inside) pairs copied into the tmpfs before start."""
    return _command(namespace_options(), ["--ro-bind", str(view), INSIDE_PACKAGE],
                    environment, files)


def zygote_command(views, environment, files=()):
    """The argv of a zygote's sandbox (zygote.py): the walls of `bwrap_command`, every view
    (the folder `views`) at VIEWS_INSIDE for the zygote to mount one per submission, and the
    capabilities of the sandbox's own user namespace, which the zygote needs for that and drops
    in every submission's process before its first cell runs. Outside that namespace they are
    nothing: no file of the machine, no other process, no way to a new user namespace."""
    # --as-pid-1: the zygote is the namespace's first process. Otherwise that is bwrap's own
    # init, without capabilities, which a submission's process (same user, no capabilities
    # either) could read and write through /proc/1 and take over
    options = [o for o in namespace_options() if o not in ("--cap-drop", "ALL")]
    return _command(options + ["--cap-add", "ALL", "--as-pid-1"],
                    ["--ro-bind", str(views), VIEWS_INSIDE, "--dir", INSIDE_PACKAGE],
                    environment, files)


def _command(namespaces, package, environment, files):
    # the tmpfs first: Python or its packages may live below /tmp (a CI checkout there), and a
    # bind made before it would be hidden under it
    options = [bwrap_path(), *namespaces, *_system_mounts(),
               "--proc", "/proc", "--dev", "/dev",
               "--size", str(TMPFS_BYTES), "--tmpfs", WORKDIR,
               *_python_mounts(), *package]
    for fd, inside in files:
        options += ["--dir", os.path.dirname(inside), "--file", str(fd), inside]
    options += ["--remount-ro", "/dev", "--remount-ro", "/", "--chdir", WORKDIR,
                "--clearenv"]
    for key, value in sorted(environment.items()):
        options += ["--setenv", key, value]
    return options + ["--", interpreter(), "-I", "-S"]


class ProcessGroup:
    """A pids cgroup (and a memory cgroup beside it) holding one sandbox, where this process may
    make one: that is, as root with cgroups mounted writable. For root the kernel does not apply
    RLIMIT_NPROC, so this is what stops a fork bomb. `kill()` kills everything left in it."""

    def __init__(self, processes, memory):
        self.folders = []
        name = f"nnlessons-{uuid.uuid4().hex[:12]}"
        for controller, settings in (("pids", {"pids.max": processes}),
                                     ("memory", {"memory.limit_in_bytes": memory}
                                      if memory else {})):
            base = self._base(controller)
            if base is None:
                continue
            folder = base / name
            try:
                folder.mkdir()
                for key, value in settings.items():
                    (folder / key).write_text(str(value))
                self.folders.append(folder)
            except OSError:
                self._remove(folder)

    @staticmethod
    def _base(controller):
        """The cgroup (v1) of this process for `controller`, if we may make one below it."""
        if os.geteuid() != 0:
            return None
        try:
            lines = Path("/proc/self/cgroup").read_text().splitlines()
        except OSError:
            return None
        for line in lines:
            _, controllers, path = line.split(":", 2)
            if controller in controllers.split(","):
                base = Path("/sys/fs/cgroup") / controller / path.lstrip("/")
                if base.is_dir() and os.access(base, os.W_OK):
                    return base
        return None

    def wrap(self, argv):
        """`argv` started inside the cgroups: a shell writes its own pid into them, then execs."""
        if not self.folders:
            return argv
        script = 'for f in "$@"; do [ "$f" = -- ] && break; echo $$ > "$f"; shift; done; ' \
                 'shift; exec "$@"'
        return ["/bin/sh", "-c", script, "sh",
                *[str(f / "cgroup.procs") for f in self.folders], "--", *argv]

    def add(self, pid):
        """Put a running process (and so what it starts) into the cgroups; False if it fails."""
        try:
            for folder in self.folders:
                (folder / "cgroup.procs").write_text(str(pid))
        except OSError:
            return False
        return True

    def kill(self):
        import signal
        for folder in self.folders:
            for _ in range(50):
                try:
                    pids = [int(p) for p in (folder / "cgroup.procs").read_text().split()]
                except (OSError, ValueError):
                    break
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
            self._remove(folder)
        self.folders = []

    @staticmethod
    def _remove(folder):
        import time
        for _ in range(50):
            try:
                folder.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.01)  # the last process is still being reaped


def host_pid(ancestor, inner_pid):
    """The pid, as this process sees it, of the descendant of `ancestor` whose pid in its own
    (innermost) PID namespace is `inner_pid`: how the grader finds a zygote's fork."""
    queue, seen = [ancestor], set()
    while queue:
        pid = queue.pop(0)
        if pid in seen:
            continue
        seen.add(pid)
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            nspids = next(line.split()[1:] for line in status.splitlines()
                          if line.startswith("NSpid:"))
            if pid != ancestor and len(nspids) > 1 and int(nspids[-1]) == inner_pid:
                return pid
            for task in Path(f"/proc/{pid}/task").iterdir():
                queue += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return None
